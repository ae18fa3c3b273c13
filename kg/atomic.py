"""Atomic writes: a temp file in the same folder, then ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from kg.errors import OutputError

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return umask


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file (0o666 minus the umask).

    ``tempfile.mkstemp`` creates files readable by their owner only; without
    this, every atomically written output would end up ``-rw-------``.
    """
    return 0o666 & ~_umask()


def new_folder_mode() -> int:
    """The mode ``mkdir()`` would give a new folder (0o777 minus the umask).

    ``tempfile.mkdtemp`` creates folders only their owner can enter; give a
    folder made there this mode before moving it into an output folder.
    """
    return 0o777 & ~_umask()


def _mode_for(path: Path) -> int:
    """Keep the mode of a file being replaced; new files get the usual default."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return _new_file_mode()


def _mkdir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{path}: exists and is not a folder") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot create folder ({exc.strerror or exc})") from None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success.

    Args:
        path: Final destination.

    Yields:
        A temporary path to write to. On an exception it is removed and
        ``path`` is left as it was.

    Raises:
        OutputError: The folder cannot be created or written to.
    """
    path = Path(path)
    _mkdir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        # Flush the data before the rename, so that a crash cannot leave a
        # renamed but empty file behind.
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, _mode_for(path))
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
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and a SIGTERM with a Python handler) back until the block is done.

    Only the main thread can set signal handlers; elsewhere the block runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = [s for s in (signal.SIGINT, signal.SIGTERM) if callable(signal.getsignal(s))]
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in held}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    for signum in dict.fromkeys(caught):
        signal.raise_signal(signum)


def _commit(stage: Path, path: Path) -> None:
    """Move every entry of ``stage`` into ``path``; on failure put the old ones back."""
    backups = stage / ".kg-previous"
    backups.mkdir()
    done: list[tuple[Path, Path | None]] = []  # (target, backup of the previous entry)
    try:
        for item in sorted(p for p in stage.iterdir() if p != backups):
            target = path / item.name
            backup = None
            if target.is_dir() and not target.is_symlink():
                backup = backups / item.name
                os.replace(target, backup)
            elif target.exists() or target.is_symlink():
                backup = backups / item.name
                try:
                    os.link(target, backup, follow_symlinks=False)
                except OSError:
                    shutil.copy2(target, backup, follow_symlinks=False)
            if item.is_file() and not item.is_symlink():
                os.chmod(item, _mode_for(target))
            done.append((target, backup))
            os.replace(item, target)
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    if target.is_dir() and not target.is_symlink():
                        shutil.rmtree(target)
                    os.replace(backup, target)
                elif target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh staging folder; on success its files replace those in ``path``.

    Each file is moved into ``path`` with ``os.replace`` only after every file
    has been written, so a failed or interrupted build leaves ``path`` exactly
    as it was. Should a move fail half-way, the entries already moved are put
    back; Ctrl-C or SIGTERM during the moves takes effect once they are done.

    Args:
        path: The output folder (created if missing).

    Yields:
        The staging folder to write into.

    Raises:
        OutputError: The folder cannot be created or written to.
    """
    path = Path(path)
    _mkdir(path)
    try:
        stage = Path(tempfile.mkdtemp(prefix=".kg-stage-", dir=path))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        try:
            yield stage
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        with _signals_deferred():
            try:
                _commit(stage, path)
            except OSError as exc:
                reason = exc.strerror or exc
                raise OutputError(f"{path}: cannot move the new files into place ({reason})") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
