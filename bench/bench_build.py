"""Build throughput: the full pipeline against bare jieba segmentation of the same text.

A measurement, not a test: prints a table of times measured in this run and
the ratios between them.

    python bench/bench_build.py [--limit CHARS] [--workers 2] [--skip-pipe] [--cli-runs 3]

Rows: jieba alone (``jieba.lcut`` of every document, the floor any spaCy +
jieba pipeline stands on); extraction in this process; full ``kg build`` with
1 and N worker processes (extraction, resolution, assembly, Turtle); spaCy's
``nlp.pipe(n_process=N)`` on the tokenizer alone (the option explosion/spaCy
#4935 and #5088 report as gaining little for Chinese); and an incremental
rebuild after adding one document to a cached build.

Then the command line as a user types it, each a whole process run
``--cli-runs`` times (after one warm-up run), min / median / max of the wall
time: ``kg --help`` (start-up), ``kg build --out DIR`` with the defaults (one
worker per usable core, graph.html included) and ``kg build --out DIR -j 1``
(without ``--limit`` they build the bundled corpus; with it, a JSON Lines
file of the cut documents). Every ratio is against the jieba row of the same
run.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import kg_command, machine, table, vary_text, write_jsonl


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="Use the first CHARS characters of each document.")
    ap.add_argument("--workers", type=int, default=2, help="Worker processes of the parallel build.")
    ap.add_argument("--skip-pipe", action="store_true", help="Skip the nlp.pipe(n_process) measurement.")
    ap.add_argument("--cli-runs", type=int, default=3, help="Runs of each whole-process row.")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)

    import jieba

    from kg.build import build
    from kg.cache import ExtractionCache
    from kg.documents import bundled_corpus
    from kg.pipeline import build_nlp, default_nlp
    from kg.schedule import extract_all
    from kg.textprep import prepare

    docs = bundled_corpus()
    if args.limit:
        docs = [dataclasses.replace(d, text=d.text[: args.limit]) for d in docs]
    chars = sum(len(d.text) for d in docs)
    rows = []

    def row(name: str, seconds: float, base: float | None, note: str = "") -> None:
        ratio = f"{seconds / base:.1f}x" if base else ""
        rows.append([name, f"{seconds:.1f}", f"{chars / seconds:,.0f}", ratio, note])

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    t = time.perf_counter()
    for d in docs:
        jieba.lcut(d.text)
    t_jieba = time.perf_counter() - t
    row("jieba.lcut (baseline)", t_jieba, t_jieba)

    t = time.perf_counter()
    default_nlp()
    t_init = time.perf_counter() - t

    t = time.perf_counter()
    for d in docs:
        prepare(d)
    row("text preparation alone", time.perf_counter() - t, t_jieba)

    t = time.perf_counter()
    list(extract_all(docs, workers=1))
    row("extraction, 1 process", time.perf_counter() - t, t_jieba, f"+ {t_init:.1f}s pipeline init (once)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = tmp / "corpus.jsonl"
        write_jsonl(docs, inputs)
        t = time.perf_counter()
        s1 = build([inputs], tmp / "w1", workers=1, html=False)
        row("kg build, 1 process", time.perf_counter() - t, t_jieba, f"{s1.triples:,} triples")
        t = time.perf_counter()
        sn = build([inputs], tmp / "wn", workers=args.workers, html=False)
        note = f"{sn.triples:,} triples; forked workers share the pipeline"
        row(f"kg build, {args.workers} workers", time.perf_counter() - t, t_jieba, note)
        same = (tmp / "w1" / "graph.ttl").read_bytes() == (tmp / "wn" / "graph.ttl").read_bytes()
        rows[-1][-1] += "; graph.ttl identical" if same else "; graph.ttl DIFFERS"

        cache = tmp / "cache"
        build([inputs], tmp / "c", workers=1, html=False, cache_dir=cache)
        extra = dataclasses.replace(docs[-1], id=docs[-1].id + "~new", text=vary_text(docs[-1].text, 7))
        write_jsonl([*docs, extra], tmp / "plus.jsonl")
        t = time.perf_counter()
        build([tmp / "plus.jsonl"], tmp / "c2", workers=1, html=False, cache_dir=cache)
        stats = ExtractionCache(cache)
        hits = sum(1 for d in docs if stats.contains(d))
        row("rebuild after adding 1 document (cache)", time.perf_counter() - t, t_jieba,
            f"{hits}/{len(docs)} documents from cache, 1 extracted; resolve+assemble+Turtle of all")

    if not args.skip_pipe:
        texts = [seg.text for d in docs for seg in prepare(d)]
        tok = build_nlp(pipes=())
        for n in (1, args.workers):
            t = time.perf_counter()
            for _ in tok.pipe(texts, n_process=n, batch_size=16):
                pass
            row(f"spaCy nlp.pipe(n_process={n}), tokenizer only", time.perf_counter() - t, t_jieba)

    if args.cli_runs > 0:
        rows += cli_rows(docs if args.limit else None, args.cli_runs, t_jieba, chars)

    print(f"# kg build throughput — {machine()}")
    print(f"corpus: {len(docs)} documents, {chars:,} characters\n")
    print(table(rows, ["step", "seconds", "chars/s", "vs jieba", "note"]))
    return 0


def whole_process(cmd: list[str], runs: int) -> tuple[list[float], str]:
    """Wall seconds of ``runs`` runs of ``cmd`` as a process of its own, after one warm-up run.

    Returns:
        The times of the runs that succeeded, and the error of the last that failed ("" if none).
    """
    times, error = [], ""
    for k in range(runs + 1):
        t = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            lines = done.stderr.strip().splitlines()
            error = lines[-1] if lines else f"exit {done.returncode}"
            print(f"{' '.join(cmd)} failed: {error}", file=sys.stderr, flush=True)
        elif k:  # the first run warms the page cache and jieba's dictionary cache
            times.append(time.perf_counter() - t)
    return times, error


def cli_rows(docs, runs: int, t_jieba: float, chars: int) -> list[list[str]]:
    """Rows of the command line as typed: ``kg --help``, ``kg build --out DIR`` with defaults and ``-j 1``."""
    from kg.schedule import usable_cores

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = []
        if docs is not None:
            write_jsonl(docs, tmp / "corpus.jsonl")
            inputs = [str(tmp / "corpus.jsonl")]
        script = Path(sys.executable).parent / "kg"  # the installed command, as a user runs it
        kg = [str(script)] if script.is_file() else kg_command()
        cases = [
            ("kg --help (start-up)", [*kg, "--help"], ""),
            ("kg build --out DIR (defaults)", [*kg, "build", *inputs, "--out", str(tmp / "a")],
             f"{usable_cores()} usable cores; graph.html included"),
            ("kg build --out DIR -j 1", [*kg, "build", *inputs, "--out", str(tmp / "b"), "-j", "1"],
             "graph.html included"),
        ]
        for name, cmd, note in cases:
            times, error = whole_process(cmd, runs)
            if not times:
                out.append([f"whole process: {name}", "failed", "", "", error])
                continue
            med = statistics.median(times)
            spread = f"min {min(times):.1f} / median {med:.1f} / max {max(times):.1f} s, {len(times)} runs"
            out.append([f"whole process: {name}", f"{med:.1f}", f"{chars / med:,.0f}",
                        f"{med / t_jieba:.1f}x", f"{spread}; {note}".rstrip("; ")])
            print("measured:", " | ".join(out[-1]), file=sys.stderr, flush=True)
        a, b = tmp / "a" / "graph.ttl", tmp / "b" / "graph.ttl"
        if a.is_file() and b.is_file():
            out[-1][-1] += "; graph.ttl identical to the default's" if a.read_bytes() == b.read_bytes() else (
                "; graph.ttl DIFFERS")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
