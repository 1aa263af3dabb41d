"""The access layer's rules, one role at a time."""

from __future__ import annotations

import pytest
from django.http import Http404

from alongside.access import Action, care_team_clients, client_or_404, decide, visible_clients
from alongside.accounts.services import user_deactivate
from alongside.care.models import CareTeamMember
from alongside.consent.models import Scope
from alongside.consent.services import scopes_set

pytestmark = pytest.mark.django_db


def test_treating_clinician_sees_shared_scopes_only(world) -> None:
    """Alice sees the streams Sam shares and not the ones Sam keeps to themself."""
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    assert not decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.WEARABLES_HEART)
    assert decide(world.alice, world.sam, Action.WRITE_CLINICAL)


def test_revoking_a_scope_takes_effect_at_once(world) -> None:
    """A revoked scope hides that stream from the therapist on the very next check."""
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    scopes_set(client=world.sam, scopes={Scope.MOOD: False}, actor=world.sam.user)
    assert not decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    assert decide(world.alice, world.sam, Action.VIEW_CLINICAL, Scope.MEASURES)


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_outsiders_get_nothing(world, who) -> None:
    """A clinician off the care team, or of another practice, can neither read nor write."""
    user = getattr(world, who)
    for action in Action:
        assert not decide(user, world.sam, action, Scope.MOOD)
    with pytest.raises(Http404):
        client_or_404(user, world.sam.pk, Action.VIEW_ADMIN)
    assert world.sam not in visible_clients(user)


def test_another_client_gets_nothing(world) -> None:
    """One client cannot see another's record."""
    assert not decide(world.other_client.user, world.sam, Action.VIEW_ADMIN)
    assert list(visible_clients(world.other_client.user)) == [world.other_client]


def test_client_owns_their_record_but_cannot_erase_it_from_here(world) -> None:
    """Sam reads and writes Sam's own record; erasure is an admin action."""
    assert decide(world.sam.user, world.sam, Action.VIEW_CLINICAL, Scope.WEARABLES_HEART)
    assert decide(world.sam.user, world.sam, Action.WRITE_CLINICAL)
    assert not decide(world.sam.user, world.sam, Action.ERASE)


def test_admin_sees_administrative_record_but_not_clinical_data(world) -> None:
    """A practice admin off the care team manages and may erase, but sees no shared stream."""
    assert decide(world.admin, world.sam, Action.VIEW_ADMIN)
    assert decide(world.admin, world.sam, Action.ERASE)
    assert not decide(world.admin, world.sam, Action.VIEW_CLINICAL, Scope.MOOD)
    assert world.sam in visible_clients(world.admin)
    assert world.sam not in care_team_clients(world.admin)


def test_leaving_the_care_team_ends_access(world) -> None:
    """A clinician whose care-team membership ended no longer sees the client."""
    from django.utils import timezone

    CareTeamMember.objects.filter(client=world.sam, clinician=world.alice).update(
        ended_at=timezone.now(), is_primary=False
    )
    assert not decide(world.alice, world.sam, Action.VIEW_ADMIN)


def test_deactivated_staff_get_nothing(world) -> None:
    """Deactivating a clinician ends their access."""
    user_deactivate(user=world.alice, actor=world.admin)
    world.alice.refresh_from_db()
    assert not decide(world.alice, world.sam, Action.VIEW_ADMIN)


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "", "1"])
def test_malformed_or_unknown_ids_are_404(world, bad_id) -> None:
    """A malformed or unknown id is a plain 404, never a server error."""
    with pytest.raises(Http404):
        client_or_404(world.alice, bad_id, Action.VIEW_ADMIN)
