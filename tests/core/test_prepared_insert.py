"""An insert compiled once (``alongside.core.prepared.PreparedInsert``, issue #19) stores what Django's own insert
stores, keeps out a row whose unique key is taken, and compiles its statement once per database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alongside.core.prepared import PreparedInsert
from alongside.selfcare.models import CheckIn

pytestmark = pytest.mark.django_db


def _checkin(world, key: str) -> CheckIn:
    return CheckIn(
        client=world.sam,
        at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        local_date=dt.date(2026, 12, 1),
        mood=6,
        sleep_quality=4,
        sleep_hours=Decimal("7.5"),
        emotions=[{"name": "calm", "intensity": 6}],
        activities=["walk"],
        note="Caminé junto al río",
        idempotency_key=key,
    )


def test_a_row_inserted_once_compiled_reads_back_as_the_orm_would_store_it(world) -> None:
    prepared = PreparedInsert(CheckIn, ignore_conflicts=True)
    ours, django = _checkin(world, "prepared-1"), _checkin(world, "orm-1")
    assert prepared.insert(ours)
    django.save()
    assert not ours._state.adding
    assert ours.created_at is not None  # auto_now_add ran, as in save()
    mine, theirs = CheckIn.objects.get(pk=ours.pk), CheckIn.objects.get(pk=django.pk)
    fields = ("client_id", "at", "local_date", "mood", "sleep_quality", "sleep_hours", "emotions", "activities", "note")
    for field in fields:  # the last three sealed under Sam's key, opened again here
        assert getattr(mine, field) == getattr(theirs, field), field
    assert mine.created_at == ours.created_at


def test_a_taken_key_keeps_the_row_out_and_the_statement_is_compiled_once(world, monkeypatch) -> None:
    prepared = PreparedInsert(CheckIn, ignore_conflicts=True)
    assert prepared.insert(_checkin(world, "prepared-2"))

    def compile_again(*args):
        raise AssertionError("compiled a second time")

    monkeypatch.setattr(prepared, "_compile", compile_again)
    again = _checkin(world, "prepared-2")
    assert prepared.insert(again) is False
    assert again._state.adding
    assert CheckIn.objects.filter(client=world.sam, idempotency_key="prepared-2").count() == 1
    assert prepared.insert(_checkin(world, "prepared-3"))
