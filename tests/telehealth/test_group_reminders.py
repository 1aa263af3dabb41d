"""Group session reminders: 24 h and 1 h before, to every invited client and the clinician, content-free, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.notify.models import Notification, NotificationKind, OutboundEmail
from alongside.telehealth.group_models import GroupReminder
from alongside.telehealth.services import groups as group_services
from alongside.telehealth.services import reminders_send
from tests import factories

pytestmark = pytest.mark.django_db


def _group(world, *, starts_in):
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    group = group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=timezone.now() + starts_in,
        duration_minutes=90,
        client_ids=[world.sam.pk, kim.pk],
    )
    return group, kim


def test_each_client_and_the_clinician_get_the_day_and_hour_reminders_once(world):
    """Sam, Kim and Alice each get one email a day before and one an hour before; no title, no names."""
    group, kim = _group(world, starts_in=dt.timedelta(hours=30))
    start = group.starts_at
    assert reminders_send(now=start - dt.timedelta(hours=25)) == 0
    assert reminders_send(now=start - dt.timedelta(hours=23, minutes=55)) == 6  # 3 people, email and in-app
    assert reminders_send(now=start - dt.timedelta(hours=23, minutes=50)) == 0  # never twice
    assert reminders_send(now=start - dt.timedelta(minutes=58)) == 6
    assert reminders_send(now=start - dt.timedelta(minutes=50)) == 0
    emails = list(OutboundEmail.objects.filter(kind="telehealth.reminder"))
    assert sorted(e.to for e in emails) == sorted([world.sam.user.email, kim.user.email, world.alice.email] * 2)
    for email in emails:
        assert "group session" in email.body
        for secret in ("Tuesday", "skills", world.alice.display_name, world.sam.preferred_name, "Kim"):
            assert secret not in email.body
            assert secret not in email.subject
    assert GroupReminder.objects.filter(group=group, channel="email").count() == 6
    notices = Notification.objects.filter(kind=NotificationKind.SESSION, topic=f"telehealth.group_reminder:{group.pk}")
    assert {n.link for n in notices} == {f"/telehealth/groups/{group.pk}/"}
    assert {n.recipient_id for n in notices} == {world.sam.user.pk, kim.user.pk, world.alice.pk}


def test_a_cancelled_group_sends_nothing(world):
    """Once cancelled, a group session reminds no one."""
    group, _kim = _group(world, starts_in=dt.timedelta(minutes=50))
    group_services.group_cancel(actor=world.alice, group_id=group.pk)
    assert reminders_send(now=timezone.now()) == 0
    assert not GroupReminder.objects.exists()


def test_the_worker_tick_sends_group_reminders(world):
    """The worker's regular measures_tick reaches group reminders through the telehealth hook."""
    import io

    from django.core.management import call_command

    _group(world, starts_in=dt.timedelta(minutes=30))
    call_command("measures_tick", "--no-email", stdout=io.StringIO())
    assert GroupReminder.objects.filter(kind="1h", channel="email").count() == 3
