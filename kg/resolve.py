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
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract import DocumentExtraction, EntityRecord, Evidence, MeasurementRecord, RelationRecord

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
    measurements: list[MeasurementRecord]
    refused_merges: list[tuple[str, str, str]] = field(default_factory=list)


def _type_of_name(records: Iterable[EntityRecord]) -> dict[str, str]:
    """Per canonical name, the label it ends up with when types conflict."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        counts[r.canonical][r.label] += 0 if r.implicit else 1
    out = {}
    for name, c in counts.items():
        labels = set(c)
        if "SUBSIDIARY" in labels and "ORG" in labels:
            out[name] = "SUBSIDIARY"
        elif {"PROGRAM", "PLATFORM"} <= labels:
            out[name] = max(("PROGRAM", "PLATFORM"), key=lambda lab: (c[lab], lab == "PROGRAM"))
    return out


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


def resolve(extractions: Iterable[DocumentExtraction]) -> ResolvedCorpus:
    """Merge the records of all documents into entities.

    Args:
        extractions: Per-document extraction results, in a deterministic order.

    Returns:
        The resolved corpus.
    """
    extractions = list(extractions)
    records = [e for x in extractions for e in x.entities]
    retype = _type_of_name(records)

    def key_of(k: Key) -> Key:
        return (
            retype.get(k[1], k[0]) if k[0] in ("ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM") else k[0],
            k[1],
        )

    entities: dict[Key, Entity] = {}
    for r in records:
        k = key_of(r.key)
        ent = entities.get(k)
        if ent is None:
            ent = entities[k] = Entity(label=k[0], canonical=k[1])
        if r.surface and r.surface != r.canonical and not r.implicit:  # not 公司 / 我们
            ent.aliases.add(r.surface)
        ent.aliases.update(a for a in r.aliases if a != r.canonical)
        if r.original and r.original != r.surface and not r.implicit:
            ent.hant.add(r.original)
        for a, v in r.attrs.items():
            ent.attrs.setdefault(a, v)
        if not r.implicit:
            ent.evidence.append(r.evidence)

    # merge an entity whose canonical is another's strong alias (same type)
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
        dst.evidence += src.evidence
        for a, v in src.attrs.items():
            dst.attrs.setdefault(a, v)
        log.debug("merged %s into %s", k, target)
    for name, other, why in refused:
        log.info("refused merge: %s ~ %s (%s)", name, other, why)

    def final(k: Key) -> Key:
        return merged.get(key_of(k), key_of(k))

    relations: dict[tuple[Key, str, Key], list[Evidence]] = defaultdict(list)
    for x in extractions:
        for rel in x.relations:
            h, t = final(rel.head), final(rel.tail)
            if h == t or h[1] == t[1] or h not in entities or t not in entities:
                continue
            relations[(h, rel.relation, t)].append(rel.evidence)
    measurements = []
    for x in extractions:
        for m in x.measurements:
            s = final(m.subject)
            if s in entities:
                measurements.append(MeasurementRecord(s, m.value, m.unit, m.year, m.indicator, m.evidence))
    for ent in entities.values():
        ent.aliases -= {ent.canonical}
    return ResolvedCorpus(
        entities=entities, relations=dict(relations), measurements=measurements, refused_merges=refused
    )


__all__ = ["Entity", "ResolvedCorpus", "resolve", "RelationRecord"]
