"""Raw samples: one Parquet file per import, per client, encrypted whole with the client's data key.

Whole-file AES-256-GCM (not Parquet modular encryption): pyarrow's modular encryption needs a KMS client
and wraps its own keys, while the project already has one data key per person that erasure destroys. The
file is sealed with that key and bound (as associated data) to the client and the import, so a file copied
to another client or renamed to another import does not open. Files are decrypted into memory only and
queried there; no plaintext Parquet is ever written to disk. Destroying the key (erasure,
crypto-shredding) makes every file unreadable; erasure also deletes them.
"""

from __future__ import annotations

import ctypes
import io
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from alongside.crypto.keys import NONCE_BYTES, DecryptionFailed, data_key
from alongside.wearables import arrow
from alongside.wearables.samples import KINDS, Samples

SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("offset", pa.int16()),
        ("value", pa.float64()),
        ("source", pa.string()),
    ]
)


ROW_GROUP = 16_384  # rows per Parquet row group: a read of a few days skips the rest of a year's file


def root() -> Path:
    """Return the folder that holds every client's sample files."""
    return Path(getattr(settings, "WEARABLES_DIR", Path(settings.VAR_DIR) / "wearables"))


def client_dir(client_id: uuid.UUID | str) -> Path:
    return root() / str(client_id)


def _path(client_id: uuid.UUID | str, job_id: uuid.UUID | str) -> Path:
    return client_dir(client_id) / f"{job_id}.parquet.sealed"


def _aad(client_id: uuid.UUID | str, job_id: uuid.UUID | str) -> bytes:
    return f"alongside-wearables|{client_id}|{job_id}".encode()


def to_table(samples: Samples) -> pa.Table:
    """Return the samples as an Arrow table (kinds and sources as names)."""
    names = {code: name for name, code in samples.sources.items()}
    names[-1] = ""
    kinds = arrow.numbers(samples.kind, pa.int8()).dictionary_encode()
    kind_names = arrow.strings([str(KINDS[int(code)]) for code in arrow.view(kinds.dictionary)])
    source_codes = arrow.numbers(samples.source, pa.int32()).dictionary_encode()
    source_names = arrow.strings([names[int(code)] for code in arrow.view(source_codes.dictionary)])
    columns = [
        kind_names.take(kinds.indices),
        arrow.numbers(samples.start, pa.int64()),
        arrow.numbers(samples.end, pa.int64()),
        arrow.numbers(samples.offset, pa.int16()),
        arrow.numbers(samples.value, pa.float64()),
        source_names.take(source_codes.indices),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


DEDUP_SECONDS = 32 * 86_400  # a month of sample starts at a time (the spill's window: one piece per window)


def new_only(incoming: pa.Table, stored: pa.Table) -> pa.Table:
    """Return the distinct samples of ``incoming`` not already in ``stored``, sorted by start, end, kind and the rest.

    One Arrow sort of the incoming and stored rows and a comparison of adjacent rows (it was a hash
    aggregation and anti-join, which import pandas through pyarrow.dataset; before that DuckDB's ``EXCEPT``,
    whose start-up alone cost more than a pushed batch), a month of sample starts at a time (whole months
    since the epoch, as the spill's windows): a whole 1,200-day export at once took 120 MB more at its peak
    (see bench/README.md).
    """
    if incoming.num_rows == 0:
        return arrow.empty(SCHEMA)
    bounds = pc.min_max(incoming.column("start")).as_py()
    first, last = int(bounds["min"]), int(bounds["max"])
    parts = [arrow.empty(SCHEMA)]
    for low in range(first // DEDUP_SECONDS * DEDUP_SECONDS, last + 1, DEDUP_SECONDS):
        high = low + DEDUP_SECONDS
        part = incoming if low <= first and last < high else _starting_in(incoming, low, high)
        if part.num_rows:
            parts.append(_distinct_new(part, _starting_in(stored, low, high)))
        del part
    return release(pa.concat_tables(parts))


def system_allocator() -> None:
    """Make Arrow allocate with the system allocator in this process from now on (called by file imports).

    Arrow's default pool (mimalloc) keeps freed pages: the full import of a 1,200-day export peaked at 298
    to 303 MB with it, with or without ``release_unused()``, and at 255 MB with the system allocator, in
    about the same time (bench/README.md). It is process-wide, so only file imports (the command line and
    the upload worker) switch; the web process keeps the default for pushed batches.
    """
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def large_blocks_returned() -> None:
    """Make glibc's malloc give every block of 1 MiB or more its own mapping, returned to the system when freed.

    By default glibc raises that threshold to the largest block freed so far (up to 32 MiB), so the
    window-sized arrays of a dense import then come from the heap, which freed windows leave fragmented:
    the full import of a 400 MB Fitbit archive (5-second heart rate) peaked at 314 MB that way, at 248 MB with
    this, for about 1% more CPU (bench/README.md). Process-wide and kept; called for dense imports only.
    Does nothing where the C library has no ``mallopt`` (musl has it as a no-op).
    """
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 1 << 20)


def release(table: pa.Table) -> pa.Table:
    """Ask Arrow's pool to hand back what it keeps after a large step, and return ``table``."""
    if table.num_rows > 100_000:
        pa.default_memory_pool().release_unused()
    return table


def _starting_in(table: pa.Table, low: int, high: int) -> pa.Table:
    start = table.column("start")
    low_at, high_at = arrow.scalar(low, pa.int64()), arrow.scalar(high, pa.int64())
    return table.filter(pc.and_(pc.greater_equal(start, low_at), pc.less(start, high_at)))


def _distinct_new(incoming: pa.Table, stored: pa.Table) -> pa.Table:
    # One sort of both tables, stored rows first among equal ones: an incoming row is new when the row
    # before it differs in some column (an equal row before it is a stored one or an incoming duplicate).
    # Sorted on every column: samples alike in start, end and kind (two readings of the same minutes from
    # one source) then come out in one order whatever else was read, so a total that counts the first of
    # them does not depend on how the samples were split into chunks. (Arrow's group_by and join would
    # import pyarrow.dataset, whose import imports pandas: see arrow.py.) Only the sort's indices and one
    # sorted column at a time are held besides the result, never a sorted copy of every row.
    names = SCHEMA.names
    flags = np.concatenate([np.ones(incoming.num_rows, np.int8), np.zeros(stored.num_rows, np.int8)])
    both = pa.concat_tables([incoming.select(names).cast(SCHEMA), stored.select(names).cast(SCHEMA)])
    both = both.append_column("incoming", arrow.numbers(flags, pa.int8()))
    keys = [(name, "ascending") for name in ("start", "end", "kind", "source", "value", "offset", "incoming")]
    order = pc.sort_indices(both, sort_keys=keys)
    count = both.num_rows
    same = np.ones(count, dtype=bool)
    same[0] = False
    for name in names:
        column = both.column(name).take(order)
        same[1:] &= arrow.truth(pc.equal(column.slice(1), column.slice(0, count - 1)))
        del column
    positions = np.frombuffer(order.buffers()[1], dtype=np.uint64, count=count, offset=order.offset * 8)
    keep = (flags[positions] == 1) & ~same
    return both.select(names).take(order.filter(arrow.booleans(keep)))


def write(*, client_id: uuid.UUID | str, job_id: uuid.UUID | str, table: pa.Table) -> Path:
    """Seal ``table`` as the import's file; written to a temporary name, then renamed into place."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", row_group_size=ROW_GROUP)
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + AESGCM(data_key(client_id, create=True)).encrypt(nonce, buffer.getvalue(), _aad(client_id, job_id))
    path = _path(client_id, job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".partial")
    temporary.write_bytes(sealed)
    os.replace(temporary, path)
    release(table)
    return path


class _Encrypting:
    """A write-only file that encrypts what it is given on its way to ``out`` (what Parquet's writer needs)."""

    def __init__(self, out: BinaryIO, encryptor: Any) -> None:
        self.out, self.encryptor, self.position, self.closed = out, encryptor, 0, False

    def write(self, data: bytes) -> int:
        self.out.write(self.encryptor.update(bytes(data)))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


class SealedWriter:
    """Write an import's file a part at a time, encrypted as it goes, in the same form as :func:`write`.

    The file is ``nonce || AES-256-GCM ciphertext || tag``, exactly what ``AESGCM.encrypt`` gives, so
    :func:`read` opens both; neither the whole table nor the whole plaintext Parquet is ever held. Call
    :meth:`close` to rename it into place (None if no row was written) or :meth:`abort` to drop it.
    """

    def __init__(self, *, client_id: uuid.UUID | str, job_id: uuid.UUID | str) -> None:
        self.client_id, self.job_id = client_id, job_id
        self.path = _path(client_id, job_id)
        self.temporary = self.path.with_suffix(".partial")
        self.out: BinaryIO | None = None
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    def _open(self) -> pq.ParquetWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        nonce = os.urandom(NONCE_BYTES)
        key = data_key(self.client_id, create=True)
        self.encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        self.encryptor.authenticate_additional_data(_aad(self.client_id, self.job_id))
        self.out = self.temporary.open("wb")
        self.out.write(nonce)
        return pq.ParquetWriter(_Encrypting(self.out, self.encryptor), SCHEMA, compression="zstd")

    def write(self, table: pa.Table) -> None:
        """Append ``table``'s rows (in the order given: the caller keeps the file sorted by start)."""
        if not table.num_rows:
            return
        if self.writer is None:
            self.writer = self._open()
        self.writer.write_table(table.cast(SCHEMA), row_group_size=ROW_GROUP)
        self.rows += table.num_rows

    def close(self) -> Path | None:
        if self.writer is None or self.out is None:
            return None
        self.writer.close()
        self.out.write(self.encryptor.finalize() + self.encryptor.tag)
        self.out.close()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        if self.out is not None:
            self.out.close()
        self.temporary.unlink(missing_ok=True)


def read(*, client_id: uuid.UUID | str, job_ids: list[uuid.UUID], between: tuple[int, int] | None = None) -> pa.Table:
    """Return the samples of the given imports (a missing file reads as none); raise when one does not open.

    With ``between`` (UTC seconds, both included), only the samples that start in that range.
    """
    tables = [arrow.empty(SCHEMA)]
    for job_id in job_ids:
        plain = opened(client_id=client_id, job_id=job_id)
        if plain is not None:
            tables.append(from_plain(plain, between))
    return pa.concat_tables(tables)


def opened(*, client_id: uuid.UUID | str, job_id: uuid.UUID | str) -> bytes | None:
    """Return an import's Parquet file decrypted (in memory), None if it has no file; raise if it does not open."""
    path = _path(client_id, job_id)
    if not path.exists():
        return None
    raw = path.read_bytes()
    key = data_key(client_id, create=False)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(client_id, job_id))
    except (InvalidTag, ValueError):
        raise DecryptionFailed(f"The wearable samples of import {job_id} do not open: altered or moved.") from None


def from_plain(plain: bytes, between: tuple[int, int] | None = None) -> pa.Table:
    """The samples of a decrypted file; with ``between`` (UTC seconds, both included) those starting in it.

    Read with ``ParquetFile`` rather than ``pq.read_table``, whose dataset layer imports pandas (arrow.py).
    """
    file = pq.ParquetFile(io.BytesIO(plain))
    if between is None:
        return file.read().cast(SCHEMA)
    # Row groups whose start statistics lie outside the range are skipped (files are sorted by start).
    column = file.metadata.schema.names.index("start")
    groups = []
    for group in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(group).column(column).statistics
        if stats is None or not stats.has_min_max or (stats.min <= between[1] and stats.max >= between[0]):
            groups.append(group)
    if not groups:
        return arrow.empty(SCHEMA)
    table = file.read_row_groups(groups).cast(SCHEMA)
    start = table.column("start")
    low, high = arrow.scalar(between[0], pa.int64()), arrow.scalar(between[1], pa.int64())
    return table.filter(pc.and_(pc.greater_equal(start, low), pc.less_equal(start, high)))


def delete(*, client_id: uuid.UUID | str, job_ids: list[uuid.UUID] | None = None) -> None:
    """Delete the files of the given imports, or the client's whole folder."""
    if job_ids is None:
        shutil.rmtree(client_dir(client_id), ignore_errors=True)
        return
    for job_id in job_ids:
        _path(client_id, job_id).unlink(missing_ok=True)
