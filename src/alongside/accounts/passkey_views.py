"""Passkey ceremonies over JSON (the page's script, web/passkeys.js, talks to these) and their removal."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alongside.accounts import passkeys, services, throttle
from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.accounts.models import User
from alongside.accounts.views import PENDING_NEXT, _clear_pending, _has_device, _pending_user

CHALLENGE_ADD = "alongside_passkey_add"
CHALLENGE_CHECK = "alongside_passkey_check"
CHALLENGE_SIGN_IN = "alongside_passkey_sign_in"


def _rp(request: HttpRequest) -> tuple[str, str]:
    """The relying party id (the host, without port) and the exact origin of this request."""
    host = request.get_host()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host, f"{request.scheme}://{host}"


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@login_required
@require_POST
@never_cache
def add_options(request: HttpRequest) -> HttpResponse:
    """Start adding a passkey: only with an authenticator app set up and confirmed in this session."""
    user: User = request.user  # type: ignore[assignment]
    if not _has_device(user) or not request.session.get(SESSION_MFA_OK):
        return JsonResponse({"error": _("Set up your authenticator app first.")}, status=403)
    rp_id, _origin = _rp(request)
    options, challenge = passkeys.passkey_registration_options(user=user, rp_id=rp_id)
    request.session[CHALLENGE_ADD] = challenge
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
@never_cache
def add(request: HttpRequest) -> HttpResponse:
    """Finish adding a passkey with the browser's answer."""
    user: User = request.user  # type: ignore[assignment]
    challenge = request.session.pop(CHALLENGE_ADD, None)
    data = _body(request)
    if not challenge or not isinstance(data.get("credential"), dict):
        return JsonResponse({"error": _("The passkey could not be added. Please try again.")}, status=400)
    rp_id, origin = _rp(request)
    try:
        passkeys.passkey_add(
            user=user,
            name=str(data.get("name", "")),
            credential=data["credential"],
            challenge=challenge,
            rp_id=rp_id,
            origin=origin,
        )
    except passkeys.PasskeyError:
        return JsonResponse({"error": _("The passkey could not be added. Please try again.")}, status=400)
    messages.success(request, _("Your passkey is added. You can use it instead of a code when you sign in."))
    return JsonResponse({"next": reverse("accounts:settings")})


def _who(request: HttpRequest) -> User | None:
    pending = _pending_user(request)
    if pending is not None:
        return pending
    if request.user.is_authenticated and not request.session.get(SESSION_MFA_OK):
        return request.user
    return None


@require_POST
@never_cache
def check_options(request: HttpRequest) -> HttpResponse:
    """Start the passkey check of a sign-in waiting for its second factor."""
    user = _who(request)
    if user is None:
        return JsonResponse({"next": reverse("accounts:login")}, status=403)
    rp_id, _origin = _rp(request)
    options, challenge = passkeys.passkey_authentication_options(user=user, rp_id=rp_id)
    request.session[CHALLENGE_CHECK] = challenge
    return HttpResponse(options, content_type="application/json")


@require_POST
@never_cache
def check(request: HttpRequest) -> HttpResponse:
    """Finish the second factor with a passkey; a failure counts as a wrong code."""
    user = _who(request)
    challenge = request.session.pop(CHALLENGE_CHECK, None)
    data = _body(request)
    if user is None or not challenge or not isinstance(data.get("credential"), dict):
        return JsonResponse({"next": reverse("accounts:login")}, status=403)
    rp_id, origin = _rp(request)
    result = passkeys.passkey_check(
        user=user, credential=data["credential"], challenge=challenge, rp_id=rp_id, origin=origin
    )
    if result.ok:
        if _pending_user(request) is not None:
            next_url = request.session.get(PENDING_NEXT) or resolve_url(settings.LOGIN_REDIRECT_URL)
            _clear_pending(request)
            services.session_start(request=request, user=user, mfa_verified=True)
        else:
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
            services.session_mark_mfa(request=request)
        return JsonResponse({"next": next_url})
    if result.paused_until is not None:
        _clear_pending(request)
        if request.user.is_authenticated:
            services.session_end(request=request, reason="too many wrong codes")
            logout(request)
        messages.error(request, _("Too many failed checks. For your safety, please sign in again later."))
        return JsonResponse({"next": reverse("accounts:login")}, status=403)
    message = ngettext(
        "That passkey was not accepted (%(left)d try left).",
        "That passkey was not accepted (%(left)d tries left).",
        result.left,
    ) % {"left": result.left}
    return JsonResponse({"error": message}, status=400)


@require_POST
@never_cache
def sign_in_options(request: HttpRequest) -> HttpResponse:
    """Start a sign-in with a passkey alone (from the sign-in page; nobody is named yet)."""
    rp_id, _origin = _rp(request)
    options, challenge = passkeys.passkey_sign_in_options(rp_id=rp_id)
    request.session[CHALLENGE_SIGN_IN] = challenge
    return HttpResponse(options, content_type="application/json")


@require_POST
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Finish a sign-in with a passkey alone: both factors at once, so the session needs no code."""
    challenge = request.session.pop(CHALLENGE_SIGN_IN, None)
    data = _body(request)
    if not challenge or not isinstance(data.get("credential"), dict):
        return JsonResponse(
            {"error": _("The passkey step was cancelled or did not work. Please try again.")}, status=400
        )
    rp_id, origin = _rp(request)
    result = passkeys.passkey_sign_in(
        credential=data["credential"],
        challenge=challenge,
        rp_id=rp_id,
        origin=origin,
        ip=throttle.client_address(request),
    )
    if result.user is None:
        return JsonResponse({"error": result.error}, status=400)
    if request.user.is_authenticated:
        services.session_end(request=request, reason="new sign-in")
        logout(request)
    _clear_pending(request)
    services.session_start(request=request, user=result.user, mfa_verified=True, method="passkey")
    next_url = str(data.get("next") or "")
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return JsonResponse({"next": next_url})


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove one of the signed-in person's passkeys (from account settings)."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_client and not request.session.get(SESSION_MFA_OK):
        return redirect("accounts:mfa_verify")
    try:
        passkey_id = str(uuid.UUID(request.POST.get("passkey_id", "")))
    except ValueError:
        passkey_id = ""
    if passkey_id and passkeys.passkey_remove(user=user, passkey_id=passkey_id, actor=user):
        messages.success(request, _("The passkey is removed."))
    return redirect("accounts:settings")
