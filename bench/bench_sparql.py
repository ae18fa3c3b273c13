"""SPARQL: the bundled example queries on pyoxigraph (``kg query``'s engine) against rdflib.

A measurement, not a test. Both engines get the same graph files (with the
ontology, as ``kg query`` loads it); every query runs ``--repeat`` times on
each and its median is reported, results serialised as SPARQL JSON on both
sides. One end-to-end ``kg query`` run (process start, load, query, output)
is timed too.

    python bench/bench_sparql.py [GRAPH ...] [--repeat 5]

GRAPH defaults to a fresh ``kg build`` of the bundled corpus.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import kg_command, machine, table

#: an rdflib run slower than this is not repeated
RDFLIB_PATIENCE_S = 30.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphs", nargs="*", type=Path, help="Graph files (default: build the bundled corpus).")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    import rdflib

    from exports.sparql import example_queries, execute, graph_files, load_store

    with tempfile.TemporaryDirectory() as tmp:
        graphs = args.graphs
        if not graphs:
            out = Path(tmp) / "out"
            subprocess.run([*kg_command(), "build", "--out", str(out), "--no-html", "-q"], check=True)
            graphs = [out / "graph.ttl"]
        files = graph_files([str(g) for g in graphs])

        t = time.perf_counter()
        store = load_store(files)
        t_ox_load = time.perf_counter() - t
        t = time.perf_counter()
        rg = rdflib.Graph()
        for f in files:
            rg.parse(str(f))
        t_rdf_load = time.perf_counter() - t
        triples = len(rg)

        rows = []
        speedups, ox_p50s = [], []
        for name, _title, text in example_queries():
            ox_times, rdf_times = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                answer = execute(store, text, "json")
                ox_times.append(time.perf_counter() - t)
            for _ in range(args.repeat):
                t = time.perf_counter()
                rdf_answer = rg.query(text).serialize(format="json")
                rdf_times.append(time.perf_counter() - t)
                if rdf_times[-1] > RDFLIB_PATIENCE_S:
                    break
            ox, rd = statistics.median(ox_times), statistics.median(rdf_times)
            speedups.append(rd / ox)
            ox_p50s.append(ox)
            rows.append([name, f"{ox * 1000:,.1f}", f"{rd * 1000:,.1f}", f"{rd / ox:,.0f}x",
                         f"{len(answer.body):,} / {len(rdf_answer):,}"])

        t = time.perf_counter()
        subprocess.run([*kg_command(), "query", str(graphs[0]), "programs_per_province", "--format", "csv"],
                       check=True, stdout=subprocess.DEVNULL)
        t_cli = time.perf_counter() - t

    print(f"# SPARQL example queries — {machine()}")
    print(f"graph: {', '.join(str(g) for g in graphs)} — {triples:,} triples with the ontology; "
          f"load: pyoxigraph {t_ox_load:.2f}s, rdflib {t_rdf_load:.2f}s; median of {args.repeat} runs\n")
    print(table(rows, ["query", "pyoxigraph p50 ms", "rdflib p50 ms", "speed-up", "JSON bytes ox / rdflib"]))
    print(f"\ngeometric mean speed-up {statistics.geometric_mean(speedups):,.0f}x; "
          f"slowest pyoxigraph p50 {max(ox_p50s) * 1000:,.1f} ms; "
          f"`kg query GRAPH programs_per_province` end to end {t_cli:.2f}s (process start + load + query)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
