"""Entity resolution: one node per real thing across documents and scripts.

Extractors already give every mention a canonical Simplified name (福建公司,
福建移动 and 中国移动福建公司 all become 中国移动福建公司 in a China Mobile
text; 爱“心”行动 becomes 爱心行动; 聯通雲 becomes 联通云 through text
preparation). Resolution then

1. refuses place groundings that the place named right before contradicts
   (:mod:`kg.resolution.grounding`);
2. groups mentions by ``(type, canonical)`` and settles type conflicts of one
   name: a name seen both as PROGRAM and as PLATFORM takes the type seen most
   often; ORG and SUBSIDIARY of one name become SUBSIDIARY;
3. takes off aliases that name something else (a group keeps only its own
   names; a Latin abbreviation of another body goes: :mod:`kg.resolution.labels`);
4. finds candidate pairs by normalised keys (:mod:`kg.resolution.blocking`),
   scores them (:mod:`kg.resolution.scoring`) and joins the accepted ones,
   best first, refusing any join that would put two groups, places, adcodes
   or operators in one cluster (:mod:`kg.resolution.clustering`);
5. settles labels that two nodes share, and keeps every decision for
   ``merges.csv`` (:mod:`kg.resolution.audit`).

Relations and measurements are rewritten to the surviving keys.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.extract import DocumentExtraction, Evidence, MeasurementRecord
from kg.resolution.audit import Grounding, ResolutionReport
from kg.resolution.blocking import candidates
from kg.resolution.clustering import cluster
from kg.resolution.grounding import drop_contradicted
from kg.resolution.labels import LabelDrop, group_alias_ok, latin_alias_ok, share_labels
from kg.resolution.profile import Profile, entity_group
from kg.resolution.scoring import score_pair
from kg.resolution.text import fold
from kg.script import to_simplified

log = logging.getLogger(__name__)

Key = tuple[str, str]


@dataclass
class Entity:
    """A resolved entity with all its names and evidence."""

    label: str
    canonical: str
    hant: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    attrs: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    #: names a text wrote for it (the others in ``aliases`` were derived by a pattern)
    seen: set[str] = field(default_factory=set)
    #: how many mentions it has
    mentions: int = 0
    #: documents it is mentioned in
    docs: set[str] = field(default_factory=set)

    @property
    def key(self) -> Key:
        return (self.label, self.canonical)


@dataclass
class ResolvedCorpus:
    """The resolved entities, relations and measurements of a corpus."""

    entities: dict[Key, Entity]
    relations: dict[tuple[Key, str, Key], list[Evidence]]
    #: iterable (again and again), and by document with ``.batches()``
    measurements: _Measurements
    #: every merge, refusal, dropped alias and refused grounding (``merges.csv``)
    report: ResolutionReport = field(default_factory=ResolutionReport)

    @property
    def refused_merges(self) -> list[tuple[str, str, str]]:
        """The refused candidate pairs as ``(name, other, why)``."""
        return [(d.a[1], d.b[1], d.reason) for d in self.report.decisions if not d.merged]


#: labels whose conflicts on one name are settled together; a name typed from
#: both groups (an ORG and a PROGRAM of one name) stays two entities
_CONFLICT_GROUPS = (("ORG", "SUBSIDIARY"), ("PROGRAM", "PLATFORM"))
#: evidence kept per entity and per relation: enough to trust a fact, bounded in size
MAX_EVIDENCE = 20


def evidence_order(ev: Evidence) -> tuple:
    """Sort key of evidence: document, span, then the rest so ties are stable."""
    return (ev.doc_id, ev.start, ev.end, ev.sent_start, ev.sent_end, ev.anchor, ev.sentence)


def first_evidence(evidence: Iterable[Evidence], limit: int = MAX_EVIDENCE) -> list[Evidence]:
    """The ``limit`` first distinct pieces of evidence in :func:`evidence_order`."""
    return sorted(set(evidence), key=evidence_order)[:limit]


def _settle(label: str, counts: Counter) -> str:
    """The label a name ends up with, given how often it was read with each label."""
    for group in _CONFLICT_GROUPS:
        if label in group and set(group) <= counts.keys():
            if group[0] == "ORG":
                return "SUBSIDIARY"
            return max(group, key=lambda lab: (counts[lab], lab == "PROGRAM"))
    return label


class _Names:
    """What was read about one ``(label, canonical)`` key before resolution."""

    __slots__ = ("aliases", "hant", "attrs", "evidence", "first", "seen", "mentions", "docs")

    def __init__(self, first: int):
        self.first = first
        self.mentions = 0
        self.seen: set[str] = set()
        self.docs: set[str] = set()
        self.aliases: set[str] = set()
        self.hant: set[str] = set()
        self.attrs: dict[str, tuple[int, object]] = {}
        self.evidence: set[Evidence] = set()


def _bounded(evidence: set[Evidence]) -> set[Evidence]:
    """Drop evidence that can no longer be among the first :data:`MAX_EVIDENCE`."""
    if len(evidence) > 2 * MAX_EVIDENCE:
        return set(first_evidence(evidence))
    return evidence


class Resolver:
    """Resolve a stream of document extractions without holding them.

    Entity and relation records are folded into one accumulator per key as
    they arrive, keeping at most :data:`MAX_EVIDENCE` pieces of evidence
    each (the graph shows no more), so memory follows the number of distinct
    names and relations, not the size of the corpus. Measurements are handed
    to ``spool`` and read back, rewritten to the surviving keys, when the
    result is iterated.

    Args:
        spool: Where measurement records wait (:class:`kg.spool.Spool`, or
            a list, the default, for small corpora and tests).
    """

    def __init__(self, spool=None):
        self.spool = [] if spool is None else spool
        self._names: dict[Key, _Names] = {}
        self._labels: dict[str, Counter] = defaultdict(Counter)
        self._relations: dict[tuple[Key, str, Key], set[Evidence]] = {}
        self._rules: dict[tuple[Key, str, Key], set[str]] = {}
        self._groundings: list[Grounding] = []
        self._seq = 0

    def add(self, extraction: DocumentExtraction) -> None:
        """Fold one document's records in (place groundings its context contradicts are refused)."""
        extraction, refused = drop_contradicted(extraction)
        for r, why in refused:
            ev = r.evidence
            self._groundings.append(Grounding(r.key, why, f"{ev.doc_id}:{ev.start}-{ev.end} «{ev.anchor}»"))
        for r in extraction.entities:
            self._seq += 1
            self._labels[r.canonical][r.label] += 0 if r.implicit else 1
            acc = self._names.get(r.key)
            if acc is None:
                acc = self._names[r.key] = _Names(self._seq)
            if r.surface and r.surface != r.canonical and not r.implicit:  # not 公司 / 我们
                acc.aliases.add(r.surface)
            acc.aliases.update(a for a in r.aliases if a != r.canonical)
            if r.original and r.original != r.surface and not r.implicit:
                acc.hant.add(r.original)
            for a, v in r.attrs.items():
                if a not in acc.attrs:
                    acc.attrs[a] = (self._seq, v)
            if not r.implicit:
                acc.mentions += 1
                acc.docs.add(r.evidence.doc_id)
                acc.seen.add(r.surface)
                if r.original and fold(r.original) == fold(r.surface):  # the same name in another script
                    acc.seen.add(r.original)
                acc.evidence.add(r.evidence)
                acc.evidence = _bounded(acc.evidence)
        for rel in extraction.relations:
            key = (rel.head, rel.relation, rel.tail)
            evidence = self._relations.setdefault(key, set())
            evidence.add(rel.evidence)
            self._relations[key] = _bounded(evidence)
            self._rules.setdefault(key, set()).add(rel.rule)
        if extraction.measurements:
            self.spool.append(extraction.measurements)

    def _entities(self, key_of) -> dict[Key, Entity]:  # noqa: ANN001 - raw key -> settled key
        """One entity per settled key, with everything read about its raw keys."""
        entities: dict[Key, Entity] = {}
        attrs: dict[Key, dict[str, tuple[int, object]]] = defaultdict(dict)
        evidence: dict[Key, set[Evidence]] = defaultdict(set)
        for raw, acc in sorted(self._names.items(), key=lambda item: item[1].first):
            k = key_of(raw)
            ent = entities.get(k)
            if ent is None:
                ent = entities[k] = Entity(label=k[0], canonical=k[1])
            ent.aliases |= acc.aliases
            ent.hant |= acc.hant
            ent.seen |= acc.seen
            ent.docs |= acc.docs
            ent.mentions += acc.mentions
            for a, (seq, v) in acc.attrs.items():
                if a not in attrs[k] or seq < attrs[k][a][0]:
                    attrs[k][a] = (seq, v)
            evidence[k] |= acc.evidence
        for k, ent in entities.items():
            ent.attrs = {a: v for a, (_, v) in sorted(attrs[k].items(), key=lambda item: item[1][0])}
            ent.evidence = first_evidence(evidence[k])
        return entities

    def result(self) -> ResolvedCorpus:
        """Settle types, merge what is one thing, and rewrite relations and measurements."""

        def key_of(k: Key) -> Key:
            return (_settle(k[0], self._labels[k[1]]), k[1])

        entities = self._entities(key_of)
        report = ResolutionReport(groundings=list(self._groundings))
        report.label_drops += _drop_foreign_aliases(entities)
        relations_by_key = defaultdict(set)
        for (head, rel, tail), rules in self._relations_rules():
            relations_by_key[(key_of(head), rel, key_of(tail))] |= rules
        report.profiles = _profiles(entities, relations_by_key)
        scored = {pair: (score_pair(report.profiles[pair[0]], report.profiles[pair[1]], links), links)
                  for pair, links in candidates(report.profiles).items()}
        report.final, report.decisions = cluster(report.profiles, scored)
        _merge(entities, report.final)
        report.label_drops += _drop_foreign_aliases(entities)  # what the merged names brought
        report.label_drops += _settle_labels(entities, report)

        def final(k: Key) -> Key:
            settled = key_of(k)
            return report.final.get(settled, settled)

        relations: dict[tuple[Key, str, Key], list[Evidence]] = {}
        for (head, rel, tail), found in self._relations.items():
            h, t = final(head), final(tail)
            if h == t or h[1] == t[1] or h not in entities or t not in entities:
                continue
            if rel == "subsidiaryOf" and h[0] != "SUBSIDIARY":
                continue  # read off a mis-cut name merged into an organisation (中国联通特邀请中国科学院)
            relations[(h, rel, t)] = first_evidence([*relations.get((h, rel, t), ()), *found])
        for ent in entities.values():
            ent.aliases -= {ent.canonical}
        return ResolvedCorpus(
            entities=entities,
            relations=relations,
            measurements=_Measurements(self.spool, final, entities.keys()),
            report=report,
        )

    def _relations_rules(self):  # noqa: ANN202 - iterator of ((head, rel, tail), rules)
        return ((k, self._rules.get(k, set())) for k in self._relations)


#: operatedBy rules that read the operator from the text itself, not the publisher default
_STATED_OPERATOR = frozenset({"group_prefix"})
#: partOf rules that read a part from the names alone: no evidence that two names are two things
_NAME_PART_RULES = frozenset({"name_contains", "named_after", "shared_quote"})


def _profiles(entities: dict[Key, Entity], relations: dict[tuple[Key, str, Key], set[str]]
              ) -> dict[Key, Profile]:
    """The :class:`~kg.resolution.profile.Profile` of each entity, neighbours and operators included."""
    neighbours: dict[Key, set[Key]] = defaultdict(set)
    operators: dict[Key, set[str]] = defaultdict(set)
    operator_groups: dict[Key, set[str]] = defaultdict(set)
    parts: dict[Key, set[Key]] = defaultdict(set)
    for (h, rel, t), rules in relations.items():
        if rel == "operatedBy" and t in entities:
            group = entity_group(t, entities[t].attrs)
            if group:
                operator_groups[h].add(group)
        if rel == "partOf" and rules - _NAME_PART_RULES:
            parts[h].add(t)
            parts[t].add(h)
        if rel == "operatedBy" and rules & _STATED_OPERATOR:
            operators[h].add(t[1])
        if rules - {"publisher"}:
            neighbours[h].add(t)
            neighbours[t].add(h)
    out = {}
    for k, ent in sorted(entities.items()):
        ev = ent.evidence[0] if ent.evidence else None
        where = (f"{ev.doc_id}:{ev.start}-{ev.end} «{ev.anchor}» {ev.sentence[:60]}" if ev
                 else "publisher metadata")
        out[k] = Profile(
            key=k, seen=set(ent.seen), derived=set(ent.aliases) - set(ent.seen), attrs=dict(ent.attrs),
            docs=frozenset(ent.docs), mentions=ent.mentions, neighbours=frozenset(neighbours[k]),
            operators=frozenset(operators[k]), operator_groups=frozenset(operator_groups[k]),
            parts=frozenset(parts[k]), evidence=where.replace("\n", " "),
        )
    return out


def _drop_foreign_aliases(entities: dict[Key, Entity]) -> list[LabelDrop]:
    """Take off aliases that name something else: a group's non-own names, another body's Latin name."""
    drops = []
    for k, ent in sorted(entities.items()):
        names = {ent.canonical} | ent.aliases
        for a in sorted(ent.aliases):
            if not group_alias_ok(ent.canonical, a):
                why = "not a name of the group itself"
            elif not latin_alias_ok(names - {a}, a):
                why = "the lexicon gives this abbreviation to another body"
            else:
                continue
            ent.aliases.discard(a)
            ent.seen.discard(a)
            drops.append(LabelDrop(k, a, why))
    return drops


def _merge(entities: dict[Key, Entity], final: dict[Key, Key]) -> None:
    """Fold each merged entity into its cluster's representative, in place."""
    for k in sorted(final):
        target = final[k]
        if target == k or k not in entities:
            continue
        src, dst = entities.pop(k), entities[target]
        dst.aliases |= src.aliases | {src.canonical}
        dst.seen |= src.seen | {src.canonical}
        dst.hant |= src.hant
        dst.docs |= src.docs
        dst.mentions += src.mentions
        dst.evidence = first_evidence([*dst.evidence, *src.evidence])
        for a, v in src.attrs.items():
            dst.attrs.setdefault(a, v)
        log.debug("merged %s into %s", k, target)


def _settle_labels(entities: dict[Key, Entity], report: ResolutionReport) -> list[LabelDrop]:
    """Drop the aliases two nodes cannot both hold; the labels still shared go to ``report.shared``."""
    nodes = {}
    for k, e in entities.items():
        hant = {h for h in e.hant if to_simplified(h) != h}  # the Traditional forms written as labels
        nodes[k] = (e.canonical, e.aliases | hant, e.seen | hant)
    drop, drops, report.shared = share_labels(nodes)
    for k, names in drop.items():
        entities[k].aliases -= names
        entities[k].hant -= names
    return drops


class _Measurements:
    """The measurements of a resolved corpus, read back from the spool on each iteration.

    Iterating yields one list per document (in input order) of the records
    whose subject survived resolution, rewritten to its final key.
    """

    def __init__(self, spool, final, keys):
        self._spool, self._final, self._keys = spool, final, keys

    def batches(self) -> Iterator[list[MeasurementRecord]]:
        """Per document, its measurements about resolved entities."""
        for batch in self._spool:
            out = []
            for m in batch:
                s = self._final(m.subject)
                if s in self._keys:
                    out.append(MeasurementRecord(s, m.value, m.unit, m.year, m.indicator, m.evidence))
            if out:
                yield out

    def __iter__(self) -> Iterator[MeasurementRecord]:
        for batch in self.batches():
            yield from batch


def resolve(extractions: Iterable[DocumentExtraction], spool=None) -> ResolvedCorpus:
    """Merge the records of all documents into entities (see :class:`Resolver`).

    Args:
        extractions: Per-document extraction results, in a deterministic order.
        spool: Where measurements wait; a list when omitted.

    Returns:
        The resolved corpus.
    """
    resolver = Resolver(spool)
    for x in extractions:
        resolver.add(x)
    return resolver.result()


__all__ = ["MAX_EVIDENCE", "Entity", "ResolvedCorpus", "Resolver", "first_evidence", "resolve"]
