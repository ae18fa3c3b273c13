"""Operators from brands: a product named with a group's brand is that group's.

A white paper of 中国联通 that names 天翼云, 移动云 or 咪咕视频 speaks of other
groups' products; the publisher is no more their operator than a reader is.
The brand a name opens with (the group's names, its branch prefixes and the
brands of ``groups.json``: 天翼, 咪咕, 和包, 沃音乐 ...) tells whose it is:

- an ``operatedBy`` from such a product to another group, or to a unit or
  branch of another group, is dropped, whoever proposed it (rule or model);
- a product left without an operator is run by its group where the document
  names that group (or one of its units), the nearest such mention;
- a product whose brand is the publisher's keeps what it has.

The decision reads names only, so it runs last, over the relations that were
kept, with or without a model.
"""

from __future__ import annotations

import bisect
import functools

from extractors.lexicon import groups
from extractors.relations.cues import INITIATIVE_TYPES
from kg.model import Mention, RelationItem
from kg.script import to_simplified

#: characters that may open a name before its brand (quotes, brackets)
LEAD = "“”\"'‘’「」『』《》〈〉（）()【】 "
#: types of mentions that can run a product
OPERATOR_TYPES = ("ORG", "SUBSIDIARY")


@functools.cache
def brand_prefixes() -> tuple[tuple[str, str], ...]:
    """``(prefix, group canonical)`` of every group's names and brands, longest first."""
    pairs: dict[str, str] = {}
    for g in groups():
        for prefix in (*g.names(), *g.branch_prefixes, *g.brands):
            pairs.setdefault(prefix, g.canonical)
    return tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))


@functools.lru_cache(maxsize=8192)
def brand_owner(name: str) -> str | None:
    """The canonical name of the group whose brand ``name`` opens with (``天翼云`` -> 中国电信), if any."""
    simplified = to_simplified(name).lstrip(LEAD)
    for prefix, group in brand_prefixes():
        if simplified.startswith(prefix):
            return group
    return None


def owner_of(m: Mention) -> str | None:
    """The group a mention's name (canonical first, then its surface) belongs to."""
    return brand_owner(m.canonical) or (brand_owner(m.surface) if m.surface else None)


def foreign(operator: Mention, group: str) -> bool:
    """True when ``operator`` is, or belongs to, a telecom group other than ``group``."""
    owner = owner_of(operator)
    return owner is not None and owner != group


def attribute_brands(
    relations: list[RelationItem], ms: list[Mention], sentences: list[tuple[int, int]]
) -> list[RelationItem]:
    """``relations`` with operators of branded products set right (see the module's docstring).

    Args:
        relations: The relations kept for a document, in their order.
        ms: The document's mentions.
        sentences: Its sentence spans (the evidence of an added operator is the product's sentence).

    Returns:
        A new list: dropped relations left out, added ones after the rest, sorted by position.
    """
    kept = [
        r
        for r in relations
        if not (
            r.relation == "operatedBy"
            and r.head.label in INITIATIVE_TYPES
            and (group := owner_of(r.head)) is not None
            and foreign(r.tail, group)
        )
    ]
    run = {r.head.key for r in kept if r.relation == "operatedBy"}
    added: list[RelationItem] = []
    for ini in ms:
        if ini.label not in INITIATIVE_TYPES or ini.key in run:
            continue
        group = owner_of(ini)
        if group is None:
            continue
        operator = nearest_member(ini, ms, group)
        if operator is None:
            continue
        start, end = sentence_of(sentences, ini)
        added.append(RelationItem(ini, "operatedBy", operator, start, end, "brand"))
        run.add(ini.key)
    return kept + sorted(added, key=lambda r: (r.start, r.end, r.head.key))


def nearest_member(ini: Mention, ms: list[Mention], group: str) -> Mention | None:
    """The mention of ``group`` itself, else of one of its units, nearest to ``ini``; ties go left."""
    members = [
        m
        for m in ms
        if m.label in OPERATOR_TYPES and not m.implicit and m.end > m.start and owner_of(m) == group
    ]
    if not members:
        return None
    own = [m for m in members if m.canonical == group] or members
    return min(own, key=lambda m: (abs(m.start - ini.start), m.start, m.key))


def sentence_of(sentences: list[tuple[int, int]], m: Mention) -> tuple[int, int]:
    """The span of the sentence holding ``m`` (the mention's own span without sentences)."""
    starts = [s for s, _ in sentences]
    i = bisect.bisect_right(starts, m.start) - 1
    if 0 <= i < len(sentences) and sentences[i][0] <= m.start < sentences[i][1]:
        return sentences[i]
    return m.start, m.end


__all__ = ["attribute_brands", "brand_owner", "brand_prefixes", "foreign", "owner_of"]
