"""The client record as a workspace: edit details (encrypted), discharge with a reason, re-open, search names.

Alice (Sam's clinician) and the practice admin may change Sam's record; Bob (same practice, not on
Sam's care team), Carol (another practice) and Sam himself may not. Phone and emergency contact are
stored sealed; the audit names the changed fields, never their values. Names are searchable through
the keyed blind index only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from alongside.audit.models import AuditAction, AuditEvent
from alongside.care.models import ClientProfile, ClientStatus, Episode, EpisodeEndReason
from alongside.care.selectors import name_search_filter
from alongside.care.services import ClientDetails, client_details_update, client_discharge, client_reopen

pytestmark = pytest.mark.django_db

PHONE = "+44 20 7946 0123"


def _details(**changes: str) -> ClientDetails:
    base = {"preferred_name": "Sam", "full_name": "Samuel Okafor-Núñez", "phone": PHONE}
    return ClientDetails(**{**base, **changes})


def test_the_care_team_edits_contact_details_and_they_are_sealed(world) -> None:
    """Alice saves Sam's phone and emergency contact; the columns hold ciphertext; the audit lists field names only."""
    client_details_update(
        actor=world.alice,
        client=world.sam,
        details=_details(emergency_contact_name="Ada Okafor", emergency_contact_phone="07700 900123"),
    )
    fresh = ClientProfile.objects.get(pk=world.sam.pk)
    assert (fresh.phone, fresh.emergency_contact_name) == (PHONE, "Ada Okafor")
    with connection.cursor() as cursor:
        cursor.execute(
            "select phone_sealed, emergency_contact_name_sealed from care_clientprofile where user_id = %s",
            [world.sam.pk.hex if connection.vendor == "sqlite" else world.sam.pk],
        )
        sealed = cursor.fetchone()
    assert sealed is not None
    assert PHONE not in sealed[0]
    assert "Ada" not in sealed[1]
    event = AuditEvent.objects.filter(action=AuditAction.CLIENT_UPDATED, client_id=world.sam.pk).latest("seq")
    assert "phone" in event.detail["fields"]
    assert PHONE not in str(event.detail)


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_staff_off_the_care_team_cannot_edit(world, who) -> None:
    """Bob and Carol are refused; nothing changes."""
    with pytest.raises(PermissionDenied):
        client_details_update(actor=getattr(world, who), client=world.sam, details=_details())
    assert ClientProfile.objects.get(pk=world.sam.pk).phone == ""


def test_the_client_cannot_discharge_themselves(world) -> None:
    """Sam may see his record but not end his own care."""
    with pytest.raises(PermissionDenied):
        client_discharge(
            actor=world.sam.user, client=world.sam, ended_on=dt.date(2026, 12, 1), reason=EpisodeEndReason.COMPLETED
        )


def test_discharge_ends_the_episode_and_reopen_starts_a_new_one(world) -> None:
    """Discharge closes the open episode with its reason; re-opening adds an episode and makes Sam active again."""
    Episode.objects.create(client=world.sam, started_on=dt.date(2026, 9, 1))
    client_discharge(
        actor=world.alice, client=world.sam, ended_on=dt.date(2026, 12, 1), reason=EpisodeEndReason.REFERRED
    )
    sam = ClientProfile.objects.get(pk=world.sam.pk)
    assert sam.status == ClientStatus.DISCHARGED
    closed = Episode.objects.get(client=sam)
    assert (closed.ended_on, closed.end_reason) == (dt.date(2026, 12, 1), EpisodeEndReason.REFERRED)
    with pytest.raises(ValidationError):
        client_discharge(actor=world.alice, client=sam, ended_on=dt.date(2026, 12, 2), reason=EpisodeEndReason.OTHER)
    with pytest.raises(ValidationError):
        client_reopen(actor=world.alice, client=sam, started_on=dt.date(2026, 11, 1))  # before the last ended
    client_reopen(actor=world.admin, client=sam, started_on=dt.date(2026, 12, 5))
    sam.refresh_from_db()
    assert sam.status == ClientStatus.ACTIVE
    assert Episode.objects.filter(client=sam, ended_on__isnull=True).get().started_on == dt.date(2026, 12, 5)


def test_names_are_found_through_the_blind_index_only(world) -> None:
    """A search finds Sam by a whole word or a 3+ letter prefix, accents and case ignored; the index holds no name."""
    client_details_update(actor=world.alice, client=world.sam, details=_details())
    sam = ClientProfile.objects.get(pk=world.sam.pk)
    assert "sam" not in sam.name_index.lower().split(":", 1)[1]
    assert "okafor" not in sam.name_index.lower()

    def found(query: str) -> set[str]:
        return {
            str(pk) for pk in ClientProfile.objects.filter(name_search_filter(query=query)).values_list("pk", flat=True)
        }

    assert str(sam.pk) in found("nunez")
    assert str(sam.pk) in found("OKA")
    assert str(sam.pk) in found("samuel okafor")
    assert str(sam.pk) not in found("samantha")
    assert str(world.other_client.pk) not in found("sam")
    assert len(found("")) == ClientProfile.objects.count()


def test_the_record_page_offers_tabs_contact_and_actions(world, staff_client) -> None:
    """Alice's view of Sam's record links every part of his workspace and offers edit and discharge."""
    client_details_update(actor=world.alice, client=world.sam, details=_details(emergency_contact_name="Ada Okafor"))
    web = staff_client(world.alice)
    html = web.get(reverse("care:client_detail", args=[world.sam.pk])).content.decode()
    for name in (
        "messaging:staff_thread",
        "selfcare:staff_exercises",
        "measures:progress",
        "care:client_edit",
        "care:client_discharge",
    ):
        assert reverse(name, args=[world.sam.pk]) in html, name
    assert PHONE in html
    assert "Ada Okafor" in html


def test_edit_and_discharge_through_the_pages(world, staff_client) -> None:
    """The edit form refuses a malformed phone next to the field and saves a good one; discharge posts a reason."""
    web = staff_client(world.alice)
    url = reverse("care:client_edit", args=[world.sam.pk])
    bad = web.post(url, {"preferred_name": "Sam", "phone": "call me maybe"})
    assert bad.status_code == 200
    assert "Use digits" in bad.content.decode()
    assert ClientProfile.objects.get(pk=world.sam.pk).phone == ""
    assert web.post(url, {"preferred_name": "Sam", "phone": PHONE}).status_code == 302
    Episode.objects.create(client=world.sam, started_on=dt.date(2026, 9, 1))
    response = web.post(
        reverse("care:client_discharge", args=[world.sam.pk]), {"ended_on": "2026-12-01", "reason": "completed"}
    )
    assert response.status_code == 302
    assert ClientProfile.objects.get(pk=world.sam.pk).status == ClientStatus.DISCHARGED


def test_outsiders_get_404_on_the_action_pages(world, staff_client) -> None:
    """Bob (same practice, not Sam's clinician) cannot open Sam's edit or discharge pages."""
    web = staff_client(world.bob)
    for name in ("care:client_edit", "care:client_discharge"):
        assert web.get(reverse(name, args=[world.sam.pk])).status_code in (403, 404)


def test_discharged_clients_leave_the_caseload_and_have_their_own_filter(world, staff_client) -> None:
    """After discharge Sam is not on Alice's caseload (nor under Needs attention) but is under Discharged."""
    Episode.objects.create(client=world.sam, started_on=dt.date(2026, 9, 1))
    client_discharge(
        actor=world.alice, client=world.sam, ended_on=dt.date(2026, 12, 1), reason=EpisodeEndReason.COMPLETED
    )
    web = staff_client(world.alice)
    record = reverse("care:client_detail", args=[world.sam.pk])
    for show in ("all", "attention"):
        assert record not in web.get(reverse("care:caseload"), {"show": show}).content.decode()
    assert record in web.get(reverse("care:caseload"), {"show": "discharged"}).content.decode()


def test_the_caseload_searches_names(world, staff_client) -> None:
    """Alice finds Sam by a prefix of his surname; a name that is not his hides him."""
    client_details_update(actor=world.alice, client=world.sam, details=_details())
    web = staff_client(world.alice)
    record = reverse("care:client_detail", args=[world.sam.pk])
    assert record in web.get(reverse("care:caseload"), {"q": "okaf"}).content.decode()
    found_none = web.get(reverse("care:caseload"), {"q": "zebedee"}).content.decode()
    assert record not in found_none
    assert 'name="q"' in found_none


def test_reindex_after_a_master_key_rotation_keeps_names_findable(world, settings) -> None:
    """Under a new master key the old tokens still match (old key listed); after reindex, with the old key gone too."""
    from alongside.care.services import client_names_reindex
    from alongside.crypto.keys import generate_master_key

    client_details_update(actor=world.alice, client=world.sam, details=_details())
    old = settings.ALONGSIDE_MASTER_KEY
    settings.ALONGSIDE_MASTER_KEY = generate_master_key()
    settings.ALONGSIDE_OLD_MASTER_KEYS = [old]

    def found() -> bool:
        return ClientProfile.objects.filter(name_search_filter(query="okafor"), pk=world.sam.pk).exists()

    assert found()
    assert client_names_reindex() >= 1
    settings.ALONGSIDE_OLD_MASTER_KEYS = []
    assert found()


def test_every_workspace_page_carries_the_tabs(world, staff_client) -> None:
    """Each of Sam's pages for Alice shows the workspace tabs, with its own tab marked current."""
    from alongside.web.context_processors import WORKSPACE_TABS

    web = staff_client(world.alice)
    for view_name, tab in WORKSPACE_TABS.items():
        response = web.get(reverse(view_name, args=[world.sam.pk]))
        assert response.status_code == 200, view_name
        html = response.content.decode()
        tabs = html.partition('class="record-tabs"')[2].partition("</nav>")[0]
        assert reverse("care:client_detail", args=[world.sam.pk]) in tabs, view_name
        url = reverse(view_name, args=[world.sam.pk])
        assert f'href="{url}" aria-current="page"' in tabs, (view_name, tab)


def test_the_admin_changes_the_care_team_from_the_record(world, staff_client) -> None:
    """The admin adds Bob as primary and takes Alice off; a clinician of another practice cannot be added."""
    from alongside.care.models import CareTeamMember

    web = staff_client(world.admin)
    url = reverse("care:client_team", args=[world.sam.pk])
    page = web.get(reverse("care:client_detail", args=[world.sam.pk])).content.decode()
    assert url in page
    web.post(url, {"action": "add", "clinician": str(world.bob.pk), "primary": "on"})
    web.post(url, {"action": "remove", "clinician": str(world.alice.pk)})
    web.post(url, {"action": "add", "clinician": str(world.carol.pk)})
    web.post(url, {"action": "add", "clinician": "not-an-id"})
    current = CareTeamMember.objects.filter(client=world.sam, ended_at__isnull=True)
    assert [(m.clinician_id, m.is_primary) for m in current] == [(world.bob.pk, True)]


def test_a_client_cannot_change_their_care_team(world, client) -> None:
    """Sam posting to his own team page is refused; the team is unchanged."""
    from alongside.care.models import CareTeamMember

    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    response = client.post(
        reverse("care:client_team", args=[world.sam.pk]), {"action": "remove", "clinician": str(world.alice.pk)}
    )
    assert response.status_code in (403, 404)
    assert CareTeamMember.objects.filter(client=world.sam, clinician=world.alice, ended_at__isnull=True).exists()
