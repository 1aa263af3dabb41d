"""Open an extract on an engine: DuckDB in-process by default, PySpark (``local[*]`` or a cluster) on request."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis

from alongside.risk.features import Tables
from alongside.risk.schema import SCORING_TABLES, check_extract

BACKENDS = ("duckdb", "spark")

SPARK_MISSING = (
    "Spark is not available: {reason}. Install Java 17 or later (Debian: apt-get install -y default-jre-headless) "
    "and PySpark (uv sync installs it from the lock file), or use --backend duckdb."
)


# Settings for a small extract (the tests, a few hundred clients): whole-stage code generation and adaptive planning
# cost more than they save on so little data, and a small JIT and collector start sooner. On the Spark test they
# halved session start and scoring time (bench/README.md). Not for a cluster.
SMALL_DATA: dict[str, str] = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
}


class EngineUnavailable(RuntimeError):
    """The chosen engine cannot start here; the message says what to install."""


def connect(
    backend: str, *, master: str = "local[*]", memory_limit: str | None = None, conf: Mapping[str, str] | None = None
) -> Any:
    """Return an Ibis connection to ``backend`` ("duckdb" or "spark"); ``conf`` adds Spark settings."""
    if backend == "duckdb":
        con = ibis.duckdb.connect()
        if memory_limit:
            con.raw_sql(f"SET memory_limit = '{memory_limit}'")
        return con
    if backend != "spark":
        raise ValueError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineUnavailable(SPARK_MISSING.format(reason="PySpark is not installed")) from exc
    if shutil.which("java") is None:
        raise EngineUnavailable(SPARK_MISSING.format(reason="no java on PATH"))
    builder = (
        SparkSession.builder.master(master)
        .appName("alongside-risk")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def open_extract(con: Any, data: Path) -> Tables:
    """Check the extract's schema and register its tables on ``con``."""
    check_extract(data)
    tables = {name: con.read_parquet(str(data / f"{name}.parquet")) for name in SCORING_TABLES}
    return Tables(**tables)
