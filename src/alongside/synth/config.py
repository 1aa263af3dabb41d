"""What to generate: the knobs of a synthetic practice, and the demo's stable logins."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# The demo's logins are stable from run to run so that the documentation can name them.
DEMO_DOMAIN = "demo.alongside.test"
DEMO_PASSWORD = "alongside-demo"
DEMO_SEED = 2026
DEMO_CLIENTS = 42


@dataclass(frozen=True)
class SynthConfig:
    """Parameters of one synthetic practice. The same config always yields the same practice.

    ``today`` anchors every date (episodes within the last ``history_days``); leave it
    unset to use the current date, or pin it for fully reproducible dates.
    """

    seed: int = DEMO_SEED
    n_clients: int = DEMO_CLIENTS
    n_clinicians: int = 3
    domain: str = DEMO_DOMAIN
    password: str = DEMO_PASSWORD
    practice_name: str = "Riverbend Counselling Collective"
    country: str = "US"
    time_zone: str = "America/Chicago"
    spanish_share: float = 0.3
    second_clinician_share: float = 0.25
    history_days: int = 365
    today: dt.date | None = None
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.n_clients < 1:
            raise ValueError("A synthetic practice needs at least one client.")
        if self.n_clinicians < 1:
            raise ValueError("A synthetic practice needs at least one clinician.")
        if "@" in self.domain or not self.domain.strip():
            raise ValueError("domain is the part after @, for example demo.alongside.test.")

    @property
    def admin_email(self) -> str:
        return f"admin@{self.domain}"

    def clinician_email(self, number: int) -> str:
        """Return the email of clinician ``number`` (1-based)."""
        return f"clinician{number}@{self.domain}"

    def client_email(self, number: int) -> str:
        """Return the email of client ``number`` (1-based), zero-padded so they sort."""
        return f"client{number:02d}@{self.domain}"

    @property
    def staff_emails(self) -> list[str]:
        return [self.clinician_email(n) for n in range(1, self.n_clinicians + 1)] + [self.admin_email]

    def rng(self, stream: str) -> random.Random:
        """Return a generator for one named stream of randomness.

        Each step draws from its own stream, so adding a step (or drawing more in
        one) never changes what the other steps generate for the same seed.
        """
        return random.Random(f"alongside-synth:{self.seed}:{stream}")  # noqa: S311  # nosec B311: synthetic data, not secrets

    def anchor_date(self) -> dt.date:
        if self.today is not None:
            return self.today
        from django.utils import timezone

        return timezone.localdate()
