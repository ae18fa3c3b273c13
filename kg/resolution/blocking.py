"""Blocking: the candidate pairs worth scoring, found through shared normalised keys.

Each entity gives keys (:func:`profile_keys`): its folded name, its names
as aliases, the core of each name scoped by its group
(:func:`kg.resolution.names.name_form`), the body of the lexicon it names,
the group it *is* (联通公司), and a letters key for Latin typos (OneCtiy).
Two entities of one family that share a key are a candidate; a key shared
by more than :data:`MAX_BLOCK` entities is too common to say anything and
is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.resolution.lexicon import default_lexicon
from kg.resolution.names import HOME_PREFIX, fold, is_latin, latin_key, name_form, quoted_head, split_group
from kg.resolution.profile import Key, Profile

#: an entity block larger than this is a generic word, not a name
MAX_BLOCK = 12
#: mentions a name needs before a longer name ending in it counts as its mis-cut mention
SUFFIX_MENTIONS = 3
#: link kinds, strongest first
LINKS = ("name", "body", "self", "alias", "core", "place_prefix", "quote", "alias_core", "abbrev", "suffix",
         "alias_alias", "latin")


@dataclass(frozen=True)
class BlockKey:
    """A normalised key and how an entity holds it.

    Attributes:
        kind: ``name`` (the folded canonical), ``alias`` (a folded alias),
            ``core`` (group-scoped core of the canonical), ``alias_core``,
            ``body`` (lexicon body), ``self`` (the group the name is),
            ``latin`` (sorted letters).
        value: The key.
    """

    kind: str
    value: str


def core_value(family: str, group: str | None, core: str) -> str:
    """The key of a core: scoped by group for organisations (联通研究院 is not any 研究院), not for
    programs and platforms, whose group prefix is optional (联通格物 = 格物; the group still conflicts)."""
    scope = (group or "") if family == "org" else ""
    return f"{family}|{scope}|{core}"


def profile_keys(p: Profile) -> set[BlockKey]:
    """The blocking keys of one entity."""
    keys = {BlockKey("name", fold(p.canonical))}
    form = p.form
    lexicon = default_lexicon()
    if form.group_self:
        keys.add(BlockKey("self", form.group or ""))
    elif form.core:
        keys.add(BlockKey("core", core_value(p.family, form.group, form.core)))
        if is_latin(form.core) and latin_key(form.core):
            keys.add(BlockKey("latin", f"{p.family}|{latin_key(form.core)}"))
    for name in p.seen | p.derived:
        folded = fold(name)
        if folded != fold(p.canonical):
            keys.add(BlockKey("alias", folded))
        alias_form = name_form(name, p.label)
        if alias_form.core and not alias_form.group_self:
            keys.add(BlockKey("alias_core", core_value(p.family, alias_form.group, alias_form.core)))
    if p.family == "org":
        for name in {p.canonical} | p.seen | p.derived:
            body = lexicon.body_of(name)
            if body is not None:
                keys.add(BlockKey("body", body))
    if p.family == "platform":
        for name in p.seen | p.derived:
            head = quoted_head(name)
            if head is not None:
                keys.add(BlockKey("quote", f"platform||{head[0]}"))
    return keys


@dataclass(frozen=True)
class PlaceNames:
    """The place names of a corpus (folded): domestic ones, and foreign countries."""

    domestic: frozenset[str]
    foreign: frozenset[str]

    @classmethod
    def of(cls, profiles: dict[Key, Profile]) -> PlaceNames:
        """The place names among ``profiles`` (and the home country, which is never an entity)."""
        domestic, foreign = {HOME_PREFIX}, set()
        for p in profiles.values():
            if p.family == "place":
                country = p.attrs.get("place_level") == "country" and p.attrs.get("iso") not in (None, "CN")
                names = {fold(n) for n in p.names()} - {""}
                (foreign if country else domestic).update(n for n in names if len(n) >= 2)
        return cls(frozenset(domestic), frozenset(foreign))

    def prefix(self, folded: str) -> tuple[str, bool] | None:
        """``(place, foreign)`` of the longest place name ``folded`` starts with, or ``None``."""
        for n in range(min(len(folded) - 2, 8), 1, -1):
            head = folded[:n]
            if head in self.domestic or head in self.foreign:
                return head, head in self.foreign
        return None

    def inside(self, text: str) -> bool:
        """Whether a place name occurs in ``text``."""
        return any(text[i:i + n] in self.domestic or text[i:i + n] in self.foreign
                   for n in range(2, 6) for i in range(len(text) - n + 1))


def place_prefix_key(p: Profile, places: PlaceNames) -> BlockKey | None:
    """The core of a name without the place it starts with (上海复旦大学 -> 复旦大学; 中国工商银行).

    A foreign country is taken off only before a company (美国波音公司, not 美国商务部).
    """
    if p.family == "place" or p.form.group:
        return None
    folded = fold(p.canonical)
    found = places.prefix(folded)
    if found is None:
        return None
    place, foreign = found
    rest = folded[len(place):]
    if foreign and p.family == "org" and not rest.endswith(("公司", "集团")):
        return None
    form = name_form(rest, p.label)
    if form.group_self or len(form.core) < (2 if p.family == "org" else 3):
        return None
    return BlockKey("place_core", core_value(p.family, form.group, form.core))


def _link(a: BlockKey, b: BlockKey) -> str | None:
    """The link kind of two entities that share ``a.value`` (a held by one, b by the other)."""
    kinds = {a.kind, b.kind}
    if kinds == {"name"}:
        return "name"
    if kinds == {"name", "alias"}:
        return "alias"
    if kinds == {"alias"}:
        return "alias_alias"
    if kinds <= {"core", "alias_core"}:
        return "core" if kinds == {"core"} else "alias_core"
    if kinds == {"core", "place_core"}:
        return "place_prefix"
    if "quote" in kinds and kinds <= {"quote", "core", "alias_core"}:
        return "quote"
    if len(kinds) == 1 and next(iter(kinds)) in ("body", "self", "latin"):
        return a.kind
    return None


def _group_self_pairs(profiles: dict[Key, Profile]) -> Iterator[tuple[Key, Key, str, str]]:
    """A name that is a group itself (联通公司) and that group's own entity."""
    for k, p in profiles.items():
        if p.family == "org" and p.form.group_self and p.form.group:
            target = ("ORG", p.form.group)
            if target in profiles and target != k:
                yield k, target, "self", p.form.group


def _suffix_pairs(profiles: dict[Key, Profile], places: PlaceNames) -> Iterator[tuple[Key, Key, str, str]]:
    """An organisation name whose left edge ran into the words before it (严格遵守国务院国资委).

    Its longest proper suffix of four or more characters that is another
    organisation's name or a body of the lexicon, when no place name comes
    before it (美国商务部 and 新疆生产建设兵团国资委 are other bodies).
    """
    names: dict[str, Key] = {}
    lexicon = default_lexicon()
    for k in sorted(profiles):
        p = profiles[k]
        if p.family == "org":
            for n in {p.canonical} | p.seen:
                names.setdefault(fold(n), k)
    for k in sorted(profiles):
        p = profiles[k]
        if p.family != "org":
            continue
        _, rest = split_group(fold(p.canonical))
        for i in range(1, len(rest) - 3):
            target = names.get(rest[i:])
            if target is None or target == k:
                continue
            # the suffix must be a name in its own right: a body of the lexicon, or read three times
            known = lexicon.body_of(rest[i:]) is not None or profiles[target].mentions >= SUFFIX_MENTIONS
            if known and not places.inside(rest[:i]):
                yield k, target, "suffix", rest[i:]
            break


def _abbreviation_pairs(profiles: dict[Key, Profile]) -> Iterator[tuple[Key, Key, str, str]]:
    """Units of one group whose cores abbreviate one another (数科, 数字科技).

    The short core keeps the first character and is not the long one minus
    one run of characters (华盛 is a part of 华盛电商, not its abbreviation).
    """
    by_group: dict[str, list[Key]] = defaultdict(list)
    for k in sorted(profiles):
        p = profiles[k]
        if p.family == "org" and p.form.group and not p.place and len(p.form.core) >= 2:
            by_group[p.form.group].append(k)
    for keys in by_group.values():
        for a in keys:
            short = profiles[a].form.core
            for b in keys:
                long = profiles[b].form.core
                if len(long) > len(short) and long[0] == short[0] and _subsequence(short, long) \
                        and not _one_run_less(short, long):
                    yield a, b, "abbrev", f"{short}<{long}"


def _one_run_less(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with one contiguous run of characters taken out."""
    return any(long[:i] + long[i + len(long) - len(short):] == short for i in range(len(short) + 1))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def candidates(profiles: dict[Key, Profile]) -> dict[tuple[Key, Key], dict[str, set[str]]]:
    """The candidate pairs of ``profiles`` and the keys that link them.

    Returns:
        ``(a, b) -> {link kind: {key values}}`` with ``a < b``, in key order.
    """
    places = PlaceNames.of(profiles)
    holders: dict[str, list[tuple[Key, BlockKey]]] = defaultdict(list)
    for k in sorted(profiles):
        keys = profile_keys(profiles[k])
        extra = place_prefix_key(profiles[k], places)
        if extra is not None:
            keys.add(extra)
        for bk in sorted(keys, key=lambda x: (x.kind, x.value)):
            holders[bk.value].append((k, bk))
    pairs: dict[tuple[Key, Key], dict[str, set[str]]] = {}

    def add(a: Key, b: Key, kind: str, value: str) -> None:
        if profiles[a].family != profiles[b].family or a == b:
            return
        pair = (a, b) if a < b else (b, a)
        pairs.setdefault(pair, defaultdict(set))[kind].add(value)

    for value, held in holders.items():
        if len({k for k, _ in held}) > MAX_BLOCK:
            continue
        for i, (ka, ba) in enumerate(held):
            for kb, bb in held[i + 1:]:
                kind = _link(ba, bb)
                if kind is not None:
                    add(ka, kb, kind, value)
    found = (_group_self_pairs(profiles), _suffix_pairs(profiles, places), _abbreviation_pairs(profiles))
    for pairs_of_a_kind in found:
        for a, b, kind, value in pairs_of_a_kind:
            add(a, b, kind, value)
    return dict(sorted(pairs.items()))


def strongest(links: Iterable[str]) -> str:
    """The strongest of some link kinds (:data:`LINKS` order)."""
    return min(links, key=LINKS.index)
