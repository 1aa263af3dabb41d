"""Erasing the richest synthetic client removes every trace of them and breaks no page of their practice.

The client is built once per module by the demo generator (``alongside.synth``) and then given
what the generator does not write: a message with an attachment and a reply, read positions,
notifications, an API token, a signed-in session and a failed sign-in. Their practice admin
erases them through the erase page; every test below then reads the state after erasure.
Everything runs inside one outer transaction that is rolled back at the end of the module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alongside.accounts.models import User
from alongside.accounts.tokens import token_create
from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import CareTeamMember, ClientProfile, Membership, Role
from alongside.crypto.models import DataKey
from alongside.messaging import services as messaging
from alongside.messaging.models import Attachment, Message, Thread
from alongside.safety.models import CriticalAlert
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from tests.conftest import starter_catalogue_ensure

pytestmark = pytest.mark.django_db

CONFIG = SynthConfig(n_clients=6, seed=11, domain="erasure.test")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# Pages that end the walker's own session, or only take POST.
NOT_WALKED = {"accounts:logout", "set_language"}


@dataclass
class Erased:
    """What was known of the client before erasure, and who worked with them."""

    client_id: uuid.UUID
    email: str
    token: str
    staff: list[User]
    alert_ids: list[uuid.UUID]
    attachment_id: uuid.UUID
    signed_in: Client


def _richest_client() -> ClientProfile:
    """The client with a message thread who has the most rows of their own."""
    related = [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is ClientProfile
    ]

    def rows(profile: ClientProfile) -> int:
        return sum(model._default_manager.filter(**{name: profile}).count() for model, name in related)

    candidates = ClientProfile.objects.filter(thread__isnull=False, user__email__endswith=CONFIG.domain)
    return max(candidates, key=rows)


def _enrich(profile: ClientProfile, clinician: User) -> tuple[str, uuid.UUID, Client]:
    """Add an attachment, a reply, read positions, a token, a session and a failed sign-in."""
    sent = messaging.message_send(
        actor=profile.user,
        client_id=profile.pk,
        body="Here is the sleep diary I kept this week.",
        idempotency_key="erasure-attachment",
        upload=messaging.Upload("sleep-diary.png", "image/png", PNG),
    )
    messaging.message_send(
        actor=clinician,
        client_id=profile.pk,
        body="Thank you, we'll read it together.",
        idempotency_key="erasure-reply",
    )
    messaging.thread_mark_read(actor=clinician, client_id=profile.pk, seq=sent.message.seq)
    token = token_create(actor=profile.user, name="phone").plain
    Client().post(reverse("accounts:login"), {"email": profile.user.email, "password": "wrong password"})
    signed_in = Client()
    signed_in.post(reverse("accounts:login"), {"email": profile.user.email, "password": CONFIG.password})
    assert signed_in.get(reverse("messaging:client_thread")).status_code == 200
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    return token, sent.message.attachment.pk, signed_in


def _build_and_erase() -> Erased:
    with TestCase.captureOnCommitCallbacks(execute=True):
        generate_practice(CONFIG)
    profile = _richest_client()
    team = [m.clinician for m in CareTeamMember.objects.filter(client=profile).select_related("clinician")]
    admins = [m.user for m in Membership.objects.filter(practice=profile.practice, role=Role.ADMIN)]
    with TestCase.captureOnCommitCallbacks(execute=True):
        token, attachment_id, signed_in = _enrich(profile, team[0])
    erased = Erased(
        client_id=profile.pk,
        email=profile.user.email,
        token=token,
        staff=team + admins,
        alert_ids=list(CriticalAlert.objects.filter(client=profile).values_list("pk", flat=True)),
        attachment_id=attachment_id,
        signed_in=signed_in,
    )
    assert erased.alert_ids
    assert Message.objects.filter(client=profile, from_client=True).exists()
    assert _columns_containing([erased.email], only={User._meta.db_table}) != []  # the search finds what is there
    admin = Client()
    admin.force_login(admins[0], backend="alongside.accounts.backends.EmailBackend")
    _verify_mfa(admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(reverse("care:client_erase", args=[profile.pk]), {"confirm_email": erased.email})
    assert response.status_code == 302, response.content[:2000]
    return erased


def _verify_mfa(web: Client) -> None:
    import time

    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    session = web.session
    session.update({SESSION_MFA_OK: True, SESSION_AUTH_AT: time.time(), SESSION_SEEN_AT: time.time()})
    session.save()


@pytest.fixture(scope="module")
def erased(django_db_setup, django_db_blocker) -> Iterator[Erased]:
    """The richest synthetic client, erased by their admin; rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]  # as TestCase marks its own, for durable blocks
        outer.__enter__()
        try:
            starter_catalogue_ensure()  # a transactional test earlier in the run may have flushed it
            yield _build_and_erase()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _routes_without_ids() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if not pattern.pattern.converters:
                    walk(pattern.url_patterns, inner)
            elif pattern.name and not pattern.pattern.converters and "<" not in str(pattern.pattern):
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names) - NOT_WALKED)


def test_every_page_of_the_care_team_and_admin_still_answers(erased, staff_client) -> None:
    """Every parameterless page and API answers the erased client's clinicians and admin without an error."""
    routes = _routes_without_ids()
    assert {"care:caseload", "api:clients_list", "messaging:inbox", "measures:outcomes"} <= set(routes)
    for user in erased.staff:
        web = staff_client(user)
        for name in routes:
            response = web.get(reverse(name))
            assert response.status_code < 500, (user.email, name, response.status_code)
        for name in ("care:caseload", "api:clients_list", "messaging:inbox", "sessions:upcoming", "notify:list"):
            assert web.get(reverse(name)).status_code == 200, (user.email, name)
        for words in ("sleep diary", "breathing", "Thursday"):
            assert web.get(reverse("messaging:search"), {"q": words}).status_code == 200
        assert erased.email.encode() not in web.get(reverse("care:caseload")).content


def test_the_care_teams_other_threads_still_open(erased, staff_client) -> None:
    """Every other conversation of the practice opens for its clinicians, with its messages readable."""
    threads = Thread.objects.exclude(client_id=erased.client_id).filter(client__user__email__endswith=CONFIG.domain)
    assert threads.exists()
    for thread in threads:
        clinician = CareTeamMember.objects.filter(client_id=thread.client_id, ended_at__isnull=True).first().clinician
        response = staff_client(clinician).get(reverse("messaging:staff_thread", args=[thread.client_id]))
        assert response.status_code == 200
        first = Message.objects.filter(thread=thread).order_by("seq").first()
        assert first.body.encode() in response.content or first.body.replace("'", "&#x27;").encode() in response.content


def test_the_practice_lists_and_outcomes_still_answer(erased, staff_client) -> None:
    """The admin's alerts, outcomes and staff pages answer 200 after the erasure."""
    admin = staff_client(erased.staff[-1])
    for name in ("measures:alerts", "measures:outcomes", "care:staff_list", "api:alerts_open"):
        assert admin.get(reverse(name)).status_code == 200, name


def test_the_erased_clients_own_pages_are_gone(erased, staff_client) -> None:
    """Their record, thread, sessions, progress, alerts and attachment answer 404, not 500."""
    cid = erased.client_id
    urls = [
        reverse("care:client_detail", args=[cid]),
        reverse("messaging:staff_thread", args=[cid]),
        reverse("sessions:client", args=[cid]),
        reverse("sessions:brief", args=[cid]),
        reverse("measures:progress", args=[cid]),
        reverse("selfcare:staff_homework", args=[cid]),
        reverse("api:client_get", args=[cid]),
        reverse("api:thread_get", args=[cid]),
        reverse("messaging:attachment", args=[erased.attachment_id]),
        *(reverse("measures:alert_detail", args=[alert]) for alert in erased.alert_ids),
    ]
    for user in erased.staff:
        web = staff_client(user)
        for url in urls:
            assert web.get(url).status_code == 404, (user.email, url)


def test_the_erased_client_cannot_sign_in_or_use_the_api(erased) -> None:
    """Password, API token and the session they held all stop working."""
    web = Client()
    web.post(reverse("accounts:login"), {"email": erased.email, "password": CONFIG.password})
    assert "_auth_user_id" not in web.session
    assert web.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {erased.token}").status_code == 401
    response = erased.signed_in.get(reverse("messaging:client_thread"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def _models_naming(model_of: type) -> list[tuple[type, str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is model_of
    ]


def test_no_row_references_the_erased_client(erased) -> None:
    """No row of any model points at their account or record; only audit events keep their id."""
    for model, name in _models_naming(User) + _models_naming(ClientProfile):
        assert not model._default_manager.filter(**{f"{name}_id": erased.client_id}).exists(), (model, name)
    assert not DataKey.objects.filter(owner_id=erased.client_id).exists()
    assert not Attachment.objects.filter(pk=erased.attachment_id).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CLIENT_ERASED, client_id=erased.client_id).count() == 1
    forms = [str(erased.client_id), erased.client_id.hex]
    assert _columns_containing(forms, exclude={AuditEvent._meta.db_table}) == []


def _columns_containing(needles: list[str], *, exclude: set[str] = frozenset(), only: set[str] | None = None) -> list:
    """Return (table, column, count) for every column of every table whose text holds a needle."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in exclude or (only is not None and table not in only):
                continue
            quoted_table = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted_table} WHERE 1 = 0")  # nosec B608
            for column in [description[0] for description in cursor.description]:
                quoted_column = connection.ops.quote_name(column)
                where = " OR ".join([f"LOWER(CAST({quoted_column} AS TEXT)) LIKE %s"] * len(needles))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE {where}",  # nosec B608: names from introspection
                    [f"%{needle.lower()}%" for needle in needles],
                )
                count = cursor.fetchone()[0]
                if count:
                    found.append((table, column, count))
    return found


def test_the_email_is_in_no_table_outside_the_audit_log(erased) -> None:
    """No text column of any table (sessions, throttles, invitations, notifications...) holds the email."""
    assert _columns_containing([erased.email], exclude={AuditEvent._meta.db_table}) == []


def test_the_audit_log_keeps_no_email_of_the_erased_client(erased) -> None:
    """Audit events keep the erased client's id as a pseudonym, never their email."""
    assert AuditEvent.objects.filter(actor_id=erased.client_id).exists()
    leaks = _columns_containing([erased.email], only={AuditEvent._meta.db_table})
    assert leaks == []
