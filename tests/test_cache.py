"""Incremental builds: the extraction cache is reused only for the same document and pipeline."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from testkit import write_jsonl

import kg.cache
import kg.pipeline
import kg.schedule
from kg.build import build
from kg.cache import ExtractionCache, document_key, fingerprint_of, pipeline_fingerprint
from kg.documents import bundled_corpus
from kg.extract import DocumentExtraction
from kg.model import Document


def small_docs() -> list[Document]:
    """Short slices of the bundled reports (fast to extract)."""
    docs = {d.id[:3]: d for d in bundled_corpus()}
    return [
        dataclasses.replace(docs["001"], text=docs["001"].text[:1500]),
        dataclasses.replace(docs["003"], text=docs["003"].text[:1200]),
    ]


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """Ids of the documents actually extracted (in this process)."""
    calls: list[str] = []
    real = kg.schedule.extract_document

    def counting(nlp, doc):
        calls.append(doc.id)
        return real(nlp, doc)

    monkeypatch.setattr(kg.schedule, "extract_document", counting)
    return calls


def test_cache_hit_skips_extraction_and_gives_identical_graph(tmp_path: Path, counted: list[str]) -> None:
    inputs = write_jsonl(small_docs(), tmp_path / "in.jsonl")
    cache = tmp_path / "cache"
    build([inputs], tmp_path / "a", html=False, cache_dir=cache)
    assert len(counted) == 2
    build([inputs], tmp_path / "b", html=False, cache_dir=cache)
    assert len(counted) == 2  # nothing extracted the second time
    assert (tmp_path / "b" / "graph.ttl").read_bytes() == (tmp_path / "a" / "graph.ttl").read_bytes()
    build([inputs], tmp_path / "c", html=False)
    assert (tmp_path / "c" / "graph.ttl").read_bytes() == (tmp_path / "a" / "graph.ttl").read_bytes()


def test_cache_adding_one_document_extracts_only_that_one(tmp_path: Path, counted: list[str]) -> None:
    first, second = small_docs()
    cache = tmp_path / "cache"
    build([write_jsonl([first], tmp_path / "one.jsonl")], tmp_path / "a", html=False, cache_dir=cache)
    counted.clear()
    build([write_jsonl([first, second], tmp_path / "two.jsonl")], tmp_path / "b", html=False, cache_dir=cache)
    assert counted == [second.id]


def test_cache_invalidates_on_pipeline_fingerprint_change(tmp_path: Path, monkeypatch) -> None:
    doc = Document("d1", "中国移动在福建开展乡村振兴。", publisher="中国移动")
    result = DocumentExtraction(document=doc, segments=1)
    ExtractionCache(tmp_path, fingerprint="a").put(doc, result)
    assert ExtractionCache(tmp_path, fingerprint="a").get(doc) == result
    assert ExtractionCache(tmp_path, fingerprint="b").get(doc) is None

    before = pipeline_fingerprint()
    pipeline_fingerprint.cache_clear()
    monkeypatch.setattr(kg.pipeline, "PIPELINE_VERSION", "bumped")
    try:
        assert pipeline_fingerprint() != before
        assert ExtractionCache(tmp_path).fingerprint != before
    finally:
        pipeline_fingerprint.cache_clear()


def test_cache_fingerprint_covers_extractor_code_and_data(tmp_path: Path) -> None:
    fake = tmp_path / "extractors"
    (fake / "data").mkdir(parents=True)
    (fake / "data" / "lexicon.json").write_text("{}", encoding="utf-8")
    (fake / "places.py").write_text("# v1\n", encoding="utf-8")
    kg_root = Path(kg.cache.__file__).parent

    a = fingerprint_of("1", fake, kg_root)
    assert fingerprint_of("1", fake, kg_root) == a
    (fake / "data" / "lexicon.json").write_text('{"new": 1}', encoding="utf-8")
    b = fingerprint_of("1", fake, kg_root)
    (fake / "places.py").write_text("# v2\n", encoding="utf-8")
    c = fingerprint_of("1", fake, kg_root)
    assert len({a, b, c, fingerprint_of("2", fake, kg_root)}) == 4


@pytest.mark.parametrize(
    "change",
    [
        {"text": "中国移动在福建开展乡村振兴！"},
        {"id": "d2"},
        {"publisher": "中国联通"},
        {"year": 2021},
        {"title": "标题"},
        {"source": "other.txt"},
        {"kind": "news"},
    ],
)
def test_cache_key_covers_text_and_metadata(change: dict) -> None:
    doc = Document("d1", "中国移动在福建开展乡村振兴。", publisher="中国移动", year=2020)
    assert document_key(dataclasses.replace(doc, **change), "fp") != document_key(doc, "fp")
    assert document_key(doc, "fp") == document_key(dataclasses.replace(doc), "fp")


def test_cache_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    doc = Document("d1", "文本。")
    cache = ExtractionCache(tmp_path, fingerprint="x")
    cache.put(doc, DocumentExtraction(document=doc))
    cache.path(doc).write_bytes(b"not a pickle")
    assert cache.get(doc) is None
    assert cache.stats.misses == 1
    cache.put(doc, DocumentExtraction(document=doc))
    assert cache.get(doc) == DocumentExtraction(document=doc)
    assert not list(tmp_path.rglob("*.tmp"))
