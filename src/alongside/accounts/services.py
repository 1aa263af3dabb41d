"""Sign-in, sessions, second factors and account state. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
from alongside.accounts.models import LoginThrottle, RecoveryCode, TotpDevice, User, UserSession
from alongside.audit.log import record
from alongside.audit.models import AuditAction

TOTP_ISSUER = "Alongside"
RECOVERY_CODE_COUNT = 10


@dataclass
class LoginResult:
    user: User | None = None
    error: str = ""
    needs_mfa: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _throttle_for(email: str) -> LoginThrottle:
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(email=email)
    return throttle


def _locked_message(until: Any) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return ngettext(
        "Too many failed sign-ins. This account is locked for %(minutes)d more minute.",
        "Too many failed sign-ins. This account is locked for %(minutes)d more minutes.",
        minutes,
    ) % {"minutes": minutes}


def _note_failure(throttle: LoginThrottle, *, email: str, step: str) -> str:
    """Count one failed sign-in; lock once there are too many. Return the lock message, or ""."""
    now = timezone.now()
    window = timedelta(minutes=settings.ALONGSIDE_LOGIN_LOCK_MINUTES)
    if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
        throttle.failures = 0
        throttle.first_failure_at = now
    throttle.failures += 1
    known = User.objects.filter(email__iexact=email).first()
    record(AuditAction.LOGIN_FAILED, actor=None, obj=known, detail={"failures": throttle.failures, "step": step})
    if throttle.failures >= settings.ALONGSIDE_LOGIN_MAX_FAILURES:
        throttle.locked_until = now + window
        throttle.failures = 0
        throttle.first_failure_at = None
        throttle.save()
        record(AuditAction.LOCKED_OUT, actor=None, obj=known, detail={"minutes": int(window.total_seconds() // 60)})
        return _locked_message(throttle.locked_until)
    throttle.save()
    return ""


def _clear(throttle: LoginThrottle) -> None:
    throttle.failures = 0
    throttle.first_failure_at = None
    throttle.locked_until = None
    throttle.save()


def login_attempt(*, request: HttpRequest | None, email: str, password: str) -> LoginResult:
    """Check a password sign-in against the throttle. Does not start a session.

    With a second factor the throttle is cleared only once the code is right
    (``login_second_factor_passed``), so guessing codes cannot reset it.
    """
    from django.contrib.auth import authenticate

    email = email.strip().lower()
    with transaction.atomic():
        throttle = _throttle_for(email)
        if throttle.locked_until and throttle.locked_until > timezone.now():
            return LoginResult(error=_locked_message(throttle.locked_until))
    user = authenticate(request, username=email, password=password)
    with transaction.atomic():
        throttle = _throttle_for(email)
        if user is None:
            locked = _note_failure(throttle, email=email, step="password")
            return LoginResult(error=locked or _("That email address and password do not match. Please try again."))
        needs_mfa = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        if not needs_mfa:
            _clear(throttle)
    return LoginResult(user=user, needs_mfa=needs_mfa)


def login_second_factor_failed(*, user: User) -> str:
    """Count a sign-in abandoned after too many wrong codes. Return the lock message, or ""."""
    with transaction.atomic():
        return _note_failure(_throttle_for(user.email.lower()), email=user.email, step="second factor")


def login_second_factor_passed(*, user: User) -> None:
    """Clear the failed sign-ins of a user who has passed both steps."""
    with transaction.atomic():
        _clear(_throttle_for(user.email.lower()))


def session_start(*, request: HttpRequest, user: User, mfa_verified: bool) -> None:
    """Sign the user in (a new session key) and audit it."""
    login(request, user, backend="alongside.accounts.backends.EmailBackend")
    now = timezone.now().timestamp()
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_MFA_OK] = mfa_verified
    request.session.save()
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)
    record(AuditAction.LOGIN, actor=user, obj=user, detail={"mfa": mfa_verified})


def session_mark_mfa(*, request: HttpRequest) -> None:
    """Record in the session that the second factor was checked, with a fresh session key."""
    request.session.cycle_key()
    request.session[SESSION_MFA_OK] = True
    request.session.save()
    user = request.user
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)  # type: ignore[misc]


def session_end(*, request: HttpRequest, reason: str = "logout") -> None:
    user = request.user
    if user.is_authenticated:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        record(AuditAction.LOGOUT, actor=user, obj=user, detail={"reason": reason})


def password_set(*, user: User, password: str, actor: Any, via: str = "settings") -> None:
    """Set a new (already validated) password and audit it."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(AuditAction.PASSWORD_CHANGED, actor=actor, obj=user, detail={"via": via})


PASSWORD_RESETS_PER_HOUR = 3


def password_reset_throttled(*, users: list[User], now: Any = None) -> bool:
    """Whether these accounts have had their hourly share of reset emails (counted from the audit log)."""
    import datetime as dt

    from django.utils import timezone

    from alongside.audit.models import AuditEvent

    since = (now or timezone.now()) - dt.timedelta(hours=1)
    for user in users:
        sent = AuditEvent.objects.filter(
            action=AuditAction.PASSWORD_RESET_REQUESTED, object_id=str(user.pk), at__gte=since
        ).count()
        if sent >= PASSWORD_RESETS_PER_HOUR:
            return True
    return False


def password_reset_audit(*, users: list[User]) -> None:
    """Audit a password-reset request for each account it reaches (none for an unknown address)."""
    with transaction.atomic():
        for user in users:
            record(AuditAction.PASSWORD_RESET_REQUESTED, actor=None, obj=user)


def user_deactivate(*, user: User, actor: Any) -> int:
    """Deactivate an account and end every session it holds. Returns sessions ended."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
        record(AuditAction.USER_DEACTIVATED, actor=actor, obj=user, detail={"sessions_ended": len(keys)})
    return len(keys)


# --- Second factor -----------------------------------------------------------------


def totp_begin(*, user: User) -> TotpDevice:
    """Start (or restart) enrolment: a new secret, not yet confirmed."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).delete()
        if TotpDevice.objects.filter(user=user).exists():
            raise ValueError("This account already has an authenticator. Remove it first.")
        return TotpDevice.objects.create(user=user, secret=pyotp.random_base32())  # type: ignore[misc]  # encrypted field unknown to the stubs


def totp_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=TOTP_ISSUER)


def _accept_code(device: TotpDevice, code: str) -> bool:
    """Accept a code for the current or adjacent time step, never the same step twice."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now().timestamp()
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if step <= device.last_used_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
            if updated:
                device.last_used_step = step
                return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def totp_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirm enrolment with a first code. Returns new recovery codes, or None if the code is wrong."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        return None
    with transaction.atomic():
        if not _accept_code(device, code):
            record(AuditAction.MFA_FAILED, actor=user, obj=user, detail={"during": "enrolment"})
            return None
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        codes = recovery_codes_regenerate(user=user)
        record(AuditAction.MFA_ENROLLED, actor=user, obj=user, detail={"method": "totp"})
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes; only the digests are kept."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(c)) for c in codes])
    return codes


def mfa_check(*, user: User, code: str) -> bool:
    """Check a sign-in code: a TOTP code, or an unused recovery code. Audited either way."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    with transaction.atomic():
        if _accept_code(device, code):
            return True
        used = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            remaining = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            record(AuditAction.MFA_RECOVERY_USED, actor=user, obj=user, detail={"remaining": remaining})
            return True
        record(AuditAction.MFA_FAILED, actor=user, obj=user, detail={"during": "sign-in"})
    return False


def totp_remove(*, user: User, actor: Any) -> None:
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record(AuditAction.MFA_REMOVED, actor=actor, obj=user)
