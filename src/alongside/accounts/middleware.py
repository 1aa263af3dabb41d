"""Session rules for staff: idle and absolute timeouts, and a second factor before any data."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.core.session_keys import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

# Paths a signed-in person may reach before MFA or consent is settled (crisis help included).
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon", "/measures/help/")

# Last activity is written to the session at most this often (seconds), not on every request: each write is
# a database commit and a new cookie. A session can so end up to this much before the exact idle limit.
SEEN_RESOLUTION = 30


def is_open_path(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES)


def staff_session_expired(session: Any, *, now: float, last_activity: float | None = None) -> bool:
    """Whether a staff session is past its idle or absolute limit (``last_activity``: e.g. a live socket's)."""
    seen = max(float(session.get(SESSION_SEEN_AT, now)), last_activity or 0.0)
    auth_at = float(session.get(SESSION_AUTH_AT, now))
    idle_limit = settings.ALONGSIDE_STAFF_IDLE_MINUTES * 60
    absolute_limit = settings.ALONGSIDE_STAFF_ABSOLUTE_HOURS * 3600
    return now - seen > idle_limit or now - auth_at > absolute_limit


class SessionTimeoutMiddleware:
    """End staff sessions after a period of inactivity, and after an absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_client:
            now = time.time()
            if staff_session_expired(request.session, now=now):
                from alongside.accounts.services import session_end

                session_end(request=request, reason="timeout")
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Please sign in again."))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - float(request.session.get(SESSION_SEEN_AT, 0)) >= SEEN_RESOLUTION:
                request.session[SESSION_SEEN_AT] = now
            if SESSION_AUTH_AT not in request.session:
                request.session[SESSION_AUTH_AT] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Staff reach nothing but their account pages until a second factor is enrolled and verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_client
            and not request.session.get(SESSION_MFA_OK)
            and not is_open_path(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "A second factor is required before any client data."}, status=403)
            if getattr(user, "totp", None) is not None and user.totp.confirmed:
                return redirect(f"{reverse('accounts:mfa_verify')}?next={request.path}")
            return redirect("accounts:mfa_enrol")
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speak a signed-in person's saved language unless they picked one with the language switch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            locale = getattr(user, "locale", "") or ""
            if locale in dict(settings.LANGUAGES):
                translation.activate(locale)
                request.LANGUAGE_CODE = locale
        return self.get_response(request)


def default_zone_name(user: Any) -> str:
    """Return the zone a person reads in when they chose none: a client's own, else their practice's."""
    profile = getattr(user, "client_profile", None) if user.is_client else None
    if profile is not None:
        return str(profile.time_zone or "UTC")
    membership = user.memberships.filter(is_active=True).select_related("practice").order_by("joined_at").first()
    return str(membership.practice.time_zone) if membership is not None else "UTC"


def user_zone_name(user: Any) -> str:
    """Return the zone a signed-in person reads times in (their own choice first)."""
    return str(getattr(user, "time_zone", "") or default_zone_name(user))


class UserTimeZoneMiddleware:
    """Show every time in the signed-in person's own zone (Django's current zone for the request).

    The zone is kept in the session so it costs no query per page; choosing a zone in the account settings
    replaces it there, and a new sign-in reads it afresh (so a practice's new zone shows from the next sign-in).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import timezone

        from alongside.core.session_keys import SESSION_TIME_ZONE
        from alongside.core.time import zone_or_utc

        user = request.user
        if not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        name = request.session.get(SESSION_TIME_ZONE)
        if not name:
            name = user_zone_name(user)
            request.session[SESSION_TIME_ZONE] = name
        timezone.activate(zone_or_utc(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
