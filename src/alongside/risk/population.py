"""A synthetic population worth learning from, written straight to Parquet (no ORM), in the extract's schema.

Each client gets a year of data from a latent process:

* a symptom trajectory ``mu(w) = intake + change(w)`` over weeks in care, of one of four kinds: responders, slow or
  non-responders, deteriorators (worse from the first weeks, with noise) and late recoverers (worse first, better
  later: the realistic false alarms);
* an engagement level, and for clients who drop out a decline that starts a few weeks before they stop (the early
  signal), drawn with a lead time that varies, so that some drop out with no warning; some drop out while improving.

Days are whole days since the client's first session (day 0); ``clients.start_date`` places the episode in time.
Nothing here is clinical data: the figures it yields show that the pipeline works, not that a model is valid.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from alongside.risk.schema import SCHEMA

DAYS = 365
AGE_BANDS = ("18-25", "26-40", "41-60", "61+")
LANGUAGES = ("en", "es")
GENDERS = ("female", "male", "nonbinary", "not recorded")
KINDS = ("responder", "non_responder", "deteriorator", "late_recoverer")
_EPOCH = dt.date(2025, 1, 1)


@dataclass
class Written:
    """What a generation wrote: rows per table and the time it took."""

    clients: int
    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / max(self.seconds, 1e-9)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


class _Writers:
    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.writers = {
            name: pq.ParquetWriter(out / f"{name}.parquet", schema, compression="zstd")
            for name, schema in SCHEMA.items()
        }
        self.rows = dict.fromkeys(SCHEMA, 0)

    def write(self, name: str, columns: dict[str, np.ndarray | list[str] | pa.Array]) -> None:
        table = pa.table(columns, schema=SCHEMA[name])
        self.writers[name].write_table(table)
        self.rows[name] += table.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def generate(*, clients: int, seed: int, out: Path, chunk: int = 20_000) -> Written:
    """Write ``clients`` synthetic clients to Parquet files in ``out``; the same seed gives the same files."""
    started = time.perf_counter()
    writers = _Writers(out)
    try:
        for first in range(0, clients, chunk):
            n = min(chunk, clients - first)
            rng = np.random.default_rng([seed, first])
            _chunk(rng, first, n, writers)
    finally:
        writers.close()
    return Written(clients=clients, rows=writers.rows, seconds=time.perf_counter() - started)


def _trajectory(kind: np.ndarray, intake: np.ndarray, weeks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The latent change from intake at each week (clients by weeks), by kind of course."""
    n = len(kind)
    lw = np.log1p(weeks)[None, :]
    gain = intake * rng.normal(0.24, 0.07, n)  # responders: about a quarter of intake per log-week
    slope = np.select(
        [kind == 0, kind == 1, kind == 2],
        [-gain * 0.5, rng.normal(-0.4, 0.7, n), rng.normal(4.2, 0.8, n)],
        default=0.0,
    )[:, None]
    change = slope * lw
    late = kind == 3
    if late.any():
        bump = 4.2 * (weeks / 3.0) * np.exp(1.0 - weeks / 3.0)
        recovery = np.log1p(np.maximum(weeks - 4.0, 0.0))
        change[late] = bump[None, :] - (gain[late] * 0.5)[:, None] * recovery[None, :]
    return np.asarray(change)


@dataclass
class _Latent:
    """The latent process of a chunk of clients (see the module docstring)."""

    n: int
    ids: np.ndarray
    v: dict[str, np.ndarray]

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["v"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _latent(rng: np.random.Generator, first: int, n: int) -> _Latent:
    ids = np.array([f"S{first + i:07d}" for i in range(n)])
    age = rng.choice(len(AGE_BANDS), n, p=[0.25, 0.4, 0.27, 0.08])
    lang = rng.choice(len(LANGUAGES), n, p=[0.7, 0.3])
    gender = rng.choice(len(GENDERS), n, p=[0.58, 0.37, 0.03, 0.02])
    start = rng.integers(0, 365, n)
    phq0 = np.clip(np.round(rng.normal(15.0, 4.5, n)), 5, 27)
    gad0 = np.clip(np.round(phq0 * 0.7 + rng.normal(0, 2.5, n)), 3, 21)
    kind = rng.choice(4, n, p=[0.55, 0.27, 0.10, 0.08])
    interval = np.where(rng.random(n) < 0.6, 7, 14)
    planned = rng.integers(10, 21, n)  # planned sessions
    planned_end = interval * (planned - 1)
    # Dropout: likelier when not responding; some drop out while improving.
    p_drop = np.array([0.18, 0.34, 0.42, 0.25])[kind]
    drops = rng.random(n) < p_drop
    drop_day = np.where(drops, (rng.uniform(0.12, 0.95, n) * planned_end).astype(int) + interval, 10_000)
    drops &= drop_day < planned_end
    drop_day = np.where(drops, drop_day, 10_000)
    lead = rng.uniform(21, 63, n)  # how early disengagement shows
    silent = drops & (rng.random(n) < 0.12)  # drop out with no warning at all
    engagement = rng.normal(0, 1, n)

    days = np.arange(DAYS)
    weeks = days / 7.0
    # Decline in engagement before dropout: 0 until (drop_day - lead), rising to 1 at drop_day.
    decline = np.clip((days[None, :] - (drop_day - lead)[:, None]) / lead[:, None], 0, 1)
    decline[silent] = 0.0
    gone = days[None, :] >= drop_day[:, None]
    after_end = days[None, :] > planned_end[:, None]

    change = _trajectory(kind, phq0, weeks, rng)
    mu_phq = phq0[:, None] + change
    mu_gad = gad0[:, None] + change * (gad0 / np.maximum(phq0, 1))[:, None]
    names = [
        "age",
        "lang",
        "gender",
        "start",
        "phq0",
        "gad0",
        "kind",
        "interval",
        "planned",
        "planned_end",
        "drops",
        "drop_day",
        "lead",
        "silent",
        "engagement",
        "days",
        "weeks",
        "decline",
        "gone",
        "after_end",
        "change",
        "mu_phq",
        "mu_gad",
    ]
    scope = locals()
    return _Latent(n=n, ids=ids, v={name: scope[name] for name in names})


def _checkins(rng: np.random.Generator, c: _Latent, w: _Writers) -> None:
    n, ids, days, engagement, decline, start = c.n, c.ids, c.days, c.engagement, c.decline, c.start
    gone, after_end, mu_phq = c.gone, c.after_end, c.mu_phq
    logit = 1.3 + 0.9 * engagement[:, None] - 5.0 * decline - 0.25 * ((days + start[:, None]) % 7 >= 5)
    holidays = np.zeros((n, DAYS), dtype=bool)
    for _ in range(3):
        begin = rng.integers(0, DAYS, n)
        length = rng.integers(3, 15, n)
        on = rng.random(n) < 0.5
        holidays |= on[:, None] & (days[None, :] >= begin[:, None]) & (days[None, :] < (begin + length)[:, None])
    p_check = _sigmoid(logit)
    p_check = np.where(holidays, 0.04, p_check)
    p_check = np.where(gone, 0.015, p_check)
    p_check = np.where(after_end & ~gone, p_check * 0.35, p_check)
    checked = rng.random((n, DAYS)) < p_check
    ci, cd = np.nonzero(checked)
    mood = np.clip(np.round(9.0 - mu_phq[ci, cd] * 0.28 + rng.normal(0, 1.1, len(ci))), 0, 10)
    w.write("checkins", {"client_id": ids[ci], "day": cd.astype(np.int32), "mood": mood.astype(np.int16)})


def _sessions(rng: np.random.Generator, c: _Latent, w: _Writers) -> tuple[np.ndarray, np.ndarray]:
    """Write sessions and scores; return the client index and day of every attended session."""
    ids, interval, planned, drop_day, decline = c.ids, c.interval, c.planned, c.drop_day, c.decline
    phq0, gad0, mu_phq, mu_gad = c.phq0, c.gad0, c.mu_phq, c.mu_gad
    # Sessions: scheduled every interval until the planned end or the dropout day.
    slots = np.arange(0, 21)
    sday = slots[None, :] * interval[:, None]
    scheduled = (slots[None, :] < planned[:, None]) & (sday < drop_day[:, None])
    dec_at = np.take_along_axis(decline, np.minimum(sday, DAYS - 1), axis=1)
    u = rng.random(sday.shape)
    p_miss = 0.05 + 0.45 * dec_at
    p_cancel = 0.05 + 0.2 * dec_at
    status = np.where(u < p_miss, 1, np.where(u < p_miss + p_cancel, 2, 0))
    status[:, 0] = 0  # the first session is the intake
    si, sj = np.nonzero(scheduled)
    st = status[si, sj]
    w.write(
        "sessions",
        {
            "client_id": ids[si],
            "day": sday[si, sj].astype(np.int32),
            "status": np.array(["attended", "missed", "cancelled"])[st],
        },
    )

    # Scores at attended sessions, numbered by attended session (1 = intake).
    attended = scheduled & (status == 0)
    number = np.cumsum(attended, axis=1)
    ai, aj = np.nonzero(attended)
    aday = sday[ai, aj]
    noise = rng.normal(0, 1.5, (2, len(ai)))
    phq = np.where(number[ai, aj] == 1, phq0[ai], np.clip(np.round(mu_phq[ai, aday] + noise[0]), 0, 27))
    gad = np.where(number[ai, aj] == 1, gad0[ai], np.clip(np.round(mu_gad[ai, aday] + noise[1]), 0, 21))
    both = np.concatenate
    w.write(
        "scores",
        {
            "client_id": both([ids[ai], ids[ai]]),
            "day": both([aday, aday]).astype(np.int32),
            "session_number": both([number[ai, aj], number[ai, aj]]).astype(np.int16),
            "measure": np.array(["phq9", "gad7"])[np.repeat([0, 1], len(ai))],
            "total": both([phq, gad]).astype(np.int16),
        },
    )
    return ai, aday


def _homework_messages(rng: np.random.Generator, c: _Latent, ai: np.ndarray, aday: np.ndarray, w: _Writers) -> None:
    n, ids, days, engagement, decline = c.n, c.ids, c.days, c.engagement, c.decline
    drop_day, planned_end = c.drop_day, c.planned_end
    both = np.concatenate
    # Homework: one or two tasks set at each attended session but the last, due within the week.
    tasks = rng.integers(1, 3, len(ai))
    hi = np.repeat(np.arange(len(ai)), tasks)
    hday = aday[hi] + rng.integers(1, 7, len(hi))
    hclient = ai[hi]
    hdec = decline[hclient, np.minimum(hday, DAYS - 1)]
    done = rng.random(len(hi)) < _sigmoid(1.0 + 0.8 * engagement[hclient] - 3.0 * hdec)
    done &= hday < drop_day[hclient]
    w.write("homework", {"client_id": ids[hclient], "day": hday.astype(np.int32), "done": done})

    # Messages from the client (fewer as engagement declines) and from the clinician.
    in_care = (days[None, :] <= np.minimum(planned_end, drop_day)[:, None]).astype(float)
    p_client = in_care * 0.06 * np.exp(0.4 * engagement[:, None]) * (1 - 0.9 * decline)
    mi, md = np.nonzero(rng.random((n, DAYS)) < p_client)
    ki, kd = np.nonzero(rng.random((n, DAYS)) < in_care * 0.03)
    w.write(
        "messages",
        {
            "client_id": both([ids[mi], ids[ki]]),
            "day": both([md, kd]).astype(np.int32),
            "sender": np.array(["client", "clinician"])[np.repeat([0, 1], [len(mi), len(ki)])],
        },
    )


def _people(c: _Latent, w: _Writers) -> None:
    ids, start, age, lang, gender, drops, drop_day, planned_end = (
        c.ids,
        c.start,
        c.age,
        c.lang,
        c.gender,
        c.drops,
        c.drop_day,
        c.planned_end,
    )
    starts = np.array([_EPOCH + dt.timedelta(days=int(d)) for d in start], dtype="datetime64[D]")
    w.write(
        "clients",
        {
            "client_id": ids,
            "start_date": starts,
            "age_band": np.array(AGE_BANDS)[age],
            "language": np.array(LANGUAGES)[lang],
            "gender": np.array(GENDERS)[gender],
        },
    )
    w.write(
        "episodes",
        {
            "client_id": ids,
            "end_day": np.where(drops, drop_day, planned_end).astype(np.int32),
            "ending": np.where(drops, "dropout", "completed"),
        },
    )


def _chunk(rng: np.random.Generator, first: int, n: int, w: _Writers) -> None:
    c = _latent(rng, first, n)
    _checkins(rng, c, w)
    ai, aday = _sessions(rng, c, w)
    _homework_messages(rng, c, ai, aday, w)
    _people(c, w)
