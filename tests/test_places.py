"""Tests of the kg_places component."""

import pytest
import spacy
from opencc import OpenCC

import extractors.places  # noqa: F401  (registers the factory)
from extractors.places import PlaceRecognizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("kg_places")
    return nlp


@pytest.fixture(scope="module")
def rec() -> PlaceRecognizer:
    return PlaceRecognizer()


def _names(rec, text):
    return [m.canonical for m in rec.match_text(text)]


def _by_name(rec, text):
    return {m.canonical: m for m in rec.match_text(text)}


def test_places_pipeline_sets_mentions(nlp):
    doc = nlp("我们在福建安溪的云中山自然保护区建设信息化系统。")
    names = [m.canonical for m in doc._.kg_mentions]
    assert names == ["福建", "安溪县", "云中山自然保护区"]
    assert all(m.label == "PLACE" for m in doc._.kg_mentions)


def test_places_match_is_pure(nlp):
    doc = nlp.make_doc("福建省泉州市安溪县")
    found = nlp.get_pipe("kg_places").match(doc)
    assert [m.canonical for m in found] == ["福建", "泉州", "安溪县"]
    assert doc._.kg_mentions is None


def test_places_hierarchy_attrs(rec):
    m = _by_name(rec, "在位于新疆巴音郭楞蒙古自治州轮台县的塔克拉玛干沙漠开通基站")
    assert m["轮台县"].attrs["parent"] == "巴音郭楞蒙古自治州"
    assert m["轮台县"].attrs["adcode"] == "652822"
    assert m["巴音郭楞蒙古自治州"].attrs["parent"] == "新疆"
    assert m["新疆"].attrs["place_level"] == "province"
    assert "新疆维吾尔自治区" in m["新疆"].aliases
    assert "塔克拉玛干沙漠" in m


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("福建公司积极推进", ["福建"]),
        ("山东烟台联通开展活动", ["山东", "烟台"]),
        ("中国联通贵州省分公司", ["贵州"]),
    ],
)
def test_places_branch_names_keep_place_in_org(rec, text, expected):
    found = rec.match_text(text)
    assert [m.canonical for m in found] == expected
    assert all(m.attrs.get("in_org") for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "中国移动在全国农村和偏远地区推进城乡一体化",
        "中西部地区的农村学校",
        "中国联通发布报告",
        "中国电信和中国移动",
    ],
)
def test_places_generic_areas_and_groups_are_not_places(rec, text):
    assert _names(rec, text) == []


def test_places_home_country_alone_counts(rec):
    assert _names(rec, "在中国，疫情带来挑战") == ["中国"]


@pytest.mark.parametrize(
    ("text", "adcode"),
    [("江苏南京鼓楼区", "320106"), ("福建福州鼓楼区", "350102"), ("北京市朝阳区", "110105")],
)
def test_places_ambiguity_resolved_by_context(rec, text, adcode):
    found = rec.match_text(text)
    assert found[-1].attrs["adcode"] == adcode


def test_places_ambiguity_unresolved_keeps_name_only(rec):
    m = rec.match_text("鼓楼区举办活动")[0]
    assert m.canonical == "鼓楼区"
    assert "adcode" not in m.attrs and "parent" not in m.attrs
    assert len(m.attrs["ambiguous"]) >= 3


@pytest.mark.parametrize(
    ("text", "canonical", "alias"),
    [
        ("穿越塔克拉玛干沙漠", "塔克拉玛干沙漠", None),
        ("在云中山自然保护区巡护", "云中山自然保护区", None),
        ("为了保护三江源地区的湖泊湿地", "三江源", "三江源地区"),
    ],
)
def test_places_natural_areas_by_pattern(rec, text, canonical, alias):
    m = _by_name(rec, text)[canonical]
    assert m.attrs["place_level"] == "natural"
    if alias:
        assert alias in m.aliases


@pytest.mark.parametrize(
    "text",
    [
        "农村地区和偏远地区",  # generic areas
        "克服沙漠高温困难",  # 沙漠 as a common noun
        "实现长治久安",  # 长治 inside an idiom
        "一中心、四平台",  # 四平 inside 四平台
        "东方市场发展",  # 东方市 across 市场
        "阿里和百度",  # risky short form without context
        "振兴乡村，布局平安乡村",  # county short forms that are common words
        "各级部门单位和县（市、区）",  # 和县 is not a county here
        "《长津湖》观影活动",  # inside a title
        "陕西师范大学",  # place only inside a non-branch organisation
    ],
)
def test_places_negative_cases(rec, text):
    assert _names(rec, text) == []


def test_places_county_short_form_needs_context(rec):
    assert _names(rec, "安溪铁观音") == []
    assert _names(rec, "在福建安溪开展") == ["福建", "安溪县"]
    assert _names(rec, "安溪县山区。安溪茶农") == ["安溪县", "安溪县"]


def test_places_villages_after_counties(rec):
    m = _by_name(rec, "贵州省黔西南州册亨县，投入资金修建板万村溶洞图书馆")
    assert m["册亨县"].attrs["parent"] == "黔西南布依族苗族自治州"
    assert m["板万村"].attrs["place_level"] == "village"
    assert _names(rec, "推动农产品出村进城，建设数字乡村") == []


@pytest.mark.parametrize(
    ("text", "towns"),
    [
        # an address chain: the stem is what lies between the county or town and the suffix
        (
            "凉山州昭觉县支尔莫乡阿土列尔村建设基站",
            {"支尔莫乡": ("township", "昭觉县"), "阿土列尔村": ("village", "支尔莫乡")},
        ),
        ("屏南县熙岭乡龙潭村", {"熙岭乡": ("township", "屏南县"), "龙潭村": ("village", "熙岭乡")}),
        # a list after a village: no parent from the list
        (
            "册亨县者楼镇板万村、坡上寨村",
            {
                "者楼镇": ("township", "册亨县"),
                "板万村": ("village", "者楼镇"),
                "坡上寨村": ("village", None),
            },
        ),
    ],
)
def test_places_towns_and_villages_in_chains_and_lists(rec, text, towns):
    m = _by_name(rec, text)
    assert {k: (m[k].attrs["place_level"], m[k].attrs.get("parent")) for k in towns if k in m} == towns


@pytest.mark.parametrize("text", ["在昭觉县偏远农村建设基站", "覆盖册亨县城和乡镇", "屏南县各个乡镇"])
def test_places_no_town_from_ordinary_words_after_a_county(rec, text):
    assert [n for n in _names(rec, text) if n[-1] in "乡镇村"] == []


def test_places_traditional_input_after_t2s(rec):
    cc = OpenCC("t2s")
    text = cc.convert("捐贈支持遼寧、陝西等地，貴州省黔西南州冊亨縣")
    assert _names(rec, text) == ["辽宁", "陕西", "贵州", "黔西南布依族苗族自治州", "册亨县"]


def test_places_foreign_country(rec):
    m = _by_name(rec, "邀请英国雷丁大学师生，在英国举办活动")
    assert m["英国"].attrs["iso"] == "GB"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("同济大学（四平路校区）的网络质量良好。", "四平"),  # a street named after a city
        ("现场还设有体验区，来宾们可以亲自操作平台。", "来宾"),  # a person noun
    ],
)
def test_places_street_and_person_words_are_not_places(rec, text, absent):
    assert absent not in _names(rec, text)


def test_places_city_before_common_word_still_counts(rec):
    assert "来宾" in _names(rec, "贺州北部及来宾、河池两市东部出现暴雨。")
