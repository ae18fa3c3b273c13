"""Which names an entity keeps as labels.

- **Group aliases** (:func:`group_alias_ok`): a telecom group keeps only names
  of the group itself (its names in ``groups.json``, or a name that reduces
  to the group, 联通公司); 中国联通集团（BVI） names a subsidiary, not the group.
- **Latin abbreviations** (:func:`latin_alias_ok`): an alias that the lexicon
  gives to another body goes (十国集团 is not G20).
- **Shared labels** (:func:`share_labels`): a label on two nodes stays only
  where a text wrote it for each of them (a short branch name such as
  北京分公司 used by two operators); a node's own name is never another
  node's alias; a derived name that clashes goes from the nodes it was only
  derived for. What is still shared is listed (``kg build -v``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.resolution.lexicon import default_lexicon
from kg.resolution.names import GROUP_SELF, fold, group_names
from kg.resolution.text import clean_label

Key = tuple[str, str]
#: a name followed by its Latin abbreviation in brackets: 十国集团（G20）
_LATIN_IN_BRACKETS = re.compile(r"^.+[（(]([A-Za-z][A-Za-z0-9]{1,9})[)）]$")


@dataclass(frozen=True)
class LabelDrop:
    """An alias taken off a node, and why."""

    node: Key
    label: str
    reason: str


def group_alias_ok(canonical: str, alias: str) -> bool:
    """Whether ``alias`` may label the telecom group ``canonical`` (True for other entities)."""
    own = group_names().get(canonical)
    if own is None:
        return True
    folded = fold(alias)
    if folded in own:
        return True
    # the group's name and a form word (联通公司, 中国联通集团), once: not 中国联通中国联合网络通信股份公司
    return any(folded.startswith(n) and folded[len(n):] in GROUP_SELF for n in own)


def latin_alias_ok(names: Iterable[str], alias: str) -> bool:
    """Whether a Latin ``alias`` belongs to the body that ``names`` name (True if the lexicon has no say)."""
    lexicon = default_lexicon()
    bracketed = _LATIN_IN_BRACKETS.match(clean_label(alias))
    owner = lexicon.latin_owner(bracketed[1] if bracketed else alias)
    if owner is None:
        return True
    return any(lexicon.body_of(n) == owner or fold(n) == fold(owner) for n in names)


def share_labels(nodes: dict[Key, tuple[str, set[str], set[str]]]
                 ) -> tuple[dict[Key, set[str]], list[LabelDrop], dict[str, list[Key]]]:
    """Settle labels used by more than one node.

    Args:
        nodes: ``key -> (canonical, aliases, seen)``: every alias of a node,
            and those of them a text wrote for it.

    Returns:
        ``(aliases to drop per node, the drops, labels still shared -> nodes)``.
    """
    holders: dict[str, set[Key]] = defaultdict(set)
    own: dict[str, set[Key]] = defaultdict(set)
    for k, (canonical, aliases, _) in nodes.items():
        own[clean_label(canonical)].add(k)
        holders[clean_label(canonical)].add(k)
        for a in aliases:
            holders[clean_label(a)].add(k)
    drop: dict[Key, set[str]] = defaultdict(set)
    drops: list[LabelDrop] = []
    shared: dict[str, list[Key]] = {}
    for label in sorted(holders):
        keys = holders[label]
        if len(keys) < 2:
            continue
        if own.get(label):
            keep = own[label]
            why = f"the name of {', '.join(k[1] for k in sorted(keep))}"
        else:
            keep = {k for k in keys if label in {clean_label(s) for s in nodes[k][2]}}
            why = "derived here, written for another node" if keep else "derived, written for none"
        for k in sorted(keys - keep):
            drop[k] |= {a for a in nodes[k][1] if clean_label(a) == label}
            drops.append(LabelDrop(k, label, why))
        if len(keep) > 1:
            shared[label] = sorted(keep)
    return dict(drop), drops, shared
