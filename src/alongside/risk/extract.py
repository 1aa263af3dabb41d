"""Write the de-identified Parquet extract from the database: only clients who consented to research use.

Ids are a keyed hash (HMAC-SHA256 with the operator's key, so the same key links extracts and no key-less party can
reverse or recompute them); every event is a day counted from the client's first session; the start date is shifted
by a per-client offset of up to 30 days either way (derived from the same key). No name, email, note or free text
leaves: the tables hold numbers, dates shifted and short labels only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from alongside.care.models import ClientProfile, Episode, EpisodeEndReason
from alongside.consent.models import Scope, ScopeGrant
from alongside.risk.collect import history
from alongside.risk.schema import SCHEMA

SHIFT_DAYS = 30
# An episode still open at the extract: its end is the extract's day, so evaluation treats it as censored.
ONGOING = "ongoing"


def pseudonym(key: bytes, client_id: object) -> str:
    """Return the client's pseudonymous id: the first 24 hex digits of HMAC-SHA256(key, id)."""
    return hmac.new(key, f"id:{client_id}".encode(), hashlib.sha256).hexdigest()[:24]


def shift(key: bytes, client_id: object) -> int:
    """Return the client's date shift in days, from -30 to +30, fixed for a given key."""
    digest = hmac.new(key, f"shift:{client_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % (2 * SHIFT_DAYS + 1) - SHIFT_DAYS


def consenting_clients() -> list[ClientProfile]:
    """The clients who currently share their data for de-identified research use."""
    granted = ScopeGrant.objects.filter(scope=Scope.RESEARCH, granted=True).values("client_id")
    return list(ClientProfile.objects.filter(pk__in=granted).order_by("pk"))


def write_extract(*, out: Path, key: bytes, now: dt.datetime) -> int:
    """Write the extract of every consenting client to ``out``; return how many clients it holds."""
    rows: dict[str, dict[str, list[object]]] = {name: {f.name: [] for f in schema} for name, schema in SCHEMA.items()}

    def add(table: str, **values: object) -> None:
        for column, value in values.items():
            rows[table][column].append(value)

    count = 0
    for client in consenting_clients():
        found = history(client, now)
        if found is None:
            continue
        h, today = found
        count += 1
        pid = pseudonym(key, client.pk)
        first = now.date() - dt.timedelta(days=today)
        add(
            "clients",
            client_id=pid,
            start_date=first + dt.timedelta(days=shift(key, client.pk)),
            age_band="not recorded",
            language=client.locale[:2],
            gender="not recorded",
        )
        episode = Episode.objects.filter(client=client).order_by("-started_on").first()
        if episode is not None and episode.ended_on is not None:
            ending = "dropout" if episode.end_reason == EpisodeEndReason.DROPPED_OUT else "completed"
            add("episodes", client_id=pid, end_day=(episode.ended_on - first).days, ending=ending)
        else:
            add("episodes", client_id=pid, end_day=today, ending=ONGOING)
        for day in h.checkins:
            add("checkins", client_id=pid, day=day, mood=None)
        for day, status in h.sessions:
            add("sessions", client_id=pid, day=day, status=status)
        for day, number, measure, total in h.scores:
            add("scores", client_id=pid, day=day, session_number=number, measure=measure, total=round(total))
        for day, done in h.homework:
            add("homework", client_id=pid, day=day, done=done)
        for day in h.client_messages:
            add("messages", client_id=pid, day=day, sender="client")
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in SCHEMA.items():
        pq.write_table(pa.table(rows[name], schema=schema), out / f"{name}.parquet")
    return count
