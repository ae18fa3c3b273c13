"""Pairwise merge precision and recall of entity resolution against the cluster gold.

    python bench/eval_resolution.py [GRAPH|BUILD_DIR] [--gold bench/data/clusters.jsonl] [--show N]

Without a graph, the bundled corpus is built into a temporary folder first.
The gold (``bench/data/clusters.jsonl``, see ``bench/README.md``) lists the
names of the bundled graph's organisations, subsidiaries, programs and
platforms, each in the cluster of the names that denote the same thing.
Every gold name is looked up in the graph: the node whose ``rdfs:label``
it is (folded as the scorer folds), else the one node of its family that
has it as an ``skos:altLabel``. Over all pairs of names found:

- a pair in one gold cluster and on one node is a true positive;
- a pair on one node but in two gold clusters is a false merge;
- a pair in one gold cluster but on two nodes is a missed merge.

Names not found (extraction changed, or the label was shared and dropped)
are counted and left out of the pairs. The pairs of a cluster marked
``"optional": true`` (the text does not settle it) count neither way.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "clusters.jsonl"
FAMILY = {"Organization": "org", "Subsidiary": "org", "Program": "program", "Platform": "platform"}


def graph_labels(path: Path) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], set[str]]]:
    """``(family, folded label) -> node`` and ``(family, folded altLabel) -> nodes`` of a graph."""
    from rdflib import RDF, RDFS, Graph
    from rdflib.namespace import SKOS

    from kg.resolution.text import fold

    g = Graph().parse(path, format="turtle")
    kg_ns = "https://w3id.org/initiative-kg/ontology#"
    pref: dict[tuple[str, str], str] = {}
    alt: dict[tuple[str, str], set[str]] = defaultdict(set)
    for node, cls in g.subject_objects(RDF.type):
        name = str(cls).removeprefix(kg_ns)
        family = FAMILY.get(name)
        if family is None:
            continue
        for label in g.objects(node, RDFS.label):
            if getattr(label, "language", None) == "zh-Hans":
                pref[(family, fold(str(label)))] = str(node)
        for label in g.objects(node, SKOS.altLabel):
            alt[(family, fold(str(label)))].add(str(node))
    return pref, alt


def pairwise(gold: list[dict], pref: dict, alt: dict) -> dict:
    """Pairwise counts and the found/missing names of ``gold`` in a graph's labels."""
    from kg.resolution.text import fold

    node_of: dict[tuple[str, str], str] = {}
    cluster_of: dict[tuple[str, str], int] = {}
    optional: set[int] = {i for i, c in enumerate(gold) if c.get("optional")}
    missing = []
    for i, c in enumerate(gold):
        for n in c["names"]:
            key = (c["family"], fold(n))
            node = pref.get(key) or (next(iter(alt[key])) if len(alt.get(key, ())) == 1 else None)
            if node is None:
                missing.append(n)
                continue
            node_of[key], cluster_of[key] = node, i
    tp, false_merges, missed = 0, [], []
    by_node: dict[str, list] = defaultdict(list)
    for key, node in node_of.items():
        by_node[node].append(key)
    for a, b in combinations(sorted(node_of), 2):
        same_gold, same_node = cluster_of[a] == cluster_of[b], node_of[a] == node_of[b]
        if same_gold and cluster_of[a] in optional:
            continue  # a pair the reader could not decide counts neither way
        if same_gold and same_node:
            tp += 1
        elif same_node:
            false_merges.append((a[1], b[1]))
        elif same_gold:
            missed.append((a[1], b[1]))
    p = tp / (tp + len(false_merges)) if tp + len(false_merges) else 1.0
    r = tp / (tp + len(missed)) if tp + len(missed) else 1.0
    return {"names": len(node_of), "missing": missing, "tp": tp, "false_merges": false_merges,
            "missed": missed, "precision": p, "recall": r,
            "clusters": sum(1 for c in gold if len(c["names"]) > 1 and not c.get("optional"))}


def main() -> int:
    """Print pairwise precision and recall (and examples of errors)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", nargs="?", type=Path,
                    help="graph.ttl or a kg build folder (default: build the bundled corpus)")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--show", type=int, default=10, help="errors of each kind to print")
    args = ap.parse_args()
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.graph
        if path is None:
            path = Path(tmp) / "out"
            kg = shutil.which("kg")
            if kg is None:
                sys.exit("bench/eval_resolution.py: the `kg` command is not installed (pip install .)")
            subprocess.run([kg, "build", "--out", str(path), "--no-html", "-q"], check=True)
        if path.is_dir():
            path = path / "graph.ttl"
        result = pairwise(gold, *graph_labels(path))
    names = sum(len(c["names"]) for c in gold)
    pairs = sum(len(c["names"]) * (len(c["names"]) - 1) // 2 for c in gold if not c.get("optional"))
    print(f"gold: {len(gold)} clusters of {names} names, {result['clusters']} with duplicates "
          f"({pairs} pairs; optional clusters not counted)")
    print(f"found {result['names']} names in the graph, {len(result['missing'])} missing")
    for kind in ("false_merges", "missed"):
        for a, b in result[kind][: args.show]:
            print(f"  {kind.replace('_', ' ')}: {a} ~ {b}")
    print(f"pairwise precision={result['precision']:.3f} recall={result['recall']:.3f} "
          f"(tp={result['tp']} false merges={len(result['false_merges'])} missed={len(result['missed'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
