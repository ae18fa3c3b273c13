"""One piece of work in a forked child process, while the parent goes on.

``kg build`` writes the HTML view (a layout and a page, seconds of CPU on
the bundled corpus) while it writes ``graph.ttl``; the two read the same
assembled graph and write different files, so on a machine with a spare
core the view goes to a child forked from the builder: it inherits the
graph (copy-on-write) instead of receiving it. Where fork is unsafe or
absent (macOS, Windows), or there is one core, the work runs in the
calling process when it is started, with the same result.

A Ctrl-C (or SIGTERM) that arrives while the process forks is run by the
at-fork hooks (logging's lock release), which print and swallow the
``KeyboardInterrupt``: the build would go on as if never interrupted.
:func:`signals_held` blocks both signals across a fork, so that one sent
meanwhile is delivered when the fork is done; the child unblocks its own
copy (:func:`release_signals`) before it starts working.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

#: the signals that stop a build (Ctrl-C, kill)
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Block :data:`STOP_SIGNALS` in this thread for the block's duration (a fork inside it)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, and no fork either
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held Ctrl-C is raised here


#: the process that imported this module: a forked child's parent
_PARENT_PID = os.getpid()
#: ``prctl`` option: the signal this process gets when its parent dies (linux/prctl.h)
_PR_SET_PDEATHSIG = 1


def release_signals() -> None:
    """In a child forked under :func:`signals_held`: die with the parent, take the stop signals again.

    A child forked after the user's Ctrl-C reached the process group missed it
    (pending signals are not inherited); tied to its parent's life it cannot
    outlive the build that stops.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != _PARENT_PID:  # the parent died before the line above
            os._exit(1)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


class Background(Generic[T]):
    """The work started by :func:`in_background`; :meth:`result` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._proc = None
        self._value: T | None = None
        self._error: BaseException | None = None
        if _can_fork():
            ctx = multiprocessing.get_context("fork")
            self._recv, send = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=_child, args=(work, send), daemon=True)
            with signals_held():
                self._proc.start()
            send.close()
        else:
            try:
                self._value = work()
            except BaseException as exc:  # raised from result(), as from the child
                self._error = exc

    def result(self) -> T:
        """The work's return value; its exception is raised here."""
        if self._proc is not None:
            try:
                status, value = self._recv.recv()
            except EOFError:
                status, value = "error", RuntimeError(
                    f"the background writer stopped without a result (exit code {self._wait()})"
                )
            self._wait()
            self._recv.close()
            self._proc = None
            if status == "ok":
                self._value = value
            else:
                self._error = value
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the child (the caller failed and will not read the result)."""
        if self._proc is not None:
            self._proc.terminate()
            self._wait()
            self._recv.close()
            self._proc = None

    def _wait(self) -> int | None:
        self._proc.join()
        return self._proc.exitcode


def in_background(work: Callable[[], T]) -> Background[T]:
    """Start ``work`` (a function of no arguments) in a forked child when a core is spare."""
    return Background(work)


def usable_cores() -> int:
    """The processors this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity outside Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and usable_cores() > 1


def _child(work: Callable[[], object], send) -> None:
    try:
        release_signals()
        message = ("ok", work())
    except BaseException as exc:
        message = ("error", exc)
    try:
        send.send(message)
    except Exception as exc:  # an exception that does not pickle: its text reaches the parent
        send.send(("error", RuntimeError(f"{type(message[1]).__name__}: {message[1]} ({exc})")))
    send.close()
