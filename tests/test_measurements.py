"""Tests of the kg_measurements component on hand-made Docs."""

from __future__ import annotations

import pytest
import spacy

import extractors.measurements  # noqa: F401  (registers the factory)
from extractors import init_doc
from kg.model import Mention


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("kg_measurements")
    return nlp


def _doc(nlp, text, names, publisher="中国移动", year=2023):
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": publisher, "year": year, "doc_id": "t"})
    found = []
    for name, label, canonical in names:
        start = 0
        while (pos := text.find(name, start)) >= 0:
            implicit = name in ("公司", "我们")
            found.append(Mention(pos, pos + len(name), label, canonical, name, implicit=implicit))
            start = pos + len(name)
    doc._.kg_mentions = found
    return doc


def _run(nlp, text, names, **kw):
    doc = _doc(nlp, text, names, **kw)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(m.subject.canonical, m.value, m.unit, m.year) for m in doc._.kg_measurements]


def test_measurements_nearest_entity_in_clause(nlp):
    text = "截至2019年底，湖北公司已交付翻新光猫38.76万台、机顶盒设备18万台，累计节省采购资金6,216万元。"
    got = _run(nlp, text, [("湖北公司", "SUBSIDIARY", "中国移动湖北公司")], year=2019)
    assert got == [
        ("中国移动湖北公司", "387600", "台", 2019),
        ("中国移动湖北公司", "180000", "台", 2019),
        ("中国移动湖北公司", "62160000", "元", 2019),
    ]


def test_measurements_bullet_falls_back_to_publisher(nlp):
    got = _run(
        nlp,
        "累计捐赠金额 **2.70** 亿元\n\n累计捐建“多媒体教室” **4,725** 间",
        [("多媒体教室", "PROGRAM", "中国移动多媒体教室")],
    )
    assert got == [("中国移动", "270000000", "元", 2023), ("中国移动多媒体教室", "4725", "间", 2023)]


def test_measurements_program_named_after_figure(nlp):
    got = _run(
        nlp,
        "截至2023年底，举办两期“优秀网格长能力提升示范班”。",
        [("优秀网格长能力提升示范班", "PROGRAM", "优秀网格长能力提升示范班")],
    )
    assert got == [("优秀网格长能力提升示范班", "2", "期", 2023)]


def test_measurements_previous_sentence_program(nlp):
    text = "2023年，公司发起的“和你在一起”捐资助学项目开展帮扶。截至2023年底，累计资助学生800人。"
    got = _run(nlp, text, [("公司", "ORG", "中国移动"), ("和你在一起", "PROGRAM", "和你在一起")])
    assert got == [("和你在一起", "800", "人", 2023)]


def test_measurements_table_with_header(nlp):
    text = (
        "指标名称 2018 2019 2020\nNB-IoT 网络开通城市\n数（个）\n\n347 347 337\n"
        "互联网骨干带宽（Tbps） 217 302 347"
    )
    got = _run(nlp, text, [], year=2020)
    assert got == [
        ("中国移动", "347", "个", 2018),
        ("中国移动", "347", "个", 2019),
        ("中国移动", "337", "个", 2020),
        ("中国移动", "217", "Tbps", 2018),
        ("中国移动", "302", "Tbps", 2019),
        ("中国移动", "347", "Tbps", 2020),
    ]


def test_measurements_table_unit_multiplier_without_header(nlp):
    got = _run(nlp, "5G基站建设总数（万个） / / 39", [], year=2020)
    assert got == [("中国移动", "390000", "个", 2020)]


def test_measurements_table_row_names_platform(nlp):
    text = "防诈骗来电号码提示服务年度累计提醒数（亿次）\n41 24 36"
    got = _run(nlp, text, [("防诈骗来电号码提示服务", "PLATFORM", "防诈骗来电号码提示服务")], year=2020)
    assert [g[:3] for g in got] == [
        ("防诈骗来电号码提示服务", "4100000000", "次"),
        ("防诈骗来电号码提示服务", "2400000000", "次"),
        ("防诈骗来电号码提示服务", "3600000000", "次"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "到2025年，公司5G基站数量达到100万个。",
        "公司计划投入资金10亿元。",
        "公司力争实现收入增长5%。",
        "2023年5月，公司开通首个基站。",
        "客户可拨打10086热线咨询。",
        "详见第12页。",
        "公司在700MHz频段部署5G网络。",
    ],
)
def test_measurements_skips_targets_dates_codes(nlp, text):
    assert _run(nlp, text, [("公司", "ORG", "中国移动")]) == []


def test_measurements_skips_figures_about_a_place(nlp):
    text = "北京在2022年软件业务收入达到23912亿元。"
    assert _run(nlp, text, [("北京", "PLACE", "北京")], publisher="中国联通") == []


def test_measurements_skips_numbers_inside_names(nlp):
    text = "“我爱读书100天”活动累计吸引834万农民参加。"
    got = _run(nlp, text, [("我爱读书100天", "PROGRAM", "我爱读书100天")])
    assert got == [("我爱读书100天", "8340000", "", 2023)]


def test_measurements_skips_person_figures(nlp):
    text = "江苏公司员工王勇多年来始终热心公益服务，组织开展379次志愿活动。"
    assert _run(nlp, text, [("江苏公司", "SUBSIDIARY", "中国移动江苏公司")]) == []


def test_measurements_traditional_text_after_t2s(nlp):
    from opencc import OpenCC

    text = OpenCC("t2s").convert("寧夏公司實現年平均回收再利用廢水近萬噸。")
    got = _run(nlp, text, [("宁夏公司", "SUBSIDIARY", "中国移动宁夏公司")], year=2019)
    assert got == [("中国移动宁夏公司", "10000", "吨", 2019)]


def test_measurements_match_is_pure(nlp):
    doc = _doc(nlp, "公司年节电22.1亿度。", [("公司", "ORG", "中国移动")])
    comp = nlp.get_pipe("kg_measurements")
    items = comp.match(doc)
    assert doc._.kg_measurements == []
    assert [(i.value, i.unit) for i in items] == [("2210000000", "度")]
