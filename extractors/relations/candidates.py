"""Which pairs of mentions the relation model considers.

A pair is a candidate when some relation allows its types (GUIDELINES: a
program or platform is operated by an organisation, implemented in a place,
...) and one of these holds:

- both mentions are in the same sentence, or in neighbouring sentences;
- a rule of :mod:`extractors.relations.rules` related them (whatever the
  distance: a branch and the group its name implies, a bullet and the
  program of the line that introduces it);
- the tail is the publisher and the segment refers to it (公司, 我们, its
  name): the publisher runs much of what its own report describes
  (``window="publisher"``);
- the tail is the place named last before the head's neighbouring
  sentences, within :data:`TOPIC_REACH` characters: where the paragraph is
  (``window="topic"``; a program two sentences after 在青海省… runs there).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model import Mention, RelationItem

INITIATIVES = ("PROGRAM", "PLATFORM")
#: how far before a head (characters) the tail its paragraph is about may stand
TOPIC_REACH = 500
ACTORS = ("ORG", "SUBSIDIARY")

#: relation -> (head types, tail types), from GUIDELINES "Relations"
SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "subsidiaryOf": (("SUBSIDIARY",), ACTORS),
    "locatedIn": (("SUBSIDIARY", "ORG", "PLATFORM", "PLACE"), ("PLACE",)),
    "operatedBy": (INITIATIVES, ACTORS),
    "implementedIn": (INITIATIVES, ("PLACE",)),
    "partner": (INITIATIVES, ACTORS),
    "partOf": (INITIATIVES, INITIATIVES),
}


@functools.cache
def allowed(head: str, tail: str) -> tuple[str, ...]:
    """The relations whose signature admits a ``head`` -> ``tail`` pair of these types."""
    return tuple(r for r, (hs, ts) in SIGNATURES.items() if head in hs and tail in ts)


@dataclass
class PairCandidate:
    """A pair of mentions that may stand in a relation.

    Attributes:
        head: The head mention.
        tail: The tail mention.
        relations: Relations their types allow.
        window: ``sentence``, ``neighbour``, ``rule``, ``publisher`` or ``topic``.
        votes: ``(relation, rule)`` of every rule relation between the two.
        sentence: Index of the head's sentence.
    """

    head: Mention
    tail: Mention
    relations: tuple[str, ...]
    window: str
    votes: list[tuple[str, str]] = field(default_factory=list)
    sentence: int = 0
    tail_rank: int = 0  # 0: the nearest tail of its kind to this head, 1: the next, ...
    head_rank: int = 0  # 0: the nearest head of its kind to this tail, ...

    @property
    def key(self) -> tuple:
        return (self.head.key, self.tail.key)


def sentence_index(sentences: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding offset ``pos`` (the last one before it)."""
    starts = [s for s, _ in sentences]
    return max(0, bisect.bisect_right(starts, pos) - 1)


def pair_candidates(
    ms: Sequence[Mention],
    sentences: Sequence[tuple[int, int]],
    rule_relations: Sequence[RelationItem],
    publisher: Mention | None,
) -> list[PairCandidate]:
    """Every candidate pair of a segment.

    Args:
        ms: The segment's mentions (nested and implicit ones included).
        sentences: Sentence spans of the segment.
        rule_relations: What the rules found (votes; their pairs are candidates).
        publisher: The publisher as a mention without a span, if the
            document names one.

    Returns:
        Candidates in a fixed order (by head, then tail position).
    """
    starts = [s for s, _ in sentences]
    sent_of = [max(0, bisect.bisect_right(starts, m.start) - 1) for m in ms]
    votes: dict[tuple, list[tuple[str, str]]] = {}
    voted_tails: dict[tuple, set[tuple]] = {}
    for r in rule_relations:
        votes.setdefault((r.head.key, r.tail.key), []).append((r.relation, r.rule))
        voted_tails.setdefault(r.head.key, set()).add(r.tail.key)
    keys = [m.key for m in ms]
    labels = [m.label for m in ms]
    by_sentence: dict[int, list[int]] = {}
    for j, k in enumerate(sent_of):
        by_sentence.setdefault(k, []).append(j)
    out: list[PairCandidate] = []
    seen: set[tuple[int, int]] = set()
    for i, h in enumerate(ms):
        hk, si = keys[i], sent_of[i]
        # tails in this or a neighbouring sentence, and any tail a rule related to this head
        near = [*by_sentence.get(si - 1, ()), *by_sentence.get(si, ()), *by_sentence.get(si + 1, ())]
        voted = voted_tails.get(hk)
        if voted:
            near += [j for j, k in enumerate(keys) if k in voted]
        for j in sorted(set(near)):
            if i == j or hk == keys[j]:
                continue
            rels = allowed(labels[i], labels[j])
            if not rels:
                continue
            gap = abs(si - sent_of[j])
            v = votes.get((hk, keys[j]), [])
            if gap > 1 and not v:
                continue
            window = "sentence" if gap == 0 else "neighbour" if gap == 1 else "rule"
            out.append(PairCandidate(h, ms[j], rels, window, list(v), si))
            seen.add((id(h), id(ms[j])))
    # where the paragraph is: the nearest place named before the neighbouring sentences (within reach)
    places = sorted((m.end, m.start, j) for j, m in enumerate(ms) if m.label == "PLACE" and not m.implicit)
    place_ends = [e for e, _, _ in places]
    for i, h in enumerate(ms):
        if h.implicit or not allowed(labels[i], "PLACE"):
            continue
        k = bisect.bisect_right(place_ends, h.start) - 1
        while k >= 0 and place_ends[k] >= h.start - TOPIC_REACH:
            j = places[k][2]
            k -= 1
            if sent_of[j] >= sent_of[i] - 1 or keys[j] == keys[i]:
                continue
            if (id(h), id(ms[j])) not in seen:
                seen.add((id(h), id(ms[j])))
                v = votes.get((keys[i], keys[j]), [])
                out.append(PairCandidate(h, ms[j], allowed(labels[i], "PLACE"), "topic", list(v), sent_of[i]))
            break
    listed = {id(m) for m in ms}
    for r in rule_relations:  # tails the rules made up (the group a branch name implies)
        if id(r.head) in listed and id(r.tail) in listed:
            continue
        rels = allowed(r.head.label, r.tail.label)
        if rels and (id(r.head), id(r.tail)) not in seen:
            seen.add((id(r.head), id(r.tail)))
            out.append(
                PairCandidate(
                    r.head,
                    r.tail,
                    rels,
                    "rule",
                    list(votes.get((r.head.key, r.tail.key), [])),
                    sentence_index(sentences, r.head.start),
                )
            )
    _rank(out)
    if publisher is not None and any(m.canonical == publisher.canonical for m in ms):
        for i, h in enumerate(ms):
            rels = allowed(h.label, publisher.label)
            if rels and h.key != publisher.key and not h.implicit:
                v = votes.get((h.key, publisher.key), [])
                out.append(PairCandidate(h, publisher, rels, "publisher", list(v), sent_of[i]))
    return out


def _distance(c: PairCandidate) -> int:
    h, t = c.head, c.tail
    if h.end <= t.start:
        return t.start - h.end
    if t.end <= h.start:
        return h.start - t.end
    return 0


def _rank(cands: list[PairCandidate]) -> None:
    """Rank each pair among the pairs of the same head (by tail type) and of the same tail (by head type)."""
    by_head: dict[tuple, list[PairCandidate]] = {}
    by_tail: dict[tuple, list[PairCandidate]] = {}
    for c in cands:
        by_head.setdefault((id(c.head), c.tail.label), []).append(c)
        by_tail.setdefault((id(c.tail), c.head.label), []).append(c)
    for group in by_head.values():
        for k, c in enumerate(sorted(group, key=lambda c: (_distance(c), c.tail.start))):
            c.tail_rank = k
    for group in by_tail.values():
        for k, c in enumerate(sorted(group, key=lambda c: (_distance(c), c.head.start))):
            c.head_rank = k
