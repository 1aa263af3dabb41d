"""Forms for appointments: a local date and time in the staff member's practice time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.time import zone_or_utc
from alongside.sessions.models import MAX_MINUTES, MIN_MINUTES

zone_of = zone_or_utc  # the one copy lives in core.time


def local_moment(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Return the aware moment of a wall time; one skipped by a DST change moves forward past the gap."""
    aware = dt.datetime.combine(day, at).replace(tzinfo=zone)
    return aware.astimezone(dt.UTC).astimezone(zone)


class AppointmentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=50
    )

    def starts_at(self, zone: ZoneInfo) -> dt.datetime:
        """The chosen start as an aware moment in ``zone`` (call after ``is_valid``)."""
        return local_moment(self.cleaned_data["date"], self.cleaned_data["time"], zone)


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[("attended", _("Attended")), ("no_show", _("Did not attend"))])
