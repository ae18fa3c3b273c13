"""Tests of the kg_branches component: branch naming per GUIDELINES.md."""

import pytest
import spacy
from opencc import OpenCC

import extractors.branches  # noqa: F401  (registers the factory)
import extractors.places  # noqa: F401
from extractors import init_doc
from extractors.lexicon import group_by_name
from kg.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    """Places then branches: the branch finder reads the place mentions."""
    nlp = spacy.blank("zh")
    nlp.add_pipe("kg_places")
    nlp.add_pipe("kg_branches")
    return nlp


@pytest.fixture(scope="module")
def full():
    return build_nlp(model_dir="none")  # the rule components, without the models that decide among them


def _run(nlp, text: str, publisher: str):
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": publisher})
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.kg_mentions


def _branches(nlp, text: str, publisher: str) -> dict:
    return {m.canonical: m for m in _run(nlp, text, publisher) if m.label == "SUBSIDIARY"}


def test_branches_match_is_pure(nlp):
    doc = nlp.make_doc("福建公司积极推进")
    init_doc(doc, {"publisher": "中国移动"})
    nlp.get_pipe("kg_places")(doc)
    before = list(doc._.kg_mentions)
    found = nlp.get_pipe("kg_branches").match(doc)
    assert [m.canonical for m in found] == ["中国移动福建公司"]
    assert doc._.kg_mentions == before


def test_branches_place_company_in_group_report(nlp):
    b = _branches(nlp, "福建公司积极推进乡村振兴", "中国移动")["中国移动福建公司"]
    assert {"福建公司", "福建移动", "中国移动福建分公司"} <= set(b.aliases)
    assert b.attrs["group"] == "中国移动"
    assert b.attrs["place"] == "福建"


def test_branches_place_company_needs_a_group_publisher(nlp):
    assert _branches(nlp, "福建公司积极推进乡村振兴", "某出版社") == {}


@pytest.mark.parametrize(
    ("text", "publisher", "canonical", "alias"),
    [
        ("佛山联通开展助老活动", "中国移动", "中国联通佛山分公司", "佛山联通"),
        ("中国联通贵州省分公司党委", "中国联通", "中国联通贵州分公司", "中国联通贵州省分公司"),
        ("广东电信推出服务", "中国联通", "中国电信广东公司", "广东电信"),
        ("湖北移动开展工作", "中国联通", "中国移动湖北公司", "中国移动通信集团湖北有限公司"),
    ],
)
def test_branches_naming_per_group(nlp, text, publisher, canonical, alias):
    b = _branches(nlp, text, publisher)[canonical]
    assert alias in (b.surface, *b.aliases)


def test_branches_sub_branch(nlp):
    found = _branches(nlp, "山东烟台联通龙口分公司王培山见义勇为", "中国联通")
    sub = next(m for m in found.values() if m.attrs.get("source") == "sub_branch")
    assert {"山东烟台联通龙口分公司", "龙口分公司", "龙口联通"} <= {sub.surface, *sub.aliases}
    assert sub.attrs["parent_branch"] == "中国联通烟台分公司"
    assert "中国联通烟台分公司" in found


def test_branches_sub_branch_of_a_provincial_company(nlp):
    found = _branches(nlp, "江西公司新余分公司充分利用公司楼顶", "中国移动")
    sub = found["中国移动江西公司新余分公司"]
    assert {"新余分公司", "中国移动新余公司"} <= set(sub.aliases)


def test_branches_group_word_in_a_common_word_is_not_a_branch(nlp):
    assert _branches(nlp, "福建移动互联网用户增长", "中国移动") == {}


def test_branches_place_inside_name_stays_a_place(full):
    found = _run(full, "佛山联通开展助老活动，福建公司积极推进", "中国移动")
    labels = {(m.label, m.canonical) for m in found}
    assert ("PLACE", "佛山") in labels
    assert ("PLACE", "福建") in labels
    assert ("SUBSIDIARY", "中国联通佛山分公司") in labels


def test_branches_traditional_input_after_t2s(full):
    text = OpenCC("t2s").convert("中國移動福建公司積極推進鄉村振興。")
    labels = {(m.label, m.canonical) for m in _run(full, text, "中国移动")}
    assert ("SUBSIDIARY", "中国移动福建公司") in labels
    assert ("PLACE", "福建") in labels


def test_branches_group_names_resolve():
    assert group_by_name()["联通"].canonical == "中国联通"
    assert group_by_name()["中移"].canonical == "中国移动"


def test_branches_city_branch_naming_its_own_city_is_not_a_sub_branch(nlp):
    found = _branches(nlp, "郭华是北京联通北京市分公司的优秀员工", "中国联通")
    assert not [n for n in found if n.count("分公司") > 1]
