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
    tags = jieba_tags()
    tw = type_words()
    word_at = [""] * n
    pos_at = ["B"] * n
    tag_at = [""] * n
    word_start = [0] * n
    for s, e in tokens:
        w = text[s:e]
        t = tags.get(w, "?")
        for i in range(s, e):
            word_at[i] = w
            tag_at[i] = t
            word_start[i] = s
            pos_at[i] = "S" if e - s == 1 else "B" if i == s else "E" if i == e - 1 else "M"
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
    out: list[list[str]] = []
    pad = "^"
    for i, ch in enumerate(text):
        p1 = text[i - 1] if i > 0 else pad
        p2 = text[i - 2] if i > 1 else pad
        n1 = text[i + 1] if i + 1 < n else pad
        n2 = text[i + 2] if i + 2 < n else pad
        w = word_at[i]
        f = [
            "c=" + ch,
            "p1=" + p1,
            "n1=" + n1,
            "p2=" + p2,
            "n2=" + n2,
            "p1c=" + p1 + ch,
            "cn1=" + ch + n1,
            "p2p1=" + p2 + p1,
            "n1n2=" + n1 + n2,
            "k=" + cls[i] + (cls[i - 1] if i else pad) + (cls[i + 1] if i + 1 < n else pad),
            "wp=" + pos_at[i] + tag_at[i],
            "w=" + (w if len(w) <= 8 else "LONG") + pos_at[i],
            "q=" + str(min(depth[i], 2)),
        ]
        if type_end[i]:
            f.append("te=" + type_end[i])
        if i + 1 < n and whole_type[i + 1]:
            f.append("tn=" + whole_type[i + 1])
        if i in rule_tags:
            f.extend(["r=" + t for t in rule_tags[i]])
        if i in src_tags:
            f.extend(["s=" + t for t in src_tags[i]])
        out.append(f)
    return out
