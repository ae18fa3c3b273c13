"""Tests of the kg_organizations component: one case per rule, and the negatives."""

import pytest
import spacy
from opencc import OpenCC

import extractors.organizations  # noqa: F401  (registers the factory)
import extractors.places  # noqa: F401
from extractors import init_doc
from kg.pipeline import build_nlp


def _blank():
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@pytest.fixture(scope="module")
def orgs_only():
    """Organisations alone (no places, no overlaps): the finder's own output."""
    nlp = _blank()
    nlp.add_pipe("kg_organizations")
    return nlp


@pytest.fixture(scope="module")
def full():
    return build_nlp(model_dir="none")  # the rule components, without the models that decide among them


def _run(nlp, text: str, publisher: str = "中国联通"):
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": publisher})
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [m for m in doc._.kg_mentions if not m.implicit]


def _typed(nlp, text: str, publisher: str = "中国联通") -> dict[str, str]:
    return {m.canonical: m.label for m in _run(nlp, text, publisher) if m.label in ("ORG", "SUBSIDIARY")}


def test_organizations_match_is_pure(orgs_only):
    doc = orgs_only.make_doc("与青海省环保厅携手")
    found = orgs_only.get_pipe("kg_organizations").match(doc)
    assert [m.canonical for m in found] == ["青海省环保厅"]
    assert doc._.kg_mentions == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("公司与青海省环保厅携手打造项目", "青海省环保厅"),
        ("邀请英国雷丁大学20余名师生", "英国雷丁大学"),
        ("志愿者走进慧灵智障儿童服务中心", "慧灵智障儿童服务中心"),
        ("获评全球环境信息研究中心（CDP）评级", "全球环境信息研究中心"),
        ("如，宝马公司使用人工智能提高质量", "宝马公司"),
        ("联合5家中央企业筹建5G创新联合体，协同攻关", "5G创新联合体"),
        ("中国移动慈善基金会联合教育部开展项目", "中国移动慈善基金会"),  # a foundation is not a unit
        ("北京市发展和改革委员会印发通知", "北京市发展和改革委员会"),
    ],
)
def test_organizations_suffix_names(full, text, name):
    assert _typed(full, text).get(name) == "ORG"


def test_organizations_abbreviation_in_brackets_is_alias(full):
    (m,) = [m for m in _run(full, "获评全球环境信息研究中心（CDP）评级") if m.label == "ORG"]
    assert "CDP" in m.aliases


@pytest.mark.parametrize(
    ("text", "canonical", "alias"),
    [
        ("国家互联网信息办公室、工业和信息化部、公安部联合制定", "工业和信息化部", "工信部"),
        ("中央网信办会同农业农村部开展试点", "中央网络安全和信息化委员会办公室", "中央网信办"),
        ("会同科技部、市场监管总局", "科学技术部", "科技部"),
    ],
)
def test_organizations_central_bodies_by_full_and_short_name(full, text, canonical, alias):
    found = {m.canonical: m for m in _run(full, text)}
    assert found[canonical].label == "ORG"
    assert alias in (found[canonical].surface, *found[canonical].aliases)


def test_organizations_ministry_word_in_a_kind_is_not_a_body(full):
    assert _typed(full, "各地公安部门加强管理，外交部长出席") == {}


@pytest.mark.parametrize(
    "text",
    [
        "当地政府与3000余个重要医院合作",  # unnamed bodies
        "公司办公室和董事会审计委员会审议了议案",  # departments without a name
        "《礼记·大学》中有云",  # nothing inside a book title
        "构建生态产业新格局，开展中西部中小学校长培训",  # 局 in 格局, 部 in 中西部
        "作为云计算国家队。VR音乐会等活动。激发基层党组织的凝聚力",  # jieba nt kinds
        "它通过联合政府部门，以多元化项目推进",  # 联合 is a verb, 政府部门 a kind
        "31个省（自治区、直辖市）和新疆生产建设兵团开展试点",  # listed with provinces
    ],
)
def test_organizations_negatives(full, text):
    assert _typed(full, text) == {}


def test_organizations_left_edge_drops_bullets(full):
    found = _typed(full, "- 中国联通国际公司成功获得认证")
    assert found == {"中国联通国际公司": "SUBSIDIARY", "中国联通": "ORG"}


def test_organizations_left_edge_starts_at_group_word(full):
    text = "打造沉浸式数字内容体验案例中国移动咪咕公司于世界阅读日推出云上书店"
    found = {m.canonical: m for m in _run(full, text, "中国移动")}
    assert found["中国移动咪咕公司"].label == "SUBSIDIARY"
    assert "咪咕" in found["中国移动咪咕公司"].aliases
    assert not any("案例" in name for name in found)


def test_organizations_company_name_does_not_start_after_another(full):
    found = _typed(full, "江西公司新余分公司充分利用公司楼顶", "中国移动")
    assert not any("充分" in name for name in found)
    assert found["中国移动江西公司新余分公司"] == "SUBSIDIARY"


def test_organizations_group_word_prefix_makes_a_subsidiary(full):
    found = {m.canonical: m for m in _run(full, "关于联通集团财务有限公司签订协议的议案")}
    unit = found["联通集团财务有限公司"]
    assert unit.label == "SUBSIDIARY"
    assert unit.attrs["group"] == "中国联通"
    assert "联通财务公司" in unit.aliases


def test_organizations_bracketed_place_in_unit_name(full):
    found = {m.canonical: m for m in _run(full, "邀请师生前往中国联通(欧洲)运营有限公司访问")}
    unit = found["中国联通(欧洲)运营有限公司"]
    assert unit.label == "SUBSIDIARY"
    assert {"联通欧洲", "中国联通欧洲运营有限公司"} <= set(unit.aliases)


def test_organizations_unit_names_stop_at_conjunctions(full):
    found = _typed(full, "中国移动总部、北京公司、中移铁通总部及北京分公司已被纳入试点", "中国移动")
    assert found["中移铁通"] == "SUBSIDIARY"
    assert not any("及" in name for name in found)


def test_organizations_subsidiary_stem_not_inside_a_product(full):
    assert "咪咕" not in _typed(full, "咪咕阅读累计兑换时长1480万小时", "中国移动")


def test_organizations_facility_in_title_is_not_a_unit(full):
    found = _typed(full, "编制《中国移动绿色数据中心评价指标体系》", "中国移动")
    assert found == {"中国移动": "ORG"}


def test_organizations_institute_opened_by_publisher_is_subsidiary(full):
    text = "中国联通举办推进会。会上揭牌乡村振兴（重庆）数字产业研究院，致力成为示范企业。"
    found = {m.canonical: m for m in _run(full, text)}
    unit = found["乡村振兴（重庆）数字产业研究院"]
    assert unit.label == "SUBSIDIARY"
    assert "中国联通乡村振兴（重庆）数字产业研究院" in unit.aliases
    assert "重庆" in {m.canonical for m in _run(full, text) if m.label == "PLACE"}


def test_organizations_acronym_giving_an_award(full):
    assert _typed(full, "中国联通荣获2024年GSMA的亚洲最佳移动技术突破奖")["GSMA"] == "ORG"


def test_organizations_traditional_input_after_t2s(full):
    text = OpenCC("t2s").convert("為民辦育苗小學帶去講座；青海公司與青海省環保廳攜手。")
    found = _typed(full, text, "中国移动")
    assert found["青海省环保厅"] == "ORG"
    assert found["中国移动青海公司"] == "SUBSIDIARY"


# Precision rules read on the whole bundled corpus (hand-written sentences).


@pytest.mark.parametrize(
    "text",
    [
        "公司在贵阳新建绿色数据中心并投入运营",  # a facility
        "我们积极开展绿色数据中心的自主研发",  # a verb phrase before a facility
        "各级党组织紧紧围绕公司发展战略开展工作",  # an idiom with a verb (紧紧围绕/l)
        "平台包括健康宣贯中心、处方指导中心等模块",  # 中心 without a real name
        "如某大型零售公司的补货系统通过分析数据调整订单",  # unnamed (某)
        "美国半导体公司加快布局先进制程",  # a place and common words: a kind
        "发达国家大型跨国公司纷纷转型",  # 跨国公司 is a kind
        "推进甘肃数字政府建设，提升服务水平",  # 数字政府 is an idea
        "中国地方政府积极落实国家部署",  # 地方政府 is a kind
        "调派1台卫星通信车赶赴灾区",  # a field word of jieba's nt list
        "贵州联通市场部员工表示将加强管理",  # a department of a group
    ],
)
def test_organizations_kinds_facilities_and_clauses_are_not_names(full, text):
    assert not {n for n, t in _typed(full, text).items() if t == "ORG" and n != "中国联通"}


@pytest.mark.parametrize(
    ("text", "name", "wrong"),
    [
        ("在特定情形下向美国商务部报告客户信息", "美国商务部", "情形下向美国商务部"),  # HMM glued 下向
        ("推动工作上台阶上水平国资委党委不断推进", "国资委", "水平国资委"),  # a full name takes names only
        ("董事会审计委员会中国信息通信研究院发布报告", "中国信息通信研究院", "委员会中国信息通信研究院"),
        ("中央农办等7部门印发意见", "中央农办", "农办"),  # 中央 belongs to the name
    ],
)
def test_organizations_left_edge_stops_at_verbs_and_second_names(full, text, name, wrong):
    found = _typed(full, text)
    assert found.get(name) == "ORG"
    assert wrong not in found


@pytest.mark.parametrize(
    "text, name",
    [
        ("日本政府发布新的人工智能指引", "日本政府"),
        ("重庆市南岸区人民政府与公司签约", "重庆市南岸区人民政府"),
        ("与湛江市反诈中心深入合作", "湛江市反诈中心"),
    ],
)
def test_organizations_governments_and_centres_named_after_a_place(full, text, name):
    assert _typed(full, text).get(name) == "ORG"


def test_organizations_level_word_does_not_start_a_name(full):
    found = _typed(full, "省国资委印发通知，县人民医院开展义诊")
    assert "省国资委" not in found and "县人民医院" not in found


def test_organizations_heading_glued_to_a_branch_is_not_an_org(full):
    found = _typed(full, "二、着眼大局，在服务发展上出实招湖北分公司在深化改革中展现担当")
    assert not [n for n, t in found.items() if t == "ORG" and n.endswith("分公司")]


def test_organizations_list_items_that_are_kinds_of_office(full):
    found = _typed(full, "同步联合通信管理局、大数据局、信访局、派出所等多家单位开展活动")
    assert "派出所" not in found and "信访局" not in found


@pytest.mark.parametrize(
    "text",
    [
        "谢谢联通公司给我们普及的知识",  # the group itself
        "中国联通始终坚持以人民为中心，让人民享受便利",  # a clause ending in 中心
        "中国电信各省分公司纷纷开展培训",  # a kind of unit
    ],
)
def test_organizations_units_that_are_the_group_or_a_clause(full, text):
    assert not [n for n, t in _typed(full, text).items() if t == "SUBSIDIARY"]
