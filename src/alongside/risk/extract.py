"""Write the de-identified Parquet extract from the database: only clients who consented to research use.

Ids are a keyed hash (HMAC-SHA256 with the operator's key, so the same key links extracts and no key-less party can
reverse or recompute them); every event is a day counted from the client's first session; the start date is shifted
by a per-client offset of up to 30 days either way (derived from the same key). No name, email, note or free text
leaves: the tables hold numbers, dates shifted and short labels only. The clients' quasi-identifiers (start date,
age band, gender, language) are then made k-anonymous (:mod:`alongside.risk.anonymity`): generalised, and the
clients still in groups smaller than k left out of every table; the extract says how many.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from alongside.care.models import ClientProfile, Episode, EpisodeEndReason
from alongside.consent.models import Scope, ScopeGrant
from alongside.risk.anonymity import K_DEFAULT, Anonymised, anonymise
from alongside.risk.collect import history
from alongside.risk.schema import SCHEMA

SHIFT_DAYS = 30
# An episode still open at the extract: its end is the extract's day, so evaluation treats it as censored.
ONGOING = "ongoing"


@dataclass
class ExtractReport:
    """What an extract holds: clients written, clients suppressed for k-anonymity, and the generalisation used."""

    clients: int
    suppressed: int
    k: int
    levels: dict[str, str] = field(default_factory=dict)
    # pyCANON's k of the clients written, and the l-diversity of how their episode ended (dropout, completed,
    # ongoing) within each group; None when the extract was not anonymised.
    measured_k: int | None = None
    measured_l: int | None = None


def pseudonym(key: bytes, client_id: object) -> str:
    """Return the client's pseudonymous id: the first 24 hex digits of HMAC-SHA256(key, id)."""
    return hmac.new(key, f"id:{client_id}".encode(), hashlib.sha256).hexdigest()[:24]


def shift(key: bytes, client_id: object) -> int:
    """Return the client's date shift in days, from -30 to +30, fixed for a given key."""
    digest = hmac.new(key, f"shift:{client_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % (2 * SHIFT_DAYS + 1) - SHIFT_DAYS


def consenting_clients(practice_id: Any = None) -> list[ClientProfile]:
    """The clients (of one practice, or all) who currently share their data for de-identified research use."""
    granted = ScopeGrant.objects.filter(scope=Scope.RESEARCH, granted=True).values("client_id")
    found = ClientProfile.objects.filter(pk__in=granted)
    if practice_id is not None:
        found = found.filter(practice_id=practice_id)
    return list(found.order_by("pk"))


def write_extract(
    *,
    out: Path,
    key: bytes,
    now: dt.datetime,
    k: int | None = None,
    clients: list[ClientProfile] | None = None,
    anonymous: bool = True,
) -> ExtractReport:
    """Write the extract of every consenting client (or of ``clients``) to ``out``, k-anonymous on the clients'
    quasi-identifiers; return what it holds.

    ``anonymous=False`` skips the k-anonymity step: only for the practice's own model fitting, whose extract stays in
    a temporary directory on the practice's server and is deleted after the fit (it never leaves the practice).
    """
    rows: dict[str, dict[str, list[object]]] = {name: {f.name: [] for f in schema} for name, schema in SCHEMA.items()}
    people: list[dict[str, Any]] = []
    events: dict[str, list[tuple[str, dict[str, object]]]] = {}

    def add(table: str, **values: object) -> None:
        events.setdefault(str(values["client_id"]), []).append((table, values))

    for client in consenting_clients() if clients is None else clients:
        found = history(client, now)
        if found is None:
            continue
        h, today = found
        pid = pseudonym(key, client.pk)
        first = now.date() - dt.timedelta(days=today)
        people.append(
            {
                "client_id": pid,
                "start_date": first + dt.timedelta(days=shift(key, client.pk)),
                "age_band": "not recorded",
                "language": client.locale[:2],
                "gender": "not recorded",
            }
        )
        episode = Episode.objects.filter(client=client).order_by("-started_on").first()
        if episode is not None and episode.ended_on is not None:
            ending = "dropout" if episode.end_reason == EpisodeEndReason.DROPPED_OUT else "completed"
            add("episodes", client_id=pid, end_day=(episode.ended_on - first).days, ending=ending)
        else:
            ending = ONGOING
            add("episodes", client_id=pid, end_day=today, ending=ending)
        # The sensitive column whose l-diversity is reported; not a column of the clients table.
        people[-1]["ending"] = ending
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
    if anonymous:
        safe = anonymise(people, k=k or K_DEFAULT, sensitive="ending")
    else:
        safe = Anonymised(rows=people, suppressed=[], k=1)
    for person in safe.rows:
        for column in rows["clients"]:
            rows["clients"][column].append(person[column])
        for table, values in events.get(person["client_id"], []):
            for column, value in values.items():
                rows[table][column].append(value)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in SCHEMA.items():
        pq.write_table(pa.table(rows[name], schema=schema), out / f"{name}.parquet")
    return ExtractReport(
        clients=len(safe.rows),
        suppressed=len(safe.suppressed),
        k=safe.k,
        levels=safe.levels,
        measured_k=safe.measured_k,
        measured_l=safe.measured_l,
    )
