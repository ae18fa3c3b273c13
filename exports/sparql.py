"""Run SPARQL over a finished graph: load, guard, run with a real deadline, cap.

The graph files (and the ontology) are bulk-loaded once into an on-disk
Oxigraph store in a temporary folder. Queries run in worker processes that
open that store read-only, so a query past its deadline is stopped by killing
its worker (Oxigraph's own timeout does not stop every query, oxigraph#1336)
and a fresh worker opens the same store in a fraction of a second.

Before anything runs, :func:`check_query` tokenises the query and refuses
SPARQL Update and every ``SERVICE`` clause: Oxigraph would otherwise follow
``SERVICE <http://...>`` to any address.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from exports.graphfile import graph_file
from kg.errors import GraphError, QueryError
from kg.vocab import QUERY_PREFIXES as PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Folder of the bundled example queries (``*.rq``).
QUERIES_DIR = Path(__file__).with_name("queries")

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 20_000_000

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

#: Result formats by short name: SELECT/ASK results and CONSTRUCT/DESCRIBE graphs.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class QueryRefused(QueryError):
    """A query the endpoint will not run: SPARQL Update or ``SERVICE``."""


class QueryTimeout(QueryError):
    """A query stopped at its deadline."""


class ResultTooLarge(QueryError):
    """A result bigger than the byte cap."""


class EngineBusy(QueryError):
    """No worker became free before the deadline."""


# --------------------------------------------------------------------------- guard

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_CHARS = r"(?:[\w\-.:%\u00B7]|\\[_~.\-!$&'()*+,;=/?#@%])"
_LEXER = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '''(?:[^'\\]|\\.|'(?!''))*'''
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<word>@?[^\W\d]PN*|\d*:PN*|\d\w*)
  | (?P<other>.)
    """.replace("PN", _PN_CHARS),
    re.VERBOSE | re.DOTALL,
)


def _unescape_codepoints(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _CODEPOINT_ESCAPE.sub(one, text)


def query_words(query: str) -> list[str]:
    """The bare words of a query, upper-cased, outside comments, strings, IRIs and variables.

    Prefixed names (``ex:service``), blank nodes (``_:b``) and language tags
    (``@en``) stay whole, so ``SERVICE`` shows up only where it is a keyword.

    Args:
        query: SPARQL text.

    Returns:
        The words in order.
    """
    return [m.group("word").upper() for m in _LEXER.finditer(query) if m.lastgroup == "word"]


def check_query(query: str) -> str:
    """Refuse what must never run; return the query form.

    Args:
        query: SPARQL text.

    Returns:
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"``, ``"DESCRIBE"``, or ``""`` when
        no form is found (the parser then reports the syntax error).

    Raises:
        QueryRefused: SPARQL Update, or a ``SERVICE`` clause (federated query).
    """
    # SPARQL allows \\uXXXX escapes anywhere in a query; look at both readings.
    words = query_words(query)
    unescaped = _unescape_codepoints(query)
    if unescaped != query:
        words += query_words(unescaped)
    # Oxigraph's parser needs no space after a number, boolean or prefixed name, so
    # ``1SERVICE <x>``, ``trueSERVICE <x>``, ``ex:.SERVICE <x>`` and ``SERVICE:`` all reach
    # the network: refuse SERVICE anywhere in a word, not only as a whole word.
    for word in words:
        if word == "SERVICE":
            raise QueryRefused("SERVICE (federated query) is not allowed here")
        if "SERVICE" in word:
            raise QueryRefused(
                f"SERVICE is not allowed here (found in {word.lower()!r}; write a name that "
                "contains 'service' as a full <IRI>)"
            )
    if UPDATE_WORDS.intersection(words):
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    for word in words:
        if word in ("BASE", "PREFIX") or ":" in word:
            continue
        return word if word in QUERY_FORMS else ""
    return ""


_OX_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def syntax_error(err: Exception) -> QueryError:
    """Turn an Oxigraph ``SyntaxError`` into a one-line error with line and column.

    Args:
        err: The parser's exception.

    Returns:
        A :class:`QueryError` whose message names line and column.
    """
    text = " ".join(str(err).split())
    match = _OX_SYNTAX.match(text)
    if not match:
        return QueryError(f"SPARQL syntax error: {text}")
    line, column, detail = match.groups()
    head, sep, options = detail.partition("expected one of ")
    if sep:
        items = options.split(", ")
        if len(items) > 8:
            options = ", ".join(items[:8]) + f", ... ({len(items) - 8} more)"
        detail = f"{head}expected one of {options}"
    return QueryError(f"SPARQL syntax error at line {line}, column {column}: {detail}")


# --------------------------------------------------------------------------- loading


def ontology_file() -> Path | None:
    """The ontology Turtle file, if the project has one yet.

    Returns:
        ``kg.vocab.ontology_path()`` when available, else ``ontology/kg.ttl``
        beside this package, else ``None``.
    """
    try:
        from kg.vocab import ontology_path  # type: ignore[attr-defined]

        path = Path(ontology_path())
    except (ImportError, AttributeError, OSError, TypeError):  # e.g. NotADirectoryError, editable install
        path = Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl"
    return path if path.is_file() else None


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a graph file, from its extension.

    Raises:
        GraphError: Unknown extension.
    """
    ext = path.suffix.lstrip(".").lower()
    ext = {"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(ext, ext)
    fmt = ox.RdfFormat.from_extension(ext) if ext else None
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file extension (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    return fmt


def graph_files(paths: Iterable[str | os.PathLike], ontology: bool = True) -> list[Path]:
    """Resolve graph files; a folder stands for its ``graph.ttl``.

    Args:
        paths: Graph files or ``kg build`` output folders.
        ontology: Add the ontology file when it exists.

    Returns:
        Existing files, ontology last.

    Raises:
        GraphError: A path that does not exist.
    """
    files = []
    for raw in paths:
        path = graph_file(raw)
        rdf_format(path)
        files.append(path)
    if not files:
        raise GraphError("no graph file given")
    onto = ontology_file() if ontology else None
    if onto is not None and onto.resolve() not in {f.resolve() for f in files}:
        files.append(onto)
    return files


def load_store(files: Sequence[str | os.PathLike], location: str | os.PathLike | None = None) -> ox.Store:
    """Bulk-load graph files into a store, in memory or at ``location``.

    Args:
        files: Graph files (syntax from the extension), all into the default graph.
        location: Folder of an on-disk store, or ``None`` for memory.

    Returns:
        The loaded store.

    Raises:
        GraphError: A file that cannot be read or parsed.
    """
    store = ox.Store(str(location)) if location is not None else ox.Store()
    for file in files:
        path = Path(file)
        # bulk_load writes straight to new files: fastest for big graphs, a fixed cost for small ones
        loader = store.bulk_load if path.stat().st_size > 8_000_000 else store.load
        try:
            loader(path=str(path), format=rdf_format(path))
        except SyntaxError as err:
            raise GraphError(f"{path}: {' '.join(str(err).split())}") from None
        except OSError as err:
            raise GraphError(f"{path}: {err}") from None
    if location is not None:
        store.flush()
    return store


# --------------------------------------------------------------------------- executing


@dataclass
class Answer:
    """A serialised query result as it leaves a worker.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        fmt: Short format name (``json``, ``csv``, ``ttl``, ...).
        body: The serialised bytes.
        rows: Solutions or triples written.
        truncated: ``True`` when the row cap cut the result.
        variables: SELECT variables, in order.
    """

    form: str
    fmt: str
    body: bytes
    rows: int = 0
    truncated: bool = False
    variables: list[str] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        """The body's media type."""
        if self.fmt in RESULT_FORMATS:
            return RESULT_FORMATS[self.fmt].media_type
        return GRAPH_FORMATS[self.fmt].media_type


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def execute(store: ox.Store, query: str, fmt: str | None = None, max_rows: int = DEFAULT_MAX_ROWS,
            max_bytes: int = DEFAULT_MAX_BYTES) -> Answer:
    """Guard, run and serialise one query in this process (no deadline).

    Args:
        store: The store to query.
        query: SPARQL text.
        fmt: Short format name; ``None`` picks JSON for SELECT/ASK, Turtle otherwise.
        max_rows: Keep at most this many solutions or triples.
        max_bytes: Refuse results bigger than this.

    Returns:
        The serialised answer.

    Raises:
        QueryError: Refused, malformed, failed or too large.
    """
    check_query(query)
    try:
        result = store.query(query)
    except SyntaxError as err:
        raise syntax_error(err) from None
    except OSError as err:
        raise QueryError(f"query failed: {' '.join(str(err).split())}") from None
    try:
        answer = _serialise(result, fmt, max_rows)
    except (OSError, ValueError) as err:
        raise QueryError(f"query failed: {' '.join(str(err).split())}") from None
    if len(answer.body) > max_bytes:
        raise ResultTooLarge(
            f"result is {len(answer.body)} bytes, over the {max_bytes}-byte cap; add a LIMIT"
        )
    return answer


def _serialise(result: Any, fmt: str | None, max_rows: int) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt if fmt in RESULT_FORMATS else "json"
        return Answer("ASK", fmt, result.serialize(format=RESULT_FORMATS[fmt]), rows=1)
    if isinstance(result, ox.QuerySolutions):
        fmt = fmt if fmt in RESULT_FORMATS else "json"
        names = [v.value for v in result.variables]
        bindings, truncated = [], False
        terms: dict[Any, dict[str, Any]] = {}  # rows repeat entities and documents: render each once
        for solution in result:
            if len(bindings) >= max_rows:
                truncated = True
                break
            row = {}
            for name, term in zip(names, solution, strict=True):
                if term is not None:
                    row[name] = terms.get(term) or terms.setdefault(term, _json_term(term))
            bindings.append(row)
        body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
        if fmt != "json":
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=RESULT_FORMATS[fmt])
        return Answer("SELECT", fmt, body, len(bindings), truncated, names)
    fmt = fmt if fmt in GRAPH_FORMATS else "ttl"
    triples, truncated = [], False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
    return Answer("CONSTRUCT", fmt, body, len(triples), truncated)


# --------------------------------------------------------------------------- workers


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
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            conn.send(("ok", execute(store, **request)))
        except QueryError as err:
            conn.send(("error", err))
        except Exception as err:  # noqa: BLE001 - the parent shows it as one line
            conn.send(("error", QueryError(f"query failed: {type(err).__name__}: {err}")))


_WORKER_CODE = (
    "import sys; from exports.sparql import worker_main; "
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
        with self._lock:
            self._closed = True
        self._finalizer()


def _cleanup(workers: set[_Worker], folder: str) -> None:
    for worker in list(workers):
        worker.kill()
    workers.clear()
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- Python API


def _cell(term: dict[str, Any] | None) -> Any:
    if term is None:
        return None
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "triple":
        v = term["value"]
        return f"<< {_cell(v['subject'])} {_cell(v['predicate'])} {_cell(v['object'])} >>"
    datatype = term.get("datatype", "")
    if datatype in (PREFIXES["xsd"] + "integer", PREFIXES["xsd"] + "int", PREFIXES["xsd"] + "long"):
        try:
            return int(term["value"])
        except ValueError:
            return term["value"]
    if datatype in (PREFIXES["xsd"] + "decimal", PREFIXES["xsd"] + "double", PREFIXES["xsd"] + "float"):
        try:
            number = float(term["value"])
        except ValueError:
            return term["value"]
        return int(number) if datatype.endswith("decimal") and number.is_integer() else number
    return term["value"]


def solutions_frame(body: bytes) -> pd.DataFrame:
    """SPARQL JSON results as a DataFrame of plain values.

    IRIs and literals become their string value, numeric literals become
    numbers, blank nodes ``_:id``, unbound cells ``None``.

    Args:
        body: ``application/sparql-results+json`` bytes.

    Returns:
        One column per variable.
    """
    import pandas as pd

    data = json.loads(body)
    names = data["head"].get("vars", [])
    rows = [[_cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    return pd.DataFrame(rows, columns=names, dtype=object)


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


def iter_triples(body: bytes) -> Iterator[ox.Triple]:
    """Parse N-Triples bytes into triples."""
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        yield quad.triple


def example_queries(folder: Path = QUERIES_DIR) -> list[tuple[str, str, str]]:
    """The bundled example queries.

    Args:
        folder: Folder of ``*.rq`` files.

    Returns:
        ``(name, title, text)`` sorted by name; the title is the first ``# `` line.
    """
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first[2:].strip() if first.startswith("# ") else path.stem
        out.append((path.stem, title, text))
    return out
