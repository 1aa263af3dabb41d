"""Synthetic self-care: check-ins follow the latent severity, exposure habituates, dropouts fade."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import defaultdict
from typing import Any

import pytest

from alongside.selfcare.models import (
    CheckIn,
    EntryStatus,
    ExerciseEntry,
    HomeworkTask,
    ModuleRead,
    PracticeKind,
    PracticeLog,
    SessionTopic,
    TaskStatus,
)
from alongside.selfcare.schemas import validate_data
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.synth.latent import Trajectory
from alongside.synth.plan import plan_practice
from alongside.synth.selfcare import WEEKDAY_MOOD, SelfcarePlan, plan_selfcare

TODAY = dt.date(2026, 3, 15)
RELAXATION = {k for k in PracticeKind if k not in {PracticeKind.EXPOSURE, PracticeKind.ACTIVITY}}


def _plan(seed: int, n_clients: int = 42) -> SelfcarePlan:
    config = SynthConfig(seed=seed, n_clients=n_clients, today=TODAY)
    return plan_selfcare(config, plan_practice(config))


@pytest.fixture(scope="module")
def large_plan() -> SelfcarePlan:
    return _plan(11, n_clients=120)


def test_plan_is_deterministic_for_a_seed() -> None:
    """The same seed gives the same self-care plan; another seed gives another."""
    assert _plan(5, 20) == _plan(5, 20)
    assert _plan(5, 20) != _plan(6, 20)


def test_mood_falls_as_latent_severity_rises(large_plan: SelfcarePlan) -> None:
    """Daily mood correlates negatively with the hidden severity (Pearson and Spearman)."""
    checkins = [c for client in large_plan.clients for c in client.checkins]
    moods = [c.mood for c in checkins]
    severities = [c.severity for c in checkins]
    assert len(checkins) > 3000
    assert statistics.correlation(moods, severities) < -0.3
    assert statistics.correlation(moods, severities, method="ranked") < -0.3
    assert all(0 <= m <= 10 for m in moods)


def test_mood_dips_on_monday_and_lifts_at_the_weekend(large_plan: SelfcarePlan) -> None:
    """Mood beyond what severity predicts is lower on Mondays than at weekends."""
    residuals: dict[int, list[float]] = defaultdict(list)
    for client in large_plan.clients:
        for c in client.checkins:
            residuals[c.day.weekday()].append(c.mood - (8.6 - 7.5 * c.severity))
    monday = statistics.fmean(residuals[0])
    weekend = statistics.fmean(residuals[5] + residuals[6])
    assert weekend - monday > 0.6
    assert WEEKDAY_MOOD[0] < 0 < WEEKDAY_MOOD[5]


def test_check_ins_miss_days_in_clumps_and_sleep_is_coupled(large_plan: SelfcarePlan) -> None:
    """Nobody checks in every day, gaps of several days occur, and worse sleep goes with worse mood."""
    gaps: list[int] = []
    for client in large_plan.clients:
        days = [c.day for c in client.checkins]
        gaps.extend((b - a).days for a, b in itertools.pairwise(days))
    assert any(g >= 4 for g in gaps)
    assert statistics.fmean(gaps) > 1.1
    pairs = [(c.mood, c.sleep_quality) for cl in large_plan.clients for c in cl.checkins if c.sleep_quality is not None]
    assert statistics.correlation([m for m, _ in pairs], [q for _, q in pairs]) > 0.3


def test_dropouts_do_less_homework_at_the_end_than_at_the_start(large_plan: SelfcarePlan) -> None:
    """Among dropouts, adherence in the last weeks of the episode is lower than in the first weeks."""
    first: list[bool] = []
    last: list[bool] = []
    for client in large_plan.clients:
        plan = client.client
        if plan.latent.trajectory != Trajectory.DROPOUT or plan.ended_on is None:
            continue
        length = (plan.ended_on - plan.started_on).days
        for task in client.tasks:
            if task.status == TaskStatus.DUE:
                continue
            frac = (task.due_on - plan.started_on).days / max(1, length)
            (first if frac < 0.5 else last).append(task.status == TaskStatus.COMPLETED)
    assert len(first) >= 10
    assert len(last) >= 10
    assert statistics.fmean(last) < statistics.fmean(first) - 0.1


def test_every_entry_passes_its_schema(large_plan: SelfcarePlan) -> None:
    """Complete entries pass validate_data(complete=True); drafts pass as drafts; every kind appears."""
    kinds = set()
    for client in large_plan.clients:
        for entry in client.entries:
            kinds.add(entry.kind)
            complete = entry.status == EntryStatus.COMPLETE
            assert validate_data(entry.kind, entry.data, complete=complete)
            assert (entry.completed_at is not None) == complete
    assert kinds == {"thought_record", "behavioural_activation", "exposure_hierarchy", "problem_solving"}


def test_exposure_suds_fall_within_and_across_practices(large_plan: SelfcarePlan) -> None:
    """On one ladder step the peak falls from the first practice to the last; within a practice it settles."""
    by_step: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    within = []
    for client in large_plan.clients:
        for log in sorted((lg for lg in client.logs if lg.kind == PracticeKind.EXPOSURE), key=lambda lg: lg.at):
            assert log.rating_peak is not None
            assert log.rating_after is not None
            by_step[(client.client.number, str(log.entry), log.step_id)].append(log.rating_peak)
            within.append(log.rating_peak - log.rating_after)
    drops = [peaks[0] - peaks[-1] for peaks in by_step.values() if len(peaks) >= 2]
    assert len(drops) >= 10
    assert statistics.fmean(drops) > 5
    assert statistics.fmean(within) > 10


def test_relaxation_tools_lower_the_rating_on_average(large_plan: SelfcarePlan) -> None:
    logs = [lg for c in large_plan.clients for lg in c.logs if lg.kind in RELAXATION]
    assert len(logs) > 50
    assert statistics.fmean((lg.rating_before or 0) - (lg.rating_after or 0) for lg in logs) > 1


def test_completed_tasks_point_at_a_record_in_their_window(large_plan: SelfcarePlan) -> None:
    """Every completed task is linked to a planned record; missed tasks have no completion."""
    for client in large_plan.clients:
        keys = {e.key for e in client.entries} | {lg.key for lg in client.logs} | {r.key for r in client.reads}
        for task in client.tasks:
            if task.status == TaskStatus.COMPLETED:
                assert task.completion is not None
                assert task.completion[1] in keys
                assert task.completed_at is not None
                assert task.completed_at < large_plan.now
            else:
                assert task.completion is None


@pytest.mark.django_db
def test_generate_writes_check_ins_for_most_active_clients() -> None:
    """The demo seed writes check-ins, exercises, practice, homework and topics, readable and linked."""
    result = generate_practice(SynthConfig(n_clients=16, today=TODAY))
    counts = result.counts
    for name in ("checkins", "exercise_entries", "practice_logs", "assignments", "homework_tasks"):
        assert counts[name] > 0, name
    assert counts["checkins"] == CheckIn.objects.count()
    active = [c for c in result.context.clients if c.plan.active and (TODAY - c.plan.started_on).days >= 14]
    with_checkins = [c for c in active if CheckIn.objects.filter(client=c.profile).exists()]
    assert len(with_checkins) >= 0.8 * len(active)
    for entry in ExerciseEntry.objects.filter(status=EntryStatus.COMPLETE):
        validate_data(entry.kind, entry.data, complete=True)
    models: dict[str, type[Any]] = {
        "selfcare.exerciseentry": ExerciseEntry,
        "selfcare.practicelog": PracticeLog,
        "selfcare.moduleread": ModuleRead,
    }
    for task in HomeworkTask.objects.filter(status=TaskStatus.COMPLETED):
        assert models[task.completion_type].objects.filter(pk=task.completion_id, client=task.client).exists()
    assert SessionTopic.objects.count() == counts.get("session_topics", 0)
