"""An erasure that fails anywhere changes nothing: rows, sessions, tokens and the data key stay usable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.tokens import token_create
from alongside.care import erasure
from alongside.care.models import ClientProfile
from alongside.crypto import keys
from alongside.crypto.models import DataKey
from alongside.measures.models import MeasureSchedule
from alongside.messaging import services as messaging
from alongside.messaging.models import Attachment, Message
from alongside.notify.models import OutboundEmail
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Boom(Exception):
    """The failure injected into one step of the erasure."""


def _counts(client_id: Any) -> dict[str, int]:
    """Rows of every model that points at the client's account or record."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in (User, ClientProfile):
                key = f"{model._meta.label}.{field.name}"
                counts[key] = model._default_manager.filter(**{f"{field.name}_id": client_id}).count()
    counts["crypto.DataKey"] = DataKey.objects.filter(owner_id=client_id).count()
    return counts


@pytest.fixture
def sam(world, client, django_capture_on_commit_callbacks):
    """Sam has written and received messages (one with an attachment), holds a token and is signed in."""
    sam = world.sam
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_send(
            actor=sam.user,
            client_id=sam.pk,
            body="My sleep diary for this week.",
            idempotency_key="rollback-attachment",
            upload=messaging.Upload("diary.png", "image/png", PNG),
        )
        messaging.message_send(
            actor=world.alice, client_id=sam.pk, body="Thanks, Sam.", idempotency_key="rollback-reply"
        )
    token = token_create(actor=sam.user, name="phone").plain
    client.post(reverse("accounts:login"), {"email": sam.user.email, "password": factories.PASSWORD})
    assert client.get(reverse("messaging:client_thread")).status_code == 200
    return sam, token, client


def _assert_untouched(sam: ClientProfile, token: str, web: Client, before: dict[str, int]) -> None:
    assert _counts(sam.pk) == before
    keys.cache.forget()  # read the key from the database, not from this process's cache
    profile = ClientProfile.objects.get(pk=sam.pk)
    assert profile.preferred_name == "Sam"
    assert [m.body for m in Message.objects.filter(client=profile)] == ["My sleep diary for this week.", "Thanks, Sam."]
    assert Attachment.objects.get(client=profile).data == PNG
    assert web.get(reverse("messaging:client_thread")).status_code == 200
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def _failing(step: Callable[..., Any]) -> Callable[..., Any]:
    def run_then_fail(*args: Any, **kwargs: Any) -> Any:
        step(*args, **kwargs)
        raise Boom(step.__name__)

    return run_then_fail


STEPS = [step.__name__ for step in erasure.ERASURE_STEPS]


@pytest.mark.parametrize("failing_step", [*STEPS, "record", "destroy_data_key"])
def test_a_failure_at_any_step_changes_nothing(world, sam, failing_step: str, monkeypatch) -> None:
    """Whichever step fails (after doing its work), every row, the session, the token and the key survive."""
    profile, token, web = sam
    before = _counts(profile.pk)
    if failing_step in STEPS:
        steps = list(erasure.ERASURE_STEPS)
        index = STEPS.index(failing_step)
        steps[index] = _failing(steps[index])
        monkeypatch.setattr(erasure, "ERASURE_STEPS", steps)
    else:
        monkeypatch.setattr(erasure, failing_step, _failing(getattr(erasure, failing_step)))
    with pytest.raises(Boom):
        erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    _assert_untouched(profile, token, web, before)


def test_a_failing_account_delete_leaves_the_key(world, sam, monkeypatch) -> None:
    """If deleting the account fails, the data key is still there and opens the client's records."""
    profile, token, web = sam
    before = _counts(profile.pk)

    def refuse(self: User, *args: Any, **kwargs: Any) -> Any:
        raise Boom("account delete")

    monkeypatch.setattr(User, "delete", refuse)
    with pytest.raises(Boom):
        erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    _assert_untouched(profile, token, web, before)


def test_a_record_elsewhere_naming_the_client_stops_the_erasure(world, sam, staff_client) -> None:
    """A protected reference outside the client's own records is reported and nothing is erased."""
    profile, token, web = sam
    MeasureSchedule.objects.create(
        client=world.other_client, instrument="PHQ-9", rule="every_n_days", interval_days=14,
        starts_on=dt.date(2026, 1, 5), created_by=profile.user,
    )  # fmt: skip
    before = _counts(profile.pk)
    with pytest.raises(ValidationError, match="Nothing was erased"):
        erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    _assert_untouched(profile, token, web, before)
    admin = staff_client(world.admin)
    response = admin.post(reverse("care:client_erase", args=[profile.pk]), {"confirm_email": profile.user.email})
    assert response.status_code == 200
    assert b"Nothing was erased" in response.content


def test_erasing_a_client_who_sent_messages_completes(world, sam) -> None:
    """A client who has messaged their clinician is erased whole: account, thread and key are gone."""
    profile, token, _web = sam
    erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    assert not User.objects.filter(pk=profile.pk).exists()
    assert not Message.objects.filter(client_id=profile.pk).exists()
    assert not DataKey.objects.filter(owner_id=profile.pk).exists()
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_erasure_forgets_failed_sign_ins_counted_before_the_account_existed(world, sam) -> None:
    """The per-account count begun while the address had no account (no user on the row) goes too."""
    from alongside.accounts.models import LoginThrottle, ThrottleScope
    from alongside.accounts.throttle import throttle_failure, throttle_key

    profile, _token, _web = sam
    throttle_failure(email=profile.user.email, ip="203.0.113.9", user=None)
    account_key = throttle_key(ThrottleScope.ACCOUNT, profile.user.email)
    assert LoginThrottle.objects.filter(key=account_key, user=None).exists()
    erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    assert not LoginThrottle.objects.filter(key=account_key).exists()


def test_erasure_drops_unsent_email_to_the_client_only(world, sam) -> None:
    """An email still queued for the client is deleted with its key; one queued for Alice stays."""
    from alongside.notify.mail import email_enqueue

    profile, _token, _web = sam
    to_sam = email_enqueue(to=profile.user.email.upper(), subject="Reminder", body="Sign in.", kind="test")
    to_alice = email_enqueue(to=world.alice.email, subject="Reminder", body="Sign in.", kind="test")
    erasure.client_erase(actor=world.admin, client=profile, confirm_email=profile.user.email)
    assert not OutboundEmail.objects.filter(pk=to_sam.pk).exists()
    assert not DataKey.objects.filter(owner_id=to_sam.pk).exists()
    keys.cache.forget()
    assert OutboundEmail.objects.get(pk=to_alice.pk).to == world.alice.email
