"""The synthetic population: deterministic, in the extract's schema, and with the signals the models learn from."""

import duckdb
import pyarrow.parquet as pq

from alongside.risk.population import generate
from alongside.risk.schema import SCHEMA, check_extract

from .conftest import once

pytestmark = once


def test_population_matches_the_extract_schema(population):
    """Every table is written with exactly the extract's schema, so scoring accepts it."""
    check_extract(population, tuple(SCHEMA))
    for name, schema in SCHEMA.items():
        assert pq.read_schema(population / f"{name}.parquet").equals(schema, check_metadata=False)


def test_same_seed_gives_the_same_population(tmp_path):
    """A seed reproduces a population exactly; another seed gives another one."""
    a, b, _ = (generate(clients=40, seed=s, out=tmp_path / name) for s, name in ((1, "a"), (1, "b"), (2, "c")))
    assert a.rows == b.rows
    assert a.total_rows > 40 * 100
    assert pq.read_table(tmp_path / "a" / "checkins.parquet").equals(pq.read_table(tmp_path / "b" / "checkins.parquet"))
    assert not pq.read_table(tmp_path / "a" / "scores.parquet").equals(pq.read_table(tmp_path / "c" / "scores.parquet"))


def test_population_has_early_signals_and_noise(population):
    """Dropouts check in less in their last fortnight than before; some drop out while improving; no-one stops
    attending sessions after their episode ends."""
    d = str(population)
    last, before, improving = duckdb.sql(f"""
        with e as (select * from '{d}/episodes.parquet' where ending = 'dropout' and end_day >= 56),
        c as (select * from '{d}/checkins.parquet')
        select
          avg((select count(*) from c where c.client_id = e.client_id and c.day between e.end_day - 14 and e.end_day - 1)),
          avg((select count(*) from c where c.client_id = e.client_id and c.day between e.end_day - 56 and e.end_day - 43)),
          avg(case when (select arg_max(total, session_number) - arg_min(total, session_number)
                         from '{d}/scores.parquet' s where s.client_id = e.client_id and measure = 'phq9') <= -3
              then 1.0 else 0.0 end)
        from e
    """).fetchall()[0]
    assert last < before * 0.7
    assert improving > 0.05
    late = duckdb.sql(f"""select count(*) from '{d}/sessions.parquet' s join '{d}/episodes.parquet' e using (client_id)
                          where s.day > e.end_day""").fetchall()[0][0]
    assert late == 0
