"""Cross-validated extraction quality: fit on dev + 4 folds of train, score the 5th.

    python bench/crossval.py [--folds 5] [--seed 13] [--show N] [--keep DIR] [--rules]
    python bench/crossval.py --reuse-models DIR --keep DIR2 --threshold PLATFORM=0.3 --threshold partner=0.3

For each fold of ``../shared/eval/train.jsonl`` (split by passage with a fixed
seed) the learned components are trained (:func:`kg.train.fit`) on
``dev.jsonl`` plus the other folds, the held-out passages are built with
``kg build --model`` and scored by ``../shared/eval/score.py``. Dev is never
scored: the rules were written while reading it. Prints per-fold and mean
P/R/F1 per entity type, relation and for measurements; ``--rules`` scores the
rules alone (no model) on the same folds, as the baseline. ``--threshold``
rescores the fold models of ``--reuse-models`` with other decision thresholds
(an entity type, a relation, or ``subject``: the measurement subject model), without training.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
EVAL = HERE.parent.parent / "shared" / "eval"

from kg.gold import read_gold, split_folds  # noqa: E402

ENTITY_ROWS = ("ORG", "SUBSIDIARY", "PLACE", "PROGRAM", "PLATFORM", "ALL")
RELATION_ROWS = ("subsidiaryOf", "locatedIn", "operatedBy", "implementedIn", "partner", "partOf", "ALL")


def _write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line.rstrip("\n") + "\n" for line in lines), encoding="utf-8")


def _score(gold: Path, out: Path, model: str, scorer: Path, work: Path, show: int) -> dict:
    kg = shutil.which("kg")
    if kg is None:
        sys.exit("bench/crossval.py: the `kg` command is not installed (pip install -e .)")
    report = work / "score.json"
    cmd = [
        sys.executable,
        str(scorer),
        str(gold),
        "--show",
        str(show),
        "--json",
        str(report),
        "--build",
        f"{kg} build {{input}} --out {{out}} --no-html -q --model {model}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench/crossval.py: scoring failed:\n{proc.stdout}\n{proc.stderr}")
    if show:
        print(proc.stdout)
    return json.loads(report.read_text(encoding="utf-8"))


#: model files of a model folder whose models carry decision thresholds
THRESHOLD_FILES = ("entity_spans.json", "relations.json", "measurements.json")


def _with_thresholds(src: Path, dst: Path, thresholds: dict[str, float]) -> Path:
    """A copy of model folder ``src`` in ``dst`` with the named models' thresholds replaced."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    unused = set(thresholds)
    for name in THRESHOLD_FILES:
        path = dst / name
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        for key, model in models.items():
            if key in thresholds:
                model["threshold"] = thresholds[key]
                unused.discard(key)
        text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")
    if unused:
        sys.exit(f"bench/crossval.py: no model named {', '.join(sorted(unused))} in {src}")
    return dst


def _row(name: str, rows: list[dict]) -> str:
    p = sum(r["precision"] for r in rows) / len(rows)
    r_ = sum(r["recall"] for r in rows) / len(rows)
    f = sum(r["f1"] for r in rows) / len(rows)
    folds = " ".join(f"{r['f1']:.3f}" for r in rows)
    return f"| {name:14s} | {p:.3f} | {r_:.3f} | **{f:.3f}** | {folds} |"


def main() -> int:
    """Run the cross-validation and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=EVAL / "dev.jsonl")
    ap.add_argument("--train", type=Path, default=EVAL / "train.jsonl")
    ap.add_argument("--scorer", type=Path, default=EVAL / "score.py")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--only", type=int, nargs="*", help="run only these folds (0-based)")
    ap.add_argument("--show", type=int, default=0, help="error examples of each kind to print per fold")
    ap.add_argument("--rules", action="store_true", help="score the rules alone (no model), same folds")
    ap.add_argument("--keep", type=Path, help="keep fold models and data here")
    ap.add_argument(
        "--reuse-entities",
        type=Path,
        metavar="DIR",
        help="copy each fold's entity tagger from an earlier --keep DIR instead of training it",
    )
    ap.add_argument(
        "--reuse-models",
        type=Path,
        metavar="DIR",
        help="score the fold models of an earlier --keep DIR as they are (no training)",
    )
    ap.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="NAME=P",
        help="with --reuse-models: decide with threshold P for model NAME (PLATFORM, partner, subject)",
    )
    ap.add_argument("--json", type=Path, help="write the per-fold reports here")
    args = ap.parse_args()
    thresholds = {k: float(v) for k, _, v in (t.partition("=") for t in args.threshold)}
    if thresholds and not (args.reuse_models and args.keep):
        sys.exit("bench/crossval.py: --threshold needs --reuse-models DIR and --keep DIR2")

    from kg.train import candidate_examples, fit

    dev = read_gold([args.dev])
    train = read_gold([args.train])
    train_lines = [ln for ln in args.train.read_text(encoding="utf-8").splitlines() if ln.strip()]
    folds = split_folds(train, args.folds, args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-cv-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    examples = None if args.rules or args.reuse_models else candidate_examples([*dev, *train])
    by_passage: dict[int, list] = {}
    if examples is not None:
        index = {id(p): i for i, p in enumerate([*dev, *train])}
        for ex in examples:
            by_passage.setdefault(index[id(ex.passage)], []).append(ex)
    print(f"candidates of {len(dev) + len(train)} passages in {time.perf_counter() - t0:.1f}s", flush=True)
    reports = []
    for k, fold in enumerate(folds):
        if args.only is not None and k not in args.only:
            continue
        held = set(fold)
        fdir = work / f"fold{k}"
        fdir.mkdir(exist_ok=True)
        gold = fdir / "heldout.jsonl"
        _write_jsonl(gold, [train_lines[i] for i in fold])
        t = time.perf_counter()
        if args.rules:
            model = "none"
        elif args.reuse_models:
            model = str(args.reuse_models / f"fold{k}" / "model")
            if thresholds:
                model = str(_with_thresholds(Path(model), fdir / "model", thresholds))
        else:
            keep = list(range(len(dev))) + [len(dev) + i for i in range(len(train)) if i not in held]
            fit(
                [[*dev, *train][i] for i in keep],
                fdir / "model",
                examples=[ex for i in keep for ex in by_passage.get(i, [])],
                entity_model=(
                    args.reuse_entities / f"fold{k}" / "model" / "entities.crfsuite"
                    if args.reuse_entities
                    else None
                ),
                work=(args.reuse_entities or work) / f"fold{k}" / "jackknife",
            )
            model = str(fdir / "model")
        fit_s = time.perf_counter() - t
        rep = _score(gold, fdir, model, args.scorer, fdir, args.show)
        reports.append(rep)
        e, r, m = rep["entities"]["ALL"], rep["relations"]["ALL"], rep["measurements"]
        print(
            f"fold {k}: {len(fold)} passages, fit {fit_s:.0f}s: entity F1 {e['f1']:.3f}  "
            f"relation F1 {r['f1']:.3f}  measurement F1 {m['f1']:.3f}",
            flush=True,
        )
    print()
    print(
        f"Mean of {len(reports)} held-out folds (train.jsonl split by passage, seed {args.seed}; "
        f"{'rules only' if args.rules else 'fit on dev + the other folds'})"
    )
    print()
    print("| | precision | recall | F1 | F1 per fold |")
    print("|---|---|---|---|---|")
    for name in ENTITY_ROWS:
        print(_row(name if name != "ALL" else "entities", [rep["entities"][name] for rep in reports]))
    for name in RELATION_ROWS:
        print(_row(name if name != "ALL" else "relations", [rep["relations"][name] for rep in reports]))
    print(_row("measurements", [rep["measurements"] for rep in reports]))
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")
    ent = sum(rep["entities"]["ALL"]["f1"] for rep in reports) / len(reports)
    rel = sum(rep["relations"]["ALL"]["f1"] for rep in reports) / len(reports)
    mea = sum(rep["measurements"]["f1"] for rep in reports) / len(reports)
    print(f"\nsummary: entity_f1={ent:.3f} relation_f1={rel:.3f} measurement_f1={mea:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
