"""Forms of the app library pages; the readiness form turns into :class:`ReadinessAnswers`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.applibrary import vocab
from alongside.applibrary.models import Cost
from alongside.applibrary.readiness import (
    Access,
    Connectivity,
    Device,
    Format,
    Prompt,
    ReadinessAnswers,
    Seen,
    eheals_items,
    eheals_scale,
)

ANY = [("", _("Any"))]


class LibraryFilterForm(forms.Form):
    target = forms.ChoiceField(label=_("Helps with"), required=False, choices=ANY + list(vocab.TARGETS.items()))
    evidence = forms.ChoiceField(
        label=_("Evidence"),
        required=False,
        choices=[
            *ANY,
            ("evidence_based", _("Built on an evidence-based approach")),
            ("peer_reviewed", _("Studied in a peer-reviewed paper")),
        ],
    )
    privacy = forms.MultipleChoiceField(
        label=_("Privacy answers that must be yes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(q.code, q.text) for q in vocab.QUESTIONS if q.privacy],
    )
    cost = forms.ChoiceField(label=_("Cost"), required=False, choices=ANY + list(Cost.choices))
    platform = forms.ChoiceField(label=_("Platform"), required=False, choices=ANY + list(vocab.PLATFORMS.items()))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + list(vocab.LANGUAGES.items()))
    withdrawn = forms.BooleanField(label=_("Include withdrawn apps"), required=False)


def _checkboxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple, choices=choices)


class ReadinessForm(forms.Form):
    devices = _checkboxes(_("Which devices do you have?"), Device.choices)
    device_shared = forms.BooleanField(label=_("Do you share your device with someone else?"), required=False)
    connectivity = forms.ChoiceField(label=_("How is your internet?"), choices=Connectivity.choices)
    data_limited = forms.BooleanField(label=_("Is your mobile data limited?"), required=False)
    phone_seen_by_others = forms.ChoiceField(
        label=_("Can other people at home see or use your phone?"), choices=Seen.choices
    )
    formats = _checkboxes(_("How do you like to learn?"), Format.choices)
    wants_reminders = forms.BooleanField(label=_("Would you like reminders?"), required=False)
    access_needs = _checkboxes(_("Would any of these help you?"), Access.choices)

    def __init__(self, *args: Any, clinician: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = list(enumerate(eheals_scale()["options"], start=1))
        for number, item in enumerate(eheals_items(), start=1):
            self.fields[f"eheals_{number}"] = forms.TypedChoiceField(
                label=item, choices=options, coerce=int, widget=forms.RadioSelect, required=False
            )
        if clinician:
            self.fields["prompts"] = _checkboxes(_("Clinical suitability prompts (for the clinician)"), Prompt.choices)

    def eheals_fields(self) -> list[Any]:
        return [self[f"eheals_{n}"] for n in range(1, len(eheals_items()) + 1)]

    def to_answers(self) -> ReadinessAnswers:
        data = self.cleaned_data
        ratings = [data.get(f"eheals_{n}") for n in range(1, len(eheals_items()) + 1)]
        return ReadinessAnswers(
            devices=data["devices"],
            device_shared=data["device_shared"],
            connectivity=data["connectivity"],
            data_limited=data["data_limited"],
            phone_seen_by_others=data["phone_seen_by_others"],
            eheals=[r for r in ratings if r] if all(ratings) else [],
            formats=data["formats"],
            wants_reminders=data["wants_reminders"],
            access_needs=data["access_needs"],
            prompts=data.get("prompts", []),
        )
