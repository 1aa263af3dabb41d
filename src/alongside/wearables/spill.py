"""Parsed samples set aside per window of time while a file is still being read, so memory does not grow with it.

An export is ordered by type, not by time (every heart rate, then every step count...), so no window of time
is complete until the whole file has been read. The parser hands its samples over every :data:`FLUSH`
samples; they are split by the window their start falls in (:data:`WINDOW_DAYS` days of UTC time) and
appended to that window's file, sealed with AES-256-GCM under a key made for this import that only ever
lives in this process's memory (no plaintext sample reaches the disk, and a file left by a crash is
unreadable). The import then takes the windows back one at a time, in order of time.

A part holds its samples as the raw typed arrays (about 31 bytes a sample): no Arrow or Parquet work is
done until a window is taken back, once.
"""

from __future__ import annotations

import itertools
import os
import shutil
import struct
from array import array
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from alongside.wearables.samples import Samples

DAY = 86_400
WINDOW_DAYS = 32  # longer than the 12 days of margin a day's features read on each side (importing.MARGIN_DAYS)
WINDOW = WINDOW_DAYS * DAY
FLUSH = 65_536  # samples held by the parser before they are set aside (about 2 MB)
_COLUMNS = (("kind", "b"), ("start", "q"), ("end", "q"), ("offset", "h"), ("value", "d"), ("source", "i"))
_NONCE = 12
_LENGTH = struct.Struct("<I")


def window_of(start: int) -> int:
    """Return the window (a number) that a sample starting at UTC second ``start`` belongs to."""
    return start // WINDOW


class Spill:
    """Samples set aside per window in ``folder``; :meth:`close` deletes the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._seal = AESGCM(AESGCM.generate_key(bit_length=256))
        self.count = 0
        self._windows: dict[int, int] = {}  # window: samples set aside in it

    def take(self, samples: Samples) -> None:
        """Move every sample out of ``samples`` (left empty, its source names kept) into the windows' files."""
        if not len(samples):
            return
        self.count += len(samples)
        columns = [np.frombuffer(getattr(samples, name), dtype=np.dtype(code)) for name, code in _COLUMNS]
        windows = columns[1] // WINDOW
        order = np.argsort(windows, kind="stable")  # stable: a window keeps the file's order
        windows = windows[order]
        columns = [column[order] for column in columns]
        bounds = [0, *(np.flatnonzero(np.diff(windows)) + 1).tolist(), len(windows)]
        for low, high in itertools.pairwise(bounds):
            window = int(windows[low])
            plain = struct.pack("<Q", high - low) + b"".join(column[low:high].tobytes() for column in columns)
            nonce = os.urandom(_NONCE)
            sealed = nonce + self._seal.encrypt(nonce, plain, str(window).encode())
            with (self.folder / f"{window}.part").open("ab") as out:
                out.write(_LENGTH.pack(len(sealed)) + sealed)
            self._windows[window] = self._windows.get(window, 0) + high - low
        for name, code in _COLUMNS:
            setattr(samples, name, array(code))

    def windows(self) -> list[int]:
        """The windows that hold samples, in order of time."""
        return sorted(self._windows)

    def sizes(self) -> dict[int, int]:
        """The number of samples set aside in each window."""
        return dict(self._windows)

    def samples(self, window: int, like: Samples) -> Samples:
        """Return the samples set aside for ``window``, in the order they were read (source names from ``like``)."""
        out = Samples(sources=like.sources)
        path = self.folder / f"{window}.part"
        if window not in self._windows:
            return out
        data = path.read_bytes()
        at = 0
        while at < len(data):
            (length,) = _LENGTH.unpack_from(data, at)
            sealed = data[at + _LENGTH.size : at + _LENGTH.size + length]
            at += _LENGTH.size + length
            plain = self._seal.decrypt(sealed[:_NONCE], sealed[_NONCE:], str(window).encode())
            (count,) = struct.unpack_from("<Q", plain)
            offset = 8
            for name, code in _COLUMNS:
                size = count * array(code).itemsize
                getattr(out, name).frombytes(plain[offset : offset + size])
                offset += size
        return out

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
