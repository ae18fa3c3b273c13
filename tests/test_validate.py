"""SHACL validation of built graphs: kg.validate and ``kg validate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, Namespace

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


def HANT(text: str) -> Literal:  # noqa: N802
    return Literal(text, lang="zh-Hant")


def HANS(text: str) -> Literal:  # noqa: N802
    return Literal(text, lang="zh-Hans")


def INTEGER(lexical: str) -> Literal:  # noqa: N802
    return Literal(lexical, datatype=XSD_INTEGER)


def DECIMAL(lexical: str) -> Literal:  # noqa: N802
    return Literal(lexical, datatype=XSD_DECIMAL)


#: (id, change, triple, violating property): ``drop`` removes every object of (s, p),
#: ``add`` adds the triple, ``set`` replaces (s, p)'s objects with o; the focus node is s
CASES: list[tuple[str, str, tuple, str | None]] = [
    ("place-subclass-without-label", "drop", (FUJIAN, RDFS.label, None), "rdfs:label"),
    ("subsidiary-without-label", "drop", (SUB, RDFS.label, None), "rdfs:label"),
    ("only-traditional-label", "set", (PROGRAM, RDFS.label, HANT("愛心行動")), "rdfs:label"),
    ("two-simplified-labels", "add", (ORG, RDFS.label, HANS("移动")), "rdfs:label"),
    ("label-without-language", "add", (ORG, RDFS.label, Literal("移动")), "rdfs:label"),
    ("entity-without-provenance", "drop", (PLATFORM, PROV.wasDerivedFrom, None), "prov:wasDerivedFrom"),
    ("operated-by-a-place", "add", (PROGRAM, KG.operatedBy, LIAONING), "kg:operatedBy"),
    ("implemented-in-an-organization", "add", (PROGRAM, KG.implementedIn, ORG), "kg:implementedIn"),
    ("partner-is-a-program", "add", (PLATFORM, KG.partner, PROGRAM), "kg:partner"),
    ("part-of-a-place", "add", (PLATFORM, KG.partOf, FUJIAN), "kg:partOf"),
    ("located-in-an-organization", "add", (SUB, KG.locatedIn, ORG), "kg:locatedIn"),
    ("subsidiary-of-a-place", "add", (SUB, KG.subsidiaryOf, FUJIAN), "kg:subsidiaryOf"),
    ("operated-by-on-a-place", "add", (FUJIAN, KG.operatedBy, ORG), None),
    ("subsidiary-of-on-an-organization", "add", (ORG, KG.subsidiaryOf, ORG), None),
    ("measurement-without-value", "drop", (MEASUREMENT, KG.value, None), "kg:value"),
    ("measurement-integer-value", "set", (MEASUREMENT, KG.value, INTEGER("4741")), "kg:value"),
    ("measurement-ill-typed-decimal", "set", (MEASUREMENT, KG.value, DECIMAL("4千")), "kg:value"),
    ("measurement-two-values", "add", (MEASUREMENT, KG.value, DECIMAL("1")), "kg:value"),
    ("measurement-without-subject", "drop", (MEASUREMENT, KG.subject, None), "kg:subject"),
    ("measurement-about-a-place", "set", (MEASUREMENT, KG.subject, FUJIAN), "kg:subject"),
    ("mention-negative-offset", "set", (MENTION, KG.startOffset, Literal(-1)), "kg:startOffset"),
    ("mention-string-offset", "set", (MENTION, KG.endOffset, Literal("4")), "kg:endOffset"),
    ("mention-without-document", "drop", (MENTION, KG.inDocument, None), "kg:inDocument"),
    ("mention-without-sentence", "drop", (MENTION, KG.sentence, None), "kg:sentence"),
    ("statement-without-provenance", "drop", (STATEMENT, PROV.wasDerivedFrom, None), "prov:wasDerivedFrom"),
    ("statement-foreign-predicate", "set", (STATEMENT, RDF.predicate, RDFS.seeAlso), "rdf:predicate"),
]


def _change(graph: Graph, change: str, triple: tuple) -> None:
    s, p, o = triple
    if change == "drop":
        graph.remove((s, p, None))
    elif change == "add":
        graph.add(triple)
    else:
        graph.set(triple)


@pytest.mark.filterwarnings("ignore:Serializing weird numerical:UserWarning")
@pytest.mark.parametrize(("name", "change", "triple", "path"), CASES, ids=[case[0] for case in CASES])
def test_validate_reports_violation_on_focus_node(valid, name, change, triple, path):
    _change(valid, change, triple)
    assert (str(triple[0]), path) in _violations(valid)


def test_validate_unasserted_statement_is_reported_on_the_statement(valid):
    valid.remove((PROGRAM, KG.implementedIn, LIAONING))
    assert (str(STATEMENT), None) in _violations(valid)


@pytest.mark.parametrize(
    ("change", "triple"),
    [
        ("drop", (SUB, KG.subsidiaryOf, None)),  # a subsidiary of nothing known
        ("add", (PROGRAM, RDFS.label, Literal("愛心行動計劃", lang="zh-Hant"))),  # a second Traditional label
    ],
    ids=["subsidiary-of-nothing", "second-traditional-label"],
)
def test_validate_warning_does_not_break_conformance(valid, change, triple):
    _change(valid, change, triple)
    report = validate_graph(valid)
    assert report.conforms
    assert [(r.severity, r.focus_node, r.path) for r in report.results] == [
        ("Warning", str(triple[0]), str(triple[1]).replace(str(KG), "kg:").replace(str(RDFS), "rdfs:"))
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
