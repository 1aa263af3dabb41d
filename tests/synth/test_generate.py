"""The synthetic practice: deterministic from a seed, complete enough for the demo."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Q

from alongside.accounts.models import TotpDevice, User, UserKind
from alongside.care.models import CareTeamMember, ClientProfile, Episode, Membership, Practice, Role
from alongside.consent.models import ConsentSignature, Scope, ScopeGrant
from alongside.risk.models import ClientRisk
from alongside.synth.config import DEMO_PASSWORD, SynthConfig
from alongside.synth.generate import DEFAULT_STEPS, AlreadySeeded, already_seeded, generate_practice
from alongside.synth.latent import Trajectory
from alongside.synth.plan import plan_practice

TODAY = dt.date(2026, 3, 15)


def _snapshot(domain: str) -> dict[str, object]:
    practice = Practice.objects.get(memberships__user__email=f"admin@{domain}")
    profiles = ClientProfile.objects.filter(practice=practice).select_related("user").order_by("user__email")
    return {
        "emails": [p.user.email.split("@")[0] for p in profiles],
        "names": [(p.preferred_name, p.full_name, p.locale, p.time_zone, p.status) for p in profiles],
        "episodes": sorted(
            (e.client.user.email.split("@")[0], e.started_on, e.ended_on, e.end_reason)
            for e in Episode.objects.filter(client__practice=practice).select_related("client__user")
        ),
        "scopes": sorted(
            (g.client.user.email.split("@")[0], g.scope, g.granted)
            for g in ScopeGrant.objects.filter(client__practice=practice).select_related("client__user")
        ),
        "team": sorted(
            (m.client.user.email.split("@")[0], m.clinician.email.split("@")[0], m.is_primary)
            for m in CareTeamMember.objects.filter(client__practice=practice).select_related(
                "client__user", "clinician"
            )
        ),
    }


def test_plan_is_deterministic_for_a_seed():
    """The same seed plans the same people, episodes and sharing; another seed does not."""
    a = plan_practice(SynthConfig(seed=11, today=TODAY))
    b = plan_practice(SynthConfig(seed=11, today=TODAY))
    c = plan_practice(SynthConfig(seed=12, today=TODAY))
    assert a.clients == b.clients
    assert [p.full_name for p in a.clients] != [p.full_name for p in c.clients]


def test_plan_is_plausible():
    """Episodes fall in the last year, end after they start, and every trajectory class appears."""
    plan = plan_practice(SynthConfig(seed=3, n_clients=200, today=TODAY))
    for client in plan.clients:
        assert TODAY - dt.timedelta(days=365) <= client.started_on <= TODAY
        if client.ended_on is not None:
            assert client.started_on <= client.ended_on <= TODAY
            assert client.end_reason in {"completed", "dropped_out", "referred"}
        assert 18 <= client.latent.age <= 78
        assert client.locale in {"en", "es"}
    trajectories = Counter(c.latent.trajectory for c in plan.clients)
    assert set(trajectories) == set(Trajectory)
    assert trajectories[Trajectory.RESPONDER] > trajectories[Trajectory.DETERIORATOR]
    assert {c.locale for c in plan.clients} == {"en", "es"}
    ended = sum(1 for c in plan.clients if c.ended_on is not None)
    assert 0 < ended < len(plan.clients)


@pytest.mark.django_db(transaction=False)
def test_generate_writes_the_demo_practice():
    """3 clinicians, an admin and at least 40 clients, each with a primary clinician and signed consent."""
    config = SynthConfig(seed=5, today=TODAY)
    result = generate_practice(config)
    practice = result.context.practice
    assert practice is not None
    assert (practice.name, practice.country, practice.time_zone) == (config.practice_name, "US", config.time_zone)

    roles = Counter(Membership.objects.filter(practice=practice).values_list("role", flat=True))
    assert roles == {Role.CLINICIAN: 3, Role.ADMIN: 1}
    assert sorted(Membership.objects.filter(practice=practice).values_list("user__email", flat=True)) == [
        "admin@demo.alongside.test",
        "clinician1@demo.alongside.test",
        "clinician2@demo.alongside.test",
        "clinician3@demo.alongside.test",
    ]

    clients = ClientProfile.objects.filter(practice=practice)
    assert clients.count() >= 40
    for profile in clients:
        primaries = CareTeamMember.objects.filter(client=profile, is_primary=True, ended_at__isnull=True)
        assert primaries.count() == 1
        assert ConsentSignature.objects.filter(client=profile).exists()
        assert Episode.objects.filter(client=profile).count() == 1
        assert profile.preferred_name
    assert CareTeamMember.objects.filter(client__practice=practice, is_primary=False).exists()
    assert Episode.objects.filter(client__practice=practice, ended_on__isnull=False).exists()
    granted = Counter(ScopeGrant.objects.filter(client__practice=practice).values_list("granted", flat=True))
    assert granted[True], "some scopes should be shared"
    # A scope never shared has no row (scopes_set writes nothing for it); a withheld one may also be a row.
    shared_pairs = set(
        ScopeGrant.objects.filter(client__practice=practice, granted=True).values_list("client_id", "scope")
    )
    assert len(shared_pairs) < clients.count() * len(Scope), "some scopes should be withheld"

    staff = User.objects.filter(kind=UserKind.STAFF, memberships__practice=practice)
    assert TotpDevice.objects.filter(user__in=staff, confirmed_at__isnull=False).count() == 4
    assert all(user.check_password(DEMO_PASSWORD) for user in staff)
    assert clients.first().user.check_password(DEMO_PASSWORD)

    # The early warnings are there from the start, with their explanations and weeks of flags (the demo's data is
    # written in bulk, so no after-commit refresh ran; the risk step scores everyone once).
    risks = ClientRisk.objects.filter(client__practice=practice)
    assert risks.count() >= clients.count() // 2
    assert all(risk.factors for risk in risks)
    assert risks.filter(Q(dropout_flag=True) | Q(not_on_track=True)).exists()
    assert any(risk.weekly for risk in risks)


@pytest.mark.django_db
def test_generate_is_deterministic_in_the_database():
    """Two runs with one seed write the same names, episodes, teams and scopes (only the domain differs)."""
    generate_practice(SynthConfig(seed=9, today=TODAY, domain="one.test"))
    generate_practice(SynthConfig(seed=9, today=TODAY, domain="two.test"))
    assert _snapshot("one.test") == _snapshot("two.test")


@pytest.mark.django_db
def test_generate_refuses_to_seed_twice():
    """A second run for the same domain changes nothing and says why."""
    config = SynthConfig(seed=1, n_clients=2, today=TODAY)
    generate_practice(config)
    assert already_seeded(config)
    before = User.objects.count()
    with pytest.raises(AlreadySeeded):
        generate_practice(config)
    assert User.objects.count() == before


@pytest.mark.django_db
def test_steps_are_the_extension_point():
    """A later step sees the clients written before it and draws from its own stream."""
    seen = []

    def count_step(ctx):
        rng = ctx.config.rng("count_step")
        seen.append((len(ctx.clients), rng.random()))

    config = SynthConfig(seed=4, n_clients=3, today=TODAY)
    generate_practice(config, steps=[*DEFAULT_STEPS, count_step])
    assert seen == [(3, SynthConfig(seed=4).rng("count_step").random())]
