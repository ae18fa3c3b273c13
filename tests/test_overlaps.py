"""Tests of the choice among overlapping mentions (extractors/overlaps.py)."""

from __future__ import annotations

import pytest

from extractors.overlaps import award_giver_nested, resolve_overlaps
from kg.model import Mention


def mention(text: str, surface: str, label: str, canonical: str | None = None, **attrs) -> Mention:
    """A mention of the first occurrence of ``surface`` in ``text``."""
    start = text.index(surface)
    return Mention(start, start + len(surface), label, canonical or surface, surface, (), attrs)


def kept(found: list[Mention]) -> set[tuple[str, str]]:
    return {(m.label, m.surface) for m in resolve_overlaps(found)}


def test_overlaps_longest_wins_where_two_cross():
    text = "开展绿色行动计划"
    a = mention(text, "绿色行动", "PROGRAM")
    b = mention(text, "行动计划", "PROGRAM")
    c = mention(text, "绿色行动计划", "PROGRAM")
    assert kept([a, b, c]) == {("PROGRAM", "绿色行动计划")}


def test_overlaps_place_nested_in_branch_stays_but_not_in_program():
    text = "福建公司开展青海生态之窗项目"
    found = [
        mention(text, "福建公司", "SUBSIDIARY", "中国移动福建公司"),
        mention(text, "福建", "PLACE"),
        mention(text, "青海生态之窗项目", "PROGRAM"),
        mention(text, "青海", "PLACE"),
    ]
    assert kept(found) == {("SUBSIDIARY", "福建公司"), ("PLACE", "福建"), ("PROGRAM", "青海生态之窗项目")}


@pytest.mark.parametrize(
    ("text", "award", "giver", "source", "stays"),
    [
        ("荣获论坛「第三届ABC全球创新奖」", "第三届ABC全球创新奖", "ABC", "award", True),
        ("获得2023年XYZ最佳应用大赛一等奖", "2023年XYZ最佳应用大赛", "XYZ", "", True),
        # not an award or contest: the acronym is part of the program's name
        ("开展第二届ABC公益行动", "第二届ABC公益行动", "ABC", "award", False),
        # an organisation further inside the name is not its giver
        ("荣获全球ABC创新奖", "全球ABC创新奖", "ABC", "award", False),
        # a Chinese name the finder did not read as a giver
        ("荣获第三届星光基金会奖", "第三届星光基金会奖", "星光基金会", "suffix", False),
    ],
)
def test_overlaps_award_giver_nested_in_award_name(text, award, giver, source, stays):
    outer = mention(text, award, "PROGRAM")
    inner = mention(text, giver, "ORG", source=source)
    assert award_giver_nested(inner, outer) is stays
    assert (("ORG", giver) in kept([outer, inner])) is stays


@pytest.mark.parametrize(
    ("source", "winner"),
    [
        ("platforms.online-venue", "PLATFORM"),
        ("platforms.brand", "PLATFORM"),
        ("platforms.suffix", "SUBSIDIARY"),  # a generic suffix rule does not beat a unit
    ],
)
def test_overlaps_specific_platform_beats_unit_on_same_span(source, winner):
    text = "上线至星光网上学习中心专区"
    unit = mention(text, "星光网上学习中心", "SUBSIDIARY", source="unit")
    platform = mention(text, "星光网上学习中心", "PLATFORM", source=source)
    assert {m.label for m in resolve_overlaps([unit, platform])} == {winner}
