"""Normalised forms of entity names: the keys candidates are blocked on.

A name is first *folded* (:func:`fold`: NFKC, Traditional -> Simplified,
quotes, brackets, spaces and middle dots dropped, Latin lower-cased), then
reduced to its *core* (:func:`name_form`), the part that names the thing
whoever writes it:

- the **group prefix** is taken off and kept apart (中国联合网络通信有限公司研究院,
  联通研究院, 中国联通研究院 -> group 中国联通, core 研究院);
- a **branch chain** keeps its last link (广东分公司广州分公司 -> 广州分公司), and
  分公司/公司 are one word; the **省/市 marker** of a branch's place is kept apart
  (辽宁省分公司 -> 辽宁 + 省), so 吉林省 and 吉林市 still differ;
- **type words** at the end go (平台, 系统, 项目, 活动, 实践活动, 热线, ...), as
  does a **brand prefix** ending in a middle dot (雁飞·格物DMP平台 -> 格物DMP);
- **Latin/Chinese term pairs** of the lexicon are written out (DMP -> 设备管理).

The forms are plain data (:class:`NameForm`); nothing here decides a merge.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from kg.groups import group_data
from kg.resolution.lexicon import default_lexicon
from kg.resolution.text import fold
from kg.script import to_simplified

#: type words at the end of a program's or platform's name, longest first
TYPE_WORDS = (
    "主题实践活动", "党建共建品牌", "大党建品牌", "产业基金",
    "实践活动", "系列活动", "主题活动", "专项活动", "专场活动", "公益活动", "专项行动", "行动计划",
    "客服热线", "服务热线", "志愿服务品牌", "服务品牌", "党建品牌", "品牌", "热线", "小程序", "平台", "系统",
    "项目", "活动", "行动", "计划", "工程", "基金", "班",
    "app",
)
#: organisation-form words at the end of an organisation's name (华为公司 = 华为)
ORG_FORM_WORDS = ("股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司")
#: form words of a group's units (集团 stays: 中国移动（香港）集团 is not the 香港 branch)
GROUP_UNIT_WORDS = ("分公司", "股份有限公司", "有限责任公司", "有限公司", "公司")
#: what is left of a group's own name once its prefix is taken off (联通公司 is 中国联通)
GROUP_SELF = ("", "公司", "集团", "集团公司", "集团有限公司", "通信")
#: the national prefix of state bodies (中华人民共和国教育部 = 教育部)
STATE_PREFIXES = ("中华人民共和国",)
#: the home country, which prefixes names of domestic bodies and companies (中国农业银行 = 农业银行)
HOME_PREFIX = "中国"
_GOVERNMENT = re.compile(r"市?(?:人民)?政府$")
_BRACKETED = re.compile(rf"[（(]{HOME_PREFIX}[)）]")
_QUOTED = re.compile(r"^[“「『\"]([^”」』\"]{2,})[”」』\"](.+)$")
_CHAIN = re.compile(r"^.+?(?:分公司|公司)(?=.+(?:分公司|公司)$)")
_LATIN = re.compile(r"[a-z]")

__all__ = ["HOME_PREFIX", "STATE_PREFIXES", "NameForm", "fold", "group_names", "group_prefixes", "is_latin",
           "latin_key", "name_form", "quoted_head", "split_group", "strip_type_words"]


@functools.cache
def group_prefixes() -> tuple[tuple[str, str], ...]:
    """``(folded prefix, group canonical)`` of every telecom group's names, longest prefix first.

    The prefixes are a group's canonical name, aliases, branch prefixes,
    full publisher names and its short word (联通, 移动, 电信); not the brand
    words (天翼) that also start product names.
    """
    out: dict[str, str] = {}
    for g in group_data():
        names = [g["canonical"], *g.get("aliases", ()), *g.get("branch_prefixes", ())]
        names += g.get("publisher", {}).get("full", [])
        if g.get("short"):
            names.append(g["short"])
        for n in names:
            out.setdefault(fold(n), g["canonical"])
    return tuple(sorted(out.items(), key=lambda item: (-len(item[0]), item[0])))


@functools.cache
def group_names() -> dict[str, frozenset[str]]:
    """Per group canonical, the folded names of the group itself (canonical, aliases, publisher names)."""
    out = {}
    for g in group_data():
        names = {g["canonical"], *g.get("aliases", ())}
        pub = g.get("publisher", {})
        names |= set(pub.get("full", ())) | set(pub.get("short", ()))
        if g.get("short"):
            names.add(g["short"])
        out[g["canonical"]] = frozenset(fold(n) for n in names)
    return out


def split_group(folded: str) -> tuple[str | None, str]:
    """``(group, rest)``: the telecom group a folded name starts with, taken off (repeatedly).

    ``中国联通中国联合网络通信股份有限公司`` -> ``("中国联通", "")``.
    """
    group = None
    rest = folded
    changed = True
    while changed:
        changed = False
        for prefix, canonical in group_prefixes():
            if rest.startswith(prefix) and (group is None or group == canonical):
                group, rest, changed = canonical, rest[len(prefix):], True
                break
    return group, rest


@dataclass(frozen=True)
class NameForm:
    """The normalised parts of one name.

    Attributes:
        folded: :func:`fold` of the name.
        group: The telecom group named by its prefix, if any.
        core: What names the thing once group prefix, branch chain, markers,
            type words and brand prefix are gone.
        marker: ``省`` or ``市`` when a branch's place carried one.
        branch: The name is a regional branch (X分公司, X公司 after a group prefix).
        group_self: The name is the group itself (联通公司, 中国联通集团).
    """

    folded: str
    group: str | None
    core: str
    marker: str = ""
    branch: bool = False
    group_self: bool = False


def strip_type_words(core: str, words: tuple[str, ...] = TYPE_WORDS) -> str:
    """``core`` without the type words at its end (at least two characters are kept)."""
    changed = True
    while changed:
        changed = False
        for w in words:
            if core.endswith(w) and len(core) - len(w) >= 2:
                core, changed = core[: -len(w)], True
                break
    return core


def expand_terms(core: str) -> str:
    """Latin terms of the lexicon written out in Chinese (格物dmp -> 格物设备管理)."""
    for latin, full in default_lexicon().terms:
        if latin in core:
            core = core.replace(latin, full)
    return core


def _org_form(folded: str, group: str | None, rest: str) -> NameForm:
    """Organisations: group-scoped names lose branch chains, markers and form words."""
    if group is not None and rest in GROUP_SELF:
        return NameForm(folded, group, "", group_self=True)
    for prefix in STATE_PREFIXES:
        if rest.startswith(prefix) and len(rest) > len(prefix) + 1:
            rest = rest[len(prefix):]
    if group is None:
        if rest.startswith("国家") and rest.endswith("部") and len(rest) >= 5:
            rest = rest[2:]  # 国家生态环境部 = 生态环境部 (国家统计局 keeps its 国家)
        return NameForm(folded, None, _GOVERNMENT.sub("政府", strip_type_words(rest, ORG_FORM_WORDS)))
    rest = _CHAIN.sub("", rest)
    stem = strip_type_words(rest, GROUP_UNIT_WORDS)
    branch = stem != rest and rest.endswith("公司")
    marker = stem[-1] if branch and len(stem) >= 3 and stem[-1] in "省市" else ""
    return NameForm(folded, group, (stem[:-1] if marker else stem) or rest, marker, branch=branch)


def _debrand(simplified: str) -> str:
    """A name without the brand word before its middle dot (雁飞·格物DMP平台 -> 格物DMP平台)."""
    for dot in "·・•":
        i = simplified.find(dot)
        if i > 0:
            group, rest = split_group(fold(simplified[:i]))
            if len(rest) <= 6:
                prefix = simplified[:i][: len(simplified[:i]) - len(rest)] if group else ""
                return prefix + simplified[i + 1:]
    return simplified


@functools.lru_cache(maxsize=1 << 16)
def name_form(name: str, label: str) -> NameForm:
    """The :class:`NameForm` of ``name`` read as an entity of type ``label``.

    Args:
        name: The name as written (any script).
        label: ORG, SUBSIDIARY, PROGRAM, PLATFORM or PLACE.
    """
    folded = fold(name)
    if label == "PLACE":
        return NameForm(folded, None, folded)
    if label in ("ORG", "SUBSIDIARY"):
        group, rest = split_group(folded)
        if group is None:  # 阿里巴巴（中国）有限公司: the home country in brackets qualifies the company
            rest = fold(_BRACKETED.sub("", name))
        return _org_form(folded, group, rest)
    group, rest = split_group(fold(_debrand(to_simplified(unicodedata.normalize("NFKC", name)))))
    for g in group_names():  # 蓝色梦想—中国移动教育捐助计划: the group named inside
        if len(rest) > len(g) + 2:
            rest = rest.replace(fold(g), "")
    return NameForm(folded, group, strip_type_words(expand_terms(rest)))


def quoted_head(name: str) -> tuple[str, str] | None:
    """``(quoted name, type word)`` of a name written “X”Y ending in 平台 or 系统 (“墨攻”安全运营平台)."""
    text = to_simplified(unicodedata.normalize("NFKC", name))
    prefix = next((p for p, _ in group_prefixes() if text.startswith(p)), "")
    m = _QUOTED.match(text[len(prefix):])  # 中国联通“格物”设备管理平台: the group's name first
    if m is None:
        return None
    tail = fold(m[2])
    word = next((w for w in ("平台", "系统") if tail.endswith(w)), None)
    return (fold(m[1]), word) if word else None


def is_latin(core: str) -> bool:
    """Whether a folded core is mainly Latin letters (OneCity, GSMA)."""
    letters = _LATIN.findall(core)
    return len(letters) * 2 > len(core)


def latin_key(core: str) -> str:
    """The sorted Latin letters of a core of six or more letters, else ``""`` (catches OneCtiy/OneCity)."""
    letters = sorted(_LATIN.findall(core))
    return "".join(letters) if len(letters) >= 6 else ""
