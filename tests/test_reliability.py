"""Reliability of ``kg build``: large input, encodings, empty input, bad files, and
a previous output that survives failed and interrupted builds byte for byte.

Builds run as subprocesses of the installed ``kg`` (see :func:`run_kg`), except
where a failure is injected with ``monkeypatch`` into :func:`kg.build.build`.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS

from kg.errors import OutputError

KG = Namespace("https://w3id.org/initiative-kg/ontology#")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16


def kg_command() -> list[str]:
    """The ``kg`` entry point of the interpreter running the tests."""
    beside = Path(sys.executable).with_name("kg")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("kg")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("KG_DEBUG", None)
    return env


def run_kg(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``kg ARGS`` in ``cwd`` and capture its output as text."""
    return subprocess.run(
        [*kg_command(), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, env=_env(),
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def assert_untouched(folder: Path, before: dict[str, bytes]) -> None:
    """Same files, same bytes, and no staging folder or temp file left behind."""
    after = snapshot(folder)
    assert sorted(after) == sorted(before), "files added or removed"
    for name, data in before.items():
        assert after[name] == data, f"{name} changed"
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


FACTS = [
    {"id": "fj", "text": "中国移动在福建省宁德市开展数字乡村建设行动，累计建成5G基站1.2万个。"
                        "中国移动福建公司推出“乡村振兴服务平台”，服务农户超过30万户。"},
    {"id": "hn", "text": "中国联通在湖南省长沙市启动智慧教育计划，覆盖学校二百余所。"},
]

NEW = {"id": "new", "text": "中国电信在广东省广州市推出天翼云平台。"}


def _write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory) -> Path:
    """The output folder of one good build, made once; tests work on copies."""
    base = tmp_path_factory.mktemp("previous")
    _write_jsonl(base / "facts.jsonl", FACTS)
    result = run_kg("build", "facts.jsonl", "--out", "out", cwd=base)
    assert result.returncode == 0, result.stderr
    out = base / "out"
    assert {"graph.ttl", "graph.html"} <= set(snapshot(out))
    return out


@pytest.fixture
def out_dir(previous_output, tmp_path) -> Path:
    """A private copy of the previous output, byte for byte."""
    out = tmp_path / "out"
    shutil.copytree(previous_output, out)
    return out


# ------------------------------------------------------ failed builds


def test_reliability_bad_input_leaves_previous_output(out_dir, tmp_path):
    before = snapshot(out_dir)
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": "福建"}\n{"id": \n', encoding="utf-8")
    result = run_kg("build", "bad.jsonl", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("kg: error: [E100] bad.jsonl:2:")
    assert_untouched(out_dir, before)


def test_reliability_strict_folder_with_bad_file_fails_and_leaves_output(out_dir, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(FACTS[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_bytes(PNG)
    before = snapshot(out_dir)
    result = run_kg("build", "docs", "--strict", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert "b.txt" in result.stderr and "Traceback" not in result.stderr
    assert_untouched(out_dir, before)


def _folder_with_bad_files(root: Path) -> Path:
    folder = root / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a_fujian.txt").write_text(FACTS[0]["text"], encoding="utf-8")
    (folder / "sub" / "b_hunan.md").write_text(FACTS[1]["text"], encoding="utf-8")
    (folder / "c_photo.txt").write_bytes(PNG)  # binary
    (folder / "d_broken.jsonl").write_text('{"id": "d", "text": "福建"}\n{oops\n', encoding="utf-8")
    (folder / "e_empty.txt").write_bytes(b"")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.7")  # not an input type: ignored in folders
    return folder


def test_reliability_folder_skips_bad_files_with_warnings_and_counts_them(tmp_path):
    _folder_with_bad_files(tmp_path)
    result = run_kg("build", "docs", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("kg: warning:")]
    assert any("c_photo.txt" in w and "binary" in w for w in warnings), warnings
    assert any("d_broken.jsonl:2" in w for w in warnings), warnings
    assert any("e_empty.txt" in w for w in warnings), warnings
    assert not any("notes.pdf" in w for w in warnings)
    summary = next(line for line in result.stderr.splitlines() if " documents" in line)
    assert "2 documents" in summary and "skipped" in summary, summary
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    ids = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    assert ids == {"a_fujian", "b_hunan"}


# A process pool lives in the build from here on, and the failure is injected
# in this process: the build runs in-process with one worker.
@pytest.fixture
def in_process_build(monkeypatch):
    from kg.build import build

    def run(inputs, out):
        return build([str(p) for p in inputs], out, workers=1)

    return run


def _raise(exc: BaseException):
    def writer(*args, **kwargs):
        raise exc

    return writer


@pytest.mark.parametrize(
    "failure",
    [RuntimeError("writer bug"), KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")],
    ids=["bug", "ctrl-c", "disk-full"],
)
def test_reliability_html_writer_failure_leaves_previous_output(out_dir, tmp_path, monkeypatch,
                                                               in_process_build, failure):
    import exports.html

    before = snapshot(out_dir)
    facts = _write_jsonl(tmp_path / "new.jsonl", [NEW])
    monkeypatch.setattr(exports.html, "write_html", _raise(failure))
    expected = OutputError if isinstance(failure, OSError) else type(failure)
    with pytest.raises(expected):
        in_process_build([facts], out_dir)
    assert_untouched(out_dir, before)


def test_reliability_failed_move_into_place_restores_previous_output(out_dir, tmp_path, monkeypatch,
                                                                     in_process_build):
    """The second file cannot be moved in after the first was: the first is put back."""
    import kg.atomic

    before = snapshot(out_dir)
    facts = _write_jsonl(tmp_path / "new.jsonl", [NEW])
    real_replace = os.replace
    moved = []

    def replace(src, dst):
        if Path(dst).parent == out_dir and Path(dst).name == "graph.ttl" and moved:
            raise OSError(errno.EIO, "Input/output error")
        if Path(dst).parent == out_dir:
            moved.append(Path(dst).name)
        return real_replace(src, dst)

    monkeypatch.setattr(kg.atomic.os, "replace", replace)
    with pytest.raises(OutputError, match="cannot move"):
        in_process_build([facts], out_dir)
    assert moved[0] == "graph.html"  # the HTML was already in place when graph.ttl failed
    assert_untouched(out_dir, before)


def test_reliability_successful_build_replaces_output_with_readable_files(out_dir, tmp_path):
    _write_jsonl(tmp_path / "new.jsonl", [NEW])
    result = run_kg("build", "new.jsonl", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out_dir / "graph.ttl")
    assert {str(o) for o in graph.objects(None, DCTERMS.identifier)} == {"new"}
    umask = os.umask(0)
    os.umask(umask)
    for name in ("graph.ttl", "graph.html"):
        # tempfile.mkstemp makes owner-only files; outputs must get the usual mode
        assert (out_dir / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
    assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []


# ------------------------------------------------------ interrupted builds


def _interrupt_corpus(root: Path) -> Path:
    """A folder whose first file is skipped with a warning, printed before extraction starts."""
    folder = root / "docs"
    folder.mkdir()
    (folder / "0_photo.txt").write_bytes(PNG)
    text = "".join(FACTS[i % 2]["text"] for i in range(40))
    for i in range(20):
        (folder / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_reliability_interrupted_build_leaves_previous_output(out_dir, tmp_path, signum, code):
    _interrupt_corpus(tmp_path)
    before = snapshot(out_dir)
    proc = subprocess.Popen(
        [*kg_command(), "build", "docs", "--out", "out"], cwd=tmp_path, env=_env(),
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8",
    )
    try:
        first = proc.stderr.readline()  # the warning: documents are read, extraction is next
        assert first.startswith("kg: warning:"), first
        proc.send_signal(signum)
        rest = proc.stderr.read()
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, rest
    assert "Traceback" not in rest
    assert rest.strip().splitlines()[-1] == "kg: interrupted"
    assert_untouched(out_dir, before)


# ------------------------------------------------------ encodings and empty input

HANS = "中国移动在福建省宁德市开展数字乡村建设行动。中国移动福建公司推出乡村振兴服务平台，服务农户超过30万户。"  # noqa: E501
HANT = "中國移動在廣東省廣州市開展數字鄉村建設行動。中國移動廣東公司推出鄉村振興服務平臺，服務農戶超過30萬戶。"  # noqa: E501
ENCODED = [
    ("gbk", HANS, lambda t: t.encode("gbk"), "福建省"),
    # 㐀 (U+3400) and 䶵 are outside GBK: a GB18030-only file
    ("gb18030", HANS.replace("宁德市", "宁德市㐀䶵"), lambda t: t.encode("gb18030"), "福建省"),
    ("big5", HANT, lambda t: t.encode("big5"), "廣東省"),
    ("utf16le", HANS, lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "福建省"),
    ("utf16be", HANT, lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "廣東省"),
    ("utf8bom", HANT, lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "廣東省"),
]


@pytest.fixture(scope="module")
def encodings_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("encodings")
    folder = base / "docs"
    folder.mkdir()
    for name, text, encode, _ in ENCODED:
        (folder / f"{name}.txt").write_bytes(encode(text * 3))
    return base / "out", run_kg("build", "docs", "--out", "out", cwd=base)


@pytest.mark.parametrize(("name", "text", "encode", "place"), ENCODED, ids=[e[0] for e in ENCODED])
def test_reliability_build_reads_encoding(encodings_build, name, text, encode, place):
    out, result = encodings_build
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    graph = Graph().parse(out / "graph.ttl")
    (doc,) = graph.subjects(DCTERMS.identifier, Literal(name))
    anchors = {str(a) for m in graph.subjects(KG.inDocument, doc) for a in graph.objects(m, KG.anchorText)}
    # the place was found, spelt as in the original: the bytes were decoded right
    assert place in anchors
    sentences = {str(s) for m in graph.subjects(KG.inDocument, doc) for s in graph.objects(m, KG.sentence)}
    assert all(s in text for s in sentences)
    assert sentences


@pytest.mark.parametrize(
    "records",
    [
        [{"id": "a", "text": ""}, {"id": "b", "text": "  \n "}],
        [{"id": "a", "text": "……"}],
        [{"id": "a", "text": "12345"}],
    ],
    ids=["all-empty", "punctuation-only", "digits-only"],
)
def test_reliability_empty_documents_give_message_or_valid_empty_graph(tmp_path, records):
    _write_jsonl(tmp_path / "in.jsonl", records)
    result = run_kg("build", "in.jsonl", "--out", "out", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        assert result.returncode == 2
        assert result.stderr.strip().splitlines()[-1].startswith("kg: error: [E101]")
        assert not (tmp_path / "out").exists()
        return
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert len(graph) > 0  # the document itself is described
    assert not list(graph.subjects(None, KG.Mention))
    assert (tmp_path / "out" / "graph.html").stat().st_size > 0


# ------------------------------------------------------ a 10 MB line

_MEASURE = textwrap.dedent(
    """
    import resource, subprocess, sys
    run = subprocess.run(sys.argv[1:], capture_output=True, text=True, encoding="utf-8")
    sys.stderr.write(run.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(run.returncode, peak_kib)
    """
)


def _large_line(size: int) -> str:
    """One line of report prose: mostly plain sentences, a fact every ~2 kB.

    The filler avoids a standalone 我们/公司: each one currently costs a pass
    over its whole segment (``publisher_mention`` reads ``Doc.text``), which
    would make this test take many minutes.
    """
    filler = (
        "本段文字用于检验长文本的处理能力，内容平实，没有具体的名称；"
        "坚持以人为本，持续改进工作方法，提升服务质量，推动高质量发展。"
    )
    fact = "中国移动在福建省宁德市开展数字乡村建设行动，累计建成5G基站1.2万个。"
    block = filler * 16 + fact
    return block * (size // len(block.encode("utf-8")) + 1)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
def test_reliability_10mb_single_line_build_has_bounded_memory(tmp_path):
    text = _large_line(10_000_000)
    assert "\n" not in text
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    assert (tmp_path / "big.txt").stat().st_size >= 10_000_000
    probe = subprocess.run(
        [sys.executable, "-c", _MEASURE, *kg_command(), "build", "big.txt", "--out", "out", "--no-html"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=1800, env=_env(),
    )
    code, peak_kib = map(int, probe.stdout.split())
    assert code == 0, probe.stderr
    peak_mb = peak_kib / 1024
    print(f"\nkg build of a 10 MB single-line document: peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 2500, f"peak RSS {peak_mb:.0f} MB"
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert (None, KG.anchorText, Literal("福建省")) in graph
