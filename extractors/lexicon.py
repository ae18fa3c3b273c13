"""Loading the data files of :mod:`extractors` (lexicons, patterns, groups).

Data live in ``extractors/data/`` as package data so that they survive a
plain ``pip install .``; they are read once per process and cached.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.groups import group_data

#: the data files of the components (lexicons, patterns, gazetteers), shipped as package data
DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def jieba_tags() -> dict[str, str]:
    """jieba's dictionary as ``word -> part-of-speech tag``.

    This is the table jieba itself loads for ``jieba.posseg`` (from the
    ``dict.txt`` it ships), shared here so that no component parses the file
    again.
    """
    import jieba
    import jieba.posseg

    jieba.initialize()
    return jieba.posseg.dt.word_tag_tab


@functools.cache
def jieba_lexicon() -> dict[str, tuple[int, str]]:
    """jieba's dictionary as ``word -> (frequency, tag)``, from jieba's loaded tables."""
    import jieba

    tags = jieba_tags()
    return {word: (freq, tags[word]) for word, freq in jieba.dt.FREQ.items() if word in tags}


@functools.cache
def load_json(name: str) -> dict:
    """Load ``extractors/data/<name>`` as JSON (cached).

    Args:
        name: File name inside the data folder.

    Returns:
        The parsed JSON object.
    """
    text = resources.files("extractors").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def alternation(words: Iterable[str]) -> str:
    """The body of a regular-expression group matching any of ``words``, in the order given.

    Args:
        words: Literal words (escaped here).

    Returns:
        ``a|b|c``: the first alternative that matches wins, so order longest
        first where a word is the start of another.
    """
    return "|".join(map(re.escape, words))


@dataclass(frozen=True)
class Group:
    """A telecom group that publishes reports, with its naming conventions."""

    canonical: str
    short: str
    aliases: tuple[str, ...]
    branch_prefixes: tuple[str, ...]
    branch: str
    branch_aliases: tuple[str, ...]
    unit_stems: tuple[str, ...] = ()
    #: prefixes that make a product's name the group's own (天翼, 咪咕, 联通)
    brands: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """All names of the group itself, canonical first."""
        return (self.canonical, *self.aliases)

    def branch_names(self, place: str, place_full: str) -> tuple[str, tuple[str, ...]]:
        """Canonical name and aliases of the group's branch in ``place``.

        Args:
            place: Short place name (福建).
            place_full: Official place name (福建省).

        Returns:
            ``(canonical, aliases)`` following GUIDELINES.md.
        """
        fill = {"place": place, "place_full": place_full}
        canonical = self.branch.format(**fill)
        aliases = []
        for pattern in self.branch_aliases:
            for p in dict.fromkeys((place, place_full)):
                name = pattern.format(place=p, place_full=place_full)
                if name != canonical and name not in aliases:
                    aliases.append(name)
        return canonical, tuple(aliases)


@functools.cache
def groups() -> tuple[Group, ...]:
    """The telecom groups of ``groups.json``."""
    return tuple(
        Group(
            canonical=g["canonical"],
            short=g["short"],
            aliases=tuple(g["aliases"]),
            branch_prefixes=tuple(g["branch_prefixes"]),
            branch=g["branch"],
            branch_aliases=tuple(g["branch_aliases"]),
            unit_stems=tuple(g.get("unit_stems", ())),
            brands=tuple(g.get("brands", ())),
        )
        for g in group_data()
    )


@functools.cache
def group_by_name() -> dict[str, Group]:
    """Map every name and short word of a group (中国移动, 移动, 中移) to it."""
    out: dict[str, Group] = {}
    for g in groups():
        for n in (*g.names(), g.short, *g.branch_prefixes):
            out.setdefault(n, g)
    return out


def publisher_group(publisher: str | None) -> Group | None:
    """The :class:`Group` a document's publisher names, if it is one."""
    if not publisher:
        return None
    return group_by_name().get(publisher)
