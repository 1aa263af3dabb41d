"""Run the pre-filter in a second process, so it reads and filters the next megabyte while expat parses this one.

Why: the pre-filter's ``re.subn`` and expat both hold the interpreter lock, so a thread would not overlap them;
a child process does. On a year's export the pre-filter is about a quarter of the import's CPU time
(``bench/README.md``), and on a machine with two cores the child takes it off the parser's critical path.

How, so that nothing changes but the timing:

- The parent opens the file (size limits, the zip checks, the member chosen by content) and parses the head
  itself, exactly as without the child, until expat has seen a root that is not empty (the pre-filter's own
  condition to start). Only then does it hand over the rest: the child gets the open file's descriptor (the
  same file the parent checked, not a path that could change), the member's index in a zip, and the offset of
  the first byte the parent has not fed (the pre-filter's held-back tail included). The child was started
  when parsing began, so its interpreter start is spent while the parent reads the head.
- The child reads from that offset in chunks, counts the bytes against the size the zip declared (a member
  that grows is refused as before), runs the same :class:`~.prefilter.Prefilter` with the same pattern over
  the same bytes, and writes each piece to a pipe with the count of bytes read. Pieces are cut after their
  last ``>`` as before, so where a piece begins or ends differs from the one-process run only by where the
  file's chunks begin, and the pre-filter's argument holds piece by piece (``prefilter.py``).
- The parent feeds the pieces to expat unchanged: the same bytes in the same order, so the same samples, the
  same refusals and the same line numbers. ``tests/wearables/test_apple_pipeline.py`` compares both ways.
- The child only reads and writes the pipe: a refusal it meets (a zip member longer than declared, a damaged
  archive) comes back as a frame and is raised in the parent as the one-process import raises it. If the
  parent stops (an implausible value, a malformed file, an error), the child is killed and waited for; if the
  child dies, the parent refuses to go on with a clear error, and nothing is stored (the import stores only
  after the whole file is parsed).

Files under :data:`PIPELINE_BYTES` (16 MB unless configured by ``WEARABLES_PIPELINE_BYTES``; 0 turns the child
off) are parsed in one process: there the child's start would cost more than it saves.
"""

from __future__ import annotations

import os
import struct
import subprocess  # nosec B404
import sys
import zipfile
import zlib
from collections.abc import Iterator
from types import TracebackType
from typing import IO, BinaryIO

from alongside.wearables.inputs import CHUNK, CountedReader
from alongside.wearables.samples import BadInput
from alongside.wearables.sources.apple_health.prefilter import Prefilter, dropped_pattern

PIPELINE_BYTES = 16 << 20
_FRAME = struct.Struct("<cQQ")  # kind, payload length, a number (bytes read so far, a count, or a line)
_PIECE, _DONE, _BOMB, _DAMAGED, _FAILED = b"P", b"D", b"B", b"Z", b"X"


def threshold() -> int:
    """The smallest file handed to a child process (``WEARABLES_PIPELINE_BYTES``; 0: never)."""
    from django.conf import settings

    return int(getattr(settings, "WEARABLES_PIPELINE_BYTES", PIPELINE_BYTES))


def wanted(stream: object) -> bool:
    """Whether ``stream`` is a file (or zip member) large enough, opened by ``open_export``, to read in a child."""
    limit = threshold()
    readable = isinstance(stream, CountedReader) and stream.origin is not None and 0 < limit <= stream.limit
    return readable and os.path.isdir("/dev/fd")  # the child opens the parent's file again through /dev/fd


class Reader:
    """The child process that reads and filters the rest of the file, seen from the parent."""

    def __init__(self, stream: CountedReader, kept: list[str]) -> None:
        assert stream.origin is not None
        self.stream = stream
        descriptor, self.member = stream.origin
        command = [sys.executable, "-m", __name__, str(descriptor), str(self.member), str(stream.limit), *kept]
        # This interpreter on this module, with numbers and record type names: nothing from the file or a user.
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, pass_fds=(descriptor,), bufsize=CHUNK
        )

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process.wait()

    def pieces(self, cutter: Prefilter) -> Iterator[bytes]:
        """Hand over the rest of the stream and yield the child's filtered pieces; update ``cutter`` at the end."""
        start = self.stream.read_bytes - len(cutter.tail)
        stdin, out = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert out is not None
        stopped = RuntimeError(f"{self.stream.label}: the process reading the file stopped unexpectedly.")
        try:
            stdin.write(b"%d %d\n" % (start, cutter.stopped))
            stdin.close()
        except BrokenPipeError:
            raise stopped from None
        cutter.tail = b""
        while True:
            header = out.read(_FRAME.size)
            if len(header) < _FRAME.size:
                raise stopped
            kind, length, number = _FRAME.unpack(header)
            payload = out.read(length) if length else b""
            if len(payload) < length:
                raise stopped
            if kind == _PIECE:
                self.stream.reached(number)
                yield payload
            elif kind == _DONE:
                cutter.tail, cutter.removed = payload, cutter.removed + number
                return
            else:
                _raise(kind, payload.decode("utf-8", "replace"), self.stream.label)


def _raise(kind: bytes, message: str, label: str) -> None:
    if kind == _BOMB:
        raise BadInput(label, message)
    if kind == _DAMAGED:
        raise zipfile.BadZipFile(message)  # the import names the file and says the archive is damaged
    raise RuntimeError(f"{label}: the process reading the file failed: {message}")


def _open(descriptor: int, member: int, start: int) -> tuple[IO[bytes], list[BinaryIO]]:
    """Open the parent's file again (its own offset) at ``start``, or the zip member ``member`` skipped to it."""
    raw = open(f"/dev/fd/{descriptor}", "rb")  # noqa: SIM115 - closed by the caller, with the archive
    os.close(descriptor)
    if member < 0:
        raw.seek(start)
        return raw, [raw]
    archive = zipfile.ZipFile(raw)
    stream = archive.open(archive.infolist()[member])
    left = start
    while left:
        left -= len(stream.read(min(left, CHUNK)))
    return stream, [stream, raw]  # type: ignore[list-item]


def _frame(out: BinaryIO, kind: bytes, payload: bytes, number: int) -> None:
    out.write(_FRAME.pack(kind, len(payload), number))
    if payload:
        out.write(payload)


def _child(arguments: list[str], out: BinaryIO) -> None:
    """Read from the offset the parent writes on stdin, filter, and write the pieces to ``out``."""
    descriptor, member, limit, kept = int(arguments[0]), int(arguments[1]), int(arguments[2]), arguments[3:]
    line = sys.stdin.buffer.readline().split()
    if len(line) != 2:  # the parent did not hand over: it stopped before the root, or failed
        return
    start, stopped = int(line[0]), line[1] == b"1"
    cutter = Prefilter(b"", dropped_pattern(kept))
    cutter.stopped = stopped
    stream, opened = _open(descriptor, member, start)
    read = start
    try:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > limit:
                _frame(out, _BOMB, b"the archive member is larger than it declares; refused as a zip bomb.", 0)
                return
            piece = cutter.pieces(chunk, True)
            if piece:
                _frame(out, _PIECE, piece, read)
        _frame(out, _DONE, cutter.rest(), cutter.removed)
    finally:
        for each in opened:
            each.close()


def main() -> None:
    """The child's entry point (``python -m`` this module)."""
    out = sys.stdout.buffer
    try:
        _child(sys.argv[1:], out)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        _frame(out, _DAMAGED, str(error).encode(), 0)
    except BrokenPipeError:  # the parent stopped reading: it has its answer already
        return
    except Exception as error:  # any failure goes back to the parent, which raises it
        _frame(out, _FAILED, f"{type(error).__name__}: {error}".encode(), 0)
    out.flush()


if __name__ == "__main__":
    main()
