"""The digital readiness check: its answers, the eHEALS scale, clinical prompts and the recommended configuration.

``recommend`` is a pure function of the answers, so the rules below are the whole of it (tested by a table).
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

EHEALS_FILE = Path(__file__).parent / "data" / "eheals.json"


class Device(models.TextChoices):
    SMARTPHONE = "smartphone", _("Smartphone")
    TABLET = "tablet", _("Tablet")
    COMPUTER = "computer", _("Computer")
    BASIC_PHONE = "basic_phone", _("Phone without apps")


class Connectivity(models.TextChoices):
    GOOD = "good", _("Reliable internet most of the time")
    PATCHY = "patchy", _("Patchy or slow internet")
    RARE = "rare", _("Internet only now and then (library, work, Wi-Fi elsewhere)")


class Seen(models.TextChoices):
    NO = "no", _("No, my phone is private")
    SOMETIMES = "sometimes", _("Sometimes")
    YES = "yes", _("Yes, others look at or use my phone")


class Format(models.TextChoices):
    TEXT = "text", _("Text")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    PAPER = "paper", _("Paper")


class Access(models.TextChoices):
    LARGE_TEXT = "large_text", _("Larger text")
    SCREEN_READER = "screen_reader", _("A screen reader")
    CAPTIONS = "captions", _("Captions")
    READING_SUPPORT = "reading_support", _("Help with reading")


class Prompt(models.TextChoices):
    """Clinical suitability prompts: they call for care or a different set-up, never a refusal."""

    ACUTE_RISK = (
        "acute_risk",
        _("Acute risk of harm: agree a safety plan and crisis contacts before self-guided tools."),
    )
    PSYCHOSIS_MANIA = (
        "psychosis_mania",
        _("Current psychosis or mania: self-guided tools may not suit now; review with the client."),
    )
    COGNITIVE = (
        "cognitive",
        _("Severe cognitive impairment: prefer simple set-ups, paper, or a supporter's help; check understanding."),
    )
    CONTROLLING_PARTNER = (
        "controlling_partner",
        _(
            "A partner or family member who checks the phone: consider discreet mode and whether any app is safe to keep."
        ),
    )


class ReadinessAnswers(BaseModel):
    """What the client (or the clinician with them) answered."""

    model_config = ConfigDict(extra="forbid")

    devices: list[Device] = []
    device_shared: bool = False
    connectivity: Connectivity = Connectivity.GOOD
    data_limited: bool = False
    phone_seen_by_others: Seen = Seen.NO
    eheals: list[int] = Field(default=[], description="eight ratings 1-5, or none when skipped")
    formats: list[Format] = []
    wants_reminders: bool = True
    access_needs: list[Access] = []
    prompts: list[Prompt] = []  # filled by the clinician only

    @property
    def eheals_total(self) -> int | None:
        """The eHEALS total, the sum of the eight items (8-40): Norman & Skinner 2006, J Med Internet Res 8(4):e27."""
        if len(self.eheals) != len(eheals_items()) or any(not 1 <= r <= 5 for r in self.eheals):
            return None
        return sum(self.eheals)


@functools.cache
def eheals_scale() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EHEALS_FILE.read_text())
    return data


def eheals_items() -> list[str]:
    items: list[str] = eheals_scale()["items"]
    return items


Setting = Literal["low_bandwidth", "discreet", "reminders", "large_text", "paper_pack"]


@dataclass(frozen=True)
class Configuration:
    """A recommended set-up and, for each setting turned on (or reminders off), the reason in plain words."""

    low_bandwidth: bool
    discreet: bool
    reminders: bool
    large_text: bool
    paper_pack: bool
    reasons: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


REASONS: dict[Setting, Promise] = {
    "low_bandwidth": _("Connection is patchy or data is limited."),
    "discreet": _("Others may see or use the phone."),
    "reminders": _("The client asked for no reminders, or reminders could be seen by others."),
    "large_text": _("Larger text or reading support was asked for."),
    "paper_pack": _("No smartphone, tablet or computer, or paper was preferred."),
}


def recommend(answers: ReadinessAnswers) -> Configuration:
    """Suggest a configuration from the answers; the clinician and client decide whether to apply it."""
    has_screen = bool(set(answers.devices) - {Device.BASIC_PHONE})
    seen = answers.phone_seen_by_others != Seen.NO or Prompt.CONTROLLING_PARTNER in answers.prompts
    settings: dict[Setting, bool] = {
        "low_bandwidth": answers.connectivity != Connectivity.GOOD or answers.data_limited,
        "discreet": seen or answers.device_shared,
        # Reminders stay off when others read the phone: even a wordless notice can give the client away.
        "reminders": answers.wants_reminders and answers.phone_seen_by_others != Seen.YES,
        "large_text": bool({Access.LARGE_TEXT, Access.READING_SUPPORT} & set(answers.access_needs)),
        "paper_pack": not has_screen or Format.PAPER in answers.formats,
    }
    reasons = {
        str(name): str(REASONS[name]) for name, on in settings.items() if (on if name != "reminders" else not on)
    }
    return Configuration(reasons=reasons, **settings)
