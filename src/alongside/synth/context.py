"""The state shared by generator steps while one synthetic practice is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alongside.synth.config import SynthConfig
from alongside.synth.plan import ClientPlan, PracticePlan

if TYPE_CHECKING:
    from alongside.accounts.models import User
    from alongside.care.models import ClientProfile, Episode, Practice
    from alongside.consent.models import ConsentDocument


@dataclass
class SynthClient:
    """One planned client and, once written, their database rows."""

    plan: ClientPlan
    user: User | None = None
    profile: ClientProfile | None = None
    episode: Episode | None = None


@dataclass
class SynthContext:
    """What earlier steps produced, for later steps to build on.

    A step reads ``config`` and ``plan``, draws randomness only from
    ``config.rng("<its own stream>")``, writes rows, and records what it made
    here (or in ``extra`` under its own name) for the steps after it.
    """

    config: SynthConfig
    plan: PracticePlan
    password_hash: str = ""
    practice: Practice | None = None
    admin: User | None = None
    clinicians: list[User] = field(default_factory=list)
    clients: list[SynthClient] = field(default_factory=list)
    consent_document: ConsentDocument | None = None
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def require_practice(self) -> Practice:
        if self.practice is None:
            raise RuntimeError("The practice step must run before this step.")
        return self.practice

    def require_admin(self) -> User:
        if self.admin is None:
            raise RuntimeError("The staff step must run before this step.")
        return self.admin

    def written_clients(self) -> list[tuple[SynthClient, ClientProfile]]:
        """Return the clients whose rows exist, with their profiles."""
        return [(c, c.profile) for c in self.clients if c.profile is not None]
