"""Treatment plans: versions kept, objectives measured against questionnaire scores, reviews revisit suitability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pydantic import ValidationError as PydanticError

from alongside.applibrary.readiness import ReadinessAnswers
from alongside.applibrary.services import readiness_record
from alongside.audit.models import AuditEvent
from alongside.records.models import PlanReview, TreatmentPlan
from alongside.records.page_parts import reviews_due
from alongside.records.plans import Goal, Objective, PlanContent
from alongside.records.services import plan_review, plan_save
from tests.records.support import raw_rows

pytestmark = pytest.mark.django_db

GOAL = "Sleep through most nights; Tennyfield-Sentinel-2231"


def _content(**kw) -> PlanContent:
    return PlanContent(
        problems=["Low mood after redundancy"],
        goals=[Goal(text=GOAL, target_date=dt.date(2027, 3, 1))],
        objectives=[Objective(text="PHQ-9 under 10 by March", instrument="phq9", target_below=10)],
        interventions=["Behavioural activation", "Sleep diary"],
        **kw,
    )


def _save(world, weeks: int = 12):
    review_on = timezone.localdate() + dt.timedelta(weeks=weeks)
    return plan_save(actor=world.alice, client=world.sam, content=_content(), review_on=review_on)


def test_each_change_saves_a_new_version_and_keeps_the_old(world):
    """Two saves make versions 1 and 2; both are sealed and audited with their version."""
    first, second = _save(world), _save(world, weeks=8)
    assert (first.version, second.version) == (1, 2)
    assert TreatmentPlan.objects.filter(client=world.sam).count() == 2
    assert "Tennyfield-Sentinel-2231" not in raw_rows("records_treatmentplan")
    assert second.content["objectives"][0] == {
        "text": "PHQ-9 under 10 by March",
        "target_date": None,
        "status": "open",
        "instrument": "phq9",
        "target_below": 10,
    }
    details = list(AuditEvent.objects.filter(action="records.plan_saved").values_list("detail", flat=True))
    assert [d["version"] for d in details] == [1, 2]


def test_bad_plans_are_refused(world):
    """An unknown instrument, a review date in the past and an empty plan are refused; nothing is stored."""
    with pytest.raises(PydanticError):
        Objective(text="x", instrument="not-a-measure")
    with pytest.raises(ValidationError, match="future"):
        plan_save(actor=world.alice, client=world.sam, content=_content(), review_on=timezone.localdate())
    with pytest.raises(ValidationError, match="at least one"):
        plan_save(
            actor=world.alice, client=world.sam, content=PlanContent(), review_on=dt.date.today() + dt.timedelta(7)
        )
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize("who", ["bob", "admin", "carol"])
def test_only_the_care_team_writes_and_reads_the_plan(world, staff_client, who):
    """Staff off Sam's care team cannot save a plan, and get 404 on its pages."""
    _save(world)
    person = getattr(world, who)
    with pytest.raises((PermissionDenied, Exception)):
        plan_save(actor=person, client=world.sam, content=_content(), review_on=dt.date(2030, 1, 1))
    browser = staff_client(person)
    for name in ("records:plan", "records:plan_edit", "records:plan_review"):
        answer = browser.get(reverse(name, args=[world.sam.pk]))
        assert answer.status_code == 404
        assert "Tennyfield" not in answer.content.decode()


def test_the_plan_page_and_the_brief_show_the_plan(world, staff_client):
    """Alice sees goals, the measured objective and the review date; the session brief shows the plan too."""
    _save(world)
    browser = staff_client(world.alice)
    body = browser.get(reverse("records:plan", args=[world.sam.pk])).content.decode()
    assert GOAL in body
    assert "PHQ-9 under 10" in body
    assert AuditEvent.objects.filter(action="records.plan_viewed").count() == 1
    brief = browser.get(reverse("sessions:brief", args=[world.sam.pk])).content.decode()
    assert GOAL in brief


def test_the_edit_form_saves_a_new_version(world, staff_client):
    """The form keeps rows with text, drops empty ones, and saves version 1."""
    browser = staff_client(world.alice)
    review_on = (timezone.localdate() + dt.timedelta(weeks=10)).isoformat()
    answer = browser.post(
        reverse("records:plan_edit", args=[world.sam.pk]),
        {
            "problems": "Low mood\n\nPoor sleep",
            "goal_0_text": GOAL,
            "goal_0_status": "open",
            "objective_0_text": "GAD-7 under 8",
            "objective_0_instrument": "gad7",
            "objective_0_target": "8",
            "objective_0_status": "open",
            "interventions": "Worry time",
            "review_on": review_on,
        },
    )
    assert answer.status_code == 302
    plan = TreatmentPlan.objects.get(client=world.sam)
    assert plan.content["problems"] == ["Low mood", "Poor sleep"]
    assert [o["instrument"] for o in plan.content["objectives"]] == ["gad7"]


def test_a_review_revisits_digital_readiness_and_records_it(world, staff_client):
    """The review page shows Sam's latest readiness check; the review stores it, the answer and the date."""
    _save(world)
    check = readiness_record(
        actor=world.sam.user,
        client=world.sam,
        answers=ReadinessAnswers.model_validate({"devices": ["smartphone"], "connectivity": "patchy"}),
    )
    browser = staff_client(world.alice)
    url = reverse("records:plan_review", args=[world.sam.pk])
    page = browser.get(url).content.decode()
    assert "Digital readiness and suitability" in page
    assert "Low-bandwidth mode" in page
    next_on = (timezone.localdate() + dt.timedelta(weeks=12)).isoformat()
    answer = browser.post(url, {"suitability": "unchanged", "next_review_on": next_on, "note": "Still on wifi"})
    assert answer.status_code == 302
    review = PlanReview.objects.get(client=world.sam)
    assert review.readiness_check == check
    assert review.suitability == "unchanged"
    assert review.reviewed_at.date() == timezone.now().date()
    assert AuditEvent.objects.filter(action="applibrary.readiness_viewed", object_id=str(check.pk)).exists()
    assert AuditEvent.objects.filter(action="records.plan_reviewed").count() == 1


def test_a_changed_situation_leads_to_a_new_readiness_check(world, staff_client):
    """Answering 'things have changed' records the review and opens the readiness check."""
    _save(world)
    next_on = (timezone.localdate() + dt.timedelta(weeks=6)).isoformat()
    answer = staff_client(world.alice).post(
        reverse("records:plan_review", args=[world.sam.pk]), {"suitability": "new_check", "next_review_on": next_on}
    )
    assert answer["Location"] == reverse("applibrary:client_readiness", args=[world.sam.pk])
    assert PlanReview.objects.get(client=world.sam).readiness_check is None


def test_a_plan_past_its_review_date_puts_the_client_under_needs_attention(world):
    """The reminder: due when the plan's date has come, and again when the last review's next date has."""
    plan = _save(world)
    now = timezone.now()
    assert reviews_due([world.sam], now) == {}
    TreatmentPlan.objects.filter(pk=plan.pk).update(review_on=now.date() - dt.timedelta(days=1))
    assert world.sam.pk in reviews_due([world.sam], now)
    plan_review(
        actor=world.alice,
        client=world.sam,
        next_review_on=now.date() + dt.timedelta(weeks=4),
        suitability="unchanged",
        readiness_check_id=None,
    )
    assert reviews_due([world.sam], now) == {}
    assert reviews_due([world.sam], now + dt.timedelta(weeks=5)).keys() == {world.sam.pk}


def test_the_caseload_lists_a_client_whose_plan_review_is_due(world, staff_client):
    """Alice's caseload puts Sam under 'Needs attention' with 'Plan review due' once the date has come."""
    plan = _save(world)
    TreatmentPlan.objects.filter(pk=plan.pk).update(review_on=timezone.localdate() - dt.timedelta(days=3))
    body = staff_client(world.alice).get(reverse("care:caseload")).content.decode()
    assert "Plan review due" in body


def test_the_reminder_reads_in_two_queries_whatever_the_caseload(world, django_assert_num_queries):
    """One query for the current plans, one for their reviews, however many clients are listed."""
    _save(world)
    with django_assert_num_queries(2):
        reviews_due([world.sam, world.other_client], timezone.now())
