"""Scaling: the corpus replicated K times (each copy varied) — time and peak memory of ``kg build``.

A measurement, not a test. Each copy of a document has its digits shifted
and its province names rotated (:func:`common.vary_text`), so no cache or
deduplication makes the larger corpora trivial. Every size is built by
``kg build`` in a fresh process; peak memory is the summed PSS of the
process and its workers (shared pages counted once).

    python bench/bench_scale.py [--copies 1,10,100] [--limit CHARS] [--workers 2] [--keep DIR]

Time should grow linearly with the number of characters and peak memory
stay bounded: documents are streamed, their records folded into one
accumulator per distinct entity and relation (evidence capped), and
measurements wait on disk until they are streamed into graph.ttl.
When the largest size would take too long, measure smaller ones: the script
fits ``seconds = a + b * chars`` and ``PSS = c + d * chars`` and prints the
extrapolation to 100 copies of the full corpus.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import sys
import tempfile
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import kg_command, machine, replicate, run_measured, table, write_jsonl


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares line ``y = a + b x``."""
    n = len(xs)
    if n < 2:
        return 0.0, ys[0] / xs[0]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - b * mx, b


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", default="1,10,100", help="Comma-separated replication factors.")
    ap.add_argument("--limit", type=int, default=0, help="Use the first CHARS characters of each document.")
    ap.add_argument("--workers", type=int, default=2, help="kg build --workers.")
    ap.add_argument("--keep", type=Path, help="Copy the largest graph.ttl into this folder.")
    args = ap.parse_args(argv)
    copies = sorted({int(c) for c in args.copies.split(",")})

    from kg.documents import bundled_corpus

    docs = bundled_corpus()
    full_chars = sum(len(d.text) for d in docs)
    if args.limit:
        docs = [dataclasses.replace(d, text=d.text[: args.limit]) for d in docs]
    rows, xs, ts, ms = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        largest = None
        for k in copies:
            inputs = tmp / f"corpus_{k}.jsonl"
            n, chars = write_jsonl(replicate(docs, k), inputs)
            out = tmp / f"out_{k}"
            cmd = [*kg_command(), "build", str(inputs), "--out", str(out), "--no-html"]
            cmd += ["--workers", str(args.workers)]
            peaks: dict = {}
            seconds, peak, code, err = run_measured(cmd, peaks=peaks)
            if code:
                rows.append([k, n, f"{chars:,}", "failed", "", "", "", "", "", ""])
                continue
            triples = re.search(r"([\d,]+) triples", err)
            xs.append(chars)
            ts.append(seconds)
            ms.append(peak)
            per_copy = seconds / k
            base = ts[0] / copies[0]
            rows.append([
                k, n, f"{chars:,}", f"{seconds:.1f}", f"{chars / seconds:,.0f}", f"{per_copy / base:.2f}",
                f"{peak / 2**20:,.0f}", f"{peaks.get('rss', 0) / 2**20:,.0f}",
                triples.group(1) if triples else "?",
                f"{(out / 'graph.ttl').stat().st_size / 2**20:,.1f}",
            ])
            print("measured:", " | ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
            largest = out / "graph.ttl"
            inputs.unlink()
        if args.keep and largest is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(largest, args.keep / "graph.ttl")

    print(f"# kg build scaling — {machine()}")
    print(f"base: {len(docs)} documents, {sum(len(d.text) for d in docs):,} characters per copy; "
          f"--workers {args.workers}\n")
    print(table(rows, ["copies", "docs", "chars", "seconds", "chars/s", "time per copy vs first",
                       "peak PSS MB", "peak RSS MB (largest process)", "triples", "graph.ttl MB"]))
    if len(xs) >= 2:
        a, b = _fit(xs, ts)
        c, d = _fit(xs, ms)
        target = 100 * full_chars
        print(f"\nfit: seconds = {a:.1f} + {b * 1e6:.1f} per million chars; "
              f"PSS = {c / 2**20:.0f} MB + {d * 1e6 / 2**20:.0f} MB per million chars")
        print(f"extrapolated to 100x the full corpus ({target:,} chars): "
              f"{(a + b * target) / 3600:.1f} h, {(c + d * target) / 2**30:.1f} GB peak PSS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
