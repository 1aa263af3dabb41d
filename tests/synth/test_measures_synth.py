"""Synthetic questionnaires: drawn from the latent profile, deterministic, realistic in aggregate."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest

from alongside.measures import library
from alongside.measures.models import (
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    MeasureScore,
    RequestStatus,
    ResponseStatus,
)
from alongside.measures.services import answers_of
from alongside.notify.models import Notification, NotificationKind
from alongside.safety.models import AlertStatus, CriticalAlert, alert_topic
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.synth.latent import Trajectory
from alongside.synth.measures import score_fields
from alongside.synth.measures_plan import finished_outcomes, paired_totals, plan_measures
from alongside.synth.plan import plan_practice
from alongside.synth.responses import answer_instrument, theta_of

TODAY = dt.date(2026, 3, 15)


def _plan(seed: int, n_clients: int = 42):
    config = SynthConfig(seed=seed, n_clients=n_clients, today=TODAY)
    return plan_measures(config, plan_practice(config))


@pytest.fixture(scope="module")
def large_plan():
    return _plan(seed=4, n_clients=600)


def test_plan_is_deterministic_for_a_seed():
    """The same seed plans the same requests, times and answers; another seed does not."""

    def digest(seed: int) -> list[tuple[object, ...]]:
        return [
            (
                c.client.number,
                a.instrument,
                a.occurrence,
                a.status,
                a.completed_at,
                tuple(sorted((a.answers or {}).items())),
            )
            for c in _plan(seed).clients
            for a in c.administrations
        ]

    assert digest(3) == digest(3)
    assert digest(3) != digest(8)


def test_outcomes_match_nhs_talking_therapies_proportions(large_plan):
    """Among finished episodes about half recover, two-thirds reliably improve, one in twenty deteriorate."""
    outcome = finished_outcomes(large_plan)
    assert outcome.finished >= 150
    assert 0.42 <= outcome.recovery_rate <= 0.60, outcome
    assert 0.56 <= outcome.improvement_rate <= 0.76, outcome
    assert 0.01 <= outcome.deterioration_rate <= 0.10, outcome


def test_most_clients_start_at_caseness_and_trajectories_diverge(large_plan):
    """Baselines sit mostly above caseness; responders end lower than deteriorators."""
    baselines = [paired_totals(c)[0] for c in large_plan.clients if paired_totals(c)]
    caseness = sum(phq >= 10 or gad >= 8 for phq, gad in baselines) / len(baselines)
    assert 0.8 <= caseness <= 0.97
    change: dict[Trajectory, list[int]] = {t: [] for t in Trajectory}
    for client in large_plan.clients:
        pairs = paired_totals(client)
        if len(pairs) >= 4:
            change[client.client.latent.trajectory].append(pairs[-1][0] - pairs[0][0])
    assert statistics.mean(change[Trajectory.RESPONDER]) < -5
    assert statistics.mean(change[Trajectory.DETERIORATOR]) > 2
    assert statistics.mean(change[Trajectory.RESPONDER]) < statistics.mean(change[Trajectory.NON_RESPONDER])


def test_every_client_answers_phq9_and_gad7_and_some_answer_the_others(large_plan):
    """PHQ-9 and GAD-7 for all (a baseline always); WHO-5, CORE-10 and PCL-5 for some."""
    instruments: Counter[str] = Counter()
    for client in large_plan.clients:
        codes = {s.instrument for s in client.schedules}
        assert {"phq9", "gad7"} <= codes
        assert {s.interval_days for s in client.schedules if s.instrument == "phq9"} <= {7, 14}
        assert client.completed("phq9")
        assert client.completed("gad7")
        instruments.update(codes)
    for code in ("who5", "core10", "pcl5"):
        assert 0 < instruments[code] < len(large_plan.clients)


def test_dropouts_stop_answering(large_plan):
    """Dropouts answer less and leave more requests to expire than responders."""

    def completion(trajectory: Trajectory) -> float:
        adms = [
            a
            for c in large_plan.clients
            if c.client.latent.trajectory == trajectory
            for a in c.administrations
            if a.status != RequestStatus.PENDING
        ]
        return sum(a.submitted for a in adms) / len(adms)

    assert completion(Trajectory.DROPOUT) < completion(Trajectory.RESPONDER) - 0.2


def test_telemetry_is_ordered_and_consistent(large_plan):
    """Delivered, seen, opened and completed follow each other; expiry comes after the window; none after now."""
    now = large_plan.now
    statuses: Counter[str] = Counter()
    for client in large_plan.clients:
        for adm in client.administrations:
            statuses[adm.status] += 1
            times = [t for t in (adm.due_at, adm.delivered_at, adm.seen_at, adm.opened_at, adm.completed_at) if t]
            assert times == sorted(times)
            assert all(t < now for t in times)
            assert adm.delivered_at is not None
            assert adm.channel
            if adm.status == "completed":
                assert adm.submitted
                assert adm.answers is not None
                assert adm.completed_at is not None
                assert adm.completed_at <= adm.expires_at
            elif adm.status == "expired":
                assert not adm.submitted
                assert adm.expired_at is not None
                assert adm.expired_at >= adm.expires_at
            else:
                assert adm.expires_at > now
            if adm.answers is not None and not adm.submitted:
                assert adm.opened_at is not None
    assert statuses["completed"] > statuses["expired"] > statuses["pending"] > 0


def test_item_answers_follow_the_latent_severity_and_score_exactly():
    """Higher severity gives higher PHQ-9 totals; every drawn answer set is valid and scores."""
    rng = random.Random(1)
    low = [library.score("phq9", answer_instrument(rng, "phq9", theta_of(0.2))).total for _ in range(200)]
    high = [library.score("phq9", answer_instrument(rng, "phq9", theta_of(0.8))).total for _ in range(200)]
    assert statistics.mean(high) - statistics.mean(low) > 10
    who_low = [library.score("who5", answer_instrument(rng, "who5", theta_of(0.2))).total for _ in range(200)]
    who_high = [library.score("who5", answer_instrument(rng, "who5", theta_of(0.8))).total for _ in range(200)]
    assert statistics.mean(who_low) > statistics.mean(who_high) + 20, "WHO-5: higher is better"
    for code in ("phq9", "gad7", "who5", "core10", "pcl5"):
        for severity in (0.0, 0.5, 1.0):
            answers = answer_instrument(rng, code, theta_of(severity))
            library.score(code, answers)  # raises AnswerError on anything the engine would refuse


def test_item_nine_is_rarer_than_sleep_and_rises_with_severity(large_plan):
    """PHQ-9 item 9 is endorsed less than item 3, and more often when the total is high."""
    phq = [a.answers for c in large_plan.clients for a in c.completed("phq9") if a.answers]
    assert sum(a["phq9-9"] > 0 for a in phq) < sum(a["phq9-3"] > 0 for a in phq) / 3
    high = [a for a in phq if library.score("phq9", a).total >= 20]
    low = [a for a in phq if library.score("phq9", a).total < 10]
    assert sum(a["phq9-9"] > 0 for a in high) / len(high) > 3 * sum(a["phq9-9"] > 0 for a in low) / len(low)


def test_alerts_cover_every_critical_answer_and_a_few_stay_open():
    """Each critical administration has an alert; 2 to 4 are open, the rest acknowledged with a note."""
    plan = _plan(seed=2026)
    critical = [a for c in plan.clients for a in c.administrations if a.submitted and a.critical_items]
    assert critical
    assert all(a.alert is not None for a in critical)
    open_alerts = [a.alert for _, a in plan.alerts() if a.alert is not None and a.alert.open]
    assert 2 <= len(open_alerts) <= 4
    for _, adm in plan.alerts():
        alert = adm.alert
        assert alert is not None
        if not alert.open:
            assert alert.acknowledged_at is not None
            assert alert.note
            assert alert.created_at < alert.acknowledged_at < plan.now


@pytest.mark.django_db
def test_generate_writes_questionnaires_scores_and_alerts():
    """The demo seed writes requests with telemetry, encrypted answers whose scores match the library, and alerts."""
    result = generate_practice(SynthConfig(today=TODAY))
    practice = result.context.practice
    responses = MeasureResponse.objects.filter(client__practice=practice)
    submitted = responses.filter(status=ResponseStatus.SUBMITTED).select_related("score")
    assert submitted.count() == MeasureScore.objects.filter(client__practice=practice).count() > 500
    assert responses.filter(status=ResponseStatus.IN_PROGRESS).exists(), "some left part-way"
    for response in submitted:
        answers = {k: v for k, v in answers_of(response).items() if v is not None}
        expected = score_fields(response.instrument, answers)
        assert response.score.total == expected["total"]
        assert response.score.severity == expected["severity"]
        assert response.score.critical_items == expected["critical_items"]
        assert response.request is not None
        assert response.request.status == RequestStatus.COMPLETED
        assert response.request.completed_at == response.submitted_at

    requests = Counter(MeasureRequest.objects.filter(client__practice=practice).values_list("status", flat=True))
    assert requests[RequestStatus.COMPLETED]
    assert requests[RequestStatus.EXPIRED]
    assert requests[RequestStatus.PENDING]
    scheduled = MeasureSchedule.objects.filter(client__practice=practice).values_list("instrument", flat=True)
    assert set(scheduled) == {"phq9", "gad7", "who5", "core10", "pcl5"}

    alerts = CriticalAlert.objects.filter(client__practice=practice)
    open_alerts = [a for a in alerts if a.is_open]
    assert 2 <= len(open_alerts) <= 4
    assert all(a.instrument in {"phq9", "core10"} for a in alerts)
    acknowledged = alerts.filter(status=AlertStatus.ACKNOWLEDGED)
    assert acknowledged.count() > 5
    assert all(a.note and a.acknowledged_by_id for a in acknowledged)
    notices = Notification.objects.filter(subject_client__practice=practice, topic__startswith=alert_topic(""))
    for alert in acknowledged:
        assert not notices.filter(topic=alert_topic(alert.pk), read_at__isnull=True).exists()
    assert notices.filter(kind=NotificationKind.ESCALATION).exists()
    for alert in open_alerts:
        assert alert.response.score.critical_items
        assert notices.filter(topic=alert_topic(alert.pk), kind=NotificationKind.ALERT).exists()
    assert result.counts["critical_alerts_open"] == len(open_alerts)


@pytest.mark.django_db
def test_generate_measures_is_deterministic_in_the_database():
    """Two runs with one seed write the same scores and alerts (only the domain differs)."""

    def snapshot(domain: str) -> list[tuple[object, ...]]:
        generate_practice(SynthConfig(seed=9, n_clients=8, today=TODAY, domain=domain))
        return sorted(
            (s.client.user.email.split("@")[0], s.instrument, s.scored_at, s.total, tuple(s.critical_items))
            for s in MeasureScore.objects.filter(client__user__email__endswith=domain).select_related("client__user")
        )

    assert snapshot("one.test") == snapshot("two.test")
