"""Codes used by the catalogue: evaluation levels and questions, targets, platforms, exports, languages.

The levels are those of the APA App Evaluation Model (access and background, privacy and security, clinical
foundation, engagement style, therapeutic goal and interoperability). The questions are our own short wording, in
the manner of the M-Health Index and Navigation (MIND) database: each has one yes/no/unknown answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    code: str
    level: str
    text: Promise
    privacy: bool = False  # offered as a filter on the library page


LEVELS: dict[str, Promise] = {
    "access": _("Access and background"),
    "privacy": _("Privacy and security"),
    "clinical": _("Clinical foundation"),
    "engagement": _("Engagement style"),
    "interop": _("Therapeutic goal and interoperability"),
}

QUESTIONS: tuple[Question, ...] = (
    Question("free_to_use", "access", _("Can the core features be used without paying?")),
    Question("works_offline", "access", _("Does it work without an internet connection?")),
    Question("developer_identified", "access", _("Is the developer or owner clearly identified?")),
    Question("privacy_policy", "privacy", _("Is there a privacy policy?"), privacy=True),
    Question("no_account_needed", "privacy", _("Can it be used without creating an account?"), privacy=True),
    Question("data_deletable", "privacy", _("Can users delete their data?"), privacy=True),
    Question("no_third_party_sharing", "privacy", _("Does it say it does not share data with third parties?"), True),
    Question("evidence_based_approach", "clinical", _("Is it built on an evidence-based approach (CBT, mindfulness)?")),
    Question("peer_reviewed_study", "clinical", _("Is there a peer-reviewed study of this app itself?")),
    Question("reminders", "engagement", _("Does it offer reminders?")),
    Question("self_tracking", "engagement", _("Does it offer self-tracking?")),
    Question("data_export", "interop", _("Can the user export their data?")),
    Question("share_with_clinician", "interop", _("Is it designed to share data or reports with a clinician?")),
)
QUESTION_BY_CODE = {q.code: q for q in QUESTIONS}

TARGETS: dict[str, Promise] = {
    "mood": _("Mood tracking"),
    "depression": _("Depression"),
    "anxiety": _("Anxiety"),
    "bipolar": _("Bipolar disorder"),
    "ptsd": _("Post-traumatic stress"),
    "sleep": _("Sleep and insomnia"),
    "mindfulness": _("Mindfulness and meditation"),
    "relaxation": _("Relaxation and breathing"),
    "cbt_skills": _("CBT skills"),
    "coping": _("Coping and distress tolerance"),
    "symptoms": _("Symptom tracking"),
}

PLATFORMS: dict[str, Promise] = {"ios": _("iPhone (iOS)"), "android": _("Android"), "web": _("Web browser")}

EXPORTS: dict[str, Promise] = {
    "csv": _("CSV file"),
    "pdf": _("PDF report"),
    "apple_health": _("Apple Health"),
    "api": _("An API"),
}

LANGUAGES: dict[str, Promise] = {"en": _("English"), "es": _("Spanish"), "fr": _("French"), "de": _("German")}
