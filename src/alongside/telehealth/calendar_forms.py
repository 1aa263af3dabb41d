"""Forms of the calendar pages: the usual week, one day's hours, blocked time, booking rules, guests."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from alongside.telehealth.calendar_models import GuestRole

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


class WeekHoursForm(forms.Form):
    """One stretch per weekday: a start and an end, both empty for a day without hours."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for day in range(7):
            name = str(WEEKDAYS[day])
            self.fields[f"start_{day}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": name}, required=False, widget=TIME
            )
            self.fields[f"end_{day}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": name}, required=False, widget=TIME
            )

    def rows(self) -> list[tuple[int, dt.time, dt.time]]:
        found = []
        for day in range(7):
            start, end = self.cleaned_data.get(f"start_{day}"), self.cleaned_data.get(f"end_{day}")
            if start and end:
                found.append((day, start, end))
            elif start or end:
                self.add_error(f"end_{day}", _("Give both the start and the end, or neither."))
        return found

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"start_{day}"], self[f"end_{day}"]) for day in range(7)]


class DayExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("From"), required=False, widget=TIME, help_text=_("Leave empty for a day off."))
    end = forms.TimeField(label=_("Until"), required=False, widget=TIME)


class BlockForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("From"), widget=TIME)
    end = forms.TimeField(label=_("Until"), widget=TIME)


class BookingPolicyForm(forms.Form):
    allow_self_booking = forms.BooleanField(label=_("Clients may book their own sessions"), required=False)
    notice_hours = forms.IntegerField(label=_("Book at least this many hours ahead"), min_value=0, max_value=336)
    cancel_hours = forms.IntegerField(
        label=_("Clients may cancel up to this many hours before"), min_value=0, max_value=336
    )
    horizon_days = forms.IntegerField(label=_("Offer times up to this many days ahead"), min_value=1, max_value=180)
    duration_minutes = forms.IntegerField(label=_("Length of a booked session (minutes)"), min_value=15, max_value=180)


class GuestForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's sign-in email"))
    role = forms.ChoiceField(label=_("Joins as"), choices=GuestRole.choices)
