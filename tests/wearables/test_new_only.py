"""De-duplication keeps exactly the distinct incoming samples that are not stored, sorted by every column.

``storage.new_only`` is a sort of the incoming and stored rows and a comparison of neighbouring rows (no
Arrow hash join, see ``wearables/arrow.py``). Checked here against plain Python sets on samples with many
exact duplicates, near-duplicates (one column different), stored rows and stored duplicates, spread over
more than one de-duplication month, and on chunked tables.
"""

from __future__ import annotations

import random

import pyarrow as pa

from alongside.wearables import storage
from tests.wearables.conftest import once

pytestmark = once

NAMES = storage.SCHEMA.names


def _table(rows: list[tuple[object, ...]], chunks: int = 1) -> pa.Table:
    size = max(1, len(rows) // chunks)
    parts = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
    tables = [
        pa.Table.from_pylist([dict(zip(NAMES, row, strict=True)) for row in part], schema=storage.SCHEMA)
        for part in parts
    ]
    return pa.concat_tables(tables)


def _rows(table: pa.Table) -> list[tuple[object, ...]]:
    columns = [table.column(name).to_pylist() for name in NAMES]
    return list(zip(*columns, strict=True))


def _samples(rng: random.Random, count: int) -> list[tuple[object, ...]]:
    rows = []
    for _ in range(count):
        start = 1_700_000_000 + rng.randrange(0, 70 * 86_400, 60)  # more than two 31-day months
        kind = rng.choice(["heart_rate", "steps", "sleep_core"])
        rows.append(
            (
                kind,
                start,
                start + rng.choice([0, 60]),
                rng.choice([0, 60, -300]),
                float(rng.randrange(3)),
                rng.choice(["Watch", "Phone", ""]),
            )
        )
    return rows


def test_new_only_matches_sets() -> None:
    """The result is the sorted set difference, whatever the duplicates, near-duplicates and chunking."""
    rng = random.Random(15)
    for _ in range(5):
        incoming = _samples(rng, 3_000)
        incoming += rng.sample(incoming, 800)  # exact duplicates within the file
        stored = rng.sample(incoming, 500) + _samples(rng, 700)
        stored += stored[:100]  # a duplicate across earlier imports
        for variant in (stored, []):
            got = _rows(storage.new_only(_table(incoming, chunks=3), _table(variant, chunks=2)))
            expected = sorted(set(incoming) - set(variant), key=lambda r: (r[1], r[2], r[0], r[5], r[4], r[3]))
            assert got == expected
