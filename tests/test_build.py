"""``kg build`` end to end on a small corpus: graph content, provenance, determinism.

The golden graph ``fixtures/core_small.ttl`` pins the output of the whole
pipeline on ``fixtures/core_small.jsonl``; after an intended change of the
extractors, regenerate it with ``KG_UPDATE_GOLDEN=1 pytest tests/test_build.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV

from exports.rdf import serialize_graph
from kg.build import build
from kg.iris import entity_iri, slug
from kg.vocab import KG

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "core_small.jsonl"
GOLDEN = FIXTURES / "core_small.ttl"
ENTITY_CLASSES = (KG.Organization, KG.Subsidiary, KG.Place, KG.Program, KG.Platform)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    build([str(CORPUS)], out)
    return out


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    g = Graph()
    g.parse(built / "graph.ttl", format="turtle")
    return g


def _named(g: Graph, label: str, cls: URIRef) -> URIRef:
    for s in g.subjects(RDFS.label, Literal(label, lang="zh-Hans")):
        if (s, RDF.type, cls) in g:
            return s
    raise AssertionError(f"no {cls} labelled {label}")


def test_build_writes_turtle_and_html(built):
    assert (built / "graph.ttl").stat().st_size > 0
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert not [p for p in built.iterdir() if p.name.startswith(".")]  # no staging leftovers


def test_build_reads_branch_program_partner_and_place(graph):
    branch = _named(graph, "中国移动福建公司", KG.Subsidiary)
    program = _named(graph, "爱心行动", KG.Program)
    fujian = _named(graph, "福建", KG.Place)
    anxi = _named(graph, "安溪县", KG.Place)
    foundation = _named(graph, "中国青少年发展基金会", KG.Organization)
    assert (branch, KG.locatedIn, fujian) in graph
    assert (anxi, KG.locatedIn, fujian) in graph  # gazetteer: nearest ancestor present in the graph
    assert (program, KG.operatedBy, branch) in graph
    assert (program, KG.partner, foundation) in graph
    assert (program, KG.implementedIn, anxi) in graph


def test_build_traditional_text_gives_simplified_and_traditional_labels(graph):
    branch = _named(graph, "中国联通青海分公司", KG.Subsidiary)
    assert Literal("青海聯通", lang="zh-Hant") in set(graph.objects(branch, RDFS.label))


def test_build_measurement_applies_multiplier(graph):
    values = {str(v).split(".")[0] for v in graph.objects(None, KG.value)}
    assert "224000000" in values  # 2.24亿人
    assert not {"1", "2", "1000"} & values  # never the digits without their 万/亿


def test_build_every_entity_and_relation_has_provenance(graph):
    entities = {s for c in ENTITY_CLASSES for s in graph.subjects(RDF.type, c)}
    assert entities
    for e in entities:
        sources = list(graph.objects(e, PROV.wasDerivedFrom))
        assert sources, f"{e} has no provenance"
    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for st in statements:
        assert list(graph.objects(st, PROV.wasDerivedFrom)), f"{st} has no provenance"


def test_build_mentions_point_back_to_the_original_characters(graph):
    text = {"cm-1": None, "cu-1": None}
    import json

    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text[rec["id"]] = rec["text"]
    checked = 0
    for m in graph.subjects(RDF.type, KG.Mention):
        start = int(graph.value(m, KG.startOffset))
        end = int(graph.value(m, KG.endOffset))
        anchor = str(graph.value(m, KG.anchorText))
        doc = next(t for k, t in text.items() if f"/mention/{slug(k, 60)}-" in str(m))
        assert doc[start:end] == anchor
        assert anchor in str(graph.value(m, KG.sentence)) or not anchor
        checked += 1
    assert checked >= 5


def test_build_is_byte_identical_across_runs(built, tmp_path):
    again = tmp_path / "again"
    build([str(CORPUS)], again, html=False)
    assert (again / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()


def test_build_entity_iris_are_stable_and_readable():
    iri = entity_iri("PROGRAM", "爱心行动")
    assert iri == entity_iri("PROGRAM", "爱心行动")
    assert "/program/ai-xin-xing-dong-" in str(iri)
    assert entity_iri("PLATFORM", "爱心行动") != iri


def test_build_matches_golden_graph(graph):
    if os.environ.get("KG_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(serialize_graph(graph, "ttl"))
    golden = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(graph, golden):
        _, only_built, only_golden = graph_diff(to_isomorphic(graph), to_isomorphic(golden))
        diff = "\n".join(
            sorted(f"+ {t}" for t in only_built)[:20] + sorted(f"- {t}" for t in only_golden)[:20]
        )
        pytest.fail(f"graph differs from {GOLDEN.name} (KG_UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_build_failure_leaves_previous_output_untouched(built, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([str(CORPUS)], out, html=False)
    before = (out / "graph.ttl").read_bytes()
    merges = (out / "merges.csv").read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("exports.html.write_html", boom)
    with pytest.raises(RuntimeError):
        build([str(CORPUS)], out)
    assert (out / "graph.ttl").read_bytes() == before
    assert (out / "merges.csv").read_bytes() == merges  # written in the staging folder, like graph.ttl
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "merges.csv"]


def test_build_graph_conforms_to_the_shapes(graph):
    from kg.validate import validate_graph

    report = validate_graph(graph)
    assert report.conforms, report.to_text()


def _places_without_fujian(folder: Path) -> Path:
    """A copy of the bundled place data with every division of 福建 (adcode 35xxxx) left out."""
    import shutil

    from extractors.lexicon import DATA_DIR

    folder.mkdir()
    for name in ("places_world.tsv", "places_natural.jsonl", "places_rules.json"):
        shutil.copyfile(DATA_DIR / name, folder / name)
    lines = (DATA_DIR / "places_admin.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "places_admin.jsonl").write_text(
        "".join(line for line in lines if '"adcode": "35' not in line), encoding="utf-8"
    )
    return folder


def test_build_places_dir_reaches_places_relations_and_hierarchy(tmp_path: Path) -> None:
    """Regression: kg_relations and the place hierarchy used the bundled gazetteer whatever kg_places read."""
    from kg.build import place_parent_lookup
    from kg.extract import extract_document
    from kg.model import Document
    from kg.pipeline import build_nlp, places_config

    places = _places_without_fujian(tmp_path / "places")
    # the rules alone: a trained tagger may read a place without the gazetteer, as it should
    nlp = build_nlp(config=places_config(str(places)), model_dir="none")
    assert nlp.get_pipe("kg_relations").data_dir == str(places)
    doc = Document("d", "中国移动在福州开展“福建乡村振兴行动”。", publisher="中国移动")

    def places_of(pipeline) -> set[str]:
        x = extract_document(pipeline, doc)
        tails = {r.tail[1] for r in x.relations if r.relation == "implementedIn"}
        return tails | {e.canonical for e in x.entities if e.label == "PLACE"}

    assert places_of(build_nlp(model_dir="none")) == {"福州", "福建"}
    assert places_of(nlp) == set()  # neither found in the text nor in the program's name
    assert place_parent_lookup()("福州") == "福建"
    assert place_parent_lookup(str(places))("福州") is None
