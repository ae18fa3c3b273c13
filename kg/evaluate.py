"""Score a graph against gold passages (GUIDELINES format), as ``kg train`` reports it.

The rules are those of the annotation guidelines and of the project's outside
scorer: an entity of the graph matches a gold entity of its type when one of
its labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``), folded
like a name (:func:`kg.gold.fold_name`), is the gold canonical name or an
alias; optional gold entities, and relations or figures touching them, count
neither way. Relations are found along their closure (``subsidiaryOf``,
``locatedIn`` and ``partOf`` are transitive; ``implementedIn`` follows
``locatedIn``); a figure matches on its subject and on its value within
0.5 %.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.gold import GoldPassage, fold_name
from kg.model import ENTITY_TYPES, RELATION_TYPES

_TRANSITIVE = {"subsidiaryOf", "locatedIn", "partOf"}
#: graph classes, most specific first (a Subsidiary is also an Organization)
_CLASS_ORDER = ("SUBSIDIARY", "ORG", "PLACE", "PROGRAM", "PLATFORM")


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Scores:
    """Counts per entity type, per relation and for figures."""

    entities: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    measurements: Counts = field(default_factory=Counts)

    def total(self, part: str) -> Counts:
        """All entity types (``"entities"``) or all relations (``"relations"``) together."""
        out = Counts()
        for c in getattr(self, part).values():
            out.add(c)
        return out


class _Gold:
    """Gold entities merged across passages by type and name (as the graph merges them)."""

    def __init__(self, passages: Sequence[GoldPassage]) -> None:
        self.types: list[str] = []
        self.names: list[set[str]] = []
        self.optional: list[bool] = []
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.relations: set[tuple[int, str, int]] = set()
        firm: set[tuple[int, str, int]] = set()
        self.optional_relations: set[tuple[int, str, int]] = set()
        self.figures: list[tuple[int, float, bool]] = []
        for p in passages:
            local = {}
            for e in p.entities:
                idx = self._merge(e.type, set(e.names), e.optional)
                local[fold_name(e.canonical)] = idx
            for h, rel, t, opt in p.relations:
                hi, ti = local.get(fold_name(h)), local.get(fold_name(t))
                if hi is None or ti is None:
                    continue
                self.relations.add((hi, rel, ti))
                (self.optional_relations if opt else firm).add((hi, rel, ti))
            for m in p.measurements:
                s = local.get(fold_name(str(m.get("subject"))))
                try:
                    value = float(m["value"])
                except (KeyError, TypeError, ValueError):
                    continue
                if s is not None:
                    self.figures.append((s, value, bool(m.get("optional"))))
        self.optional_relations -= firm

    def _merge(self, etype: str, names: set[str], optional: bool) -> int:
        for n in names:
            for idx in self.by_name.get(n, ()):
                if self.types[idx] == etype:
                    self.names[idx] |= names
                    self.optional[idx] = self.optional[idx] and optional
                    for m in names:
                        self.by_name[m].add(idx)
                    return idx
        self.types.append(etype)
        self.names.append(set(names))
        self.optional.append(optional)
        idx = len(self.types) - 1
        for n in names:
            self.by_name[n].add(idx)
        return idx

    def match(self, labels: set[str], etype: str | None = None) -> set[int]:
        return {
            i for lab in labels for i in self.by_name.get(lab, ()) if etype is None or self.types[i] == etype
        }

    def relation_optional(self, h: int, rel: str, t: int) -> bool:
        return self.optional[h] or self.optional[t] or (h, rel, t) in self.optional_relations


def _graph_entities(graph) -> dict:
    """node -> (TYPE, folded labels), each node typed by its most specific class."""
    from rdflib import RDF, RDFS
    from rdflib.namespace import SKOS

    from kg.vocab import KG

    classes = {
        "SUBSIDIARY": KG.Subsidiary,
        "ORG": KG.Organization,
        "PLACE": KG.Place,
        "PROGRAM": KG.Program,
        "PLATFORM": KG.Platform,
    }
    subclasses: dict = {}
    for name in _CLASS_ORDER:
        subclasses[name] = {classes[name], *graph.transitive_subjects(RDFS.subClassOf, classes[name])}
    out = {}
    for name in _CLASS_ORDER:
        for cls in subclasses[name]:
            for node in graph.subjects(RDF.type, cls):
                if node in out:
                    continue
                labels = set()
                for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
                    labels |= {fold_name(str(o)) for o in graph.objects(node, prop)}
                labels.discard("")
                out[node] = (name, labels)
    return out


def score_graph(graph, passages: Sequence[GoldPassage]) -> Scores:
    """Score ``graph`` (an rdflib ``Graph`` with the ontology or without) against gold passages.

    Args:
        graph: The built graph.
        passages: The gold passages it was built from.

    Returns:
        The counts.
    """
    from kg.vocab import KG

    gold = _Gold(passages)
    ents = _graph_entities(graph)
    out = Scores()
    node_gold: dict = {}
    found: dict[str, set[int]] = defaultdict(set)
    fp: dict[str, int] = defaultdict(int)
    for node, (etype, labels) in ents.items():
        hits = gold.match(labels, etype)
        node_gold[node] = hits
        if not hits:
            fp[etype] += 1
        else:
            found[etype] |= {i for i in hits if not gold.optional[i]}
    for etype in ENTITY_TYPES:
        required = {i for i, t in enumerate(gold.types) if t == etype and not gold.optional[i]}
        out.entities[etype] = Counts(len(found[etype] & required), fp[etype], len(required - found[etype]))
    for rel in RELATION_TYPES:
        out.relations[rel] = _relation_counts(graph, gold, ents, node_gold, rel, KG)
    out.measurements = _figure_counts(graph, gold, node_gold, KG)
    return out


def _relation_counts(graph, gold: _Gold, ents: dict, node_gold: dict, rel: str, KG) -> Counts:
    prop = KG[rel]
    fp = 0
    for h, t in graph.subject_objects(prop):
        hs, ts = node_gold.get(h, set()), node_gold.get(t, set())
        if not hs or not ts:
            places = ents.get(h, ("",))[0] == "PLACE" and ents.get(t, ("",))[0] == "PLACE"
            fp += not (rel == "locatedIn" and places)
            continue
        pairs = {(a, b) for a in hs for b in ts}
        if any((a, rel, b) in gold.relations for a, b in pairs):
            continue
        if all(gold.optional[a] or gold.optional[b] for a, b in pairs):
            continue
        if rel == "locatedIn" and all(gold.types[a] == "PLACE" for a in hs):
            continue
        fp += 1
    closure = _closure(graph, prop, rel, KG)
    reached = {(a, b) for h, t in closure for a in node_gold.get(h, ()) for b in node_gold.get(t, ())}
    required = {(h, t) for h, r, t in gold.relations if r == rel and not gold.relation_optional(h, r, t)}
    return Counts(len(required & reached), fp, len(required - reached))


def _closure(graph, prop, rel: str, KG) -> set:
    """``(head, tail)`` node pairs that ``rel`` reaches, with its implied facts."""
    direct: dict = defaultdict(set)
    for h, t in graph.subject_objects(prop):
        direct[h].add(t)
    located: dict = defaultdict(set)
    for h, t in graph.subject_objects(KG.locatedIn):
        located[h].add(t)

    def reach(start, edges) -> set:
        seen, stack = set(), list(edges.get(start, ()))
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(edges.get(n, ()))
        return seen

    out = set()
    for h, tails in direct.items():
        if rel in _TRANSITIVE:
            out |= {(h, t) for t in reach(h, direct)}
        elif rel == "implementedIn":
            for t in tails:
                out.add((h, t))
                out |= {(h, u) for u in reach(t, located)}
        else:
            out |= {(h, t) for t in tails}
    return out


def _figure_counts(graph, gold: _Gold, node_gold: dict, KG) -> Counts:
    from rdflib import RDF

    required = [(s, v) for s, v, opt in gold.figures if not gold.optional[s] and not opt]
    optional = [(s, v) for s, v, opt in gold.figures if gold.optional[s] or opt]
    hit: set[int] = set()
    fp = 0
    for m in graph.subjects(RDF.type, KG.Measurement):
        subj = graph.value(m, KG.subject)
        val = graph.value(m, KG.value)
        try:
            v = float(val)
        except (TypeError, ValueError):
            fp += 1
            continue
        ss = node_gold.get(subj, set())
        ok = False
        for k, (gs, gv) in enumerate(required):
            if gs in ss and _close(v, gv):
                hit.add(k)
                ok = True
        if ok:
            continue
        if ss and all(gold.optional[i] for i in ss):
            continue
        if any(gs in ss and _close(v, gv) for gs, gv in optional):
            continue
        fp += 1
    return Counts(len(hit), fp, len(required) - len(hit))


def score_rows(scores: Scores) -> list[tuple[str, Counts]]:
    """``(name, counts)`` per entity type, all entities, per relation, all relations, figures."""
    rows = [(t, scores.entities[t]) for t in ENTITY_TYPES]
    rows.append(("entities", scores.total("entities")))
    rows += [(r, scores.relations[r]) for r in RELATION_TYPES]
    rows.append(("relations", scores.total("relations")))
    rows.append(("measurements", scores.measurements))
    return rows


@dataclass(frozen=True)
class MeanScore:
    """Mean precision, recall and F1 over folds."""

    precision: float
    recall: float
    f1: float


def mean_rows(folds: Sequence[Scores]) -> list[tuple[str, MeanScore]]:
    """The rows of :func:`score_rows`, averaged over folds (the mean of per-fold figures)."""
    per_fold = [score_rows(s) for s in folds]
    out = []
    for k, (name, _) in enumerate(per_fold[0]):
        cs = [rows[k][1] for rows in per_fold]
        n = len(cs)
        out.append(
            (
                name,
                MeanScore(
                    sum(c.precision for c in cs) / n, sum(c.recall for c in cs) / n, sum(c.f1 for c in cs) / n
                ),
            )
        )
    return out


def _close(value: float, gold: float) -> bool:
    """A figure's value matches the gold one within 0.5 %."""
    return abs(value - gold) <= max(1e-9, 0.005 * abs(gold))


def format_rows(rows) -> list[str]:
    """Lines of a small table of ``(name, counts or mean)`` rows: P, R and F1."""
    lines = [f"{'':14s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for name, c in rows:
        lines.append(f"{name:14s} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}")
    return lines
