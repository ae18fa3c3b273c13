"""Print the extraction quality on the gold passages, with ``kg build`` as the system.

    python bench/score_dev.py [GOLD.jsonl] [--show N]

Runs ``../shared/eval/score.py`` (the project's outside scorer) with
``--build "kg build {input} --out {out} --no-html"`` and prints its report;
the last line is the one-line summary.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent.parent / "shared" / "eval"


def main() -> int:
    """Run the scorer and pass its exit code on."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", type=Path, default=EVAL / "dev.jsonl")
    ap.add_argument("--scorer", type=Path, default=EVAL / "score.py")
    ap.add_argument("--show", type=int, default=0, help="examples of each kind of error to print")
    args = ap.parse_args()
    kg = shutil.which("kg")
    if kg is None:
        sys.exit("bench/score_dev.py: the `kg` command is not installed (pip install .)")
    if not args.scorer.is_file():
        sys.exit(f"bench/score_dev.py: no scorer at {args.scorer}")
    cmd = [sys.executable, str(args.scorer), str(args.gold), "--show", str(args.show),
           "--build", f"{kg} build {{input}} --out {{out}} --no-html -q"]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
