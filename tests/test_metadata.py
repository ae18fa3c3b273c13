"""Tests for kg.metadata: publisher, year and script read from the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.metadata import detect_publisher, detect_script, detect_year, year_counts

CORPUS = Path(__file__).resolve().parents[1] / "kg" / "data" / "corpus"


def _text(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "publisher", "year", "script"),
    [
        ("000", "中国移动", 2019, "Hant"),
        ("001", "中国移动", 2020, "Hans"),
        ("003", "中国联通", 2024, "Hant"),
        ("004", "中国移动", 2023, "Hans"),
    ],
)
def test_metadata_bundled_reports(prefix, publisher, year, script):
    text = _text(prefix)
    assert detect_publisher(text) == publisher
    assert detect_year(text) == year
    assert detect_script(text) == script


def test_metadata_news_collection_publisher_and_script():
    text = _text("002")
    assert detect_publisher(text) == "中国联通"
    assert detect_script(text) == "Hans"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中國移動持續推進5G建設，中國移動積極履責。", "中国移动"),
        ("中移动与中移在各地开展活动，中国移动通信集团有限公司。", "中国移动"),
        ("中國聯通推動鄉村振興，聯通數村平台覆蓋26萬村。", "中国联通"),
        ("联通APP上线，联通云发布，中国联合网络通信集团有限公司。", "中国联通"),
        ("中國電信推出天翼雲，中国电信积极响应。", "中国电信"),
        ("本报告介绍了乡村振兴工作。", None),
        ("", None),
    ],
)
def test_metadata_detect_publisher(text, expected):
    assert detect_publisher(text) == expected


def test_metadata_publisher_short_verb_does_not_outweigh_full_name():
    text = "中国移动推动互联互通，实现数据联通与业务联通。中国移动持续发力。"
    assert detect_publisher(text) == "中国移动"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020 年，新冠疫情……截至 2020 年底……2019年相比", 2020),
        ("2020\t年 2021 年 2021 年 2020年", 2021),
        ("1999年 1999年 2035年", None),
        ("电话号码 12020年", None),
        ("没有年份", None),
        ("2024 年採取的措施；2025 年將採取的行動；2024年；2024 年", 2024),
    ],
)
def test_metadata_detect_year(text, expected):
    assert detect_year(text) == expected


def test_metadata_year_counts_spaces():
    assert year_counts("2020 年 2020年 2020\u3000年")[2020] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中國聯通推動鄉村全面振興，積極投身公益事業。", "Hant"),
        ("中国联通推动乡村全面振兴，积极投身公益事业。", "Hans"),
        ("ICT and 5G only", "Hans"),
        ("", "Hans"),
    ],
)
def test_metadata_detect_script(text, expected):
    assert detect_script(text) == expected
