"""Forms of the consent pages: a typed-name signature and the sharing choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.consent.models import SCOPE_HELP, Scope


def scope_field_name(scope: str) -> str:
    return f"share_{scope}"


class SharingForm(forms.Form):
    """One checkbox per sharing scope, each with its plain-language explanation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Scope.choices:
            self.fields[scope_field_name(value)] = forms.BooleanField(
                label=label, required=False, help_text=SCOPE_HELP[Scope(value)]
            )

    def scope_fields(self) -> list[forms.BoundField]:
        return [self[scope_field_name(value)] for value in Scope.values]

    def chosen(self) -> dict[str, bool]:
        """Return every scope with whether it was ticked."""
        return {value: bool(self.cleaned_data.get(scope_field_name(value))) for value in Scope.values}


class ConsentSignForm(SharingForm):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=150,
        help_text=_("Typing your name here is your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    shown_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
