"""Per-client first and latest scores stay right as scores arrive, in any order, and rebuild to the same."""

from __future__ import annotations

import pytest

from alongside.measures.models import MeasureScoreSummary
from alongside.measures.services import score_summaries_rebuild
from tests.measures.support_staff import add_score

pytestmark = pytest.mark.django_db


def _summary(client, code):
    row = MeasureScoreSummary.objects.get(client=client, instrument=code)
    return (row.first_total, row.latest_total, row.count, row.latest_caseness)


def test_summary_follows_scores_arriving_out_of_order(world) -> None:
    """A late-arriving older score becomes the first; a newer one the latest; the count adds up."""
    add_score(world.sam, "phq9", 14, days_ago=14)
    add_score(world.sam, "phq9", 9, days_ago=0)
    add_score(world.sam, "phq9", 20, days_ago=28)  # imported later, but older than both
    assert _summary(world.sam, "phq9") == (20.0, 9.0, 3, False)


def test_rebuild_matches_the_incremental_summary(world) -> None:
    """Rebuilding from the scores gives what the scores' own updates gave."""
    for days, total in ((30, 18), (20, 12), (10, 7)):
        add_score(world.sam, "gad7", total, days_ago=days)
    before = _summary(world.sam, "gad7")
    MeasureScoreSummary.objects.all().delete()
    assert score_summaries_rebuild(client_ids=[world.sam.pk]) == 1
    assert _summary(world.sam, "gad7") == before == (18.0, 7.0, 3, False)
