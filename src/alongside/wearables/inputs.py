"""Open an uploaded file safely: size limits, the kind of file by its content, and zip archives checked first.

A zip is refused before anything is read from it when a member's name could escape a folder (``../``, an
absolute path), when the declared total is over the limit, or when a member claims to expand more than
:data:`MAX_RATIO` times (a zip bomb); the bytes actually read are counted again while streaming.
"""

from __future__ import annotations

import contextvars
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from alongside.wearables.samples import BadInput

MAX_RATIO = 100  # XML exports compress 10-30 times; a bomb, thousands
CHUNK = 1 << 20

# Told (bytes read, bytes in all) after each chunk: the command's progress bar sets it; nothing else does.
progress: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar(
    "wearables_progress", default=None
)


def max_bytes() -> int:
    """Return the largest file (and largest unpacked total) accepted, 2 GB unless configured."""
    return int(getattr(settings, "WEARABLES_MAX_BYTES", 2 * 1024**3))


def check_size(path: Path) -> None:
    """Refuse a missing, empty or over-size file, naming it."""
    if not path.is_file():
        raise BadInput(path.name, "there is no such file.")
    size = path.stat().st_size
    if size == 0:
        raise BadInput(path.name, "the file is empty (0 bytes).")
    if size > max_bytes():
        raise BadInput(path.name, f"the file is {size:,} bytes, over the limit of {max_bytes():,} bytes.")


def _safe_member_name(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return not (pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]))


def check_zip(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse unsafe names, an over-size total and bomb-like ratios before reading any member."""
    total = 0
    for info in archive.infolist():
        if not _safe_member_name(info.filename):
            raise BadInput(label, f"the archive holds an unsafe file name {info.filename!r} (it points outside it).")
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BadInput(
                label,
                f"{info.filename!r} would expand {info.file_size // max(info.compress_size, 1):,} times "
                f"(the limit is {MAX_RATIO}); it looks like a zip bomb.",
            )
    if total > max_bytes():
        raise BadInput(label, f"the archive would unpack to {total:,} bytes, over the limit of {max_bytes():,}.")


class CountedReader:
    """Read a member in chunks, refusing it once more bytes come out than its header declared.

    ``origin`` is (the open file's descriptor, the member's index in the zip or -1): where a reader in another
    process can read the same bytes (``sources/apple_health/pipeline.py``).
    """

    def __init__(self, stream: IO[bytes], limit: int, label: str, origin: tuple[int, int] | None = None) -> None:
        self.stream, self.limit, self.label, self.read_bytes = stream, limit, label, 0
        self.origin = origin

    def read(self, size: int = CHUNK) -> bytes:
        chunk = self.stream.read(size)
        self.reached(self.read_bytes + len(chunk))
        return chunk

    def reached(self, read_bytes: int) -> None:
        """Count the bytes read so far (here or by another process), refuse a member past its size, report."""
        self.read_bytes = read_bytes
        if read_bytes > self.limit:
            raise BadInput(self.label, "the archive member is larger than it declares; refused as a zip bomb.")
        report = progress.get()
        if report is not None:
            report(read_bytes, self.limit)


@contextmanager
def open_export(path: Path, *, is_wanted: Callable[[bytes], bool]) -> Iterator[tuple[str, IO[bytes] | CountedReader]]:
    """Yield ``(label, stream)`` of the file, or of the zip member whose first bytes ``is_wanted`` accepts.

    A member is found by its content, never by its name (Apple names it after the phone's language).
    """
    check_size(path)
    with path.open("rb") as raw:
        head = raw.read(4)
    if head != b"PK\x03\x04":
        with path.open("rb") as stream:
            if not is_wanted(stream.read(4096)):
                raise BadInput(path.name, "this is not a file this importer reads (wrong kind of file).")
            stream.seek(0)
            yield path.name, CountedReader(stream, path.stat().st_size, path.name, (stream.fileno(), -1))
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BadInput(path.name, "the zip archive is damaged or truncated.") from None
    with archive:
        check_zip(archive, path.name)
        for index, info in enumerate(archive.infolist()):
            if info.is_dir() or info.file_size == 0:
                continue
            with archive.open(info) as member:
                wanted = is_wanted(member.read(4096))
            if wanted:
                label = f"{path.name}:{info.filename}"
                with archive.open(info) as member:
                    origin = (archive.fp.fileno(), index) if archive.fp is not None else None
                    yield label, CountedReader(member, info.file_size, label, origin)
                return
    raise BadInput(path.name, "the archive holds no file this importer reads.")
