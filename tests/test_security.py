"""End to end: hostile document text never runs as script in the HTML view.

``kg build`` reads a JSON Lines document whose text, title, publisher, id and
source carry HTML and script payloads; the payloads reach entity labels,
evidence sentences and document metadata, and so the page. Headless Chromium
then opens ``graph.html`` with the hostile entities selected and searched for,
runs its scripts, and dumps the DOM: no payload may have changed the title,
set an attribute or added an element. (The unit tests of the writer are in
test_html.py.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV, RDFS
from testkit import CHROMIUM, kg_command, run_chromium

KG_NS = "https://w3id.org/initiative-kg/ontology#"


# Each payload leaves a trace if it ever runs: a changed title, a data-pwned
# attribute on <body>, or a <pwned-N> element in the DOM.
PAYLOADS = {
    "script": "<script>document.title='PWNED'</script>",
    "img": "<img src=x onerror=\"document.body.appendChild(document.createElement('pwned-img'))\">",
    "svg": "<svg/onload=document.body.setAttribute('data-pwned','svg')>",
    "close-script": "</script><script>document.body.setAttribute('data-pwned','close')</script>",
    "attribute": "\" autofocus onfocus=\"document.body.setAttribute('data-pwned','attr')\" x=\"",
    "single-quote": "' onmouseover='document.body.setAttribute(\"data-pwned\",\"sq\")' x='",
    "comment": "<!--<script>document.title='PWNED2'</script>-->",
    "iframe": "<iframe srcdoc=\"<script>parent.document.title='PWNED3'</script>\"></iframe>",
    "js-url": "<a href=\"javascript:document.title='PWNED4'\" id=clickme>链接</a>",
    "template": "${document.title='PWNED5'}{{constructor.constructor('document.title=1')()}}",
    "line-separator": "\u2028\u2029</script><script>document.title='PWNED6'</script>",
}
PUBLISHER = "远传电信" + PAYLOADS["img"] + PAYLOADS["close-script"]
TEXT = (
    "中国移动在福建省宁德市开展“数字乡村" + PAYLOADS["script"] + "计划”，累计建成5G基站1.2万个。"
    "中国移动福建公司推出“乡村振兴" + PAYLOADS["img"] + "服务平台”，服务农户超过30万户。"
    + "".join(PAYLOADS.values())
    + "中国联通在湖南省长沙市启动智慧教育计划。" + PAYLOADS["close-script"]
)
RECORD = {
    "id": "hostile" + PAYLOADS["attribute"],
    "text": TEXT,
    "title": "报告" + PAYLOADS["script"] + PAYLOADS["close-script"],
    "publisher": PUBLISHER,
    "source": "report.txt" + PAYLOADS["svg"],
}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    (base / "hostile.jsonl").write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
    result = subprocess.run(
        [*kg_command(), "build", "hostile.jsonl", "--out", "out"],
        cwd=base, capture_output=True, text=True, encoding="utf-8", timeout=600, env=env,
    )
    assert result.returncode == 0, result.stderr
    return base / "out"


def _iri_labelled(out: Path, fragment: str) -> str:
    graph = Graph().parse(out / "graph.ttl")
    found = sorted(str(s) for s, label in graph.subject_objects(RDFS.label) if fragment in str(label))
    assert found, f"no entity labelled with {fragment!r}"
    return found[0]


def _hostile_initiative(out: Path) -> str:
    """An entity whose evidence sentence carries markup: selecting it fills the panel with payloads.

    Which entity that is depends on the extractors (they rightly refuse markup inside names), so
    it is looked up rather than named.
    """
    graph = Graph().parse(out / "graph.ttl")
    found = sorted(
        str(entity)
        for entity, mention in graph.subject_objects(PROV.wasDerivedFrom)
        if "<script>" in str(graph.value(mention, URIRef(KG_NS + "sentence")) or "")
        and any((entity, RDF.type, URIRef(KG_NS + cls)) in graph
                for cls in ("Program", "Platform", "Organization", "Subsidiary"))  # a node of the view
    )
    assert found, "no entity whose evidence sentence carries markup"
    return found[0]


def test_security_payloads_reach_the_graph(hostile_build):
    """Guards the Chromium test against passing vacuously: the payloads are in the data."""
    ttl = (hostile_build / "graph.ttl").read_text(encoding="utf-8")
    assert "<script>document.title='PWNED'</script>" in ttl
    assert "onerror=" in ttl and "</script><script>" in ttl
    _iri_labelled(hostile_build, "远传电信<img")  # the publisher, label verbatim
    _hostile_initiative(hostile_build)


def test_security_html_has_no_raw_payload_markup(hostile_build):
    """No payload survives as markup; the data block holds them intact, as JSON."""
    html = (hostile_build / "graph.html").read_text(encoding="utf-8")
    markers = ("<img src=x", "<svg/onload", "<iframe", "<a href=\"javascript", "<pwned", "</script><script>d")
    for marker in markers:
        assert marker not in html, marker
    # A payload's </script> or <!-- inside the data block would end it early
    # and the rest would not parse.
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert block, "no embedded graph data"
    strings = set(_strings(json.loads(block.group(1))))
    assert PUBLISHER in strings
    assert any(PAYLOADS["script"] in s for s in strings)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _dump_dom(page: Path, fragment: str = "") -> str:
    result = run_chromium(page.resolve().as_uri() + fragment, "--dump-dom")
    assert "<body" in result.stdout, result.stderr[-2000:]
    return result.stdout


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _elements(dom: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element of a serialised DOM with its attributes."""
    parser = _Elements()
    parser.feed(dom)
    return parser.found


def _deep_links(out: Path) -> dict[str, str]:
    publisher = _iri_labelled(out, "远传电信<img")
    program = _hostile_initiative(out)
    return {
        "plain": "",
        "select-publisher": "#select=" + urllib.parse.quote(publisher, safe=""),
        "select-program": "#select=" + urllib.parse.quote(program, safe=""),
        "search-payload": "#search=" + urllib.parse.quote("<img src=x", safe=""),
        "hostile-hash": "#select=" + urllib.parse.quote(PAYLOADS["img"], safe="")
        + "&search=" + urllib.parse.quote(PAYLOADS["close-script"], safe=""),
    }


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize(
    "link", ["plain", "select-publisher", "select-program", "search-payload", "hostile-hash"]
)
def test_security_chromium_runs_no_payload(hostile_build, link):
    dom = _dump_dom(hostile_build / "graph.html", _deep_links(hostile_build)[link])
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-rendered="1"' in body, "the page's own script did not run"
    assert "data-pwned" not in body
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert "PWNED" not in title
    # No element or attribute came from a payload (text nodes may show them).
    for tag, attrs in _elements(dom):
        assert not tag.startswith("pwned") and tag not in ("img", "iframe"), tag
        for name, value in attrs:
            assert "pwned" not in (value or "").lower(), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    if link.startswith("select-"):
        panel = re.search(r'<div id="details-body">(.*?)</section>', dom, re.S)
        assert panel and "<h3>" in panel.group(1), "details panel did not open"
        # the payload is shown, as text
        assert "&lt;" in panel.group(1) and ("&lt;img" in panel.group(1) or "&lt;script" in panel.group(1))
