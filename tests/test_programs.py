"""Tests for the kg_programs component and the shared name helpers."""

from __future__ import annotations

import pytest
from opencc import OpenCC
from testkit import found_names, name_case_tests, name_finder

import extractors.programs  # noqa: F401  (registers kg_programs)
from extractors import init_doc
from extractors.names import canonical_form, find_quotes, junk_reason, strip_ordinal


@pytest.fixture(scope="module")
def nlp():
    return name_finder("kg_programs")[0]


def _programs(nlp, text: str) -> dict[str, object]:
    return found_names((nlp, nlp.get_pipe("kg_programs")), text)


# the name cases are data (fixtures/name_cases.jsonl), run by the tests kg_platforms shares
test_programs_keeps_names, test_programs_rejects = name_case_tests("kg_programs")


def test_programs_number_in_quotes_is_no_name(nlp):
    assert "千亿" not in _programs(nlp, "实施“千亿”产业拉动计划。")  # the plan itself may stay


def test_programs_quoted_head_is_parent(nlp):
    found = _programs(nlp, "公司开展“蓝色梦想”校长培训项目,提升管理水平。")
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
