"""Read a source's file while reporting how far the reading got: the import's live progress.

Apple exports report through :class:`alongside.wearables.inputs.CountedReader`; the Fitbit, CSV, Open mHealth
and FIT readers read through the helpers here, which tell the same :data:`alongside.wearables.inputs.progress`
callback (bytes read so far, bytes in all) about every :data:`CHUNK` bytes read from disk. Progress is the
furthest byte read, told only when it grows, so a reader that looks at the file's head and starts again
does not count the head twice; a zip archive is reported in the archive's own bytes. Nothing here holds more
than one block beyond what the caller keeps.
"""

from __future__ import annotations

import io
from collections.abc import Buffer
from pathlib import Path

from alongside.wearables.inputs import progress

CHUNK = 1 << 20  # bytes per read from disk, and so at most one report per MB


class Progress:
    """Tell the import's progress callback, if one is set, how far the furthest byte read has got.

    Told at most once per :data:`CHUNK` bytes (a text layer reads 8 KB at a time), and always at the end.
    """

    def __init__(self, total: int) -> None:
        self.total, self.reached, self.told = total, 0, 0
        self.callback = progress.get()

    def reach(self, position: int) -> None:
        if position <= self.reached:
            return
        self.reached = position
        if self.callback is not None and (position - self.told >= CHUNK or position >= self.total):
            self.told = position
            self.callback(position, self.total)


class _Counted(io.FileIO):
    """A file that reports the furthest byte read each time a block comes from disk."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "rb")
        self.progress = Progress(path.stat().st_size)

    def readinto(self, buffer: Buffer, /) -> int | None:
        count = super().readinto(buffer)
        if count:
            self.progress.reach(self.tell())
        return count

    def readall(self) -> bytes:
        """Read to the end a block at a time (io's own ``readall`` reads it in one call, unreported)."""
        parts = []
        while block := self.read(CHUNK):
            parts.append(block)
            self.progress.reach(self.tell())
        return b"".join(parts)


def open_counted(path: Path) -> io.BufferedReader:
    """Open ``path`` for reading in binary, reporting progress as its blocks are read (one block buffered)."""
    return io.BufferedReader(_Counted(path), buffer_size=CHUNK)


def read_counted(path: Path) -> bytearray:
    """Read the whole file, a block at a time, reporting progress; the buffer is sized once, never copied."""
    size = path.stat().st_size
    data, done, told = bytearray(size), 0, Progress(size)
    view = memoryview(data)
    with path.open("rb", buffering=0) as stream:
        while done < size:
            count = stream.readinto(view[done : done + CHUNK])
            if not count:
                break
            done += count
            told.reach(done)
    view.release()
    del data[done:]  # a file that shrank while being read
    return data
