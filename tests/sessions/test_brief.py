"""The session brief: what changed since the last session, each section only while the client shares it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.dashboards.brief import Section, State, _section, brief_for
from alongside.measures import services as measure_services
from alongside.messaging.services import message_send
from alongside.safety.models import CriticalAlert
from alongside.safety.services import alerts as alert_services
from alongside.selfcare import services as selfcare
from alongside.selfcare.services.topics import topic_raise
from alongside.sessions import services as sessions
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401
from tests.selfcare.test_exercises_services import FULL_RECORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]

UTC = dt.UTC
LAST_SESSION = dt.datetime(2026, 5, 25, 10, 0, tzinfo=UTC)  # a Monday
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # a week later, before the next session
NEXT_SESSION = dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def _at(when: dt.datetime) -> Any:
    return time_machine.travel(when, tick=False)


def _phq9(world: Any, key: str, *, rest: int, item9: int = 0) -> Any:
    response = measure_services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key=key
    )
    return measure_services.response_submit(
        actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=item9, rest=rest)
    )


def _checkin(world: Any, when: dt.datetime, mood: int) -> None:
    with _at(when):
        selfcare.checkin_create(
            actor=world.sam.user, client=world.sam, idempotency_key=f"brief-{when:%m%d%H}", mood=mood, note="private"
        )


def _message(world: Any, sender: Any, when: dt.datetime, body: str) -> None:
    with _at(when):
        message_send(actor=sender, client_id=world.sam.pk, body=body, idempotency_key=f"brief-msg-{when:%m%d%H%M}")


@pytest.fixture
def seeded(world):
    """Sam's fortnight: a baseline and a pre-session score, a session, then a week of self-care and a critical answer."""
    with _at(dt.datetime(2026, 5, 11, 9, 0, tzinfo=UTC)):
        _phq9(world, "brief-phq-base", rest=2)  # 16, the baseline
        sessions.appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=LAST_SESSION)
    with _at(dt.datetime(2026, 5, 20, 9, 0, tzinfo=UTC)):
        _phq9(world, "brief-phq-pre", rest=2)  # 16 again, just before the session
    for day in (19, 21, 23):  # the week before the session: low mood
        _checkin(world, dt.datetime(2026, 5, day, 20, 0, tzinfo=UTC), 3)
    with _at(dt.datetime(2026, 5, 26, 9, 0, tzinfo=UTC)):
        sessions.appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=NEXT_SESSION)
        selfcare.assignment_set(
            actor=world.alice,
            client_id=world.sam.pk,
            data=selfcare.AssignmentInput(kind="exercise", target="thought_record", due_on=dt.date(2026, 5, 28)),
        )
        selfcare.assignment_set(
            actor=world.alice,
            client_id=world.sam.pk,
            data=selfcare.AssignmentInput(
                kind="exercise", target="behavioural_activation", due_on=dt.date(2026, 5, 30)
            ),
        )
    for day, mood in ((26, 6), (27, 7), (29, 8)):  # since the session: better
        _checkin(world, dt.datetime(2026, 5, day, 20, 0, tzinfo=UTC), mood)
    with _at(dt.datetime(2026, 5, 27, 18, 0, tzinfo=UTC)):
        selfcare.entry_create(
            actor=world.sam.user,
            kind="thought_record",
            idempotency_key="brief-tr-0001",
            data=FULL_RECORD,
            complete=True,
        )
    _message(world, world.sam.user, dt.datetime(2026, 5, 26, 12, 0, tzinfo=UTC), "Thanks for today")
    _message(world, world.alice, dt.datetime(2026, 5, 26, 13, 0, tzinfo=UTC), "You're welcome")
    with _at(dt.datetime(2026, 5, 28, 9, 0, tzinfo=UTC)):
        _phq9(world, "brief-phq-now", rest=1, item9=1)  # 9 with a critical item 9: an alert
        topic_raise(actor=world.sam.user, text="How to tell my manager")
    with _at(dt.datetime(2026, 5, 28, 15, 0, tzinfo=UTC)):
        alert = CriticalAlert.objects.get(client=world.sam, response__isnull=False)  # the PHQ-9 item-9 alert
        alert_services.alert_acknowledge(actor=world.alice, alert_id=alert.pk, note="Called Sam; safe plan agreed.")
    _message(world, world.sam.user, dt.datetime(2026, 5, 30, 8, 0, tzinfo=UTC), "Can we move Monday?")
    _message(world, world.sam.user, dt.datetime(2026, 5, 30, 8, 5, tzinfo=UTC), "Sorry, ignore the time")
    with _at(NOW):
        yield world


def _page(staff_client: Any, world: Any, user: Any = None) -> str:
    response = staff_client(user or world.alice).get(reverse("sessions:brief", args=[world.sam.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_brief_says_what_changed_since_the_last_session(seeded, staff_client):
    """Alice reads the week since Monday's session: scores, mood, homework, the acknowledged alert, a topic, messages."""
    page = _page(staff_client, seeded)
    assert "Session brief: Sam" in page
    assert "Since the last session on Monday, 25 May 2026, 10:00 (7 days ago)." in page
    assert "Next session: Monday, 1 June 2026, 10:00." in page
    assert "Generated at 1 June 2026, 09:00" in page
    # Questionnaires: 16 → 9 is down 7 since the session and since baseline (PHQ-9 reliable change is 6).
    assert "PHQ-9" in page
    assert "9 (mild)" in page
    assert "down 7 from 16" in page
    assert "Reliable improvement" in page
    # Mood: 3 check-ins averaging 7 against 3 the week before; the sparkline has words.
    assert "3 check-ins on 3 of 8 days." in page
    assert "Average mood 7 out of 10: up 4 on the period before." in page
    assert (
        'role="img" aria-label="Daily mood out of 10 since the last session: 26 May: 6, 27 May: 7, 29 May: 8."' in page
    )
    assert "private" not in page  # check-in notes are journal text, never in the brief
    # Exercises and homework: one thought record done, one of two tasks done.
    assert "Thought record: completed once" in page
    assert "Homework: 1 of 2 tasks done (50%)." in page
    # Alerts: raised and acknowledged, by whom and when.
    assert "Acknowledged by Test clinician on 28 May, 15:00" in page
    assert "Called Sam" not in page  # the acknowledgement note stays on the alert page
    # Topics and messages.
    assert "How to tell my manager" in page
    assert "2 messages waiting for a reply since 30 May, 08:00." in page
    assert "3 messages from the client since the last session." in page
    assert "Can we move Monday?" not in page  # counts, not content
    assert '<script type="module" src="/static/sessions/brief.js">' in page
    assert "could not be loaded" not in page


def test_one_audit_event_names_the_sections(seeded, staff_client):
    """Each view of the brief writes one brief_viewed event with the state of every section."""
    before = AuditEvent.objects.filter(action="sessions.brief_viewed").count()
    _page(staff_client, seeded)
    events = list(AuditEvent.objects.filter(action="sessions.brief_viewed").order_by("seq"))
    assert len(events) == before + 1
    event = events[-1]
    assert event.actor_id == seeded.alice.pk
    assert event.client_id == seeded.sam.pk
    assert event.detail["sections"] == {
        "questionnaires": "shown",
        "mood": "shown",
        "exercises": "shown",
        "alerts": "shown",
        "topics": "shown",
        "messages": "shown",
    }
    assert event.detail["since"] == LAST_SESSION.isoformat()


def test_revoked_scopes_hide_their_sections(seeded, staff_client):
    """When Sam stops sharing mood and messages, the brief says 'not shared' there and shows none of it."""
    scopes_set(client=seeded.sam, scopes={"mood": False, "messages": False}, actor=seeded.sam.user)
    page = _page(staff_client, seeded)
    assert page.count("Not shared: the client does not share this with the care team.") == 2
    assert "check-ins on" not in page
    assert "Average mood" not in page
    assert "waiting for a reply" not in page
    assert "Reliable improvement" in page  # questionnaires are still shared
    brief = brief_for(actor=seeded.alice, client_id=seeded.sam.pk)
    assert brief.mood.state == State.NOT_SHARED
    assert brief.mood.data is None
    assert brief.messages.state == State.NOT_SHARED
    assert brief.messages.data is None
    assert brief.alerts.shown  # safety: alerts reach the care team whatever is shared


def test_no_earlier_session_covers_two_weeks(world, staff_client):
    """Without any session yet, the brief covers the last 14 days and says no session is scheduled."""
    with _at(NOW):
        page = _page(staff_client, world)
    assert "No earlier session: this brief covers the last 14 days." in page
    assert "No session scheduled." in page
    assert "No questionnaire scores yet." in page
    assert "0 check-ins on 0 of 15 days." in page


def test_a_failing_section_is_reported_not_raised(caplog):
    """A section whose reader fails is logged and shown as 'could not be loaded'; the page still renders."""

    def broken() -> list[str]:
        raise RuntimeError("table missing")

    section: Section[list[str]] = _section("widgets", True, broken)
    assert section.failed
    assert section.data is None
    assert "widgets section could not be loaded" in caplog.text
    assert _section("widgets", False, broken).not_shared


@pytest.mark.parametrize("who", ["bob", "carol", "admin"])
def test_staff_off_the_care_team_get_404(seeded, staff_client, who):
    """Bob (same practice, off the team), Carol (another practice) and an admin off the team learn nothing."""
    response = staff_client(getattr(seeded, who)).get(reverse("sessions:brief", args=[seeded.sam.pk]))
    assert response.status_code == 404
    assert "Sam" not in response.content.decode()


def test_clients_and_strangers_are_refused(seeded, client):
    """Sam, another client and an anonymous visitor never see a brief."""
    url = reverse("sessions:brief", args=[seeded.sam.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    for user in (seeded.sam.user, seeded.other_client.user):
        client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
        assert client.get(url).status_code in (403, 404)
    with pytest.raises(Http404):
        brief_for(actor=seeded.sam.user, client_id=seeded.sam.pk)


def test_unknown_client_is_404(seeded, staff_client):
    response = staff_client(seeded.alice).get(reverse("sessions:brief", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404


def test_query_count_does_not_grow_with_history(seeded, staff_client, django_assert_max_num_queries):
    """The brief reads a fixed number of queries: more check-ins, scores and messages add none."""
    browser = staff_client(seeded.alice)
    url = reverse("sessions:brief", args=[seeded.sam.pk])
    browser.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as first:
        assert browser.get(url).status_code == 200
    for day in (30, 31):
        _checkin(seeded, dt.datetime(2026, 5, day, 19, 0, tzinfo=UTC), 5)
    with _at(dt.datetime(2026, 5, 31, 10, 0, tzinfo=UTC)):
        _phq9(seeded, "brief-phq-more", rest=1)
    _message(seeded, seeded.sam.user, dt.datetime(2026, 5, 31, 11, 0, tzinfo=UTC), "One more thing")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert browser.get(url).status_code == 200
    # Each section's selector checks access again (membership, care team, scopes): about ten
    # queries a section, plus the staff layout. Pinned so that a change shows up here.
    assert len(first.captured_queries) <= 100
