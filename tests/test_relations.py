"""Tests of the relation rules (extractors/relations.py).

Most tests build a ``Doc`` by hand with hand-made mentions, so that each rule
is pinned independently of the entity components; a few run the whole
pipeline, including Traditional input converted with OpenCC t2s.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from opencc import OpenCC

from extractors import init_doc
from extractors.relations import RelationFinder, text_lines
from extractors.relations.part_of import residue_is_generic
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


# ---------------------------------------------------------------- one rule, one case
#
# fixtures/relation_rules.jsonl holds one case per line: a text, the mentions
# the entity components would have found in it (``nth`` occurrence of
# ``surface``; ``publisher`` for an implicit mention of the publisher), and what
# the rules must find (``has``), must not find (``lacks``; ``null`` matches
# anything) or find exactly for one relation (``only``).

RULES_FILE = Path(__file__).parent / "fixtures" / "relation_rules.jsonl"
RULE_CASES = [json.loads(line) for line in RULES_FILE.read_text(encoding="utf-8").splitlines() if line]


def _case_mentions(case: dict) -> list[Mention]:
    text, group = case["text"], case.get("publisher", "中国移动")
    out = []
    for m in case["mentions"]:
        if "publisher" in m:
            out.append(publisher(text, m["publisher"], m.get("nth", 0), group=group))
        else:
            attrs = m.get("attrs", {})
            out.append(mention(text, m["surface"], m["label"], m.get("canonical"), m.get("nth", 0), **attrs))
    return out


def _matches(pattern: list, relation: tuple[str, str, str]) -> bool:
    return all(p is None or p == r for p, r in zip(pattern, relation, strict=True))


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["id"] for c in RULE_CASES])
def test_relations_rules(blank, case):
    found = relations(blank, case["text"], _case_mentions(case), group=case.get("publisher", "中国移动"))
    assert {tuple(r) for r in case.get("has", [])} <= found
    assert [r for r in found for p in case.get("lacks", []) if _matches(p, r)] == []
    if "only" in case:
        only = case["only"]
        assert {r for r in found if r[1] == only["relation"]} == {tuple(r) for r in only["found"]}


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


@pytest.mark.parametrize(
    ("child", "parent", "generic"),
    [
        ("一带一路建设", "一带一路", True),
        ("2023年赋能建功竞赛品牌", "赋能建功", True),
        ("联通云数智融合基座", "联通云", False),
    ],
)
def test_relations_residue_is_generic(child, parent, generic):
    assert residue_is_generic(child, parent) is generic



def test_relations_text_lines_kinds():
    lines = text_lines("在英国\n-举办活动：内容。\n公司开展了多项活动，深受欢迎。")
    assert [(line.heading, line.bullet) for line in lines] == [(True, False), (False, True), (False, False)]


# ---------------------------------------------------------------- whole pipeline


@pytest.fixture(scope="module")
def nlp():
    from kg.pipeline import build_nlp

    return build_nlp(model_dir="none")  # the relation rules, without the model that decides among them


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


# ---------------------------------------------------------------- more rules of the full-corpus review


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


def test_relation_candidates_offer_the_paragraphs_place_beyond_the_next_sentence():
    """A program two sentences after 在青海省… is paired with 青海 (window "topic"); a place further
    than TOPIC_REACH back, or after the program, is not."""
    from extractors.relations.candidates import TOPIC_REACH, pair_candidates
    from kg.model import Mention

    text = "星河公司在青海开展帮扶。当地条件艰苦。学校缺少设备。公司启动了春苗计划。"
    sentences = [(0, 12), (12, 19), (19, 26), (26, len(text))]
    place = Mention(5, 7, "PLACE", "青海", "青海")
    program = Mention(text.index("春苗计划"), text.index("春苗计划") + 4, "PROGRAM", "春苗计划", "春苗计划")
    cands = pair_candidates([place, program], sentences, [], None)
    topic = [c for c in cands if c.window == "topic"]
    assert [(c.head.canonical, c.tail.canonical, c.relations) for c in topic] == [
        ("春苗计划", "青海", ("implementedIn",))
    ]
    far = Mention(place.start, place.end, "PLACE", "青海", "青海")
    gap = "当地条件艰苦。" * (TOPIC_REACH // 7 + 1)
    text2 = "星河公司在青海开展帮扶。" + gap + "公司启动了春苗计划。"
    start = text2.index("春苗计划")
    program2 = Mention(start, start + 4, "PROGRAM", "春苗计划", "春苗计划")
    sentences2 = [(0, 12), (12, 12 + len(gap)), (12 + len(gap), len(text2))]
    assert not [c for c in pair_candidates([far, program2], sentences2, [], None) if c.window == "topic"]
