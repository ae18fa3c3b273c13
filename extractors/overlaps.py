"""Choosing among overlapping mentions, and reading 公司 / 我们 as the publisher.

Entity components run independently and may claim the same characters.
``kg_overlaps`` keeps the longest mention where two cross, prefers the more
specific type where two cover the same span, and keeps a place or a group
nested inside an organisation or branch name (福建 in 福建公司, 中国移动 in
中国移动福建公司: GUIDELINES count both), but not a place inside a program or
platform name (青海 in 青海生态之窗项目 is part of the name). Two exceptions:

- the body that gives an award or runs a contest stays when it opens the
  award's name (IFF in 第五届IFF全球绿色金融创新奖): it is an organisation of
  the passage, and the award's operator (:func:`award_giver_nested`);
- a platform found by a specific rule (an online venue, a brand, a cloud
  product) wins over a branch or unit read from the same characters
  (中国移动网上人才发展中心 is a venue, not a unit named 中心).

``kg_publisher`` adds implicit mentions of the publisher where the text says
公司, 我们, 集团, 本公司 on its own.
"""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors import mentions
from extractors.lexicon import load_json
from extractors.names import Tokens
from extractors.organizations import publisher_mention
from kg.model import Mention

#: same span, different types: the first wins
TYPE_PRIORITY = {"SUBSIDIARY": 0, "PROGRAM": 1, "PLATFORM": 2, "ORG": 3, "PLACE": 4}
#: (inner label, outer label) pairs that both stay when nested
NESTABLE = {("PLACE", "SUBSIDIARY"), ("PLACE", "ORG"), ("ORG", "SUBSIDIARY"), ("SUBSIDIARY", "SUBSIDIARY")}
#: what the trained decision also keeps nested: the company in a platform's name (星河科技 in
#: 星河科技数据链) is an entity of the passage (GUIDELINES: only a place word is not). The same
#: inside programs' names was measured and lowered PROGRAM F1 (README, fifth session)
MODEL_NESTABLE = NESTABLE | {
    ("ORG", "PLATFORM"),
    ("SUBSIDIARY", "PLATFORM"),
}

#: tokens that refer to the publisher (data/org_lexicon.json)
_PUBLISHER_WORDS = frozenset(load_json("org_lexicon.json")["publisher_words"])
#: platform rules specific enough to beat a branch or unit read from the same span
SPECIFIC_PLATFORM_SOURCES = {
    "platforms.online-venue",
    "platforms.brand",
    "platforms.cloud-product",
    "platforms.latin-list",
}
#: what may stand before the giver in an award's name: quotes, a year, an edition
_AWARD_LEAD = re.compile(
    r"^[“「『‘\"《\s]*"  # quotes
    r"(?:(?:19|20)\d{2}\s?年?(?:度)?)?\s?"  # a year
    r"(?:第[一二三四五六七八九十百0-9]+[届期季])?\s?$"  # an edition
)
_LATIN_ACRONYM = re.compile(r"[A-Z][A-Z0-9&\-]{1,9}")


@functools.cache
def _award_ends() -> tuple[str, ...]:
    return tuple(load_json("relation_cues.json")["award_program_ends"])


def award_giver_nested(inner: Mention, outer: Mention) -> bool:
    """``inner`` (an ORG) opens the name of ``outer``, an award or contest it gives.

    Only a Latin acronym or a body the organisation finder read as an award's
    giver counts, and only after a leading year, edition or quote
    (第五届IFF全球绿色金融创新奖, 2024年GSMA亚洲移动大奖).

    Args:
        inner: A nested mention.
        outer: The mention holding it.

    Returns:
        Whether both should stay.
    """
    if inner.label != "ORG" or outer.label != "PROGRAM" or inner.implicit:
        return False
    if not outer.canonical.rstrip('”」』’"》').endswith(_award_ends()):
        return False
    lead = outer.surface[: inner.start - outer.start]
    if not _AWARD_LEAD.match(lead):
        return False
    return inner.attrs.get("source") == "award" or bool(_LATIN_ACRONYM.fullmatch(inner.surface))


def _rank(m: Mention) -> int:
    """Type priority of a mention where two cover the same span."""
    if m.label == "PLATFORM" and m.attrs.get("source") in SPECIFIC_PLATFORM_SOURCES:
        return -1
    return TYPE_PRIORITY.get(m.label, 9)


def resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep a consistent set of mentions.

    Args:
        found: Mentions in any order, possibly overlapping.

    Returns:
        Mentions sorted by position: no two cross; nested ones only where
        :data:`NESTABLE` allows.
    """
    order = sorted(found, key=lambda m: (-(m.end - m.start), _rank(m), m.start))
    kept: list[Mention] = []
    for m in order:
        ok = True
        for k in kept:
            if m.end <= k.start or k.end <= m.start:
                continue
            inside = k.start <= m.start and m.end <= k.end
            if (
                inside
                and (m.start, m.end) != (k.start, k.end)
                and ((m.label, k.label) in NESTABLE or award_giver_nested(m, k))
            ):
                continue
            ok = False
            break
        if ok:
            kept.append(m)
    kept.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return kept


class OverlapResolver:
    """``kg_overlaps``: replace ``doc._.kg_mentions`` by a consistent set."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_mentions = resolve_overlaps(mentions(doc))
        return doc


class PublisherReferences:
    """``kg_publisher``: 公司 / 我们 on their own refer to the publisher."""

    def match(self, doc: Doc) -> list[Mention]:
        """Implicit publisher mentions at standalone 公司 / 我们 tokens; pure."""
        taken = [(m.start, m.end) for m in mentions(doc)]
        out = []
        tokens = Tokens.of_doc(doc)
        for s, e, word in zip(tokens.starts, tokens.ends, tokens.texts, strict=True):
            if word not in _PUBLISHER_WORDS:
                continue
            if any(a < e and s < b for a, b in taken):
                continue
            m = publisher_mention(doc, s, e)
            if m is not None:
                out.append(m)
        return out

    def __call__(self, doc: Doc) -> Doc:
        found = self.match(doc)
        if found:
            doc._.kg_mentions = sorted([*mentions(doc), *found], key=lambda m: (m.start, -(m.end - m.start)))
        return doc


@Language.factory("kg_overlaps", assigns=["doc._.kg_mentions"], requires=["doc._.kg_mentions"])
def make_overlaps(nlp: Language, name: str) -> OverlapResolver:
    """spaCy factory of :class:`OverlapResolver`."""
    return OverlapResolver()


@Language.factory("kg_publisher", assigns=["doc._.kg_mentions"], requires=["doc._.kg_mentions"])
def make_publisher(nlp: Language, name: str) -> PublisherReferences:
    """spaCy factory of :class:`PublisherReferences`."""
    return PublisherReferences()
