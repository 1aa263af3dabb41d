"""The population pipeline's steps, as the ``alongside risk`` command runs them: evaluate (fit, test, keep) and score."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pyarrow.parquet as pq

from alongside.risk import artifacts
from alongside.risk import modelling as models
from alongside.risk.engines import connect, open_extract
from alongside.risk.evaluation import (
    SYNTHETIC_NOTE,
    by_group,
    dropout_figures,
    not_on_track_figures,
    not_on_track_rows,
    score_dropout,
    verdict,
)
from alongside.risk.features import FEATURES, Tables, dropout_scores, engagement, expected_band
from alongside.risk.population import generate
from alongside.risk.schema import check_extract

REFERENCE = artifacts.REFERENCE
# Share of a practice's clients, by start date, that the temporal validation fits on; the rest is the test period.
TRAIN_SHARE = 0.7


def reliable_change() -> dict[str, float]:
    """The PHQ-9 and GAD-7 reliable change values, from alongside.measures (not redefined here)."""
    from alongside.measures.library import reliable_change as value

    out = {}
    for code in ("phq9", "gad7"):
        rc = value(code)
        assert rc is not None
        out[code] = rc
    return out


def _subset(con: Any, tables: Tables, ids: list[str], name: str) -> Tables:
    # A filter, not a semi-join: a join here would make each table a join chain, and the fits join the tables again.
    return Tables(
        **{
            table: getattr(tables, table).filter(getattr(tables, table).client_id.isin(ids))
            for table in Tables.__annotations__
        }
    )


def _split(data: Path | None, source: str, clients: int, seed: int, work: Path) -> tuple[Path, Path, str]:
    if source == "synthetic":
        train, test = work / "train", work / "test"
        generate(clients=clients, seed=seed, out=train)
        generate(clients=clients, seed=seed + 1, out=test)
        return train, test, "random: separate synthetic populations (different seeds)"
    assert data is not None
    check_extract(data, ("clients", "episodes", "scores"))
    return data, data, f"temporal: the first {int(TRAIN_SHARE * 100)}% of clients by start date, tested on the rest"


def evaluate(
    *, source: str = "synthetic", data: Path | None = None, clients: int = 4000, seed: int = 17
) -> dict[str, Any]:
    """Fit both models on the training part, evaluate them on the test part; return the report and the models."""
    rci = reliable_change()
    with tempfile.TemporaryDirectory() as tmp:
        train_dir, test_dir, split = _split(data, source, clients, seed, Path(tmp))
        con = connect("duckdb")
        train, test = open_extract(con, train_dir), open_extract(con, test_dir)
        train_eps = con.read_parquet(str(train_dir / "episodes.parquet"))
        test_eps = con.read_parquet(str(test_dir / "episodes.parquet"))
        if source == "practice":
            ordered = train.clients.order_by("start_date").client_id.to_pyarrow().to_pylist()
            cut = int(len(ordered) * TRAIN_SHARE)
            if cut < models.MIN_EPISODES:
                raise ValueError(
                    f"The practice has {len(ordered)} episodes; its own model needs {models.MIN_EPISODES} in the "
                    "training period. Keep using the reference model."
                )
            train, test = _subset(con, train, ordered[:cut], "train"), _subset(con, test, ordered[cut:], "test")
            train_eps = train_eps.filter(train_eps.client_id.isin(ordered[:cut]))
            test_eps = test_eps.filter(test_eps.client_id.isin(ordered[cut:]))
        not_model = models.fit_not_on_track(train, source=source, seed=seed)
        drop_model = models.fit_dropout(models.dropout_training_rows(con, train, train_eps), source=source)
        not_rows = not_on_track_rows(con, test, not_model, rci)
        frame = models.dropout_training_rows(con, test, test_eps)
        p = score_dropout(frame[["client_id", "as_of", *FEATURES]], con, drop_model)
        clients_df = test.clients.select("client_id", "age_band", "language", "gender").to_pandas()
        train_count = int(train.clients.count().execute())
    not_fig = {measure: not_on_track_figures(not_rows[not_rows.measure == measure]) for measure in ("phq9", "gad7")}
    drop_fig = dropout_figures(frame.label.to_numpy(int), p)
    judged = verdict(not_fig["phq9"], drop_fig)
    report = {
        "schema": 1,
        "source": source,
        "evaluated": dt.date.today().isoformat(),
        "split": split,
        "clients": {"train": train_count, "test": len(clients_df)},
        "reliable_change": rci,
        "not_on_track": not_fig,
        "dropout": drop_fig,
        "groups": by_group(not_rows, frame, p, clients_df),
        "goals": judged["checks"],
        "passed": judged["passed"],
        "note": SYNTHETIC_NOTE if source == "synthetic" else "Temporal validation on the practice's own history.",
    }
    return {"report": report, "models": {"not_on_track": not_model, "dropout": drop_model}}


def keep(result: dict[str, Any], directory: Path) -> dict[str, Path]:
    """Store each model with the evaluation that approved or rejected it; return the paths written."""
    paths = {}
    for kind, model in result["models"].items():
        path = directory / f"{kind}.json"
        artifacts.save(path, model, result["report"])
        paths[kind] = path
    return paths


def score(
    *,
    data: Path,
    backend: str = "duckdb",
    out: Path,
    as_of: int | None = None,
    master: str = "local[*]",
    model_dir: Path = REFERENCE,
) -> int:
    """Score every client of the extract at day ``as_of`` (default: each client's last recorded day); write Parquet."""
    not_model = artifacts.load(model_dir / "not_on_track.json")
    drop_model = artifacts.load(model_dir / "dropout.json")
    con = connect(backend, master=master)
    t = open_extract(con, data)
    result = score_tables(con, t, not_model, drop_model, as_of=as_of).to_pyarrow()
    pq.write_table(result, out)
    return int(result.num_rows)


def score_tables(
    con: Any, t: Tables, not_model: dict[str, Any], drop_model: dict[str, Any], *, as_of: int | None = None
) -> Any:
    """The scoring expression: dropout probability and contributions, and the latest not-on-track position."""
    if as_of is None:
        c = t.checkins
        last = c.group_by("client_id").aggregate(last_day=c.day.max())
        ids = t.clients.select("client_id")
        j = ids.left_join(last, ids.client_id == last.client_id)
        # Materialised: Ibis refuses to join a table to an expression derived from that same table.
        cutoffs = ibis.memtable(con.to_pyarrow(j.select(client_id=j.client_id, as_of=ibis.coalesce(j.last_day, 0))))
    else:
        cutoffs = t.clients.select("client_id", as_of=ibis.literal(as_of))
    drops = dropout_scores(engagement(t, cutoffs), drop_model)
    scores = t.scores.join(cutoffs, "client_id")
    scores = scores.filter(scores.day <= scores.as_of).drop("as_of")
    band = expected_band(scores, models.quantile_table(con, not_model))
    band = band.filter(band.measure == "phq9")
    latest = band.group_by("client_id").aggregate(
        phq9_session=band.session_number.max(),
        phq9_total=band.total.argmax(band.session_number),
        phq9_upper=band.upper.argmax(band.session_number),
        not_on_track=band.not_on_track.argmax(band.session_number),
    )
    out = drops.left_join(latest, "client_id").drop("client_id_right")
    return out.order_by("client_id")


def compare(a: Any, b: Any, *, tolerance: float = 1e-9) -> list[str]:
    """Return the columns where two scoring results differ beyond ``tolerance`` (empty when they agree)."""
    a, b = a.sort_by("client_id"), b.sort_by("client_id")
    differ = []
    for name in a.column_names:
        x, y = a[name].to_numpy(zero_copy_only=False), b[name].to_numpy(zero_copy_only=False)
        if x.dtype.kind == "f" or y.dtype.kind == "f":
            same = np.allclose(x.astype(float), y.astype(float), atol=tolerance, equal_nan=True)
        else:
            same = bool((x == y).all())
        if not same:
            differ.append(name)
    return differ
