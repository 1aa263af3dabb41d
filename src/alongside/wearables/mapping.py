"""The web form for a client's CSV column mapping, typed in by the client (a clinician picks from the columns of
one of the client's files instead: ``csv_import.client_csv_pick``).

The form only collects text; :func:`~alongside.wearables.services.wearables_csv_mapping_save` validates it
with the same pydantic model the CSV importer reads it with, and its messages are shown beside the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from alongside.access import Action, client_or_404
from alongside.care.models import ClientProfile
from alongside.care.views import client_required
from alongside.core.actor import signed_in
from alongside.wearables.models import CsvMapping
from alongside.wearables.samples import Kind
from alongside.wearables.services import wearables_csv_mapping_save

# The kinds a CSV column can hold, in the order the form shows them (the vendor's daily summary is not one).
KIND_LABELS: dict[Kind, Any] = {
    Kind.STEPS: gettext_lazy("Steps"),
    Kind.HEART_RATE: gettext_lazy("Heart rate (beats per minute)"),
    Kind.RESTING_HR: gettext_lazy("Resting heart rate (beats per minute)"),
    Kind.HRV_SDNN: gettext_lazy("Heart-rate variability, SDNN (ms)"),
    Kind.HRV_RMSSD: gettext_lazy("Heart-rate variability, RMSSD (ms)"),
    Kind.EXERCISE_MIN: gettext_lazy("Exercise (minutes)"),
    Kind.WORKOUT: gettext_lazy("Workout (minutes)"),
    Kind.SLEEP_IN_BED: gettext_lazy("In bed (any value marks the row's time as in bed)"),
    Kind.SLEEP_ASLEEP: gettext_lazy("Asleep (any value marks the row's time as asleep)"),
    Kind.SLEEP_CORE: gettext_lazy("Core sleep"),
    Kind.SLEEP_DEEP: gettext_lazy("Deep sleep"),
    Kind.SLEEP_REM: gettext_lazy("REM sleep"),
    Kind.SLEEP_AWAKE: gettext_lazy("Awake during the night"),
    Kind.SLEEP_SCORE: gettext_lazy("Sleep score (0-100)"),
}


class MappingForm(forms.Form):
    time = forms.CharField(
        label=gettext_lazy("Column with each row's time"),
        max_length=100,
        help_text=gettext_lazy("The column's name exactly as in the file's first line, for example timestamp."),
    )
    end = forms.CharField(
        label=gettext_lazy("Column with the end time (if there is one)"), max_length=100, required=False
    )
    minutes = forms.FloatField(
        label=gettext_lazy("Or: minutes each row covers"),
        min_value=0,
        max_value=1440,
        initial=0,
        help_text=gettext_lazy("Used when there is no end column; 0 for a single moment."),
    )
    time_format = forms.CharField(
        label=gettext_lazy("How times are written (optional)"),
        max_length=40,
        required=False,
        help_text=format_lazy(
            "{} %d/%m/%Y %H:%M",  # Python's strptime codes, the same in every language
            gettext_lazy(
                "Leave empty for times like 2024-03-10 08:00 or 2024-03-10T08:00:00+01:00. Otherwise, for example:"
            ),
        ),
    )
    zone = forms.CharField(
        label=gettext_lazy("Time zone of times written without an offset"),
        max_length=64,
        initial="UTC",
        help_text=gettext_lazy("For example Europe/Madrid or America/Mexico_City."),
    )
    source = forms.CharField(
        label=gettext_lazy("Name for this source"),
        max_length=60,
        initial="CSV",
        help_text=gettext_lazy("Shown beside the imports, for example the app that wrote the file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in KIND_LABELS.items():
            self.fields[f"column_{kind.value}"] = forms.CharField(label=label, max_length=100, required=False)

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{kind.value}"] for kind in KIND_LABELS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any((cleaned.get(f"column_{kind.value}") or "").strip() for kind in KIND_LABELS):
            raise forms.ValidationError(_("Name at least one column that holds measurements."))
        return cleaned

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "time": data["time"].strip(),
            "end": (data.get("end") or "").strip() or None,
            "minutes": data["minutes"],
            "time_format": (data.get("time_format") or "").strip() or None,
            "zone": data["zone"].strip(),
            "source": data["source"].strip(),
            "columns": {
                kind.value: value.strip()
                for kind in KIND_LABELS
                if (value := data.get(f"column_{kind.value}") or "").strip()
            },
        }


def _initial(client: ClientProfile) -> dict[str, Any]:
    saved = CsvMapping.objects.filter(client=client).first()
    if saved is None:
        return {}
    mapping = dict(saved.mapping)
    columns = mapping.pop("columns", {})
    return {
        **{key: value for key, value in mapping.items() if value is not None},
        **{f"column_{kind}": name for kind, name in columns.items()},
    }


def save_mapping(request: HttpRequest, client: ClientProfile, form: Any) -> bool:
    """Save ``form``'s mapping for ``client``; when it is refused, put the reason on the form and return False."""
    try:
        wearables_csv_mapping_save(actor=signed_in(request.user), client=client, mapping=form.mapping())
    except ValidationError as error:
        for problem in error.errors():
            form.add_error(None, _("The mapping was not saved: %(problem)s") % {"problem": problem["msg"]})
    except PermissionDenied as error:
        form.add_error(None, str(error))
    else:
        return True
    return False


def _handle(
    request: HttpRequest, client: ClientProfile, template: str, done: str, extra: dict[str, Any]
) -> HttpResponse:
    form = MappingForm(request.POST or None, initial=_initial(client))
    if request.method == "POST" and form.is_valid() and save_mapping(request, client, form):
        messages.success(request, _("The CSV column mapping is saved. CSV files are read with it from now on."))
        return redirect(done)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, "client": client, **extra}, status=status)


@client_required
@require_http_methods(["GET", "POST"])
def my_csv_mapping(request: HttpRequest) -> HttpResponse:
    """The client's own CSV column mapping."""
    client = client_or_404(request.user, str(request.user.pk), Action.OWN)
    return _handle(request, client, "wearables/csv_mapping.html", reverse("wearables:mine"), {"staff": False})
