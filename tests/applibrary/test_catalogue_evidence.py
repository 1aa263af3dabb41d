"""Evidence in the catalogue file: an answer may carry its link, date and checker, which the loader stores so the
answer shows as verified; bad evidence is refused; an older database gets the evidence from the load command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pydantic
import pytest
from django.core.management import CommandError, call_command

from alongside.applibrary import catalogue
from alongside.applibrary.models import EvaluationAnswer
from alongside.applibrary.services import catalogue_load

pytestmark = pytest.mark.django_db

SOURCED = {
    "answer": "yes",
    "evidence": "https://example.org/daylio/export",
    "checked_on": "2026-12-06",
    "checked_by": "Test checker",
}


def _file(tmp_path: Path, answers: dict[str, Any], evaluated_on: str = "2027-01-05") -> Path:
    data = json.loads(catalogue.CATALOGUE.read_text())
    data["evaluated_on"], data["review_by"] = evaluated_on, "2027-07-01"
    data["apps"] = [app for app in data["apps"] if app["slug"] == "daylio"]
    data["apps"][0]["answers"] = answers
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data))
    return path


def _latest(question: str) -> EvaluationAnswer:
    return EvaluationAnswer.objects.filter(evaluation__app__slug="daylio", question=question).latest(
        "evaluation__version"
    )


def test_an_answer_with_evidence_is_stored_verified_and_a_bare_one_stays_unverified(tmp_path):
    """The object form stores the link, the date read and the checker; the bare form is still accepted."""
    catalogue_load(actor=None, data=catalogue.read(_file(tmp_path, {"data_export": SOURCED, "reminders": "yes"})))
    sourced, bare = _latest("data_export"), _latest("reminders")
    assert (sourced.answer, sourced.evidence_url) == ("yes", SOURCED["evidence"])
    assert (sourced.checked_on, sourced.checked_by) == (dt.date(2026, 12, 6), "Test checker")
    assert sourced.verified
    assert (bare.answer, bare.evidence_url, bare.verified) == ("yes", "", False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"evidence": "http://example.org/page"}, "evidence must be an https:// link"),
        ({"evidence": "example.org/page"}, "evidence must be an https:// link"),
        ({"checked_by": "  "}, "checked_by must name who read the evidence"),
        ({"checked_on": "06/12/2026"}, "checked_on"),
        ({"answer": "probably"}, "answer"),
    ],
)
def test_bad_evidence_is_refused_with_a_message_naming_the_problem(tmp_path, change, message):
    """Plain http, a bare host, an empty checker, a non-ISO date or an unknown code refuse the whole file."""
    path = _file(tmp_path, {"data_export": {**SOURCED, **change}})
    with pytest.raises(pydantic.ValidationError, match=message):
        catalogue.read(path)
    with pytest.raises(CommandError, match=message):
        call_command("applibrary", "load", str(path))


def test_the_load_command_gives_an_already_loaded_evaluation_its_evidence_once(tmp_path):
    """A database loaded before the file had evidence: the command adds the link in place, without a new
    version, and a second run changes nothing."""
    call_command("applibrary", "load", str(_file(tmp_path, {"data_export": "yes"})))
    before = _latest("data_export")
    assert not before.verified
    path = _file(tmp_path, {"data_export": SOURCED})
    call_command("applibrary", "load", str(path))
    after = _latest("data_export")
    assert (after.pk, after.verified, after.evidence_url) == (before.pk, True, SOURCED["evidence"])
    assert catalogue_load(actor=None, data=catalogue.read(path)).evidence_updated == 0


def test_an_answer_the_file_now_contradicts_is_left_as_stored_and_counted(tmp_path):
    """A client may have seen the stored answer, so a changed answer is not rewritten in place."""
    call_command("applibrary", "load", str(_file(tmp_path, {"data_export": "no"})))
    done = catalogue_load(actor=None, data=catalogue.read(_file(tmp_path, {"data_export": SOURCED})))
    stored = _latest("data_export")
    assert (done.answers_differ, stored.answer, stored.verified) == (1, "no", False)


def _shipped_sourced() -> dict[tuple[str, str], catalogue.SourcedAnswer]:
    return {
        (app.slug, code): given
        for app in catalogue.read().apps
        for code, given in app.answers.items()
        if isinstance(given, catalogue.SourcedAnswer)
    }


def test_a_new_database_holds_the_starter_catalogues_evidence_as_verified_answers():
    """The data migration stores each sourced starter answer with its https link, read on 2026-12-06."""
    sourced = _shipped_sourced()
    assert len(sourced) >= 60
    verified = {
        (a.evaluation.app.slug, a.question): a
        for a in EvaluationAnswer.objects.select_related("evaluation__app")
        if a.verified
    }
    assert set(verified) == set(sourced)
    for key, given in sourced.items():
        assert (verified[key].answer, verified[key].evidence_url) == (given.answer, given.evidence)
        assert verified[key].checked_on == dt.date(2026, 12, 6)


def test_a_database_loaded_before_the_evidence_gets_it_from_the_load_command():
    """As if the migration had run with the old file: the command adds every link, and a second run adds none."""
    EvaluationAnswer.objects.update(evidence_url="")
    call_command("applibrary", "load")
    assert EvaluationAnswer.objects.exclude(evidence_url="").count() == len(_shipped_sourced())
    assert catalogue_load(actor=None, data=catalogue.read()).evidence_updated == 0
