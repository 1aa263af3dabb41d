"""The warnings in the app: stored when a score arrives, shown in the caseload and brief, reviewed with a note."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.risk import page_parts
from alongside.risk.models import ClientRisk
from alongside.risk.services import client_risk_refresh
from tests.measures.support_measures import measures_library  # noqa: F401

from .conftest import START

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def test_a_new_score_refreshes_the_stored_warnings(world, worse):
    """Submitting a PHQ-9 stores the client's warnings: far above the expected band is not on track."""
    assert worse.not_on_track is True
    assert worse.phq9_total == 24
    assert worse.phq9_total > worse.phq9_upper > worse.phq9_expected
    assert worse.day_of_care == 35
    assert 0 < worse.dropout < 1
    assert len(worse.model_sha256) == 64


def test_no_score_and_no_session_stores_nothing(world):
    """A client with no score and no session yet has no warnings."""
    assert client_risk_refresh(client=world.other_client, now=START) is None
    assert not ClientRisk.objects.filter(client=world.other_client).exists()


def test_caseload_reads_stored_warnings_in_one_query(world, worse, django_assert_num_queries):
    """The caseload cell and the attention reason read the stored rows (one query each, whatever the caseload)."""
    clients = [world.sam, world.other_client]
    with django_assert_num_queries(1):
        cells = page_parts.caseload_values(clients, START)
    assert cells[world.sam.pk].startswith("Not on track")
    assert world.other_client.pk not in cells
    with django_assert_num_queries(1):
        reasons = page_parts.attention(clients, START)
    assert list(reasons) == [world.sam.pk]


def test_brief_explains_in_words_and_links_the_model_cards(world, worse):
    """The brief section says why in words, with the expected band, and links to the model cards."""
    worse.dropout_flag = True
    worse.factors = [{"feature": "days_since_checkin", "value": 28.0}, {"feature": "homework_missed_3", "value": 2.0}]
    worse.save()
    data = page_parts.brief_section(world.sam, START, START)
    assert data["factors"] == ["no check-in for 28 days", "2 of the last 3 homework tasks missed"]
    html = render_to_string("risk/_brief.html", {"data": data})
    assert "Not on track: PHQ-9 24" in html
    assert "no check-in for 28 days" in html
    assert reverse("risk:model_cards") in html


def test_flagged_page_lists_only_the_care_team_and_review_is_audited(world, worse, staff_client, client):
    """Alice sees Sam flagged and marks the warning reviewed with a note (audited); Bob, outside the team, can't."""
    staff_client(world.bob)
    assert "Sam" not in client.get(reverse("risk:flagged")).content.decode()
    assert client.post(reverse("risk:review", args=[world.sam.pk]), {f"{world.sam.pk}-note": "x"}).status_code == 404
    staff_client(world.alice)
    page = client.get(reverse("risk:flagged")).content.decode()
    assert "Sam" in page
    assert "Not on track" in page
    answer = client.post(
        reverse("risk:review", args=[world.sam.pk]), {f"{world.sam.pk}-note": "Discussed; plan changed"}
    )
    assert answer.status_code == 302
    worse.refresh_from_db()
    assert worse.reviewed_by == world.alice
    assert worse.review_note == "Discussed; plan changed"
    assert AuditEvent.objects.filter(action="risk.reviewed", client_id=world.sam.pk).count() == 1
    assert client.get(reverse("risk:model_cards")).status_code == 200


def test_extract_holds_only_consenting_clients_under_pseudonyms(world, worse, tmp_path):
    """The extract writes clients who consented to research only, with keyed-hash ids and no names, refuses when
    fewer than k of them could share their quasi-identifiers, and is audited."""
    from django.core.management import CommandError, call_command

    from alongside.consent.services import scopes_set
    from alongside.risk.extract import pseudonym
    from alongside.risk.schema import check_extract
    from alongside.sessions.models import Appointment, AppointmentStatus
    from tests import factories

    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef-test-key")
    call_command("risk", "extract", "--out", str(tmp_path / "none"), "--key-file", str(key))
    assert pq.read_table(tmp_path / "none" / "clients.parquet").num_rows == 0
    scopes_set(client=world.sam, scopes={"research": True}, actor=world.sam.user)
    with pytest.raises(CommandError, match="at least 5"):
        call_command("risk", "extract", "--out", str(tmp_path / "alone"), "--key-file", str(key))
    for n in range(4):
        other = factories.client(world.practice, clinicians=(world.alice,), name=f"Peer {n}", scopes=("research",))
        Appointment.objects.create(
            client=other, clinician=world.alice, starts_at=START, status=AppointmentStatus.ATTENDED
        )
    call_command("risk", "extract", "--out", str(tmp_path / "x"), "--key-file", str(key))
    check_extract(tmp_path / "x", ("clients", "episodes", "checkins", "sessions", "scores", "homework", "messages"))
    clients = pq.read_table(tmp_path / "x" / "clients.parquet").to_pylist()
    assert len(clients) == 5
    assert pseudonym(b"0123456789abcdef-test-key", world.sam.pk) in [c["client_id"] for c in clients]
    assert str(world.sam.pk) not in str(clients)
    assert sorted(pq.read_table(tmp_path / "x" / "scores.parquet")["total"].to_pylist()) == [8, 24]
    assert AuditEvent.objects.filter(action="risk.extracted").count() == 2


def test_refresh_command_scores_active_clients(world, worse, capsys):
    """`alongside risk refresh` rescores every active client with history (here Sam) and stores the result."""
    from django.core.management import call_command

    ClientRisk.objects.all().delete()
    call_command("risk", "refresh")
    assert "1 clients scored" in capsys.readouterr().out
    assert ClientRisk.objects.filter(client=world.sam).exists()
