"""A new app adds a caseload column and attention reason, a brief section, a home card and a badge, editing no other app.

``tests.dashboards.sample_app`` is installed only in these tests; it registers one of each from its
``AppConfig.ready()``, the way wearables or telehealth would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import modify_settings
from django.urls import reverse

from alongside.core import page_parts as registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_app() -> Iterator[None]:
    saved = registry.snapshot()
    try:
        with modify_settings(INSTALLED_APPS={"append": "tests.dashboards.sample_app"}):
            yield
    finally:
        registry.restore(saved)


def test_caseload_shows_the_new_apps_column(world, staff_client, sample_app) -> None:
    """The caseload gets the sample app's column header and a cell in Sam's row."""
    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert '<th scope="col">Steps today</th>' in body
    row = next(part for part in body.split("<tr") if world.sam.preferred_name in part and "<td" in part)
    assert "steps</td>" in row


def test_caseload_shows_the_new_apps_attention_reason(world, staff_client, sample_app) -> None:
    """The sample app's reason puts Sam under "Needs attention" with its label and sentence, first in the list."""
    page = staff_client(world.alice).get(reverse("care:caseload"), {"show": "attention"}).content.decode()
    rows = [part for part in page.split("<tr")[1:] if "<td" in part]
    assert rows, "Sam is listed as needing attention"
    assert world.sam.preferred_name in rows[0]
    assert (
        '<strong class="reason reason-sample_quiet">Quiet lately</strong><br><span>No steps logged for 5 days.</span>'
        in rows[0]
    )


def test_session_brief_shows_the_new_apps_section(world, staff_client, sample_app) -> None:
    """Sam's session brief ends with the sample app's section, its title and its template."""
    body = staff_client(world.alice).get(reverse("sessions:brief", args=[world.sam.pk])).content.decode()
    assert 'aria-labelledby="brief-sample_sleep"' in body
    assert "Sleep from the sample app" in body
    assert "Slept 7 hours a night on average." in body


def test_client_home_shows_the_new_apps_card(world, client, sample_app) -> None:
    """Sam's home page shows the sample app's card with his name."""
    client.force_login(world.sam.user)
    body = client.get(reverse("web:home")).content.decode()
    assert f"A card from the sample app for {world.sam.preferred_name}." in body


def test_staff_navigation_shows_the_new_apps_badge(world, staff_client, sample_app) -> None:
    """Staff pages get the sample app's navigation link with its count; clients do not."""
    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert 'Sample inbox <span class="nav-count">3</span>' in body


def test_without_the_app_nothing_changes(world, staff_client) -> None:
    """With the sample app not installed, none of its contributions appear."""
    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert "Steps today" not in body
    assert "Sample inbox" not in body
    assert "Quiet lately" not in body


def test_due_questionnaires_are_a_home_card_measures_registers(world, client) -> None:
    """Measures adds "Questionnaires due" as a registered home card: among today's tasks, before the privacy card."""
    from tests.measures.support_client import due_request

    assert "measures_due" in [card.key for card in registry.home_cards()]
    request = due_request(world)
    client.force_login(world.sam.user)
    body = client.get(reverse("web:home")).content.decode()
    assert reverse("measures:request", args=[request.pk]) in body
    assert body.index('<h2 id="due-title">') < body.index("Your privacy")
    assert 'id="card-measures_due"' not in body  # the card draws its own frame
