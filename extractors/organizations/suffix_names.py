"""Names that end in an organisation suffix (大学, 基金会, 委员会, 有限公司, ...).

A token ending in a suffix starts the reading; :mod:`.left_edge` finds where
the name starts. Weak suffixes (部, 局, 中心, ...) need more evidence (a
dictionary word, a place or 国家/国务院 in front); unnamed organisations
(当地政府, 3,000余个重要医院), kinds, facilities, branches and departments are
left out.
"""

from __future__ import annotations

import re

from extractors import mentions
from extractors.lexicon import group_by_name
from extractors.names import Tokens
from extractors.organizations.context import OrgText
from extractors.organizations.left_edge import left_edge, tidy_start
from extractors.organizations.lexicon import continues, jieba_words, org_lexicon, suffix_inside_word
from extractors.organizations.units import group_prefixes, unit_pattern
from kg.model import Mention


def suffix_mentions(ctx: OrgText, max_name_chars: int) -> list[Mention]:
    """Organisations named by a suffix, as ORG mentions.

    Args:
        ctx: The passage as the organisation rules read it.
        max_name_chars: Longest name read.

    Returns:
        The names (group units are left to :mod:`.units`).
    """
    lex = org_lexicon()
    doc, text = ctx.doc, ctx.text
    out = []
    tokens = Tokens.of_doc(doc)
    for i, (end, word) in enumerate(zip(tokens.ends, tokens.texts, strict=True)):
        if not word.endswith(lex["suffix_tuple"]):  # one C-level test before the per-suffix search
            continue
        suffix = next((s for s in lex["suffixes"] if word.endswith(s)), None)
        if suffix is None or not _suffix_token(word, suffix, lex):
            continue
        start = left_edge(ctx, i, lex)
        if start is None or end - start > max_name_chars:
            continue
        for lead in lex["lead_strip"]:
            if text.startswith(lead, start) and end - start - len(lead) > len(suffix) + 1:
                start += len(lead)
                break
        start = tidy_start(ctx, start, end)
        if start is None:
            continue
        name = text[start:end]
        if continues(text, end, word):
            continue  # 广州大学城 is a place
        if text.startswith(lex["long_suffixes"], end):
            continue  # 中国上市公司协会: the name goes on
        if name.startswith(group_prefixes()) and unit_pattern().fullmatch(name):
            continue  # group units are read by units.unit_mentions
        core = name[: -len(suffix)]
        if not core or any(w in name for w in lex["internal"]):
            continue
        if not _named(ctx, core, name, suffix, lex) or not _proper(ctx, start, end, lex):
            continue
        if _kind_or_fragment(ctx, start, end, suffix, lex):
            continue
        out.append(Mention(start, end, "ORG", name, name, (), {"source": "suffix"}))
    return out


def _suffix_token(word: str, suffix: str, lex: dict) -> bool:
    """Whether a token ending in ``suffix`` can end a name (not 签署, 布局, 内部)."""
    if word == suffix:
        return True
    if suffix_inside_word(word, suffix):
        return False
    pos = jieba_words().get(word)
    head = jieba_words().get(word[: -len(suffix)])
    if suffix in ("公司", "集团") and pos in ("n", "nt") and head not in (None, *lex["proper_pos"]):
        return False  # 跨国公司, 上市公司, 分公司: a kind of company
    if pos is None or pos in ("nt", "j"):
        return True
    if suffix in lex["weak"] and len(suffix) == 1:
        return pos == "n" and len(word) >= 3
    return pos.startswith("n") or pos in ("j", "l")


def _named(ctx: OrgText, core: str, name: str, suffix: str, lex: dict) -> bool:
    """Whether ``core`` + ``suffix`` names one organisation rather than a kind."""
    if core in lex["generic"] or re.fullmatch(r"[\d,.%余多个家所]+", core):
        return False
    if len(core) < 2 and name not in jieba_words():
        return False
    if suffix in lex["weak"]:
        words = jieba_words()
        pos = words.get(name)
        evidence = (
            pos in ("nt", "j", "nz")
            or (pos == "n" and len(name) >= 3 and suffix in lex["office_suffixes"])
            or core.startswith(lex["national_starts"])
            or "和" in core
            or len(core) >= 4
            and suffix in lex["long_core_suffixes"]
            or (len(name) == 3 and pos is None and suffix in lex["office_suffixes"])
            or core.startswith(ctx.place_names)
            or words.get(core) in ("nr", "nrt", "nrfg", "nz", "eng")
            or re.fullmatch(r"[A-Za-z][A-Za-z0-9&\-]+", core) is not None
            or any(words.get(core[:k]) == "ns" for k in (2, 3))
            or words.get(name[-3:]) in ("j", "nt")
            and len(name) > 3
        )
        if not evidence:
            return False
    return True


def _government(name: str, lex: dict) -> bool:
    """A government body that is one of its kind: 国家药监局, 工业和信息化部, 公安部."""
    if name[-1] not in lex["gov_chars"] and not name.endswith(lex["government_suffixes"]):
        return False
    if name.startswith(lex["national"]) or "和" in name:
        return True
    core = name[:-1]
    return name[-1] == "部" and core in jieba_words() and core not in lex["generic"] and len(core) >= 2


def _proper(ctx: OrgText, start: int, end: int, lex: dict) -> bool:
    """A name needs one proper token: a name, a place, or a word jieba does not know."""
    words = jieba_words()
    whole = ctx.text[start:end]
    if words.get(whole) in ("nt", "j", "nz") or len(whole) > 9 or _government(whole, lex):
        return True
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    for t in span if span is not None else ():
        pos = words.get(t.text)
        if pos is None or pos in lex["proper_pos"] or re.search(r"[A-Za-z]", t.text):
            if t.text not in lex["suffixes"] and not t.like_num:
                return True
    return any(m.label == "PLACE" and start <= m.start < end for m in (ctx.doc._.kg_mentions or []))


def _kind_or_fragment(ctx: OrgText, start: int, end: int, suffix: str, lex: dict) -> bool:
    """Whether a suffix name is a facility, a kind, a branch or a department, not one body.

    ``绿色数据中心`` and ``营业厅`` are facilities; ``某大型零售公司``,
    ``县人民医院``, ``美国半导体公司``, ``5G智慧医院`` and ``数字政府`` are kinds;
    ``辽宁分公司`` is a branch (read by ``kg_branches``); ``联通市场部`` is
    a department of a group.
    """
    doc = ctx.doc
    name = ctx.text[start:end]
    core = name[: -len(suffix)]
    span = doc.char_span(start, end, alignment_mode="expand")
    tokens = [t.text for t in span] if span is not None else [name]
    if name.endswith(lex["facilities"]) or "某" in name or core in group_by_name():
        return True  # 联通公司 is the group itself
    if name.startswith(("集团", "公司")) and name.endswith("公司"):
        return True  # 集团股份有限公司: the tail of a name cut by a verb (一汽解放集团…)
    if name.endswith(("分公司", "子公司")) or re.search(r"分[（(]子[）)]", name):
        return True  # a branch; a branch of a telecom group is a SUBSIDIARY, read elsewhere
    if any(m.label == "SUBSIDIARY" and m.end == end and m.start >= start for m in mentions(doc)):
        return True  # 教育大会山西分公司: a heading glued to a branch
    if tokens[0] in lex["levels"] and not ctx.place_at(start):
        return True  # 省国资委, 县人民医院: one of a level of bodies
    if name.startswith(group_prefixes()) and (name[-1] in lex["gov_chars"] or name.endswith("处")):
        return True  # 联通市场部, 中国联通数字化部: a department of a group
    if "事业部" in name:
        return True
    if suffix == "政府":
        return not _government_of_place(ctx, core, lex)
    rest = ctx.after_place(start, start + len(core))
    if suffix == "公司" and rest is not None:
        # 中国公司, 美国半导体公司: a place and common words describe a kind
        rest_span = doc.char_span(end - len(suffix) - len(rest), end - len(suffix), alignment_mode="expand")
        if not rest or not any(
            ctx.strict_proper(t.text, lex) or jieba_words().get(t.text) is None for t in (rest_span or ())
        ):
            return True
    core_tokens = tokens[:-1] if tokens and tokens[-1].endswith(suffix) and tokens[-1] != name else tokens
    kindly = bool(core_tokens) and (
        core_tokens[-1] in lex["kind_modifiers"] or core_tokens[0] in lex["kind_determiners"]
    )
    bare_centre = next(s for s in lex["suffixes"] if name.endswith(s)) == "中心"
    if (bare_centre and not name.startswith("集团")) or kindly:
        # 健康宣贯中心, 5G创新中心: a 中心 (or a kind: 智慧医院) needs a real name in front
        return not any(ctx.strict_proper(t, lex) for t in core_tokens)
    return False


def _government_of_place(ctx: OrgText, core: str, lex: dict) -> bool:
    """日本政府, 义乌市政府, 美国联邦政府 name a government; 数字政府, 地方政府 do not."""
    if jieba_words().get(core) in ("nr", "nrt", "nrfg"):
        return True  # 拜登政府
    rest, named = core, False
    while rest:
        places = [p for p in ctx.place_names if len(p) >= 2 and rest.startswith(p)]
        k = max(map(len, places), default=0) or next(
            (k for k in (3, 2) if jieba_words().get(rest[:k]) == "ns"), 0
        )
        if not k:
            k = next(
                (
                    len(w)
                    for w in sorted(lex["gov_after_place"], key=len, reverse=True)
                    if named and rest.startswith(w)
                ),
                0,
            )
        if not k:
            return False
        rest, named = rest[k:], True
    return named
