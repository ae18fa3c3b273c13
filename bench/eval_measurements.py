"""Measure the ``kg_measurements`` component alone on a gold set (``shared/eval/dev.jsonl``).

    python bench/eval_measurements.py [GOLD.jsonl] [--show N] [--no-join]

The full pipeline is not needed: each passage is prepared roughly as
``kg.textprep`` does (NFKC, Traditional->Simplified, PDF line wraps joined),
and the entity mentions are made **by this harness from the gold entity
names** (plus 公司/我们 as implicit mentions of the publisher), so that only
the measurement component is judged. The component itself never reads gold.

Scoring follows ``score.py``: a predicted figure matches a gold one when the
subject is the gold subject (any of its names) and ``|v - gv| <= 0.5% |gv|``;
figures about optional entities, and optional figures, count neither way.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path

import spacy
from opencc import OpenCC

from extractors import init_doc
from extractors.measurements import MeasurementParser
from kg.model import Mention

STRIP = set("“”‘’「」『』《》〈〉\"' \t\r\n\u3000·・")
_cc = OpenCC("t2s")
_IMPLICIT_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s，。；：、,;:（(\-•*」”]))(?:本公司|公司|我们|集团)(?![\u4e00-\u9fff]{0,1}(?:员工|名称))"
)


def norm(name: str) -> str:
    """Fold a name as ``score.py`` does."""
    s = _cc.convert(unicodedata.normalize("NFKC", str(name)))
    return "".join(ch for ch in s if ch not in STRIP).lower()


def prepare(text: str, join: bool = True) -> str:
    """Prepared text: ``kg.textprep.normalize`` where present, else a rough stand-in.

    The stand-in folds NFKC and Traditional->Simplified and joins PDF line wraps.
    """
    if join:
        try:
            from kg.textprep import normalize
        except ImportError:
            pass
        else:
            return normalize(text).text
    text = _cc.convert(unicodedata.normalize("NFKC", text))
    if not join:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    blank = 0
    for line in lines[1:]:
        if not line.strip():
            blank += 1
            continue
        prev = out[-1].strip()
        wrap = (
            len(prev) >= (18 if blank else 20)
            and prev[-1:] not in "。！？：；:;!?"
            and blank <= 1
            and not line.lstrip().startswith(("-", "•", "*"))
            and re.match(r"[\u4e00-\u9fff\d“”（(,，、。）)]", line.strip())
            and not re.fullmatch(r"[\d.,/%\s-]+", prev)
        )
        if wrap:
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.extend([""] * blank)
            out.append(line)
        blank = 0
    return "\n".join(out)


def gold_mentions(text: str, rec: dict) -> list[Mention]:
    """Mentions of the gold entities (longest names first, no overlaps) and implicit 公司/我们."""
    taken = [False] * len(text)
    found: list[Mention] = []
    names = []
    for e in rec["entities"]:
        for name in {e["canonical"], *e.get("aliases", [])}:
            n = "".join(ch for ch in _cc.convert(unicodedata.normalize("NFKC", name)) if ch not in STRIP)
            if n:
                names.append((n, e))
    names.sort(key=lambda x: -len(x[0]))
    for n, e in names:
        pattern = r"[\s“”「」『』\"'‘’《》]*".join(re.escape(ch) for ch in n)
        for m in re.finditer(pattern, text):
            if any(taken[m.start() : m.end()]):
                continue
            for k in range(m.start(), m.end()):
                taken[k] = True
            found.append(Mention(m.start(), m.end(), e["type"], e["canonical"], m.group()))
    pub = rec.get("publisher")
    if pub:
        for m in _IMPLICIT_RE.finditer(text):
            if not any(taken[m.start() : m.end()]):
                found.append(Mention(m.start(), m.end(), "ORG", pub, m.group(), implicit=True))
    return sorted(found, key=lambda m: m.start)


def evaluate(records: list[dict], join: bool = True) -> tuple[dict, list[str]]:
    """Run the component on every passage and score it.

    Args:
        records: Gold records.
        join: Join PDF line wraps when preparing text.

    Returns:
        The counts with P/R/F1, and one line per error.
    """
    nlp = spacy.blank("zh")
    parser = MeasurementParser()
    tp = fp = fn = 0
    errors: list[str] = []
    for rec in records:
        text = prepare(rec["text"], join)
        doc = nlp.make_doc(text)
        init_doc(doc, {"publisher": rec.get("publisher"), "year": rec.get("year"), "doc_id": rec["id"]})
        doc._.kg_mentions = gold_mentions(text, rec)
        parser(doc)
        ents = {norm(e["canonical"]): e for e in rec["entities"]}
        names = {
            norm(e["canonical"]): {norm(e["canonical"])} | {norm(a) for a in e.get("aliases", [])}
            for e in rec["entities"]
        }
        required, optional = [], []
        for m in rec["measurements"]:
            key = norm(m["subject"])
            opt = m.get("optional") or ents[key].get("optional")
            (optional if opt else required).append((names[key], float(m["value"]), m))
        hit = set()
        for item in doc._.kg_measurements:
            subj = norm(item.subject.canonical)
            v = float(item.value)
            ok = False
            for k, (ns, gv, _) in enumerate(required):
                if subj in ns and abs(v - gv) <= max(1e-9, 0.005 * abs(gv)):
                    hit.add(k)
                    ok = True
            if ok:
                continue
            if any(subj in ns and abs(v - gv) <= max(1e-9, 0.005 * abs(gv)) for ns, gv, _ in optional):
                continue
            if any(subj in names[k] for k in names if ents[k].get("optional")):
                continue
            fp += 1
            ctx = text[max(0, item.start - 12) : item.end + 4].replace("\n", "⏎")
            errors.append(
                f"FP {rec['id']} {item.subject.canonical}={item.value}{item.unit} "
                f"[{item.indicator}] y={item.year}  …{ctx}…"
            )
        for k, (_, _gv, m) in enumerate(required):
            if k not in hit:
                fn += 1
                errors.append(
                    f"FN {rec['id']} {m['subject']}={m['value']}{m.get('unit', '')} [{m.get('indicator')}]"
                )
        tp += len(hit)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}, errors


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, nargs="?", default=Path("/work/shared/eval/dev.jsonl"))
    ap.add_argument("--show", type=int, default=40, help="errors to print")
    ap.add_argument("--no-join", action="store_true", help="keep PDF line breaks")
    args = ap.parse_args()
    records = [
        json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    score, errors = evaluate(records, join=not args.no_join)
    for line in errors[: args.show]:
        print(line)
    print(
        f"measurements: P={score['precision']:.3f} R={score['recall']:.3f} F1={score['f1']:.3f}  "
        f"tp={score['tp']} fp={score['fp']} fn={score['fn']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
