"""The triple index `kg build` hands to the HTML view reads like the rdflib graph it replaces."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from exports.graphfile import load_graph
from exports.html import write_html
from kg.triples import TripleIndex
from kg.vocab import KG

FIXTURE = Path(__file__).parent / "fixtures" / "exports_small.ttl"


def test_lookups_match_rdflib():
    graph = load_graph(FIXTURE)
    index = TripleIndex(graph)
    assert len(index) == len(graph)
    preds = sorted(set(graph.predicates()))
    for s in sorted(set(graph.subjects())):
        for p in preds:
            assert sorted(index.objects(s, p)) == sorted(graph.objects(s, p))
            assert (index.value(s, p) is None) == (graph.value(s, p) is None)
    for p in preds:
        assert sorted(index.subject_objects(p)) == sorted(graph.subject_objects(p))
        for o in set(graph.objects(None, p)):
            assert sorted(index.subjects(p, o)) == sorted(graph.subjects(p, o))


def test_repeats_kept_once_and_first_value_wins():
    a, b = URIRef("urn:a"), URIRef("urn:b")
    x, y = Literal("x"), Literal("y")
    index = TripleIndex([(a, RDFS.label, x), (a, RDFS.label, x), (a, RDFS.label, y)])
    index.add_all([(b, RDF.type, KG.Program), (a, RDFS.label, Literal("x"))])
    assert len(index) == 3
    assert index.value(a, RDFS.label) == Literal("x")
    assert list(index.objects(a, RDFS.label)) == [Literal("x"), Literal("y")]
    assert list(index.subjects(RDF.type, KG.Program)) == [b]
    assert index.value(b, SKOS.altLabel) is None
    assert index.value(b, SKOS.altLabel, default=Literal("-")) == Literal("-")
    assert list(index.objects(URIRef("urn:none"), PROV.wasDerivedFrom)) == []
    assert list(index.subject_objects(KG.partOf)) == []


def test_view_from_the_index_is_the_view_from_the_graph(tmp_path):
    graph = load_graph(FIXTURE)
    from_graph = write_html(graph, tmp_path / "g.html", title="t").path.read_bytes()
    from_index = write_html(TripleIndex(graph), tmp_path / "i.html", title="t").path.read_bytes()
    assert from_graph == from_index
