"""`alongside measures_tick`: make due questionnaire requests, send reminders, expire old ones, escalate alerts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.measures import hooks, services
from alongside.safety.services import alerts as alert_services


class Command(BaseCommand):
    help = (
        "Expire overdue questionnaire requests, make the requests that have come due (and those due before "
        "sessions in the next day and a half), email reminders outside "
        "quiet hours and escalate unacknowledged critical alerts. Safe to run as often as you like (every few minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-email", action="store_true", help="Make and expire requests but send no reminders.")

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.requests_expire()
        made = services.requests_materialise()
        before_sessions = sum(make() for make in hooks.REQUEST_MAKERS)  # sessions: requests due before appointments
        reminded = 0 if options["no_email"] else services.requests_deliver()
        escalated = alert_services.alerts_escalate()
        self.stdout.write(
            f"{len(made) + before_sessions} request(s) made, {expired} expired, {reminded} reminder(s) sent, "
            f"{len(escalated)} alert(s) escalated"
        )
