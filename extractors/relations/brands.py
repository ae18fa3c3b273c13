"""Operators from brands: a product named with a group's brand is that group's.

A white paper of 中国联通 that names 天翼云, 移动云 or 咪咕视频 speaks of other
groups' products; the publisher is no more their operator than a reader is.
The brand a name opens with (the group's names, its branch prefixes and the
brands of ``groups.json``: 天翼, 咪咕, 和包, 沃音乐 ...) tells whose it is:

- an ``operatedBy`` from such a product to another group, or to a unit or
  branch of another group, is dropped, whoever proposed it (rule or model);
- a product left without an operator is run by its group where the document
  names that group (or one of its units), the nearest such mention;
- a product whose brand is the publisher's keeps what it has;
- likewise a platform named after another company the document names (华为云
  beside 华为): not the publisher's, but that company's (programs are named
  after those they serve as often as after those who run them). A name that
  carries a group's full name further in (教育部—中国移动校长培训) is
  co-branded and left as it is.

The decision reads names only, so it runs last, over the relations that were
kept, with or without a model.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from extractors.lexicon import groups
from extractors.relations.candidates import sentence_index
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


def plain(name: str) -> str:
    """``name`` in Simplified script without the quotes and brackets that open it."""
    return to_simplified(name).lstrip(LEAD)


@functools.lru_cache(maxsize=8192)
def brand_owner(name: str) -> str | None:
    """The canonical name of the group whose brand ``name`` opens with (``天翼云`` -> 中国电信), if any."""
    simplified = plain(name)
    for prefix, group in brand_prefixes():
        if simplified.startswith(prefix):
            return group
    return None


def owner_of(m: Mention) -> str | None:
    """The group a mention's name (canonical first, then its surface) belongs to."""
    return brand_owner(m.canonical) or (brand_owner(m.surface) if m.surface else None)


@functools.cache
def telecom_names() -> tuple[str, ...]:
    """Full names of the telecom groups (中国移动 ...): inside a name they co-brand it."""
    return tuple(n for g in groups() for n in g.names() if len(n) >= 4)


@dataclass(frozen=True)
class Owners:
    """Whose products a document names: the telecom groups by their brands, other companies by their names.

    Attributes:
        companies: Names of the document's organisations that are not telecom
            groups (华为, 阿里巴巴), longest first: a product named 华为云 is 华为's.
    """

    companies: tuple[str, ...]

    @classmethod
    def of(cls, ms: list[Mention]) -> Owners:
        """The owners a document with mentions ``ms`` can name."""
        names = {
            name
            for m in ms
            if m.label == "ORG" and not m.implicit and owner_of(m) is None
            for name in (m.canonical, to_simplified(m.surface))
            if len(name) >= 2
        }
        return cls(tuple(sorted(names, key=lambda n: (-len(n), n))))

    def product(self, ini: Mention) -> str | None:
        """The group or company a program or platform is named after, if any.

        Another company's name makes a platform its own (腾讯云TI平台), not a
        program: programs are named after those they serve as often as after
        those who run them (广州市某医院分布式云项目). A name that carries a
        telecom group's full name past its start (教育部—中国移动校长培训) is
        co-branded: it belongs to nobody alone.
        """
        group = owner_of(ini)
        if group is not None:
            return group
        name = plain(ini.canonical)
        if ini.label != "PLATFORM" or any(n in name for n in telecom_names()):
            return None
        return next((c for c in self.companies if name.startswith(c) and len(name) > len(c)), None)


def belongs(m: Mention, owner: str) -> bool:
    """True when ``m`` is ``owner`` or, for a group, one of its units or branches."""
    return m.canonical == owner or owner_of(m) == owner


def foreign(operator: Mention, owner: str) -> bool:
    """True when ``operator`` is a telecom group, or one of its units, that is not ``owner``'s."""
    return owner_of(operator) is not None and not belongs(operator, owner)


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
    owners = Owners.of(ms)
    kept = [
        r
        for r in relations
        if not (
            r.relation == "operatedBy"
            and r.head.label in INITIATIVE_TYPES
            and (owner := owners.product(r.head)) is not None
            and foreign(r.tail, owner)
        )
    ]
    run = {r.head.key for r in kept if r.relation == "operatedBy"}
    added: list[RelationItem] = []
    for ini in ms:
        if ini.label not in INITIATIVE_TYPES or ini.key in run:
            continue
        owner = owners.product(ini)
        operator = None if owner is None else nearest_member(ini, ms, owner)
        if operator is None:
            continue
        start, end = sentence_of(sentences, ini)
        added.append(RelationItem(ini, "operatedBy", operator, start, end, "brand"))
        run.add(ini.key)
    return kept + sorted(added, key=lambda r: (r.start, r.end, r.head.key))


def nearest_member(ini: Mention, ms: list[Mention], owner: str) -> Mention | None:
    """The mention of ``owner`` itself, else of one of its units, nearest to ``ini``; ties go left."""
    members = [
        m
        for m in ms
        if m.label in OPERATOR_TYPES and not m.implicit and m.end > m.start and belongs(m, owner)
    ]
    if not members:
        return None
    own = [m for m in members if m.canonical == owner] or members
    return min(own, key=lambda m: (abs(m.start - ini.start), m.start, m.key))


def sentence_of(sentences: list[tuple[int, int]], m: Mention) -> tuple[int, int]:
    """The span of the sentence holding ``m`` (the mention's own span without sentences)."""
    if not sentences:
        return m.start, m.end
    return sentences[sentence_index(sentences, m.start)]


__all__ = [
    "Owners",
    "attribute_brands",
    "belongs",
    "brand_owner",
    "brand_prefixes",
    "foreign",
    "owner_of",
    "plain",
]
