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
        "累计捐赠金额 **2.70** 亿元\n\n累计捐建“多媒体教室” **4,725** 间\n\n我们持续助力教育。",
        [("多媒体教室", "PROGRAM", "中国移动多媒体教室"), ("我们", "ORG", "中国移动")],
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
        "互联网骨干带宽（Tbps） 217 302 347\n我们持续建设网络。"
    )
    got = _run(nlp, text, [("我们", "ORG", "中国移动")], year=2020)
    assert got == [
        ("中国移动", "347", "个", 2018),
        ("中国移动", "347", "个", 2019),
        ("中国移动", "337", "个", 2020),
        ("中国移动", "217", "Tbps", 2018),
        ("中国移动", "302", "Tbps", 2019),
        ("中国移动", "347", "Tbps", 2020),
    ]


def test_measurements_table_unit_multiplier_without_header(nlp):
    got = _run(nlp, "5G基站建设总数（万个） / / 39\n我们的绩效", [("我们", "ORG", "中国移动")], year=2020)
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


PUB = ("公司", "ORG", "中国移动")


def test_measurements_no_publisher_fallback_when_passage_never_names_it(nlp):
    # 全区共建立堡垒782个 in a passage about others: the publisher is no subject it never names
    assert _run(nlp, "全区共建立堡垒782个，插入旗帜782面。", [], publisher="中国联通") == []


def test_measurements_target_cue_stays_in_its_sentence(nlp):
    text = "未来，联通云将继续释放算力。中国联通在全国赛共获得一等奖5项。"
    got = _run(
        nlp, text, [("联通云", "PLATFORM", "联通云"), ("中国联通", "ORG", "中国联通")], publisher="中国联通"
    )
    assert got == [("中国联通", "5", "项", 2023)]


def test_measurements_program_earlier_in_sentence_without_subject(nlp):
    text = "咪咕阅读累计公益配捐1,080万元；共举办了37场悦读咖活动，累计公益配捐200万元。"
    names = [("咪咕阅读", "PLATFORM", "咪咕阅读"), ("悦读咖活动", "PROGRAM", "悦读咖")]
    assert _run(nlp, text, names)[-1] == ("悦读咖", "2000000", "元", 2023)


def test_measurements_platform_of_wide_clause(nlp):
    text = "重庆公司建成益农社9,164个，依托渝益农平台融合新农活、金扁担服务超过1,000万人次。"
    names = [("重庆公司", "SUBSIDIARY", "中国移动重庆公司"), ("渝益农平台", "PLATFORM", "渝益农平台")]
    got = _run(nlp, text, names)
    assert [g[0] for g in got] == ["中国移动重庆公司", "渝益农平台"]


def test_measurements_parallel_clause_is_the_publishers(nlp):
    text = "公司深入打造品牌。全年开展“赋能建功”技能竞赛 11 项，劳动竞赛 2 项。"
    got = _run(nlp, text, [PUB, ("“赋能建功”", "PROGRAM", "赋能建功")])
    assert got == [("赋能建功", "11", "项", 2023), ("中国移动", "2", "项", 2023)]


def test_measurements_people_of_an_invited_org_count_for_the_program(nlp):
    text = "举办「中国联通文化之旅」活动，邀请英国雷丁大学20余名师生前往交流。"
    names = [("中国联通文化之旅", "PROGRAM", "中国联通文化之旅"), ("英国雷丁大学", "ORG", "英国雷丁大学")]
    assert _run(nlp, text, names, publisher="中国联通") == [("中国联通文化之旅", "20", "名", 2023)]


def test_measurements_count_of_listed_names_is_no_ones(nlp):
    text = "同济大学（四平路）和华中师范大学（本部）4所高校的网络质量尚有待提高。"
    names = [("同济大学", "ORG", "同济大学"), ("华中师范大学", "ORG", "华中师范大学")]
    assert _run(nlp, text, names, publisher="中国联通") == []


@pytest.mark.parametrize(
    "text",
    [
        "该基站具备 30 公里超视距网络覆盖能力。",  # an unnamed thing
        "2022年，我国数字产业化增加值规模为9.2万亿元。",  # a country
        "浪潮、戴尔、HPE分别以20.2%、13.8%、9.8%的市占率位列前三。",  # unnamed listed items
    ],
)
def test_measurements_skips_figures_of_unnamed_subjects(nlp, text):
    assert _run(nlp, "公司持续建设网络。" + text, [PUB]) == []


def test_measurements_cited_source_is_no_subject(nlp):
    text = "公司发布白皮书。\n来源：中国信息通信研究院\n平均下载速率为71.00Mbps。"
    names = [PUB, ("中国信息通信研究院", "ORG", "中国信息通信研究院")]
    assert [g[0] for g in _run(nlp, text, names)] == ["中国移动"]


def test_measurements_county_company_is_not_the_publisher(nlp):
    text = "贵州联通党委巩固党建品牌。支部聚焦场景，区县公司全面完成重点工作。1989名党员承诺事项全量完成。"
    names = [("贵州联通", "SUBSIDIARY", "中国联通贵州省分公司"), ("公司", "ORG", "中国联通")]
    got = _run(nlp, text, names, publisher="中国联通")
    assert got == [("中国联通贵州省分公司", "1989", "名", 2023)]


def test_measurements_competition_is_a_venue(nlp):
    text = "在“绽放杯”标杆赛中，中国联通荣获金奖2个、银奖5个。"
    names = [("“绽放杯”标杆赛", "PROGRAM", "绽放杯标杆赛"), ("中国联通", "ORG", "中国联通")]
    got = _run(nlp, text, names, publisher="中国联通")
    assert [g[0] for g in got] == ["中国联通", "中国联通"]


def test_measurements_other_is_no_person_pronoun(nlp):
    text = "公司其他营业成本及管理费用比去年同期上升28.0%。"
    assert _run(nlp, text, [PUB]) == [("中国移动", "28", "%", 2023)]


def test_measurements_kinds_count_needs_its_sentence(nlp):
    text = "中国电信搭建“5G+长效管护平台”，对垃圾治理、污水监测等五大模块实现统一调度。"
    names = [("中国电信", "ORG", "中国电信"), ("5G+长效管护平台", "PLATFORM", "5G+长效管护平台")]
    assert _run(nlp, text, names, publisher="中国联通") == [("5G+长效管护平台", "5", "个", 2023)]


def test_measurements_near_program_over_row_label(nlp):
    text = "乡村文化数智化工程\t“我爱读书100天”活动累计吸引834万农民参加，人均阅读时长28小时。"
    names = [
        ("乡村文化数智化工程", "PROGRAM", "乡村文化数智化工程"),
        ("“我爱读书100天”活动", "PROGRAM", "我爱读书100天"),
    ]
    assert [g[:2] for g in _run(nlp, text, names)] == [("我爱读书100天", "8340000"), ("我爱读书100天", "28")]


def test_measurements_white_paper_keeps_only_subjects_of_the_sentence(nlp):
    # a running header marks an industry report: figures of earlier sentences' subjects stay unowned
    text = "数字乡村发展实践白皮书（2024年）12\n中国联通发布报告。2023年，农产品网络零售额5870.3亿元。"
    assert _run(nlp, text, [("中国联通", "ORG", "中国联通")], publisher="中国联通") == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("公司主营业务收入同比上升4.3%，高于行业平均的3.6%。", ["4.3"]),  # a benchmark
        ("公司语音漫游资费从29.86元/分钟降低。", []),  # a price per unit
        ("公司推进5G。根据中国信通院数据，5G手机出货量同比增长8.9%。", ["8.9"]),  # a cited source
    ],
)
def test_measurements_benchmarks_prices_and_sources(nlp, text, values):
    got = _run(nlp, text, [PUB, ("中国信通院", "ORG", "中国信息通信研究院")])
    assert [(g[0], g[1]) for g in got] == [("中国移动", v) for v in values]


def test_measurements_publishers_works_in_a_place(nlp):
    text = "公司克服困难。截至 2023 年底，轮台县至且末县路段已覆盖 5G 基站 20 个。"
    names = [PUB, ("轮台县", "PLACE", "轮台县"), ("且末县", "PLACE", "且末县")]
    assert _run(nlp, text, names) == [("中国移动", "20", "个", 2023)]


def test_measurements_secured_is_no_target(nlp):
    text = "公司定向培养人才，为改则县高校毕业生争取 41个相关就业岗位。"
    assert _run(nlp, text, [PUB]) == [("中国移动", "41", "个", 2023)]


def test_measurements_table_label_with_multiplier_only(nlp):
    text = "指标名称 2018 2019 2020\n物联网智能连接数（百万） 551 884 873\n我们持续发展物联网。"
    got = _run(nlp, text, [("我们", "ORG", "中国移动")], year=2020)
    assert got[-1] == ("中国移动", "873000000", "", 2020)


def test_measurements_announced_investment_is_a_target(nlp):
    assert _run(nlp, "公司宣布，将投资9150万美元推动云计算发展。", [PUB]) == []


# ------------------------------------------------------------------ glued tables
# Synthetic reports in the layout PDF extraction leaves: no space between the cells.
_GLUED_YI = (
    "星河科技有限公司2023年半年度报告。下表列出了各项费用：（单位：人民币亿元）"
    "2023年上半年2022年上半年累计发生所占营业收入百分比累计发生所占营业收入百分比"
    "费用合计2,210.690.12%2,004.391.05%其中：带宽成本64.82.64%70.13.19%"
    "折旧（注1）318.512.98%301.213.70%1）带宽成本2023年上半年，公司带宽成本为人民币64.8亿元，同比下降7.6%。"
)
_GLUED_YUAN = (
    "星河科技有限公司第一季度报告主要会计数据单位：元币种：人民币项目本报告期"
    "本报告期比上年同期增减变动幅度(%)营业收入12,345,678,9016.4"
    "净利润1,203,456,789-12.5基本每股收益（元/股）0.04321.8"
)


def test_measurements_glued_table_cells_split_with_the_tables_decimals(nlp):
    got = _run(nlp, _GLUED_YI, [("星河科技有限公司", "ORG", "星河科技"), ("公司", "ORG", "星河科技")],
               publisher="星河科技")
    cells = [(v, u, y) for s, v, u, y in got if s == "星河科技"]
    assert cells[:12] == [
        ("221060000000", "元", 2023), ("90.12", "%", 2023),
        ("200430000000", "元", 2022), ("91.05", "%", 2022),
        ("6480000000", "元", 2023), ("2.64", "%", 2023),
        ("7010000000", "元", 2022), ("3.19", "%", 2022),
        ("31850000000", "元", 2023), ("12.98", "%", 2023),
        ("30120000000", "元", 2022), ("13.7", "%", 2022),
    ]
    # the running text after the table is read as running text: 64.8亿元 and 7.6% of its sentence
    assert cells[12:] == [("6480000000", "元", 2023), ("7.6", "%", 2023)]


def test_measurements_glued_integers_and_percent_column(nlp):
    got = _run(nlp, _GLUED_YUAN, [("星河科技有限公司", "ORG", "星河科技")], publisher="星河科技", year=2023)
    values = [v for _, v, _, _ in got]
    assert values[:4] == ["12345678901", "6.4", "1203456789", "-12.5"]
    # 0.04321.8 splits more than one way (0.043 + 21.8 or 0.0432 + 1.8): left alone
    assert not {"0.043", "21.8", "0.0432", "1.8"} & set(values)


def test_measurements_glued_reader_leaves_spaced_cells_and_prose_alone():
    from extractors.measurements.glued import read_glued

    pub = Mention(0, 0, "ORG", "星河科技", "", implicit=True)
    spaced = "单位：万元 营业收入 1,234.5 1,300.2\n同比增长（%） 3.5 5.3\n"
    prose = "单位：元。公司全年收入增长12.5%，用户满意度达到95.3%，比上年提高1.2%。"
    for text in (spaced, prose):
        items, _ = read_glued(text, lambda pos: pub, lambda a, b: None, 2023)
        assert items == []


def test_measurements_anaphor_refers_to_the_nearest_entity_of_its_kind():
    from extractors.measurements.candidates import anaphor_referent
    from extractors.measurements.rules import MeasurementContext

    text = "星河银行与青山银行江北分行签约。该行全年发放贷款1906万元，该项目惠及农户。"
    group = Mention(0, 4, "ORG", "星河银行", "星河银行")
    branch = Mention(5, 13, "SUBSIDIARY", "青山银行江北分行", "青山银行江北分行")
    ctx = MeasurementContext(text, [group, branch], {"publisher": "星河银行", "year": 2023})
    figure = text.index("1906")
    assert anaphor_referent(ctx, text.index("该行"), figure) is branch
    # no program before 该项目, and no anaphor at all before the first sentence's end
    assert anaphor_referent(ctx, text.index("该项目"), len(text)) is None
    assert anaphor_referent(ctx, 0, text.index("签约")) is None


def test_measurements_paragraph_topic_is_offered_as_a_subject():
    """A figure two sentences after the program its paragraph is about may be that program's figure."""
    from extractors.measurements.candidates import TOPIC_REACH, topic_subjects
    from extractors.measurements.rules import MeasurementContext

    text = "星河公司推出渔安平台。平台覆盖沿海各县。截至年底，已服务渔民15万名。\n另一段：服务用户3万。"
    program = Mention(6, 10, "PLATFORM", "渔安平台", "渔安平台")
    ctx = MeasurementContext(text, [program], {"publisher": "星河公司", "year": 2023})
    figure = text.index("15万")
    line = ctx.line_of(figure)
    before = ctx.sentence(ctx.sentence(figure)[0] - 1)[0]  # the sentence before the figure's
    assert topic_subjects(ctx, line, before, figure) == {"recent": program, "line_first": program}
    # not across lines, and not from further back than TOPIC_REACH
    other = text.index("3万")
    assert topic_subjects(ctx, ctx.line_of(other), ctx.line_of(other)[0], other) == {}
    far = "星河公司推出渔安平台。" + "平台覆盖沿海各县。" * (TOPIC_REACH // 9) + "已服务渔民15万名。"
    ctx = MeasurementContext(far, [program], {"publisher": "星河公司", "year": 2023})
    figure = far.index("15万")
    assert topic_subjects(ctx, ctx.line_of(figure), ctx.sentence(figure)[0], figure) == {}


def test_measurements_glued_reader_on_degenerate_input():
    """Headers without tables, a megabyte of them, and a unit line far from any cell read nothing."""
    from extractors.measurements.glued import read_glued

    pub = Mention(0, 0, "ORG", "星河科技", "", implicit=True)
    far = "单位：元" + "说明" * 300 + "营业收入12,345,678,9016.4"
    for text in ("(%)" * 300_000, "单位：元" * 200_000, far, ""):
        items, consumed = read_glued(text, lambda pos: pub, lambda a, b: None, 2023)
        assert items == [] and consumed == []
