"""Tests for kg.readers: PDF reading order and page map, saved web pages, Word files.

The PDFs are printed by headless Chromium from pages laid out like reports
(``tests/fixtures/make_documents.py``): text of the bundled corpus in two and
three columns under a full-width title, running headers, page-number
footers, a caption and a side box inside the flow, a vertical side label and
a KPI table; the Traditional one ends with two scanned pages and one page of
unreadable text. Each is compared with the corpus paragraphs it was printed
from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures import make_documents

from kg.documents import read_document, read_text_file
from kg.errors import InputError
from kg.readers import PARAGRAPH, extract, page_of, page_ranges
from kg.readers import pdf as pdf_reader
from kg.readers.html import decode_html
from kg.textprep import normalize

REPORTS = ["report_hans", "report_hant"]


def _flat(text: str) -> str:
    """Text as the extractors compare it: folded, Simplified, without white space."""
    return re.sub(r"\s+", "", normalize(text).text)


def _sentences(text: str) -> list[str]:
    return re.findall(r"[^。！？；\n]+[。！？；]", text)


def _warnings() -> tuple[list[str], object]:
    lines: list[str] = []
    return lines, lines.append


# ------------------------------------------------------------------ layout on synthetic pages


def _seg(text: str, x0: float, y0: float, size: float = 10.0, colour: int = 0) -> pdf_reader._Seg:
    width = sum(size / 2 if ch.isascii() else size for ch in text)
    return pdf_reader._Seg(list(text), x0, y0, x0 + width, y0 + size, size, (size, colour))


def _column(lines: list[str], x0: float, y0: float, pitch: float = 17.0) -> list[pdf_reader._Seg]:
    return [_seg(line, x0, y0 + i * pitch) for i, line in enumerate(lines)]


def _page(number: int, segs: list[pdf_reader._Seg]) -> pdf_reader._Page:
    return pdf_reader._Page(number, 842.0, segs)


LEFT = [
    "中国移动持续推进数字乡村建设，在",
    "青海、西藏等地开展爱心行动，累计",
    "为六千余名儿童提供免费筛查服务，",
]
RIGHT = [
    "并联合中国红十字基金会开展救治。",
    "公司还在新疆建设了五十个基站，让",
    "牧民在草原上也能使用网络服务。",
]


def test_pdf_layout_reads_columns_under_a_title_and_joins_the_sentence_across_them():
    title = _seg("包容成长", 40, 60, size=20)
    segs = [title, *_column(LEFT, 40, 100), *_column(RIGHT, 230, 100)]
    got = pdf_reader.assemble([_page(1, segs)], "t.pdf", lambda msg: None)
    body = "".join(LEFT + RIGHT)
    assert got.text == "包容成长" + PARAGRAPH + body
    assert got.pages == (0,)


def test_pdf_layout_keeps_table_rows_with_their_year_columns():
    rows = [["指标名称", "2021", "2022", "2023"], ["营业收入（亿元）", "7,415", "7,498", "7,716"]]
    segs = [_seg("关键绩效指标如下表所示。", 40, 60)]
    for r, row in enumerate(rows):
        segs += [_seg(cell, x, 100 + 20 * r) for cell, x in zip(row, (40, 250, 330, 410), strict=True)]
    got = pdf_reader.assemble([_page(1, segs)], "t.pdf", lambda msg: None)
    assert got.text.endswith("指标名称 2021 2022 2023\n营业收入（亿元） 7,415 7,498 7,716")


def test_pdf_running_headers_footers_and_page_numbers_are_dropped_and_sentences_go_on_across_pages():
    pages = []
    halves = [LEFT, RIGHT]
    for n in (1, 2):
        segs = [
            _seg("中国移动2023年可持续发展报告", 40, 30, size=8),
            *_column(halves[n - 1], 40, 120),
            _seg(f"- {n} -", 280, 800, size=8),
        ]
        pages.append(_page(n, segs))
    got = pdf_reader.assemble(pages, "t.pdf", lambda msg: None)
    assert got.text == "".join(LEFT + RIGHT)
    assert got.pages == (0, len("".join(LEFT)))
    assert got.page_texts() == ["".join(LEFT), "".join(RIGHT)]


def test_pdf_no_sentence_goes_on_across_a_page_left_out():
    pages = [_page(1, _column(LEFT, 40, 120)), _page(2, []), _page(3, []), _page(4, _column(RIGHT, 40, 120))]
    pages[1].status, pages[2].status = "scanned", "damaged"
    lines, warn = _warnings()
    got = pdf_reader.assemble(pages, "t.pdf", warn)
    assert got.text == "".join(LEFT) + PARAGRAPH + "".join(RIGHT)
    assert got.pages == (
        0,
        len("".join(LEFT)) + len(PARAGRAPH),
        len("".join(LEFT)) + len(PARAGRAPH),
        len("".join(LEFT)) + len(PARAGRAPH),
    )
    assert lines == [
        "t.pdf: page 2 has no text layer (scanned?); skipped",
        "t.pdf: page 3 could not be read (damaged); skipped",
    ]


def test_pdf_caption_inside_a_sentence_moves_after_it():
    caption = _seg("图：牧区基站", 40, 151, size=8, colour=0x666666)
    segs = [*_column(LEFT, 40, 100), caption, *_column(RIGHT, 40, 170)]
    got = pdf_reader.assemble([_page(1, segs)], "t.pdf", lambda msg: None)
    assert got.text.startswith("".join(LEFT) + "".join(RIGHT[:1]))
    assert got.text.endswith("图：牧区基站")


def test_pdf_a_wrapped_line_in_another_colour_stays_in_its_paragraph():
    segs = _column(LEFT, 40, 100)
    segs[1].style = (10.0, 0x2A5D84)  # a highlighted figure filling the second line
    got = pdf_reader.assemble([_page(1, segs)], "t.pdf", lambda msg: None)
    assert got.text == "".join(LEFT)


def test_page_of_and_page_ranges():
    pages = (0, 10, 10, 25)  # page 2 has no text
    assert [page_of(pages, i) for i in (0, 9, 10, 24, 25, 99)] == [1, 1, 3, 3, 4, 4]
    assert page_of(None, 5) is None
    assert page_ranges([7, 3, 4, 5, 9, 10]) == "3–5, 7, 9–10"


# ------------------------------------------------------------------ printed reports


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_no_sentence_is_split_by_a_page_break_a_column_or_an_inset(printed, name):
    got = extract(printed[name], lambda msg: None)
    source = (printed["folder"] / f"{name}.source.txt").read_text(encoding="utf-8")
    text = _flat(got.text)
    sentences = _sentences(source)
    assert len(sentences) > 80
    broken = [s for s in sentences if _flat(s) not in text]
    assert broken == []
    # the sentences really ran over pages and columns: many pages, and prose on every one
    assert len(got.pages) >= 6
    assert all(len(t) > 500 for t in got.page_texts()[:6])


@pytest.fixture(scope="module")
def nlp():
    from kg.pipeline import default_nlp

    return default_nlp()


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_entities_are_at_least_95_percent_of_those_of_the_text_itself(printed, nlp, name):
    from kg.extract import extract_document

    from_pdf = extract_document(nlp, read_document(printed[name]))
    from_text = extract_document(nlp, read_text_file(printed["folder"] / f"{name}.source.txt"))
    pdf_keys = {r.key for r in from_pdf.entities if not r.implicit}
    text_keys = {r.key for r in from_text.entities if not r.implicit}
    assert len(text_keys) >= 40
    share = len(text_keys & pdf_keys) / len(text_keys)
    assert share >= 0.95, sorted(text_keys - pdf_keys)


def test_pdf_running_headers_page_numbers_and_layout(printed):
    report = make_documents.hans_report()
    got = extract(printed["report_hans"], lambda msg: None)
    lines = got.text.splitlines()
    assert report.header not in got.text
    assert not [line for line in lines if re.fullmatch(r"[-\s\d]+", line)], "a page number was kept"
    assert got.title == report.title
    assert lines[0] == report.title
    # the side box sits after the sentence it interrupted, whole
    box_para = next(p for p in report.paragraphs if _flat(report.box) not in _flat(p) and len(p) > 180)
    assert _flat(report.box) in _flat(got.text)
    # the KPI table keeps its rows and year columns
    header, *rows = [" ".join(r) for r in report.table]
    assert header == "指标名称 2018 2019 2020"
    assert header in lines
    assert all(row in lines for row in rows)
    assert _flat(box_para)[:20] in _flat(got.text)


def test_pdf_vertical_text_is_read_top_to_bottom(printed):
    got = extract(printed["report_hant"], lambda msg: None)
    first_page = got.page_texts()[0].splitlines()
    assert make_documents.hant_report().side_label in first_page


def test_pdf_page_map_matches_the_pages_of_the_file(printed):
    import pypdfium2 as pdfium

    got = extract(printed["report_hans"], lambda msg: None)
    pdf = pdfium.PdfDocument(printed["report_hans"])
    try:
        raw = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(got.pages) == len(raw)
    for number, text in enumerate(got.page_texts(), start=1):
        probes = [p for p in re.findall(r"[^\s，。、；：“”]{8,}", text)]
        assert probes, number
        assert all(re.sub(r"\s+", "", p) in raw[number - 1] for p in probes), number


def test_pdf_kpi_table_figures_get_their_years(printed, nlp):
    from kg.extract import extract_document

    found = extract_document(nlp, read_document(printed["report_hans"]))
    table = {(m.value, m.year) for m in found.measurements if m.unit == "元" and "营业收入" in m.indicator}
    assert {("741500000000", 2018), ("749800000000", 2019), ("771600000000", 2020)} <= table


def test_pdf_scanned_and_unreadable_pages_give_one_warning_each_and_the_rest_is_kept(printed):
    lines, warn = _warnings()
    got = extract(printed["report_hant"], warn)
    name = str(printed["report_hant"])
    assert lines == [
        f"{name}: pages 7–8 have no text layer (scanned?); skipped",
        f"{name}: page 9 has unreadable text (U+FFFD, private-use or unmapped characters); skipped",
    ]
    texts = got.page_texts()
    assert len(texts) == 9
    assert all(texts[:6]) and not any(texts[6:])
    assert got.skipped_pages == (7, 8, 9)
    assert "\ue000" not in got.text and "Green operations" not in got.text


def test_pdf_only_scans_is_one_error(printed, tmp_path):
    scans = make_documents.scanned_pdf(tmp_path / "scans.pdf", printed["report_hans"])
    with pytest.raises(InputError, match=r"scans\.pdf: no page has a text layer \(scanned\?\)"):
        extract(scans)


def test_pdf_encrypted_is_one_error(encrypted_pdf):
    with pytest.raises(InputError) as err:
        extract(encrypted_pdf)
    message = str(err.value)
    assert "\n" not in message
    assert "encrypted PDF that needs a password" in message and encrypted_pdf.name in message


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF-1.4\n%\xe2\xe3\n", b"<html>not a pdf</html>", b"%PDF-1.7\n" + bytes(range(256)) * 20],
)
def test_pdf_damaged_is_one_error(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"broken\.pdf: not a readable PDF"):
        extract(path)


def test_pdf_reading_is_deterministic(printed):
    first = extract(printed["report_hant"], lambda msg: None)
    assert extract(printed["report_hant"], lambda msg: None) == first


# ------------------------------------------------------------------ web pages


@pytest.fixture(scope="module")
def news_page(tmp_path_factory) -> tuple[Path, str, str, list[str]]:
    title, date, paragraphs = make_documents.news_article()
    path = tmp_path_factory.mktemp("news") / "news.html"
    path.write_bytes(make_documents.news_html(title, date, paragraphs, encoding="gbk"))
    return path, title, date, paragraphs


def test_html_news_page_main_text_title_and_date(news_page):
    path, title, date, paragraphs = news_page
    doc = read_document(path)
    assert doc.kind == "news"
    assert doc.title == title  # without the site name the <title> adds
    assert doc.date == date and doc.year == int(date[:4])
    assert doc.publisher == "中国联通"
    assert doc.pages is None
    for para in paragraphs:
        assert para in doc.text
    for boilerplate in [
        *make_documents.NAV[1:],
        *make_documents.RELATED,
        make_documents.FOOTER,
        "分享到",
        "搜索",
    ]:
        assert boilerplate not in doc.text
    assert doc.text.index(paragraphs[0]) < doc.text.index(paragraphs[-1])


def test_html_page_that_is_not_an_article_falls_back_to_its_text(tmp_path):
    path = tmp_path / "list.html"
    path.write_text("<html><body><div>中国移动青海公司开展生态之窗项目</div></body></html>", encoding="utf-8")
    assert "中国移动青海公司开展生态之窗项目" in extract(path).text


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("gb2312", "gbk"), ("GBK", "gbk"), (None, "gbk"), ("big5", "big5"), ("utf-8", "utf-8"), (None, "utf-8")],
)
def test_html_bytes_decoded_by_declaration_or_detection(declared, encoding):
    # 堃 and 镕 are GBK but not GB2312: pages that declare GB2312 use them all the same
    hans = "中国移动与清华大学合作开展“堃镕计划”，在青海省开展数字乡村建设。"
    text = hans if encoding != "big5" else "中國移動在青海開展數字鄉村建設。"
    meta = f'<meta charset="{declared}">' if declared else ""
    page = f"<html><head>{meta}<title>{text[:4]}</title></head><body><p>{text}</p></body></html>"
    assert text in decode_html(page.encode(encoding))


# ------------------------------------------------------------------ Word


def test_docx_paragraphs_headings_and_table_in_order(tmp_path):
    report = make_documents.hans_report()
    sections = [("推进实现共同富裕", report.paragraphs[3:6]), ("着力弥合数字鸿沟", report.paragraphs[8:10])]
    path = make_documents.make_docx(tmp_path / "draft.docx", report.title, sections, report.table)
    doc = read_document(path)
    assert doc.title == report.title and doc.pages is None
    blocks = doc.text.split(PARAGRAPH)
    assert blocks[0] == f"## {report.title}"
    assert blocks[1] == "## 推进实现共同富裕"
    assert blocks[2 : 2 + 3] == report.paragraphs[3:6]
    assert blocks[5].splitlines() == [" ".join(row) for row in report.table]
    assert blocks[6] == "## 着力弥合数字鸿沟"
    assert blocks[7:] == report.paragraphs[8:10]


def test_docx_headings_stay_headings_and_table_years_reach_the_figures(tmp_path, nlp):
    from kg.extract import extract_document
    from kg.textprep import is_heading, prepare

    report = make_documents.hans_report()
    sections = [("推进实现共同富裕", ["公司持续推进乡村振兴。"])]
    path = make_documents.make_docx(tmp_path / "d.docx", report.title, sections, report.table)
    doc = read_document(path)
    lines = [line for seg in prepare(doc) for line in seg.text.splitlines()]
    assert lines[:3] == [report.title, "推进实现共同富裕", "公司持续推进乡村振兴。"]
    assert is_heading(lines[1])
    found = extract_document(nlp, doc)
    assert ("771600000000", 2020) in {(m.value, m.year) for m in found.measurements}


def test_docx_damaged_is_one_error(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # an old binary .doc renamed
    with pytest.raises(InputError, match=r"old\.docx: not a readable Word \.docx file"):
        extract(path)
