"""Shared helpers of the benchmarks: corpus replication, child-process peak memory, tables.

Benchmarks print numbers measured in the same run and ratios between them;
they assert nothing about time (machines are noisy).
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Two-character province names: swapping one for another keeps every length,
# so the copies differ in their places without changing the text's shape.
PROVINCES = (
    "北京", "天津", "河北", "山西", "辽宁", "吉林", "上海", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
)
_PROVINCE_RE = re.compile("|".join(PROVINCES))


def vary_text(text: str, copy: int) -> str:
    """A deterministic variant of ``text`` for copy number ``copy`` (0 is the original).

    Digits are shifted by ``copy % 10`` and province names rotated by
    ``copy // 10`` positions, so copies 0..239 are pairwise different while
    keeping the length and structure of the text.
    """
    if copy == 0:
        return text
    shift, rot = copy % 10, (copy // 10) % len(PROVINCES)
    if shift:
        text = text.translate({ord(str(d)): str((d + shift) % 10) for d in range(10)})
    if rot:
        index = {p: i for i, p in enumerate(PROVINCES)}
        text = _PROVINCE_RE.sub(lambda m: PROVINCES[(index[m.group()] + rot) % len(PROVINCES)], text)
    return text


def replicate(docs: Sequence, copies: int) -> Iterable:
    """``copies`` varied copies of every document, streamed (ids get ``~N``)."""
    for c in range(copies):
        for d in docs:
            if c == 0:
                yield d
            else:
                yield dataclasses.replace(d, id=f"{d.id}~{c}", text=vary_text(d.text, c),
                                          source=f"{d.source}~{c}" if d.source else None)


def write_jsonl(docs: Iterable, path: Path) -> tuple[int, int]:
    """Write documents as JSON Lines; returns ``(documents, characters)``."""
    n = chars = 0
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            record = {k: v for k, v in dataclasses.asdict(d).items() if v is not None}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            chars += len(d.text)
    return n, chars


def run_measured(
    cmd: Sequence[str], *, env: dict | None = None, poll: float = 0.5, peaks: dict | None = None
) -> tuple[float, int, int, str]:
    """Run ``cmd``; return wall seconds, peak memory of the process tree (bytes), exit code and stderr.

    The tree's memory (the process and all its workers) is sampled every
    ``poll`` seconds with psutil as PSS where the system reports it (Linux):
    forked workers share pages with their parent, and PSS counts a shared
    page once across them, where summed RSS would count it per process.
    ``peaks``, when given, also receives ``"rss"``: the largest RSS of any
    single process of the tree.
    """
    import psutil

    t0 = time.perf_counter()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [p for p in (ps, *ps.children(recursive=True)) if p.is_running()]
            peak = max(peak, sum(_pss(p) for p in procs))
            if peaks is not None:
                peaks["rss"] = max(peaks.get("rss", 0), *(p.memory_info().rss for p in procs))
        except psutil.Error:
            pass
        time.sleep(poll)
    seconds = time.perf_counter() - t0
    err.seek(0)
    stderr = err.read().decode(errors="replace")
    err.close()
    if proc.returncode:
        sys.stderr.write(stderr)
    return seconds, peak, proc.returncode, stderr


def _pss(proc) -> int:
    try:
        return proc.memory_full_info().pss
    except AttributeError:  # no PSS outside Linux
        return proc.memory_info().rss


def kg_command() -> list[str]:
    """``kg`` run with this interpreter (works from a checkout without installing the script)."""
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def machine() -> str:
    """One line describing this machine."""
    try:
        load = f"load average {os.getloadavg()[0]:.1f}"
    except OSError:
        load = ""
    cpu = platform.processor() or platform.machine()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GB, "
        f"Python {platform.python_version()}, {load}"
    )


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A Markdown table."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
