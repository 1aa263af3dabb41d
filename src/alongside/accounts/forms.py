"""Forms for signing in, second factors, signing up and account settings.

Django renders ``aria-invalid`` and ``aria-describedby`` (help text and errors) itself;
the widgets here add labels, autocomplete hints and input modes.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import TokenScope, User, UserKind
from alongside.core.zones import ZoneField

# The shapes of a TOTP code and of a recovery code (``services.recovery_codes_regenerate``): a code of
# another shape cannot be right, so it is refused without counting against the tries.
TOTP_SHAPE = re.compile(r"[0-9]{6}")
RECOVERY_SHAPE = re.compile(r"[0-9a-f]{6}-?[0-9a-f]{6}")


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """One code from an authenticator app, or (``recovery=True``) a recovery code."""

    code = forms.CharField(label=_("6-digit code"), max_length=32, strip=True)

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = _("Recovery code")
            field.help_text = _("One of the codes you saved when you set up your authenticator, like 1a2b3c-4d5e6f.")
            field.widget.attrs.update({"autocomplete": "off", "autofocus": True, "spellcheck": "false"})
        else:
            field.help_text = _("Open your authenticator app and type the code it shows for Alongside.")
            field.widget.attrs.update(
                {"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"[0-9 ]*", "autofocus": True}
            )
        self.recovery = recovery

    def clean_code(self) -> str:
        """Refuse a code of the wrong shape here, before it is checked, so it costs no try."""
        code = "".join(str(self.cleaned_data["code"]).split()).lower()
        if self.recovery:
            if not RECOVERY_SHAPE.fullmatch(code):
                raise forms.ValidationError(
                    _("A recovery code is 12 letters and digits, like 1a2b3c-4d5e6f. This did not use up a try.")
                )
            return code if "-" in code else f"{code[:6]}-{code[6:]}"
        if not TOTP_SHAPE.fullmatch(code):
            raise forms.ValidationError(_("The code is 6 digits. This did not use up a try."))
        return code


class SignupForm(forms.Form):
    """Who is starting a practice. The password is chosen from the emailed link (see ``accounts.signup``)."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True})
    )
    practice_name = forms.CharField(
        label=_("Practice name"),
        max_length=200,
        help_text=_("Your clients will see this name. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a link to this address to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SignupPasswordForm(forms.Form):
    """Choose the password of a new practice owner, from the emailed sign-up link."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters. Avoid common passwords and anything close to your name or email."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, name: str, **kwargs: Any) -> None:
        self.candidate = User(email=email, name=name, kind=UserKind.STAFF)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                validate_password(password1, self.candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class ConfirmPasswordForm(forms.Form):
    """Ask for the current password before a sensitive change."""

    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your current password."), code="password_incorrect")
        return password


class TokenForm(ConfirmPasswordForm):
    """Name a new API token and choose what it may do; the current password is asked again."""

    token_name = forms.CharField(label=_("Token name"), max_length=80)
    scope = forms.ChoiceField(
        label=_("What the token may do"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    field_order = ("token_name", "scope", "password")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "token")
        super().__init__(*args, user=user, **kwargs)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email queued in the outbox instead of sent inside the request."""

    def get_users(self, email: str) -> Any:
        """Look the address up once per request (the view and ``save`` both ask): same work for any address."""
        cache: dict[str, list[Any]] = self.__dict__.setdefault("_users_by_email", {})
        if email not in cache:
            cache[email] = list(super().get_users(email))
        return iter(cache[email])

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from alongside.accounts.mail import account_email

        user = context.get("user")
        locale = getattr(user, "locale", "") or ""
        account_email(to=to_email, template="password_reset", context=context, kind="reset", locale=locale)


class TimeZoneForm(forms.Form):
    """The zone a person reads times in; empty follows their practice (staff) or their own profile (clients)."""

    time_zone = ZoneField(
        required=False,
        help_text=_("Every date and time you see is shown in this zone. Leave it empty to use the usual one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        field.choices = [("", _("The usual zone")), *field.choices]  # type: ignore[attr-defined]
