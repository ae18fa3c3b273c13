"""End to end: ``kg build report.pdf --out out`` and the page provenance a user sees.

Built once per module through the installed ``kg`` entry point: the graph's
mentions carry ``kg:page`` and point into ``out/texts/``, the SHACL shapes
accept the graph, the example queries and the CSV tables carry the page, the
HTML evidence panel shows "p. N" (headless Chromium), ``kg text`` prints
what was read; bad files in a folder are skipped and counted.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
import rdflib
from fixtures import make_documents
from testkit import CHROMIUM, kg_command, run_chromium

from kg.vocab import KG


def run_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``kg ARGS`` in ``cwd``."""
    return subprocess.run(
        [*kg_command(), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=600
    )


@pytest.fixture(scope="module")
def built(printed, tmp_path_factory) -> Path:
    """``kg build report_hans.pdf --out out`` in a fresh folder."""
    work = tmp_path_factory.mktemp("pdfbuild")
    shutil.copy(printed["report_hans"], work / "report.pdf")
    result = run_kg("build", "report.pdf", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


@pytest.fixture(scope="module")
def graph(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built / "graph.ttl")


def _mentions(graph: rdflib.Graph) -> list[dict]:
    out = []
    for m in graph.subjects(rdflib.RDF.type, KG.Mention):
        page = graph.value(m, KG.page)
        out.append(
            {
                "iri": m,
                "start": int(graph.value(m, KG.startOffset)),
                "end": int(graph.value(m, KG.endOffset)),
                "anchor": str(graph.value(m, KG.anchorText)),
                "page": int(page) if page is not None else None,
            }
        )
    return out


def test_pages_every_mention_has_its_page_and_its_span_in_the_kept_text(built, graph, printed):
    import bisect

    import pypdfium2 as pdfium

    text = (built / "texts" / "report.txt").read_text(encoding="utf-8")
    record = json.loads((built / "texts" / "report.pages.json").read_text(encoding="utf-8"))
    assert record["id"] == "report" and record["source"] == "report.pdf"
    pages = record["pages"]
    pdf = pdfium.PdfDocument(printed["report_hans"])
    try:
        raw = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(pages) == len(raw) >= 6
    mentions = _mentions(graph)
    assert len(mentions) > 200
    seen_pages = set()
    for m in mentions:
        assert m["page"] is not None, m
        assert text[m["start"] : m["end"]] == m["anchor"], m
        assert bisect.bisect_right(pages, m["start"]) == m["page"], m
        anchor = re.sub(r"\s+", "", m["anchor"])
        on_one_page = m["page"] == len(pages) or m["end"] <= pages[m["page"]]
        if len(anchor) >= 4 and on_one_page:
            # the page as PDFium itself reads it holds the anchor
            assert anchor[:4] in raw[m["page"] - 1], m
        seen_pages.add(m["page"])
    assert seen_pages == set(range(1, len(pages) + 1))
    doc = next(graph.subjects(rdflib.RDF.type, KG.Document))
    assert int(graph.value(doc, KG.pageCount)) == len(pages)
    assert str(graph.value(doc, KG.sourceFile)) == "report.pdf"


def test_pages_graph_passes_the_shapes(built):
    result = run_kg("validate", str(built / "graph.ttl"), cwd=built)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_shape_refuses_a_page_that_is_not_a_page_number(tmp_path):
    from kg.validate import load_graph, validate_graph

    mention = "https://w3id.org/initiative-kg/id/mention/x/0-2"
    doc = "https://w3id.org/initiative-kg/id/doc/x"
    ttl = f"""@prefix kg: <https://w3id.org/initiative-kg/ontology#> .
<{doc}> a kg:Document .
<{mention}> a kg:Mention ; kg:inDocument <{doc}> ; kg:startOffset 0 ; kg:endOffset 2 ;
    kg:anchorText "福建" ; kg:sentence "福建。" ; kg:page 0 .
"""
    path = tmp_path / "bad.ttl"
    path.write_text(ttl, encoding="utf-8")
    report = validate_graph(load_graph(path))
    assert any("kg:page" in v.message for v in report.violations), report


def test_pages_in_the_example_queries(built):
    result = run_kg("query", str(built / "graph.ttl"), "entity_evidence", "--format", "csv", cwd=built)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows and "page" in rows[0]
    assert all(row["page"].isdigit() and int(row["page"]) >= 1 for row in rows)
    result = run_kg(
        "query", str(built / "graph.ttl"), "relations_with_evidence", "--format", "csv", cwd=built
    )
    rows = list(csv.DictReader(result.stdout.splitlines()))
    with_sentence = [r for r in rows if r["sentence"]]
    assert with_sentence and all(r["page"].isdigit() for r in with_sentence)


def test_pages_in_the_csv_exports(built, tmp_path):
    result = run_kg(
        "export", str(built / "graph.ttl"), "--format", "csv", "--out", str(tmp_path / "csv"), cwd=built
    )
    assert result.returncode == 0, result.stderr
    for name in ("relations.csv", "measurements.csv"):
        rows = list(csv.DictReader((tmp_path / "csv" / name).open(encoding="utf-8")))
        with_evidence = [r for r in rows if r["sentence"]]
        assert with_evidence, name
        assert all(r["page"].isdigit() and int(r["page"]) >= 1 for r in with_evidence), name


def test_pages_text_documents_have_no_page(tmp_path):
    (tmp_path / "note.txt").write_text(
        "中国移动在青海省开展“爱心行动”，为儿童提供免费筛查。\n", encoding="utf-8"
    )
    result = run_kg("build", "note.txt", "--out", "out", "--no-html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "kg:Mention" in ttl and "kg:page" not in ttl and "kg:pageCount" not in ttl
    assert not (tmp_path / "out" / "texts").exists()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_pages_evidence_panel_shows_the_page(built, graph, tmp_path):
    program = sorted(
        (str(s) for s in graph.subjects(rdflib.RDF.type, KG.Program) if str(s).count("/") > 4),
        key=lambda iri: -len(list(graph.objects(rdflib.URIRef(iri), rdflib.namespace.PROV.wasDerivedFrom))),
    )[0]
    pages = {
        int(graph.value(m, KG.page))
        for m in graph.objects(rdflib.URIRef(program), rdflib.namespace.PROV.wasDerivedFrom)
        if graph.value(m, KG.page) is not None
    }
    url = (built / "graph.html").resolve().as_uri() + "#select=" + urllib.parse.quote(program, safe="")
    dom = run_chromium(url, "--dump-dom", timeout=90).stdout
    panel = re.search(r'<div id="details-body">(.*?)</section>', dom, re.S)
    assert panel, "details panel did not open"
    shown = {int(n) for n in re.findall(r"p\. (\d+) · \[", panel.group(1))}
    assert shown and shown <= pages
    shot = tmp_path / "panel.png"
    run_chromium(url, f"--screenshot={shot}", timeout=90)
    assert shot.stat().st_size > 10_000


def test_pages_kg_text_prints_what_was_read(built, printed):
    work = built.parent
    plain = run_kg("text", "report.pdf", cwd=work)
    assert plain.returncode == 0, plain.stderr
    kept = (built / "texts" / "report.txt").read_text(encoding="utf-8")
    assert plain.stdout == kept + "\n"
    paged = run_kg("text", "report.pdf", "--pages", cwd=work)
    headers = re.findall(r"^── page (\d+) ── characters (\d+)–(\d+)", paged.stdout, re.M)
    starts = json.loads((built / "texts" / "report.pages.json").read_text(encoding="utf-8"))["pages"]
    assert [int(h[0]) for h in headers] == list(range(1, len(starts) + 1))
    assert [int(h[1]) for h in headers] == starts
    prepared = run_kg("text", "report.pdf", "--prepared", cwd=work)
    assert "中国移动" in prepared.stdout and "\n\n\n" not in prepared.stdout


def test_pages_folder_mixes_formats_and_skips_bad_files(printed, encrypted_pdf, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(printed["report_hant"], folder / "report_hant.pdf")
    shutil.copy(encrypted_pdf, folder / "locked.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(200))
    make_documents.scanned_pdf(folder / "scans.pdf", printed["report_hans"], pages=2)
    title, date, paragraphs = make_documents.news_article()
    (folder / "news.html").write_bytes(make_documents.news_html(title, date, paragraphs))
    report = make_documents.hans_report()
    make_documents.make_docx(
        folder / "draft.docx", report.title, [(report.section, report.paragraphs[:4])], []
    )
    (folder / "note.txt").write_text("中国联通在西宁开展联通爱心助学活动。\n", encoding="utf-8")
    result = run_kg("build", "docs", "--out", "docs/out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("kg: warning:")]
    assert any("locked.pdf: encrypted PDF that needs a password" in w for w in warnings)
    assert any("broken.pdf: not a readable PDF" in w for w in warnings)
    assert any("scans.pdf: no page has a text layer (scanned?)" in w for w in warnings)
    assert any("report_hant.pdf: pages 7–8 have no text layer (scanned?); skipped" in w for w in warnings)
    summary = next(line for line in result.stderr.splitlines() if " documents" in line)
    assert "4 documents, 3 skipped" in summary  # lost pages are warned about, not counted as skipped files
    texts = sorted(p.name for p in (folder / "out" / "texts").iterdir())
    assert texts == ["draft.txt", "news.txt", "report_hant.pages.json", "report_hant.txt"]
    graph = rdflib.Graph().parse(folder / "out" / "graph.ttl")
    kinds = {
        str(graph.value(d, KG.sourceFile)): graph.value(d, KG.kind)
        for d in graph.subjects(rdflib.RDF.type, KG.Document)
    }
    assert set(kinds) == {"report_hant.pdf", "news.html", "draft.docx", "note.txt"}
    assert str(kinds["news.html"]) == "news"
    news = next(
        d
        for d in graph.subjects(rdflib.RDF.type, KG.Document)
        if str(graph.value(d, KG.sourceFile)) == "news.html"
    )
    assert str(graph.value(news, rdflib.namespace.DCTERMS.issued)) == date
    # a second build over the same folder does not read its own output (out/texts/*.txt, graph.html)
    again = run_kg("build", "docs", "--out", "docs/out", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "4 documents, 3 skipped" in again.stderr
    # --strict makes the first bad file fatal, one line
    strict = run_kg("build", "docs", "--strict", "--out", "strict", cwd=tmp_path)
    assert strict.returncode == 2
    assert [line for line in strict.stderr.splitlines() if line.startswith("kg: error:")][0].count("\n") == 0
    assert not (tmp_path / "strict").exists()


def test_pages_encrypted_pdf_named_on_the_command_line_is_one_error_line(encrypted_pdf, tmp_path):
    result = run_kg("build", str(encrypted_pdf), "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: [E100]") and "encrypted PDF" in lines[0]
    assert not (tmp_path / "out").exists()
