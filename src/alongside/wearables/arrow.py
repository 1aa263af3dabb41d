"""Arrow arrays built and read without Python objects, so that a file import never imports pandas.

pyarrow 26 imports pandas (about 0.25-0.3 s of CPU, see bench/README.md) the first time a Python object
reaches it: ``pa.array``, ``pa.scalar``, ``Schema.empty_table()``, ``Array.to_numpy()`` and any compute
call given a Python number or string ask its pandas shim whether the value is a pandas object, and the
shim imports pandas to answer. ``Array.from_buffers`` and ``Table.from_arrays`` never ask. So the Apple
import path (parse, spill, de-duplication, sealing, features, baselines) builds its arrays here from typed
buffers (numpy arrays or the standard library's ``array``), takes its scalars from such arrays, and reads
numbers back as numpy views of the arrays' buffers. pandas is not blocked: anything else in the process
(``alongside.risk`` uses ``to_pandas``) still imports it when it needs it
(``tests/wearables/test_no_pandas.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

_NUMPY = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float64(): np.float64,
}


def numbers(values: Any, kind: pa.DataType) -> pa.Array:
    """A null-free numeric array of ``kind`` holding ``values`` (any buffer or sequence of numbers)."""
    typed = np.ascontiguousarray(np.asarray(values, dtype=_NUMPY[kind]))
    return pa.Array.from_buffers(kind, len(typed), [None, pa.py_buffer(typed)])


def strings(values: list[str]) -> pa.Array:
    """A null-free string array of ``values``: the UTF-8 bytes joined, and their offsets."""
    encoded = [value.encode() for value in values]
    ends = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(value) for value in encoded], out=ends[1:])
    data = b"".join(encoded)
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(ends), pa.py_buffer(data)])


def scalar(value: int | float, kind: pa.DataType) -> pa.Scalar:
    """``value`` as a pyarrow scalar of ``kind`` (given to compute functions in place of a Python number)."""
    return numbers([value], kind)[0]


def empty(schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` with no rows (as ``schema.empty_table()``, which builds it with ``pa.array``)."""
    columns = [strings([]) if field.type == pa.string() else numbers([], field.type) for field in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def view(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A numpy array of a null-free numeric array's values (as ``to_numpy()``), read from its buffer."""
    if isinstance(values, pa.ChunkedArray):
        if values.num_chunks == 0:
            return np.zeros(0, dtype=_NUMPY[values.type])
        if values.num_chunks > 1:
            return np.concatenate([view(chunk) for chunk in values.chunks])
        values = values.chunk(0)
    dtype = _NUMPY[values.type]
    buffer = values.buffers()[1]
    if buffer is None:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(buffer, dtype=dtype, count=len(values), offset=values.offset * np.dtype(dtype).itemsize)


def booleans(values: np.ndarray) -> pa.Array:
    """A null-free boolean array of a numpy array of booleans (packed eight to a byte, first bit lowest)."""
    packed = np.packbits(np.asarray(values, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])


def truth(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A null-free boolean array's values as numpy booleans, unpacked from its bits."""
    if isinstance(values, pa.ChunkedArray):
        return np.concatenate([np.zeros(0, dtype=bool), *(truth(chunk) for chunk in values.chunks)])
    buffer = values.buffers()[1]
    if buffer is None or len(values) == 0:
        return np.zeros(0, dtype=bool)
    bits = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), bitorder="little")
    return bits[values.offset : values.offset + len(values)].astype(bool)
