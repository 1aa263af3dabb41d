"""Passkeys (WebAuthn): a second factor beside the authenticator app, or a sign-in on their own.

A passkey is added from account settings by someone who already has an authenticator app. It then
answers the second-factor step of a sign-in instead of a code: a failed passkey check uses up one of
the same tries as a wrong code (the authenticator device's counter), so the pause after too many
failures covers both. A passkey the device keeps (a discoverable credential) also signs in alone,
without the email address or password: the authenticator must verify the person (fingerprint, face,
PIN), so the passkey stands for both factors, something held and something the person is or knows.
That path is throttled and audited as the password is (``alongside.accounts.throttle``). Ceremonies
follow the W3C Web Authentication Level 2 recommendation through ``webauthn`` (py_webauthn); the
challenge lives in the person's session only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from alongside.accounts import throttle
from alongside.accounts.models import AccountsAuditAction, Passkey, TotpDevice, User
from alongside.accounts.services import MFA_MAX_FAILURES, CodeCheck, _mfa_pause, _note_failure, _paused_message
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.core.actor import Actor
from alongside.core.services import reader, service

RP_NAME = "Alongside"
MAX_PASSKEYS = 10


class PasskeyError(ValueError):
    """The browser's answer could not be accepted (wrong challenge, origin, signature or a foreign key)."""


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(p.credential_id),
            transports=[AuthenticatorTransport(t) for t in p.transports if t in known] or None,
        )
        for p in Passkey.objects.filter(user=user)
    ]


@reader
def passkey_registration_options(*, user: User, rp_id: str) -> tuple[str, str]:
    """Return the creation options (JSON for the browser) and their challenge (base64url, for the session)."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_name=user.email,
        user_id=user.pk.bytes,
        user_display_name=user.name or user.email,
        exclude_credentials=_descriptors(user),
        # Preferred, not required: a device that keeps the passkey can sign in with it alone; an older
        # security key that cannot still answers the second-factor step.
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


@service
def passkey_add(
    *, user: User, name: str, credential: dict[str, Any], challenge: str, rp_id: str, origin: str
) -> Passkey:
    """Verify a new passkey's attestation and keep its public key. Raises PasskeyError when it does not verify."""
    if Passkey.objects.filter(user=user).count() >= MAX_PASSKEYS:
        raise PasskeyError("too many passkeys")
    try:
        verified = verify_registration_response(
            credential=json.dumps(credential),
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(str(error)) from error
    transports = credential.get("response", {}).get("transports") or []
    passkey = Passkey.objects.create(
        user=user,
        name=name.strip()[:100] or "Passkey",
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in transports][:8],
    )
    record(AccountsAuditAction.PASSKEY_ADDED, actor=user, obj=user, detail={"passkey": str(passkey.pk)})
    return passkey


@reader
def passkey_authentication_options(*, user: User, rp_id: str) -> tuple[str, str]:
    """Return the request options for ``user``'s passkeys (JSON) and their challenge (base64url)."""
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def _verify(
    passkey: Passkey | None,
    credential: dict[str, Any],
    challenge: str,
    rp_id: str,
    origin: str,
    *,
    require_user_verification: bool = False,
) -> int:
    if passkey is None:
        raise PasskeyError("unknown passkey")
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=require_user_verification,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(str(error)) from error
    return int(verified.new_sign_count)


@service
def passkey_check(*, user: User, credential: dict[str, Any], challenge: str, rp_id: str, origin: str) -> CodeCheck:
    """Check a passkey at the second-factor step; a failure uses up a try like a wrong code. Audited either way."""
    device = TotpDevice.objects.select_related("user").filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return CodeCheck(ok=False)
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            TotpDevice.objects.filter(pk=device.pk, failures__lt=MFA_MAX_FAILURES)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .update(failures=F("failures") + 1)
        )
        if not claimed:
            return CodeCheck(ok=False, paused_until=_mfa_pause(device=device, now=now) or now)
        passkey = Passkey.objects.filter(user=user, credential_id=str(credential.get("id", ""))).first()
        try:
            sign_count = _verify(passkey, credential, challenge, rp_id, origin)
        except PasskeyError:
            record(AuditAction.MFA_FAILED, actor=user, obj=user, detail={"during": "sign-in", "method": "passkey"})
            paused_until = _mfa_pause(device=device, now=now)
            return CodeCheck(ok=False, left=max(MFA_MAX_FAILURES - device.failures, 0), paused_until=paused_until)
        assert passkey is not None
        Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count, last_used_at=now)
        TotpDevice.objects.filter(pk=device.pk).update(failures=0, lockouts=0, locked_until=None)
        record(AccountsAuditAction.MFA_PASSED, actor=user, obj=user, detail={"method": "passkey"})
    return CodeCheck(ok=True)


@reader
def passkey_sign_in_options(*, rp_id: str) -> tuple[str, str]:
    """Return request options for a sign-in with a passkey alone (JSON) and their challenge (base64url).

    No credentials are listed (the browser offers the passkeys it keeps for this site, so nobody's
    passkeys are revealed to a visitor), and the authenticator must verify the person.
    """
    options = generate_authentication_options(
        rp_id=rp_id, allow_credentials=[], user_verification=UserVerificationRequirement.REQUIRED
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


@dataclass(frozen=True)
class PasskeySignIn:
    """What became of a passkey offered alone at sign-in: the person it signs in, or the message to show."""

    user: User | None = None
    error: str = ""


def _user_handle_matches(credential: dict[str, Any], user: User) -> bool:
    """The credential's user handle, when the browser sends one, must be the passkey owner's (set at creation)."""
    handle = (credential.get("response") or {}).get("userHandle")
    if not handle:
        return True
    try:
        return base64url_to_bytes(str(handle)) == user.pk.bytes
    except ValueError:
        return False


@service
def passkey_sign_in(*, credential: dict[str, Any], challenge: str, rp_id: str, origin: str, ip: str) -> PasskeySignIn:
    """Check a passkey offered alone at sign-in; accepted, it stands for the password and the second factor.

    The authenticator must have verified the person (the UV flag), which is what lets one passkey count
    as both factors. Refusals are counted and paused exactly as wrong passwords are, under the owner's
    account (from this address and overall) and this address; a passkey nobody here owns counts
    against the address only. Audited either way. Does not start a session (``session_start`` does).
    """
    passkey = Passkey.objects.select_related("user").filter(credential_id=str(credential.get("id", ""))[:1400]).first()
    user = passkey.user if passkey is not None and passkey.user.is_active else None
    email = user.email if user is not None else ""
    paused_until = throttle.throttle_paused_until(email=email, ip=ip)
    if paused_until is not None:
        return PasskeySignIn(error=_paused_message(paused_until))
    with transaction.atomic():
        try:
            if user is None or not _user_handle_matches(credential, user):
                raise PasskeyError("unknown passkey")
            sign_count = _verify(passkey, credential, challenge, rp_id, origin, require_user_verification=True)
        except PasskeyError:
            paused = _note_failure(email=email, ip=ip, user=user, step="passkey")
            return PasskeySignIn(
                error=paused or _("That passkey was not accepted. Try again, or sign in with your email and password.")
            )
        assert passkey is not None
        Passkey.objects.filter(pk=passkey.pk).update(sign_count=sign_count, last_used_at=timezone.now())
        throttle.throttle_success(email=email, ip=ip)
        record(AccountsAuditAction.PASSKEY_SIGN_IN, actor=user, obj=user, detail={"passkey": str(passkey.pk)})
    return PasskeySignIn(user=user)


@service
def passkey_remove(*, user: User, passkey_id: str, actor: Actor) -> bool:
    """Remove one of ``user``'s passkeys; return whether there was one to remove."""
    deleted, _ = Passkey.objects.filter(user=user, pk=passkey_id).delete()
    if deleted:
        record(AccountsAuditAction.PASSKEY_REMOVED, actor=actor, obj=user, detail={"passkey": passkey_id})
    return bool(deleted)


@reader
def passkeys_of(*, user: User) -> list[Passkey]:
    """Return ``user``'s passkeys, oldest first."""
    return list(Passkey.objects.filter(user=user))
