"""Migration measures 0006 moves the alerts' in-app notices into notify, on SQLite and on PostgreSQL.

Run on PostgreSQL with ``python -m tests.with_postgres -- uv run --frozen pytest tests/notify/<this file>``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from alongside.notify.models import Notification, OutboundEmail
from alongside.safety.models import CriticalAlert
from tests.measures.support_staff import add_alert

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("measures", "0005_alert_sources"), ("notify", "0003_notification_topic")]
AFTER = [("measures", "0006_alert_notices_to_notify")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _bell(alert, user, kind, *, read_at=None):
    """The notify row the old after-commit path added beside each AlertNotification."""
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        link=f"/measures/alerts/{alert.pk}/",
        subject_client_id=alert.client_id,
        dedupe_key=f"{kind}:{alert.pk}",
        read_at=read_at,
    )


def test_each_alert_notice_becomes_one_notify_notice(world):
    """An alert notice with its bell twin merges into it; an escalation without one and a review notice become new
    notices; read and emailed times are kept; an outbox email pointing at an old notice points at the new one."""
    urgent = add_alert(world.sam)
    review = add_alert(world.sam)
    CriticalAlert.objects.filter(pk=review.pk).update(risk_level="review:passive")
    then = timezone.now() - dt.timedelta(hours=3)
    twin = _bell(urgent, world.alice, "alert")  # unread in the bell ...
    unrelated = _bell(urgent, world.bob, "message")
    try:
        before = _migrate(BEFORE)
        old = before.get_model("measures", "AlertNotification")
        seen = old.objects.create(  # ... but read on the alert page
            alert_id=urgent.pk,
            recipient_id=world.alice.pk,
            reason="alert",
            created_at=then,
            read_at=then,
            emailed_at=then,
        )
        escalation = old.objects.create(
            alert_id=urgent.pk, recipient_id=world.admin.pk, reason="escalation", created_at=then, emailed_at=None
        )
        old.objects.create(alert_id=review.pk, recipient_id=world.alice.pk, reason="alert", created_at=then)
        # The outbox as it was then (later migrations add columns the current model writes).
        waiting = before.get_model("notify", "OutboundEmail").objects.create(
            kind="measures.escalation", ref=f"measures.AlertNotification:{escalation.pk}"
        )
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    notices = {
        (n.recipient_id, n.topic): n for n in Notification.objects.exclude(pk=unrelated.pk).order_by("created_at")
    }
    assert set(notices) == {
        (world.alice.pk, f"measures.alert:{urgent.pk}"),
        (world.admin.pk, f"measures.alert:{urgent.pk}"),
        (world.alice.pk, f"measures.alert:{review.pk}"),
    }, "one notice per person and alert: Alice's two rows became one"
    merged = notices[(world.alice.pk, f"measures.alert:{urgent.pk}")]
    assert merged.pk == twin.pk
    assert (merged.read_at, merged.emailed_at) == (seen.read_at, seen.emailed_at)
    moved = notices[(world.admin.pk, f"measures.alert:{urgent.pk}")]
    assert (moved.kind, moved.link, moved.subject_client_id) == (
        "escalation",
        f"/measures/alerts/{urgent.pk}/",
        world.sam.pk,
    )
    assert (moved.dedupe_key, moved.created_at, moved.read_at, moved.in_app) == (
        f"escalation:{urgent.pk}",
        then,
        None,
        True,
    )
    fresh = notices[(world.alice.pk, f"measures.alert:{review.pk}")]
    assert (fresh.kind, fresh.read_at, fresh.emailed_at) == ("alert", None, None)
    assert OutboundEmail.objects.get(pk=waiting.pk).ref == f"notify.Notification:{moved.pk}"
    assert Notification.objects.get(pk=unrelated.pk).topic == "", "other notices are left alone"
