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
from kg.resolution.names import fold, is_latin, latin_key, name_form
from kg.resolution.profile import Key, Profile

#: an entity block larger than this is a generic word, not a name
MAX_BLOCK = 12
#: link kinds, strongest first
LINKS = ("name", "body", "self", "alias", "core", "alias_core", "alias_alias", "latin")


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


def profile_keys(p: Profile) -> set[BlockKey]:
    """The blocking keys of one entity."""
    keys = {BlockKey("name", fold(p.canonical))}
    form = p.form
    lexicon = default_lexicon()
    if form.group_self:
        keys.add(BlockKey("self", form.group or ""))
    elif form.core:
        keys.add(BlockKey("core", f"{p.family}|{form.group or ''}|{form.core}"))
        if is_latin(form.core) and latin_key(form.core):
            keys.add(BlockKey("latin", f"{p.family}|{latin_key(form.core)}"))
    for name in p.seen | p.derived:
        folded = fold(name)
        if folded != fold(p.canonical):
            keys.add(BlockKey("alias", folded))
        alias_form = name_form(name, p.label)
        if alias_form.core and not alias_form.group_self:
            keys.add(BlockKey("alias_core", f"{p.family}|{alias_form.group or ''}|{alias_form.core}"))
    if p.family == "org":
        for name in {p.canonical} | p.seen | p.derived:
            body = lexicon.body_of(name)
            if body is not None:
                keys.add(BlockKey("body", body))
    return keys


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


def candidates(profiles: dict[Key, Profile]) -> dict[tuple[Key, Key], dict[str, set[str]]]:
    """The candidate pairs of ``profiles`` and the keys that link them.

    Returns:
        ``(a, b) -> {link kind: {key values}}`` with ``a < b``, in key order.
    """
    holders: dict[str, list[tuple[Key, BlockKey]]] = defaultdict(list)
    for k in sorted(profiles):
        for bk in sorted(profile_keys(profiles[k]), key=lambda x: (x.kind, x.value)):
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
    for a, b, kind, value in _group_self_pairs(profiles):
        add(a, b, kind, value)
    return dict(sorted(pairs.items()))


def strongest(links: Iterable[str]) -> str:
    """The strongest of some link kinds (:data:`LINKS` order)."""
    return min(links, key=LINKS.index)
