"""Forms of the practice measure settings pages (admins): settings, crisis lines, questionnaire import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.measures.models import ScheduleRule
from alongside.measures.schemas import MAX_CRISIS_ROWS


class PracticeSettingsForm(forms.Form):
    escalation_minutes = forms.IntegerField(
        label=_("Escalate unacknowledged alerts after (minutes)"),
        min_value=5,
        max_value=7 * 24 * 60,
        help_text=_("The practice admins are told when no clinician has acknowledged an alert in this time."),
    )
    quiet_start = forms.TimeField(label=_("Quiet hours start"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("No reminders are sent between these times, in each client's time zone."),
    )
    clients_see_results = forms.BooleanField(
        label=_("Clients see their score explained when they finish"),
        required=False,
        help_text=_("Clinicians always see scores."),
    )
    default_instrument = forms.ChoiceField(label=_("Practice default questionnaire"), required=False, choices=())
    default_rule = forms.ChoiceField(
        label=_("Practice default: how often"), required=False, choices=[("", "—"), *ScheduleRule.choices]
    )
    default_interval_days = forms.IntegerField(
        label=_("Practice default: every how many days"), min_value=1, max_value=366, required=False
    )

    def __init__(self, *args: Any, instruments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_instrument"].choices = [("", _("None")), *instruments]  # type: ignore[attr-defined]


class CrisisRowForm(forms.Form):
    country = forms.CharField(
        label=_("Country"), required=False, max_length=2, help_text=_("Two letters, e.g. US; empty for every country.")
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=120)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    text = forms.CharField(label=_("Text"), required=False, max_length=32)
    url = forms.CharField(label=_("Web address"), required=False, max_length=300)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


CrisisRowFormSet = forms.formset_factory(CrisisRowForm, extra=0, max_num=MAX_CRISIS_ROWS, absolute_max=MAX_CRISIS_ROWS)


class ImportForm(forms.Form):
    questionnaire = forms.FileField(
        label=_("FHIR Questionnaire (JSON file)"),
        help_text=_("One FHIR R4 Questionnaire, at most 256 KB; every item needs answers with whole-number values."),
    )
