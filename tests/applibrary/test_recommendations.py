"""A clinician recommends an app with a purpose; the client sees its privacy answers and says whether they use it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alongside.applibrary.models import Recommendation, RecommendationStatus
from alongside.applibrary.services import recommendation_answer, recommendation_create
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PURPOSE = "Use the mood entry in Daylio every evening for 2 weeks"


def _recommend(world, **overrides):
    data = {"actor": world.alice, "client": world.sam, "app_slug": "daylio", "purpose": PURPOSE}
    return recommendation_create(**{**data, "data_practices_discussed": True, **overrides})


def test_recommending_needs_the_data_practices_discussed(world):
    """Without the clinician's confirmation nothing is stored."""
    with pytest.raises(ValidationError, match="data practices"):
        _recommend(world, data_practices_discussed=False)
    assert not Recommendation.objects.exists()


def test_withdrawn_apps_cannot_be_recommended(world):
    """Woebot is withdrawn: refused."""
    with pytest.raises(ValidationError, match="available"):
        _recommend(world, app_slug="woebot")


def test_only_the_care_team_recommends(world):
    """Bob, outside Sam's care team, is refused."""
    with pytest.raises(PermissionDenied):
        _recommend(world, actor=world.bob)


def test_the_client_sees_purpose_and_privacy_and_answers(world, client):
    """Sam sees the purpose and the privacy answers; 'not for me' needs a reason and records the version seen."""
    recommendation = _recommend(world)
    assert "Daylio" not in recommendation.purpose_sealed  # encrypted at rest
    client.force_login(world.sam.user)
    body = client.get(reverse("applibrary:my_apps")).content.decode()
    assert PURPOSE in body
    assert "Is there a privacy policy?" in body
    url = reverse("applibrary:my_app_answer", args=[recommendation.pk])
    client.post(url, {"status": "declined", "comment": ""})
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.RECOMMENDED
    client.post(url, {"status": "declined", "comment": "I do not want mood data on my phone"})
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DECLINED
    assert recommendation.acknowledged_evaluation == recommendation.evaluation
    assert AuditEvent.objects.filter(action="applibrary.recommendation_answered").count() == 1


def test_the_clinician_sees_the_answer(world, staff_client):
    """Alice's page for Sam shows the answer and the reason."""
    recommendation = _recommend(world)
    recommendation_answer(
        actor=world.sam.user, recommendation_id=recommendation.pk, status="declined", comment="Too busy"
    )
    body = staff_client(world.alice).get(reverse("applibrary:client_apps", args=[world.sam.pk])).content.decode()
    assert "Not for me" in body
    assert "Too busy" in body


def test_the_clinician_recommends_from_the_page(world, staff_client):
    """The form stores a recommendation only with the confirmation ticked."""
    url = reverse("applibrary:client_apps", args=[world.sam.pk])
    browser = staff_client(world.alice)
    browser.post(url, {"app": "daylio", "purpose": PURPOSE})
    assert not Recommendation.objects.exists()
    browser.post(url, {"app": "daylio", "purpose": PURPOSE, "data_practices_discussed": "on"})
    assert Recommendation.objects.filter(client=world.sam, app__slug="daylio").count() == 1


def test_only_the_client_answers(world):
    """Alice cannot answer for Sam, and Robin cannot answer Sam's: both 404."""
    from django.http import Http404

    recommendation = _recommend(world)
    for someone in (world.alice, world.other_client.user):
        with pytest.raises(Http404):
            recommendation_answer(actor=someone, recommendation_id=recommendation.pk, status="using")


def test_open_recommendations_show_on_the_clients_home_page(world, client):
    """Sam's home page lists the recommended app with its purpose and a nav link with a count; declined ones leave."""
    recommendation = _recommend(world)
    client.force_login(world.sam.user)
    body = client.get(reverse("web:home")).content.decode()
    assert PURPOSE in body
    assert reverse("applibrary:my_apps") in body
    recommendation_answer(actor=world.sam.user, recommendation_id=recommendation.pk, status="declined", comment="No")
    assert PURPOSE not in client.get(reverse("web:home")).content.decode()
