"""Group sessions and one-to-one sessions do not overlap: each refuses a time the other holds, with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alongside.core.actor import signed_in
from alongside.sessions.services import appointment_create
from alongside.telehealth.services import groups as group_services
from tests import factories

pytestmark = pytest.mark.django_db

AT = dt.timedelta(days=2)


@pytest.fixture
def kim(world):
    """A second client of Alice's."""
    return factories.client(world.practice, clinicians=(world.alice,), name="Kim")


def _group(world, kim, *, starts_at):
    return group_services.group_create(
        actor=world.alice,
        title="Skills group",
        starts_at=starts_at,
        duration_minutes=90,
        client_ids=[world.sam.pk, kim.pk],
    )


def _start():
    return (timezone.now() + AT).replace(second=0, microsecond=0)


def test_a_one_to_one_session_over_the_clinicians_group_is_refused(world, kim):
    """Alice cannot book Sam at 30 minutes into the group she runs (before: the booking was made)."""
    starts = _start()
    _group(world, kim, starts_at=starts)
    with pytest.raises(ValidationError, match="You have a group session at that time"):
        appointment_create(
            actor=signed_in(world.alice), client_id=world.sam.pk, starts_at=starts + dt.timedelta(minutes=30)
        )
    # Right after the group ends, the time is free.
    appointment_create(
        actor=signed_in(world.alice), client_id=world.sam.pk, starts_at=starts + dt.timedelta(minutes=90)
    )


def test_another_clinician_cannot_book_an_invited_client_during_the_group(world, kim):
    """Bob, also on Kim's care team, is told Kim has a group session then."""
    bob = factories.staff(world.practice, email="bob@example.test")
    both = factories.client(world.practice, clinicians=(world.alice, bob), name="Lee")
    starts = _start()
    group_services.group_create(
        actor=world.alice, title="Skills group", starts_at=starts, duration_minutes=90, client_ids=[both.pk, kim.pk]
    )
    with pytest.raises(ValidationError, match="The client has a group session at that time"):
        appointment_create(actor=signed_in(bob), client_id=both.pk, starts_at=starts + dt.timedelta(minutes=60))


def test_a_cancelled_group_frees_its_time(world, kim):
    """Once the group is cancelled, the one-to-one booking is accepted."""
    starts = _start()
    group = _group(world, kim, starts_at=starts)
    group_services.group_cancel(actor=signed_in(world.alice), group_id=group.pk)
    appointment_create(actor=signed_in(world.alice), client_id=world.sam.pk, starts_at=starts)


def test_a_group_over_the_clinicians_one_to_one_session_or_group_is_refused(world, kim):
    """Scheduling a group when Alice already has a session, or another group, at that time is refused."""
    starts = _start()
    appointment_create(actor=signed_in(world.alice), client_id=world.sam.pk, starts_at=starts)
    with pytest.raises(ValidationError, match="You already have a session at that time"):
        _group(world, kim, starts_at=starts - dt.timedelta(minutes=60))
    later = starts + dt.timedelta(hours=5)
    _group(world, kim, starts_at=later)
    with pytest.raises(ValidationError, match="You already have a session at that time"):
        _group(world, kim, starts_at=later + dt.timedelta(minutes=45))
