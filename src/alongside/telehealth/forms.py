"""Forms for recurring sessions: local dates and times in the practice's time zone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.sessions.forms import AppointmentForm
from alongside.telehealth.models import Frequency


class SeriesForm(AppointmentForm):
    interval_weeks = forms.TypedChoiceField(label=_("Repeat"), choices=Frequency.choices, coerce=int, initial=1)
    count = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=52, required=False, help_text=_("Or give a last date.")
    )
    until = forms.DateField(label=_("Last date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


SCOPES = [
    ("this", _("This session only")),
    ("following", _("This and the following sessions")),
    ("all", _("All sessions of the series still to come")),
]


class SeriesChangeForm(forms.Form):
    scope = forms.ChoiceField(label=_("Apply to"), choices=SCOPES, widget=forms.RadioSelect, initial="this")
    action = forms.ChoiceField(choices=[("move", _("Move")), ("cancel", _("Cancel"))], widget=forms.HiddenInput)
    date = forms.DateField(label=_("New date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("New start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
