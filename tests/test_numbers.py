"""Tests of the number parser: multipliers, numerals, approximations, skips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from opencc import OpenCC

from extractors.numbers import chinese_to_int, find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx"),
    [
        ("1,000万元", "10000000", "元", ""),
        ("2.24亿元", "224000000", "元", ""),
        ("12.8万余名", "128000", "名", "余"),
        ("27.9%", "27.9", "%", ""),
        ("近百万名", "1000000", "名", "近"),
        ("两期", "2", "期", ""),
        ("四省", "4", "省", ""),
        ("十余项", "10", "项", "余"),
        ("6,216 万元", "62160000", "元", ""),
        ("38.76 万台", "387600", "台", ""),
        ("2.70 亿元", "270000000", "元", ""),
        ("**2.70** 亿元", "270000000", "元", ""),
        ("121万余人次", "1210000", "人次", "余"),
        ("1,600余万元", "16000000", "元", "余"),
        ("超过 1,000 万人次", "10000000", "人次", "超过"),
        ("5千台", "5000", "台", ""),
        ("5千瓦时", "5", "千瓦时", ""),
        ("万余人", "10000", "人", "余"),
        ("近千小时", "1000", "小时", "近"),
        ("-2.5亿元", "-250000000", "元", ""),
        ("217Tbps", "217", "Tbps", ""),
    ],
)
def test_numbers_parse_examples(text, value, unit, approx):
    num = parse_number(text)
    assert num is not None
    assert (num.value, num.unit, num.approx) == (value, unit, approx)


def test_numbers_range_keeps_lower_bound():
    num = parse_number("3-5万人")
    assert (num.value, num.unit, num.attrs["upper"]) == ("30000", "人", "50000")


@pytest.mark.parametrize(
    "text",
    [
        "2023年5月",
        "2024-2026年帮扶发展规划",
        "2019 年底",
        "拨打10086咨询",
        "第五届大赛",
        "5G基站",
        "700MHz 频段",
        "iPhone11 系列",
        "ISO 14000 认证",
        "老旧设备数万套",
        "十九大精神",
        "“五省八县”",
        "两个维护",
        "一个平台",
        "见第 12 页",
        "1.网间结算成本",
    ],
)
def test_numbers_skip_non_figures(text):
    assert find_numbers(text) == []


def test_numbers_find_in_sentence_offsets():
    text = "截至 2019 年底，湖北公司已交付翻新光猫 38.76 万台、机顶盒设备 18 万台"
    found = find_numbers(text)
    assert [(n.value, n.unit) for n in found] == [("387600", "台"), ("180000", "台")]
    assert text[found[0].start : found[0].end] == "38.76 万台"


def test_numbers_traditional_after_t2s():
    text = OpenCC("t2s").convert("累計節省採購資金 6,216 萬元，惠及 2.4 億人")
    assert [(n.value, n.unit) for n in find_numbers(text)] == [("62160000", "元"), ("240000000", "人")]


def test_numbers_multiplier_without_unit():
    (num,) = find_numbers("累计吸引 834 万 农民参加")
    assert (num.value, num.unit) == ("8340000", "")


def test_numbers_years_of_duration_after_cue():
    (num,) = find_numbers("连续 14 年开展")
    assert (num.value, num.unit) == ("14", "年")


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三千五百", 3500),
        ("百万", 10**6),
        ("十二万", 120000),
        ("一亿二千万", 120000000),
        ("万亿", 10**12),
        ("两", 2),
        ("零", 0),
        ("一百零五", 105),  # an inner 零 skips a place
        ("一千零一十", 1010),
        ("三万零五百", 30500),
        ("一亿零五", 100000005),
        ("三千五", 3500),  # the last digit stands for the next lower place
        ("两万五", 25000),
        ("一百五", 150),
        ("十五", 15),
        ("二〇二三", None),  # a year written out
    ],
)
def test_numbers_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value


MULTIPLIERS = {"": 1, "千": 1000, "万": 10**4, "亿": 10**8}


def _grouped(n: int) -> str:
    return f"{n:,}"


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(sorted(MULTIPLIERS)),
    st.sampled_from(["元", "名", "个", "台", "人次", "%"]),
    st.booleans(),
    st.sampled_from(["", "余"]),
    st.sampled_from(["", "近", "超过", "约"]),
)
def test_numbers_value_is_digits_times_multiplier(whole, frac, mult, unit, commas, after, before):
    digits = (_grouped(whole) if commas else str(whole)) + (f".{frac:02d}" if frac else "")
    if unit == "%":
        mult = ""
    text = f"{before}{digits}{after}{mult}{unit}"
    num = parse_number(text)
    assert num is not None, text
    expected = Decimal(digits.replace(",", "")) * MULTIPLIERS[mult]
    assert Decimal(num.value) == expected
    assert num.unit == unit
    assert bool(num.approx) == bool(after or before)


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_numbers_round_trip(d):
    text = format(d, "f") + "元"
    num = parse_number(text)
    assert num is not None
    assert Decimal(num.value) == d
    assert "E" not in num.value and (num.value == "0" or not num.value.endswith(".0"))


@pytest.mark.parametrize("text", ["覆盖3万-5万人。", "投资2亿-3亿元。"])
def test_numbers_range_with_multiplier_on_both_bounds(text):
    (num,) = find_numbers(text)
    assert Decimal(num.value) > 0 and Decimal(num.attrs["upper"]) > Decimal(num.value)


def test_numbers_count_after_a_label_ending_in_shu():
    # 人数69万人次: 数 ends the label 参与人数, it is no vague 数万
    found = find_numbers("参与人数69万人次，捐赠步数77亿步")
    assert [(n.value, n.unit) for n in found] == [("690000", "人次"), ("7700000000", "步")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("累计捐赠金额\n亿余元1.9\n", "190000000", "元"), ("注册总人数\n\n万人13.11\n", "131100", "人")],
)
def test_numbers_unit_written_before_digits_on_its_own_line(text, value, unit):
    (num,) = find_numbers(text)
    assert (num.value, num.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "value"),
    [("液冷5G基站PUE（低至约1.1）", "1.1"), ("年均PUE低于1.17，", "1.17"), ("PUE 可低至 1.1 左右", "1.1")],
)
def test_numbers_ratio_without_unit_after_its_name(text, value):
    (num,) = find_numbers(text)
    assert (num.value, num.unit) == (value, "")


def test_numbers_ratio_old_value_skipped():
    assert find_numbers("PUE由1.8降至1.28。") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("对垃圾治理、污水监测等五大模块", "5"), ("开展八大主题培训", "8"), ("等九大行业平台", "9")],
)
def test_numbers_counted_kinds(text, value):
    (num,) = find_numbers(text)
    assert (num.value, num.unit) == (value, "个")


@pytest.mark.parametrize(
    "text",
    [
        "党的十九大精神",
        "“三大工程”",
        "两大品牌项目",
        "阿里云、百度云",  # 百度 is a company
        "本公司未知前十名股东",  # a ranking
        "排名前10名",
        "3,190,419,687人民币普通股",  # 人 begins 人民币
        "用户数（万户）",  # the multiplier of a unit label
        "54.4%40.9%35.5%",  # table cells run together
        "挑灯夜战6个小时",  # a duration
        "在1个晚上的时间里",
        "其他流动资产-37.2本公司",  # 本 begins 本公司
    ],
)
def test_numbers_skip_more_non_figures(text):
    assert find_numbers(text) == []


def test_numbers_slogan_parts_are_no_count():
    assert find_numbers("聚焦“大联接、大计算、大数据、大应用、大安全”五大主责主业") == []
