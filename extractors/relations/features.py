"""What the relation model sees of a candidate pair.

Features are strings: the types and order of the two mentions, their
distance, whether a clause break lies between them, the words between and
around them, cue words of ``data/relation_cues.json`` next to each, the
facts their names carry (a branch's place and group, a place's parent), and
the rule votes. The same function serves training and decisions.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.lexicon import jieba_tags, load_json
from extractors.relations.candidates import ACTORS, PairCandidate
from kg.model import Mention

_CLAUSE_BREAK = re.compile(r"[，,。！？!?；;：:\n]")
#: cue lists that say something about the role of the organisation or place next to them
_CUE_LISTS = (
    "partner_before",
    "partner_after",
    "not_actor_before",
    "actor_after",
    "actor_link_after",
    "participation",
    "award_before",
    "list_intro",
    "build_verbs",
    "relied_on_before",
    "means_before",
    "brought_in_before",
)
#: words between two mentions kept as features when there are at most this many
_MAX_BETWEEN = 8


@functools.cache
def _cues() -> dict[str, tuple[str, ...]]:
    data = load_json("relation_cues.json")
    return {k: tuple(sorted(data[k], key=len, reverse=True)) for k in _CUE_LISTS if k in data}


def _bucket(n: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40, 80):
        if n <= limit:
            return str(limit)
    return "far"


@dataclass
class PairContext:
    """A segment as the pair features read it."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    mentions: Sequence[Mention]
    publisher: str | None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens inside ``[start, end)``."""
        return bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)

    def word_before(self, pos: int, k: int = 1) -> str:
        i = bisect.bisect_left(self.starts, pos) - k
        return self.words[i] if i >= 0 else "^"

    def word_after(self, pos: int, k: int = 1) -> str:
        i = bisect.bisect_left(self.starts, pos) + k - 1
        return self.words[i] if i < len(self.words) else "$"

    @functools.cached_property
    def _actors(self) -> tuple[list[int], list[Mention]]:
        actors = sorted((m for m in self.mentions if m.label in ACTORS), key=lambda m: m.start)
        return [m.start for m in actors], actors

    @functools.cached_property
    def _actor_ids(self) -> tuple[set[int], int]:
        _, actors = self._actors
        return {id(m) for m in actors}, max((m.end - m.start for m in actors), default=0)

    def actors_within(self, start: int, end: int, h: Mention, t: Mention) -> int:
        """How many organisations and subsidiaries other than ``h`` and ``t`` lie inside ``[start, end)``."""
        starts, actors = self._actors
        ids, longest = self._actor_ids
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(starts, end)
        count = hi - lo  # those starting inside, less those running past the end (they start near it)
        for m in actors[max(lo, bisect.bisect_left(starts, end - longest)) : hi]:
            if m.end > end:
                count -= 1
        for m in (h, t):
            if id(m) in ids and start <= m.start and m.end <= end:
                count -= 1
        return count

    @functools.cached_property
    def _breaks_before(self) -> list[int]:
        out = [0]
        for ch in self.text:
            out.append(out[-1] + (1 if _CLAUSE_BREAK.match(ch) else 0))
        return out

    def clause_breaks(self, start: int, end: int) -> int:
        """How many clause breaks (，。；： ...) lie in ``text[start:end]``."""
        before = self._breaks_before
        start, end = max(0, start), min(end, len(self.text))
        return before[end] - before[start] if end > start else 0

    @functools.cached_property
    def _around(self) -> dict[tuple[str, int, int], list[str]]:
        return {}

    def around(self, name: str, m: Mention) -> list[str]:
        """The words and their tags next to mention ``m`` (``name``: ``h`` or ``t``), read once per span."""
        key = (name, m.start, m.end)
        out = self._around.get(key)
        if out is None:
            tags = jieba_tags()
            b1, a1 = self.word_before(m.start), self.word_after(m.end)
            out = self._around[key] = [
                f"{name}_b1={b1}",
                f"{name}_a1={a1}",
                f"{name}_b1tag={tags.get(b1, '?')}",
                f"{name}_a1tag={tags.get(a1, '?')}",
                f"{name}_b2={self.word_before(m.start, 2)}",
            ]
        return out

    def cue_hits(self, m: Mention, where: str) -> list[str]:
        """The cue words next to mention ``m`` (``where``: ``head`` or ``tail``), read once per span."""
        key = (where, m.start, m.end)
        out = self._around.get(key)
        if out is None:
            out = self._around[key] = _cue_hits(self.text, m.start, m.end, where)
        return out


def _cue_hits(text: str, start: int, end: int, where: str) -> list[str]:
    out = []
    before, after = text[max(0, start - 8) : start], text[end : end + 8]
    for name, words in _cues().items():
        if before.endswith(words):
            out.append(f"{name}@{where}_before")
        if after.startswith(words):
            out.append(f"{name}@{where}_after")
    return out


def pair_features(ctx: PairContext, cand: PairCandidate) -> list[str]:
    """The feature strings of one candidate pair.

    Args:
        ctx: The segment.
        cand: The pair.

    Returns:
        Feature strings (order irrelevant).
    """
    h, t = cand.head, cand.tail
    text = ctx.text
    sig = f"{h.label}>{t.label}"
    f = [f"sig={sig}", f"win={cand.window}", f"win|{sig}={cand.window}"]
    if cand.window != "publisher":
        f += [
            f"trank|{sig}={min(cand.tail_rank, 3)}",
            f"hrank|{sig}={min(cand.head_rank, 3)}",
            f"ranks|{sig}={min(cand.tail_rank, 2)}{min(cand.head_rank, 2)}",
        ]
    spanless = cand.window == "publisher" or (t.start == t.end == 0 and t.implicit)
    if t.implicit:
        f.append("tail_implicit")
    if ctx.publisher and t.canonical == ctx.publisher:
        f.append("tail_publisher")
    for rel, rule in cand.votes:
        f += [f"vote={rel}", f"vote={rel}:{rule}"]
    if not cand.votes:
        f.append("novote")
    # facts carried by names
    if h.attrs.get("place") and h.attrs.get("place") == t.canonical:
        f.append("name_place")
    if h.attrs.get("group") and h.attrs.get("group") == t.canonical:
        f.append("name_group")
    if h.attrs.get("parent") and h.attrs.get("parent") == t.canonical:
        f.append("gazetteer_parent")
    if h.attrs.get("parent_branch") and h.attrs.get("parent_branch") == t.canonical:
        f.append("parent_branch")
    hc, tc = h.canonical, t.canonical
    if tc in hc:
        f.append("head_name_contains_tail" + ("_prefix" if hc.startswith(tc) else ""))
    elif hc in tc:
        f.append("tail_name_contains_head")
    f.append("hsrc=" + str(h.attrs.get("source", "?")).split(".")[0])
    f.append("tsrc=" + str(t.attrs.get("source", "?")).split(".")[0])
    if t.attrs.get("place_level"):
        f.append(f"tlevel|{sig}=" + t.attrs["place_level"])
    if spanless:
        return f
    # geometry
    if t.start <= h.start and h.end <= t.end or h.start <= t.start and t.end <= h.end:
        order = "nested"
        gap_start = gap_end = min(h.end, t.end)
    elif h.end <= t.start:
        order, gap_start, gap_end = "head_first", h.end, t.start
    else:
        order, gap_start, gap_end = "tail_first", t.end, h.start
    gap = text[gap_start:gap_end]
    f += [
        f"order={order}",
        f"order|{sig}={order}",
        f"gap={_bucket(len(gap))}",
        f"gap|{sig}={_bucket(len(gap))}",
    ]
    breaks = ctx.clause_breaks(gap_start, gap_end)
    f.append(f"breaks={min(breaks, 3)}")
    f.append(f"breaks|{sig}={min(breaks, 3)}|{order}")
    i, j = ctx.token_range(gap_start, gap_end)
    if 0 < j - i <= _MAX_BETWEEN:
        for w in ctx.words[i:j]:
            f.append("bw=" + w)
            f.append(f"bw|{order}=" + w)
        f.append("bw_first=" + ctx.words[i])
        f.append("bw_last=" + ctx.words[j - 1])
    elif j - i > _MAX_BETWEEN:
        f.append("bw_long")
    elif not gap:
        f.append("adjacent")
    # actors between or around (is the tail the nearest organisation?)
    f.append("actors_between=" + _bucket(ctx.actors_within(gap_start, gap_end, h, t)))
    f += ctx.around("h", h)
    f += ctx.around("t", t)
    f += ctx.cue_hits(t, "tail")
    f += ctx.cue_hits(h, "head")
    return f
