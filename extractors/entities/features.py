"""Character features for the entity tagger.

The tagger reads one prepared segment as a sequence of characters. Each
character gets a short list of ``name=value`` strings (python-crfsuite's item
format): the character and its neighbours, the jieba word it belongs to
(position in the word, part of speech, the word itself), the type words and
quotes around it, and the votes of the rule components — every candidate
mention a rule proposed over that character, with its label and rule name.
Rules thus become features the model weighs, not decisions.

The same function builds the features for training and for tagging, so the
two cannot drift apart.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from extractors.lexicon import jieba_tags, load_json
from extractors.names import CLOSE_QUOTES, OPEN_QUOTES, load_suffixes
from kg.model import Mention

#: how far a type word is looked for (characters)
_MAX_TYPE_WORD = 6


@functools.cache
def char_class(ch: str) -> str:
    """A coarse class of a character: H(an), L(atin), D(igit), Q(uote), P(unct), S(pace), O(ther)."""
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        return "H"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isdigit():
        return "D"
    if ch in OPEN_QUOTES or ch in CLOSE_QUOTES or ch in "《》\"'":
        return "Q"
    if ch.isspace():
        return "S"
    if not ch.isalnum():
        return "P"
    return "O"


@functools.cache
def type_words() -> dict[str, str]:
    """Words that end names of a type: ``word -> TYPE`` (from the rule lexicons)."""
    out: dict[str, str] = {}
    lex = load_json("org_lexicon.json")
    for w in [*lex["suffixes"], *lex["weak_suffixes"], *lex["unit_suffixes"]]:
        out.setdefault(w, "ORG")
    for w, _level in load_suffixes("program_suffixes.txt"):
        out[w] = "PROGRAM"
    for w, _level in load_suffixes("platform_suffixes.txt"):
        out[w] = "PLATFORM"
    for w in ("分公司", "子公司", "分行", "支行", "研究院", "省分公司", "市分公司"):
        out[w] = "SUBSIDIARY"
    return out


def _quote_depth(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in OPEN_QUOTES or ch == "《":
            depth += 1
            out.append(depth)
            continue
        out.append(depth)
        if (ch in CLOSE_QUOTES or ch == "》") and depth:
            depth -= 1
    return out


def _bio(n: int, spans: Sequence[tuple[int, int, str]]) -> dict[int, list[str]]:
    """Per character (only those under a span), the ``B-x``/``I-x``/``E-x`` tags of every span over it."""
    tags: dict[int, list[str]] = {}
    for s, e, name in spans:
        s, e = max(0, s), min(n, e)
        if s >= e:
            continue
        tags.setdefault(s, []).append("B-" + name)
        inside = "I-" + name
        for i in range(s + 1, e):
            tags.setdefault(i, []).append(inside)
        if e < n:
            tags.setdefault(e, []).append("E-" + name)  # the character right after the span
    return tags


def segment_features(
    text: str,
    tokens: Sequence[tuple[int, int]],
    candidates: Sequence[Mention],
) -> list[list[str]]:
    """The feature lists of every character of a prepared segment.

    Args:
        text: The prepared segment text.
        tokens: ``(start, end)`` of each jieba token of ``text``.
        candidates: The rule components' mentions, before any choice among them.

    Returns:
        One list of ``name=value`` strings per character.
    """
    n = len(text)
    if not n:
        return []
    tags = jieba_tags()
    tw = type_words()
    word_at = [""] * n
    pos_at = ["B"] * n
    tag_at = [""] * n
    for s, e in tokens:
        size = e - s
        if size <= 0:
            continue
        w = text[s:e]
        word_at[s:e] = [w] * size
        tag_at[s:e] = [tags.get(w, "?")] * size
        pos_at[s:e] = ["S"] if size == 1 else ["B", *["M"] * (size - 2), "E"]
    # type words that end at a character (the last characters of a token)
    type_end = [""] * n
    for s, e in tokens:
        for k in range(max(s, e - _MAX_TYPE_WORD), e - 1):
            t = tw.get(text[k:e])
            if t:
                type_end[e - 1] = t
                break
        if not type_end[e - 1]:
            t = tw.get(text[e - 1 : e])
            if t:
                type_end[e - 1] = t
    whole_type = [""] * (n + 1)  # a token that is a type word, at its first character
    for s, e in tokens:
        whole_type[s] = tw.get(text[s:e], "")
    rule_tags = _bio(n, [(m.start, m.end, m.label) for m in candidates if not m.implicit])
    src_tags = _bio(n, [(m.start, m.end, m.attrs.get("source", "rule").split(".")[0]) for m in candidates])
    depth = _quote_depth(text)
    cls = [char_class(ch) for ch in text]
    # built column by column (the same strings, in the same order, as one character at a time)
    pad = "^"
    padded = pad * 2 + text + pad * 2  # padded[i + 2] is text[i]
    idx = range(n)
    out = [
        list(row)
        for row in zip(
            ["c=" + ch for ch in text],
            ["p1=" + padded[i + 1] for i in idx],
            ["n1=" + padded[i + 3] for i in idx],
            ["p2=" + padded[i] for i in idx],
            ["n2=" + padded[i + 4] for i in idx],
            ["p1c=" + padded[i + 1 : i + 3] for i in idx],
            ["cn1=" + padded[i + 2 : i + 4] for i in idx],
            ["p2p1=" + padded[i : i + 2] for i in idx],
            ["n1n2=" + padded[i + 3 : i + 5] for i in idx],
            ["k=" + c + p + nx for c, p, nx in zip(cls, [pad, *cls[:-1]], [*cls[1:], pad], strict=True)],
            ["wp=" + a + b for a, b in zip(pos_at, tag_at, strict=True)],
            ["w=" + (w if len(w) <= 8 else "LONG") + a for w, a in zip(word_at, pos_at, strict=True)],
            ["q=" + str(min(d, 2)) for d in depth],
            strict=True,
        )
    ]
    # the optional features, pass by pass: each character's list keeps the order te, tn, r, s
    for i, t in enumerate(type_end):
        if t:
            out[i].append("te=" + t)
    for i in range(n - 1):
        if whole_type[i + 1]:
            out[i].append("tn=" + whole_type[i + 1])
    for i, ts in rule_tags.items():
        out[i].extend(["r=" + t for t in ts])
    for i, ts in src_tags.items():
        out[i].extend(["s=" + t for t in ts])
    return out
