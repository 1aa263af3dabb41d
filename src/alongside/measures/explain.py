"""A client's score in plain words: our wording around the instrument's published bands. Never a diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.measures import library
from alongside.measures.library.types import tidy

# What each instrument asks about, in our words, completing "This questionnaire asks about ...".
ABOUT = {
    "phq9": gettext_lazy("low mood and the problems that often come with it, such as sleep, energy and interest"),
    "phq2": gettext_lazy("low mood and loss of interest"),
    "gad7": gettext_lazy("worry, nervousness and feeling on edge"),
    "gad2": gettext_lazy("worry and feeling nervous"),
    "pcl5": gettext_lazy("reactions that can follow a very stressful experience"),
    "who5": gettext_lazy("your general sense of wellbeing"),
    "k10": gettext_lazy("feelings of distress, such as nervousness, restlessness and low mood"),
    "dass21": gettext_lazy("low mood, anxiety and stress"),
    "pss10": gettext_lazy("how stressful your life has felt"),
    "auditc": gettext_lazy("drinking alcohol"),
    "phq15": gettext_lazy("physical symptoms, such as pain, tiredness and trouble sleeping"),
    "wsas": gettext_lazy("how your difficulties affect work, home life and time with others"),
    "core10": gettext_lazy("how you have been coping, your mood and your relationships"),
    "cssrs": gettext_lazy("thoughts of not wanting to be alive"),
}

# Published band names, translated for the client. The instrument's own names stay in its data file.
BANDS = {
    "minimal": gettext_lazy("minimal"),
    "mild": gettext_lazy("mild"),
    "low": gettext_lazy("low"),
    "healthy": gettext_lazy("healthy"),
    "medium": gettext_lazy("medium"),
    "moderate": gettext_lazy("moderate"),
    "moderate-severe": gettext_lazy("moderate to severe"),
    "moderately severe": gettext_lazy("moderately severe"),
    "high": gettext_lazy("high"),
    "very high": gettext_lazy("very high"),
    "severe": gettext_lazy("severe"),
    "likely depression": gettext_lazy("low wellbeing"),
    "poor wellbeing": gettext_lazy("poor wellbeing"),
    "subclinical": gettext_lazy("little effect on daily life"),
    "significant impairment": gettext_lazy("a clear effect on daily life"),
    "moderately severe or worse": gettext_lazy("a large effect on daily life"),
}


@dataclass(frozen=True)
class Explanation:
    """Sentences to show a client under their score."""

    headline: str
    sentences: tuple[str, ...]


def explain(code: str, total: float | None, severity: str) -> Explanation | None:
    """Return plain words for a score, or None when the instrument has no score to explain."""
    try:
        instrument = library.get(code)
    except LookupError:
        return None
    if total is None or not instrument.has_total:
        return None
    name = instrument.short_name or instrument.name
    shown = tidy(total)
    if instrument.total_max is not None:
        headline = _("Your %(name)s score is %(score)s out of %(max)s.") % {
            "name": name,
            "score": shown,
            "max": tidy(instrument.total_max),
        }
    else:
        headline = _("Your %(name)s score is %(score)s.") % {"name": name, "score": shown}
    sentences: list[str] = []
    about = ABOUT.get(instrument.code)
    if about:
        sentences.append(_("This questionnaire asks about %(about)s.") % {"about": about})
    if instrument.higher_is_better:
        sentences.append(_("A higher score means you have been feeling better."))
    else:
        sentences.append(_("A higher score means these things have troubled you more."))
    band = next((b for b in instrument.bands if b.label.lower() == (severity or "").lower()), None)
    if band is not None:
        words = BANDS.get(band.label.lower(), band.label)
        sentences.append(
            _("Scores from %(low)s to %(high)s are in the range called “%(band)s”.")
            % {"low": tidy(band.low), "high": tidy(band.high), "band": words}
        )
    sentences.append(
        _(
            "A score is not a diagnosis. It is one way of seeing how things have been lately, "
            "and it helps you and your care team notice change over time. "
            "Your care team will look at it and can talk it over with you."
        )
    )
    return Explanation(headline=headline, sentences=tuple(sentences))
