"""access.owned_or_404: one way to fetch a record that belongs to a client, by id."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from alongside import access
from alongside.access import Action
from alongside.consent.models import Scope
from alongside.consent.services import scopes_set
from alongside.measures.models import MeasureResponse
from alongside.selfcare.models import ExerciseEntry
from alongside.sessions.models import Appointment
from tests.access import walk_objects
from tests.access.walk_objects import FACTORIES, Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> Cast:
    return walk_objects.cast()


def _make(people: Cast, param: str) -> object:
    return FACTORIES[param](people, {})


def _refused(actor: object, model: type, pk: object, action: Action, scope: Scope | None = None) -> str:
    with pytest.raises(Http404) as refused:
        access.owned_or_404(actor, model, pk, action, scope)
    return str(refused.value)


def test_care_team_reaches_an_appointment_and_nobody_else_does(people: Cast) -> None:
    """Alice (care team) gets Sam's appointment; Sam, the admin, Bob, Carol and Robin get 404."""
    appointment = _make(people, "appointment_id")
    assert isinstance(appointment, Appointment)
    found = access.owned_or_404(people.alice, Appointment, appointment.pk, Action.CARE_TEAM)
    assert found == appointment
    assert found.client == people.sam
    for actor in (people.sam.user, people.admin, people.bob, people.carol, people.robin.user, None):
        _refused(actor, Appointment, appointment.pk, Action.CARE_TEAM)


def test_a_refusal_reads_like_a_missing_or_malformed_id(people: Cast) -> None:
    """An outsider cannot tell a refused record from one that does not exist or an id that is not one."""
    appointment = _make(people, "appointment_id")
    assert isinstance(appointment, Appointment)
    refused = _refused(people.bob, Appointment, appointment.pk, Action.CARE_TEAM)
    missing = _refused(people.alice, Appointment, uuid.uuid4(), Action.CARE_TEAM)
    malformed = _refused(people.alice, Appointment, "not-a-uuid", Action.CARE_TEAM)
    nothing = _refused(people.alice, Appointment, None, Action.CARE_TEAM)
    assert refused == missing == malformed == nothing


def test_own_is_the_client_alone(people: Cast) -> None:
    """Action.OWN lets Sam open his own draft exercise and refuses his own clinician."""
    entry = _make(people, "entry_id")
    assert isinstance(entry, ExerciseEntry)
    assert access.owned_or_404(people.sam.user, ExerciseEntry, entry.pk, Action.OWN) == entry
    _refused(people.alice, ExerciseEntry, entry.pk, Action.OWN)
    _refused(people.robin.user, ExerciseEntry, entry.pk, Action.OWN)


def test_a_revoked_scope_hides_a_response_from_the_team(people: Cast) -> None:
    """With measures shared Alice reads Sam's response; once Sam revokes the scope she gets 404, Sam still reads it."""
    response = _make(people, "response_id")
    assert isinstance(response, MeasureResponse)
    args = (MeasureResponse, response.pk, Action.VIEW_CLINICAL, Scope.MEASURES)
    assert access.owned_or_404(people.alice, *args) == response
    scopes_set(client=people.sam, scopes={Scope.MEASURES: False}, actor=people.sam.user)
    _refused(people.alice, *args)
    assert access.owned_or_404(people.sam.user, *args) == response


def test_a_narrower_queryset_and_the_grant(people: Cast) -> None:
    """Rows outside the given queryset are 404 even for the owner; the grant comes back for further questions."""
    entry = _make(people, "entry_id")
    assert isinstance(entry, ExerciseEntry)
    none_left = ExerciseEntry.objects.exclude(pk=entry.pk)
    with pytest.raises(Http404):
        access.owned_or_404(people.sam.user, ExerciseEntry, entry.pk, Action.OWN, queryset=none_left)
    found, grant = access.owned_and_grant_or_404(people.sam.user, ExerciseEntry, entry.pk, Action.OWN)
    assert found == entry
    assert grant.is_self
    assert not grant.allows(Action.CARE_TEAM)


def test_a_locked_fetch_locks_the_record_alone(people: Cast) -> None:
    """With select_for_update the record is fetched without joining its client, so only its own row is locked."""
    appointment = _make(people, "appointment_id")
    assert isinstance(appointment, Appointment)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = Appointment.objects.select_for_update()
        found = access.owned_or_404(people.alice, Appointment, appointment.pk, Action.CARE_TEAM, queryset=rows)
    assert found == appointment
    fetch = next(q["sql"] for q in queries.captured_queries if "sessions_appointment" in q["sql"])
    assert "JOIN" not in fetch.upper()
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in fetch.upper()


def test_one_fetch_costs_three_queries(people: Cast, django_assert_num_queries) -> None:
    """The record with its client, the membership (with care-team flag) and the shared scopes: three queries."""
    appointment = _make(people, "appointment_id")
    assert isinstance(appointment, Appointment)
    with django_assert_num_queries(3):
        found = access.owned_or_404(people.alice, Appointment, appointment.pk, Action.CARE_TEAM)
        assert found.client.user.email
        assert found.client.practice.name
