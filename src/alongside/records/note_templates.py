"""The sections of each progress-note template (SOAP, DAP, BIRP), in order, with their labels and prompts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_SECTION = 10_000  # characters in one section


@dataclass(frozen=True)
class Section:
    code: str
    label: Any
    prompt: Any


_PLAN = Section("plan", _("Plan"), _("Next steps, homework, the next session."))

SECTIONS: dict[str, tuple[Section, ...]] = {
    "soap": (
        Section("subjective", _("Subjective"), _("What the client reported, in their words where it matters.")),
        Section("objective", _("Objective"), _("What you observed, and measures such as questionnaire scores.")),
        Section("assessment", _("Assessment"), _("Your clinical reading of the above, including risk.")),
        _PLAN,
    ),
    "dap": (
        Section("data", _("Data"), _("What was reported and observed in the session, with any scores.")),
        Section("assessment", _("Assessment"), _("Your clinical reading of the data, including risk.")),
        _PLAN,
    ),
    "birp": (
        Section("behaviour", _("Behaviour"), _("The client's presentation and what they reported.")),
        Section("intervention", _("Intervention"), _("What you did in the session.")),
        Section("response", _("Response"), _("How the client responded to it.")),
        _PLAN,
    ),
}

# Where "Insert latest scores" puts the client's measures in each template (a practice's: its first section).
MEASURES_SECTION = {"soap": "objective", "dap": "data", "birp": "behaviour"}

# A practice's own templates (defined by its admins, stored in ``PracticeNoteTemplate``).
MAX_SECTIONS = 12
MAX_NAME = 80
MAX_HEADING = 80
MAX_PROMPT = 200


def note_sections(note: Any) -> tuple[Section, ...]:
    """The sections a note was started with: its built-in template's, or the practice template's headings it copied."""
    if note.template in SECTIONS:
        return SECTIONS[note.template]
    return tuple(Section(str(h["code"]), str(h["heading"]), str(h.get("prompt", ""))) for h in note.headings or [])


def measures_section(note: Any) -> str:
    """The code of the section that "Insert latest scores" writes to."""
    if note.template in MEASURES_SECTION:
        return MEASURES_SECTION[note.template]
    return note_sections(note)[0].code


def clean_sections(sections: tuple[Section, ...], given: dict[str, str]) -> dict[str, str]:
    """The sections' texts, in order, each stripped and cut to its limit; unknown keys are dropped."""
    return {s.code: str(given.get(s.code, "") or "").strip()[:MAX_SECTION] for s in sections}
