"""`alongside selfcare_tick`: make today's homework tasks, mark missed ones, send reminders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.selfcare.services import homework


class Command(BaseCommand):
    help = (
        "Make today's homework tasks in each client's time zone, mark missed ones (after linking completions "
        "saved without a task) and email reminders with no clinical content outside quiet hours. Safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-email", action="store_true", help="Make and expire tasks but send no reminders.")

    def handle(self, *args: Any, **options: Any) -> None:
        made = homework.tasks_materialise()
        expired = homework.tasks_expire()
        reminded = 0 if options["no_email"] else homework.tasks_remind()
        self.stdout.write(f"{made} task(s) made, {expired} missed, {reminded} reminder(s) sent")
