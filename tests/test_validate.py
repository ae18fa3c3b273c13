"""SHACL validation of built graphs: kg.validate and ``kg validate``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from exports.graphfile import load_graph
from kg.cli import cli, main
from kg.errors import GraphError
from kg.validate import validate_graph
from kg.vocab import KG, KGI

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "ontology_valid.ttl"
INVALID = FIXTURES / "ontology_invalid.ttl"
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD_INTEGER = rdflib.XSD.integer
XSD_DECIMAL = rdflib.XSD.decimal

ORG = KGI["organization/zhongguo-yidong-1a2b3c"]
SUB = KGI["subsidiary/zhongguo-yidong-fujian-gongsi-4d5e6f"]
FUJIAN = KGI["place/fujian-350000"]
LIAONING = KGI["place/liaoning-210000"]
PROGRAM = KGI["program/aixin-xingdong-3fa2c1"]
PLATFORM = KGI["platform/lingxi-7a8b9c"]
MEASUREMENT = KGI["measurement/5be000000001"]
MENTION = KGI["mention/004_71605e7b97f0d62e/0-4"]
STATEMENT = KGI["statement/000000000001"]


@pytest.fixture()
def valid() -> Graph:
    return Graph().parse(VALID, format="turtle")


def _violations(graph: Graph) -> set[tuple[str, str | None]]:
    report = validate_graph(graph)
    return {(r.focus_node, r.path) for r in report.violations}


def test_validate_valid_fixture_conforms(valid):
    report = validate_graph(valid)
    assert report.conforms, report.to_text()
    assert report.results == []
    assert report.triples == len(valid)


def test_validate_leaves_the_data_graph_unchanged(valid):
    before = len(valid)
    validate_graph(valid)
    assert len(valid) == before


def test_validate_invalid_fixture_reports_each_problem():
    report = validate_graph(load_graph(INVALID))
    assert not report.conforms
    found = {(r.focus_node, r.path) for r in report.violations}
    assert found == {
        (str(KGI["organization/zhongguo-liantong-aaaaaa"]), "rdfs:label"),
        (str(KGI["program/lanse-mengxiang-bbbbbb"]), "kg:operatedBy"),
        (str(KGI["measurement/m1"]), "kg:value"),
        (str(KGI["measurement/m2"]), "kg:value"),
    }


Mutation = Callable[[Graph], None]

CASES: list[tuple[str, Mutation, URIRef, str | None]] = [
    ("place-subclass-without-label", lambda g: g.remove((FUJIAN, RDFS.label, None)), FUJIAN, "rdfs:label"),
    ("subsidiary-without-label", lambda g: g.remove((SUB, RDFS.label, None)), SUB, "rdfs:label"),
    (
        "only-traditional-label",
        lambda g: g.set((PROGRAM, RDFS.label, Literal("愛心行動", lang="zh-Hant"))),
        PROGRAM,
        "rdfs:label",
    ),
    (
        "two-simplified-labels",
        lambda g: g.add((ORG, RDFS.label, Literal("移动", lang="zh-Hans"))),
        ORG,
        "rdfs:label",
    ),
    ("label-without-language", lambda g: g.add((ORG, RDFS.label, Literal("移动"))), ORG, "rdfs:label"),
    (
        "entity-without-provenance",
        lambda g: g.remove((PLATFORM, PROV.wasDerivedFrom, None)),
        PLATFORM,
        "prov:wasDerivedFrom",
    ),
    ("operated-by-a-place", lambda g: g.add((PROGRAM, KG.operatedBy, LIAONING)), PROGRAM, "kg:operatedBy"),
    (
        "implemented-in-an-organization",
        lambda g: g.add((PROGRAM, KG.implementedIn, ORG)),
        PROGRAM,
        "kg:implementedIn",
    ),
    ("partner-is-a-program", lambda g: g.add((PLATFORM, KG.partner, PROGRAM)), PLATFORM, "kg:partner"),
    ("part-of-a-place", lambda g: g.add((PLATFORM, KG.partOf, FUJIAN)), PLATFORM, "kg:partOf"),
    ("located-in-an-organization", lambda g: g.add((SUB, KG.locatedIn, ORG)), SUB, "kg:locatedIn"),
    ("subsidiary-of-a-place", lambda g: g.add((SUB, KG.subsidiaryOf, FUJIAN)), SUB, "kg:subsidiaryOf"),
    ("operated-by-on-a-place", lambda g: g.add((FUJIAN, KG.operatedBy, ORG)), FUJIAN, None),
    ("subsidiary-of-on-an-organization", lambda g: g.add((ORG, KG.subsidiaryOf, ORG)), ORG, None),
    ("measurement-without-value", lambda g: g.remove((MEASUREMENT, KG.value, None)), MEASUREMENT, "kg:value"),
    (
        "measurement-integer-value",
        lambda g: g.set((MEASUREMENT, KG.value, Literal("4741", datatype=XSD_INTEGER))),
        MEASUREMENT,
        "kg:value",
    ),
    (
        "measurement-ill-typed-decimal",
        lambda g: g.set((MEASUREMENT, KG.value, Literal("4千", datatype=XSD_DECIMAL))),
        MEASUREMENT,
        "kg:value",
    ),
    (
        "measurement-two-values",
        lambda g: g.add((MEASUREMENT, KG.value, Literal("1", datatype=XSD_DECIMAL))),
        MEASUREMENT,
        "kg:value",
    ),
    (
        "measurement-without-subject",
        lambda g: g.remove((MEASUREMENT, KG.subject, None)),
        MEASUREMENT,
        "kg:subject",
    ),
    (
        "measurement-about-a-place",
        lambda g: g.set((MEASUREMENT, KG.subject, FUJIAN)),
        MEASUREMENT,
        "kg:subject",
    ),
    ("measurement-two-units", lambda g: g.add((MEASUREMENT, KG.unit, Literal("个"))), MEASUREMENT, "kg:unit"),
    (
        "measurement-integer-year",
        lambda g: g.set((MEASUREMENT, KG.year, Literal(2023))),
        MEASUREMENT,
        "kg:year",
    ),
    (
        "measurement-without-provenance",
        lambda g: g.remove((MEASUREMENT, PROV.wasDerivedFrom, None)),
        MEASUREMENT,
        "prov:wasDerivedFrom",
    ),
    (
        "mention-start-after-end",
        lambda g: g.set((MENTION, KG.startOffset, Literal(9))),
        MENTION,
        "kg:startOffset",
    ),
    (
        "mention-negative-offset",
        lambda g: g.set((MENTION, KG.startOffset, Literal(-1))),
        MENTION,
        "kg:startOffset",
    ),
    (
        "mention-string-offset",
        lambda g: g.set((MENTION, KG.endOffset, Literal("4"))),
        MENTION,
        "kg:endOffset",
    ),
    (
        "mention-without-document",
        lambda g: g.remove((MENTION, KG.inDocument, None)),
        MENTION,
        "kg:inDocument",
    ),
    ("mention-without-sentence", lambda g: g.remove((MENTION, KG.sentence, None)), MENTION, "kg:sentence"),
    (
        "statement-without-provenance",
        lambda g: g.remove((STATEMENT, PROV.wasDerivedFrom, None)),
        STATEMENT,
        "prov:wasDerivedFrom",
    ),
    (
        "statement-foreign-predicate",
        lambda g: g.set((STATEMENT, RDF.predicate, RDFS.seeAlso)),
        STATEMENT,
        "rdf:predicate",
    ),
    ("statement-not-asserted", lambda g: g.remove((PROGRAM, KG.implementedIn, LIAONING)), STATEMENT, None),
]


@pytest.mark.filterwarnings("ignore:Serializing weird numerical:UserWarning")
@pytest.mark.parametrize(("name", "mutate", "focus", "path"), CASES, ids=[case[0] for case in CASES])
def test_validate_reports_violation_on_focus_node(valid, name, mutate, focus, path):
    mutate(valid)
    assert (str(focus), path) in _violations(valid)


def test_validate_warning_does_not_break_conformance(valid):
    valid.remove((SUB, KG.subsidiaryOf, None))
    report = validate_graph(valid)
    assert report.conforms
    assert [(r.severity, r.focus_node, r.path) for r in report.results] == [
        ("Warning", str(SUB), "kg:subsidiaryOf")
    ]


def test_validate_second_traditional_label_is_only_a_warning(valid):
    valid.add((PROGRAM, RDFS.label, Literal("愛心行動計劃", lang="zh-Hant")))
    report = validate_graph(valid)
    assert report.conforms
    assert [(r.severity, r.focus_node, r.path) for r in report.results] == [
        ("Warning", str(PROGRAM), "rdfs:label")
    ]


def test_validate_result_names_focus_by_simplified_label(valid):
    valid.add((PROGRAM, KG.operatedBy, LIAONING))
    [result] = validate_graph(valid).results
    assert result.focus_label == "爱心行动"
    assert result.shape == "kgsh:OperatedByShape kg:operatedBy"
    assert result.value == "kgi:place/liaoning-210000"
    line = result.to_line()
    assert line.startswith("Violation") and "爱心行动 <kgi:program/aixin-xingdong-3fa2c1>" in line
    assert "kg:operatedBy" in line and "not a kg:Organization" in line


def test_validate_counts_and_dict():
    report = validate_graph(load_graph(INVALID))
    assert report.counts_by_severity() == {"Violation": 4, "Warning": 0, "Info": 0}
    assert report.counts_by_shape()["kgsh:MeasurementShape kg:value"] == 2
    data = json.loads(json.dumps(report.to_dict()))
    assert data["conforms"] is False and len(data["results"]) == 4
    assert report.summary().startswith("conforms: no — 4 violations, 0 warnings")


def test_load_graph_missing_file(tmp_path):
    with pytest.raises(GraphError, match="no graph file"):
        load_graph(tmp_path / "nope.ttl")


def test_load_graph_malformed_turtle(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b\n", encoding="utf-8")
    with pytest.raises(GraphError, match="cannot read") as err:
        load_graph(bad)
    assert "\n" not in str(err.value)


def test_load_graph_reads_build_output_folder(tmp_path):
    (tmp_path / "graph.ttl").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(load_graph(tmp_path)) == len(load_graph(VALID))


# --- the command line ------------------------------------------------------


def test_cli_validate_conforming_graph_exits_0():
    result = CliRunner().invoke(cli, ["validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert "conforms: yes" in result.output


def test_cli_validate_violations_exit_1_one_line_each():
    result = CliRunner().invoke(cli, ["validate", str(INVALID)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    violation_lines = [line for line in lines if line.startswith("Violation")]
    assert len(violation_lines) == 4
    assert any("kgi:measurement/m2" in line and "kg:value" in line for line in violation_lines)
    assert any(line.startswith("conforms: no") for line in lines)


def test_cli_validate_json():
    result = CliRunner().invoke(cli, ["validate", str(INVALID), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["counts"]["Violation"] == 4
    assert {r["path"] for r in data["results"]} == {"rdfs:label", "kg:operatedBy", "kg:value"}


def test_cli_validate_custom_shapes(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kg: <https://w3id.org/initiative-kg/ontology#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass kg:Measurement ;\n"
        "  sh:property [ sh:path kg:unit ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(INVALID), "--shapes", str(shapes)])
    assert result.exit_code == 1
    assert "kgi:measurement/m2" in result.output and "kgi:measurement/m1" not in result.output


def test_cli_validate_unreadable_graph_is_a_graph_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all {", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert isinstance(result.exception, GraphError)


def test_main_validate_unreadable_graph_prints_one_line(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.ttl")]) == GraphError.exit_code
    err = capsys.readouterr().err
    assert err.startswith("kg: error: [E300]") and err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_validate_has_help():
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "--shapes" in result.output and "--format" in result.output
