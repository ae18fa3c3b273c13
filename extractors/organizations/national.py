"""The central government bodies by full or short name (工业和信息化部, 工信部)."""

from __future__ import annotations

import functools
import re

from extractors.lexicon import load_json
from kg.model import Mention


@functools.cache
def national_bodies() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """Pattern over every name of the central government bodies, and name -> (canonical, *aliases)."""
    names: dict[str, tuple[str, ...]] = {}
    for row in load_json("org_lexicon.json")["national_bodies"]:
        for n in row:
            names[n] = tuple(row)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern, names


def national_mentions(text: str) -> list[Mention]:
    """Central government bodies named in ``text``, as ORG mentions under their canonical name.

    Args:
        text: The passage.

    Returns:
        One mention per name, except where the name is part of a kind of
        office or a title (公安部门, 外交部长).
    """
    pattern, names = national_bodies()
    not_after = load_json("org_lexicon.json")["national_not_after"]
    out = []
    for m in pattern.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if nxt and nxt in not_after:
            continue  # 公安部门, 外交部长: a kind of office or a title
        canonical, *aliases = names[m.group()]
        out.append(
            Mention(m.start(), m.end(), "ORG", canonical, m.group(), tuple(aliases), {"source": "national"})
        )
    return out
