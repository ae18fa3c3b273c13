"""Atomic writes: a temp file in the same folder, then ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success.

    Args:
        path: Final destination.

    Yields:
        A temporary path to write to. On an exception it is removed and
        ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh staging folder; on success its files replace those in ``path``.

    Each file is moved into ``path`` with ``os.replace`` only after every file
    has been written, so a failed or interrupted build leaves ``path`` exactly
    as it was.

    Args:
        path: The output folder (created if missing).

    Yields:
        The staging folder to write into.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".kg-stage-", dir=path))
    try:
        yield stage
        for item in sorted(stage.iterdir()):
            target = path / item.name
            if item.is_dir():
                if target.exists():
                    shutil.rmtree(target)
                os.replace(item, target)
            else:
                os.replace(item, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
