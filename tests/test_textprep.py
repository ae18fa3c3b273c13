"""Tests for kg.textprep: normalisation, line joining, sentences, segments, offsets."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.documents import bundled_corpus
from kg.model import Document, Segment
from kg.textprep import (
    is_bullet,
    is_heading,
    normalize,
    prepare,
    should_join,
    split_sentences,
)

CORPUS = Path(__file__).resolve().parents[1] / "kg" / "data" / "corpus"
_T2S = opencc.OpenCC("t2s")


def _doc(text: str, **kw) -> Document:
    return Document(id="t", text=text, **kw)


def _prep(text: str) -> str:
    return normalize(text).text


def _assert_offsets_valid(seg: Segment, original: str) -> None:
    assert len(seg.offsets) == len(seg.text) + 1
    assert all(a <= b for a, b in zip(seg.offsets, seg.offsets[1:], strict=False))
    assert all(0 <= o <= len(original) for o in seg.offsets)
    assert all(o < len(original) for o in seg.offsets[:-1])


def _assert_sentences_cover(seg: Segment) -> None:
    assert seg.sentences[0][0] == 0
    assert seg.sentences[-1][1] == len(seg.text)
    for (s1, e1), (s2, _e2) in zip(seg.sentences, seg.sentences[1:], strict=False):
        assert s1 < e1 == s2


def _source_char_matches(src: str, out: str, context: str = "") -> bool:
    """True when prepared char ``out`` can come from original char ``src``.

    ``context`` is the original text around ``src``: OpenCC converts some
    characters differently inside a phrase (反覆 -> 反复).
    """
    if src == out:
        return True
    if out.isspace():
        return src.isspace() or unicodedata.category(src).startswith("Z")
    folded = unicodedata.normalize("NFKC", src)
    candidates = (folded, _T2S.convert(src), _T2S.convert(folded))
    return any(out in c for c in candidates) or bool(context and out in _T2S.convert(context))


# ------------------------------------------------------------ normalisation


def test_textprep_keeps_chinese_punctuation():
    text = "中国移动，坚持“绿水青山”：（一）推进；完成了吗？是！「好」、《报告》。"
    assert _prep(text) == text


def test_textprep_folds_fullwidth_ascii_and_spaces():
    assert _prep("２０２０年ＩＣＴ\u3000行业") == "2020年ICT行业"
    assert _prep("5G\u00a0SA 网络") == "5G SA网络"


def test_textprep_expanding_compatibility_chars_map_back():
    original = "面积100㎡，ﬁber网络"
    aligned = normalize(original)
    assert aligned.text == "面积100m2,fiber网络".replace(",", "，")
    m_index = aligned.text.index("m2")
    assert aligned.offs[m_index] == aligned.offs[m_index + 1] == original.index("㎡")


def test_textprep_removes_hash_marks_and_bold():
    assert _prep("在###电信业的浩瀚星空中，###联通的创立") == "在电信业的浩瀚星空中，联通的创立"
    assert _prep("建设 4G 基站 **3,647 个**、5G 基站") == "建设4G基站3,647个、5G基站"


def test_textprep_converts_traditional_to_simplified():
    assert (
        _prep("中國聯通推動鄉村全面振興，積極投身公益事業。")
        == "中国联通推动乡村全面振兴，积极投身公益事业。"
    )


def test_textprep_spaces_next_to_chinese_removed_latin_kept():
    assert _prep("截至 2020 年底，31 家省公司") == "截至2020年底，31家省公司"
    assert _prep("CMCC  OnePOWER 平台") == "CMCC OnePOWER平台"


# ------------------------------------------------------------ line joining

# Real excerpts of 001 (PDF text: lines broken mid-sentence, blank line between).
EXCERPT_MIDSENTENCE = (
    "2020 年，新冠肺炎疫情对经济社会带来深刻影响，对实\n\n"
    "现可持续发展目标（SDGs）也带来巨大挑战。在中国，疫情\n\n"
    "催生的线上化、智能化、云化共性需求集中爆发，新一代信息\n\n"
    "技术加速融入经济社会民生。"
)
EXCERPT_HEADING = (
    "了央企良好形象。\n\n"
    "深入开展“党建和创”主题实践活动\n\n"
    "中国移动高举习近平新时代中国特色社会主义思想旗帜，立足党和国家发展历史长河和中国移动成长发展历程，在全\n\n"
    "集团开展“奋斗 20 载\t整装再出发”系列活动。"
)
EXCERPT_COLUMN = (
    "公司积极顺应经济社会\n\n数字化转型进一步加速的趋势\n\n变化，全力建设信息“高速”，\n\n"
    "创新运营信息“高铁”，加速\n\n拓展线上化、智能化、云化，\n\n提升。"
)


def test_textprep_joins_midsentence_pdf_lines():
    assert _prep(EXCERPT_MIDSENTENCE) == (
        "2020年，新冠肺炎疫情对经济社会带来深刻影响，对实现可持续发展目标（SDGs）也带来巨大挑战。"
        "在中国，疫情催生的线上化、智能化、云化共性需求集中爆发，新一代信息技术加速融入经济社会民生。"
    )


def test_textprep_heading_not_glued_to_paragraph():
    lines = _prep(EXCERPT_HEADING).split("\n")
    assert lines[0] == "了央企良好形象。"
    assert lines[1] == "深入开展“党建和创”主题实践活动"
    assert lines[2].startswith("中国移动高举") and lines[2].endswith("系列活动。")
    assert "在全集团开展" in lines[2]


def test_textprep_joins_narrow_column():
    assert _prep(EXCERPT_COLUMN) == (
        "公司积极顺应经济社会数字化转型进一步加速的趋势变化，全力建设信息“高速”，"
        "创新运营信息“高铁”，加速拓展线上化、智能化、云化，提升。"
    )


def test_textprep_bullets_stay_separate():
    text = (
        "2024 年採取的措施\n\n- 「聯通數村」平台覆蓋 26 萬村，服務 2,755 萬村戶。\n"
        "- 推動節能、降碳\n- 關心關愛廣大職工"
    )
    lines = _prep(text).split("\n")
    assert len(lines) == 4
    assert lines[2].startswith("-") and lines[3].startswith("-")


def test_textprep_table_rows_not_joined():
    text = "移动客户总数（百万户）\n925 950 942\n\n5G 套餐客户数\n\n107 165 331"
    assert len(_prep(text).split("\n")) == 4


def test_textprep_paragraph_break_after_several_blank_lines():
    text = "在新疆开通沙漠公路 700MHz 5G 超远覆盖基站的完整描述没有句号\n\n\n\n中国移动在新疆开通首个"
    assert "\n" in _prep(text)


def test_textprep_latin_words_keep_a_space_when_joined():
    text = "中国移动发布5G+工业互联网品牌 CMCC\nOnePOWER 聚焦更精准的平台定位"
    assert "CMCC OnePOWER" in _prep(text)


# Regressions reported downstream, with excerpts of the bundled corpus.

# 001, cover of the chairman's letter: four headings, one per line.
EXCERPT_001_LETTER = " 贡献数智新力量\n共创美好新未来\n\n董事长致辞\n\n杨杰\n\n党组书记、董事长\n\n"
# 004: a caption, a heading, then text; a caption followed by a sub-heading.
EXCERPT_004_CAPTIONS = (
    "海南澄迈县西达中心学校全球通蓝色梦想课堂\n\n\n\n"
    "四川阿坝县中学全球通蓝色梦想公益捐赠仪式\n\n"
    "深耕品牌公益项目\n\n"
    "公司连续多年通过中国移动慈善基金会开展“一红一蓝”两项品牌公益项目，以实际行动向社会各界传递善意。\n\n"
    "中国移动“数智化转型领导力提升”培训项目\n\n"
    "中青年干部进修班\n\n"
    "运用集中面授、座谈交流、案例分享、行动学习、现场教学等形式，设置培训课程 82 门。"
)
# 001: a long line ending without punctuation, continued on the next line.
EXCERPT_001_SENTENCE = (
    "中国移动通过信息进村入户不断促进农村一二三产业融合发展。重庆公司打造“政府 +运营商 +服务商”三位一体\n\n"
    "推进机制，建成益农社 9,164 个，依托渝益农平台融合新农活、新农具、金饭碗、"
    "金扁担服务超过 1,000 万人次，助力\n\n"
    "农产品电商交易超过 1亿元。"
)
# 001: sentences broken around their figures (once taken for table rows).
EXCERPT_001_FIGURES = (
    "全产业链帮扶，培育出“宝山大哥”等\n\n知名品牌，电商产业园销售额从 2018\n\n"
    "年 80 万元增长到 2020 年 5,400 多万\n\n元，惠及 1,300 名贫困人口。"
)
# 001: vertical text beside a paragraph.
EXCERPT_001_VERTICAL = (
    "党\n建\n引\n领\n新\n发\n 2020 年，面对错综复杂的形势，中国移动以习近平新时代中国\n\n"
    "特色社会主义思想为指导。"
)
# 001: a caption and a line after a case heading.
EXCERPT_001_CASE = (
    "5G+ 智慧港口，提升港口运营水平 案例\n\n宁波舟山港在国内率先实现 5G+ 远控龙门吊批量投用\n\n"
    "扫一扫，了解智慧港口更多内容\n\n"
    "2020\t年 6\t月 18\t日，全国首座 5G\t智慧煤矿在山西正式落成。"
)


def test_textprep_headings_on_consecutive_lines_not_glued():
    lines = _prep(EXCERPT_001_LETTER).split("\n")
    assert lines == ["贡献数智新力量", "共创美好新未来", "董事长致辞", "杨杰", "党组书记、董事长"]


def test_textprep_caption_and_heading_stay_apart():
    lines = _prep(EXCERPT_004_CAPTIONS).split("\n")
    assert lines[:3] == [
        "海南澄迈县西达中心学校全球通蓝色梦想课堂",
        "四川阿坝县中学全球通蓝色梦想公益捐赠仪式",
        "深耕品牌公益项目",
    ]
    assert lines[4:6] == ["中国移动“数智化转型领导力提升”培训项目", "中青年干部进修班"]
    assert lines[6].startswith("运用集中面授")


def test_textprep_caption_after_case_heading_kept_apart():
    lines = _prep(EXCERPT_001_CASE).split("\n")
    assert "扫一扫，了解智慧港口更多内容" in lines
    assert lines[-1].startswith("2020年6月18日")


def test_textprep_long_line_continues_sentence():
    text = _prep(EXCERPT_001_SENTENCE)
    assert "\n" not in text
    assert "三位一体推进机制，建成益农社9,164个" in text
    assert "助力农产品电商交易超过1亿元。" in text


def test_textprep_sentence_broken_around_figures_joined():
    assert _prep(EXCERPT_001_FIGURES) == (
        "全产业链帮扶，培育出“宝山大哥”等知名品牌，电商产业园销售额从2018年80万元增长到2020年5,400多万元，"
        "惠及1,300名贫困人口。"
    )


def test_textprep_vertical_text_joined():
    lines = _prep(EXCERPT_001_VERTICAL).split("\n")
    assert lines[0] == "党建引领新发"
    assert lines[1].startswith("2020年，面对") and "中国特色社会主义思想" in lines[1]


@pytest.mark.parametrize(
    ("prev", "nxt"),
    [
        ("改革创新取得突破，可持续发展能", "力不断增强"),  # the break splits 能力
        ("M2.3 保护客户信息安全与隐私的制度与", "措施"),  # a conjunction left hanging
        ("全年共实施电子采购项目数", "（万个）"),  # a label and its unit
        ("识别，形成对人工监测的有益补充，识别率达", "96%。"),
        ("工程累计投入超过", "120 亿元"),
        ("院扶贫办《中国企业精", "准扶贫 50佳案例》"),  # an open title mark
    ],
)
def test_textprep_short_continuations_joined(prev, nxt):
    assert should_join(prev, nxt)


@pytest.mark.parametrize(
    ("prev", "nxt"),
    [
        ("公司简介", "荣誉奖项"),
        ("中国联通积极购买和帮销脱贫地区特色农产品，营造浓厚帮扶氛围", "促进区域协调发展"),
        ("中国移动 2024 校园招聘双选会现场", "拓展招聘渠道"),
        ("耗电总量（亿度）223.3 244.7 264.0", "外购热力费用（百万元）160.9 123.4 157.9"),
        ("2020 年绩效", "年内未发生重大客户信息泄露事件。共拦截国际诈骗电"),
    ],
)
def test_textprep_headings_captions_and_rows_not_joined(prev, nxt):
    assert not should_join(prev, nxt)


@pytest.mark.parametrize(
    ("prev", "nxt", "expected"),
    [
        (
            "2020 年，新冠肺炎疫情对经济社会带来深刻影响，对实",
            "现可持续发展目标（SDGs）也带来巨大挑战。在中国，疫情",
            True,
        ),
        ("公司积极顺应经济社会", "数字化转型进一步加速的趋势", True),
        ("增进民生福祉，", "消除数字鸿沟", True),
        ("了央企良好形象。", "深入开展", False),
        (
            "深入开展“党建和创”主题实践活动",
            "中国移动高举习近平新时代中国特色社会主义思想旗帜，立足党和国家",
            False,
        ),
        ("推动节能", "- 关心关爱", False),
        ("定点扶贫：", "（一）产业振兴", False),
        ("派驻帮扶人员", "1,572 人", False),
    ],
)
def test_textprep_should_join(prev, nxt, expected):
    # The line after the pair, where it matters: prose of the same column width.
    after = "变化，全力建设信息“高速”，" if prev == "公司积极顺应经济社会" else None
    assert should_join(prev, nxt, after) is expected


@pytest.mark.parametrize(
    "line", ["- 推动", "• 推动", "● 推动", "■ 推动", "1. 推动", "（一）推动", "一、推动", "🌐 推动", "※ 普及"]
)
def test_textprep_is_bullet(line):
    assert is_bullet(line)


@pytest.mark.parametrize("line", ["2020 年", "1.4 万余个", "5G 发展", "中国移动"])
def test_textprep_is_not_bullet(line):
    assert not is_bullet(line)


def test_textprep_is_heading():
    assert is_heading("深入开展“党建和创”主题实践活动")
    assert not is_heading("了央企良好形象。")
    assert not is_heading("925 950 942")


# ------------------------------------------------------------ sentences


def test_textprep_sentences_keep_closing_quote():
    text = "他说：“辛苦是肯定的。”团队没有退缩！对吗？好\n标题\n正文；继续"
    spans = split_sentences(text)
    parts = [text[s:e] for s, e in spans]
    assert parts == ["他说：“辛苦是肯定的。”", "团队没有退缩！", "对吗？", "好\n", "标题\n", "正文；", "继续"]


def test_textprep_sentences_cover_text():
    text = _prep(EXCERPT_HEADING)
    spans = split_sentences(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(e1 == s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))


# ------------------------------------------------------------ segments


def test_textprep_segments_respect_max_chars():
    text = ("中国移动持续推进5G建设，服务千行百业。" * 30 + "\n\n") * 10
    segs = prepare(_doc(text), max_chars=500)
    assert len(segs) > 1
    for seg in segs:
        assert len(seg.text) <= 500
        _assert_sentences_cover(seg)
        _assert_offsets_valid(seg, text)
        # No sentence is cut: every segment ends at a sentence end.
        assert seg.text.endswith("。")


def test_textprep_overlong_sentence_hard_split():
    text = "长" * 2500
    segs = prepare(_doc(text), max_chars=1000)
    assert [len(s.text) for s in segs] == [1000, 1000, 500]
    assert segs[1].offsets[0] == 1000


def test_textprep_report_segments_carry_heading_and_year():
    text = "推进实现共同富裕\n\n中国移动积极发挥自身优势，着力弥合数字鸿沟。\n\n着力弥合数字鸿沟\n\n" + (
        "中国移动持续提高网络接入可及性。" * 20
    )
    segs = prepare(_doc(text, year=2023), max_chars=200)
    assert segs[0].title == "推进实现共同富裕"
    assert segs[-1].title == "着力弥合数字鸿沟"
    assert all(s.year == 2023 for s in segs)


def test_textprep_empty_and_blank_documents_give_no_segments():
    assert prepare(_doc("")) == []
    assert prepare(_doc(" \n\n\t ")) == []
    assert prepare(_doc("###")) == []


# ------------------------------------------------------------ the bundled corpus


@pytest.fixture(scope="module")
def corpus_segments():
    return [(doc, prepare(doc)) for doc in bundled_corpus()]


def test_textprep_corpus_offsets_map_back_to_source(corpus_segments):
    for doc, segs in corpus_segments:
        assert segs, doc.id
        for seg in segs:
            _assert_offsets_valid(seg, doc.text)
            _assert_sentences_cover(seg)
            assert len(seg.text) <= 4000
            bad = [
                i
                for i, ch in enumerate(seg.text)
                if not _source_char_matches(
                    doc.text[seg.offsets[i]], ch, doc.text[max(0, seg.offsets[i] - 3) : seg.offsets[i] + 4]
                )
            ]
            assert not bad, (doc.id, [(seg.text[i], doc.text[seg.offsets[i]]) for i in bad[:5]])


def test_textprep_corpus_is_simplified_without_marks(corpus_segments):
    for _, segs in corpus_segments:
        for seg in segs:
            assert "###" not in seg.text and "**" not in seg.text
            assert "中國" not in seg.text and "聯通" not in seg.text


def test_textprep_corpus_source_span_round_trip(corpus_segments):
    doc, segs = corpus_segments[0]  # 000: Traditional
    seg = segs[0]
    i = seg.text.index("中国移动")
    s, e = seg.source_span(i, i + 4)
    assert doc.text[s:e] == "中國移動"


def test_textprep_news_segments_have_titles_and_years(corpus_segments):
    doc, segs = corpus_segments[2]
    assert doc.kind == "news"
    titled = [s for s in segs if s.title]
    assert len(titled) >= len(segs) // 2
    dated = [s for s in segs if s.date]
    assert dated and all(s.year == int(s.date[:4]) for s in dated)
    assert any("南方暴雨来袭" in (s.title or "") for s in segs)


def test_textprep_report_years_from_document(corpus_segments):
    for doc, segs in corpus_segments:
        if doc.kind == "report":
            assert {s.year for s in segs} == {doc.year}


# ------------------------------------------------------------ properties

_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("中國聯通推動鄉村全面振興，。！？；：“”「」（）\n\n\n 　\t#*-•１２ＡＢ㎡ﬁ①…")),
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=300), max_chars=st.integers(min_value=1, max_value=120))
def test_textprep_property_offsets_inside_and_monotonic(text, max_chars):
    for kind in (None, "news"):
        segs = prepare(_doc(text, kind=kind), max_chars=max_chars)
        last = -1
        for seg in segs:
            assert seg.text
            assert len(seg.text) <= max_chars
            _assert_offsets_valid(seg, text)
            _assert_sentences_cover(seg)
            assert seg.offsets[0] >= last
            last = seg.offsets[0]


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("中國聯通推動鄉村全面振興積極投身公益事業雲計算發展，。\n 5G")),
        max_size=200,
    )
)
def test_textprep_property_chars_come_from_source(text):
    for seg in prepare(_doc(text)):
        for i, ch in enumerate(seg.text):
            assert _source_char_matches(text[seg.offsets[i]], ch)


def test_textprep_segment_after_paragraph_break_respects_max_chars():
    # Found by hypothesis: the sentences kept after a paragraph break plus the
    # next one overflowed max_chars.
    segs = prepare(_doc("00000\r000?00"), max_chars=5)
    assert [s.text for s in segs] == ["00000", "000?", "00"]
