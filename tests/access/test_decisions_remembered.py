"""Within one request the access layer works a staff grant out once, and forgets it when sharing changes."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.access import Action, decide, decisions_remembered
from alongside.care.models import CareTeamMember
from alongside.consent.models import Scope, ScopeGrant
from alongside.consent.services import scopes_set

pytestmark = pytest.mark.django_db


def test_one_grant_lookup_per_person_and_client_within_a_request(world) -> None:
    """Ten questions about Sam from Alice cost the queries of one; outside the block every question asks again."""
    with CaptureQueriesContext(connection) as outside:
        for _ in range(10):
            assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    with decisions_remembered(), CaptureQueriesContext(connection) as inside:
        for _ in range(10):
            assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
        assert not decide(world.bob, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)  # another person: asked anew
    assert len(outside) == 20
    assert len(inside) == 4


def test_a_scope_revoked_inside_the_request_is_seen_at_the_next_question(world) -> None:
    """Sam stops sharing mood in the middle of a request: the next decision already refuses."""
    with decisions_remembered():
        assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
        scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
        assert not decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)


def test_bulk_updates_and_rolled_back_savepoints_are_forgotten_too(world) -> None:
    """A queryset .update() (no signals) and a savepoint rolled back both clear what was remembered."""
    with decisions_remembered():
        assert decide(world.alice, world.sam, Action.WRITE_CLINICAL)
        CareTeamMember.objects.filter(client=world.sam, clinician=world.alice).update(ended_at="2026-01-01T00:00Z")
        assert not decide(world.alice, world.sam, Action.WRITE_CLINICAL)
        CareTeamMember.objects.filter(client=world.sam, clinician=world.alice).update(ended_at=None)
        assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
        try:
            with transaction.atomic():
                ScopeGrant.objects.filter(client=world.sam, scope=Scope.MOOD).update(granted=False)
                assert not decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)


def test_the_session_brief_asks_for_the_grant_once(world, staff_client) -> None:
    """The brief page reads Alice's membership for Sam once (it read it 13 times before the request cache)."""
    c = staff_client(world.alice)
    url = reverse("sessions:brief", args=[world.sam.pk])
    assert c.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url).status_code == 200
    membership_reads = [q for q in queries if 'FROM "care_membership"' in q["sql"] and "on_team" in q["sql"]]
    assert len(membership_reads) == 1


def test_the_client_profile_is_loaded_once_and_reloaded_after_a_change(world) -> None:
    """Asking for Sam seven times loads the profile once; after a write to it, the next question loads it anew."""
    from alongside.access import client_or_404
    from alongside.care.models import ClientProfile

    with decisions_remembered():
        with CaptureQueriesContext(connection) as queries:
            first = [client_or_404(world.alice, world.sam.pk, Action.VIEW_ADMIN) for _ in range(7)]
        profile_reads = [q for q in queries if 'FROM "care_clientprofile"' in q["sql"]]
        assert len(profile_reads) == 1
        assert all(c is first[0] for c in first)
        ClientProfile.objects.filter(pk=world.sam.pk).update(time_zone="Europe/Madrid")
        assert client_or_404(world.alice, world.sam.pk, Action.VIEW_ADMIN).time_zone == "Europe/Madrid"


def test_the_brief_loads_the_client_profile_once(world, staff_client) -> None:
    """Seven brief sections each ask for Sam: one profile read in all."""
    c = staff_client(world.alice)
    url = reverse("sessions:brief", args=[world.sam.pk])
    assert c.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url).status_code == 200
    assert len([q for q in queries if q["sql"].startswith('SELECT "care_clientprofile"."user_id"')]) == 1
