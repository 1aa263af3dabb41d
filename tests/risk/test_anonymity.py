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
