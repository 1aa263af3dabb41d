"""Live pushes go through one task, ``notify.live.push_live``, on the "live" task backend, after commit.

Immediate by default (in the process, right after commit); an operator can queue them in the database for a
worker instead. A push that fails is logged and counted and never undoes the write that caused it.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.management import call_command
from django.db import transaction
from django.tasks.signals import task_enqueued
from django.test import override_settings

from alongside.messaging import services as messaging
from alongside.messaging.models import Message, Thread
from alongside.notify import live
from alongside.notify.models import Notification
from alongside.notify.services import group_name

pytestmark = pytest.mark.django_db

IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"
LIVE_IN_DATABASE = {"default": {"BACKEND": IMMEDIATE}, "live": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _loop_free_thread():
    """These tests push from the test thread as a request thread does in the server, which holds no event loop.

    Once a browser test has run, Playwright's synchronous API leaves its loop attached to this thread (see
    tests/async_support.py): pushes would then be scheduled on that idle loop, and ``async_to_sync`` refuses to
    run. Setting the loop aside is no cure: Django keeps database connections per loop-or-thread, so the test
    would write through a second connection and meet SQLite's table locks. The PostgreSQL pass of `make test`
    runs no browser test, so these tests always run there.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    pytest.skip("a browser test left Playwright's event loop on this thread; the PostgreSQL pass runs these tests")


@pytest.fixture
def layer():
    """The in-memory channel layer, emptied, and a way to read what one group received."""
    channel_layer = get_channel_layer()
    async_to_sync(channel_layer.flush)()

    def listen(group):
        channel = async_to_sync(channel_layer.new_channel)()
        async_to_sync(channel_layer.group_add)(group, channel)

        def received():
            queue = channel_layer.channels.get(channel)
            return [async_to_sync(channel_layer.receive)(channel) for _ in range(queue.qsize() if queue else 0)]

        return received

    yield listen
    async_to_sync(channel_layer.flush)()


@pytest.fixture
def enqueued():
    """Every task enqueued during the test, as (task path, backend alias, args)."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.module_path, task_result.backend, list(task_result.args)))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


def _pushes(enqueued):
    return [args[0] for path, backend, args in enqueued if path == "alongside.notify.live.push_live"]


def _send(world, body="See you Thursday", key="live-key-0001"):
    return messaging.message_send(actor=world.sam.user, client_id=world.sam.pk, body=body, idempotency_key=key)


def test_a_message_reaches_open_pages_through_the_live_task(world, layer, enqueued, django_capture_on_commit_callbacks):
    """Sam sends: the thread's new number and Alice's unread count each go out as a push_live task on "live"."""
    thread = Thread.objects.get_or_create(client=world.sam)[0]
    thread_page, alice_bell = layer(thread.group_name), layer(group_name(world.alice.pk))
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(world)
    assert {backend for path, backend, _args in enqueued if path.endswith("push_live")} == {"live"}
    pushes = _pushes(enqueued)
    assert [thread.group_name, {"type": "thread.message", "seq": sent.message.seq}] in [p[0] for p in pushes]
    assert thread_page() == [{"type": "thread.message", "seq": sent.message.seq}]
    bell = alice_bell()
    assert [(e["type"], e["kind"], e["count"]) for e in bell] == [("notify.event", "message", 1)]
    assert "See you" not in repr(pushes), "a push carries ids and counts, never text"


def test_a_read_receipt_is_pushed_through_the_task(world, layer, enqueued, django_capture_on_commit_callbacks):
    """Alice reads Sam's message: the thread hears "read up to 1, by the team" through push_live."""
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    thread_page = layer(Thread.objects.get(client=world.sam).group_name)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        messaging.thread_mark_read(actor=world.alice, client_id=world.sam.pk, seq=1)
    assert thread_page() == [{"type": "thread.read", "seq": 1, "by_client": False}]
    assert len(_pushes(enqueued)) == 1


def test_a_rolled_back_write_pushes_nothing(world, layer, enqueued, django_capture_on_commit_callbacks):
    """A push asked for inside a transaction that rolls back is never enqueued nor sent."""
    page = layer("thread.test")

    def write_then_fail():
        with transaction.atomic():
            live.live_push([("thread.test", {"type": "thread.message", "seq": 1})])
            raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_then_fail()
    assert _pushes(enqueued) == []
    assert page() == []


class _BrokenLayer:
    async def group_send(self, group, event):
        raise ConnectionError("redis is down")


def test_a_failed_push_is_logged_and_counted_and_the_message_stays(
    world, monkeypatch, caplog, enqueued, django_capture_on_commit_callbacks
):
    """Channel layer down: the message and Alice's in-app notice are stored; the failures are logged and counted."""
    monkeypatch.setattr("channels.layers.get_channel_layer", lambda *a, **k: _BrokenLayer())
    caplog.set_level(logging.ERROR, logger="alongside.notify")
    before = live.live_push_counts()
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(world, body="I can't make Thursday")
    assert Message.objects.filter(pk=sent.message.pk).exists()
    assert Notification.objects.filter(recipient=world.alice, kind="message").count() == 1
    after = live.live_push_counts()
    pairs = sum(len(payload) for payload in _pushes(enqueued))
    assert pairs >= 2, "at least the thread push and Alice's bell"
    assert after["failed"] - before["failed"] == pairs
    assert "live push thread.message to a thread group failed" in caplog.text
    assert "Thursday" not in caplog.text
    assert str(world.alice.pk) not in caplog.text
    assert world.alice.pk.hex not in caplog.text


def test_events_that_are_not_json_are_refused_without_failing_the_caller(db, caplog):
    """A programming slip (an object in an event) is logged and counted; the caller carries on."""
    caplog.set_level(logging.ERROR, logger="alongside.notify")
    before = live.live_push_counts()["not_enqueued"]
    live.live_push([("thread.test", {"type": "thread.message", "seq": object()})])
    assert live.live_push_counts()["not_enqueued"] == before + 1
    assert "not JSON" in caplog.text


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=LIVE_IN_DATABASE)
def test_the_live_backend_can_be_a_database_queue_run_by_a_worker(world, layer):
    """With "live" on the database queue, the push waits as a task row; a worker for "live" then delivers it."""
    from django_tasks_db.models import DBTaskResult

    thread = Thread.objects.get_or_create(client=world.sam)[0]
    thread_page = layer(thread.group_name)
    sent = _send(world)
    queued = DBTaskResult.objects.filter(backend_name="live", task_path="alongside.notify.live.push_live")
    assert queued.count() >= 2, "at least the thread push and Alice's bell"
    assert thread_page() == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "live", verbosity=0)
    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert thread_page() == [{"type": "thread.message", "seq": sent.message.seq}]


def test_a_database_live_queue_without_redis_is_flagged_by_the_system_checks():
    """Queued pushes cannot reach an in-memory channel layer from a worker: `check` warns, and only then."""
    assert live.check_live_backend() == []
    with override_settings(TASKS=LIVE_IN_DATABASE):
        assert [m.id for m in live.check_live_backend()] == ["alongside.W001"]
        redis = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer"}}
        with override_settings(CHANNEL_LAYERS=redis):
            assert live.check_live_backend() == []


def test_a_live_push_adds_no_routine_task_lines_to_the_log(world, caplog, django_capture_on_commit_callbacks):
    """django.tasks logs each task's start and end at INFO; for live pushes (several per message) those are dropped."""
    caplog.set_level(logging.INFO, logger="django.tasks")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    lines = [r.getMessage() for r in caplog.records if r.name == "django.tasks"]
    assert not [line for line in lines if "push_live" in line]
    assert [line for line in lines if "deliver_email" in line], "other tasks are still logged"
