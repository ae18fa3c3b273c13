"""Records parked on disk between the two passes of a build.

A build reads every document before it knows which entities survive
resolution, but the measurement records of a large corpus do not fit in
memory; they wait in a temporary file instead, one pickled batch per
document, and are read back in order.

Each batch is stored behind its length and read back with positional reads
(``os.pread``), which leave the file's offset alone: a process forked from
the one that holds the spool (the HTML writer of ``kg build``) reads it at
the same time as its parent without either moving the other's place.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: the length that precedes each batch
_LENGTH = struct.Struct("<Q")


def _pread(fd: int, size: int, offset: int) -> bytes:
    """Exactly ``size`` bytes at ``offset`` (``os.pread`` may return fewer)."""
    chunks = []
    while size > 0:
        chunk = os.pread(fd, size, offset)
        if not chunk:
            raise EOFError("spool file ends inside a batch")
        chunks.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


class Spool:
    """An append-only sequence of picklable batches in an anonymous temporary file.

    Args:
        folder: Where the file lives (the system's temporary folder when
            ``None``); it has no name and disappears when closed.
    """

    def __init__(self, folder: str | Path | None = None):
        self._file = tempfile.TemporaryFile(dir=folder)
        self._batches = 0

    def append(self, batch: object) -> None:
        """Park one batch at the end."""
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        self._file.write(_LENGTH.pack(len(data)) + data)
        self._file.flush()  # the positional reads go to the file, not the buffer
        self._batches += 1

    def __len__(self) -> int:
        return self._batches

    def __iter__(self) -> Iterator[object]:
        """The batches in the order they were appended (each iteration starts over)."""
        fd = self._file.fileno()
        position, read = 0, 0
        while read < self._batches:  # including batches appended while reading
            (size,) = _LENGTH.unpack(_pread(fd, _LENGTH.size, position))
            data = _pread(fd, size, position + _LENGTH.size)
            position, read = position + _LENGTH.size + size, read + 1
            yield pickle.loads(data)

    def close(self) -> None:
        """Delete the file."""
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
