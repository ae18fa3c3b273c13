"""HTML view: generation time of ``graph.html`` and its load time in headless Chromium.

A measurement, not a test.

    python bench/bench_html.py [GRAPH] [--repeat 3]

GRAPH defaults to a fresh ``kg build`` of the bundled corpus. Load time is
the wall time of ``chromium --headless --dump-dom`` on the page (browser
start included) minus the same on an empty page, so it is the page's own
cost; skipped when no Chromium is installed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import kg_command, machine, table


def _chromium_seconds(browser: str, page: Path, profile: Path) -> float:
    t = time.perf_counter()
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
    )
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import rdflib

    from exports.html import write_html

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        graph_path = args.graph
        if graph_path is None:
            subprocess.run([*kg_command(), "build", "--out", str(tmp / "out"), "--no-html", "-q"], check=True)
            graph_path = tmp / "out" / "graph.ttl"
        t = time.perf_counter()
        graph = rdflib.Graph().parse(str(graph_path))
        rows.append(["parse graph.ttl (rdflib)", f"{time.perf_counter() - t:.2f}", f"{len(graph):,} triples"])
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = write_html(graph, tmp / "graph.html", title="bench")
            times.append(time.perf_counter() - t)
        size = (tmp / "graph.html").stat().st_size
        note = f"{size / 2**20:.2f} MB page, {result.shown:,} of {result.total:,} entities shown"
        rows.append(["write_html", f"{statistics.median(times):.2f}", note])

        names = ("chromium", "chromium-browser", "google-chrome")
        browser = next(filter(None, map(shutil.which, names)), None)
        if browser:
            empty = tmp / "empty.html"
            empty.write_text("<!doctype html><title>empty</title>", encoding="utf-8")
            base = statistics.median(
                _chromium_seconds(browser, empty, tmp / f"p{i}") for i in range(args.repeat)
            )
            page = statistics.median(
                _chromium_seconds(browser, tmp / "graph.html", tmp / f"q{i}") for i in range(args.repeat)
            )
            rows.append(["headless Chromium load (page minus empty page)", f"{page - base:.2f}",
                         f"empty page {base:.2f}s, graph page {page:.2f}s (browser start included)"])
        else:
            rows.append(["headless Chromium load", "skipped", "no chromium on PATH"])

    print(f"# HTML view — {machine()}")
    print(f"graph: {graph_path}; median of {args.repeat} runs\n")
    print(table(rows, ["step", "seconds", "note"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
