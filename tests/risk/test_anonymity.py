"""k-anonymity of the research extract (Sweeney 2002): generalise, then suppress, and say how many were left out."""

import datetime as dt
import random

import pytest

from alongside.risk.anonymity import QUASI_IDENTIFIERS, NotAnonymous, anonymise, equivalence_classes
from alongside.risk.population import AGE_BANDS, GENDERS, LANGUAGES


def people(n, seed=1):
    rng = random.Random(seed)
    return [
        {
            "client_id": f"c{i}",
            "start_date": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(730)),
            "age_band": rng.choice(AGE_BANDS),
            "language": rng.choice(LANGUAGES),
            "gender": rng.choice(GENDERS),
        }
        for i in range(n)
    ]


@pytest.mark.parametrize(("n", "k"), [(40, 5), (400, 5), (3000, 5), (400, 10)])
def test_no_equivalence_class_is_smaller_than_k(n, k):
    """Whatever the population, every combination of quasi-identifiers kept is shared by at least k clients, and
    every client is either kept (generalised) or counted as suppressed."""
    rows = people(n, seed=n + k)
    done = anonymise(rows, k=k)
    assert min(equivalence_classes(done.rows).values()) >= k
    assert done.smallest_class >= k
    assert len(done.rows) + len(done.suppressed) == n
    assert len(done.suppressed) <= 0.05 * n
    assert set(done.levels) == set(QUASI_IDENTIFIERS)


def test_a_large_population_keeps_detail_and_reports_what_it_suppressed():
    """With many clients the start month survives with only a few rare clients suppressed, and they are reported."""
    rows = people(3000, seed=7)
    rows.append({**rows[0], "client_id": "rare", "age_band": "99+"})
    done = anonymise(rows, k=5)
    assert done.levels["start_date"] in {"month", "quarter"}
    assert "rare" in done.suppressed or done.levels["age_band"] != "band"
    assert all(row["start_date"].day == 1 for row in done.rows)


def test_too_few_clients_are_refused_naming_the_attributes():
    """Fewer clients than k cannot be made k-anonymous: refused, naming the quasi-identifiers to coarsen."""
    with pytest.raises(NotAnonymous, match="start_date, age_band, gender, language"):
        anonymise(people(4), k=5)


def hand_table():
    """Twelve clients in two groups, counted by hand: five women starting in March 2026 (two endings: dropout,
    completed) and seven men starting in April 2026 (three endings); so k = 5 and l = 2."""
    women = [("2026-03-01", "F", ending) for ending in ("dropout", "completed", "completed", "dropout", "completed")]
    men = [("2026-04-01", "M", ending) for ending in ("ongoing", "completed", "dropout", "ongoing", "ongoing")]
    men += [("2026-04-01", "M", "completed")] * 2
    return [
        {
            "client_id": f"h{i}",
            "start_date": dt.date.fromisoformat(start),
            "age_band": "26-40",
            "language": "en",
            "gender": gender,
            "ending": ending,
        }
        for i, (start, gender, ending) in enumerate(women + men)
    ]


def test_the_release_k_and_l_are_pycanons_and_match_the_hand_count():
    """On a table whose k (5) and l (2) were counted by hand, the release keeps every client and reports the k and
    l that pyCANON computes on the same rows."""
    import pandas as pd
    from pycanon import anonymity as pycanon

    rows = hand_table()
    done = anonymise(rows, k=5, sensitive="ending")
    assert (done.measured_k, done.measured_l) == (5, 2)
    assert done.suppressed == []
    frame = pd.DataFrame([{k: str(v) for k, v in row.items()} for row in rows])
    assert pycanon.k_anonymity(frame, list(QUASI_IDENTIFIERS)) == 5
    assert pycanon.l_diversity(frame, list(QUASI_IDENTIFIERS), ["ending"]) == 2


def test_pycanons_verdict_gates_the_release(monkeypatch):
    """The hand table is 5-anonymous by our own counts, but when pyCANON finds only k-1 the extract is refused
    (naming the attributes to coarsen): the library, not our counting, decides whether rows may be written."""
    from alongside.risk import anonymity

    monkeypatch.setattr(anonymity.pycanon, "k_anonymity", lambda data, quasi_ident: 4)
    with pytest.raises(NotAnonymous, match="start_date, age_band, gender, language"):
        anonymise(hand_table(), k=5)
    # At k = 4 the same verdict passes.
    assert anonymise(hand_table(), k=4).measured_k == 4
