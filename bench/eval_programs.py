"""Precision/recall of the PROGRAM and PLATFORM components on the dev gold set.

    python bench/eval_programs.py [--gold PATH] [--show]
    python bench/eval_programs.py --corpus OUT.tsv [--sample N] [--seed S]

Passages are NFKC-normalised and converted to Simplified (OpenCC t2s), run
through ``spacy.blank("zh")`` (jieba) + ``kg_programs`` + ``kg_platforms``, and
compared with gold PROGRAM/PLATFORM entities the way ``score.py`` does: a
predicted entity matches when its canonical name or an alias equals, after
normalisation, the gold canonical or an alias; optional gold entities count
neither way; gold entities are merged across passages.

``--corpus`` runs the two components over the whole bundled corpus (prepared
as ``kg build`` prepares it) and writes one row per distinct name: label,
canonical, rule, mention count and one evidence sentence; ``--sample`` also
prints a random sample of each type for judging precision by hand.
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


def corpus_names(out: Path) -> dict[str, list[list[str]]]:
    """Run the components over the bundled corpus and write the distinct names.

    Args:
        out: TSV file to write (label, canonical, rule, count, sentence).

    Returns:
        ``{label: rows}`` with one row per distinct canonical name.
    """
    from kg.documents import bundled_corpus
    from kg.textprep import prepare

    nlp = build_nlp()
    rows: dict[tuple[str, str], list] = {}
    for document in bundled_corpus():
        for seg in prepare(document):
            doc = nlp.make_doc(seg.text)
            init_doc(doc, {"publisher": document.publisher, "year": seg.year, "doc_id": document.id})
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            for m in doc._.kg_mentions:
                if m.label not in TYPES:
                    continue
                sent = next((seg.text[a:b] for a, b in seg.sentences if a <= m.start < b), "")
                row = rows.setdefault(m.key, [m.label, m.canonical, m.attrs.get("source", ""), 0,
                                              sent.replace("\n", " ").replace("\t", " ")[:200]])
                row[3] += 1
    by_label: dict[str, list[list[str]]] = defaultdict(list)
    with out.open("w", encoding="utf-8") as f:
        for row in sorted(rows.values()):
            f.write("\t".join(map(str, row)) + "\n")
            by_label[row[0]].append([str(x) for x in row])
    return by_label


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", action="store_true", help="print false positives and misses")
    ap.add_argument("--corpus", type=Path, help="write the names found in the bundled corpus here")
    ap.add_argument("--sample", type=int, default=0, help="with --corpus: print N random names per type")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.corpus:
        import random

        by_label = corpus_names(args.corpus)
        for label in TYPES:
            rows = by_label[label]
            print(f"{label}: {len(rows)} names")
            for row in random.Random(args.seed).sample(rows, min(args.sample, len(rows))):
                print("  " + " | ".join((row[1], row[2], row[4][:120])))
        return
    result = evaluate(args.gold, args.show)
    for label, r in result.items():
        print(f"{label:9s} P={r['precision']:.3f} R={r['recall']:.3f}  "
              f"tp={r['tp']} fp={r['fp']} fn={r['fn']}")


if __name__ == "__main__":
    main()
