"""A practice's own model: fitted on its history once it holds enough episodes, activated only when it passes its
evaluation, then used for its clients' warnings, and named on the model-cards page and in the brief."""

from __future__ import annotations

import copy
import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from alongside.risk.active import models_in_use, reference
from alongside.risk.models import ModelSource, PracticeModel
from alongside.risk.page_parts import brief_section
from alongside.risk.population import generate
from alongside.risk.services import client_risk_refresh, practice_models_keep

from .conftest import START, once

pytestmark = [pytest.mark.django_db, once]


@pytest.fixture(scope="session")
def practice_history(tmp_path_factory):
    """A generated practice's history: 450 clients, 315 of them in the training period (the minimum is 300)."""
    out = tmp_path_factory.mktemp("risk-practice") / "extract"
    generate(clients=450, seed=5, out=out)
    return out


def test_a_practice_with_enough_history_gets_its_own_model_in_use(
    world, worse, practice_history, staff_client, client, capsys
):
    """`risk evaluate --practice` fits on the practice's history with temporal validation, stores both models with
    their cards, activates them (they pass), and the next refresh scores Sam with them; the pages say so."""
    call_command("risk", "evaluate", "--practice", str(world.practice.pk), "--data", str(practice_history))
    out = capsys.readouterr().out
    assert "temporal" in out
    assert "now in use" in out
    active = PracticeModel.objects.filter(practice=world.practice, active=True)
    assert sorted(active.values_list("kind", flat=True)) == ["dropout", "not_on_track"]
    assert all(row.card.startswith("# Model card") and "this practice's own history" in row.card for row in active)
    in_use = models_in_use(world.practice.pk)
    assert in_use.source == ModelSource.PRACTICE
    assert models_in_use(world.other_practice.pk) is reference()

    stored = client_risk_refresh(client=world.sam, now=START.replace(month=11, day=5))
    assert stored.model_source == ModelSource.PRACTICE
    assert stored.model_sha256 == in_use.sha256 != reference().sha256
    assert brief_section(world.sam, START, START)["practice_fitted"] is True

    staff_client(world.alice)
    page = client.get(reverse("risk:model_cards")).content.decode()
    assert "Fitted on this practice's own history" in page
    assert "The full model card" in page
    assert "Models in use: this practice's own" in client.get(reverse("risk:flagged")).content.decode()
    staff_client(world.carol)
    page = client.get(reverse("risk:model_cards")).content.decode()
    assert "The reference model, fitted and evaluated on a synthetic population" in page
    assert "Models in use: the reference models" in client.get(reverse("risk:flagged")).content.decode()


def _fake_result(passed: bool) -> dict:
    models = reference()
    report = {**models.evaluations["dropout"], "passed": passed}
    return {"report": report, "models": {"not_on_track": models.not_on_track, "dropout": models.dropout}}


def test_a_failed_or_edited_practice_model_is_never_used(world, caplog):
    """A model whose evaluation failed is kept with its card but not activated; an active model whose stored JSON
    was edited after its evaluation is refused, and the reference models are used instead."""
    now = timezone.now()
    cards = {"not_on_track": "# Model card: not on track", "dropout": "# Model card: dropout"}
    kept = practice_models_keep(practice=world.practice, result=_fake_result(False), cards=cards, now=now)
    assert [row.active for row in kept] == [False, False]
    assert models_in_use(world.practice.pk) is reference()

    practice_models_keep(practice=world.practice, result=_fake_result(True), cards=cards, now=now)
    assert models_in_use(world.practice.pk).source == ModelSource.PRACTICE
    row = PracticeModel.objects.get(practice=world.practice, active=True, kind="dropout")
    edited = copy.deepcopy(row.model)
    edited["coefficients"]["checkins_14"] = 0.0
    PracticeModel.objects.filter(pk=row.pk).update(model=edited)
    with caplog.at_level(logging.ERROR, logger="alongside.risk"):
        assert models_in_use(world.practice.pk) is reference()
    assert "no longer matches" in caplog.text


def test_a_practice_with_too_little_history_keeps_the_reference_model(world, worse):
    """From the database, a practice with too few consenting episodes is refused, and the reference stays in use."""
    with pytest.raises(CommandError, match="reference model"):
        call_command("risk", "evaluate", "--practice", str(world.practice.pk))
    assert not PracticeModel.objects.exists()
    assert models_in_use(world.practice.pk) is reference()
