"""Sign-in, second factor, sign-up, settings and password reset pages. Logic lives in services."""

from __future__ import annotations

import re
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from alongside.accounts import services, tokens
from alongside.accounts.forms import (
    CodeForm,
    ConfirmPasswordForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignupForm,
    TimeZoneForm,
    TokenForm,
)
from alongside.accounts.middleware import SESSION_MFA_OK, user_zone_name
from alongside.accounts.models import RecoveryCode, TotpDevice, User
from alongside.accounts.signup import signup_request
from alongside.core.session_keys import SESSION_TIME_ZONE

# A password-checked sign-in waiting for its second factor. The person is not signed in yet.
PENDING_USER = "alongside_pending_user"
PENDING_AT = "alongside_pending_at"
PENDING_NEXT = "alongside_pending_next"
PENDING_MINUTES = 10
# At or below this many unused recovery codes, the settings page and the sign-in warn and offer new ones.
RECOVERY_CODES_LOW = 2
_SVG_PARTS = re.compile(r'viewBox="(?P<viewbox>[0-9. ]+)".*?<path d="(?P<path>[MHVZz0-9., -]+)"', re.DOTALL)


def _next_url(request: HttpRequest, fallback: str | None = None) -> str:
    """Return the safe ``next`` of the request, or the fallback (home)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback or resolve_url(settings.LOGIN_REDIRECT_URL)


def _has_device(user: Any) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
        request.session.pop(key, None)


def _pending_user(request: HttpRequest) -> User | None:
    """Return the user whose password was checked in this session and who still owes a code."""
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_MINUTES * 60:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


# --- Sign in and out -------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Check email and password; then ask for the second factor, or sign in."""
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_next_url(request))
    if request.method != "POST":
        if request.GET.get("restart") == "1":
            _clear_pending(request)
        elif _pending_user(request) is not None:
            # A page opened between the password and the code: the pending sign-in waits for its code.
            messages.info(request, _("Enter the code from your authenticator to finish signing in."))
            return redirect("accounts:mfa_verify")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.login_attempt(
            request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if result.user is None:
            form.add_error(None, result.error)
        elif result.needs_mfa:
            if request.user.is_authenticated:
                services.session_end(request=request, reason="new sign-in")
                logout(request)
            request.session.cycle_key()
            request.session[PENDING_USER] = str(result.user.pk)
            request.session[PENDING_AT] = time.time()
            request.session[PENDING_NEXT] = _next_url(request)
            return redirect("accounts:mfa_verify")
        else:
            _clear_pending(request)
            services.session_start(request=request, user=result.user, mfa_verified=False)
            if not result.user.is_client:
                messages.info(request, _("Before you see any client data, set up a second factor for your account."))
                return redirect("accounts:mfa_enrol")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, fallback="")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session (POST only, so that a link cannot sign anyone out)."""
    services.session_end(request=request)
    logout(request)
    messages.info(request, _("You have signed out."))
    response = redirect("accounts:login")
    # Empty the installed app's caches, its queue of unsent check-ins and its service worker on this device.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@sensitive_post_parameters("code")
@never_cache
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor of a pending sign-in (or of a signed-in staff session that lacks it)."""
    pending = _pending_user(request)
    user: User | None
    if pending is not None:
        user = pending
    elif request.user.is_authenticated:
        if request.session.get(SESSION_MFA_OK) or not _has_device(request.user):
            return redirect(_next_url(request))
        user = request.user
    else:
        if request.session.get(PENDING_USER):
            _clear_pending(request)
            messages.error(request, _("Your sign-in took too long. Please sign in again."))
        return redirect("accounts:login")
    assert user is not None
    recovery = request.GET.get("recovery") == "1" or request.POST.get("recovery") == "1"
    form = CodeForm(request.POST or None, recovery=recovery)
    if request.method == "POST" and form.is_valid():
        check = services.mfa_check(user=user, code=form.cleaned_data["code"])
        if check.ok:
            _warn_recovery_codes(request, check.recovery_left)
            if pending is not None:
                next_url = request.session.get(PENDING_NEXT) or resolve_url(settings.LOGIN_REDIRECT_URL)
                _clear_pending(request)
                services.session_start(request=request, user=user, mfa_verified=True)
            else:
                next_url = _next_url(request)
                services.session_mark_mfa(request=request)
            return redirect(next_url)
        if check.paused_until is not None:
            _clear_pending(request)
            if request.user.is_authenticated:
                services.session_end(request=request, reason="too many wrong codes")
                logout(request)
            minutes = max(1, int((check.paused_until - timezone.now()).total_seconds() // 60) + 1)
            messages.error(
                request,
                _("Too many wrong codes. For your safety, please sign in again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            return redirect("accounts:login")
        form.add_error(
            "code",
            ngettext(
                "That code is not right, or it was already used. Try the newest code (%(left)d try left).",
                "That code is not right, or it was already used. Try the newest code (%(left)d tries left).",
                check.left,
            )
            % {"left": check.left},
        )
    return render(
        request,
        "accounts/mfa_verify.html",
        {
            "form": form,
            "recovery": recovery,
            "next": _next_url(request, fallback=""),
            "has_passkeys": user.passkeys.exists(),
        },
    )


def _warn_recovery_codes(request: HttpRequest, left: int | None) -> None:
    """After a recovery code was used, say how many remain, and warn when few or none do."""
    if left is None:
        return
    link = reverse("accounts:settings") + "#recovery-codes"
    if left <= RECOVERY_CODES_LOW:
        text = ngettext("You have %(left)d recovery code left.", "You have %(left)d recovery codes left.", left) % {
            "left": left
        }
        messages.warning(request, format_html('{} <a href="{}">{}</a>', text, link, _("Make new recovery codes")))


# --- Second factor enrolment -----------------------------------------------------------


def _qr_svg(data: str) -> SafeString:
    """Render data as an inline SVG QR code (a single path: no scripts, no style attributes)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    match = _SVG_PARTS.search(image.to_string(encoding="unicode"))
    if match is None:
        raise RuntimeError("Unexpected SVG from qrcode.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" aria-hidden="true" focusable="false">'
        '<path d="{}" fill="#000" /></svg>',
        match["viewbox"],
        match["path"],
    )


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})


@login_required
@sensitive_post_parameters("code")
@never_cache
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: show the secret and its QR code, confirm a code, show recovery codes."""
    user: User = request.user  # type: ignore[assignment]
    if _has_device(user):
        if not user.is_client and not request.session.get(SESSION_MFA_OK):
            return redirect("accounts:mfa_verify")
        messages.info(request, _("You already have an authenticator. Remove it first to set up a new one."))
        return redirect("accounts:settings")
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        device = services.totp_begin(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            services.session_mark_mfa(request=request)
            return _codes_page(request, codes, next_url=_next_url(request))
        form.add_error("code", _("That code is not right. Check the time on your phone and type the newest code."))
    context = {
        "form": form,
        "secret": _group(device.secret),
        "qr": _qr_svg(services.totp_uri(device)),
        "next": _next_url(request, fallback=""),
        "required": not user.is_client,
    }
    return render(request, "accounts/mfa_enrol.html", context)


# --- Sign up ---------------------------------------------------------------------------


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """Start a practice: email a link to choose the password (the answer never tells who has an account)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signup_request(
            email=data["email"],
            name=data["name"],
            practice_name=data["practice_name"],
            base_url=request.build_absolute_uri("/"),
            locale=getattr(request, "LANGUAGE_CODE", ""),
        )
        return render(request, "accounts/signup_sent.html")
    return render(request, "accounts/signup.html", {"form": form})


# --- Account settings ------------------------------------------------------------------


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2", "password", "token-password")
@never_cache
def account_settings(request: HttpRequest) -> HttpResponse:
    """Change the password, and manage the authenticator and recovery codes."""
    user: User = request.user  # type: ignore[assignment]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    password_form = PasswordChangeForm(user, request.POST if action == "password" else None)
    confirm_form = ConfirmPasswordForm(
        request.POST if action in ("mfa_remove", "codes") else None, user=user, prefix=action or "confirm"
    )
    if action == "password" and password_form.is_valid():
        services.password_set(user=user, password=password_form.cleaned_data["new_password1"], actor=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed. Your access tokens no longer work."))
        return redirect("accounts:settings")
    if action == "mfa_remove" and confirm_form.is_valid():
        services.totp_remove(user=user, actor=user)
        request.session[SESSION_MFA_OK] = False
        messages.success(request, _("Your authenticator has been removed."))
        return redirect("accounts:mfa_enrol" if not user.is_client else "accounts:settings")
    if action == "codes" and confirm_form.is_valid() and _has_device(user):
        codes = services.recovery_codes_regenerate(user=user)
        return _codes_page(request, codes, next_url=reverse("accounts:settings"))
    new_token = None
    token_form = TokenForm(request.POST if action == "token_create" else None, user=user)
    if action == "token_create" and token_form.is_valid():
        try:
            if _has_device(user) and not request.session.get(SESSION_MFA_OK):
                raise ValidationError(_("Confirm your second factor in this session before you make a token."))
            new_token = tokens.token_create(
                actor=user, name=token_form.cleaned_data["token_name"], scope=token_form.cleaned_data["scope"]
            )
        except ValidationError as error:
            token_form.add_error(None, error)
        else:
            token_form = TokenForm(user=user)
    zone_form = TimeZoneForm(request.POST if action == "time_zone" else None, initial={"time_zone": user.time_zone})
    if action == "time_zone" and zone_form.is_valid():
        services.user_time_zone_set(user=user, time_zone=zone_form.cleaned_data["time_zone"], actor=user)
        request.session[SESSION_TIME_ZONE] = user_zone_name(user)
        messages.success(request, _("Your time zone is saved."))
        return redirect("accounts:settings")
    if action == "token_revoke":
        tokens.token_revoke(actor=user, token_id=request.POST.get("token_id", ""))
        messages.success(request, _("The token is revoked and no longer works."))
        return redirect("accounts:settings")
    context = {
        "new_token": new_token,
        "token_form": token_form,
        "token_needs_mfa": not user.is_client and not _has_device(user),
        "token_days": settings.ALONGSIDE_TOKEN_DAYS,
        "tokens": tokens.tokens_of(user=user),
        "password_form": password_form,
        "remove_form": confirm_form if action != "codes" else ConfirmPasswordForm(user=user, prefix="mfa_remove"),
        "codes_form": confirm_form if action == "codes" else ConfirmPasswordForm(user=user, prefix="codes"),
        "has_device": _has_device(user),
        "codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "codes_low": RECOVERY_CODES_LOW,
        "zone_form": zone_form,
        "zone_in_use": user_zone_name(user),
    }
    return render(request, "accounts/settings.html", context)


# --- Password reset --------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Email a reset link; the email carries the link only, never clinical content."""

    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The same answer, and the same work, for every address (issue #11, finding 7).
        email = form.cleaned_data["email"].strip().lower()
        users = list(form.get_users(email))
        services.password_reset_request(
            email=email, users=users, send_links=lambda: super(PasswordResetView, self).form_valid(form)
        )
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link, and audit the change."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        assert self.user is not None
        services.password_set(user=self.user, password=form.cleaned_data["new_password1"], actor=None, via="reset")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
