"""Tests of the ``kg`` command line as a user meets it: help, and one-line errors.

Every command runs in a subprocess through the installed entry point, so what
is checked is what a terminal shows: the exit code, and on failure exactly one
``kg: error:`` line and never a traceback.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import click
import pytest
from testkit import kg_command

from kg.cli import COMMANDS, LazyGroup, cli


def run_kg(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run ``kg ARGS`` and capture its output as text."""
    return subprocess.run(
        [*kg_command(), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**_clean_env(), "COLUMNS": "100"},
    )


def _clean_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("KG_DEBUG", None)  # tracebacks on purpose would defeat the point
    return env


def assert_one_error_line(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Exactly one ``kg: error:`` line on stderr, no traceback, a non-zero exit.

    Lines before it may only be warnings (``kg: warning:``) about skipped input.
    """
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("kg: error:")]
    assert len(errors) == 1, result.stderr
    assert lines[-1] == errors[0], result.stderr
    assert all(line.startswith("kg: warning:") for line in lines[:-1]), result.stderr
    for text in expected:
        assert text in errors[0], errors[0]
    return errors[0]


# ------------------------------------------------------------------ help


def _command(name: str) -> click.Command:
    return LazyGroup.get_command(cli, click.Context(cli), name)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_command_has_help_naming_its_arguments(name):
    result = run_kg(name, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: kg {name}")
    assert result.stderr == ""
    command = _command(name)
    assert command.help, f"kg {name} has no help text"
    for param in command.params:
        if isinstance(param, click.Argument):
            assert param.human_readable_name.upper() in result.stdout
        else:
            assert any(opt in result.stdout for opt in param.opts), param.opts
            assert param.help, f"kg {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("args", [(), ("--help",), ("-h",)], ids=["bare", "--help", "-h"])
def test_cli_group_help_lists_every_command(args):
    result = run_kg(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: kg")
    for name in COMMANDS:
        assert f"  {name}" in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_version():
    result = run_kg("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("kg, version ")


# ---------------------------------------------------------- input errors

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
    + bytes(range(256)) * 8
)
GOOD = {"id": "d1", "text": "中国移动在福建省开展数字乡村建设行动。"}


def _jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


# (case id, file name, content, words the error line must contain)
BAD_INPUTS = [
    ("missing-file", None, None, ["nosuch.txt", "no such file"]),
    ("binary-png-as-txt", "photo.txt", PNG, ["photo.txt", "binary"]),
    ("empty-txt", "empty.txt", b"", ["[E101]"]),
    ("blank-txt", "blank.txt", b" \n\t\n", ["[E101]"]),
    ("empty-jsonl", "empty.jsonl", b"", ["[E101]"]),
    ("bad-json-line", "bad.jsonl", _jsonl(GOOD, '{"id": "d2", "text": '), ["bad.jsonl:2", "not valid JSON"]),
    ("missing-text", "notext.jsonl", _jsonl(GOOD, GOOD, {"id": "d3"}), ["notext.jsonl:3", "'text'"]),
    ("text-not-string", "num.jsonl", _jsonl({"id": "d1", "text": 5}), ["num.jsonl:1", "'text'"]),
    ("not-an-object", "list.jsonl", _jsonl([1, 2]), ["list.jsonl:1", "JSON object"]),
    ("bad-year", "year.jsonl", _jsonl({**GOOD, "year": "去年"}), ["year.jsonl:1", "'year'"]),
    # Regressions: these three ended in "kg: internal error" (OverflowError,
    # RecursionError, UnicodeEncodeError while writing Turtle).
    ("infinite-year", "inf.jsonl", '{"id": "d1", "text": "福建省", "year": 1e400}', ["inf.jsonl:1", "year"]),
    ("deep-nesting", "deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", ["deep.jsonl:1", "nested"]),
    ("lone-surrogate", "sur.jsonl", '{"id": "d1", "text": "福建\\ud800省"}\n', ["sur.jsonl:1", "'text'"]),
    ("binary-jsonl", "data.jsonl", PNG, ["data.jsonl", "binary"]),
    ("damaged-pdf", "report.pdf", b"%PDF-1.7\n", ["report.pdf", "not a readable PDF"]),
    ("truncated-pdf", "cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n", ["cut.pdf", "PDF"]),
    ("png-as-docx", "draft.docx", PNG, ["draft.docx", "Word"]),
    ("png-as-html", "page.html", PNG, ["page.html", "binary"]),
    ("unsupported-extension", "slides.pptx", b"PK\x03\x04", ["slides.pptx", "unsupported"]),
    ("no-extension", "README", "中国移动".encode(), ["README", "unsupported"]),
]


@pytest.mark.parametrize(("name", "content", "expected"), [c[1:] for c in BAD_INPUTS],
                         ids=[c[0] for c in BAD_INPUTS])
def test_cli_build_bad_input_is_one_error_line(tmp_path, name, content, expected):
    path = tmp_path / (name or "nosuch.txt")
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run_kg("build", path.name, "--out", "out", cwd=tmp_path)
    line = assert_one_error_line(result, *expected)
    assert line.startswith("kg: error: [E1")
    assert result.returncode == 2
    # nothing half-written: no output folder at all, as no reader got far enough
    assert not (tmp_path / "out").exists()


def test_cli_build_bad_file_inside_folder_with_strict_is_one_error_line(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD["text"], encoding="utf-8")
    (folder / "b.txt").write_bytes(PNG)
    result = run_kg("build", "docs", "--strict", "--out", "out", cwd=tmp_path)
    assert_one_error_line(result, "b.txt", "binary")
    assert "kg: warning:" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("build", "x.txt"),  # --out missing
        ("build", "--bogus", "x.txt", "--out", "o"),
        ("build", "x.txt", "--out", "o", "--workers", "0"),
        ("nosuchcommand",),
        ("export", "g.ttl", "--format", "docx", "--out", "o"),
        ("export",),
        ("query", "g.ttl"),
        ("view", "g.ttl"),
        ("serve", "g.ttl", "--port", "99999"),
    ],
    ids=lambda args: " ".join(args),
)
def test_cli_usage_errors_are_one_line(tmp_path, args):
    result = run_kg(*args, cwd=tmp_path)
    line = assert_one_error_line(result)
    assert result.returncode == 2
    assert "--help" in line  # tells where to look
    assert result.stdout == ""


# ---------------------------------------------------------- graph errors

BAD_GRAPHS = [
    ("not-turtle", "bad.ttl", b"this is not turtle <<< .\n"),
    ("truncated-turtle", "cut.ttl", b'@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated\n'),
    ("binary", "img.ttl", PNG),
    ("bad-ntriples", "bad.nt", b"<http://a> <http://b> .\n"),
    ("bad-jsonld", "bad.jsonld", b'{"@context": 5, "@id": '),
    ("missing", None, None),
]
GRAPH_COMMANDS = {
    "export": ("export", "{g}", "--format", "nt", "--out", "out.nt"),
    "query": ("query", "{g}", "SELECT * WHERE { ?s ?p ?o }"),
    "validate": ("validate", "{g}"),
    "view": ("view", "{g}", "--out", "view.html"),
}


@pytest.mark.parametrize("command", sorted(GRAPH_COMMANDS))
@pytest.mark.parametrize(("name", "content"), [c[1:] for c in BAD_GRAPHS], ids=[c[0] for c in BAD_GRAPHS])
def test_cli_malformed_graph_is_one_error_line(tmp_path, command, name, content):
    path = tmp_path / (name or "nosuch.ttl")
    if content is not None:
        path.write_bytes(content)
    args = [a.replace("{g}", path.name) for a in GRAPH_COMMANDS[command]]
    result = run_kg(*args, cwd=tmp_path)
    line = assert_one_error_line(result, path.name)
    assert line.startswith("kg: error: [E3")
    assert not (tmp_path / "out.nt").exists()
    assert not (tmp_path / "view.html").exists()


#: every command that reads a graph, with arguments that need no server
FOLDER_COMMANDS = {
    **GRAPH_COMMANDS,
    "push": ("push", "{g}", "--endpoint", "http://127.0.0.1:9/store"),
    "serve": ("serve", "{g}", "--port", "0"),
}


@pytest.mark.parametrize("command", sorted(FOLDER_COMMANDS))
def test_cli_graph_commands_read_graph_ttl_of_a_build_folder(tmp_path, command):
    """A folder stands for its graph.ttl in every command: one resolver, one message."""
    (tmp_path / "out").mkdir()
    args = [a.replace("{g}", "out") for a in FOLDER_COMMANDS[command]]
    result = run_kg(*args, cwd=tmp_path)
    assert_one_error_line(result, "[E300]", "no graph file at out/graph.ttl")


@pytest.mark.parametrize("command", sorted(GRAPH_COMMANDS))
def test_cli_graph_commands_accept_a_build_folder(small_graph, command):
    folder = small_graph.parent
    args = [a.replace("{g}", str(folder)) for a in GRAPH_COMMANDS[command]]
    result = run_kg(*args, cwd=folder)
    assert "kg: error" not in result.stderr
    # validate exits 1 for a graph with violations: it read the graph all the same
    assert result.returncode == (1 if command == "validate" else 0), result.stderr
    if command == "export":
        assert (folder / "out.nt").read_text(encoding="utf-8").count("\n") == 2  # both triples
    if command == "view":
        assert "福建" in (folder / "view.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory) -> Path:
    """A tiny valid graph file, written by hand (no build needed)."""
    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    path.write_text(
        "@prefix kg: <https://w3id.org/initiative-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/initiative-kg/id/place/x> a kg:Place ; rdfs:label "福建"@zh-Hans .\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p", "[E400]"),
        ("SELEKT ?s WHERE { ?s ?p ?o }", "[E400]"),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT -1", "[E400]"),
        ("DELETE WHERE { ?s ?p ?o }", "[E400]"),
        ("PREFIX ex <http://e/> SELECT * {}", "[E400]"),
        ("   ", "[E400]"),
    ],
    ids=["unclosed", "misspelt", "negative-limit", "update", "bad-prefix", "blank"],
)
def test_cli_query_malformed_sparql_is_one_error_line(small_graph, query, expected):
    result = run_kg("query", str(small_graph), query)
    assert_one_error_line(result, expected)
    assert result.returncode == 5


def test_cli_query_answers_on_a_valid_graph(small_graph):
    """The counterpart of the error cases: the same graph and command work."""
    result = run_kg("query", str(small_graph), "SELECT ?l WHERE { ?s ?p ?l FILTER(isLiteral(?l)) }")
    assert result.returncode == 0, result.stderr
    assert "福建" in result.stdout


def test_cli_export_unwritable_output_is_one_error_line(small_graph, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run_kg("export", str(small_graph), "--format", "nt", "--out", str(blocker / "sub" / "g.nt"))
    assert_one_error_line(result, "[E200]")


def test_cli_build_unwritable_output_is_one_error_line(tmp_path):
    (tmp_path / "in.jsonl").write_text(_jsonl(GOOD), encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_kg("build", "in.jsonl", "--out", "file/out", cwd=tmp_path)
    assert_one_error_line(result, "[E200]", "file/out")
    assert result.returncode == 3


LITERALS = "SELECT ?o WHERE { ?s a ?t ; ?p ?o FILTER(isLiteral(?o)) }"


@pytest.mark.parametrize("args", [["--help"], ["query", "{g}", LITERALS]], ids=["help", "query"])
def test_cli_help_and_query_do_not_load_spacy(small_graph, args):
    """Start-up: listing the commands or answering a query never imports spaCy, jieba or the models."""
    args = [a.replace("{g}", str(small_graph)) for a in args]
    code = (
        "import sys; from kg.cli import main; rc = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('spacy', 'jieba', 'pycrfsuite', 'extractors') if m in sys.modules); "
        "print('HEAVY', heavy, file=sys.stderr); sys.exit(rc)"
    )
    import sys

    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            encoding="utf-8", timeout=120, env=_clean_env())
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr
    assert ("福建" if "query" in args else "build") in result.stdout
