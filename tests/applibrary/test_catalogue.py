"""The starter catalogue: loaded by migration, dated, honest about what is unverified, and loaded twice safely."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from alongside.applibrary import catalogue
from alongside.applibrary.models import App, AppStatus, Evaluation, EvaluationAnswer
from alongside.applibrary.services import catalogue_load
from alongside.applibrary.vocab import QUESTIONS
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_starter_catalogue_is_in_a_new_database():
    """At least 15 apps, each with one evaluation dated 2026-12-06 answering every question."""
    assert App.objects.count() >= 15
    for app in App.objects.all():
        evaluation = app.evaluations.get()
        assert evaluation.evaluated_on == dt.date(2026, 12, 6)
        assert evaluation.answers.count() == len(QUESTIONS)


def test_answers_without_evidence_are_unverified():
    """A starter answer without a link is unverified even though dated and signed; adding the link verifies it."""
    answer = EvaluationAnswer.objects.filter(evaluation__app__slug="calm", question="reminders").get()
    assert (answer.answer, answer.evidence_url, answer.verified) == ("yes", "", False)
    answer.evidence_url = "https://example.org/reminders-help"
    assert answer.verified


def test_withdrawn_apps_carry_their_status_and_only_sourced_dates():
    """MindShift and Woebot are withdrawn, each with a note naming its source; Woebot's closure date is published
    (30 June 2025), MindShift's last day is not, so it stays empty rather than guessed."""
    withdrawn = {app.slug: app for app in App.objects.filter(status=AppStatus.WITHDRAWN)}
    assert set(withdrawn) == {"mindshift", "woebot"}
    assert all("checked 2026-12-06" in app.status_note for app in withdrawn.values())
    assert withdrawn["woebot"].withdrawn_on == dt.date(2025, 6, 30)
    assert withdrawn["mindshift"].withdrawn_on is None


def test_a_closure_date_needs_the_withdrawn_status():
    """The database refuses a closure date on an available app."""
    app = App.objects.get(slug="daylio")
    app.withdrawn_on = dt.date(2026, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        app.save()


def test_needs_rechecking_once_the_review_date_has_passed():
    """An evaluation is due for re-checking the day after its review date, not on it."""
    evaluation = Evaluation.objects.get(app__slug="calm")
    assert not evaluation.needs_rechecking(evaluation.review_by)
    assert evaluation.needs_rechecking(evaluation.review_by + dt.timedelta(days=1))


def test_loading_the_same_file_twice_changes_nothing_but_is_audited():
    """The command adds no second evaluation for a file already loaded; each load writes one audit event."""
    before = (Evaluation.objects.count(), EvaluationAnswer.objects.count())
    call_command("applibrary", "load")
    call_command("applibrary", "load")
    assert (Evaluation.objects.count(), EvaluationAnswer.objects.count()) == before
    assert AuditEvent.objects.filter(action="applibrary.catalogue_loaded").count() == 2


def test_a_new_evaluation_gets_the_next_version(tmp_path):
    """A later file adds version 2 and keeps version 1."""
    data = json.loads(catalogue.CATALOGUE.read_text())
    data["evaluated_on"], data["review_by"] = "2027-06-01", "2027-12-01"
    path = tmp_path / "later.json"
    path.write_text(json.dumps(data))
    catalogue_load(actor=None, data=catalogue.read(path))
    assert list(Evaluation.objects.filter(app__slug="calm").values_list("version", flat=True)) == [2, 1]


def test_a_file_with_an_unknown_code_is_refused_naming_the_allowed_ones(tmp_path):
    """An unknown platform is refused with the list of known ones, and nothing is written."""
    data = json.loads(catalogue.CATALOGUE.read_text())
    data["apps"][0]["platforms"] = ["windows-phone"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="expected one of ios, android, web"):
        call_command("applibrary", "load", str(path))
