"""Writes for practices, staff, clients, invitations, care teams and episodes (erasure: care.erasure)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.access import Action, decide
from alongside.accounts.models import User, UserKind
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.care.models import (
    CareTeamMember,
    ClientProfile,
    ClientStatus,
    Episode,
    EpisodeEndReason,
    Invitation,
    InvitationRole,
    Membership,
    Practice,
    Role,
)
from alongside.core.actor import Actor, SignedIn
from alongside.core.services import reader, service, unaudited
from alongside.notify.mail import email_enqueue

DEFAULT_CONSENT_TITLE = "Consent to use Alongside between sessions"
DEFAULT_CONSENT_BODY = """\
Alongside is a secure workspace you share with your therapist between sessions.

What you put into Alongside (check-ins, questionnaires, exercises, messages) is stored encrypted. Your care team sees only the kinds of information you choose to share, and you can change those choices at any time in your settings.

Alongside is not an emergency service. Messages may not be read straight away. If you are in danger or thinking about harming yourself, call your local emergency number or a crisis line now.

Every time a member of staff opens your record, it is logged, and you can see that log under "Who has seen my data".

You can ask your practice for a copy of your data or for it to be erased, subject to the records your practice must keep by law."""


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationError(_("Enter a valid email address."))
    return email


def _require_new_email(email: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this email address already exists. Sign in, or reset the password."))


@service
def practice_signup(*, email: str, password: str, name: str, practice_name: str) -> User:
    """Create a clinician account and the practice it owns, with a starter consent document."""
    email = _normalise_email(email)
    name, practice_name = name.strip(), practice_name.strip()
    if not name or not practice_name:
        raise ValidationError(_("Your name and your practice's name are both needed."))
    with transaction.atomic():
        _require_new_email(email)
        user = User(email=email, name=name, kind=UserKind.STAFF)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        practice = Practice.objects.create(name=practice_name)
        Membership.objects.create(user=user, practice=practice, role=Role.OWNER)
        record(AuditAction.PRACTICE_CREATED, actor=user, obj=practice)
        for hook in PRACTICE_CREATED_HOOKS:  # consent publishes the starter document here
            hook(practice=practice, actor=user)
    return user


PracticeCreatedHook = Callable[..., object]
# Called with practice= and actor= inside the transaction that creates a practice. Apps above care
# append to it from AppConfig.ready(), so care never imports them.
PRACTICE_CREATED_HOOKS: list[PracticeCreatedHook] = []


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def path(self) -> str:
        from django.urls import reverse

        return reverse("care:invitation_accept", args=[self.token])


def _membership(actor: Actor, practice: Practice) -> Membership | None:
    return Membership.objects.filter(user=actor, practice=practice, is_active=True).first()


def _issue(
    *, practice: Practice, email: str, role: InvitationRole, actor: SignedIn, client: ClientProfile | None
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        practice=practice,
        email=email,
        role=role,
        invited_by=actor,
        client=client,
        token_digest=_token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=settings.ALONGSIDE_INVITATION_DAYS),
    )
    record(
        AuditAction.INVITATION_SENT,
        actor=actor,
        obj=invitation,
        client_id=client.pk if client else None,
        detail={"role": role},
    )
    return IssuedInvitation(invitation=invitation, token=token)


def _send_invitation(issued: IssuedInvitation, *, base_url: str) -> None:
    # The email names the practice only: no client data, no clinical content.
    link = base_url.rstrip("/") + issued.path
    practice = issued.invitation.practice.name
    email_enqueue(
        to=issued.invitation.email,
        subject=_("You are invited to Alongside"),
        body=_(
            "%(practice)s has invited you to Alongside.\n\nOpen this link within %(days)d days to set up "
            "your account:\n%(link)s\n\nIf you did not expect this, ignore this email."
        )
        % {"practice": practice, "days": settings.ALONGSIDE_INVITATION_DAYS, "link": link},
        kind="care.invitation",
        note=f"invitation {issued.invitation.pk}",
    )


@service
def staff_invite(
    *, actor: SignedIn, practice: Practice, email: str, role: InvitationRole, base_url: str
) -> IssuedInvitation:
    """Invite a clinician or admin. Only practice owners and admins may."""
    membership = _membership(actor, practice)
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only practice admins can invite staff."))
    if role not in (InvitationRole.CLINICIAN, InvitationRole.ADMIN):
        raise ValidationError(_("Staff can be invited as clinicians or admins."))
    email = _normalise_email(email)
    with transaction.atomic():
        _require_new_email(email)
        issued = _issue(practice=practice, email=email, role=role, actor=actor, client=None)
        _send_invitation(issued, base_url=base_url)
    return issued


@service
def client_invite(
    *,
    actor: SignedIn,
    practice: Practice,
    email: str,
    preferred_name: str,
    base_url: str,
    locale: str = "en",
    time_zone: str = "UTC",
) -> IssuedInvitation:
    """Create a client record on the inviting clinician's care team and send them a link."""
    membership = _membership(actor, practice)
    if membership is None:
        raise PermissionDenied(_("Only staff of this practice can invite its clients."))
    email = _normalise_email(email)
    preferred_name = preferred_name.strip()
    if not preferred_name:
        raise ValidationError(_("Enter the name the client likes to be called."))
    with transaction.atomic():
        _require_new_email(email)
        user = User(email=email, kind=UserKind.CLIENT, locale=locale)
        user.set_unusable_password()
        user.save()
        client = ClientProfile(user=user, practice=practice, locale=locale, time_zone=time_zone)
        client.preferred_name = preferred_name
        client.save(force_insert=True)
        CareTeamMember.objects.create(client=client, clinician=actor, is_primary=True)
        Episode.objects.create(client=client, started_on=timezone.localdate())
        record(AuditAction.CLIENT_CREATED, actor=actor, obj=client, client_id=client.pk)
        issued = _issue(practice=practice, email=email, role=InvitationRole.CLIENT, actor=actor, client=client)
        _send_invitation(issued, base_url=base_url)
    return issued


class InvitationProblem(ValidationError):
    """An invitation link that cannot be used, with the reason a person can read."""


@reader
def invitation_check(*, token: str) -> Invitation:
    """Return the usable invitation for ``token`` or raise :class:`InvitationProblem`."""
    if not token or len(token) > 200:
        raise InvitationProblem(_("This invitation link is not valid. Check that you copied the whole link."))
    invitation = Invitation.objects.select_related("practice").filter(token_digest=_token_digest(token)).first()
    if invitation is None:
        raise InvitationProblem(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.accepted_at is not None:
        raise InvitationProblem(_("This invitation has already been used. Sign in with the password you chose."))
    if invitation.revoked_at is not None:
        raise InvitationProblem(_("This invitation was withdrawn. Ask your practice for a new one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(_("This invitation has expired. Ask your practice to send a new one."))
    return invitation


@service
def invitation_accept(*, token: str, password: str, name: str = "") -> User:
    """Use an invitation: set the password and activate the account. Single use."""
    with transaction.atomic():
        invitation = invitation_check(token=token)
        # Lock the row: two tabs submitting at once must not both succeed.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationProblem(_("This invitation has already been used. Sign in with the password you chose."))
        if invitation.role == InvitationRole.CLIENT:
            assert invitation.client is not None
            user = invitation.client.user
            validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
            invitation.client.status = ClientStatus.ACTIVE
            invitation.client.save(update_fields=["status"])
        else:
            if not name.strip():
                raise ValidationError(_("Enter your name."))
            _require_new_email(invitation.email)
            user = User(email=invitation.email, name=name.strip(), kind=UserKind.STAFF)
            validate_password(password, user)
            user.set_password(password)
            user.save()
            Membership.objects.create(user=user, practice=invitation.practice, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(
            AuditAction.INVITATION_ACCEPTED,
            actor=user,
            obj=invitation,
            client_id=invitation.client_id,
            detail={"role": invitation.role},
        )
    return user


@service
def care_team_add(*, actor: Actor, client: ClientProfile, clinician: User, primary: bool = False) -> CareTeamMember:
    """Add a clinician of the same practice to the client's care team."""
    if not decide(actor, client, Action.MANAGE):
        raise PermissionDenied(_("You cannot change this client's care team."))
    if not Membership.objects.filter(user=clinician, practice_id=client.practice_id, is_active=True).exists():
        raise ValidationError(_("Only staff of the client's practice can join the care team."))
    with transaction.atomic():
        if primary:
            CareTeamMember.objects.filter(client=client, is_primary=True, ended_at__isnull=True).update(
                is_primary=False
            )
        member, _created = CareTeamMember.objects.get_or_create(
            client=client, clinician=clinician, ended_at=None, defaults={"is_primary": primary}
        )
        if primary and not member.is_primary:
            member.is_primary = True
            member.save(update_fields=["is_primary"])
        record(
            AuditAction.CARE_TEAM_CHANGED,
            actor=actor,
            obj=member,
            client_id=client.pk,
            detail={"added": str(clinician.pk), "primary": primary},
        )
    return member


@service
def care_team_remove(*, actor: Actor, client: ClientProfile, clinician: User) -> None:
    if not decide(actor, client, Action.MANAGE):
        raise PermissionDenied(_("You cannot change this client's care team."))
    with transaction.atomic():
        CareTeamMember.objects.filter(client=client, clinician=clinician, ended_at__isnull=True).update(
            ended_at=timezone.now(), is_primary=False
        )
        record(
            AuditAction.CARE_TEAM_CHANGED,
            actor=actor,
            obj=client,
            client_id=client.pk,
            detail={"removed": str(clinician.pk)},
        )


@service
def episode_end(*, actor: Actor, client: ClientProfile, ended_on: dt.date, reason: EpisodeEndReason) -> Episode:
    if not decide(actor, client, Action.MANAGE):
        raise PermissionDenied(_("You cannot change this client's episodes of care."))
    with transaction.atomic():
        episode = Episode.objects.select_for_update().filter(client=client, ended_on__isnull=True).first()
        if episode is None:
            raise ValidationError(_("This client has no open episode of care."))
        if ended_on < episode.started_on:
            raise ValidationError(_("An episode cannot end before it started."))
        episode.ended_on = ended_on
        episode.end_reason = reason
        episode.save(update_fields=["ended_on", "end_reason"])
        record(
            AuditAction.EPISODE_CHANGED, actor=actor, obj=episode, client_id=client.pk, detail={"ended": str(ended_on)}
        )
    return episode


def _require_staff_manage(actor: Actor, client: ClientProfile) -> None:
    """Staff on the care team or an admin of the practice; never the client (who may not discharge themselves)."""
    if actor is None or actor.pk == client.pk or not decide(actor, client, Action.MANAGE):
        raise PermissionDenied(_("Only the client's care team or a practice admin can change this record."))


@dataclass(frozen=True)
class ClientDetails:
    """What a clinician may edit on the client's record; every field is sealed under the client's key."""

    preferred_name: str
    full_name: str = ""
    phone: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""


@service
def client_details_update(*, actor: Actor, client: ClientProfile, details: ClientDetails) -> ClientProfile:
    """Change the client's names, phone and emergency contact (encrypted); the audit names the fields only."""
    _require_staff_manage(actor, client)
    if not details.preferred_name.strip():
        raise ValidationError(_("The client needs a name to be called by."))
    changed = [name for name, value in vars(details).items() if getattr(client, name) != value.strip()]
    for name in changed:
        setattr(client, name, getattr(details, name).strip())
    if changed:
        client.save()
        record(AuditAction.CLIENT_UPDATED, actor=actor, obj=client, client_id=client.pk, detail={"fields": changed})
    return client


@service
def client_discharge(*, actor: Actor, client: ClientProfile, ended_on: dt.date, reason: EpisodeEndReason) -> None:
    """End the open episode of care with a reason and discharge the client (they leave the active caseload)."""
    _require_staff_manage(actor, client)
    if client.status == ClientStatus.DISCHARGED:
        raise ValidationError(_("This client is already discharged."))
    if Episode.objects.filter(client=client, ended_on__isnull=True).exists():
        episode_end(actor=actor, client=client, ended_on=ended_on, reason=reason)
    client.status = ClientStatus.DISCHARGED
    client.save(update_fields=["status"])
    record(AuditAction.CLIENT_UPDATED, actor=actor, obj=client, client_id=client.pk, detail={"status": "discharged"})


@service
def client_reopen(*, actor: Actor, client: ClientProfile, started_on: dt.date) -> Episode:
    """Re-open a discharged client's care with a new episode; they return to the active caseload."""
    _require_staff_manage(actor, client)
    if client.status != ClientStatus.DISCHARGED:
        raise ValidationError(_("Only a discharged client can be re-opened."))
    last = Episode.objects.filter(client=client).order_by("-started_on").first()
    if last is not None and last.ended_on is not None and started_on < last.ended_on:
        raise ValidationError(_("The new episode cannot start before the last one ended."))
    episode = Episode.objects.create(client=client, started_on=started_on)
    client.status = ClientStatus.ACTIVE
    client.save(update_fields=["status"])
    record(
        AuditAction.EPISODE_CHANGED, actor=actor, obj=episode, client_id=client.pk, detail={"opened": str(started_on)}
    )
    record(AuditAction.CLIENT_UPDATED, actor=actor, obj=client, client_id=client.pk, detail={"status": "active"})
    return episode


@unaudited("rebuilds a derived search index under the current master key; no client data changes")
def client_names_reindex(*, batch_size: int = 500) -> int:
    """Recompute every client's blind name index under the current master key; return how many were rewritten."""
    from alongside.crypto.blind_index import name_index
    from alongside.crypto.keys import KeyProblem, current_master_key

    prefix = f"{current_master_key().key_id}: "
    changed = 0
    for client in ClientProfile.objects.exclude(name_index__startswith=prefix).iterator(chunk_size=batch_size):
        try:
            index = name_index(client.preferred_name or "", client.full_name or "")
        except KeyProblem:
            continue  # a client whose key is gone (half-erased before #11) has no name to index
        ClientProfile.objects.filter(pk=client.pk).update(name_index=index)
        changed += 1
    return changed
