"""Extraction on a Dask local cluster gives the graph of a single-process build."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.documents import bundled_corpus
from kg.model import Document
from kg.schedule import extract_all

distributed = pytest.importorskip("distributed")


def small_docs() -> list[Document]:
    """Short slices of the bundled corpus (fast to extract)."""
    docs = {d.id[:3]: d for d in bundled_corpus()}
    return [
        dataclasses.replace(docs["001"], text=docs["001"].text[:1500]),
        dataclasses.replace(docs["002"], text=docs["002"].text[:2500]),
    ]


@pytest.fixture(scope="module")
def client():
    """An in-process cluster: one worker, one thread (one pipeline to build)."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def test_dask_extract_matches_local_extraction(client, monkeypatch) -> None:
    import kg.schedule
    from kg.distributed import dask_extract

    docs = small_docs()
    local = list(extract_all(docs))
    monkeypatch.setattr(kg.schedule, "SPLIT_CHARS", 1000)  # the news slice goes out in chunks
    monkeypatch.setattr(kg.schedule, "CHUNK_CHARS", 800)
    remote = list(dask_extract(docs, "unused", client=client))
    assert remote == local


def test_dask_cli_build_graph_identical(client, tmp_path: Path) -> None:
    from kg.cli import cli

    inputs = tmp_path / "in.jsonl"
    with inputs.open("w", encoding="utf-8") as f:
        for d in small_docs():
            record = {k: v for k, v in dataclasses.asdict(d).items() if v is not None}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    build([inputs], tmp_path / "local", html=False)
    out = tmp_path / "dask"
    args = ["build", str(inputs), "--out", str(out), "--no-html", "-q", "--dask", client.scheduler.address]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()


def test_dask_unreachable_scheduler_is_one_line_error(tmp_path: Path, capsys) -> None:
    from kg.cli import main

    inputs = tmp_path / "a.txt"
    inputs.write_text("中国移动在福建开展乡村振兴。", encoding="utf-8")
    code = main(["build", str(inputs), "--out", str(tmp_path / "o"), "-q", "--dask", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 7
    assert err.startswith("kg: error: [E600]") and err.count("\n") == 1
    assert not (tmp_path / "o" / "graph.ttl").exists()
