"""Operators from brands (extractors/relations/brands.py).

A product named with another group's brand is not run by the publisher: the
relation decider drops such an ``operatedBy`` and, where the document names
the brand's group, gives the product to it.
"""

from __future__ import annotations

import pytest
import spacy

from extractors import init_doc
from extractors.relations.brands import attribute_brands, brand_owner, owner_of
from extractors.relations.decision import RelationDecider
from kg.model import Mention, RelationItem
from kg.pipeline import build_nlp


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("天翼云", "中国电信"),
        ("天翼雲", "中国电信"),  # Traditional
        ("移动云", "中国移动"),
        ("咪咕视频", "中国移动"),
        ("中国移动百川系统", "中国移动"),
        ("“沃音乐”", "中国联通"),
        ("联通云", "中国联通"),
        ("中國聯通智慧足跡", "中国联通"),
        # ordinary words that short brand words also start
        ("移动支付平台", None),
        ("电信网络诈骗预警平台", None),
        ("和平发展项目", None),
        ("沃土计划", None),
        ("乡村振兴项目", None),
    ],
)
def test_brand_owner(name: str, group: str | None) -> None:
    assert brand_owner(name) == group


def at(text: str, surface: str, label: str, canonical: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), label, canonical or surface, surface, (), {})


PUBLISHER = Mention(0, 0, "ORG", "中国联通", "", (), {"source": "publisher"}, implicit=True)


def triples(items: list[RelationItem]) -> set[tuple[str, str, str]]:
    return {(r.head.canonical, r.relation, r.tail.canonical) for r in items}


def test_foreign_operator_dropped_and_brand_group_named_in_the_text_given() -> None:
    text = "中国电信发布天翼云。公司推出联通云和天翼云。"
    telecom = at(text, "中国电信", "ORG")
    ty1, ty2 = at(text, "天翼云", "PLATFORM"), at(text, "天翼云", "PLATFORM", nth=1)
    lt = at(text, "联通云", "PLATFORM")
    kept = [
        RelationItem(lt, "operatedBy", PUBLISHER, 10, 22, "publisher"),
        RelationItem(ty2, "operatedBy", PUBLISHER, 10, 22, "publisher"),
    ]
    out = attribute_brands(kept, [telecom, ty1, lt, ty2], [(0, 10), (10, 22)])
    assert triples(out) == {("联通云", "operatedBy", "中国联通"), ("天翼云", "operatedBy", "中国电信")}
    added = next(r for r in out if r.tail.canonical == "中国电信")
    # its evidence: the sentence of the product's first mention
    assert (added.start, added.end, added.rule) == (0, 10, "brand")


def test_foreign_branch_is_foreign_and_own_unit_is_kept() -> None:
    text = "咪咕公司运营咪咕视频，广东联通推广咪咕视频。"
    migu = at(text, "咪咕公司", "SUBSIDIARY", "咪咕公司")
    gd = at(text, "广东联通", "SUBSIDIARY", "中国联通广东分公司")
    video = at(text, "咪咕视频", "PLATFORM")
    kept = [
        RelationItem(video, "operatedBy", migu, 0, 22, "first_subject"),
        RelationItem(video, "operatedBy", gd, 0, 22, "first_subject"),
    ]
    assert triples(attribute_brands(kept, [migu, video, gd], [(0, 22)])) == {
        ("咪咕视频", "operatedBy", "咪咕公司")
    }


def test_no_group_named_means_no_operator_and_other_relations_untouched() -> None:
    text = "公司与合作方在北京推广移动云。"
    cloud = at(text, "移动云", "PLATFORM")
    partner = at(text, "合作方", "ORG")
    beijing = at(text, "北京", "PLACE")
    kept = [
        RelationItem(cloud, "operatedBy", PUBLISHER, 0, 15, "publisher"),
        RelationItem(cloud, "partner", partner, 0, 15, "partner_cue"),
        RelationItem(cloud, "implementedIn", beijing, 0, 15, "same_sentence"),
    ]
    assert triples(attribute_brands(kept, [partner, beijing, cloud], [(0, 15)])) == {
        ("移动云", "partner", "合作方"),
        ("移动云", "implementedIn", "北京"),
    }


def test_unbranded_products_keep_the_publisher() -> None:
    text = "公司上线智慧党建平台。"
    p = at(text, "智慧党建平台", "PLATFORM")
    kept = [RelationItem(p, "operatedBy", PUBLISHER, 0, 11, "publisher")]
    assert attribute_brands(kept, [p], [(0, 11)]) == kept


def test_product_named_after_another_company_of_the_text_is_that_companys() -> None:
    text = "公司与华为合作，推广华为云和智慧党建平台。"
    huawei = at(text, "华为", "ORG")
    cloud = at(text, "华为云", "PLATFORM")
    party = at(text, "智慧党建平台", "PLATFORM")
    kept = [
        RelationItem(cloud, "operatedBy", PUBLISHER, 0, 21, "publisher"),
        RelationItem(cloud, "partner", huawei, 0, 21, "partner_cue"),
        RelationItem(party, "operatedBy", PUBLISHER, 0, 21, "publisher"),
    ]
    assert triples(attribute_brands(kept, [huawei, cloud, party], [(0, 21)])) == {
        ("华为云", "operatedBy", "华为"),
        ("华为云", "partner", "华为"),
        ("智慧党建平台", "operatedBy", "中国联通"),
    }


def test_program_named_after_a_customer_keeps_its_operator() -> None:
    text = "联通数科为东升医院建设东升医院分布式云项目。"
    unit = at(text, "联通数科", "SUBSIDIARY", "联通数字科技有限公司")
    hospital = at(text, "东升医院", "ORG")
    program = at(text, "东升医院分布式云项目", "PROGRAM")
    kept = [RelationItem(program, "operatedBy", unit, 0, 23, "first_subject")]
    assert attribute_brands(kept, [unit, hospital, program], [(0, 23)]) == kept


def test_co_branded_names_are_left_alone() -> None:
    text = "教育部与公司开展教育部—中国联通校长培训项目。"
    moe = at(text, "教育部", "ORG")
    program = at(text, "教育部—中国联通校长培训项目", "PROGRAM")
    kept = [RelationItem(program, "operatedBy", PUBLISHER, 0, 23, "publisher")]
    assert attribute_brands(kept, [moe, program], [(0, 23)]) == kept


def test_the_decider_attributes_brands_without_a_model() -> None:
    nlp = spacy.blank("zh")
    text = "公司推出天翼云。"
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": "中国联通", "year": 2023, "doc_id": "t"})
    p = at(text, "天翼云", "PLATFORM")
    doc._.kg_mentions = [p]
    doc._.kg_relations = [RelationItem(p, "operatedBy", PUBLISHER, 0, 8, "publisher")]
    assert RelationDecider(None)(doc)._.kg_relations == []


@pytest.mark.parametrize("model_dir", ["none", None], ids=["rules", "shipped-model"])
def test_pipeline_gives_another_groups_product_to_it(model_dir: str | None) -> None:
    """A 中国联通 text: the line's actor (the publisher) would run 天翼云; its brand gives it to 中国电信."""
    text = "我们的云业务持续发展。中国电信、中国移动等运营商同样加快布局。报告期内，天翼云的收入快速增长。"
    nlp = build_nlp(model_dir=model_dir)
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": "中国联通", "year": 2023, "doc_id": "t"})
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    operators = {
        r.tail.canonical
        for r in doc._.kg_relations
        if r.relation == "operatedBy" and r.head.canonical == "天翼云"
    }
    assert operators == {"中国电信"}


def test_no_branded_product_of_the_bundled_corpus_is_run_by_another_group(bundled_out) -> None:
    """Issue #19's bar on the real corpus: no product of one group's brand is operated by another group."""
    from rdflib import RDFS

    from exports.graphfile import load_graph
    from kg.vocab import KG

    g = load_graph(bundled_out)
    wrong = []
    for head, tail in g.subject_objects(KG.operatedBy):
        heads = {str(v) for v in g.objects(head, RDFS.label)}
        tails = [Mention(0, 1, "ORG", str(v), str(v), (), {}) for v in g.objects(tail, RDFS.label)]
        for name in heads:
            owner = brand_owner(name)
            if owner is not None and any(owner_of(t) not in (None, owner) for t in tails):
                wrong.append((name, [t.canonical for t in tails]))
    assert not wrong
    assert any(brand_owner(str(v)) for v in g.objects(None, RDFS.label))  # the corpus names branded products
