"""Items of 、-lists of organisations (微软、谷歌等企业; 国家网信办、工业和信息化部、公安部联合制定)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from extractors.lexicon import alternation, load_json
from extractors.organizations.lexicon import jieba_words, org_lexicon
from extractors.organizations.units import group_prefixes
from kg.model import Mention
from kg.textunits import HAN

#: longest item of a 、-list: a character, eleven more and a bracketed gloss of eight
_LIST_ITEM_CHARS = 1 + 11 + 10


@functools.cache
def _list_pattern() -> re.Pattern:
    """A 、-list of items, with an optional tail 等 + a kind of organisation (group ``tail``)."""
    lex = load_json("org_lexicon.json")
    heads = "|".join(sorted(map(re.escape, lex["list_heads"]), key=len, reverse=True))
    # 等 closes a list, so it cannot be inside an item (of at most _LIST_ITEM_CHARS characters)
    item = rf"[{HAN}A-Za-z][^\W等_]{{0,11}}(?:[（(][^（）()]{{1,8}}[）)])?"
    quantifiers = alternation(lex["list_tail_quantifiers"])
    return re.compile(rf"(?:{item}、)+{item}(?P<tail>等(?:{quantifiers})?(?:{heads}))?")


def list_mentions(text: str, known: list[Mention]) -> list[Mention]:
    """Items of 、-lists of organisations, as ORG mentions.

    An item is an organisation when the list ends in 等 + a kind of
    organisation (微软、谷歌等企业), or when most other items already are
    (国家网信办、工业和信息化部、公安部联合制定).

    Args:
        text: The passage.
        known: The mentions found so far (items already read are not read again).
    """
    orgs = {(m.start, m.end) for m in known if m.label in ("ORG", "SUBSIDIARY")}
    out = []
    for lm in _list_matches(_list_pattern(), text):
        spans = _item_spans(text, lm, orgs)
        if spans is None:
            continue
        for a, b in spans:
            if any(x <= a and b <= y for x, y in orgs) or any(a < y and x < b for x, y in orgs):
                continue
            name = text[a:b]
            paren = re.search(r"[（(]原?([^（）()]+)[）)]$", name)
            aliases: tuple[str, ...] = ()
            if paren:
                aliases = (paren.group(1),)
                name = name[: paren.start()]
            if len(name) < 2 or re.search(r"\d", name) or name in org_lexicon()["generic"]:
                continue
            if not _list_item_named(name):
                continue
            out.append(Mention(a, a + len(name), "ORG", name, name, aliases, {"source": "list"}))
    return out


def _item_spans(text: str, lm: re.Match, orgs: set[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The spans of the items of list ``lm``, or ``None`` when it is no list of organisations."""
    spans, pos = [], lm.start()
    body_end = lm.start("tail") if lm.group("tail") else lm.end()
    for part in text[lm.start() : body_end].split("、"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    # the first item may carry words of the clause before it: keep its last name-like token
    s0, e0 = spans[0]
    for lead in org_lexicon()["lead_strip"]:
        idx = text.rfind(lead, s0, e0)
        if idx >= 0 and e0 - (idx + len(lead)) >= 2:
            s0 = idx + len(lead)
    spans[0] = (s0, e0)
    if not lm.group("tail"):
        # without 等…, most items must be organisations already (tested first: it is cheap)
        covered = sum(1 for a, b in spans if any(x <= a and b <= y for x, y in orgs))
        if covered < 2 or covered * 2 < len(spans):
            return None
    named = sum(1 for a, b in spans if _looks_named(text[a:b]))
    if named * 2 < len(spans):
        return None  # 包装和运输、废弃物管理…等企业生产: activities, not organisations
    if not lm.group("tail"):
        # without 等…, the last item runs into the clause: cut it after an organisation suffix
        a, b = spans[-1]
        cut = next(
            (a + i for i in range(2, b - a + 1) if text[a : a + i].endswith(org_lexicon()["suffix_tuple"])),
            None,
        )
        spans[-1] = (a, cut) if cut else (a, a)
    return spans


def _list_matches(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for the list pattern, tried only near a 、.

    A list's first 、 ends its first item, so no list starts more than
    ``_LIST_ITEM_CHARS`` characters before the next 、: the regex need
    not be tried at every character of the text.
    """
    pos = 0
    while (sep := text.find("、", pos)) >= 0:
        lm = pattern.search(text, max(pos, sep - _LIST_ITEM_CHARS))
        if lm is None:
            return
        yield lm
        pos = lm.end()


def _list_item_named(name: str) -> bool:
    """An item of a list of bodies is kept when it names one itself.

    The others (派出所, 行业龙头, 主题分享的还有来自华为) ride on the names
    beside them; a group's unit (中移香港) is read by the unit rules.
    """
    import jieba

    lex = org_lexicon()
    words = jieba_words()
    if name.startswith(group_prefixes()) or name in lex["suffixes"] or name.endswith(lex["facilities"]):
        return False
    if words.get(name) in ("nt", "nz", "j", "nr", "eng") or re.search(r"[A-Za-z]", name):
        return True
    parts = jieba.lcut(name, HMM=False)
    if (
        any(words.get(w) in lex["verbal_pos"] for w in parts if len(w) > 1)
        or len(name) > 5
        and any(words.get(w) == "v" for w in parts)
    ):
        return False  # 主题分享的还有来自华为, 电信运营企业落实国家
    if name[-1] in lex["list_kind_chars"] and all(
        words.get(w) not in (None, *lex["proper_pos"]) for w in parts
    ):
        return False  # 派出所, 信访局, 大数据局: a kind of office in every town
    if name.endswith(lex["list_company_ends"]):
        return True
    common = [w for w in parts if len(w) > 1]
    return len(common) < 2 or any(words.get(w) in (None, *lex["proper_pos"]) for w in parts)


def _looks_named(item: str) -> bool:
    """Whether a list item looks like a proper name rather than a common phrase."""
    item = re.sub(r"[（(][^（）()]*[）)]$", "", item)
    if re.search(r"[A-Za-z]", item):
        return True
    pos = jieba_words().get(item)
    if pos is None:
        import jieba

        parts = jieba.lcut(item)
        return len(parts) <= 2 and any(
            jieba_words().get(p) in (None, *org_lexicon()["proper_pos"]) for p in parts
        )
    return pos in org_lexicon()["proper_pos"] or item.endswith(org_lexicon()["suffix_tuple"])
