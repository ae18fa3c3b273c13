"""Tests for the kg_platforms component."""

from __future__ import annotations

import pytest
from opencc import OpenCC
from testkit import found_names, name_case_tests, name_finder

import extractors.platforms  # noqa: F401  (registers kg_platforms)


@pytest.fixture(scope="module")
def finder():
    return name_finder("kg_platforms")


_platforms = found_names


# the name cases are data (fixtures/name_cases.jsonl), run by the tests kg_programs shares
test_platforms_keeps_names, test_platforms_rejects = name_case_tests("kg_platforms")


def test_platforms_enumerator_is_dropped(finder):
    found = _platforms(finder, "三是元景平台支持用户创作。")
    assert "元景平台" in found and "三是元景平台" not in found


def test_platforms_app_version_and_short_alias(finder):
    m = _platforms(finder, "中国联通 APP12.0 新版本带来绿色低碳服务体验")["中国联通APP"]
    assert "联通APP" in m.aliases


def test_platforms_group_plus_quote(finder):
    m = _platforms(finder, "联通“格物”:做好设备管理这篇大文章")["联通格物"]
    assert "格物" in m.aliases


def test_platforms_traditional_input_after_t2s(finder):
    text = OpenCC("t2s").convert("率先推出「聯通碳生活」碳普惠應用,賦能用戶。")
    found = _platforms(finder, text)
    assert "联通碳生活" in found
    assert "联通碳生活碳普惠应用" in found["联通碳生活"].aliases
    assert "联通云" in _platforms(finder, OpenCC("t2s").convert("「聯通雲」持續釋放算力。"))


def test_platforms_program_with_quote_is_not_a_platform(finder):
    assert _platforms(finder, "中国移动“小小科学家”少儿科普系列活动覆盖数百万少年儿童。") == {}


def test_platforms_latin_brands_in_a_launched_list(finder):
    text = OpenCC("t2s").convert("發布OneFarm智慧農業、OneSchool智慧教育等八大行業平台。")
    found = _platforms(finder, text)
    assert {"OneFarm", "OneSchool"} <= set(found)
    assert "OneFarm智慧农业" in found["OneFarm"].aliases
    # not launched by the group: a list of other vendors' products
    assert _platforms(finder, "云原生数据库如PolarDB、TiDB等产品占比超过七成。") == {}


