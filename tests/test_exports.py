"""Exports: view model, RDF round trips, GraphML, CSV tables and ``kg export``."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from exports.graphfile import load_graph
from exports.graphml import write_graphml
from exports.graphview import build_view, close_labels, find_entities
from exports.rdf import export_graph, serialize_graph
from exports.tables import ENTITY_COLUMNS, MEASUREMENT_COLUMNS, RELATION_COLUMNS, write_tables
from kg.cli import cli, main
from kg.errors import GraphError

FIXTURE = Path(__file__).parent / "fixtures" / "exports_small.ttl"
KGI = "https://w3id.org/initiative-kg/id/"
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(FIXTURE)


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            "graphs differ\nonly in expected:\n"
            + only_expected.serialize(format="nt")
            + "\nonly in actual:\n"
            + only_actual.serialize(format="nt")
        )


def test_exports_never_import_spacy() -> None:
    code = (
        "import sys, exports.graphview, exports.rdf, exports.graphml, exports.tables, exports.html, "
        "kg.cli.export, kg.cli.view; sys.exit('spacy' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1], timeout=120).returncode
        == 0
    )


def test_view_nodes_have_types_labels_publishers_and_evidence(graph: Graph) -> None:
    view = build_view(graph)
    assert view.number_of_nodes() == 10
    fujian = view.nodes[KGI + "place/fujian-350000"]
    assert fujian["type"] == "PLACE"
    assert fujian["kg_type"] == "ProvinceLevelDivision"
    assert fujian["aliases"] == ["福建省"]
    assert fujian["publishers"] == ["中国移动"]
    sub = view.nodes[KGI + "subsidiary/zhongguo-yidong-fujian-112233"]
    assert sub["type"] == "SUBSIDIARY"
    program = view.nodes[KGI + "program/aixin-xingdong-3fa2c1"]
    assert (program["label"], program["label_hant"]) == ("爱心行动", "愛心行動")
    ev = program["evidence"][0]
    assert (ev.start, ev.end, ev.title) == (1203, 1207, "中国移动2023年可持续发展报告")
    assert "4741" in ev.sentence


def test_view_edges_carry_statement_evidence(graph: Graph) -> None:
    view = build_view(graph)
    data = view.get_edge_data(KGI + "program/aixin-xingdong-3fa2c1", KGI + "place/fujian-350000")
    assert list(data) == ["implementedIn"]
    assert data["implementedIn"]["evidence"][0].start == 1200
    gazetteer = view.get_edge_data(KGI + "place/fujian-350000", KGI + "place/zhongguo-100000")["locatedIn"]
    assert gazetteer["source"] == "gazetteer"
    assert view.number_of_edges() == 12


@pytest.mark.parametrize("name", ["爱心行动", "愛心行動", "爱“心”行动", " 爱心行动 "])
def test_view_find_entities_simplified_or_traditional(graph: Graph, name: str) -> None:
    assert find_entities(build_view(graph), name) == [KGI + "program/aixin-xingdong-3fa2c1"]


def test_view_close_labels_suggests(graph: Graph) -> None:
    assert "爱心行动" in close_labels(build_view(graph), "愛心")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_rdf_round_trip_isomorphic(graph: Graph, tmp_path: Path, fmt: str) -> None:
    out = export_graph(graph, fmt, tmp_path / f"g.{fmt}")
    _assert_isomorphic(graph, Graph().parse(out, format=RDFLIB_FORMAT[fmt]))
    _assert_isomorphic(graph, load_graph(out))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_rdf_deterministic_bytes(graph: Graph, fmt: str) -> None:
    triples = list(graph)
    random.Random(7).shuffle(triples)
    shuffled = Graph()
    for prefix, ns in [("zz", "http://example.org/"), ("kgx", "https://w3id.org/initiative-kg/ontology#")]:
        shuffled.bind(prefix, ns)
    for t in triples:
        shuffled.add(t)
    assert serialize_graph(graph, fmt) == serialize_graph(shuffled, fmt)


def test_export_turtle_keeps_decimal_lexical_form(graph: Graph) -> None:
    text = serialize_graph(graph, "ttl").decode("utf-8")
    assert '"4741"^^xsd:decimal' in text


def test_export_jsonld_has_compact_context(graph: Graph) -> None:
    import json

    doc = json.loads(serialize_graph(graph, "jsonld"))
    assert {"kg", "skos", "rdfs", "prov"} <= set(doc["@context"])


def test_export_graphml_loads_in_networkx(graph: Graph, tmp_path: Path) -> None:
    out = write_graphml(graph, tmp_path / "g.graphml")
    loaded = nx.read_graphml(out, force_multigraph=True)
    assert loaded.number_of_nodes() == 10 and loaded.number_of_edges() == 12
    node = loaded.nodes[KGI + "organization/zhongguo-yidong-a1b2c3"]
    assert node["label"] == "中国移动" and node["type"] == "ORG" and node["publisher"] == "中国移动"
    hostile = loaded.nodes[KGI + "program/script-alert-0badc0"]
    assert hostile["aliases"].count("|") == 1
    relations = {d["relation"] for _, _, d in loaded.edges(data=True)}
    assert relations == {"subsidiaryOf", "locatedIn", "operatedBy", "implementedIn", "partner", "partOf"}


def test_export_tables_columns_and_rows(graph: Graph, tmp_path: Path) -> None:
    paths = write_tables(graph, tmp_path)
    assert sorted(p.name for p in paths) == ["entities.csv", "measurements.csv", "relations.csv"]
    entities = pd.read_csv(tmp_path / "entities.csv", keep_default_na=False)
    relations = pd.read_csv(tmp_path / "relations.csv", keep_default_na=False)
    measurements = pd.read_csv(
        tmp_path / "measurements.csv", keep_default_na=False, dtype={"value": str, "year": str}
    )
    assert list(entities.columns) == ENTITY_COLUMNS and len(entities) == 10
    assert list(relations.columns) == RELATION_COLUMNS and len(relations) == 12
    assert list(measurements.columns) == MEASUREMENT_COLUMNS and len(measurements) == 2
    row = measurements[measurements.subject_label == "爱心行动"].iloc[0]
    assert (row.value, row.unit, row.year, row.start) == ("4741", "名", "2023", 1200)
    org = entities[entities.iri == KGI + "organization/zhongguo-yidong-a1b2c3"].iloc[0]
    assert (org.label, org.label_hant, org.mentions) == ("中国移动", "中國移動", 1)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "graphml", "csv"])
def test_cli_export_formats(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / ("tables" if fmt == "csv" else f"g.{fmt}")
    result = CliRunner().invoke(cli, ["export", str(FIXTURE), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.mark.parametrize("content", ["garbage <<", "@prefix : <x> .\n:a :b"])
def test_cli_export_malformed_graph_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(content, encoding="utf-8")
    code = main(["export", str(bad), "--format", "nt", "--out", str(tmp_path / "o.nt")])
    err = capsys.readouterr().err
    assert code == GraphError.exit_code
    assert err.startswith("kg: error: [E300]") and err.count("\n") == 1
    assert not (tmp_path / "o.nt").exists()


def test_cli_export_missing_or_unknown_graph(tmp_path: Path) -> None:
    with pytest.raises(GraphError):
        load_graph(tmp_path / "missing.ttl")
    odd = tmp_path / "graph.xyz"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(GraphError, match="unknown extension"):
        load_graph(odd)


def test_cli_commands_have_help() -> None:
    for name in ("export", "view"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "--out" in result.output
