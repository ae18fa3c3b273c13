"""SPARQL: the bundled example queries on graphs of 1x..Kx the corpus, pyoxigraph against rdflib.

A measurement, not a test: it prints times measured in the same run and
their ratios, and asserts nothing about time.

    python bench/bench_sparql.py [GRAPH ...] [--scale 1,100] [--repeat 5] [--rdflib-budget 600]
                                 [--cli-budget 300]

GRAPH defaults to a fresh ``kg build`` of the bundled corpus. For every K in
``--scale`` a graph modelling K times the corpus is synthesised from it the
way a real K-times build grows: entities, relations and their statements are
shared (evidence is capped at 20 mentions each, so that core barely grows),
while documents, measurements (``kg:Measurement``) and the mentions only
measurements derive from are copied K times, the copies' IRIs suffixed
``~1``..``~K-1`` and still pointing at the shared entities (written as
N-Triples to a temporary file; K=1 is the graph itself).

On each K-graph (with the ontology, as ``kg query`` loads it) every example
query is timed four ways, results as SPARQL JSON where there is a choice:

* pyoxigraph in process: ``exports.sparql.execute`` on ``load_store`` (the
  engine of ``kg query`` and ``kg serve``, here on an in-memory store), median
  of ``--repeat`` runs, each evaluated; and again with an
  ``exports.sparql.AnswerCache`` as ``kg serve``'s workers answer (the first
  run evaluates and fills it, the others are served from it);
* the endpoint: ``kg serve`` started as a subprocess (its workers query an
  on-disk store, as ``kg query`` does, and keep an answer cache: the store is
  read-only), one HTTP POST per run (Accept
  ``application/sparql-results+json``), median of ``--repeat``;
* ``kg query GRAPH NAME --format csv`` end to end (process start, load,
  query, output), once per query while the ``--cli-budget`` per graph lasts;
* rdflib in memory (``Graph().parse`` then ``query().serialize("json")``) in
  a child process with ``--rdflib-budget`` seconds per graph, parse included.
  Each query gets an equal share of what the parse left (unused time passes
  to the next ones) and runs in a process forked from the parsed graph,
  killed at the end of its share: it is then reported as "> share" and its
  speed-up as a lower bound.

Row and byte caps and deadlines of the pyoxigraph side are lifted, so every
engine returns the whole result.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import kg_command, machine, table

#: an rdflib run slower than this is not repeated
RDFLIB_PATIENCE_S = 30.0
#: deadline of one query through ``kg serve`` and ``kg query`` (seconds)
QUERY_TIMEOUT_S = 600.0
#: row and byte cap given to the pyoxigraph side: no cap in practice
UNCAPPED = 10**12
#: how long ``kg serve`` may take to load a graph before it is given up on
SERVER_START_S = 1800.0
#: extra time the rdflib child gets past its budget before it is killed from outside
RDFLIB_GRACE_S = 10.0
#: a p50 under this is the target at 1x (seconds)
TARGET_P50_S = 0.050
#: rdflib / pyoxigraph speed-up asked for
TARGET_SPEEDUP = 10.0

KG = "https://w3id.org/initiative-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"


@dataclass
class Result:
    """What one query measured on one K-graph (seconds; ``None`` when not measured)."""

    name: str
    ox: float = math.nan
    ox_cached: float = math.nan
    rows: int = 0
    endpoint: float | str | None = None
    cli: float | None = None
    rdflib: float | None = None
    rdflib_floor: float | None = None
    rdflib_rows: int | None = None

    def speedup(self) -> float | None:
        """rdflib p50 / pyoxigraph p50, or its lower bound when rdflib ran out of time."""
        slow = self.rdflib if self.rdflib is not None else self.rdflib_floor
        return slow / self.ox if slow is not None else None


# --------------------------------------------------------------------------- K-times graphs


@dataclass
class Corpus:
    """The 1x graph split for replication.

    Attributes:
        triples: Every triple of the 1x graph.
        parts: The per-corpus triples as N-Triples text, cut where a copied
            IRI ends: ``"~c".join(parts)`` is copy ``c``.
        copied: How many triples one copy has.
    """

    triples: list
    parts: list[str]
    copied: int


def copied_subjects(triples: list) -> set:
    """Subjects that grow with the corpus: documents, measurements, mentions only measurements use."""
    import pyoxigraph as ox

    typed: dict[str, set] = {KG + name: set() for name in ("Document", "Measurement", "Mention")}
    for s, p, o in triples:
        if p.value == RDF_TYPE and isinstance(o, ox.NamedNode) and o.value in typed:
            typed[o.value].add(s)
    measurements = typed[KG + "Measurement"]
    from_measurements, from_others = set(), set()
    for s, p, o in triples:
        if p.value == DERIVED_FROM:
            (from_measurements if s in measurements else from_others).add(o)
    mentions = (from_measurements - from_others) & typed[KG + "Mention"]
    return typed[KG + "Document"] | measurements | mentions


def read_corpus(sources: list[Path]) -> Corpus:
    """Parse the 1x graph files and cut out the part a K-times corpus has K times."""
    import pyoxigraph as ox

    from exports.sparql import rdf_format

    triples = [q.triple for f in sources for q in ox.parse(path=str(f), format=rdf_format(f))]
    copied = copied_subjects(triples)
    parts, count = [""], 0
    for triple in triples:
        if triple.subject not in copied:
            continue
        count += 1
        for term, end in zip(triple, (" ", " ", " .\n"), strict=True):
            if term in copied:
                parts[-1] += f"<{term.value}"
                parts.append(">" + end)
            else:
                parts[-1] += f"{term}{end}"
    return Corpus(triples, parts, count)


def write_scaled(corpus: Corpus, k: int, path: Path) -> Path:
    """Write the K-times graph as N-Triples: the 1x graph, then copies 1..K-1 one at a time."""
    import pyoxigraph as ox

    with path.open("wb") as f:
        ox.serialize(corpus.triples, f, ox.RdfFormat.N_TRIPLES)
        for c in range(1, k):
            f.write(f"~{c}".join(corpus.parts).encode())
    return path


# --------------------------------------------------------------------------- pyoxigraph in process


def time_in_process(files: list[Path], results: list[Result], repeat: int) -> tuple[float, int]:
    """Load the store, time every query; returns load seconds and triples with the ontology."""
    from exports.sparql import AnswerCache, example_queries, execute, load_store

    t = time.perf_counter()
    store = load_store(files)
    load = time.perf_counter() - t
    for result, (_name, _title, text) in zip(results, example_queries(), strict=True):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            answer = execute(store, text, "json", max_rows=UNCAPPED, max_bytes=UNCAPPED)
            times.append(time.perf_counter() - t)
        result.ox, result.rows = statistics.median(times), answer.rows
        cache, times = AnswerCache(), []  # as kg serve's workers answer: the first run fills the cache
        for _ in range(repeat):
            t = time.perf_counter()
            execute(store, text, "json", max_rows=UNCAPPED, max_bytes=UNCAPPED, cache=cache)
            times.append(time.perf_counter() - t)
        result.ox_cached = statistics.median(times)
    return load, len(store)


# --------------------------------------------------------------------------- kg serve


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_query(port: int, text: str) -> tuple[int, float]:
    """POST one query to the endpoint; HTTP status and seconds until the whole answer is read."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sparql",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=QUERY_TIMEOUT_S + 30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.perf_counter() - t


def start_server(graph: Path, port: int, log: Path) -> subprocess.Popen:
    """Start ``kg serve`` in its own process group and wait until it answers."""
    cmd = [
        *kg_command(),
        "serve",
        str(graph),
        "--port",
        str(port),
        "--quiet",
        "--timeout-s",
        str(QUERY_TIMEOUT_S),
        "--max-rows",
        str(UNCAPPED),
        "--max-bytes",
        str(UNCAPPED),
    ]
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if post_query(port, "ASK {}")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(proc)
    raise SystemExit(f"kg serve did not start:\n{log.read_text(errors='replace')}")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (the server stops its workers), then SIGKILL to the whole group if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # workers left behind, if any
    except ProcessLookupError:
        pass
    proc.wait()


def time_endpoint(graph: Path, results: list[Result], repeat: int, tmp: Path) -> float:
    """Time every query through ``kg serve``; returns the seconds until the server answered."""
    from exports.sparql import example_queries

    port = free_port()
    t = time.perf_counter()
    proc = start_server(graph, port, tmp / "serve.log")
    started = time.perf_counter() - t
    try:
        for result, (_name, _title, text) in zip(results, example_queries(), strict=True):
            runs = [post_query(port, text) for _ in range(repeat)]
            bad = [status for status, _ in runs if status != 200]
            result.endpoint = f"HTTP {bad[0]}" if bad else statistics.median(s for _, s in runs)
    finally:
        stop_server(proc)
    return started


# --------------------------------------------------------------------------- kg query


def time_cli(graph: Path, results: list[Result], budget: float) -> None:
    """Run ``kg query`` once per query, in order, until ``budget`` seconds are spent (the first always)."""
    spent = 0.0
    for result in results:
        if spent >= budget:
            break
        cmd = [
            *kg_command(),
            "query",
            str(graph),
            result.name,
            "--format",
            "csv",
            "--timeout",
            str(QUERY_TIMEOUT_S),
            "--limit",
            str(UNCAPPED),
        ]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        result.cli = time.perf_counter() - t
        spent += result.cli


# --------------------------------------------------------------------------- rdflib


def _emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def _rdflib_runs(graph, text: str, repeat: int, conn) -> None:
    """In a forked process: run one query up to ``repeat`` times, sending (seconds, rows) after each."""
    for _ in range(repeat):
        t = time.perf_counter()
        result = graph.query(text)
        result.serialize(format="json")
        seconds = time.perf_counter() - t
        conn.send((seconds, len(result)))
        if seconds > RDFLIB_PATIENCE_S:
            break
    conn.close()


def _rdflib_query(graph, text: str, repeat: int, share: float) -> dict:
    """Time one query in a forked child killed after ``share`` seconds."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_runs, args=(graph, text, repeat, send))
    deadline = time.monotonic() + share
    proc.start()
    send.close()
    times, rows, cut = [], None, True
    try:
        while recv.poll(max(0.0, deadline - time.monotonic())):
            try:
                seconds, rows = recv.recv()
            except EOFError:
                cut = False
                break
            times.append(seconds)
    finally:
        proc.kill()
        proc.join()
    return {"times": times, "rows": rows, "floor": share if cut and not times else None}


def rdflib_child(spec: str) -> None:
    """The rdflib side, run in a child process: parse, then time every query within the budget.

    Args:
        spec: JSON ``{"files": [...], "repeat": n, "budget": seconds}``. Writes
            JSON lines to stdout: ``{"parsed": s, "triples": n}``, then one
            ``{"name", "times", "rows", "floor"}`` per query.
    """
    import rdflib

    from exports.sparql import example_queries

    args = json.loads(spec)
    start = time.monotonic()
    graph = rdflib.Graph()
    for f in args["files"]:
        graph.parse(f)
    _emit({"parsed": time.monotonic() - start, "triples": len(graph)})
    gc.freeze()  # the forked query processes then copy fewer pages
    queries = example_queries()
    for i, (name, _title, text) in enumerate(queries):
        share = (args["budget"] - (time.monotonic() - start)) / (len(queries) - i)
        if share <= 0:
            break
        _emit({"name": name, **_rdflib_query(graph, text, args["repeat"], share)})


def _read_lines(proc: subprocess.Popen, deadline: float):
    """JSON records from the child's stdout until it ends or ``deadline`` passes."""
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([proc.stdout], [], [], left)[0]:
            return
        line = proc.stdout.readline()
        if not line:
            return
        yield json.loads(line)


def time_rdflib(files: list[Path], results: list[Result], repeat: int, budget: float) -> float | None:
    """Run :func:`rdflib_child` under the budget; returns parse seconds (``None``: not parsed in time)."""
    spec = json.dumps({"files": [str(f) for f in files], "repeat": repeat, "budget": budget})
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"from bench_sparql import rdflib_child; rdflib_child(sys.argv[1])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, spec], stdout=subprocess.PIPE, bufsize=0, start_new_session=True
    )
    by_name = {r.name: r for r in results}
    parsed = None
    try:
        for record in _read_lines(proc, time.monotonic() + budget + RDFLIB_GRACE_S):
            if "parsed" in record:
                parsed = record["parsed"]
                continue
            result = by_name[record["name"]]
            if record["times"]:
                result.rdflib = statistics.median(record["times"])
            result.rdflib_floor, result.rdflib_rows = record["floor"], record["rows"]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the child and its forked query processes
        except ProcessLookupError:
            pass
        proc.wait()
        proc.stdout.close()
    return parsed


# --------------------------------------------------------------------------- report


def _ms(seconds: float | str | None) -> str:
    if seconds is None:
        return "skipped"
    return seconds if isinstance(seconds, str) else f"{seconds * 1000:,.1f}"


def _rdflib_cell(r: Result) -> str:
    if r.rdflib is not None:
        return _ms(r.rdflib)
    return f"> {r.rdflib_floor * 1000:,.0f}" if r.rdflib_floor is not None else "not run"


def _speedup_cell(r: Result) -> str:
    speedup = r.speedup()
    if speedup is None:
        return "—"
    return f"{'> ' if r.rdflib is None else ''}{speedup:,.0f}x"


def _rows_cell(r: Result) -> str:
    return f"{r.rows:,} / {r.rdflib_rows:,}" if r.rdflib_rows is not None else f"{r.rows:,} / —"


def report(k: int, results: list[Result], repeat: int) -> None:
    """Print the table of one K-graph and its summary line."""
    rows = [
        [
            r.name,
            _ms(r.ox),
            _ms(r.ox_cached),
            _ms(r.endpoint),
            "skipped" if r.cli is None else f"{r.cli:,.2f}",
            _rdflib_cell(r),
            _speedup_cell(r),
            _rows_cell(r),
        ]
        for r in results
    ]
    print(
        table(
            rows,
            [
                "query",
                "ox p50 ms",
                "ox p50 ms, answer cache",
                "endpoint p50 ms (answer cache)",
                "kg query s",
                "rdflib p50 ms",
                "speed-up",
                "rows ox / rdflib",
            ],
        )
    )
    speedups = [s for r in results if (s := r.speedup()) is not None]
    floors = sum(r.rdflib is None and r.rdflib_floor is not None for r in results)
    slowest = max(results, key=lambda r: r.ox)
    fast = sum(r.ox < TARGET_P50_S for r in results)
    below = [r.name for r in results if r.rdflib is not None and r.speedup() < TARGET_SPEEDUP]
    unknown = [
        r.name
        for r in results
        if r.rdflib is None and (r.rdflib_floor is None or r.speedup() < TARGET_SPEEDUP)
    ]
    if below:
        verdict = f"no, below for {', '.join(below)}"
    elif unknown:
        verdict = f"not established for {', '.join(unknown)} (rdflib not finished)"
    else:
        verdict = "yes"
    mean = f"{statistics.geometric_mean(speedups):,.0f}x" if speedups else "—"
    floor_note = f", {floors} of {len(speedups)} from rdflib lower bounds" if floors else ""
    print(
        f"\n{k}x: geometric mean speed-up {mean}{floor_note}; slowest pyoxigraph p50 "
        f"{slowest.ox * 1000:,.1f} ms ({slowest.name}); p50 < {TARGET_P50_S * 1000:.0f} ms: "
        f"{fast} of {len(results)} queries (target at 1x); every query >= {TARGET_SPEEDUP:.0f}x faster "
        f"than rdflib: {verdict}. Times are medians of {repeat} runs.\n"
    )


def measure(k: int, graph: Path, corpus: Corpus, args: argparse.Namespace, tmp: Path) -> None:
    """Run the four measurements on one K-graph and print them."""
    from exports.sparql import example_queries, graph_files

    files = graph_files([graph])
    results = [Result(name) for name, _title, _text in example_queries()]
    growth = (
        f" ({len(corpus.triples):,} of the 1x graph + {k - 1} x {corpus.copied:,} copied)" if k > 1 else ""
    )
    print(f"## {k}x the corpus: {graph}, {len(corpus.triples) + (k - 1) * corpus.copied:,} triples{growth}")
    load, triples = time_in_process(files, results, args.repeat)
    started = time_endpoint(graph, results, args.repeat, tmp)
    time_cli(graph, results, args.cli_budget)
    parsed = time_rdflib(files, results, args.repeat, args.rdflib_budget)
    ran = sum(r.cli is not None for r in results)
    cli_note = (
        "every query"
        if ran == len(results)
        else f"the first {ran} queries (--cli-budget {args.cli_budget:g} s spent)"
    )
    parse_note = f"{parsed:.2f}s" if parsed is not None else f"not finished in {args.rdflib_budget:g} s"
    print(
        f"{triples:,} triples with the ontology; load: pyoxigraph in memory {load:.2f}s, kg serve until "
        f"answering {started:.2f}s, rdflib parse {parse_note} (budget {args.rdflib_budget:g} s); "
        f"kg query run for {cli_note}\n"
    )
    report(k, results, args.repeat)


def scales(text: str) -> list[int]:
    """``"1,100"`` -> ``[1, 100]``."""
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("scales are integers >= 1")
    return values


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table per scale."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphs", nargs="*", type=Path, help="Graph files (default: build the bundled corpus).")
    ap.add_argument("--scale", type=scales, default=[1, 100], help="Corpus multiples, e.g. 1,100.")
    ap.add_argument("--repeat", type=int, default=5, help="Runs per query; medians are reported.")
    ap.add_argument(
        "--rdflib-budget", type=float, default=600.0, help="Seconds rdflib gets per graph, parse included."
    )
    ap.add_argument(
        "--cli-budget",
        type=float,
        default=300.0,
        help="Seconds of `kg query` runs per graph (the first query always runs).",
    )
    args = ap.parse_args(argv)

    from exports.sparql import graph_files

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        graphs = args.graphs
        if not graphs:
            out = tmp / "out"
            subprocess.run([*kg_command(), "build", "--out", str(out), "--no-html", "-q"], check=True)
            graphs = [out / "graph.ttl"]
        sources = graph_files(graphs, ontology=False)
        corpus = read_corpus(sources)
        print(f"# SPARQL example queries — {machine()}")
        print(
            f"1x graph: {', '.join(str(g) for g in graphs)}; per corpus copy: documents, measurements "
            f"and their mentions, {corpus.copied:,} triples\n"
        )
        for k in args.scale:
            if k == 1 and len(sources) == 1:
                graph = sources[0]
            else:
                graph = write_scaled(corpus, k, tmp / f"graph-{k}x.nt")
            measure(k, graph, corpus, args, tmp)
            if graph.parent == tmp:
                graph.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
