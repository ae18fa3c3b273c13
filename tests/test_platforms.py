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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("规范千兆宽带、和家安防、和家亲等产品服务流程。", "和家亲"),
        ("依托和家亲平台开展服务。", "和家亲平台"),
        ("自主研发智能温控及管理系统,降低能耗。", "智能温控及管理系统"),
        ("上线至中国联通网上技能学习中心“青年骨干研修班”专区。", "中国联通网上技能学习中心"),
        ("咪咕公司推出云上VR展馆服务。", "云上VR展馆"),
        ("为学生提供云课堂、线上辅导。", "云课堂"),
        ("打造沉浸体验的全场景移动云XR应用,广受好评。", "全场景移动云XR应用"),
    ],
)
def test_platforms_new_name_shapes(finder, text, expected):
    assert expected in _platforms(finder, text)


def test_platforms_latin_brands_in_a_launched_list(finder):
    text = OpenCC("t2s").convert("發布OneFarm智慧農業、OneSchool智慧教育等八大行業平台。")
    found = _platforms(finder, text)
    assert {"OneFarm", "OneSchool"} <= set(found)
    assert "OneFarm智慧农业" in found["OneFarm"].aliases
    # not launched by the group: a list of other vendors' products
    assert _platforms(finder, "云原生数据库如PolarDB、TiDB等产品占比超过七成。") == {}


@pytest.mark.parametrize(
    "text",
    [
        "中国联通成功构建了高效、智能的数据处理平台。",
        "最终制定出了一套全栈信创化云平台。",
        "明确电子商务平台经营者的管理责任。",
        "各地加快建设农村人居环境信息化管理平台。",
        "有力提升政务云对上层业务的赋能作用。",
        "推动企业生产流程上云。",
        "为客户提供中国移动服务。",
        "为各行业集客经理打造共创交流平台。",
        "建设10余个算力调度平台。",
        "Web3.0社交平台实现数据互通。",
        "咪咕善跑公益行项目吸引众多参与者。",
    ],
)
def test_platforms_rejects_descriptions(finder, text):
    assert _platforms(finder, text) == {}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("我们亲自操作平台完成配置。", "an adverb and a verb before the type word"),
        ("企业应充分发挥法律综合信息化平台作用。", "充分发挥 at the left edge"),
        ("游客可在北京密云区体验。", "a place ending in 云"),
        ("清华大学教授王小云出席。", "a person ending in 云"),
        ("2022年中国公有云市场增长迅速。", "a year and a kind of cloud"),
        ("搭建总部、省、市三级服务体系。", "a list"),
        ("通过终端+平台+AI分析提供服务。", "a formula"),
        ("开设心理咨询平台,关爱员工。", "a kind of platform, no name"),
        ("广东省阳江市海上风电平台已经建成。", "a place and infrastructure"),
        ("政府对大数据平台的需求增长。", "a preposition inside"),
        ("中国移动“力量大厦”发展战略。", "group + quote of a strategy"),
        ("联通“服务标兵集体”获得表彰。", "group + quote of a title"),
        ("打造五大中台和六朵场景云。", "counts of kinds"),
        ("鼓励游客积极参与平台互动。", "verbs before the type word"),
        ("推出“千兆”网络服务。", "a quality in quotes"),
        ("三是元景平台支持用户创作。", "an enumerator is dropped"),
    ],
)
def test_platforms_precision_rules(finder, text, rule):
    found = _platforms(finder, text)
    if rule == "an enumerator is dropped":
        assert "元景平台" in found and "三是元景平台" not in found
    else:
        assert found == {}, (rule, list(found))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("当前墨攻平台已接入多家单位。", "墨攻平台"),
        ("数据安全联通云已通过认证。", "联通云"),
        ("收集大音平台信息。", "大音平台"),
        ("北京市警务云等重点项目取得突破。", "北京市警务云"),
        ("研发智能巡检及管理系统,降低能耗。", "智能巡检及管理系统"),
        ("利用大数据规划平台(BDPP)解决问题。", "大数据规划平台"),
    ],
)
def test_platforms_precision_rules_keep_names(finder, text, expected):
    assert expected in _platforms(finder, text)
