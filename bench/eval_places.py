"""Measure the ``kg_places`` component against the PLACE entities of a gold set.

    python bench/eval_places.py [/work/shared/eval/dev.jsonl] [--show]

Scores per passage (gold PLACE names vs predicted names, normalised as the
scorer does) and over the merged set of names, ignoring optional gold places.
"""

from __future__ import annotations

import argparse
import json
import unicodedata

from opencc import OpenCC

from extractors.places import PlaceRecognizer

STRIP = set("“”‘’「」『』《》〈〉\"' \t\r\n\u3000·・")
_cc = OpenCC("t2s")


def norm(name: str) -> str:
    """Normalise a name as ``score.py`` does."""
    s = _cc.convert(unicodedata.normalize("NFKC", str(name)))
    return "".join(ch for ch in s if ch not in STRIP).lower()


def main() -> None:
    """Print precision, recall and F1 of PLACE mentions."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default="/work/shared/eval/dev.jsonl")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    rec = PlaceRecognizer()
    tp = fp = fn = 0
    for line in open(args.gold, encoding="utf-8"):
        r = json.loads(line)
        text = _cc.convert(unicodedata.normalize("NFKC", r["text"]))
        gold = [({norm(e["canonical"])} | {norm(a) for a in e.get("aliases", [])}, e.get("optional", False))
                for e in r["entities"] if e["type"] == "PLACE"]
        pred = {}
        for m in rec.match_text(text):
            pred.setdefault(m.canonical, {norm(m.canonical)} | {norm(a) for a in m.aliases})
        matched = set()
        for canon, names in pred.items():
            hit = [k for k, (g, _) in enumerate(gold) if g & names]
            if not hit:
                fp += 1
                if args.show:
                    print(f"FP {r['id']}: {canon}")
                continue
            matched.update(hit)
        for k, (g, opt) in enumerate(gold):
            if opt:
                continue
            if k in matched:
                tp += 1
            else:
                fn += 1
                if args.show:
                    print(f"FN {r['id']}: {sorted(g)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    print(f"PLACE tp={tp} fp={fp} fn={fn} P={p:.3f} R={rc:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
