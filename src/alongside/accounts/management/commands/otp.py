"""`alongside otp EMAIL`: print a current sign-in code of a demo account. Demo profile only."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.accounts.models import TotpDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (refuses outside ALONGSIDE_PROFILE=demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The account's email address, e.g. clinician1@demo.alongside.test.")

    def handle(self, *args: Any, **options: Any) -> None:
        # A code printer is a second-factor bypass: it must never exist outside the demo.
        if not getattr(settings, "DEMO", False):
            raise CommandError(
                "`alongside otp` only works in the demo (ALONGSIDE_PROFILE=demo). "
                f"This installation runs the {getattr(settings, 'PROFILE', 'unknown')!r} profile; "
                "use the authenticator app the account was enrolled with.",
                returncode=2,
            )
        email = options["email"].strip().lower()
        device = (
            TotpDevice.objects.filter(user__email__iexact=email, confirmed_at__isnull=False)
            .select_related("user")
            .first()
        )
        if device is None:
            raise CommandError(f"No account {email!r} with an enrolled authenticator.", returncode=1)
        totp = pyotp.TOTP(device.secret)
        now = time.time()
        step = int(now // totp.interval)
        if step <= device.last_used_step:
            # This step's code was already used (codes work once); the next step's code is
            # accepted now too, since sign-in allows one step of clock drift either way.
            step = device.last_used_step + 1
        self.stdout.write(totp.generate_otp(step))
        remaining = int((step + 1) * totp.interval - now)
        self.stderr.write(f"Valid for about {max(remaining, 1)} more seconds, and only once.")
