"""Precision/recall of the PROGRAM and PLATFORM components on the dev gold set.

    python bench/eval_programs.py [--gold PATH] [--show]

Passages are NFKC-normalised and converted to Simplified (OpenCC t2s), run
through ``spacy.blank("zh")`` (jieba) + ``kg_programs`` + ``kg_platforms``, and
compared with gold PROGRAM/PLATFORM entities the way ``score.py`` does: a
predicted entity matches when its canonical name or an alias equals, after
normalisation, the gold canonical or an alias; optional gold entities count
neither way; gold entities are merged across passages.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import spacy
from opencc import OpenCC

import extractors.platforms  # noqa: F401  (registers kg_platforms)
import extractors.programs  # noqa: F401  (registers kg_programs)
from extractors import init_doc

GOLD = Path("/work/shared/eval/dev.jsonl")
SCORE = Path("/work/shared/eval/score.py")
TYPES = ("PROGRAM", "PLATFORM")


def _load_score():
    spec = importlib.util.spec_from_file_location("kg_eval_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_nlp():
    """The pipeline under test: blank zh (jieba) + the two components."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("kg_programs")
    nlp.add_pipe("kg_platforms")
    return nlp


def evaluate(gold_path: Path, show: bool = False) -> dict:
    """Run the components on every gold passage and score them.

    Args:
        gold_path: Gold JSON Lines file.
        show: Print false positives and misses per passage.

    Returns:
        ``{type: {"tp", "fp", "fn", "precision", "recall"}}``.
    """
    score = _load_score()
    cc = OpenCC("t2s")
    lines = gold_path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    gold = score.Gold(records)
    nlp = build_nlp()
    found: dict[str, set[int]] = defaultdict(set)
    fp: dict[str, int] = defaultdict(int)
    for rec in records:
        text = cc.convert(unicodedata.normalize("NFKC", rec["text"]))
        doc = nlp.make_doc(text)
        init_doc(doc, {"publisher": rec.get("publisher"), "year": rec.get("year"), "doc_id": rec["id"]})
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        ents: dict[tuple[str, str], set[str]] = defaultdict(set)
        for m in doc._.kg_mentions:
            if m.label in TYPES:
                ents[(m.label, m.canonical)] |= {score.norm(n) for n in (m.canonical, m.surface, *m.aliases)}
        local_fp, local_ok = [], []
        for (label, canon), names in sorted(ents.items()):
            names.discard("")
            hits = gold.match(names, label)
            if not hits:
                fp[label] += 1
                other = gold.match(names)
                local_fp.append(f"{label[:4]}:{canon}" + (" (wrong type)" if other else ""))
                continue
            if all(gold.entities[i]["optional"] for i in hits):
                continue
            found[label] |= {i for i in hits if not gold.entities[i]["optional"]}
            local_ok.append(canon)
        if show:
            print(f"== {rec['id']}  ok={local_ok}")
            if local_fp:
                print("   FP:", local_fp)
    result = {}
    for label in TYPES:
        required = {i for i, e in enumerate(gold.entities) if e["type"] == label and not e["optional"]}
        tp = len(found[label] & required)
        fn_ids = required - found[label]
        p = tp / (tp + fp[label]) if tp + fp[label] else 0.0
        r = tp / len(required) if required else 0.0
        result[label] = {"tp": tp, "fp": fp[label], "fn": len(fn_ids), "precision": round(p, 3),
                         "recall": round(r, 3)}
        if show:
            print(f"{label} misses:", sorted(gold.name(i) for i in fn_ids))
    return result


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", action="store_true", help="print false positives and misses")
    args = ap.parse_args()
    result = evaluate(args.gold, args.show)
    for label, r in result.items():
        print(f"{label:9s} P={r['precision']:.3f} R={r['recall']:.3f}  "
              f"tp={r['tp']} fp={r['fp']} fn={r['fn']}")


if __name__ == "__main__":
    main()
