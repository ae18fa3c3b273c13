"""Parallel extraction: worker processes and split documents give the graph of one pass."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from testkit import write_jsonl

import kg.schedule
from kg.build import build
from kg.documents import bundled_corpus
from kg.extract import (
    DocumentExtraction,
    EntityRecord,
    Evidence,
    SegmentExtraction,
    extract_document,
    extract_segments,
    merge_segments,
)
from kg.model import Document
from kg.pipeline import default_nlp
from kg.schedule import extract_ordered
from kg.textprep import prepare


def small_corpus() -> list[Document]:
    """Slices of the bundled corpus: two reports and a piece of the news collection."""
    docs = {d.id[:3]: d for d in bundled_corpus()}
    return [
        dataclasses.replace(docs["001"], text=docs["001"].text[:2500]),
        dataclasses.replace(docs["002"], text=docs["002"].text[:7000]),
        dataclasses.replace(docs["003"], text=docs["003"].text[:1500]),
    ]


def _ev(doc_id: str = "d", start: int = 0) -> Evidence:
    return Evidence(doc_id, start, start + 1, 0, 1, "x", "x")


def _rec(name: str, start: int = 0) -> EntityRecord:
    return EntityRecord("ORG", name, name, name, (), {}, False, _ev(start=start))


def test_parallel_merge_segments_keeps_entities_only_new_across_segments() -> None:
    doc = Document("d", "text")
    parts = [
        SegmentExtraction(entities=[(_rec("甲", 0), False), (_rec("乙", 1), True)]),
        # 乙 was seen in the first segment: the head of a relation adds nothing
        SegmentExtraction(entities=[(_rec("乙", 2), True), (_rec("丙", 3), True), (_rec("甲", 4), False)]),
    ]
    out = merge_segments(doc, parts, segments=2)
    got = [(r.canonical, r.evidence.start) for r in out.entities]
    assert got == [("甲", 0), ("乙", 1), ("丙", 3), ("甲", 4)]
    assert out.segments == 2 and out.document is doc


def test_parallel_segment_chunks_merge_to_single_pass() -> None:
    nlp = default_nlp()
    doc = small_corpus()[1]
    segments = prepare(doc, max_chars=1500)
    assert len(segments) >= 3
    whole = merge_segments(doc, extract_segments(nlp, doc, segments), len(segments))
    parts = [p for i in range(0, len(segments), 2) for p in extract_segments(nlp, doc, segments[i : i + 2])]
    assert merge_segments(doc, parts, len(segments)) == whole
    default = prepare(doc)
    single = merge_segments(doc, extract_segments(nlp, doc, default), len(default))
    assert extract_document(nlp, doc) == single


class _Task:
    """A fake future: some report done at once, others only when collected."""

    def __init__(self, pool: _FakePool, value, done: bool) -> None:
        self.pool, self.value, self._done = pool, value, done

    def done(self) -> bool:
        return self._done

    def result(self):
        if self in self.pool.open:
            self.pool.open.remove(self)
        self._done = True
        return self.value


class _FakePool:
    """Records submissions; every third task finishes late."""

    def __init__(self) -> None:
        self.submitted: list[tuple[Document, tuple | None]] = []
        self.open: list[_Task] = []
        self.max_open = 0

    def submit(self, fn, doc: Document, segments) -> _Task:
        if segments is None:
            value = DocumentExtraction(document=doc)
        else:
            value = [SegmentExtraction()] * len(segments)
        task = _Task(self, value, done=len(self.submitted) % 3 != 0)
        self.submitted.append((doc, segments))
        self.open.append(task)
        self.max_open = max(self.max_open, len(self.open))
        return task


def test_parallel_extract_ordered_yields_input_order_with_bounded_window() -> None:
    docs = [Document(f"doc{i}", "文本。" * (i + 1)) for i in range(12)]
    pool = _FakePool()
    out = [res.document.id for res in extract_ordered(iter(docs), pool.submit, window=4)]
    assert out == [d.id for d in docs]
    assert pool.max_open <= 4


def test_parallel_extract_ordered_splits_large_documents() -> None:
    doc = small_corpus()[1]
    pool = _FakePool()
    results = list(extract_ordered([doc], pool.submit, window=4, split_chars=1000, chunk_chars=2000))
    assert len(pool.submitted) > 1
    assert all(segs is not None for _, segs in pool.submitted)
    assert results[0].segments == len(prepare(doc))


@pytest.mark.parametrize("workers", [2])
def test_parallel_workers_graph_byte_identical(tmp_path: Path, monkeypatch, workers: int) -> None:
    inputs = write_jsonl(small_corpus(), tmp_path / "in.jsonl")
    build([inputs], tmp_path / "one", workers=1, html=False)
    # split the news slice into chunks so chunk merging is exercised too
    monkeypatch.setattr(kg.schedule, "SPLIT_CHARS", 3000)
    monkeypatch.setattr(kg.schedule, "CHUNK_CHARS", 2500)
    build([inputs], tmp_path / "many", workers=workers, html=False)
    one = (tmp_path / "one" / "graph.ttl").read_bytes()
    assert len(one) > 1000
    assert (tmp_path / "many" / "graph.ttl").read_bytes() == one


def test_parallel_auto_workers_is_the_cores_capped_by_the_work() -> None:
    from kg.schedule import auto_workers, usable_cores

    assert usable_cores() >= 1
    short = [Document(f"d{i}", "文本。") for i in range(5)]
    n, docs = auto_workers(iter(short), cores=2)
    assert n == 2 and [d.id for d in docs] == [d.id for d in short]  # read ahead, nothing lost
    n, docs = auto_workers(iter(short[:1]), cores=8)
    assert n == 1 and [d.id for d in docs] == ["d0"]  # one short document: one process
    long = Document("big", "文本。" * (kg.schedule.SPLIT_CHARS // 2))  # split into chunks
    n, _ = auto_workers([long], cores=8)
    assert 1 < n <= 8
    n, docs = auto_workers(iter([]), cores=4)
    assert n == 1 and list(docs) == []


def test_parallel_default_build_one_worker_per_core_same_bytes(tmp_path: Path, monkeypatch) -> None:
    """`kg build` without --workers runs one worker per usable core: the same graph.ttl as -j 1."""
    from click.testing import CliRunner

    from kg.cli import cli

    inputs = write_jsonl(small_corpus(), tmp_path / "in.jsonl")
    seen = []
    real = kg.schedule.auto_workers

    def spy(documents, cores=None, cache=None):
        n, docs = real(documents, cores=2, cache=cache)
        seen.append(n)
        return n, docs

    monkeypatch.setattr(kg.schedule, "auto_workers", spy)
    runner = CliRunner()
    args = ["build", str(inputs), "--no-html", "-q", "--out"]
    one = runner.invoke(cli, [*args, str(tmp_path / "one"), "-j", "1"])
    assert one.exit_code == 0, one.output
    assert seen == []  # an explicit count is taken as it is
    auto = runner.invoke(cli, [*args, str(tmp_path / "auto")])
    assert auto.exit_code == 0, auto.output
    assert seen == [2]
    expected = (tmp_path / "one" / "graph.ttl").read_bytes()
    assert len(expected) > 1000
    assert (tmp_path / "auto" / "graph.ttl").read_bytes() == expected
