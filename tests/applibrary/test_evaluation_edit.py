"""A practice adds evidence to an app's evaluation: a new version, signed and dated; recommendations keep theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alongside.applibrary.models import Evaluation, EvaluationAnswer
from alongside.applibrary.services import (
    AnswerChange,
    evaluation_revise,
    recommendation_answer,
    recommendation_create,
)
from alongside.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

LINK = "https://daylio.net/privacy"


def test_adding_evidence_makes_a_new_verified_version_and_keeps_the_old(world):
    """Alice links the privacy policy: version 2 answers it 'yes', verified, checked by her today; v1 stays."""
    before = Evaluation.objects.get(app__slug="daylio")
    change = AnswerChange(question="privacy_policy", answer="yes", evidence_url=LINK)
    review = dt.date.today() + dt.timedelta(days=180)
    evaluation = evaluation_revise(actor=world.alice, app_slug="daylio", changes=[change], review_by=review)
    assert evaluation.version == before.version + 1
    answer = evaluation.answers.get(question="privacy_policy")
    assert answer.verified
    assert answer.checked_by == world.alice.display_name
    assert answer.checked_on is not None
    untouched = evaluation.answers.get(question="reminders")
    assert untouched.answer == before.answers.get(question="reminders").answer
    assert EvaluationAnswer.objects.filter(evaluation=before).count() == evaluation.answers.count()
    assert AuditEvent.objects.filter(action="applibrary.evaluation_revised").count() == 1


def test_a_recommendation_keeps_the_version_the_client_acknowledged(world):
    """Sam answered on version 1; a later version 2 does not change what his answer points to."""
    recommendation = recommendation_create(
        actor=world.alice, client=world.sam, app_slug="daylio", purpose="Evening entry", data_practices_discussed=True
    )
    recommendation_answer(actor=world.sam.user, recommendation_id=recommendation.pk, status="using")
    change = AnswerChange(question="data_deletable", answer="yes", evidence_url=LINK)
    evaluation_revise(actor=world.alice, app_slug="daylio", changes=[change], review_by=dt.date(2030, 1, 1))
    recommendation.refresh_from_db()
    assert recommendation.acknowledged_evaluation.version == 1


def test_clients_cannot_edit_evaluations(world):
    """Only practice staff edit the catalogue."""
    with pytest.raises(PermissionDenied):
        evaluation_revise(actor=world.sam.user, app_slug="daylio", changes=[], review_by=dt.date(2030, 1, 1))


def test_the_edit_page_saves_a_new_version(world, staff_client):
    """The form posts every question; the app page then shows version 2 with Alice's name."""
    browser = staff_client(world.alice)
    url = reverse("applibrary:evaluation_edit", args=["daylio"])
    form = browser.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(review_by="2030-01-01", answer_privacy_policy="yes", url_privacy_policy=LINK)
    response = browser.post(url, data, follow=True)
    assert "Saved as evaluation version 2." in response.content.decode()
    assert Evaluation.objects.filter(app__slug="daylio").count() == 2


def test_a_staff_member_without_a_name_signs_with_their_email(world):
    """The version is signed with the reviser's display name, which is their email when they gave no name."""
    nameless = factories.staff(world.practice)
    nameless.name = ""
    nameless.save(update_fields=["name"])
    change = AnswerChange(question="privacy_policy", answer="yes", evidence_url=LINK)
    evaluation = evaluation_revise(actor=nameless, app_slug="daylio", changes=[change], review_by=dt.date(2030, 1, 1))
    assert evaluation.evaluated_by == nameless.email
    assert evaluation.answers.get(question="privacy_policy").checked_by == nameless.email
