"""The interactive HTML view: offline, escaped, deterministic, and it renders."""

from __future__ import annotations

import json
import random
import re
import urllib.parse
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, PROV
from testkit import CHROMIUM, run_chromium

from exports.graphfile import load_graph
from exports.html import TruncatedViewWarning, script_json, write_html
from kg.cli import cli, main

FIXTURE = Path(__file__).parent / "fixtures" / "exports_small.ttl"
KG = Namespace("https://w3id.org/initiative-kg/ontology#")
KGI = Namespace("https://w3id.org/initiative-kg/id/")
HOSTILE_PROGRAM = str(KGI["program/script-alert-0badc0"])
HOSTILE_PLATFORM = str(KGI["platform/img-onerror-0bad01"])


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(FIXTURE)


@pytest.fixture(scope="module")
def page(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(graph, tmp_path_factory.mktemp("html") / "view.html", title="fixture").path


def _embedded_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "data block missing"
    return json.loads(match.group(1))


def synthetic_graph(n_entities: int, n_edges: int, n_publishers: int = 3, seed: int = 1) -> Graph:
    """A graph following ontology/README.md with random entities and relations."""
    rng = random.Random(seed)
    g = Graph()
    classes = [KG.Organization, KG.Program, KG.Platform, KG.ProvinceLevelDivision, KG.Subsidiary]
    docs = []
    for p in range(n_publishers):
        org, doc = KGI[f"organization/pub-{p}"], KGI[f"doc/d{p}"]
        g.add((org, RDF.type, KG.Organization))
        g.add((org, RDFS.label, Literal(f"发布者{p}", lang="zh-Hans")))
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, DCTERMS.title, Literal(f"报告{p}")))
        g.add((doc, KG.publisher, org))
        docs.append(doc)
    entities = []
    for i in range(n_entities):
        cls = classes[i % len(classes)]
        e = KGI[f"{cls.split('#')[1].lower()}/e{i}"]
        doc = docs[rng.randrange(n_publishers)]
        m = KGI[f"mention/d{i}/{i}-{i + 2}"]
        g.add((e, RDF.type, cls))
        g.add((e, RDFS.label, Literal(f"实体{i}", lang="zh-Hans")))
        g.add((e, PROV.wasDerivedFrom, m))
        g.add((m, RDF.type, KG.Mention))
        g.add((m, KG.inDocument, doc))
        g.add((m, KG.startOffset, Literal(i)))
        g.add((m, KG.endOffset, Literal(i + 2)))
        g.add((m, KG.sentence, Literal(f"第{i}句：实体{i}在这里。")))
        entities.append(e)
    for _ in range(n_edges):
        a, b = rng.sample(entities, 2)
        g.add((a, KG.partner, b))
    return g


# --- static checks on the page source --------------------------------------------------


def test_html_no_network_references(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", html, re.I)
    assert not re.search(r"<link[^>]*\shref=", html, re.I)
    assert not re.search(r"""url\(\s*['"]?(https?:)?//""", html, re.I)
    assert "@import" not in html
    assert "bootstrap" not in html.lower()
    assert "cdnjs" not in html and "unpkg" not in html and "jsdelivr" not in html


def test_html_hostile_text_only_inside_escaped_json(page: Path, graph: Graph) -> None:
    html = page.read_text(encoding="utf-8")
    for raw in ("<script>document", "<img src=x", "</script><script>document", '" onmouseover="', "<b>粗体"):
        assert raw not in html
    assert "\u2028" not in html and "\u2029" not in html
    data = _embedded_data(html)
    labels = {info["iri"]: node["label"] for node, info in zip(data["nodes"], data["info"], strict=True)}
    assert labels[HOSTILE_PROGRAM] == "<script>document.title='PWNED'</script>"
    assert labels[HOSTILE_PLATFORM] == "<img src=x onerror=\"document.title='PWNED'\">"
    assert not any("title" in node for node in data["nodes"]), "vis titles render HTML; never set them"


def test_html_title_is_escaped(graph: Graph, tmp_path: Path) -> None:
    html = write_html(graph, tmp_path / "v.html", title="<script>alert(1)</script>").path.read_text("utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("</script>", '"\\u003c/script\\u003e"'),
        ("a&b", '"a\\u0026b"'),
        ("x\u2028y\u2029", '"x\\u2028y\\u2029"'),
    ],
)
def test_html_script_json_escapes(value: str, expected: str) -> None:
    assert script_json(value) == expected
    assert json.loads(script_json(value)) == value


def test_html_deterministic_bytes(graph: Graph, tmp_path: Path) -> None:
    shuffled = Graph()
    triples = list(graph)
    random.Random(3).shuffle(triples)
    for t in triples:
        shuffled.add(t)
    a = write_html(graph, tmp_path / "a.html", title="t").path.read_bytes()
    b = write_html(shuffled, tmp_path / "b.html", title="t").path.read_bytes()
    assert a == b


def test_html_data_has_types_publishers_and_search_keys(page: Path) -> None:
    data = _embedded_data(page.read_text(encoding="utf-8"))
    assert [t["key"] for t in data["types"]] == ["ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM", "PLACE"]
    assert len({t["shape"] for t in data["types"]}) == 5 and len({t["color"] for t in data["types"]}) == 5
    assert data["publishers"] == ["中国移动", "远传电信"]
    keys = {info["iri"]: info["key"] for info in data["info"]}
    assert "爱心行动" in keys[str(KGI["program/aixin-xingdong-3fa2c1"])]
    assert data["t2s"]["愛"] == "爱"
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_html_truncates_with_warning_and_focused_views(tmp_path: Path) -> None:
    g = synthetic_graph(60, 80, n_publishers=2)
    with pytest.warns(TruncatedViewWarning, match="62 entities"):
        result = write_html(g, tmp_path / "big.html", title="big", max_nodes=20)
    assert (result.shown, result.total) == (20, 62)
    assert len(result.focused) == 2 and all(p.exists() for p in result.focused)
    data = _embedded_data(result.path.read_text(encoding="utf-8"))
    assert "62" in data["notice"] and len(data["nodes"]) == 20
    assert sorted(link[1] for link in data["links"]) == sorted(p.name for p in result.focused)


def test_html_layout_handles_components_over_500_nodes(tmp_path: Path) -> None:
    g = synthetic_graph(700, 1400, n_publishers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = write_html(g, tmp_path / "v.html", title="t")
    data = _embedded_data(result.path.read_text(encoding="utf-8"))
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 690


# --- kg view ------------------------------------------------------------------------


def test_cli_view_focus_traditional_name(tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(
        cli, ["view", str(FIXTURE), "--focus", "愛心行動", "--hops", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    labels = {n["label"] for n in _embedded_data(out.read_text(encoding="utf-8"))["nodes"]}
    assert labels == {"爱心行动", "中国移动", "福建", "和家园"}


def test_cli_view_unknown_focus_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["view", str(FIXTURE), "--focus", "爱心", "--out", str(tmp_path / "v.html")])
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1
    assert "no entity named '爱心'" in err and "爱心行动" in err
    assert not (tmp_path / "v.html").exists()


def test_cli_view_publisher(tmp_path: Path) -> None:
    out = tmp_path / "pub.html"
    result = CliRunner().invoke(cli, ["view", str(FIXTURE), "--publisher", "遠傳電信", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = _embedded_data(out.read_text(encoding="utf-8"))
    assert data["publishers"] == ["远传电信"] and len(data["nodes"]) == 4


# --- headless Chromium --------------------------------------------------------------


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize(
    "select", [HOSTILE_PROGRAM, HOSTILE_PLATFORM, str(KGI["organization/yuanchuan-dianxin-d4e5f6"])]
)
def test_html_chromium_renders_and_no_payload_runs(page: Path, select: str) -> None:
    url = page.resolve().as_uri() + "#select=" + urllib.parse.quote(select, safe="")
    dom = run_chromium(url, "--dump-dom", timeout=90).stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    assert 'data-rendered="1"' in body.group(0), "vis-network did not draw"
    assert "data-pwned" not in body.group(0)
    assert "<title>fixture</title>" in dom and "PWNED</title>" not in dom
    panel = re.search(r'<div id="details-body">(.*?)</section>', dom, re.S)
    assert panel and "<h3>" in panel.group(1), "details panel did not open"
    shown = panel.group(1)
    assert "<script>document" not in shown and "<img" not in shown
    if select == HOSTILE_PROGRAM:
        assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in shown
        assert "遠傳在臺北推動" in shown  # an evidence sentence, as text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_html_chromium_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "view.png"
    run_chromium(page.resolve().as_uri(), f"--screenshot={shot}", timeout=90)
    assert shot.exists() and shot.stat().st_size > 10_000
