"""The cue words and mention types the relation rules share, and the record they make.

Cue words live in ``data/relation_cues.json``.
"""

from __future__ import annotations

import functools

from extractors.lexicon import load_json
from kg.model import Mention, RelationItem

#: mentions that run, partner or take part
ACTOR_TYPES = ("ORG", "SUBSIDIARY")
#: mentions that are run, partnered and implemented somewhere
INITIATIVE_TYPES = ("PROGRAM", "PLATFORM")


@functools.cache
def relation_cues() -> dict:
    """``data/relation_cues.json`` with every word list longest first (cached)."""
    data = load_json("relation_cues.json")
    out = {}
    for k, v in data.items():
        if k.startswith("_"):
            continue
        out[k] = tuple(sorted(v, key=len, reverse=True)) if isinstance(v, list) else v
    return out


def relation(head: Mention, rel: str, tail: Mention, start: int, end: int, rule: str) -> RelationItem | None:
    """The relation ``head rel tail`` stated in ``[start, end)`` by ``rule``; ``None`` for a name to itself.

    Args:
        head: The subject mention.
        rel: The ontology property (``operatedBy``, ``partOf`` ...).
        tail: The object mention.
        start: Start of the text that states it.
        end: End of that text.
        rule: The rule's name, kept on the record.
    """
    if head.canonical == tail.canonical:
        return None
    return RelationItem(head, rel, tail, start, end, rule)
