"""Sign-in, sessions, second factors and account state. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyotp
from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts import throttle
from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
from alongside.accounts.models import AccountsAuditAction, RecoveryCode, ThrottleScope, TotpDevice, User, UserSession
from alongside.accounts.tokens import tokens_revoke_all
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.core.actor import Actor
from alongside.core.services import reader, service, unaudited

TOTP_ISSUER = "Alongside"
RECOVERY_CODE_COUNT = 10


@dataclass
class LoginResult:
    user: User | None = None
    error: str = ""
    needs_mfa: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _paused_message(until: Any) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return ngettext(
        "Too many failed sign-ins. Please try again in %(minutes)d minute.",
        "Too many failed sign-ins. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _notify_paused(*, user: User, step: str, minutes: int) -> None:
    """Tell a staff member (after the commit, through the outbox) that sign-in to their account paused."""
    from alongside.accounts.mail import account_email

    context = {"user": user, "step": step, "minutes": minutes}
    account_email(to=user.email, template="sign_in_paused", context=context, kind="paused", locale=user.locale)


def _note_failure(*, email: str, ip: str, user: User | None, step: str = "password") -> str:
    """Count one failed sign-in (a wrong password, or a refused passkey); audit it and any pause it starts.

    Return the pause message, or "".
    """
    pauses = throttle.throttle_failure(email=email, ip=ip, user=user)
    record(AuditAction.LOGIN_FAILED, actor=None, obj=user, detail={"step": step})
    for pause in pauses:
        minutes = int((pause.until - timezone.now()).total_seconds() // 60)
        record(AuditAction.LOCKED_OUT, actor=None, obj=user, detail={"minutes": minutes, "scope": pause.scope})
        if user is not None and not user.is_client and pause.scope != ThrottleScope.IP:
            _notify_paused(user=user, step="password", minutes=minutes)
    return _paused_message(max(p.until for p in pauses)) if pauses else ""


@unaudited("sign-in throttle counters; failures are audited inside, a sign-in by session_start")
def login_attempt(*, request: HttpRequest | None, email: str, password: str) -> LoginResult:
    """Check a password sign-in against the throttles. Does not start a session.

    Failures are counted per account from this address, per account and per address (see
    ``alongside.accounts.throttle``); wrong second-factor codes have their own count (``mfa_check``).
    """
    from django.contrib.auth import authenticate

    email = email.strip().lower()
    ip = throttle.client_address(request)
    paused_until = throttle.throttle_paused_until(email=email, ip=ip)
    if paused_until is not None:
        return LoginResult(error=_paused_message(paused_until))
    user = authenticate(request, username=email, password=password)
    with transaction.atomic():
        if user is None:
            known = User.objects.filter(email__iexact=email).first()
            paused = _note_failure(email=email, ip=ip, user=known)
            return LoginResult(error=paused or _("That email address and password do not match. Please try again."))
        throttle.throttle_success(email=email, ip=ip)
        needs_mfa = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    return LoginResult(user=user, needs_mfa=needs_mfa)


@service
def session_start(*, request: HttpRequest, user: User, mfa_verified: bool, method: str = "") -> None:
    """Sign the user in (a new session key) and audit it (with ``method`` when it was not the password)."""
    login(request, user, backend="alongside.accounts.backends.EmailBackend")
    now = timezone.now().timestamp()
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_MFA_OK] = mfa_verified
    request.session.save()
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)
    detail: dict[str, Any] = {"mfa": mfa_verified}
    if method:
        detail["method"] = method
    record(AuditAction.LOGIN, actor=user, obj=user, detail=detail)


@unaudited("session bookkeeping; the sign-in is audited by session_start and mfa_check")
def session_mark_mfa(*, request: HttpRequest) -> None:
    """Record in the session that the second factor was checked, with a fresh session key."""
    request.session.cycle_key()
    request.session[SESSION_MFA_OK] = True
    request.session.save()
    user = request.user
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)  # type: ignore[misc]


@service
def session_end(*, request: HttpRequest, reason: str = "logout") -> None:
    user = request.user
    if user.is_authenticated:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        record(AuditAction.LOGOUT, actor=user, obj=user, detail={"reason": reason})


@service
def password_set(*, user: User, password: str, actor: Actor, via: str = "settings") -> None:
    """Set a new (already validated) password and audit it."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(AuditAction.PASSWORD_CHANGED, actor=actor, obj=user, detail={"via": via})
        tokens_revoke_all(user=user, actor=actor, reason=f"password {via}")


@service
def password_reset_request(*, email: str, users: list[User], send_links: Callable[[], object]) -> None:
    """Answer a reset request with the same work whether or not the address has an account.

    At most three emails an hour go to one address (``throttle_mail_allowed``). An address with an
    account gets the reset link (``send_links``, queued in the outbox); one without gets a note that
    no account uses it. Both are audited (the second without an object), in one transaction.
    """
    from alongside.accounts.mail import account_email

    with transaction.atomic():
        if not throttle.throttle_mail_allowed(email=email):
            return
        if users:
            for user in users:
                record(AuditAction.PASSWORD_RESET_REQUESTED, actor=None, obj=user)
            send_links()
            return
        record(AuditAction.PASSWORD_RESET_REQUESTED, actor=None, detail={"account": False})
        account_email(to=email, template="password_reset_unknown", context={}, kind="reset")


@service
def user_deactivate(*, user: User, actor: Actor) -> int:
    """Deactivate an account and end every session it holds. Returns sessions ended."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
        tokens_revoke_all(user=user, actor=actor, reason="deactivated")
        record(AuditAction.USER_DEACTIVATED, actor=actor, obj=user, detail={"sessions_ended": len(keys)})
    return len(keys)


@service
def user_time_zone_set(*, user: User, time_zone: str, actor: Actor) -> None:
    """Set the zone a person reads times in ("" for the usual one) and audit it."""
    with transaction.atomic():
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        record(AccountsAuditAction.TIME_ZONE_CHANGED, actor=actor, obj=user, detail={"time_zone": time_zone})


# --- Second factor -----------------------------------------------------------------


@service
def totp_begin(*, user: User) -> TotpDevice:
    """Start (or restart) enrolment: a new secret, not yet confirmed."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).delete()
        if TotpDevice.objects.filter(user=user).exists():
            raise ValueError("This account already has an authenticator. Remove it first.")
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())  # type: ignore[misc]  # encrypted field unknown to the stubs
        record(AccountsAuditAction.MFA_ENROLMENT_STARTED, actor=user, obj=user)
        return device


@reader
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


@service
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


@service
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes; only the digests are kept."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(c)) for c in codes])
        record(AccountsAuditAction.RECOVERY_CODES_REPLACED, actor=user, obj=user, detail={"count": len(codes)})
    return codes


MFA_MAX_FAILURES = 5


@dataclass(frozen=True)
class CodeCheck:
    """What became of one second-factor code: right, wrong (``left`` tries remain), or refused while paused."""

    ok: bool
    left: int = 0
    paused_until: datetime | None = None
    # After a recovery code was used: how many unused ones remain (None when a TOTP code was used).
    recovery_left: int | None = None

    def __bool__(self) -> bool:
        return self.ok


def _mfa_pause(*, device: TotpDevice, now: datetime) -> datetime | None:
    """Pause code checks for a device whose wrong codes reached the limit; return the pause's end."""
    device.refresh_from_db(fields=["failures", "lockouts", "locked_until"])
    if device.locked_until is not None and device.locked_until > now:
        return device.locked_until
    if device.failures < MFA_MAX_FAILURES:
        return None
    until = now + throttle.pause_length(device.lockouts + 1)
    started = TotpDevice.objects.filter(pk=device.pk, failures__gte=MFA_MAX_FAILURES).update(
        failures=0, lockouts=F("lockouts") + 1, locked_until=until
    )
    if started:
        minutes = int((until - now).total_seconds() // 60)
        record(AuditAction.LOCKED_OUT, actor=None, obj=device.user, detail={"minutes": minutes, "scope": "mfa"})
        if not device.user.is_client:
            _notify_paused(user=device.user, step="second factor", minutes=minutes)
        return until
    device.refresh_from_db(fields=["locked_until"])
    return device.locked_until or until


@service
def mfa_check(*, user: User, code: str) -> CodeCheck:
    """Check a sign-in code: a TOTP code, or an unused recovery code. Audited either way.

    Each try first claims one of the ``MFA_MAX_FAILURES`` tries with a single UPDATE, before the
    code is looked at, so parallel requests each use up a try and no more than the limit are ever
    checked (issue #11, finding 2). At the limit the device pauses (doubling each time in a row),
    across every session of the user; a right code resets the count.
    """
    device = TotpDevice.objects.select_related("user").filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return CodeCheck(ok=False)
    now = timezone.now()
    # One transaction: on PostgreSQL the claim's row lock makes parallel tries for this user queue up
    # behind each other until the code is checked and the outcome written.
    with transaction.atomic():
        claimed = (
            TotpDevice.objects.filter(pk=device.pk, failures__lt=MFA_MAX_FAILURES)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .update(failures=F("failures") + 1)
        )
        if not claimed:
            return CodeCheck(ok=False, paused_until=_mfa_pause(device=device, now=now) or now)
        if _accept_code(device, code):
            TotpDevice.objects.filter(pk=device.pk).update(failures=0, lockouts=0, locked_until=None)
            record(AccountsAuditAction.MFA_PASSED, actor=user, obj=user, detail={"method": "totp"})
            return CodeCheck(ok=True)
        used = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            TotpDevice.objects.filter(pk=device.pk).update(failures=0, lockouts=0, locked_until=None)
            remaining = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            record(AuditAction.MFA_RECOVERY_USED, actor=user, obj=user, detail={"remaining": remaining})
            return CodeCheck(ok=True, recovery_left=remaining)
        record(AuditAction.MFA_FAILED, actor=user, obj=user, detail={"during": "sign-in"})
        paused_until = _mfa_pause(device=device, now=now)
    return CodeCheck(ok=False, left=max(MFA_MAX_FAILURES - device.failures, 0), paused_until=paused_until)


@service
def totp_remove(*, user: User, actor: Actor) -> None:
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        # Passkeys answer the second factor only beside an authenticator app (they share its tries).
        user.passkeys.all().delete()
        record(AuditAction.MFA_REMOVED, actor=actor, obj=user)
