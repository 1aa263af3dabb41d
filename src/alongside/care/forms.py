"""Forms of the practice pages. They validate input; services do the work."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.care.models import EpisodeEndReason, InvitationRole
from alongside.core.zones import ZoneField

_PHONE = re.compile(r"\+?[0-9 ()\-]{5,40}")


class ClientInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), help_text=_("The invitation link is sent here."))
    preferred_name = forms.CharField(
        label=_("Preferred name"), max_length=100, help_text=_("The name the client likes to be called.")
    )
    locale = forms.ChoiceField(label=_("Language"), choices=())
    time_zone = ZoneField()

    def __init__(self, *args: Any, default_time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = cast(forms.ChoiceField, self.fields["locale"])
        locale.choices = [(code, label) for code, label in settings.LANGUAGES]
        self.fields["time_zone"].initial = default_time_zone
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (InvitationRole.CLINICIAN, InvitationRole.CLINICIAN.label),
            (InvitationRole.ADMIN, InvitationRole.ADMIN.label),
        ],
        initial=InvitationRole.CLINICIAN,
        help_text=_("Admins invite staff, edit the consent document and may erase clients."),
    )


class ConsentDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text; separate paragraphs with a blank line. Every client is asked to sign the new version."
        ),
    )


class ClientEraseForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type the client's email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, help_text=_("Shown to clients and colleagues."))
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few unrelated words make a strong password."),
    )
    password_again = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, needs_name: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_name:
            del self.fields["name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class ClientDetailsForm(forms.Form):
    """A client's names, phone and emergency contact, as the care team edits them (all encrypted)."""

    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, help_text=_("So the care team can call when it matters.")
    )
    emergency_contact_name = forms.CharField(label=_("Emergency contact"), max_length=200, required=False)
    emergency_contact_phone = forms.CharField(label=_("Emergency contact's phone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("phone", "emergency_contact_phone"):
            value = (data.get(name) or "").strip()
            if value and not _PHONE.fullmatch(value):
                self.add_error(name, _("Use digits, spaces and + ( ) - only, for example +44 20 7946 0000."))
        return data


class ClientDischargeForm(forms.Form):
    """End the open episode of care with a reason and discharge the client."""

    ended_on = forms.DateField(label=_("Last day of care"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Why care ended"), choices=EpisodeEndReason.choices)


class ClientReopenForm(forms.Form):
    """Start a new episode of care for a discharged client."""

    started_on = forms.DateField(
        label=_("First day of the new episode"), widget=forms.DateInput(attrs={"type": "date"})
    )
