"""Scoring a candidate pair: features, conflicts, and a logistic score.

The score is ``sigmoid(prior(link) + Σ weight × feature)``; a pair merges
when it reaches :data:`THRESHOLD` and has no conflict. The weights are set
by hand, each for a stated reason, and checked against the cluster gold of
``bench/data/clusters.jsonl`` (``python bench/eval_resolution.py`` prints
pairwise precision and recall, and how they move with the threshold).

Conflicts are hard: two groups (中国移动 vs 中国联通), two places of
branches (广州 vs 广东), two adcodes, two operators read from names, 省 vs
市 on one place (吉林省 is not 吉林市), two bodies of the lexicon. They are
checked again between whole clusters (:mod:`kg.resolution.clustering`), so
transitivity cannot join what a pair would have refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kg.resolution.blocking import strongest
from kg.resolution.lexicon import default_lexicon
from kg.resolution.names import TYPE_WORDS, fold, is_latin, name_form
from kg.resolution.profile import Profile
from kg.script import to_simplified

THRESHOLD = 0.5
#: log-odds of a match given only how the pair was linked
PRIOR = {
    "name": 5.0,  # the same name once quotes, brackets and script are folded
    "body": 5.0,  # two names of one body in the lexicon (国资委, 国务院国有资产监督管理委员会)
    "self": 5.0,  # a name that is the group itself (联通公司) and the group
    "alias": 3.0,  # one's name is the other's alias
    "core": 2.5,  # equal cores (广东分公司广州分公司 / 广州分公司; 资治平台 / 资治)
    "place_prefix": 2.5,  # a place before one name (上海复旦大学 / 复旦大学; 中国工商银行 / 工商银行)
    "quote": 2.0,  # one quoted name before one kind of type word (“墨攻”平台 / “墨攻”安全运营服务平台)
    "alias_core": 1.5,
    "abbrev": 1.5,  # one core abbreviates the other's within a group (联通数科 / 联通数字科技)
    "suffix": 1.5,  # a name whose left edge ran into other words (严格遵守国务院国资委)
    "alias_alias": 1.0,
    "latin": -1.5,  # only letters shared: needs a near-identical spelling to pass
}
WEIGHTS = {
    "similarity": 3.0,  # (ratio - 0.5) of the folded names: near-identical spellings
    "seen_alias": 1.0,  # the alias was written in a text, not derived by a pattern
    "same_group": 1.0,
    "same_place": 1.0,
    "shared_docs": 0.5,  # mentioned in one document
    "neighbours": 2.0,  # Jaccard of related entities
    "short_core": -4.0,  # the shared core has one character (two for programs and platforms outside a group)
    "derived_link": -2.5,  # linked only through names a pattern derived, never written
    "extension": -4.0,  # one name is the other plus words of its own (国资委创新项目 + 跟投改革试点)
    "generic": -6.0,  # the shared name is a generic word (研究院, 分公司)
    "extra_links": 0.5,  # per further kind of link
}
#: names that say what something is, not which one (shared, they prove nothing)
GENERIC = frozenset(fold(w) for w in (
    "研究院", "研究所", "分公司", "公司", "集团", "中心", "大学", "学院", "平台", "系统", "项目", "活动",
    "政府", "银行", "委员会", "协会", "基金会", "实验室", "办公室", "总部", "国际公司", "在线公司",
    "运营公司", "财务公司", "大数据", "云", "APP", "热线", "工程", "计划", "行动", "交易所", "交易中心",
    "通信管理局", "证券交易所", "人民政府", "省委", "市委", "县委", "党委", "纪委", "党总支部", "党支部",
))


@dataclass
class Scored:
    """A scored candidate pair.

    Attributes:
        score: Probability-like score in [0, 1].
        link: The strongest link kind.
        features: Feature values (for merges.csv).
        conflicts: Why the pair can never merge (empty when it can).
    """

    score: float
    link: str
    features: dict[str, float] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    @property
    def merge(self) -> bool:
        """Whether the pair may merge: no conflict and a score at the threshold or above."""
        return not self.conflicts and self.score >= THRESHOLD


def conflicts(a: Profile, b: Profile) -> list[str]:
    """Why ``a`` and ``b`` cannot be one thing, as short phrases (empty: no conflict)."""
    out = []
    pairs = {
        "groups": (a.group, b.group),
        "places": (a.place, b.place),
        "adcodes": (a.attrs.get("adcode"), b.attrs.get("adcode")),
        "markers": (a.form.marker, b.form.marker),
        "bodies": (body(a), body(b)),
    }
    for what, (x, y) in pairs.items():
        if x and y and x != y:
            out.append(f"two {what} ({x} / {y})")
    # a part read between two writings of one name (格物平台 partOf 格物: one core) is no whole and part
    if (a.key in b.parts or b.key in a.parts) and a.form.core != b.form.core:
        out.append("one is part of the other")
    unit = _branch_and_unit(a, b) or _branch_and_unit(b, a)
    if unit:
        out.append(unit)
    named = _named_for_another(a, b) or _named_for_another(b, a)
    if named:
        out.append(named)
    if a.operators and b.operators and not a.operators & b.operators:
        out.append(f"two operators ({'/'.join(sorted(a.operators))} / {'/'.join(sorted(b.operators))})")
    return out


def _named_for_another(named: Profile, other: Profile) -> str:
    """A program or platform named with one group's full name (中国联通官方微博) and a name without
    a group (官方微博) that only other groups run: the same words, two groups' things. A short
    prefix is not enough (电信普惠服务项目: 电信 there is the sector, not 中国电信)."""
    group = named.form.group
    if not group or named.family not in ("program", "platform") or other.form.group:
        return ""
    if group not in to_simplified(named.canonical):
        return ""
    if not other.operator_groups or group in other.operator_groups:
        return ""
    runners = "/".join(sorted(other.operator_groups))
    return f"{named.canonical} is {group}'s, {other.canonical} is run by {runners}"


def _branch_and_unit(branch: Profile, other: Profile) -> str:
    """A regional branch (place known) and a unit of its group not named after that place alone."""
    if not branch.place or other.place or branch.family != "org" or branch.group != other.group:
        return ""
    if other.form.core == branch.place:
        return ""
    return f"a branch of {branch.attrs.get('place')} and {other.canonical}"


def body(p: Profile) -> str | None:
    """The lexicon body an organisation's canonical name names."""
    return default_lexicon().body_of(p.canonical) if p.family == "org" else None


def _shared_core(a: Profile, b: Profile) -> str:
    return a.form.core if a.form.core == b.form.core else min((a.form.core, b.form.core), key=len)


def features(a: Profile, b: Profile, links: dict[str, set[str]]) -> dict[str, float]:
    """The feature values of a pair linked by ``links`` (kind -> key values)."""
    fa, fb = fold(a.canonical), fold(b.canonical)
    core = _shared_core(a, b)
    values = [v.rsplit("|", 1)[-1] for vs in links.values() for v in vs]
    f = {
        "similarity": SequenceMatcher(None, fa, fb).ratio() - 0.5,
        "seen_alias": float("alias" in links and _seen_alias(a, b)),
        "same_group": float(bool(a.group) and a.group == b.group),
        "same_place": float(bool(a.place) and a.place == b.place),
        "shared_docs": float(bool(a.docs & b.docs)),
        "neighbours": _jaccard(a.neighbours, b.neighbours),
        "short_core": float("quote" not in links and _short(core, a.group, a.family)),
        "derived_link": float(bool(links) and set(links) <= {"alias_core", "alias_alias"} and _derived(a, b)),
        "generic": float(all(v in GENERIC for v in values) and not (a.group and a.group == b.group)),
        "extra_links": float(len(links) - 1),
        "extension": float("quote" not in links and (_extension(a, b) or _extension(b, a))),
    }
    return f


def _extension(short: Profile, long: Profile) -> bool:
    """Whether ``long``'s name is ``short``'s plus two or more characters that are not type words.

    Not when a text wrote the longer name for the shorter one (“格物”设备管理平台 for 格物).
    """
    s, t = fold(short.canonical), fold(long.canonical)
    if len(s) >= len(t) or not t.startswith(s) or short.family not in ("program", "platform"):
        return False
    if t in {fold(n) for n in short.seen}:
        return False
    rest = t[len(s):]
    for w in TYPE_WORDS:
        if rest.endswith(w):
            rest = rest[: -len(w)]
            break
    return len(rest) >= 2


def _seen_alias(a: Profile, b: Profile) -> bool:
    seen_a, seen_b = {fold(n) for n in a.seen}, {fold(n) for n in b.seen}
    return fold(a.canonical) in seen_b or fold(b.canonical) in seen_a


def _short(core: str, group: str | None, family: str) -> bool:
    if not core or is_latin(core):
        return False
    return len(core) <= 1 or (len(core) <= 2 and not group and family != "org")


def _derived(a: Profile, b: Profile) -> bool:
    """Whether neither side's written names share a core with the other (only derived names do)."""
    def cores(p: Profile) -> set[str]:
        return {name_form(n, p.label).core for n in p.seen | {p.canonical}}

    return not cores(a) & cores(b)


def _jaccard(x: Iterable, y: Iterable) -> float:
    x, y = set(x), set(y)
    return len(x & y) / len(x | y) if x | y else 0.0


def score_pair(a: Profile, b: Profile, links: dict[str, set[str]]) -> Scored:
    """Score one candidate pair.

    Args:
        a: One entity.
        b: The other.
        links: How blocking linked them (kind -> key values).

    Returns:
        The :class:`Scored` pair.
    """
    link = strongest(links)
    f = features(a, b, links)
    logit = PRIOR[link] + sum(WEIGHTS[name] * value for name, value in f.items())
    score = 1.0 / (1.0 + math.exp(-logit))
    return Scored(round(score, 4), link, {k: round(v, 3) for k, v in f.items() if v}, conflicts(a, b))
