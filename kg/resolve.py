"""Entity resolution: one node per real thing across documents and scripts.

Extractors already give every mention a canonical Simplified name (福建公司,
福建移动 and 中国移动福建公司 all become 中国移动福建公司 in a China Mobile
text; 爱“心”行动 becomes 爱心行动; 聯通雲 becomes 联通云 through text
preparation). Resolution then

1. groups mentions by ``(type, canonical)``;
2. settles type conflicts of one name: a name seen both as PROGRAM and as
   PLATFORM takes the type seen most often; ORG and SUBSIDIARY of one name
   become SUBSIDIARY;
3. merges an entity into another of the same type when its canonical name
   is a *strong* alias of the other (an alias that carries a group or place
   name, never a bare 研究院 or 北京分公司), and reports merges it refused.

Relations and measurements are rewritten to the surviving keys.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.extract import DocumentExtraction, Evidence, MeasurementRecord

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
    refused_merges: list[tuple[str, str, str]] = field(default_factory=list)


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


def _is_strong_alias(alias: str, entity: Entity) -> bool:
    """An alias specific enough to merge on: longer than 3 characters and not generic."""
    return len(alias) >= 4 and not alias.endswith(("分公司", "研究院")) or alias == entity.canonical


def _root(merged: dict[Key, Key], k: Key) -> Key:
    """Follow merges from ``k`` to the entity that survives (merges form no cycles)."""
    seen = set()
    while k in merged and k not in seen:
        seen.add(k)
        k = merged[k]
    return k


class _Names:
    """What was read about one ``(label, canonical)`` key before resolution."""

    __slots__ = ("aliases", "hant", "attrs", "evidence", "first")

    def __init__(self, first: int):
        self.first = first
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
        self._seq = 0

    def add(self, extraction: DocumentExtraction) -> None:
        """Fold one document's records in."""
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
                acc.evidence.add(r.evidence)
                acc.evidence = _bounded(acc.evidence)
        for rel in extraction.relations:
            key = (rel.head, rel.relation, rel.tail)
            evidence = self._relations.setdefault(key, set())
            evidence.add(rel.evidence)
            self._relations[key] = _bounded(evidence)
        if extraction.measurements:
            self.spool.append(extraction.measurements)

    def result(self) -> ResolvedCorpus:
        """Settle types, merge aliases and rewrite relations and measurements."""

        def key_of(k: Key) -> Key:
            return (_settle(k[0], self._labels[k[1]]), k[1])

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
            for a, (seq, v) in acc.attrs.items():
                if a not in attrs[k] or seq < attrs[k][a][0]:
                    attrs[k][a] = (seq, v)
            evidence[k] |= acc.evidence
        for k, ent in entities.items():
            ent.attrs = {a: v for a, (_, v) in sorted(attrs[k].items(), key=lambda item: item[1][0])}
            ent.evidence = first_evidence(evidence[k])
        merged, refused = _merge_aliases(entities)

        def final(k: Key) -> Key:
            return merged.get(key_of(k), key_of(k))

        relations: dict[tuple[Key, str, Key], list[Evidence]] = {}
        for (head, rel, tail), found in self._relations.items():
            h, t = final(head), final(tail)
            if h == t or h[1] == t[1] or h not in entities or t not in entities:
                continue
            relations[(h, rel, t)] = first_evidence([*relations.get((h, rel, t), ()), *found])
        for ent in entities.values():
            ent.aliases -= {ent.canonical}
        return ResolvedCorpus(
            entities=entities,
            relations=relations,
            measurements=_Measurements(self.spool, final, entities.keys()),
            refused_merges=refused,
        )


def _merge_aliases(entities: dict[Key, Entity]) -> tuple[dict[Key, Key], list[tuple[str, str, str]]]:
    """Merge, in place, each entity whose canonical is another's strong alias (same type).

    Returns:
        ``(merged, refused)``: each merged key's surviving key, and the
        merges refused as ``(name, other, why)``.
    """
    alias_owner: dict[tuple[str, str], set[Key]] = defaultdict(set)
    for k, ent in entities.items():
        for a in ent.aliases:
            alias_owner[(k[0], a)].add(k)
    merged: dict[Key, Key] = {}
    refused: list[tuple[str, str, str]] = []
    for k in sorted(entities):
        owners = alias_owner.get(k, set()) - {k}
        if not owners:
            continue
        if len(owners) > 1:
            refused.append((k[1], " / ".join(sorted(o[1] for o in owners)), "alias of several entities"))
            continue
        (target,) = owners
        if not _is_strong_alias(k[1], entities[target]):
            refused.append((k[1], target[1], "alias too generic to merge on"))
            continue
        target = _root(merged, target)
        if target == k:  # two names that are each other's alias: keep both rather than loop
            refused.append((k[1], target[1], "aliases of each other"))
            continue
        merged[k] = target
    for k in sorted(merged):
        merged[k] = _root(merged, merged[k])
    for k, target in sorted(merged.items()):
        src, dst = entities.pop(k), entities[target]
        dst.aliases |= src.aliases | {src.canonical}
        dst.hant |= src.hant
        dst.evidence = first_evidence([*dst.evidence, *src.evidence])
        for a, v in src.attrs.items():
            dst.attrs.setdefault(a, v)
        log.debug("merged %s into %s", k, target)
    for name, other, why in refused:
        log.info("refused merge: %s ~ %s (%s)", name, other, why)
    return merged, refused


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
