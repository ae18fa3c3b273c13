"""Tests for the kg_platforms component."""

from __future__ import annotations

import pytest
import spacy
from opencc import OpenCC

import extractors.platforms  # noqa: F401  (registers kg_platforms)


@pytest.fixture(scope="module")
def finder():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return nlp, nlp.add_pipe("kg_platforms")


def _platforms(finder, text: str) -> dict[str, object]:
    nlp, component = finder
    return {m.canonical: m for m in component.match(nlp.make_doc(text))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托渝益农平台融合多项服务。", "渝益农平台"),
        ("依托中国联通碳索管理平台,建立指标体系。", "中国联通碳索管理平台"),
        ("联通云已拥有成熟的技术。", "联通云"),
        ("中国联通APP和中国联通10010网上营业厅推出新功能。", "中国联通10010网上营业厅"),
        ("联通智家APP提供关爱版。", "联通智家APP"),
        ("为中宣部宣传云、国家药监云等重点项目奠定基础。", "中宣部宣传云"),
        ("10086 热线、营业厅服务质量持续领先。", "10086热线"),
        ("采用 700M 网络架设“沿黄入海”网络,增强覆盖。", "沿黄入海"),
        ("咪咕阅读累计兑换时长 1,480 万小时。", "咪咕阅读"),
    ],
)
def test_platforms_names(finder, text, expected):
    assert expected in _platforms(finder, text)


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


@pytest.mark.parametrize(
    "text",
    [
        "加速推动5G与人工智能、物联网、云计算、大数据等技术融合。",
        "构建了高效、智能的平台。",
        "下载APP即可办理。",
        "发布《互联网平台管理办法》。",
        "政务云市场正迎来多元竞合的新时期。",
        "以“五位一体”产品管理体系为切入点。",
    ],
)
def test_platforms_rejects_technology_and_generic_words(finder, text):
    assert _platforms(finder, text) == {}


def test_platforms_program_with_quote_is_not_a_platform(finder):
    assert _platforms(finder, "中国移动“小小科学家”少儿科普系列活动覆盖数百万少年儿童。") == {}
