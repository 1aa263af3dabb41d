"""Scoring an extract: one set of Ibis expressions, the same results on DuckDB and on Spark, bad input refused."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from alongside.risk import engines
from alongside.risk.artifacts import load
from alongside.risk.engines import EngineUnavailable, connect, open_extract
from alongside.risk.pipeline import REFERENCE, compare, score_tables
from alongside.risk.schema import BadExtract

from .conftest import once

pytestmark = once


def test_duckdb_scores_every_client(duckdb_result):
    """Each client gets a dropout probability between 0 and 1; some are flagged not on track and some are not."""
    assert duckdb_result.num_rows == 300
    p = duckdb_result["dropout"].to_numpy()
    assert ((p > 0) & (p < 1)).all()
    flags = [f for f in duckdb_result["not_on_track"].to_pylist() if f is not None]
    assert 0 < sum(flags) < len(flags)


def test_spark_and_duckdb_agree(population):
    """The same expressions run on PySpark local[2] give the same scores as DuckDB, within floating-point tolerance
    (each client scored at their latest day, as `alongside risk score` does)."""
    models = load(REFERENCE / "not_on_track.json"), load(REFERENCE / "dropout.json")
    duck = connect("duckdb")
    expected = score_tables(duck, open_extract(duck, population), *models).to_pyarrow()
    con = connect("spark", master="local[2]", conf=engines.SMALL_DATA)
    spark = score_tables(con, open_extract(con, population), *models).to_pyarrow()
    assert spark.num_rows == expected.num_rows == 300
    assert set(spark.column_names) == set(expected.column_names)
    assert compare(expected, spark.select(expected.column_names), tolerance=1e-9) == []


def test_spark_missing_gives_the_install_step(monkeypatch):
    """Without Java, choosing Spark fails with a message that says what to install."""
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)
    with pytest.raises(EngineUnavailable, match="default-jre-headless"):
        connect("spark")


def test_extract_with_missing_or_mistyped_columns_is_refused(population, tmp_path):
    """An extract lacking a column, or with a column of the wrong type, is refused with a message naming them."""
    for path in population.glob("*.parquet"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    checkins = pq.read_table(tmp_path / "checkins.parquet").drop_columns(["mood"])
    pq.write_table(checkins, tmp_path / "checkins.parquet")
    scores = pq.read_table(tmp_path / "scores.parquet")
    scores = scores.set_column(scores.schema.get_field_index("total"), "total", scores["total"].cast(pa.string()))
    pq.write_table(scores, tmp_path / "scores.parquet")
    (tmp_path / "homework.parquet").unlink()
    with pytest.raises(BadExtract) as caught:
        open_extract(connect("duckdb"), tmp_path)
    message = str(caught.value)
    assert "checkins.mood is missing" in message
    assert "scores.total is string, expected int16" in message
    assert "homework.parquet is missing" in message
