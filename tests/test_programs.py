"""Tests for the kg_programs component and the shared name helpers."""

from __future__ import annotations

import pytest
import spacy
from opencc import OpenCC

import extractors.programs  # noqa: F401  (registers kg_programs)
from extractors import init_doc
from extractors.names import canonical_form, find_quotes, junk_reason, strip_ordinal


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("kg_programs")
    return nlp


def _programs(nlp, text: str) -> dict[str, object]:
    doc = nlp.make_doc(text)
    return {m.canonical: m for m in nlp.get_pipe("kg_programs").match(doc)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公司推动“绿色行动计划”,完善环境管理体系。", "绿色行动计划"),
        ("我们持续开展爱“心”行动,为患儿提供救助。", "爱心行动"),
        ("截至年底,举办两期“优秀网格长能力提升示范班”以及其他培训。", "优秀网格长能力提升示范班"),
        ("公司开展极简网络三年专项行动。", "极简网络三年专项行动"),
        ("我们协同合作伙伴开展托盘循环升级项目,节约木材。", "托盘循环升级项目"),
        ("通过引入中央企业乡村产业投资基金等方式助力产业升级。", "中央企业乡村产业投资基金"),
        ("共举办了37场悦读咖活动,累计配捐。", "悦读咖活动"),
        ("开展“决胜在云”行动,打造差异化优势。", "决胜在云"),
    ],
)
def test_programs_type_word_names(nlp, text, expected):
    assert expected in _programs(nlp, text)


def test_programs_quoted_head_is_parent():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    finder = nlp.add_pipe("kg_programs")
    doc = nlp.make_doc("公司开展“蓝色梦想”校长培训项目,提升管理水平。")
    found = {m.canonical: m for m in finder.match(doc)}
    assert "蓝色梦想" in found
    assert found["蓝色梦想校长培训项目"].attrs["part_of"] == "蓝色梦想"


def test_programs_group_prefix_becomes_alias(nlp):
    found = _programs(nlp, "中国移动“数智化转型领导力提升”培训项目覆盖学员129名。")
    m = found["数智化转型领导力提升培训项目"]
    assert "中国移动数智化转型领导力提升培训项目" in m.aliases


def test_programs_quote_run_with_shared_type_word(nlp):
    found = _programs(nlp, "持续开展“暖心工程”“幸福 1+1”等活动,改善员工生活。")
    assert {"暖心工程", "幸福1+1"} <= set(found)


def test_programs_quote_list_split_by_count(nlp):
    found = _programs(nlp, "公司深入推进“服务领先、阳光行动、削峰行动”三大工程。")
    assert {"服务领先", "阳光行动", "削峰行动"} <= set(found)


def test_programs_traditional_input_after_t2s(nlp):
    text = OpenCC("t2s").convert("面向員工開展「低碳微體驗」等活動,宣傳綠色文化。")
    assert "低碳微体验" in _programs(nlp, text)


def test_programs_ordinal_prefix_goes_to_alias(nlp):
    m = _programs(nlp, "荣获国际金融论坛「第五届IFF全球绿色金融创新奖」等荣誉。")["IFF全球绿色金融创新奖"]
    assert "第五届IFF全球绿色金融创新奖" in m.aliases


@pytest.mark.parametrize(
    "text",
    [
        "协同攻关“卡脖子”关键核心技术。",
        "践行“绿水青山就是金山银山”理念,推动高质量发展。",
        "公司每年编制《中国移动“绿色行动计划”年度重点工作要求》。",
        "我们开展了多项环保志愿活动。",
        "围绕“三转”要求深化改革。",
        "加强垃圾分类和志愿服务工作,巩固脱贫攻坚成果。",
        "统筹建设“政府 +运营商 +服务商”三位一体机制。",
    ],
)
def test_programs_rejects_slogans_documents_and_generic_words(nlp, text):
    assert _programs(nlp, text) == {}


def test_programs_set_annotations_appends_mentions(nlp):
    doc = nlp.make_doc("公司推动“绿色行动计划”。")
    init_doc(doc, {"publisher": "中国移动"})
    doc = nlp.get_pipe("kg_programs")(doc)
    assert [m.label for m in doc._.kg_mentions] == ["PROGRAM"]
    assert doc._.kg_mentions[0].canonical == "绿色行动计划"


def test_names_helpers():
    text = "开展“数字乡村‘移’路同行”行动"
    quotes = find_quotes(text)
    assert len(quotes) == 1 and quotes[0].inner(text) == "数字乡村‘移’路同行"
    assert canonical_form("爱“心”行动") == "爱心行动"
    assert canonical_form("幸福 1+1") == "幸福1+1"
    assert strip_ordinal("2023年优秀网格长能力提升示范班") == "优秀网格长能力提升示范班"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a stop word is only dropped where the segmenter made it a word (共创 stays whole)
        ("为各地客户打造共创示范项目,成效显著。", None),
        ("公司深入开展产业焕新行动,提升效率。", "产业焕新行动"),
        # a name starts at a group name inside it
        ("欢迎观看中国联通2024年数字生活宣传周直播。", "数字生活宣传周"),
        # list marks are no part of a name
        ("-春风护苗公益跑活动:组织员工参与。", "春风护苗公益跑活动"),
        # a prize of a contest names the contest
        ("团队荣获了金钥匙杯一等奖,备受认可。", "金钥匙杯"),
    ],
)
def test_programs_left_edge(nlp, text, expected):
    found = _programs(nlp, text)
    if expected is None:
        assert not any(name.startswith("创") for name in found)
    else:
        assert expected in found


def test_programs_quote_plus_bare_type_word_is_one_program(nlp):
    found = _programs(nlp, "持续推进“数字边疆”建设,覆盖边远地区。")
    assert set(found) == {"数字边疆"}
    assert "数字边疆建设" in found["数字边疆"].aliases


def test_programs_quoted_verb_phrase_service_is_a_program(nlp):
    text = OpenCC("t2s").convert("為老年客戶提供「話費不斷檔」延期繳費服務,保障通信。")
    found = _programs(nlp, text)
    assert "话费不断档" in found
    assert _programs(nlp, "为客户提供“云盘”存储服务。") == {}


def test_programs_glued_headings_are_split(nlp):
    text = "覆盖学员百名。\n“领航者”青年骨干培训项目青年骨干研修班\n运用集中面授等形式。"
    found = _programs(nlp, text)
    assert "青年骨干研修班" in found
    assert not any(name.endswith("培训项目青年骨干研修班") for name in found)


@pytest.mark.parametrize(
    "text",
    [
        "公司大力推进区块链项目落地。",
        "我们积极开展扶老助残行动。",
        "打造集团级龙头示范项目。",
        "这是“中国移动”品牌连续第十年入选榜单。",
        "公司深入开展行动。",
    ],
)
def test_programs_rejects_generic_bodies_and_group_names(nlp, text):
    assert _programs(nlp, text) == {}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("基本每股收益（元/股）0.1230.10516.95非经常性损益项目合计。", "table figures"),
        ("593全国社保基金持有本公司股份。", "table figure before a name"),
        ("公司以人民币项目结算为主。", "report words"),
        ("本期落地30余个项目,运行平稳。", "a count, not a name"),
        ("重点推进三大工程,成效明显。", "a count of kinds"),
        ("新增项目和签订项目均有增长。", "a verb and a type word"),
        ("各单位迅速行动,投入救灾。", "an adverb before the type word"),
        ("该市政府计划拨款五亿元建设园区。", "计划 used as a verb"),
        ("同学们往杯子里装水。", "a preposition inside"),
        ("在思想上行动上保持一致。", "a preposition at the edge"),
        ("今年数字化转型项目提供了支撑。", "a generic 项目 body"),
        ("坚持开展办公楼弱电集成项目。", "项目 needs words of its own"),
        ("他获评“最美社区志愿者”称号。", "an honorary title"),
        ("荣获2023年行业年会一等奖。", "a grade of a conference prize"),
        ("力争打造全国第一品牌。", "a rank"),
        ("会议明确了“经营计划、投资方案和年度预算计划”等事项。", "a list inside a quote"),
        ("实施“千亿”产业拉动计划。", "a number in quotes"),
        ("向当地应急管理领导小组办公室报告。", "an office"),
        ("推动“优质网络”体系建设。", "建设 after more than the quote"),
    ],
)
def test_programs_precision_rules_reject(nlp, text, rule):
    found = _programs(nlp, text)
    if rule == "a number in quotes":
        assert "千亿" not in found  # the plan itself (千亿产业拉动计划) may stay
    else:
        assert found == {}, (rule, list(found))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一是开展星火助学行动,资助学生。", "星火助学行动"),
        ("当前青苗成长计划惠及千名学生。", "青苗成长计划"),
        ("2022年度蓝海创客马拉松大赛圆满落幕。", "蓝海创客马拉松大赛"),
        ("完成年度目标“三联”行动,成效明显。", "三联"),
        ("我们深入实施“绿色家园”计划。", "绿色家园"),
        ("我们持续开展“银发守护”服务行动。", "银发守护服务行动"),
    ],
)
def test_programs_precision_rules_keep_names(nlp, text, expected):
    assert expected in _programs(nlp, text)


@pytest.mark.parametrize(
    ("name", "quoted", "reason"),
    [
        ("（元/股）0.05非经常性损益项目", False, "table figures"),
        ("有限公司-博时基金", False, "report words"),
        ("技术+数据+业务智慧中台", False, "list joined by +"),
        ("开展了一系列活动，服务群众，取得良好成效的志愿服务活动", False, "too long"),
        ("总部、省、市三级服务", False, "sentence punctuation"),
        ("2022上半年中国公有云", False, "date or table heading"),
    ],
)
def test_names_junk_reason(name, quoted, reason):
    assert junk_reason(name, quoted) == reason


def test_names_junk_reason_keeps_quoted_commas_and_versions():
    assert junk_reason("绿色上海，和你一起", True, allow="，") is None
    assert junk_reason("CUBE-Net3.0新型数字基础设施计划", False) is None
    assert junk_reason("10086热线", False) is None
