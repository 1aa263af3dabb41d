"""Forms of the staff measures pages: acknowledging an alert and setting schedules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.measures import library
from alongside.measures.models import ScheduleRule

# Practice defaults: the usual NHS Talking Therapies pairing, asked every two weeks or before each session.
PRACTICE_DEFAULTS: dict[str, tuple[tuple[str, ...], ScheduleRule, int | None]] = {
    "phq9_gad7_fortnightly": (("phq9", "gad7"), ScheduleRule.EVERY_N_DAYS, 14),
    "phq9_gad7_sessions": (("phq9", "gad7"), ScheduleRule.BEFORE_SESSION, None),
}
# The practice's own default (set by an admin on the questionnaire settings page), offered when it has one.
PRACTICE_OWN_DEFAULT = "practice"
DEFAULT_CHOICES = [
    ("", _("None: use my choices below")),
    ("phq9_gad7_fortnightly", _("PHQ-9 and GAD-7 every 14 days")),
    ("phq9_gad7_sessions", _("PHQ-9 and GAD-7 before each session")),
]


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What you did or will do. Required. Kept in the client's record."),
    )


def _instrument_choices(practice: Any = None) -> list[tuple[str, str]]:
    from alongside.measures.practice_selectors import practice_instruments

    instruments = practice_instruments(practice) if practice is not None else library.all_instruments()
    not_validated = _("not validated")
    return [(i.code, f"{i.short_name}: {i.name}" + ("" if i.validated else f" ({not_validated})")) for i in instruments]


class ScheduleForm(forms.Form):
    default = forms.ChoiceField(label=_("Practice default"), choices=DEFAULT_CHOICES, required=False)
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires"), widget=forms.CheckboxSelectMultiple, choices=(), required=False
    )
    rule = forms.ChoiceField(
        label=_("How often"), choices=ScheduleRule.choices, initial=ScheduleRule.EVERY_N_DAYS, required=False
    )
    interval_days = forms.IntegerField(
        label=_("Every how many days"), min_value=1, max_value=366, required=False, initial=14
    )
    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Today if empty.")
    )
    ends_on = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Optional.")
    )

    def __init__(self, *args: Any, practice: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = _instrument_choices(practice)  # type: ignore[attr-defined]
        self.practice_default = None
        if practice is not None:
            from alongside.measures.practice_selectors import practice_default_schedule

            self.practice_default = practice_default_schedule(practice)
        if self.practice_default is not None:
            label = _("This practice's default: %(code)s, %(rule)s") % {
                "code": self.practice_default.instrument,
                "rule": self.practice_default.rule.label,
            }
            self.fields["default"].choices = [  # type: ignore[attr-defined]
                *DEFAULT_CHOICES[:1],
                (PRACTICE_OWN_DEFAULT, label),
                *DEFAULT_CHOICES[1:],
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = data.get("default")
        if default == PRACTICE_OWN_DEFAULT and self.practice_default is not None:
            own = self.practice_default
            data.update(instruments=[own.instrument], rule=own.rule, interval_days=own.interval_days)
            return data
        if default in PRACTICE_DEFAULTS:
            codes, default_rule, interval = PRACTICE_DEFAULTS[default]
            data.update(instruments=list(codes), rule=default_rule, interval_days=interval)
            return data
        if not data.get("instruments"):
            self.add_error("instruments", _("Choose at least one questionnaire, or a practice default."))
        rule = data.get("rule")
        if not rule:
            self.add_error("rule", _("Choose how often to ask."))
        elif rule == ScheduleRule.EVERY_N_DAYS and not data.get("interval_days"):
            self.add_error("interval_days", _("Say every how many days."))
        starts_on: dt.date | None = data.get("starts_on")
        ends_on: dt.date | None = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data
