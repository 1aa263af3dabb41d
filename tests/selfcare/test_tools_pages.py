"""Relaxation tools and reading: the service's validation and idempotency, the pages, and outsiders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from alongside.audit.models import AuditEvent
from alongside.selfcare.models import ModuleRead, PracticeKind, PracticeLog, SelfcareAuditAction
from alongside.selfcare.services import module_mark_read, tool_practice_log
from tests import factories

pytestmark = pytest.mark.django_db


def _log(world, **overrides):
    fields = {
        "actor": world.sam.user,
        "client": world.sam,
        "kind": PracticeKind.BREATHING_BOX,
        "before": 7,
        "after": 4,
        "duration_seconds": 120,
        "idempotency_key": "k1",
    }
    return tool_practice_log(**{**fields, **overrides})


def _sign_in(client, world):
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    return client


@pytest.mark.parametrize(
    "overrides",
    [
        {"before": 11},
        {"after": -1},
        {"before": None},
        {"after": ""},
        {"before": "7.5"},
        {"kind": PracticeKind.EXPOSURE},
        {"duration_seconds": -5},
        {"idempotency_key": ""},
        {"note": "x" * 5000},
    ],
)
def test_invalid_tool_log_changes_nothing(world, overrides) -> None:
    """An out-of-range or missing rating, a non-tool kind or a bad key raises and writes nothing."""
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        _log(world, **overrides)
    assert PracticeLog.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_tool_log_is_audited_and_idempotent(world) -> None:
    """A retry with the same key and ratings returns the first log (another rating is refused); one audit event."""
    first = _log(world, note="secret words")
    again = _log(world, note="secret words", duration_seconds=125)  # the page's timer moved on: still a retry
    assert again.pk == first.pk
    with pytest.raises(ValidationError, match="already used for a different request"):
        _log(world, before=1, after=1)
    assert (first.rating_before, first.rating_after, first.duration_seconds) == (7, 4, 120)
    assert PracticeLog.objects.get().note == "secret words"
    events = AuditEvent.objects.filter(action=SelfcareAuditAction.PRACTICE_LOGGED)
    assert events.count() == 1
    assert "secret" not in str(events.get().detail)


def test_outsider_cannot_log_for_sam(world) -> None:
    """Bob (off the care team) and Robin cannot write Sam's practice log."""
    for actor in (world.bob, world.other_client.user, world.carol):
        with pytest.raises(Http404):
            _log(world, actor=actor)
    assert PracticeLog.objects.count() == 0


def test_mark_read_is_idempotent_per_day(world) -> None:
    """Marking a module read twice in a day keeps one row; the next day adds another."""
    first = module_mark_read(actor=world.sam.user, client=world.sam, module="sleep")
    assert module_mark_read(actor=world.sam.user, client=world.sam, module="sleep").pk == first.pk
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    ModuleRead.objects.filter(pk=first.pk).update(read_at=first.read_at - dt.timedelta(days=1))
    module_mark_read(actor=world.sam.user, client=world.sam, module="sleep", today=tomorrow)
    assert ModuleRead.objects.count() == 2
    assert AuditEvent.objects.filter(action=SelfcareAuditAction.MODULE_READ).count() == 2
    with pytest.raises(ValidationError):
        module_mark_read(actor=world.sam.user, client=world.sam, module="no-such-module")


def test_breathing_page_has_pacer_text_count_and_steps(client, world) -> None:
    """The pacer page has the reduced-motion text count, its switch, numbered steps and no inline script."""
    html = _sign_in(client, world).get(reverse("selfcare:tool", args=["box-breathing"])).content.decode()
    assert "data-pacer-count" in html
    assert "data-pacer-mode" in html
    assert "Use a text count instead" in html
    assert html.count('data-action="') == 4
    assert "Breathe in for 4 counts." in html
    assert "<script>" not in html
    assert "style=" not in html
    assert 'type="module"' in html


def test_tool_form_saves_once_and_shows_history(client, world) -> None:
    """Posting ratings logs the practice once (even when posted twice) and the tools page lists it."""
    _sign_in(client, world)
    url = reverse("selfcare:tool", args=["slow-breathing"])
    page = client.get(url)
    token = page.context["token"]
    for _ in range(2):
        response = client.post(url, {"token": token, "before": "8", "after": "3"})
        assert response.status_code == 302
    log = PracticeLog.objects.get()
    assert (log.kind, log.rating_before, log.rating_after) == (PracticeKind.BREATHING_SLOW, 8, 3)
    assert log.duration_seconds is not None
    history = client.get(reverse("selfcare:tools")).content.decode()
    assert "Slow breathing" in history
    assert "8 before, 3 after" in history


def test_tool_form_missing_rating_shows_error(client, world) -> None:
    """A missing after-rating re-shows the form with a message and logs nothing."""
    _sign_in(client, world)
    url = reverse("selfcare:tool", args=["muscle-relaxation"])
    token = client.get(url).context["token"]
    response = client.post(url, {"token": token, "before": "5"})
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in response.content.decode()
    assert 'id="before-5" name="before" value="5" checked' in response.content.decode()
    assert PracticeLog.objects.count() == 0


def test_grounding_answers_are_kept_only_when_asked(client, world) -> None:
    """Typed grounding answers are dropped unless the client ticks 'save as a note'."""
    _sign_in(client, world)
    url = reverse("selfcare:tool", args=["grounding"])
    token = client.get(url).context["token"]
    client.post(url, {"token": token, "before": "6", "after": "2", "see": "a lamp"})
    assert PracticeLog.objects.get().note == ""
    token = client.get(url).context["token"]
    client.post(url, {"token": token, "before": "6", "after": "2", "see": "a lamp", "save_note": "on"})
    assert "a lamp" in PracticeLog.objects.order_by("-created_at").first().note


def test_library_and_mark_as_read(client, world) -> None:
    """The library lists every module; a module page renders and 'Mark as read' records it."""
    _sign_in(client, world)
    listing = client.get(reverse("selfcare:learn")).content.decode()
    assert "The panic cycle" in listing
    page = client.get(reverse("selfcare:module", args=["the-panic-cycle"]))
    assert page.status_code == 200
    assert "<h2>" in page.content.decode()
    client.post(reverse("selfcare:module_read", args=["the-panic-cycle"]))
    assert ModuleRead.objects.filter(client=world.sam, module="the-panic-cycle").count() == 1
    assert "Read</span>" in client.get(reverse("selfcare:learn")).content.decode()
    assert client.get(reverse("selfcare:module", args=["nope"])).status_code == 404


def test_module_in_spanish(client, world) -> None:
    """With Spanish chosen, the module is the Spanish text."""
    _sign_in(client, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("selfcare:module", args=["sleep"]))
    assert "El sueño" in page.content.decode()


def test_outsiders_get_404_or_login(client, staff_client, world) -> None:
    """Staff get 404 on the client's tool and reading pages; anonymous visitors are sent to sign in."""
    urls = [
        reverse("selfcare:tools"),
        reverse("selfcare:tool", args=["grounding"]),
        reverse("selfcare:learn"),
        reverse("selfcare:module", args=["sleep"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    for user in (world.alice, world.bob, world.carol):
        signed_in = staff_client(user)
        for url in urls:
            assert signed_in.get(url).status_code == 404
        assert signed_in.post(reverse("selfcare:module_read", args=["sleep"])).status_code == 404
    assert ModuleRead.objects.count() == 0


def test_another_client_sees_only_their_own_history(client, world) -> None:
    """Robin's tools page does not show Sam's practice."""
    _log(world)
    client.force_login(world.other_client.user, backend="alongside.accounts.backends.EmailBackend")
    assert "7 before, 4 after" not in client.get(reverse("selfcare:tools")).content.decode()
    assert factories.PASSWORD
