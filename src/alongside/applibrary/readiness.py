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


@dataclass(frozen=True)
class Source:
    """A published source behind a prompt or rule: what it says that matters here, where, and when it was checked."""

    citation: str
    url: str
    supports: str | Promise  # our own summary, translated; the citation stays in its own language
    checked: str = "2026-12-06"
    language: str = "en"  # the citation's language (marked on the page for screen readers)


# Each prompt's source, found and read (abstract or recommendations page) on the date given. They support asking
# the question; none sets a rule to refuse an app, and the prompts stay prompts.
PROMPT_SOURCES: dict[str, tuple[Source, ...]] = {
    Prompt.ACUTE_RISK: (
        Source(
            "NICE. Depression in adults: treatment and management (NG222), 2022. Recommendations.",
            "https://www.nice.org.uk/guidance/ng222/chapter/Recommendations",
            _(
                "Self-help and digital CBT are offered as options for less severe depression; the guideline asks for "
                "an assessment of risk and a plan when there is risk of suicide."
            ),
        ),
    ),
    Prompt.PSYCHOSIS_MANIA: (
        Source(
            "Nicholas J, Larsen ME, Proudfoot J, Christensen H. Mobile apps for bipolar disorder: a systematic "
            "review of features and content quality. J Med Internet Res. 2015;17(8):e198.",
            "https://www.jmir.org/2015/8/e198/",
            _(
                "Of 82 public bipolar apps, few followed treatment guidelines and 22% had a privacy policy: "
                "self-guided apps in bipolar disorder need a clinician's review."
            ),
        ),
        Source(
            "Leveraging personal technologies in the treatment of schizophrenia spectrum disorders: scoping "
            "review. JMIR Ment Health. 2024;11:e57150. doi:10.2196/57150.",
            "https://mental.jmir.org/2024/1/e57150",
            _(
                "Less digital health research exists for schizophrenia spectrum disorders than for other conditions, "
                "and the feasibility, efficacy and clinical integration of these technologies remain largely unknown."
            ),
        ),
        Source(
            "Camacho E, Levin L, Torous J. Smartphone apps to support coordinated specialty care for prodromal "
            "and early course schizophrenia disorders: systematic review. J Med Internet Res. 2019;21(11):e16393.",
            "https://jmir.org/2019/11/e16393",
            _(
                "Reviews smartphone apps for prodromal and early psychosis by the roles of coordinated specialty "
                "care they support (the clinician-led team's care), and how much evidence each has."
            ),
        ),
    ),
    Prompt.COGNITIVE: (
        Source(
            "Engelsma T, Jaspers MWM, Peute LW. Considerate mHealth design for older adults with Alzheimer's "
            "disease and related dementias: a scoping review on usability barriers and design suggestions. "
            "Int J Med Inform. 2021:104494.",
            "https://doi.org/10.1016/j.ijmedinf.2021.104494",
            _("Usability barriers of mobile health apps for people with cognitive impairment, and simpler designs."),
        ),
        Source(
            "Seifert A, Reinwand DA, Schlomann A. Designing and using digital mental health interventions for "
            "older adults: being aware of digital inequality. Front Psychiatry. 2019;10:568.",
            "https://www.frontiersin.org/articles/10.3389/fpsyt.2019.00568/full",
            _("Older adults not at ease with new technology meet barriers; offer support and other routes."),
        ),
    ),
    Prompt.CONTROLLING_PARTNER: (
        Source(
            "Freed D, Palmer J, Minchala D, Levy K, Ristenpart T, Dell N. 'A Stalker's Paradise': how intimate "
            "partner abusers exploit technology. CHI 2018. doi:10.1145/3173574.3174241.",
            "https://doi.org/10.1145/3173574.3174241",
            _(
                "Abusers often use the victim's own phone and accounts through ordinary screens, or install spyware: "
                "what an app shows or notifies can be seen."
            ),
        ),
    ),
}

# The readiness rules below are Alongside's own design, not clinical cut-offs: they follow the APA App Evaluation
# Model's first level (access: cost, platforms, offline use, checked 2026-12-06 at
# https://www.psychiatry.org/psychiatrists/practice/mental-health-apps/the-app-evaluation-model) and the digital
# divide (Seifert et al. 2019, above). The eHEALS total is the only score: Norman & Skinner 2006 (see eheals.json).
RULE_SOURCES: tuple[Source, ...] = (
    Source(
        "American Psychiatric Association. The App Evaluation Model (App Advisor).",
        "https://www.psychiatry.org/psychiatrists/practice/mental-health-apps/the-app-evaluation-model",
        _(
            "Start from access and background: platforms, cost, offline use; then privacy, evidence, ease of use "
            "and interoperability. No level is a pass mark."
        ),
    ),
    Source(
        "Norman CD, Skinner HA. eHEALS: The eHealth Literacy Scale. J Med Internet Res. 2006;8(4):e27.",
        "https://www.jmir.org/2006/4/e27/",
        _("Eight items rated 1-5, summed to 8-40; the paper sets no cut-off, so Alongside shows the total only."),
    ),
    # The paper's own item table could not be read (checked 2026-12-06: only its abstract in the copies found), so
    # each item was compared with this study and the other sources listed in eheals.json ("item_comparison").
    Source(
        "Dale JG, Lüthi A, Fundingsland Skaraas B, Rundereim T, Dale B. Testing measurement properties of the "
        "Norwegian version of Electronic Health Literacy Scale (eHEALS) in a group of day surgery patients. "
        "J Multidiscip Healthc. 2020;13:241-247.",
        "https://doi.org/10.2147/JMDH.S242985",
        _(
            "Gives the eight English items in the order used here. Its items 4 and 7 are worded more briefly "
            "('answer my health questions', 'tell high-quality from low-quality health resources'); Alongside keeps "
            "the longer wording found in public transcriptions until the paper's own item table is compared."
        ),
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
        """The eHEALS total, the sum of the eight items (8-40): Norman & Skinner 2006, J Med Internet Res 8(4):e27.

        The 1-5 rating and the 8-40 sum agree with every source compared in eheals.json (checked 2026-12-06).
        """
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
