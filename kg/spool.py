"""Records parked on disk between the two passes of a build.

A build reads every document before it knows which entities survive
resolution, but the measurement records of a large corpus do not fit in
memory; they wait in a temporary file instead, one pickled batch per
document, and are read back in order.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
        self._file.seek(0, 2)
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._batches += 1

    def __len__(self) -> int:
        return self._batches

    def __iter__(self) -> Iterator[object]:
        """The batches in the order they were appended (each iteration starts over)."""
        self._file.flush()
        position, read = 0, 0
        while read < self._batches:  # including batches appended while reading
            self._file.seek(position)
            batch = pickle.load(self._file)
            position, read = self._file.tell(), read + 1
            yield batch

    def close(self) -> None:
        """Delete the file."""
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
