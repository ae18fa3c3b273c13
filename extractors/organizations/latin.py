"""Organisations written in Latin letters: reporters, award givers, bracketed abbreviations."""

from __future__ import annotations

import re

from extractors.lexicon import load_json
from extractors.names import load_words
from extractors.organizations.lexicon import org_lexicon
from kg.model import Mention

_PAREN_ABBR = re.compile(r"[（(]([A-Za-z][A-Za-z0-9&\-]{1,11})[）)]")


def reporter_mentions(text: str) -> list[Mention]:
    """A Latin name that predicts or reports (IDC预测, ClearML调研显示), as ORG mentions."""
    verbs = "|".join(load_json("org_lexicon.json")["reporting_verbs"])
    out = []
    for m in re.finditer(rf"(?<![A-Za-z0-9])([A-Z][A-Za-z]{{2,15}})(?=(?:{verbs}))", text):
        out.append(Mention(m.start(1), m.end(1), "ORG", m.group(1), m.group(1), (), {"source": "reporter"}))
    return out


def award_giver_mentions(text: str) -> list[Mention]:
    """A Latin acronym between a year or edition and an award gives it (2024年GSMA的…奖)."""
    awards = "|".join(map(re.escape, org_lexicon()["award_words"]))
    pattern = re.compile(
        rf"(?:年|届)\s?([A-Z][A-Z0-9&]{{2,7}})(?![A-Za-z])(?=\s?的?[^，。；！？\n]{{0,24}}?(?:{awards}))"
    )
    tech = load_words("platform_tech_words.txt")
    out = []
    for m in pattern.finditer(text):
        if m.group(1) in tech:
            continue
        out.append(Mention(m.start(1), m.end(1), "ORG", m.group(1), m.group(1), (), {"source": "award"}))
    return out


def add_abbreviations(text: str, found: list[Mention]) -> None:
    """全球环境信息研究中心（CDP）: the Latin name in brackets after a mention is its alias (in place).

    Args:
        text: The passage.
        found: Mentions whose aliases grow.
    """
    for m in found:
        ab = _PAREN_ABBR.match(text, m.end)
        if ab:
            m.aliases = (*m.aliases, ab.group(1), text[m.start : ab.end()])
