"""Candidate entity spans, and what the span model sees of each.

Candidates come from every source at once, so that the model, not the order
of the rules, decides:

- the spans the rule components proposed (before any choice among them);
- the spans the character tagger (CRF) read, and the same spans with either
  edge moved to the neighbouring word boundary (the tagger's commonest
  error is an edge one word off);
- jieba words tagged as a proper name (``nt`` organisation, ``ns`` place,
  ``nz`` other proper noun, ``nrt``) and quoted phrases.

A candidate's features are its votes (which rule proposed it with which
type, what the tagger said and how sure it was), its shape (length, first
and last characters and words, quotes, Latin letters), the words around it,
type words and the place gazetteer.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.entities.features import char_class, type_words
from extractors.entities.tagger import Marginals
from extractors.lexicon import jieba_lexicon, jieba_tags
from extractors.names import CLOSE_QUOTES, OPEN_QUOTES
from kg.model import ENTITY_TYPES, Mention

#: jieba tags of proper names, and ``j`` (abbreviations: 中石化, 奥委会)
PROPER_TAGS = frozenset({"nt", "ns", "nz", "nrt", "nr", "j"})
#: longest candidate (characters)
MAX_SPAN = 40
_QUOTED = re.compile(
    "[" + OPEN_QUOTES + "]([^" + OPEN_QUOTES + CLOSE_QUOTES + "\n]{2,30})[" + CLOSE_QUOTES + "]"
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.&\-]{1,24}")
#: one-character place and body endings that jieba keeps inside a word (塘渡口镇, 张家山村)
_SHORT_TYPE_ENDS = (
    "乡",
    "镇",
    "村",
    "社区",
    "街道",
    "区",
    "县",
    "州",
    "市",
    "省",
    "院",
    "所",
    "会",
    "局",
    "厅",
    "部",
)
#: words read leftwards from a type word for a suffix candidate
_MAX_WORDS_LEFT = 4
_BREAK = re.compile(r"[，,。！？!?；;：:\n、（）()]")


@dataclass
class SpanCandidate:
    """A span that may be an entity, with every vote on it."""

    start: int
    end: int
    sources: set[str] = field(default_factory=set)
    crf: str | None = None  # the tagger's type where it read exactly this span
    rules: list[Mention] = field(default_factory=list)


@dataclass
class SpanContext:
    """A segment as the span features read it."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    crf_spans: list[tuple[int, int, str]]
    marginals: Marginals
    gazetteer: object = None

    def word_index(self, pos: int) -> int:
        """Index of the token starting at or after ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    @functools.cached_property
    def _crf_starts(self) -> list[int]:
        return [s for s, _, _ in self.crf_spans]

    def crf_near(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tagger spans that may overlap ``[start, end)`` (tagger spans never overlap each other)."""
        lo = max(0, bisect.bisect_right(self._crf_starts, start) - 1)
        hi = bisect.bisect_left(self._crf_starts, end)
        return self.crf_spans[lo:hi]

    @functools.cached_property
    def _counts(self) -> dict[str, int]:
        return {}

    def count(self, part: str) -> int:
        """``text.count(part)``, counted once per segment."""
        n = self._counts.get(part)
        if n is None:
            n = self._counts[part] = self.text.count(part)
        return n

    @functools.cached_property
    def tagged_names(self) -> dict[str, set[str]]:
        """Text of every tagger span -> its types (a name tagged once is likely a name elsewhere too)."""
        out: dict[str, set[str]] = {}
        for s, e, label in self.crf_spans:
            out.setdefault(self.text[s:e], set()).add(label)
        return out


def span_candidates(
    text: str,
    tokens: Sequence[tuple[int, int]],
    rule_candidates: Sequence[Mention],
    crf_spans: Sequence[tuple[int, int, str]],
) -> list[SpanCandidate]:
    """Every candidate span of a segment, in order of position.

    Args:
        text: The prepared segment text.
        tokens: ``(start, end)`` of its jieba tokens.
        rule_candidates: The rule components' mentions.
        crf_spans: ``(start, end, TYPE)`` from the tagger.

    Returns:
        Candidates sorted by ``(start, end)``.
    """
    by_span: dict[tuple[int, int], SpanCandidate] = {}

    def add(s: int, e: int, source: str) -> SpanCandidate | None:
        if e - s < 1 or e - s > MAX_SPAN or not text[s:e].strip():
            return None
        c = by_span.get((s, e))
        if c is None:
            c = by_span[(s, e)] = SpanCandidate(s, e)
        c.sources.add(source)
        return c

    for m in rule_candidates:
        if not m.implicit:
            c = add(m.start, m.end, "rule")
            if c is not None:
                c.rules.append(m)
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    for s, e, label in crf_spans:
        c = add(s, e, "crf")
        if c is not None:
            c.crf = label
        i = bisect.bisect_left(starts, s)
        j = bisect.bisect_left(ends, e)
        for s2 in (
            starts[i - 1] if 0 < i <= len(starts) else None,
            starts[i + 1] if i + 1 < len(starts) else None,
        ):
            if s2 is not None and s2 < e and not _BREAK.search(text[min(s, s2) : max(s, s2)]):
                add(s2, e, "edge")
        for e2 in (ends[j - 1] if 0 < j <= len(ends) else None, ends[j + 1] if j + 1 < len(ends) else None):
            if e2 is not None and e2 > s and not _BREAK.search(text[min(e, e2) : max(e, e2)]):
                add(s, e2, "edge")
    tags = jieba_tags()
    tw = type_words()
    for k, (s, e) in enumerate(tokens):
        word = text[s:e]
        if e - s >= 2 and tags.get(word) in PROPER_TAGS:
            add(s, e, "jieba")
        if _LATIN_NAME.fullmatch(word):
            add(s, e, "latin")
        # a type word (平台, 系统, 项目, 大学, 镇, ...) ends a name read one to four words leftwards
        if word in tw or word.endswith(_SHORT_TYPE_ENDS):
            for back in range(1 if word in tw else 0, _MAX_WORDS_LEFT + 1):
                if k - back < 0:
                    break
                s2 = tokens[k - back][0]
                if _BREAK.search(text[s2:e]):
                    break
                add(s2, e, "suffix")
    for mo in _QUOTED.finditer(text):
        add(mo.start(), mo.end(), "quote")
    return sorted(by_span.values(), key=lambda c: (c.start, c.end))


def jieba_freq() -> dict[str, int]:
    """Word -> frequency in jieba's dictionary."""
    return _freq()


@functools.cache
def _freq() -> dict[str, int]:
    return {w: f for w, (f, _t) in jieba_lexicon().items()}


def _length(n: int) -> str:
    for limit in (1, 2, 3, 4, 6, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "long"


def _prob(p: float) -> str:
    for limit in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95):
        if p < limit:
            return str(limit)
    return "1"


def span_features(ctx: SpanContext, c: SpanCandidate) -> list[str]:
    """The feature strings of one candidate span.

    Args:
        ctx: The segment.
        c: The candidate.

    Returns:
        Feature strings (order irrelevant).
    """
    text = ctx.text
    s, e = c.start, c.end
    body = text[s:e]
    f = ["bias:" + "+".join(sorted(c.sources))]
    keys = ["src=" + src for src in sorted(c.sources)]  # votes whose combinations are features too
    keys.append("crf=" + (c.crf or "none"))
    for m in c.rules:
        f.append(f"rule={m.label}:{str(m.attrs.get('source', '?')).split('.')[0]}")
    keys += sorted({"rule=" + m.label for m in c.rules})
    # what the tagger thinks of exactly this span, for each type
    top, top_p = None, 0.0
    for label in ENTITY_TYPES:
        p = ctx.marginals.span(s, e, label, floor=0.05)
        if p >= 0.05:
            f.append(f"m[{label}]={_prob(p)}")
        if p > top_p:
            top, top_p = label, p
    if top is not None:
        keys.append(f"mtop={top}:{_prob(top_p)}")
    # tagger spans crossing or holding this one
    for cs, ce, cl in ctx.crf_near(s, e):
        if ce <= s or e <= cs or (cs, ce) == (s, e):
            continue
        if cs <= s and e <= ce:
            keys.append("inside_crf=" + cl)
        elif s <= cs and ce <= e:
            keys.append("holds_crf=" + cl)
        else:
            keys.append("crosses_crf=" + cl)
    # shape
    f.append("len=" + _length(e - s))
    f += ["first=" + body[0], "last=" + body[-1], "last2=" + body[-2:], "first2=" + body[:2]]
    shape = "".join(sorted({char_class(ch) for ch in body}))
    if body[0] in OPEN_QUOTES and body[-1] in CLOSE_QUOTES:
        keys.append("quoted")
    elif any(q in body for q in OPEN_QUOTES + CLOSE_QUOTES):
        f.append("has_quote")
    if s > 0 and text[s - 1] in OPEN_QUOTES and e < len(text) and text[e] in CLOSE_QUOTES:
        keys.append("in_quotes")
    if s > 0 and text[s - 1] == "《":
        f.append("after_book_mark")
    # words
    tags = jieba_tags()
    type_lookup = type_words().get
    i = ctx.word_index(s)
    j = ctx.word_index(e)
    aligned_start = i < len(ctx.starts) and ctx.starts[i] == s
    aligned_end = j <= len(ctx.starts) and (ctx.ends[j - 1] == e if j > 0 else False)
    f.append(f"aligned={int(aligned_start)}{int(aligned_end)}")
    inner = ctx.words[i:j] if aligned_start else []
    if len(inner) == 1:
        f.append("oneword=" + tags.get(inner[0], "?"))
    if inner:
        f += [
            "lastw=" + inner[-1],
            "lastwtag=" + tags.get(inner[-1], "?"),
            "firstwtag=" + tags.get(inner[0], "?"),
        ]
        f.append("nwords=" + _length(len(inner)))
        tw = type_lookup(inner[-1])
        if tw:
            keys.append("typeword=" + tw)
    for k in range(min(5, len(body)), 0, -1):  # the longest type word at the end, even inside a longer token
        tw = type_lookup(body[-k:])
        if tw:
            keys.append("endtype=" + tw)
            break
    prev_w = ctx.words[i - 1] if i > 0 else "^"
    next_w = ctx.words[j] if j < len(ctx.words) else "$"
    f += [
        "prevw=" + prev_w,
        "nextw=" + next_w,
        "prevwtag=" + tags.get(prev_w, "?"),
        "nextwtag=" + tags.get(next_w, "?"),
    ]
    f += ["prevc=" + (text[s - 1] if s else "^"), "nextc=" + (text[e] if e < len(text) else "$")]
    if inner and len(inner) == 1:
        freq = jieba_freq().get(inner[0], 0)
        f.append("freq=" + ("0" if not freq else "low" if freq < 50 else "mid" if freq < 1000 else "high"))
    if ctx.gazetteer is not None:
        senses = ctx.gazetteer.lookup(body)
        if senses:
            keys.append("gazetteer=" + min(x.level for x, _ in senses))
    keys.append("shape=" + shape)
    if not c.crf:
        for label in sorted(ctx.tagged_names.get(body, ())):
            keys.append("tagged_elsewhere=" + label)
    if len(body) >= 2:
        repeats = ctx.count(body)
        f.append("repeats=" + ("1" if repeats <= 1 else "2" if repeats == 2 else "3+"))
    keys = list(dict.fromkeys(keys))
    f += keys
    f += [f"{a}&{b}" for i, a in enumerate(keys) for b in keys[i + 1 :]]
    return f
