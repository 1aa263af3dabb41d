"""The notification choices form: one in-app and one email checkbox per kind; alerts cannot be switched off."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.notify.selectors import Choice


def field_names(choice: Choice) -> tuple[str, str]:
    return f"{choice.kind.value}_in_app", f"{choice.kind.value}_email"


class PreferencesForm(forms.Form):
    """Built from the person's kinds; locked kinds get no fields (the page shows them as always on)."""

    def __init__(self, *args: Any, choices: list[Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            if choice.locked:
                continue
            in_app, email = field_names(choice)
            self.fields[in_app] = forms.BooleanField(required=False, initial=choice.in_app, label=choice.kind.label)
            self.fields[email] = forms.BooleanField(required=False, initial=choice.email, label=choice.kind.label)

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind for the template: the choice and its bound fields (None when locked)."""
        out = []
        for choice in self.choices:
            in_app, email = field_names(choice)
            out.append(
                {
                    "choice": choice,
                    "in_app": None if choice.locked else self[in_app],
                    "email": None if choice.locked else self[email],
                }
            )
        return out

    def cleaned_choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            choice.kind.value: (
                bool(self.cleaned_data.get(field_names(choice)[0])),
                bool(self.cleaned_data.get(field_names(choice)[1])),
            )
            for choice in self.choices
            if not choice.locked
        }
