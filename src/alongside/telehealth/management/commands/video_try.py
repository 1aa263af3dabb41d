"""``alongside video_try <client email>``: book a video session minutes from now, to try a call on one machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alongside.care.models import CareTeamMember, ClientProfile
from alongside.sessions.services import appointment_create


class Command(BaseCommand):
    help = "Book a session of a client with their primary clinician a few minutes from now and print the room's URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the client's sign-in email, e.g. client01@demo.alongside.test")
        parser.add_argument("--in", dest="minutes", type=int, default=5, help="minutes from now (default 5)")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the demo is served")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PROFILE not in ("demo", "dev", "test"):
            raise CommandError("video_try books sessions for trying things out: run it with ALONGSIDE_PROFILE=demo.")
        client = ClientProfile.objects.filter(user__email__iexact=options["email"]).select_related("user").first()
        if client is None:
            raise CommandError(f"No client signs in as {options['email']}.")
        member = CareTeamMember.objects.filter(client=client, is_primary=True, ended_at__isnull=True).first()
        if member is None:
            raise CommandError("That client has no primary clinician.")
        starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=max(1, options["minutes"]))
        try:
            booked = appointment_create(
                actor=member.clinician, client_id=client.pk, starts_at=starts, duration_minutes=50
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        url = f"{options['base_url'].rstrip('/')}/telehealth/{booked.pk}/"
        self.stdout.write(f"Session at {timezone.localtime(starts):%H:%M} with {member.clinician.email}.")
        self.stdout.write(f"Both sign in and open: {url}")
