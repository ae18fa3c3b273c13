"""The streaming Turtle writer: what it writes reads back as the same triples, byte-stable."""

from __future__ import annotations

import io
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from exports.turtle import TurtleWriter, write_turtle
from kg.vocab import KG, KGI, PREFIXES


def _turtle(triples) -> bytes:
    out = io.BytesIO()
    write_turtle(triples, out, PREFIXES)
    return out.getvalue()


def _read(data: bytes) -> Graph:
    return Graph().parse(data=data, format="turtle")


def test_literals_keep_their_lexical_form():
    s = KGI["measurement/x"]
    literals = [
        Literal("4741", datatype=XSD.decimal),  # rdflib's own serializer wrote 4741.0
        Literal("17.38", datatype=XSD.decimal),
        Literal("007", datatype=XSD.integer),
        Literal(12),
        Literal("-3"),
        Literal("2024", datatype=XSD.gYear),
        Literal("1e3", datatype=XSD.double),
        Literal("中国移动", lang="zh-Hans"),
        Literal("中國移動", lang="zh-Hant"),
        Literal("true", datatype=XSD.boolean),
    ]
    triples = {(s, KG.value, lit) for lit in literals}
    data = _turtle(triples)
    assert set(_read(data)) == triples
    text = data.decode()
    assert '"4741"^^xsd:decimal' in text and "17.38" in text and '"2024"^^xsd:gYear' in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_string_reads_back_unchanged(text):
    triples = {
        (KGI["x"], RDFS.label, Literal(text)),
        (KGI["x"], KG.anchorText, Literal(text, lang="zh-Hans")),
    }
    assert set(_read(_turtle(triples))) == triples


def test_prefixed_names_only_where_the_local_part_is_plain():
    triples = {
        (KGI["program/ai-xin-xing-dong-1a2b3c"], RDF.type, KG.Program),
        (KGI["source/gazetteer"], RDFS.label, Literal("g")),
        (URIRef("http://example.org/a b"), RDFS.label, Literal("odd IRI")),
    }
    data = _turtle(triples)
    text = data.decode()
    assert "a kg:Program" in text
    assert "<https://w3id.org/initiative-kg/id/program/ai-xin-xing-dong-1a2b3c>" in text
    assert set(_read(data)) == triples


def test_same_triples_same_bytes_in_any_order():
    triples = [(KGI[f"s{i % 7}"], URIRef(f"{KG._NS}p{i % 3}"), Literal(f"v{i}")) for i in range(60)]
    shuffled = triples[:]
    random.Random(1).shuffle(shuffled)
    assert _turtle(triples) == _turtle(shuffled)


def test_writer_counts_distinct_triples_and_skips_empty_blocks():
    out = io.BytesIO()
    writer = TurtleWriter(out, PREFIXES)
    writer.subject(KGI["a"], [(RDF.type, KG.Program), (RDF.type, KG.Program), (RDFS.label, Literal("x"))])
    writer.subject(KGI["b"], [])
    assert writer.triples == 2
    assert "id/b>" not in out.getvalue().decode()


def test_turtle_rdflib_plugin_writes_the_writers_bytes():
    g = Graph()
    g.add((KGI["program/a"], RDF.type, KG.Program))
    g.add((KGI["program/a"], RDFS.label, Literal("爱心行动", lang="zh-Hans")))
    g.add((KGI["program/a"], KG.partOf, KGI["program/b"]))
    assert g.serialize(format="kg-turtle", encoding="utf-8") == _turtle(g)
    assert g.serialize(format="kg-turtle") == _turtle(g).decode("utf-8")
    only_kg = g.serialize(format="kg-turtle", encoding="utf-8", prefixes={"kg": str(KG)})
    assert only_kg.startswith(b"@prefix kg: <") and only_kg.count(b"@prefix") == 1
    assert isomorphic_bytes(only_kg, _turtle(g))


def isomorphic_bytes(a: bytes, b: bytes) -> bool:
    from rdflib.compare import isomorphic

    return isomorphic(_read(a), _read(b))


def test_turtle_rdflib_plugin_found_through_its_entry_point():
    """A process that never imported exports/ writes kg-turtle all the same."""
    import subprocess
    import sys

    code = (
        "import sys, rdflib; g = rdflib.Graph(); "
        "g.add((rdflib.URIRef('https://w3id.org/initiative-kg/id/x'), rdflib.RDF.type, rdflib.OWL.Class)); "
        "out = g.serialize(format='kg-turtle'); sys.exit(0 if 'kgi:x a' in out else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
