"""The client's measures pages: due list, answering step by step, branching, errors, crisis help, access."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from alongside.measures import services
from alongside.measures.models import MeasureRequest, MeasureResponse, ResponseStatus
from alongside.notify.models import Notification
from alongside.safety.models import CriticalAlert, alert_topic
from tests import factories
from tests.measures.support_client import due_request

pytestmark = pytest.mark.django_db
BACKEND = "alongside.accounts.backends.EmailBackend"


@pytest.fixture
def sam(client, world):
    client.force_login(world.sam.user, backend=BACKEND)
    return client


def _start(client, request: MeasureRequest, view: str = "one") -> MeasureResponse:
    started = client.post(reverse("measures:start", args=[request.pk]), {"view": view})
    assert started.status_code == 302
    return MeasureResponse.objects.get(request=request)


def _answer(client, response: MeasureResponse, link_id: str, value: object, nav: str = "next"):
    return client.post(reverse("measures:question", args=[response.pk, link_id]), {"answer": value, "nav": nav})


def _answers(response: MeasureResponse) -> dict[str, int | None]:
    response.refresh_from_db()
    return services.answers_of(response)


def _q(response: MeasureResponse, link_id: str) -> str:
    return reverse("measures:question", args=[response.pk, link_id])


def test_home_lists_due_questionnaires_and_marks_them_seen(sam, world):
    """The client home shows "Questionnaires due" with a link to each, and records that it was seen."""
    request = due_request(world)
    page = sam.get(reverse("web:home"))
    assert page.status_code == 200
    assert "Questionnaires due" in page.content.decode()
    assert reverse("measures:request", args=[request.pk]) in page.content.decode()
    request.refresh_from_db()
    assert request.seen_at is not None


def test_phq9_one_per_screen_saves_each_answer(sam, world):
    """Answering PHQ-9 one question per screen saves each answer as it goes, then sends a scored response."""
    request = due_request(world)
    intro = sam.get(reverse("measures:request", args=[request.pk]))
    assert "Over the last 2 weeks" in intro.content.decode()
    response = _start(sam, request)
    for n in range(1, 10):
        page = sam.get(_q(response, f"phq9-{n}"))
        assert page.status_code == 200
        assert f"Question {n} of" in page.content.decode()
        moved = _answer(sam, response, f"phq9-{n}", 1 if n < 9 else 0)
        assert moved.status_code == 302
        assert _answers(response)[f"phq9-{n}"] == (1 if n < 9 else 0)
    assert moved["Location"] == _q(response, "phq9-10")
    assert _answer(sam, response, "phq9-10", 2)["Location"] == reverse("measures:review", args=[response.pk])
    sent = sam.post(reverse("measures:review", args=[response.pk]))
    assert sent["Location"] == reverse("measures:result", args=[response.pk])
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    result = sam.get(sent["Location"]).content.decode()
    assert "Your answers were sent to your care team" in result
    assert "8 out of 27" in result
    assert "not a diagnosis" in result
    request.refresh_from_db()
    assert request.completed_at is not None


def test_resume_continues_at_first_unanswered_item(sam, world):
    """Leaving after three answers and coming back from home continues at question 4 with the answers kept."""
    request = due_request(world)
    response = _start(sam, request)
    for n in (1, 2, 3):
        _answer(sam, response, f"phq9-{n}", 2)
    sam.get(reverse("web:home"))  # leave
    again = sam.post(reverse("measures:start", args=[request.pk]), {"view": "one"})
    assert again["Location"] == _q(response, "phq9-4")
    assert MeasureResponse.objects.filter(request=request).count() == 1
    assert sam.get(reverse("measures:response", args=[response.pk]))["Location"] == _q(response, "phq9-4")
    assert _answers(response) == {"phq9-1": 2, "phq9-2": 2, "phq9-3": 2}


def test_back_keeps_answers(sam, world):
    """Back goes to the previous question with its saved answer selected; nothing is lost."""
    request = due_request(world)
    response = _start(sam, request)
    _answer(sam, response, "phq9-1", 3)
    back = _answer(sam, response, "phq9-2", 1, nav="back")
    assert back["Location"] == _q(response, "phq9-1")
    page = sam.get(back["Location"]).content.decode()
    assert 'value="3" checked' in page
    assert _answers(response) == {"phq9-1": 3, "phq9-2": 1}
    # Back with nothing chosen changes nothing either.
    assert _answer(sam, response, "phq9-2", "", nav="back")["Location"] == _q(response, "phq9-1")
    assert _answers(response) == {"phq9-1": 3, "phq9-2": 1}


def test_branching_shows_item_10_only_when_total_above_zero(sam, world):
    """With all nine answers 0, PHQ-9 item 10 is skipped; once one answer is above 0 it is asked."""
    request = due_request(world)
    response = _start(sam, request)
    for n in range(1, 10):
        last = _answer(sam, response, f"phq9-{n}", 0)
    assert last["Location"] == reverse("measures:review", args=[response.pk])
    assert sam.get(_q(response, "phq9-10"))["Location"] == reverse("measures:review", args=[response.pk])
    assert "difficult" not in sam.get(reverse("measures:review", args=[response.pk])).content.decode()
    changed = _answer(sam, response, "phq9-8", 1)
    assert changed["Location"] == _q(response, "phq9-9")
    assert _answer(sam, response, "phq9-9", 0)["Location"] == _q(response, "phq9-10")
    assert "difficult" in sam.get(_q(response, "phq9-10")).content.decode()


def test_cssrs_questions_3_to_5_follow_a_yes_to_question_2(sam, world):
    """C-SSRS: No to question 2 goes straight to question 6; Yes opens questions 3 to 5."""
    request = due_request(world, "cssrs")
    response = _start(sam, request)
    _answer(sam, response, "cssrs-1", 0)
    assert _answer(sam, response, "cssrs-2", 0)["Location"] == _q(response, "cssrs-6")
    assert _answer(sam, response, "cssrs-2", 1)["Location"] == _q(response, "cssrs-3")
    critical = _answer(sam, response, "cssrs-3", 1)
    assert critical.status_code == 200  # a yes to question 3 is critical: crisis lines first
    assert _q(response, "cssrs-4") in critical.content.decode()


def test_invalid_value_gives_an_error_and_changes_nothing(sam, world):
    """An answer that is not one of the options, or missing, is refused with a message; saved answers stay."""
    request = due_request(world)
    response = _start(sam, request)
    _answer(sam, response, "phq9-1", 2)
    for bad in ("7", "-1", "abc"):
        page = _answer(sam, response, "phq9-2", bad)
        assert page.status_code == 200
        assert 'class="errorlist"' in page.content.decode()
    empty = _answer(sam, response, "phq9-2", "")
    assert "Please choose an answer" in empty.content.decode()
    assert _answers(response) == {"phq9-1": 2}


def test_all_on_one_page_keeps_answers_on_error_and_sends(sam, world):
    """All on one page: a bad value is marked with nothing lost; a full set is sent and scored."""
    request = due_request(world)
    response = _start(sam, request, view="all")
    url = reverse("measures:all", args=[response.pk])
    page = sam.get(url).content.decode()
    assert page.count("<fieldset") == 9
    shown = ",".join(f"phq9-{n}" for n in range(1, 10))
    data = {f"phq9-{n}": "1" for n in range(1, 9)} | {"phq9-9": "9", "shown": shown, "nav": "finish"}
    refused = sam.post(url, data)
    assert refused.status_code == 200
    assert "need your attention" in refused.content.decode()
    assert _answers(response) == {f"phq9-{n}": 1 for n in range(1, 9)}
    data["phq9-9"] = "0"
    opened = sam.post(url, data)
    assert "opened more questions" in opened.content.decode()  # item 10 appeared
    data["shown"] = shown + ",phq9-10"
    sent = sam.post(url, data)
    assert sent["Location"] == reverse("measures:result", args=[response.pk])


def test_phq9_item_9_shows_crisis_resources_at_once_and_alerts_alice(sam, world):
    """A PHQ-9 item 9 answer above 0 shows the crisis lines on the next page, and Alice has an open alert."""
    request = due_request(world)
    response = _start(sam, request)
    for n in range(1, 9):
        _answer(sam, response, f"phq9-{n}", 0)
    page = _answer(sam, response, "phq9-9", 1)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'href="tel:988"' in body
    assert 'href="tel:911"' in body
    assert "Your care team has been told" in body
    assert _q(response, "phq9-10") in body  # the way on
    alert = CriticalAlert.objects.get(response=response)
    assert alert.items == [9]
    assert Notification.objects.filter(topic=alert_topic(alert.pk), recipient=world.alice).exists()


def test_critical_answer_still_shows_crisis_resources_when_saving_fails(sam, world):
    """If raising the alert fails, the client still sees the crisis lines, told honestly the team was not reached."""
    request = due_request(world)
    response = _start(sam, request)
    with mock.patch.object(CriticalAlert.objects, "create", side_effect=DatabaseError("down")):
        page = _answer(sam, response, "phq9-9", 2)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'href="tel:988"' in body
    assert "could not send your answer" in body
    assert _answers(response) == {}


def test_result_page_shows_crisis_resources_after_a_critical_submission(sam, world):
    """The results page after a critical answer starts with the crisis lines."""
    request = due_request(world)
    response = _start(sam, request)
    services.response_submit(
        actor=world.sam.user, response_id=response.pk, answers={f"phq9-{n}": 1 for n in range(1, 11)}
    )
    body = sam.get(reverse("measures:result", args=[response.pk])).content.decode()
    assert 'href="tel:988"' in body
    assert "Your care team has been told" in body


def test_crisis_page_renders_defaults_when_practice_overrides_cannot_be_read(sam, world):
    """With the practice's crisis settings unreadable, the help page still shows the built-in lines."""
    with mock.patch("alongside.core.models.PracticeSettings.objects.filter", side_effect=DatabaseError("down")):
        page = sam.get(reverse("measures:crisis"))
    assert page.status_code == 200
    assert 'href="tel:988"' in page.content.decode()


def test_crisis_page_uses_the_practice_country_and_overrides(sam, world):
    """A UK practice's client sees Samaritans; a practice line comes first."""
    world.practice.country = "GB"
    world.practice.save(update_fields=["country"])
    services.practice_settings_set(actor=world.admin, practice=world.practice)
    world.practice.practice_settings.crisis_resources = [{"name": "Riverside duty line", "phone": "01632 960000"}]
    world.practice.practice_settings.save()
    body = sam.get(reverse("measures:crisis")).content.decode()
    assert body.index("Riverside duty line") < body.index("Samaritans")
    assert 'href="tel:116123"' in body


def test_crisis_page_is_open_to_anonymous_visitors(client):
    """Someone not signed in sees the default lines and no client data."""
    page = client.get(reverse("measures:crisis"))
    assert page.status_code == 200
    assert 'href="tel:' in page.content.decode()


def test_crisis_page_opens_before_consent_is_signed(client, world):
    """A client who has not signed the consent document yet can still reach the crisis lines."""
    newcomer = factories.client(world.practice, name="Jo", signed=False)
    client.force_login(newcomer.user, backend=BACKEND)
    assert client.get(reverse("web:home")).status_code == 302  # everything else waits for consent
    page = client.get(reverse("measures:crisis"))
    assert page.status_code == 200
    assert 'href="tel:' in page.content.decode()


def test_every_client_page_links_to_help(sam, world):
    """The client's navigation has "Get help now" on every page."""
    request = due_request(world)
    for url in (reverse("web:home"), reverse("measures:request", args=[request.pk])):
        assert reverse("measures:crisis") in sam.get(url).content.decode()


def test_outsider_client_cannot_open_sams_response(client, world):
    """Robin, another client, gets 404 on every page of Sam's response; Sam's answers stay unchanged."""
    request = due_request(world)
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key=f"request:{request.pk}"
    )
    services.response_save_answer(actor=world.sam.user, response_id=response.pk, link_id="phq9-1", value=2)
    client.force_login(world.other_client.user, backend=BACKEND)
    for name, args in (
        ("measures:response", [response.pk]),
        ("measures:question", [response.pk, "phq9-1"]),
        ("measures:all", [response.pk]),
        ("measures:review", [response.pk]),
        ("measures:result", [response.pk]),
        ("measures:request", [request.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(_q(response, "phq9-1"), {"answer": 0}).status_code == 404
    assert client.post(reverse("measures:start", args=[request.pk])).status_code == 404
    assert _answers(response) == {"phq9-1": 2}


def test_staff_get_404_on_client_answer_pages(staff_client, world):
    """Even Sam's own clinician does not use the client's answering pages."""
    request = due_request(world)
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="other-key-01"
    )
    assert staff_client(world.alice).get(_q(response, "phq9-1")).status_code == 404
    assert staff_client(world.alice).get(reverse("measures:request", args=[request.pk])).status_code == 404
