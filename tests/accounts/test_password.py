"""Password reset by email and password change in settings."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile
from tests.factories import PASSWORD

SENTINEL = "Zebulon-Sentinel-7731"
NEW_PASSWORD = "quiet-meadow-compass-88"


def _ask_reset(client: Client, email: str, capture) -> str:
    """Ask for a reset link; run what the request queued for after its commit (the outbox delivery)."""
    with capture(execute=True):
        return client.post("/accounts/password/reset/", {"email": email})["Location"]


def _reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_email_is_sent_without_client_data(
    client: Client, world, django_capture_on_commit_callbacks
) -> None:
    """The reset email carries a link and no client data; the request is audited."""
    ClientProfile.objects.filter(pk=world.sam.pk).update(preferred_name=SENTINEL)
    location = _ask_reset(client, world.sam.user.email.upper(), django_capture_on_commit_callbacks)
    assert location == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.sam.user.email]
    text = message.subject + message.body + "".join(str(a[0]) for a in getattr(message, "alternatives", []))
    assert SENTINEL not in text
    assert "Riverside" not in text
    assert "/accounts/password/reset/" in message.body
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count() == 1


def test_unknown_email_gets_the_same_answer_and_no_link(
    client: Client, world, django_capture_on_commit_callbacks
) -> None:
    """An unknown address is not revealed: same page; its email says no account uses it and carries no link.

    (It used to get no email at all, which made the answer measurably faster: issue #11, finding 7.)
    """
    location = _ask_reset(client, "nobody@example.test", django_capture_on_commit_callbacks)
    assert location == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    assert "/accounts/password/reset/" not in message.body


def test_client_can_reset_the_password_and_sign_in(client: Client, world, django_capture_on_commit_callbacks) -> None:
    """A client follows the emailed link, chooses a new password and signs in with it."""
    _ask_reset(client, world.sam.user.email, django_capture_on_commit_callbacks)
    link = _reset_link(mail.outbox[0].body)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/complete/"
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, detail__via="reset").count() == 1
    assert client.post("/accounts/login/", {"email": world.sam.user.email, "password": NEW_PASSWORD}).status_code == 302
    assert "expired or was already used" in Client().get(link).content.decode()


def test_password_change_in_settings_is_audited_and_keeps_the_session(staff_client, world) -> None:
    """Changing the password needs the old one, is audited, and keeps this session signed in."""
    client = staff_client(world.alice)
    wrong = client.post(
        "/accounts/settings/",
        {"action": "password", "old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()
    response = client.post(
        "/accounts/settings/",
        {"action": "password", "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/settings/"
    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, detail__via="settings").count() == 1
    assert client.get("/accounts/settings/").status_code == 200


def test_reset_emails_are_limited_to_three_an_hour_per_account(
    client: Client, world, django_capture_on_commit_callbacks
) -> None:
    """A fourth request within the hour gets the same answer but no email; an hour later it works again."""
    import datetime as dt

    import time_machine

    start = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        answers = [_ask_reset(client, world.sam.user.email, django_capture_on_commit_callbacks) for _ in range(4)]
    assert answers == ["/accounts/password/reset/sent/"] * 4
    assert len(mail.outbox) == 3
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        _ask_reset(client, world.sam.user.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4


def test_the_reset_limit_reads_an_index_not_the_whole_audit_log(world) -> None:
    """Counting an account's recent reset requests has its own partial index, and SQLite seeks it (anyone can ask)."""
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    assert indexes["audit_password_reset_recent"]["columns"] == ["object_id", "at"]
    if connection.vendor == "sqlite":  # PostgreSQL's planner rightly scans a table this small
        sql, params = (
            AuditEvent.objects.filter(
                action=AuditAction.PASSWORD_RESET_REQUESTED, object_id=str(world.sam.pk), at__gte=timezone.now()
            )
            .order_by()
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "audit_password_reset_recent" in plan, plan
