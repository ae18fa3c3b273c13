"""Tests of the relation rules (extractors/relations.py).

Most tests build a ``Doc`` by hand with hand-made mentions, so that each rule
is pinned independently of the entity components; a few run the whole
pipeline, including Traditional input converted with OpenCC t2s.
"""

from __future__ import annotations

import pytest
import spacy
from opencc import OpenCC

from extractors import init_doc
from extractors.relations import RelationFinder, text_lines
from kg.model import Mention

PUB = {
    "移动": ("中国移动", ("中国移动通信集团有限公司",)),
    "联通": ("中国联通", ("中国联合网络通信集团有限公司",)),
}


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("zh")


def mention(
    text: str, surface: str, label: str, canonical: str | None = None, nth: int = 0, **attrs
) -> Mention:
    """A mention of the ``nth`` occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    implicit = attrs.pop("implicit", False)
    return Mention(start, start + len(surface), label, canonical or surface, surface, (), attrs, implicit)


def publisher(text: str, surface: str = "公司", nth: int = 0, group: str = "中国移动") -> Mention:
    """An implicit mention of the publisher (公司 / 我们)."""
    m = mention(text, surface, "ORG", group, nth, source="publisher", implicit=True)
    return m


def relations(blank, text: str, ms: list[Mention], group: str = "中国移动") -> set[tuple[str, str, str]]:
    doc = blank.make_doc(text)
    init_doc(doc, {"publisher": group, "year": 2023, "doc_id": "t"})
    doc._.kg_mentions = sorted(ms, key=lambda m: (m.start, -(m.end - m.start)))
    return {(r.head.canonical, r.relation, r.tail.canonical) for r in RelationFinder().match(doc)}


# ---------------------------------------------------------------- operatedBy


def test_relations_operated_by_sentence_actor(blank):
    text = "上海公司开展“绿色上海”活动。"
    ms = [
        mention(text, "上海公司", "SUBSIDIARY", "中国移动上海公司"),
        mention(text, "“绿色上海”活动", "PROGRAM", "绿色上海"),
    ]
    assert ("绿色上海", "operatedBy", "中国移动上海公司") in relations(blank, text, ms)


def test_relations_operated_by_actor_named_after(blank):
    text = "“绿色上海”公益活动是上海公司的公益品牌项目。"
    ms = [
        mention(text, "“绿色上海”公益活动", "PROGRAM", "绿色上海"),
        mention(text, "上海公司", "SUBSIDIARY", "中国移动上海公司"),
    ]
    assert ("绿色上海", "operatedBy", "中国移动上海公司") in relations(blank, text, ms)


def test_relations_bullets_inherit_actor_of_paragraph(blank):
    text = "上海公司开展了多项环保志愿活动。\n-“近自然”亲子活动：让家长与孩子共同体验大自然。"
    ms = [
        mention(text, "上海公司", "SUBSIDIARY", "中国移动上海公司"),
        mention(text, "“近自然”亲子活动", "PROGRAM", "近自然亲子活动"),
    ]
    assert ("近自然亲子活动", "operatedBy", "中国移动上海公司") in relations(blank, text, ms)


def test_relations_publisher_only_where_the_text_refers_to_it(blank):
    text = "例如，“Web3.0社交平台”构建分布式社交图谱协议。"
    ms = [mention(text, "“Web3.0社交平台”", "PLATFORM", "Web3.0社交平台")]
    assert relations(blank, text, ms) == set()
    text = "公司推出“云视讯”平台。"
    ms = [publisher(text), mention(text, "“云视讯”平台", "PLATFORM", "云视讯")]
    assert ("云视讯", "operatedBy", "中国移动") in relations(blank, text, ms)


def test_relations_unit_relied_on_runs_program_with_publisher(blank):
    # the gold names both the unit after 依托 and the publisher as operators
    text = "公司依托联通在线公司运营能力，开展“积分助残”行动。"
    ms = [
        publisher(text, group="中国联通"),
        mention(text, "联通在线公司", "SUBSIDIARY", "联通在线信息科技有限公司"),
        mention(text, "“积分助残”行动", "PROGRAM", "积分助残"),
    ]
    found = relations(blank, text, ms, group="中国联通")
    assert ("积分助残", "operatedBy", "中国联通") in found
    assert ("积分助残", "operatedBy", "联通在线信息科技有限公司") in found


def test_relations_organisation_relied_on_is_not_operator(blank):
    text = "公司依托星光大学科研能力，开展“积分助残”行动。"
    ms = [
        publisher(text, group="中国联通"),
        mention(text, "星光大学", "ORG"),
        mention(text, "“积分助残”行动", "PROGRAM", "积分助残"),
    ]
    assert ("积分助残", "operatedBy", "星光大学") not in relations(blank, text, ms, group="中国联通")


def test_relations_group_name_before_program(blank):
    text = "研究院牵头发起中国移动“小小科学家”系列活动。"
    ms = [
        mention(text, "研究院", "SUBSIDIARY", "中国移动研究院"),
        mention(text, "“小小科学家”系列活动", "PROGRAM", "小小科学家"),
    ]
    found = relations(blank, text, ms)
    assert {("小小科学家", "operatedBy", "中国移动研究院"), ("小小科学家", "operatedBy", "中国移动")} <= found


# ---------------------------------------------------------------- awards and participation


def test_relations_award_is_run_by_the_body_that_gives_it(blank):
    text = "“联通碳生活”荣获国际金融论坛“IFF全球绿色金融创新奖”。"
    ms = [
        mention(text, "“联通碳生活”", "PLATFORM", "联通碳生活"),
        mention(text, "国际金融论坛", "ORG"),
        mention(text, "“IFF全球绿色金融创新奖”", "PROGRAM", "IFF全球绿色金融创新奖"),
    ]
    found = relations(blank, text, ms, group="中国联通")
    assert ("IFF全球绿色金融创新奖", "operatedBy", "国际金融论坛") in found
    assert not any(h == "IFF全球绿色金融创新奖" and r == "partOf" for h, r, _ in found)


@pytest.mark.parametrize(
    ("text", "award", "expected"),
    [
        (
            "公司员工王勇荣获“中国移动公益之星”。",
            "中国移动公益之星",
            {("中国移动公益之星", "operatedBy", "中国移动")},
        ),
        ("公司员工王勇获评“中国青年志愿者优秀个人奖”。", "中国青年志愿者优秀个人奖", set()),
    ],
)
def test_relations_award_received_is_not_run_by_the_winner(blank, text, award, expected):
    ms = [publisher(text), mention(text, f"“{award}”", "PROGRAM", award)]
    found = {r for r in relations(blank, text, ms) if r[0] == award}
    assert found == expected


def test_relations_participants_are_partners(blank):
    text = "北京公司、铁通北京分公司已被纳入北京市碳交易试点。"
    ms = [
        mention(text, "北京公司", "SUBSIDIARY", "中国移动北京公司"),
        mention(text, "铁通北京分公司", "SUBSIDIARY", "中移铁通北京分公司"),
        mention(text, "北京市碳交易试点", "PROGRAM"),
    ]
    found = relations(blank, text, ms)
    assert ("北京市碳交易试点", "partner", "中国移动北京公司") in found
    assert ("北京市碳交易试点", "partner", "中移铁通北京分公司") in found
    assert not any(r == "operatedBy" for _, r, _ in found)


def test_relations_competition_frame_makes_a_partner(blank):
    text = "在第五届“绽放杯”大赛上，中国联通获得一等奖5项。"
    ms = [mention(text, "“绽放杯”大赛", "PROGRAM", "绽放杯"), mention(text, "中国联通", "ORG")]
    found = relations(blank, text, ms, group="中国联通")
    assert ("绽放杯", "partner", "中国联通") in found
    assert ("绽放杯", "operatedBy", "中国联通") not in found


# ---------------------------------------------------------------- partner


def test_relations_partner_enumeration_shares_the_cue(blank):
    text = "公司联合教育部、中国教育发展基金会开展“蓝色梦想”项目。"
    ms = [
        publisher(text),
        mention(text, "教育部", "ORG"),
        mention(text, "中国教育发展基金会", "ORG"),
        mention(text, "“蓝色梦想”项目", "PROGRAM", "蓝色梦想"),
    ]
    found = relations(blank, text, ms)
    assert {("蓝色梦想", "partner", "教育部"), ("蓝色梦想", "partner", "中国教育发展基金会")} <= found
    assert ("蓝色梦想", "operatedBy", "中国移动") in found


def test_relations_enumeration_without_cue_is_not_partner(blank):
    text = "公司开展“低碳微体验”活动，相关新闻被人民网、新浪网等媒体报道。"
    ms = [
        publisher(text, group="中国联通"),
        mention(text, "“低碳微体验”活动", "PROGRAM", "低碳微体验"),
        mention(text, "人民网", "ORG"),
        mention(text, "新浪网", "ORG"),
    ]
    found = relations(blank, text, ms, group="中国联通")
    assert not any(r == "partner" for _, r, _ in found)


# ---------------------------------------------------------------- implementedIn and places


def _place(text: str, surface: str, level: str, canonical: str | None = None, **attrs) -> Mention:
    return mention(text, surface, "PLACE", canonical, place_level=level, **attrs)


def test_relations_implemented_in_most_specific_of_address(blank):
    text = "贵州公司助力贵州省黔西南州册亨县开展“三大工程”。"
    ms = [
        mention(text, "贵州公司", "SUBSIDIARY", "中国联通贵州省分公司"),
        _place(text, "贵州", "province", nth=0),
        _place(text, "贵州省", "province", "贵州", nth=0),
        _place(text, "黔西南州", "prefecture", "黔西南布依族苗族自治州"),
        _place(text, "册亨县", "county"),
        mention(text, "“三大工程”", "PROGRAM", "三大工程"),
    ]
    ms = [m for m in ms if not (m.surface == "贵州" and m.start == text.index("贵州省"))]
    found = {r for r in relations(blank, text, ms, group="中国联通") if r[1] == "implementedIn"}
    assert found == {("三大工程", "implementedIn", "册亨县")}


def test_relations_enumerated_places_each(blank):
    text = "公司发起的“和你在一起”项目在西藏改则县、青海玛沁县开展帮扶。"
    ms = [
        publisher(text),
        mention(text, "“和你在一起”项目", "PROGRAM", "和你在一起"),
        _place(text, "西藏", "province"),
        _place(text, "改则县", "county"),
        _place(text, "青海", "province"),
        _place(text, "玛沁县", "county"),
    ]
    found = {r[2] for r in relations(blank, text, ms) if r[1] == "implementedIn"}
    assert found == {"改则县", "玛沁县"}


def test_relations_place_inside_quoted_name_is_not_where(blank):
    text = "员工获得“中国联通好员工”“思明区见义勇为模范”等荣誉称号，公司开展“好员工”评选。"
    ms = [
        publisher(text, group="中国联通"),
        _place(text, "思明区", "county"),
        mention(text, "“好员工”评选", "PROGRAM", "好员工"),
    ]
    assert not any(r == "implementedIn" for _, r, _ in relations(blank, text, ms, group="中国联通"))


def test_relations_heading_place_for_lines_below(blank):
    text = "在英国\n公司举办“文化之旅”活动，邀请师生交流。"
    ms = [
        _place(text, "英国", "country"),
        publisher(text, group="中国联通"),
        mention(text, "“文化之旅”活动", "PROGRAM", "文化之旅"),
    ]
    assert ("文化之旅", "implementedIn", "英国") in relations(blank, text, ms, group="中国联通")


def test_relations_province_inside_program_name(blank):
    text = "青海公司打造了青海生态之窗项目。"
    ms = [
        mention(text, "青海公司", "SUBSIDIARY", "中国移动青海公司"),
        mention(text, "青海生态之窗项目", "PROGRAM", "生态之窗"),
    ]
    assert ("生态之窗", "implementedIn", "青海") in relations(blank, text, ms)


def test_relations_natural_place_in_its_county(blank):
    text = "在位于轮台县的塔克拉玛干沙漠开通基站。"
    ms = [_place(text, "轮台县", "county"), _place(text, "塔克拉玛干沙漠", "natural")]
    assert ("塔克拉玛干沙漠", "locatedIn", "轮台县") in relations(blank, text, ms)


# ---------------------------------------------------------------- partOf


@pytest.mark.parametrize(
    ("child", "parent", "generic"),
    [
        ("一带一路建设", "一带一路", True),
        ("2023年赋能建功竞赛品牌", "赋能建功", True),
        ("联通云数智融合基座", "联通云", False),
    ],
)
def test_relations_residue_is_generic(child, parent, generic):
    assert RelationFinder._residue_is_generic(child, parent) is generic


def test_relations_part_of_name_contains(blank):
    text = "联通云数智融合基座依托联通云建设。"
    ms = [mention(text, "联通云数智融合基座", "PLATFORM"), mention(text, "联通云", "PLATFORM", nth=1)]
    assert ("联通云数智融合基座", "partOf", "联通云") in relations(blank, text, ms, group="中国联通")


def test_relations_quoted_name_with_description_is_one_program(blank):
    text = "公司打造“和苗”义务支教品牌，开展“和苗”支教68场。"
    ms = [
        publisher(text),
        mention(text, "“和苗”义务支教品牌", "PROGRAM", "和苗义务支教品牌", part_of="和苗"),
        mention(text, "“和苗”", "PROGRAM", "和苗", nth=1),
    ]
    assert not any(r == "partOf" for _, r, _ in relations(blank, text, ms))


def test_relations_line_lead_with_colon(blank):
    text = "-“赋能网格”系列培训项目：举办“示范班”，开展“特训营”。"
    ms = [
        mention(text, "“赋能网格”", "PROGRAM", "赋能网格"),
        mention(text, "“示范班”", "PROGRAM", "示范班"),
        mention(text, "“特训营”", "PROGRAM", "特训营"),
    ]
    found = relations(blank, text, ms)
    assert {("示范班", "partOf", "赋能网格"), ("特训营", "partOf", "赋能网格")} <= found


def test_relations_bullet_lead_under_paragraph_program(blank):
    text = "“绿色上海”公益活动是上海公司的品牌项目。\n-公益跑活动：支持现场的“书香换花香”等活动。"
    ms = [
        mention(text, "“绿色上海”公益活动", "PROGRAM", "绿色上海"),
        mention(text, "上海公司", "SUBSIDIARY", "中国移动上海公司"),
        mention(text, "公益跑活动", "PROGRAM", "公益跑"),
        mention(text, "“书香换花香”", "PROGRAM", "书香换花香"),
    ]
    found = relations(blank, text, ms)
    assert {("公益跑", "partOf", "绿色上海"), ("书香换花香", "partOf", "公益跑")} <= found
    assert ("书香换花香", "partOf", "绿色上海") not in found


def test_relations_collective_rows_and_components(blank):
    text = (
        "公司推进“数智乡村振兴计划”，通过新基建、治理等“七大数智化工程”，完善设施。\n"
        "乡村治理数智化工程开展“移路同行”行动，打造数字乡村平台，提供服务。\n"
        "乡村文化数智化工程截至年底，“我爱读书”活动吸引农民参加。"
    )
    ms = [
        publisher(text),
        mention(text, "“数智乡村振兴计划”", "PROGRAM", "数智乡村振兴计划"),
        mention(text, "“七大数智化工程”", "PROGRAM", "七大数智化工程"),
        mention(text, "乡村治理数智化工程", "PROGRAM"),
        mention(text, "“移路同行”行动", "PROGRAM", "移路同行"),
        mention(text, "数字乡村平台", "PLATFORM"),
        mention(text, "乡村文化数智化工程", "PROGRAM"),
        mention(text, "“我爱读书”活动", "PROGRAM", "我爱读书"),
    ]
    found = {r for r in relations(blank, text, ms) if r[1] == "partOf"}
    assert {
        ("七大数智化工程", "partOf", "数智乡村振兴计划"),
        ("乡村治理数智化工程", "partOf", "七大数智化工程"),
        ("乡村文化数智化工程", "partOf", "七大数智化工程"),
        ("移路同行", "partOf", "乡村治理数智化工程"),
        ("数字乡村平台", "partOf", "移路同行"),
        ("我爱读书", "partOf", "乡村文化数智化工程"),
    } <= found


def test_relations_series_without_parent_is_not_part_of(blank):
    text = "公司开展“积分助学”“餐与善举”系列公益行动。"
    ms = [
        publisher(text, group="中国联通"),
        mention(text, "“积分助学”", "PROGRAM", "积分助学"),
        mention(text, "“餐与善举”", "PROGRAM", "餐与善举"),
    ]
    assert not any(r == "partOf" for _, r, _ in relations(blank, text, ms, group="中国联通"))


def test_relations_text_lines_kinds():
    lines = text_lines("在英国\n-举办活动：内容。\n公司开展了多项活动，深受欢迎。")
    assert [(line.heading, line.bullet) for line in lines] == [(True, False), (False, True), (False, False)]


# ---------------------------------------------------------------- whole pipeline


@pytest.fixture(scope="module")
def nlp():
    from kg.pipeline import build_nlp

    return build_nlp()


def pipeline_relations(nlp, text: str, group: str) -> set[tuple[str, str, str]]:
    """Relations of the full pipeline, once per name of the head (canonical and aliases)."""
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": group, "year": 2019, "doc_id": "t"})
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {
        (name, r.relation, r.tail.canonical)
        for r in doc._.kg_relations
        for name in (r.head.canonical, *r.head.aliases)
    }


def test_relations_pipeline_traditional_input(nlp):
    hant = "爲了保護三江源地區的濕地，青海公司與青海省環保廳攜手打造了青海“生態之窗”項目。"
    found = pipeline_relations(nlp, OpenCC("t2s").convert(hant), "中国移动")
    window = {(r, t) for h, r, t in found if "生态之窗" in h}
    assert ("operatedBy", "中国移动青海公司") in window
    assert ("partner", "青海省环保厅") in window
    assert ("implementedIn", "青海") in window
    assert ("中国移动青海公司", "subsidiaryOf", "中国移动") in found


def test_relations_pipeline_white_paper_has_no_publisher_operator(nlp):
    text = "例如，Web3.0社交平台通过构建分布式社交图谱协议，实现不同平台之间的信息互通。"
    found = pipeline_relations(nlp, text, "中国联通")
    assert not any(r == "operatedBy" for _, r, _ in found)


# ---------------------------------------------------------------- rules of the full-corpus review


def test_relations_award_given_by_body_opening_its_name(blank):
    text = "“星光应用”荣获「第三届ABC全球创新奖」等荣誉。"
    ms = [
        mention(text, "“星光应用”", "PLATFORM", "星光应用"),
        mention(text, "第三届ABC全球创新奖", "PROGRAM", "ABC全球创新奖"),
        mention(text, "ABC", "ORG", source="award"),
    ]
    rels = relations(blank, text, ms)
    assert ("ABC全球创新奖", "operatedBy", "ABC") in rels


def test_relations_award_named_after_group_in_surface_only(blank):
    text = "王明于 2013 年荣获“**中国移动公益之星**”。"
    ms = [mention(text, "“**中国移动公益之星**”", "PROGRAM", "公益之星")]
    assert ("公益之星", "operatedBy", "中国移动") in relations(blank, text, ms)


def test_relations_nested_unit_is_subsidiary_of_outer_unit(blank):
    text = "星光科技公司华东分公司开展巡检。"
    ms = [
        mention(text, "星光科技公司华东分公司", "SUBSIDIARY", group="中国移动"),
        mention(text, "星光科技公司", "SUBSIDIARY", group="中国移动"),
    ]
    rels = relations(blank, text, ms)
    assert ("星光科技公司华东分公司", "subsidiaryOf", "星光科技公司") in rels
    assert ("星光科技公司", "subsidiaryOf", "中国移动") in rels


def test_relations_sub_branch_is_subsidiary_of_its_branch_only(blank):
    text = "江西公司新余分公司建设光伏电站。"
    ms = [
        mention(
            text,
            "江西公司新余分公司",
            "SUBSIDIARY",
            "中国移动江西公司新余分公司",
            group="中国移动",
            parent_branch="中国移动江西公司",
        ),
        mention(text, "江西公司", "SUBSIDIARY", "中国移动江西公司", group="中国移动"),
    ]
    rels = relations(blank, text, ms)
    assert ("中国移动江西公司新余分公司", "subsidiaryOf", "中国移动江西公司") in rels
    assert ("中国移动江西公司新余分公司", "subsidiaryOf", "中国移动") not in rels


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("公司积极助推“一带一路”建设。", "一带一路"),  # a national program
        ("公司通过引入“乡村产业投资基金”等方式助力产业升级。", "乡村产业投资基金"),  # brought in
    ],
)
def test_relations_no_operator_for_national_or_brought_in_programs(blank, text, name):
    surface = "“" + name + "”"
    ms = [publisher(text), mention(text, surface, "PROGRAM", name)]
    assert not any(r[0] == name and r[1] == "operatedBy" for r in relations(blank, text, ms))


def test_relations_partner_belongs_to_the_initiative_named_with_it(blank):
    text = "公司与甲集团共建星光云平台，与乙集团共建月光云平台。"
    ms = [
        publisher(text),
        mention(text, "甲集团", "ORG"),
        mention(text, "星光云平台", "PLATFORM"),
        mention(text, "乙集团", "ORG"),
        mention(text, "月光云平台", "PLATFORM"),
    ]
    rels = {r for r in relations(blank, text, ms) if r[1] == "partner"}
    assert rels == {("星光云平台", "partner", "甲集团"), ("月光云平台", "partner", "乙集团")}


def test_relations_partner_in_later_clause_with_own_action_is_not_partner(blank):
    text = "公司启动星光攻关项目，联合甲实验室建设安全靶场。"
    ms = [publisher(text), mention(text, "星光攻关项目", "PROGRAM"), mention(text, "甲实验室", "ORG")]
    assert ("星光攻关项目", "partner", "甲实验室") not in relations(blank, text, ms)


def test_relations_partner_invited_in_later_clause(blank):
    text = "公司举办“星光之旅”活动，邀请甲大学20余名师生参观交流。"
    ms = [
        publisher(text),
        mention(text, "“星光之旅”活动", "PROGRAM", "星光之旅"),
        mention(text, "甲大学", "ORG"),
    ]
    assert ("星光之旅", "partner", "甲大学") in relations(blank, text, ms)


def test_relations_sub_event_shares_program_quoted_core(blank):
    text = "在第五届“星光杯”应用征集大赛上，公司获奖。此前在“星光杯”标杆赛中也获金奖。"
    ms = [
        mention(text, "第五届“星光杯”应用征集大赛", "PROGRAM", "星光杯应用征集大赛"),
        mention(text, "“星光杯”标杆赛", "PROGRAM", "星光杯标杆赛"),
    ]
    assert ("星光杯标杆赛", "partOf", "星光杯应用征集大赛") in relations(blank, text, ms)


@pytest.mark.parametrize(
    ("text", "lead", "child"),
    [
        # a channel (通过…) is not a component
        ("“星光普遍服务工程”为农村开通宽带，同时通过月光热线提供服务。", "“星光普遍服务工程”", "月光热线"),
        # a name opening the part after ； is a new topic
        ("星光公益行项目，参与69万人；“蓝海”星辰跑项目，参与35万人。", "星光公益行项目", "“蓝海”星辰跑项目"),
        # 发布人： after a title is a byline, not a lead's colon
        ("联通“星光市场”的转型之路发布人：新闻中心。月光云平台助力转型。", "“星光市场”", "月光云平台"),
    ],
)
def test_relations_line_lead_skips_means_new_topics_and_bylines(blank, text, lead, child):
    ms = [mention(text, lead, "PROGRAM", lead.strip("“”")), mention(text, child, "PROGRAM", child)]
    assert not any(r[1] == "partOf" and r[0] == child for r in relations(blank, text, ms))


def test_relations_line_lead_keeps_table_row_items(blank):
    text = "乡村文化数智化工程截至2023年底，“我爱读书”活动累计吸引834万农民参加。"
    ms = [
        mention(text, "乡村文化数智化工程", "PROGRAM"),
        mention(text, "“我爱读书”活动", "PROGRAM", "我爱读书"),
    ]
    assert ("我爱读书", "partOf", "乡村文化数智化工程") in relations(blank, text, ms)


def test_relations_rows_under_an_unnamed_collective_are_part_of_the_program_before_it(nlp):
    # a count (三大数字化工程) names no program; its rows belong to the program of its sentence
    text = (
        "公司全面实施“智慧海洋振兴计划”，通过渔业、航运、港口等“三大数字化工程”，服务沿海地区。\n"
        "渔业数字化工程\t推广渔船北斗定位终端。\n"
        "港口数字化工程\t建设智慧码头。\n"
    )
    found = pipeline_relations(nlp, text, "中国移动")
    assert ("渔业数字化工程", "partOf", "智慧海洋振兴计划") in found
    assert ("港口数字化工程", "partOf", "智慧海洋振兴计划") in found
