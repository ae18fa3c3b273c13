"""Organisations without a suffix from jieba's own dictionary (POS ``nt``: 国资委, 青基会)."""

from __future__ import annotations

import functools

from extractors.lexicon import load_json
from extractors.names import Tokens
from extractors.organizations.context import OrgText
from extractors.organizations.lexicon import continues, is_han, jieba_words, org_lexicon, suffix_inside_word
from kg.model import Mention

#: dictionary tags of words that name something, for telling a name from a compound of common words
_PROPER_PARTS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "eng"})


def _common_compound(word: str) -> bool:
    """Whether ``word`` splits into two common dictionary words and no proper one (国家队, 音乐会)."""
    words = jieba_words()
    split = False
    for i in range(1, len(word)):
        a, b = word[:i], word[i:]
        pa, pb = words.get(a), words.get(b)
        if (pa or len(a) == 1) and (pb or len(b) == 1):
            if pa in _PROPER_PARTS or pb in _PROPER_PARTS:
                return False
            split = True
    return split


@functools.cache
def nt_names() -> frozenset[str]:
    """Organisation names of jieba's dictionary that name one body (not a kind of body).

    jieba tags kinds and events ``nt`` too (联合体, 音乐会, 国家队, 党组织,
    新格局); those are left out: words that are an organisation suffix
    themselves, internal bodies, one-character suffixes that end a common word,
    and compounds of two common words without a suffix (or after a verb:
    联合政府).
    """
    lex = org_lexicon()
    words = jieba_words()
    names = set()
    for word, pos in words.items():
        if pos != "nt" or len(word) < 3 or not is_han(word):
            continue
        if word in lex["suffixes"] or any(w in word for w in lex["internal"]):
            continue
        suffix = next((s for s in lex["suffixes"] if word.endswith(s) and len(word) > len(s)), None)
        core = word[: -len(suffix)] if suffix else None
        if core is not None and (core in lex["generic"] or core in lex["nt_kind_cores"]):
            continue
        if suffix_inside_word(word, suffix):
            continue
        if _common_compound(word) and (suffix is None or words.get(core) == "v"):
            continue
        if suffix is None and word.endswith(lex["nt_field_heads"]):
            continue  # 卫星通信, 城市交通, 中国馆: a field or a place of a kind, not a body
        names.add(word)
    return frozenset(names)


def dictionary_mentions(ctx: OrgText) -> list[Mention]:
    """Tokens that are one of :func:`nt_names`, as ORG mentions.

    Args:
        ctx: The passage as the organisation rules read it.

    Returns:
        The names, except those that run on into a longer word or are
        listed with provinces.
    """
    names = nt_names()
    out = []
    tokens = Tokens.of_doc(ctx.doc)
    for start, end, word in zip(tokens.starts, tokens.ends, tokens.texts, strict=True):
        if word not in names:
            continue
        if continues(ctx.text, end, word) or _beside_places(ctx, start):
            continue
        out.append(Mention(start, end, "ORG", word, word, (), {"source": "jieba_nt"}))
    return out


def _beside_places(ctx: OrgText, start: int) -> bool:
    """A body listed with provinces (31个省（自治区、直辖市）和新疆生产建设兵团) is read as a place."""
    text = ctx.text
    if start < 2 or text[start - 1] not in "和、及与":
        return False
    kinds = load_json("org_lexicon.json")["list_place_kinds"]
    before = text[max(0, start - 12) : start - 1]
    if text[start - 2] in "）)" and any(k in before for k in kinds):
        return True
    return any(m.label == "PLACE" and m.end == start - 1 for m in (ctx.doc._.kg_mentions or []))
