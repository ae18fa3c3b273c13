"""The telecom groups and their named units.

A group under any of its names (``data/groups.json``) is an ORG; group word +
name + unit suffix (中国移动研究院, 联通华盛通信有限公司) or a unit's stem alone
(咪咕) is a SUBSIDIARY of it, and so is a body the publisher says it founded.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc

from extractors import doc_text
from extractors.lexicon import Group, group_by_name, groups, load_json, publisher_group
from extractors.organizations.lexicon import NAME_CHAR, is_han, jieba_words, org_lexicon
from kg.model import Mention
from kg.textunits import HAN


@functools.cache
def group_pattern() -> re.Pattern:
    """Pattern over every name of every group, longest first."""
    names = sorted({n for g in groups() for n in g.names()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


@functools.cache
def group_prefixes() -> tuple[str, ...]:
    """Words that start a unit name of a group (中国移动, 中移, 联通), longest first."""
    return tuple(
        sorted({p for g in groups() for p in (*g.branch_prefixes, g.canonical)}, key=len, reverse=True)
    )


@functools.cache
def prefix_pattern() -> re.Pattern:
    """Pattern over :func:`group_prefixes`."""
    return re.compile("|".join(map(re.escape, group_prefixes())))


@functools.cache
def unit_pattern() -> re.Pattern:
    """Group word + up to ten name characters + unit suffix, in groups ``group``, ``name``, ``suffix``."""
    unit_suffixes = load_json("org_lexicon.json")["unit_suffixes"]
    suffixes = "|".join(sorted(map(re.escape, unit_suffixes), key=len, reverse=True))
    return re.compile(
        "(?P<group>" + "|".join(re.escape(p) for p in group_prefixes()) + ")"
        rf"(?P<name>[{HAN}A-Za-z（）()]{{0,10}}?)(?P<suffix>" + suffixes + ")"
    )


@functools.cache
def _stem_pattern() -> re.Pattern | None:
    stems = sorted({s for g in groups() for s in g.unit_stems}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile("|".join(re.escape(s) for s in stems))


def _first_word(name: str) -> str:
    """First word of ``name`` as jieba cuts it (dictionary only)."""
    import jieba

    return jieba.lcut(name, HMM=False)[0]


def _stem_group(stem: str) -> Group:
    return next(g for g in groups() if stem in g.unit_stems)


def group_mentions(text: str) -> list[Mention]:
    """The groups under any of their names, as ORG mentions under their canonical name."""
    out = []
    for m in group_pattern().finditer(text):
        g = group_by_name()[m.group()]
        out.append(Mention(m.start(), m.end(), "ORG", g.canonical, m.group(), g.aliases, {"source": "group"}))
    return out


def unit_mentions(text: str) -> list[Mention]:
    """Units named group word + name + unit suffix (中国移动研究院), as SUBSIDIARY mentions.

    Args:
        text: The passage.

    Returns:
        The units, not the group itself (中国移动通信集团有限公司, 联通公司),
        a kind (中国电信各省分公司), a facility, an online service or a clause.
    """
    lex = org_lexicon()
    out = []
    for m in unit_pattern().finditer(text):
        group = group_by_name()[m.group("group")]
        whole = m.group()
        if whole in group.names() or whole in group.aliases:
            continue
        name, suffix = m.group("name"), m.group("suffix")
        if name in ("集团", "通信集团") and suffix == "有限公司":
            continue  # 中国移动通信集团有限公司 is the group itself
        if any(b in name for b in lex["unit_breaks"]) or whole.endswith(lex["unit_facilities"]):
            continue  # 中移铁通总部及北京分公司: two names; 绿色数据中心: a facility
        if not suffix.endswith("公司") and any(w in name for w in lex["online"]):
            continue  # 中国移动网上人才发展中心: an online service, not a unit
        if name and _first_word(name) in lex["stop"]:
            continue  # 中国联通依托支付公司账户: a verb, not a unit name
        if not name and suffix == "公司" or name == "集团" or name.startswith(("各", "多")):
            continue  # 联通公司, 联通集团公司: the group itself; 中国电信各省分公司: a kind
        if _clause(name, lex):
            continue  # 中国联通始终坚持以人民为中心: a clause that ends in 中心
        out.append(unit_mention(m.start(), m.end(), whole, m.group("group"), group, name, suffix, "unit"))
    return out


def _clause(name: str, lex: dict) -> bool:
    """Whether a unit name is a clause: an adverb or particle, or two verbs (深刻认识推进)."""
    import jieba

    words = jieba_words()
    parts = [w for w in jieba.lcut(name, HMM=False) if len(w) >= 2]
    if any(words.get(w) in lex["verbal_pos"] for w in parts):
        return True
    return sum(1 for w in parts if words.get(w) == "v") >= 2


def unit_mention(
    start: int, end: int, whole: str, prefix: str, group: Group, name: str, suffix: str, source: str
) -> Mention:
    """A SUBSIDIARY named ``prefix`` + ``name`` + ``suffix`` (联通华盛通信有限公司).

    Args:
        start: Start offset.
        end: End offset.
        whole: The name as written.
        prefix: The group word it starts with.
        group: That group.
        name: The part between the group word and the suffix.
        suffix: The unit suffix.
        source: The rule, for ``attrs["source"]``.

    Returns:
        The mention, with the aliases the unit is also called by (联通国际, 咪咕).
    """
    aliases = []
    plain = re.sub(r"[（(]([^（）()]*)[）)]", r"\1", name)
    bare = (plain if name.startswith(("（", "(")) else name) + suffix
    if name:
        aliases += [bare, f"{group.canonical}{bare}"]
        short = min((p for p in group.branch_prefixes if len(p) <= 2), key=len, default=None)
        lead = re.match(r"[（(]([^（）()]+)[）)]", name)
        stem = lead.group(1) if lead else plain.removeprefix("集团")
        company = suffix.endswith("公司")
        if company and short and stem and len(stem) <= 4:
            aliases.append(f"{short}{stem}")  # 联通国际, 联通欧洲
        if company and stem and stem not in jieba_words() and len(stem) >= 2 and is_han(stem):
            aliases.append(stem)  # 咪咕
    if plain != name:
        aliases.append(f"{prefix}{plain}{suffix}")
    if suffix == "有限公司" and name:
        aliases.append(f"{prefix}{name}公司")
        aliases.append(f"{prefix}{plain.removeprefix('集团')}公司")  # 联通集团财务有限公司 -> 联通财务公司
    if name.startswith("集团"):
        aliases.append(f"{group.canonical}{plain.removeprefix('集团')}{suffix}")
    return Mention(
        start,
        end,
        "SUBSIDIARY",
        whole,
        whole,
        tuple(a for a in dict.fromkeys(aliases) if a != whole),
        {"group": group.canonical, "source": source},
    )


def stem_mentions(text: str, units: list[Mention]) -> list[Mention]:
    """Well-known subsidiaries named by their stem alone (咪咕, 中移铁通总部).

    Args:
        text: The passage.
        units: The units of :func:`unit_mentions` (a stem inside one is not read again).
    """
    pattern = _stem_pattern()
    if pattern is None:
        return []
    lex = org_lexicon()
    out = []
    for m in pattern.finditer(text):
        after = text[m.end() : m.end() + 2]
        if after and NAME_CHAR.match(after[0]) and not after.startswith(lex["stem_followers"]):
            continue  # 咪咕阅读: a product of the unit, not the unit
        if any(u.start <= m.start() and m.end() <= u.end for u in units):
            continue  # 中国移动咪咕公司: the unit's name already carries it
        stem = m.group()
        group = _stem_group(stem)
        if stem.startswith(group_prefixes()):
            aliases = (f"{stem}公司", f"{stem}有限公司")
        else:
            aliases = (f"{stem}公司", f"{group.canonical}{stem}公司")
        attrs = {"group": group.canonical, "source": "stem"}
        out.append(Mention(m.start(), m.end(), "SUBSIDIARY", stem, stem, aliases, attrs))
    return out


def retype_founded_units(doc: Doc, found: list[Mention]) -> None:
    """Retype as SUBSIDIARY the publisher's own bodies found by their suffix (in place).

    An institute the publisher opens (会上揭牌乡村振兴（重庆）数字产业研究院)
    is its unit, wherever else the passage names it; so is a body named
    with 集团 first in a group's report (集团新闻宣传中心).

    Args:
        doc: The ``Doc`` (its ``kg_meta`` names the publisher).
        found: The organisations found so far; ORG mentions of such bodies change.
    """
    lex = org_lexicon()
    publisher = publisher_group((doc._.kg_meta or {}).get("publisher"))
    if publisher is None:
        return
    text = doc_text(doc)
    own: set[str] = set()
    for m in found:
        if m.label != "ORG" or m.attrs.get("source") != "suffix":
            continue
        if m.canonical.startswith("集团") and len(m.canonical) > 4 and not m.canonical.endswith("公司"):
            own.add(m.canonical)
            continue
        if not m.canonical.endswith(lex["founded"]):
            continue
        verb = next((v for v in lex["founding"] if text.endswith(v, 0, m.start)), None)
        if verb is None:
            continue
        window = text[max(0, m.start - len(verb) - 80) : m.start - len(verb)]
        if any(n in window for n in (*publisher.names(), *lex["founder_words"])):
            own.add(m.canonical)
    for m in found:
        if m.label == "ORG" and m.canonical in own:
            m.label = "SUBSIDIARY"
            full = f"{publisher.canonical}{m.canonical}"
            m.aliases = tuple(dict.fromkeys((*m.aliases, full)))
            m.attrs = {**m.attrs, "group": publisher.canonical, "source": "own_unit"}
