"""`alongside synth`: write a synthetic practice into the current database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.synth.config import DEMO_CLIENTS, DEMO_DOMAIN, DEMO_SEED, SynthConfig
from alongside.synth.generate import AlreadySeeded, generate_practice


class Command(BaseCommand):
    help = "Generate a synthetic practice (clinicians, an admin, clients, consent, episodes) from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"Random seed (default {DEMO_SEED}).")
        parser.add_argument(
            "--clients", type=int, default=DEMO_CLIENTS, help=f"Number of clients (default {DEMO_CLIENTS})."
        )
        parser.add_argument("--clinicians", type=int, default=3, help="Number of clinicians (default 3).")
        parser.add_argument(
            "--domain",
            default=DEMO_DOMAIN,
            help=f"Email domain of the synthetic accounts (default {DEMO_DOMAIN}); use another to add a second practice.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = SynthConfig(
                seed=options["seed"],
                n_clients=options["clients"],
                n_clinicians=options["clinicians"],
                domain=options["domain"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            result = generate_practice(config)
        except AlreadySeeded as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {config.practice_name} in {result.seconds:.1f} s: {counts}."))
        self.stdout.write(f"Staff logins ({config.password!r}): " + ", ".join(config.staff_emails))
