"""The generator's steps. Each writes one part of the practice through models and services.

Later issues add steps (measures, mood, exercises, sensor data) to
:data:`alongside.synth.generate.DEFAULT_STEPS`; a step is any callable taking the
:class:`~alongside.synth.context.SynthContext`.
"""

from __future__ import annotations

import datetime as dt

import pyotp
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alongside.accounts.models import TotpDevice, User, UserKind
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.care.models import (
    CareTeamMember,
    ClientProfile,
    ClientStatus,
    Episode,
    EpisodeEndReason,
    Membership,
    Practice,
    Role,
)
from alongside.care.services import DEFAULT_CONSENT_BODY, DEFAULT_CONSENT_TITLE, care_team_add, episode_end
from alongside.consent.models import ConsentSignature
from alongside.consent.services import consent_document_publish, consent_sign, scopes_set
from alongside.synth.context import SynthClient, SynthContext


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """Return a plausible working-hours moment on ``day`` in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour=hour)))


def practice_step(ctx: SynthContext) -> None:
    """Create the practice and publish its starter consent document."""
    config = ctx.config
    practice = Practice.objects.create(name=config.practice_name, country=config.country, time_zone=config.time_zone)
    record(AuditAction.PRACTICE_CREATED, actor=None, obj=practice, detail={"synthetic": True})
    ctx.practice = practice
    ctx.count("practices")


def staff_step(ctx: SynthContext) -> None:
    """Create the clinicians and the practice admin, all with the one demo password."""
    practice = ctx.require_practice()
    # Hash once: every synthetic account shares the demo password, and argon2 is slow on purpose.
    ctx.password_hash = ctx.password_hash or make_password(ctx.config.password)
    joined = _at(ctx.config.anchor_date() - dt.timedelta(days=ctx.config.history_days + 30), hour=9)
    plans = [*ctx.plan.clinicians, ctx.plan.admin]
    users = User.objects.bulk_create(
        [
            User(email=p.email, name=p.name, kind=UserKind.STAFF, password=ctx.password_hash, date_joined=joined)
            for p in plans
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, practice=practice, role=Role.ADMIN if p.role == "admin" else Role.CLINICIAN, joined_at=joined
            )
            for user, p in zip(users, plans, strict=True)
        ]
    )
    ctx.clinicians, ctx.admin = users[:-1], users[-1]
    for user in users:
        record(
            AuditAction.MEMBERSHIP_CHANGED, actor=None, obj=user, detail={"synthetic": True, "joined": str(practice.pk)}
        )
    ctx.count("staff", len(users))


def consent_document_step(ctx: SynthContext) -> None:
    """Publish the practice's consent document (the product's starter text)."""
    ctx.consent_document = consent_document_publish(
        practice=ctx.require_practice(),
        title=DEFAULT_CONSENT_TITLE,
        body=DEFAULT_CONSENT_BODY,
        actor=ctx.require_admin(),
    )


def mfa_step(ctx: SynthContext) -> None:
    """Enrol every staff member with TOTP so the demo works without a phone (`alongside otp`)."""
    now = timezone.now()
    for user in [*ctx.clinicians, ctx.require_admin()]:
        # A real random secret: nobody can predict the codes of a demo installation.
        device = TotpDevice(user=user, confirmed_at=now)
        device.secret = pyotp.random_base32()
        device.save(force_insert=True)
        record(AuditAction.MFA_ENROLLED, actor=user, obj=user, detail={"method": "totp", "synthetic": True})
        ctx.count("totp_devices")


def clients_step(ctx: SynthContext) -> None:
    """Create the client accounts and profiles (names are encrypted, so one save per row)."""
    practice = ctx.require_practice()
    ctx.password_hash = ctx.password_hash or make_password(ctx.config.password)
    plans = ctx.plan.clients
    users = User.objects.bulk_create(
        [
            User(
                email=p.email,
                kind=UserKind.CLIENT,
                locale=p.locale,
                password=ctx.password_hash,
                date_joined=_at(p.started_on),
            )
            for p in plans
        ]
    )
    for user, p in zip(users, plans, strict=True):
        profile = ClientProfile(
            user=user,
            practice=practice,
            locale=p.locale,
            time_zone=p.time_zone,
            status=ClientStatus.ACTIVE if p.active else ClientStatus.DISCHARGED,
        )
        profile.preferred_name = p.preferred_name
        profile.full_name = p.full_name
        profile.save(force_insert=True)
        record(
            AuditAction.CLIENT_CREATED, actor=ctx.admin, obj=profile, client_id=profile.pk, detail={"synthetic": True}
        )
        ctx.clients.append(SynthClient(plan=p, user=user, profile=profile))
    # created_at is set on insert; backdate it to when the client came into care.
    profiles = []
    for client, profile in ctx.written_clients():
        profile.created_at = _at(client.plan.started_on)
        profiles.append(profile)
    ClientProfile.objects.bulk_update(profiles, ["created_at"])
    ctx.count("clients", len(users))


def care_team_step(ctx: SynthContext) -> None:
    """Give every client a primary clinician and some a second one, from the start of care."""
    admin = ctx.require_admin()
    for client, profile in ctx.written_clients():
        plan = client.plan
        care_team_add(actor=admin, client=profile, clinician=ctx.clinicians[plan.primary], primary=True)
        if plan.second is not None:
            care_team_add(actor=admin, client=profile, clinician=ctx.clinicians[plan.second], primary=False)
        CareTeamMember.objects.filter(client=profile).update(started_at=_at(plan.started_on))
        ctx.count("care_team_members", 1 + (plan.second is not None))


def episode_step(ctx: SynthContext) -> None:
    """Open each client's episode of care; end those the plan ends, with their reason."""
    admin = ctx.require_admin()
    for client, profile in ctx.written_clients():
        plan = client.plan
        episode = Episode(client=profile, started_on=plan.started_on)
        episode.reason = plan.presenting_concern
        episode.save(force_insert=True)
        record(
            AuditAction.EPISODE_CHANGED,
            actor=admin,
            obj=episode,
            client_id=profile.pk,
            detail={"opened": str(plan.started_on)},
        )
        if plan.ended_on is not None:
            episode = episode_end(
                actor=admin, client=profile, ended_on=plan.ended_on, reason=EpisodeEndReason(plan.end_reason)
            )
            ctx.count("episodes_ended")
        client.episode = episode
        ctx.count("episodes")


def consent_step(ctx: SynthContext) -> None:
    """Have every client sign the practice's consent document on their first day."""
    document = ctx.consent_document
    if document is None:
        raise RuntimeError("The consent document step must run before the consent step.")
    for client, profile in ctx.written_clients():
        signature = consent_sign(
            client=profile,
            document=document,
            typed_name=client.plan.full_name,
            shown_sha256=document.body_sha256,
            actor=client.user,
        )
        # Signed when care began, not when the generator ran (the audit event keeps the real time).
        ConsentSignature.objects.filter(pk=signature.pk).update(signed_at=_at(client.plan.started_on, hour=9))
        ctx.count("consent_signatures")


def scopes_step(ctx: SynthContext) -> None:
    """Set each client's sharing choices: a mix, most sharing mood, measures and messages."""
    for client, profile in ctx.written_clients():
        scopes_set(client=profile, scopes=client.plan.scopes, actor=client.user)
        ctx.count("scopes_shared", sum(client.plan.scopes.values()))
