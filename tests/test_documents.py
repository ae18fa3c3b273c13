"""Tests for kg.documents: readers, encodings, errors, the bundled corpus."""

from __future__ import annotations

import codecs
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.documents import ReadReport, bundled_corpus, decode_bytes, read_inputs
from kg.errors import EmptyInputError, InputError

CORPUS = Path(__file__).resolve().parents[1] / "kg" / "data" / "corpus"


def _corpus_text(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# Real excerpts: Simplified from 001, Traditional from 003.
HANS = _corpus_text("001")[200:1400]
HANT = _corpus_text("003")[:1500]


def _big5_safe(text: str) -> str:
    """Drop characters Big5 cannot encode (OpenCC variants like 爲)."""
    return "".join(ch for ch in text if _encodable(ch, "big5"))


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


ENCODINGS = [
    ("utf-8", HANS, lambda t: t.encode("utf-8")),
    ("utf-8-bom", HANS, lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    ("utf-16-le-bom", HANS, lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ("utf-16-be-bom", HANT, lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("gbk", HANS, lambda t: t.encode("gbk")),
    ("gb18030", HANS, lambda t: t.encode("gb18030")),
    ("gb18030-hant", _big5_safe(HANT), lambda t: t.encode("gb18030")),
    ("big5", _big5_safe(HANT), lambda t: t.encode("big5")),
]


@pytest.mark.parametrize(("name", "text", "encode"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_documents_decodes_encoding(tmp_path, name, text, encode):
    path = tmp_path / f"report_{name}.txt"
    path.write_bytes(encode(text))
    (doc,) = read_inputs([path])
    assert doc.text == text
    assert doc.id == f"report_{name}"
    assert doc.source == path.name


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("中国移动", "gbk"),
        ("中國移動", "big5"),
        ("中国联通助力乡村振兴。", "gb18030"),
        ("中國聯通推動鄉村全面振興。", "big5"),
        ("截至2020年底，累计开通5G基站39万个", "gbk"),
    ],
)
def test_documents_decodes_short_chinese(text, encoding):
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_documents_decodes_bomless_utf16():
    data = HANS.encode("utf-16-le")
    assert decode_bytes(data, "x.txt") == HANS


def test_documents_txt_metadata_read_from_text(tmp_path):
    path = tmp_path / "mobile.txt"
    path.write_text(_corpus_text("001"), encoding="utf-8")
    (doc,) = read_inputs([path])
    assert doc.publisher == "中国移动"
    assert doc.year == 2020
    assert doc.script == "Hans"


def test_documents_reads_md(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# 标题\n\n中国联通在重庆举办推进会。", encoding="utf-8")
    (doc,) = read_inputs([path])
    assert doc.id == "note"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 64,
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"PK\x03\x04" + bytes(range(40)) * 10,
    ],
    ids=["nul-noise", "all-bytes", "png", "zip"],
)
def test_documents_binary_file_raises(tmp_path, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="looks binary") as exc:
        list(read_inputs([path]))
    assert "blob.txt" in str(exc.value)


def test_documents_empty_file_raises_empty_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError):
        list(read_inputs([path]))


def test_documents_empty_file_skipped_beside_others(tmp_path):
    (tmp_path / "a.txt").write_text("中国移动开通5G基站。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("  \n\n", encoding="utf-8")
    warnings: list[str] = []
    report = ReadReport()
    docs = list(read_inputs([tmp_path], warn=warnings.append, report=report))
    assert [d.id for d in docs] == ["a"]
    assert report.empty and "b.txt" in warnings[0]


def test_documents_missing_path_raises(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_inputs([tmp_path / "nope.txt"]))


def test_documents_unsupported_extension_raises(tmp_path):
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="unsupported file type"):
        list(read_inputs([path]))


def test_documents_folder_recursive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("中国联通。", encoding="utf-8")
    (tmp_path / "a.txt").write_text("中国移动。", encoding="utf-8")
    (tmp_path / "c.md").write_text("中国电信。", encoding="utf-8")
    (tmp_path / "ignored.csv").write_text("x,y", encoding="utf-8")
    docs = list(read_inputs([tmp_path]))
    assert [d.id for d in docs] == ["a", "z", "c"]


def test_documents_folder_bad_file_skipped_and_counted(tmp_path):
    (tmp_path / "a.txt").write_text("中国移动开通5G基站。", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "c.txt").write_text("中国联通助力乡村振兴。", encoding="utf-8")
    warnings: list[str] = []
    report = ReadReport()
    docs = list(read_inputs([tmp_path], warn=warnings.append, report=report))
    assert [d.id for d in docs] == ["a", "c"]
    assert report.skipped_count == 1
    assert len(warnings) == 1 and "bad.txt" in warnings[0] and "\n" not in warnings[0]


def test_documents_folder_bad_file_strict_raises(tmp_path):
    (tmp_path / "a.txt").write_text("中国移动开通5G基站。", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="bad.txt"):
        list(read_inputs([tmp_path], strict=True))


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_documents_jsonl_reads_records(tmp_path):
    path = _write_jsonl(
        tmp_path / "docs.jsonl",
        [
            json.dumps(
                {"id": "n1", "text": "中国联通发布时间：2024-06-19", "publisher": "中国联通", "year": 2024}
            ),
            "",
            json.dumps({"id": "n2", "text": "中國移動2019年報告。", "title": "標題", "source": "web"}),
        ],
    )
    docs = list(read_inputs([path]))
    assert [d.id for d in docs] == ["n1", "n2"]
    assert docs[0].publisher == "中国联通" and docs[0].year == 2024
    assert docs[0].source == "docs.jsonl:1"
    assert docs[1].publisher == "中国移动" and docs[1].year == 2019
    assert docs[1].title == "標題" and docs[1].source == "web" and docs[1].script == "Hant"


def test_documents_jsonl_bad_line_names_line(tmp_path):
    path = _write_jsonl(
        tmp_path / "docs.jsonl",
        [json.dumps({"id": "a", "text": "一"}), "", '{"id": "b", "text": '],
    )
    with pytest.raises(InputError, match=r"docs\.jsonl:3: not valid JSON") as exc:
        list(read_inputs([path]))
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "a"}, "field 'text' is missing"),
        ({"id": "a", "text": 5}, "field 'text' is a int"),
        ({"id": "a", "text": None}, "field 'text' is missing"),
        ({"id": "a", "text": "x", "year": "soon"}, "field 'year'"),
    ],
)
def test_documents_jsonl_bad_field_names_line(tmp_path, record, message):
    path = _write_jsonl(tmp_path / "docs.jsonl", [json.dumps({"id": "ok", "text": "一"}), json.dumps(record)])
    with pytest.raises(InputError, match=r"docs\.jsonl:2: ") as exc:
        list(read_inputs([path]))
    assert message in str(exc.value)


def test_documents_jsonl_not_object(tmp_path):
    path = _write_jsonl(tmp_path / "docs.jsonl", ["[1, 2]"])
    with pytest.raises(InputError, match=r"docs\.jsonl:1: expected a JSON object"):
        list(read_inputs([path]))


def test_documents_bundled_corpus_metadata():
    docs = bundled_corpus()
    meta = [(d.id[:3], d.publisher, d.year, d.script, d.kind) for d in docs]
    assert meta == [
        ("000", "中国移动", 2019, "Hant", "report"),
        ("001", "中国移动", 2020, "Hans", "report"),
        ("002", "中国联通", None, "Hans", "news"),
        ("003", "中国联通", 2024, "Hant", "report"),
        ("004", "中国移动", 2023, "Hans", "report"),
    ]
    assert all(d.title and d.text for d in docs)


def test_documents_bundled_corpus_matches_files():
    for doc in bundled_corpus():
        assert doc.text == (CORPUS / doc.source).read_text(encoding="utf-8")


def test_documents_large_single_line_memory(tmp_path):
    line = ("中国移动在福建开通5G基站，服务2,755万村户；" * 8 + "ICT green action plan ") * 40000
    data = line.encode("utf-8")
    assert len(data) > 10_000_000
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    del data
    tracemalloc.start()
    try:
        (doc,) = read_inputs([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert doc.text == line
    # A few copies of the file (bytes, decoder buffer, the string) are fine;
    # a Python object per character would need over 200 MB.
    assert peak < 120_000_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_documents_fuzz_random_bytes_only_input_error(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    try:
        docs = list(read_inputs([path]))
    except InputError:
        return
    assert len(docs) == 1 and isinstance(docs[0].text, str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_documents_fuzz_random_jsonl_only_input_error(tmp_path, data):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    try:
        list(read_inputs([path]))
    except InputError:
        return
