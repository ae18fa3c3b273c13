"""Worker processes over one graph, with a real deadline per query.

The graph is loaded once: into every worker's memory when it is small
(:data:`MEMORY_TRIPLES`), else into an on-disk Oxigraph store in a temporary
folder that the workers open read-only. A query past its deadline is stopped
by killing its worker (Oxigraph's own timeout does not stop every query,
oxigraph#1336) and a fresh worker opens the same store in a fraction of a
second.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from exports.sparql.guard import check_query
from exports.sparql.results import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Answer,
    AnswerCache,
    execute,
    iter_triples,
    solutions_frame,
)
from exports.sparql.store import graph_files, load_store
from kg.errors import GraphError, QueryError

DEFAULT_TIMEOUT_S = 10.0


class QueryTimeout(QueryError):
    """A query stopped at its deadline."""


class EngineBusy(QueryError):
    """No worker became free before the deadline."""


def worker_main(fd: int, location: str, files: Sequence[str] = ()) -> None:
    """Serve queries over the socket ``fd``.

    The entry point of a worker process (see :class:`QueryPool`): it queries
    the graph ``files`` loaded into memory when some are given, else the
    read-only on-disk store at ``location``.
    """
    conn = Connection(fd)
    try:
        store = load_store(files) if files else ox.Store.read_only(location)
    except (OSError, GraphError) as err:
        conn.send(("error", GraphError(f"cannot open store: {err}")))
        return
    conn.send(("ready", os.getpid()))
    cache = AnswerCache()  # the store is read-only: answers stay true
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            conn.send(("ok", execute(store, **request, cache=cache)))
        except QueryError as err:
            conn.send(("error", err))
        except Exception as err:  # noqa: BLE001 - the parent shows it as one line
            conn.send(("error", QueryError(f"query failed: {type(err).__name__}: {err}")))


_WORKER_CODE = (
    "import sys; from exports.sparql.pool import worker_main; "
    "worker_main(int(sys.argv[1]), sys.argv[2], sys.argv[3:])"
)
#: graphs up to this many triples are queried from memory in every worker:
#: about 9x faster than the on-disk store (entity_evidence on the bundled
#: graph: 121 ms against 1,049 ms), at roughly 300 MB per worker per
#: million triples; bigger graphs are shared on disk
MEMORY_TRIPLES = 1_000_000
#: graph files bigger than this in total go to the on-disk store without counting first
MEMORY_BYTES = 150_000_000


class _Worker:
    """A worker process and our end of its socket.

    A plain subprocess rather than ``multiprocessing``: it never re-imports
    the caller's ``__main__`` and is safe to start from server threads.
    """

    def __init__(self, location: str, files: Sequence[str] = ()) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE, str(theirs.fileno()), location, *files],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C goes to the parent, which stops workers itself
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        if self.ready:
            return True
        if not self.conn.poll(max(timeout, 0)):
            return False
        status, payload = self.conn.recv()
        if status != "ready":
            raise payload
        self.ready = True
        return True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass
        self.conn.close()


class QueryPool:
    """Worker processes over one graph; a query past its deadline kills its worker.

    A graph of up to :data:`MEMORY_TRIPLES` triples is loaded into memory by
    every worker (from a private copy of its files); a bigger one is loaded
    once into an on-disk store that the workers open read-only. Use as a
    context manager, or call :meth:`close`: workers are stopped and the
    temporary folder removed.

    Args:
        paths: Graph files or ``kg build`` output folders.
        workers: Number of worker processes.
        ontology: Load the ontology alongside the data.
    """

    def __init__(self, paths: Iterable[str | os.PathLike], workers: int = 1, ontology: bool = True) -> None:
        self.files = graph_files(paths, ontology=ontology)
        self._tmp = tempfile.mkdtemp(prefix="kg-store-")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._closed = False
        # a pool that is never closed still leaves no process or folder behind at exit
        self._finalizer = weakref.finalize(self, _cleanup, self._all, self._tmp)
        try:
            self._snapshot: list[str] = []
            self.triples = MEMORY_TRIPLES + 1
            if sum(f.stat().st_size for f in self.files) <= MEMORY_BYTES:
                self.triples = len(load_store(self.files))  # parses every file: errors show here
            #: whether workers hold the graph in memory (else they share an on-disk store)
            self.in_memory = self.triples <= MEMORY_TRIPLES
            if self.in_memory:
                # workers load a private copy, so a graph rebuilt while serving does not mix in
                for i, f in enumerate(self.files):
                    self._snapshot.append(shutil.copyfile(f, Path(self._tmp) / f"graph-{i}{f.suffix}"))
            else:
                store = load_store(self.files, location=self._tmp)
                self.triples = len(store)
                del store  # closes the read-write instance before workers open it
            for _ in range(max(1, workers)):
                self._spawn()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> None:
        with self._lock:
            if self._closed:  # a query ending while the pool closes: no new worker on a removed store
                return
        worker = _Worker(self._tmp, self._snapshot)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        self._spawn()

    def run(self, query: str, fmt: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
            max_rows: int = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> Answer:
        """Run one query in a worker, with a hard deadline.

        Args:
            query: SPARQL text.
            fmt: Short format name (see :data:`RESULT_FORMATS`, :data:`GRAPH_FORMATS`).
            timeout_s: Seconds from now until the query is stopped.
            max_rows: Row (or triple) cap.
            max_bytes: Byte cap.

        Returns:
            The serialised answer.

        Raises:
            QueryError: Refused, malformed, timed out, too large, or no worker free.
        """
        check_query(query)  # cheap; refuse before touching a worker
        deadline = time.monotonic() + timeout_s
        try:
            worker = self._idle.get(timeout=max(timeout_s, 0.001))
        except queue.Empty:
            raise EngineBusy(f"all workers busy for {timeout_s:g} s; try again later") from None
        try:
            if not worker.wait_ready(deadline - time.monotonic()):
                self._idle.put(worker)
                raise EngineBusy("query engine still starting; try again")
            worker.conn.send({"query": query, "fmt": fmt, "max_rows": max_rows, "max_bytes": max_bytes})
            if not worker.conn.poll(max(deadline - time.monotonic(), 0)):
                self._retire(worker)
                raise QueryTimeout(f"query stopped after {timeout_s:g} s (timeout)")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryError("query engine crashed while running the query") from None
        except QueryError:
            raise
        except BaseException:
            self._retire(worker)
            raise
        self._idle.put(worker)
        if status == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker and remove the temporary store."""
        with self._lock:  # another thread's query may be retiring a worker meanwhile
            self._closed = True
            self._finalizer()


def _cleanup(workers: set[_Worker], folder: str) -> None:
    for worker in list(workers):
        worker.kill()
    workers.clear()
    shutil.rmtree(folder, ignore_errors=True)


def run_query(store: QueryPool, query: str, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Run a query and return Python values.

    Args:
        store: A :class:`QueryPool` over the graph.
        query: SPARQL text.
        timeout_s: Hard deadline in seconds.
        max_rows: Row cap; ``frame.attrs["truncated"]`` says whether it cut.
        max_bytes: Byte cap.

    Returns:
        A pandas DataFrame for SELECT, a ``bool`` for ASK, a list of
        ``pyoxigraph.Triple`` for CONSTRUCT and DESCRIBE.

    Raises:
        QueryError: Refused, malformed, timed out or too large.
    """
    form = check_query(query)
    fmt = "nt" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    answer = store.run(query, fmt=fmt, timeout_s=timeout_s, max_rows=max_rows, max_bytes=max_bytes)
    if answer.form == "ASK":
        return bool(json.loads(answer.body)["boolean"])
    if answer.form == "SELECT":
        frame = solutions_frame(answer.body)
        frame.attrs["truncated"] = answer.truncated
        return frame
    return list(iter_triples(answer.body))
