"""Tests for exports.sparql: guard, errors, deadline, caps, and the example queries."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import rdflib

from exports import sparql
from kg.errors import GraphError, QueryError

FIXTURE = Path(__file__).parent / "fixtures" / "sparql_small.ttl"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def pool():
    with sparql.QueryPool([FIXTURE], workers=1) as p:
        yield p


@pytest.fixture(scope="module")
def rdflib_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sparql.graph_files([FIXTURE]):
        graph.parse(path)
    return graph


# ------------------------------------------------------------------ guard


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
        "# a comment\nSELECT * WHERE { ?s ?p 'SERVICE' . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "a\\"b" . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
        'SELECT * WHERE { ?s ?p """x"y""" . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
        "SELECT * WHERE { ?a ?b ?c FILTER(?a<?c) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ex:a ex:b ?c SERVICE <http://127.0.0.1:9/> {} }",
        # no space needed after a number, boolean or prefixed name: each of these reached
        # the network on pyoxigraph 0.5.13 when only whole words were checked
        "SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ex:.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE: { ?a ?b ?c } }",
        "SELECT * WHERE { {}SERVICE<http://127.0.0.1:9/>{ ?a ?b ?c } }",
        # conservatively refused: names that contain 'service' (write them as <IRI>)
        "PREFIX service: <http://example.org/>\nSELECT * WHERE { ?s service:x ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s a ex:CustomerService }",
    ],
)
def test_sparql_service_refused(query: str) -> None:
    with pytest.raises(sparql.QueryRefused, match="SERVICE"):
        sparql.check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE" }',
        "SELECT * WHERE { ?s ?p '''multi\nline service { }''' }",
        "# SERVICE <http://example.org/> in a comment\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT $SERVICE WHERE { $SERVICE ?p <http://schema.org/Service> }",
        "SELECT * WHERE { ?s ?p 'a\\'SERVICE' }",
    ],
)
def test_sparql_service_word_not_a_keyword_allowed(query: str) -> None:
    assert sparql.check_query(query) == "SELECT"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "PREFIX ex: <http://example.org/>\nDROP ALL",
        "clear default",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_sparql_update_refused(query: str, pool: sparql.QueryPool) -> None:
    with pytest.raises(sparql.QueryRefused, match="Update"):
        sparql.run_query(pool, query)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX kg: <https://w3id.org/initiative-kg/ontology#>\nASK { ?s a kg:Program }", "ASK"),
        ("BASE <http://x/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://x/>", "DESCRIBE"),
        ("SELEKT * WHERE {}", ""),
    ],
)
def test_sparql_query_form(query: str, form: str) -> None:
    assert sparql.check_query(query) == form


# ------------------------------------------------------------------ errors


def test_sparql_syntax_error_has_line_and_column(pool: sparql.QueryPool) -> None:
    query = "SELECT *\nWHERE {\n  ?s ?p ?o .\n  FILTER(?x = ) }"
    with pytest.raises(QueryError) as info:
        sparql.run_query(pool, query)
    message = str(info.value)
    assert "line 4, column 18" in message
    assert "\n" not in message
    assert "more)" in message  # long 'expected one of' lists are shortened


def test_sparql_syntax_error_message_without_position() -> None:
    err = sparql.syntax_error(SyntaxError("something odd"))
    assert str(err) == "[E400] SPARQL syntax error: something odd"


def test_sparql_missing_graph_file(tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="no graph file"):
        sparql.QueryPool([tmp_path / "nope.ttl"])


def test_sparql_bad_turtle_is_graph_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .", encoding="utf-8")
    with pytest.raises(GraphError, match="bad.ttl"):
        sparql.QueryPool([bad])


def test_sparql_unknown_extension(tmp_path: Path) -> None:
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(GraphError, match="extension"):
        sparql.graph_files([odd])


def test_sparql_folder_means_its_graph_ttl(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_bytes(FIXTURE.read_bytes())
    files = sparql.graph_files([tmp_path], ontology=False)
    assert files == [tmp_path / "graph.ttl"]


# ------------------------------------------------------------------ result kinds and caps


def test_sparql_ask_construct_select(pool: sparql.QueryPool) -> None:
    prefix = "PREFIX kg: <https://w3id.org/initiative-kg/ontology#>\n"
    assert sparql.run_query(pool, prefix + "ASK { ?s a kg:Program }") is True
    assert sparql.run_query(pool, prefix + "ASK { ?s a kg:Nothing }") is False
    triples = sparql.run_query(pool, prefix + "CONSTRUCT { ?s a kg:Program } WHERE { ?s a kg:Program }")
    assert len(triples) == 2
    frame = sparql.run_query(pool, prefix + "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Program }")
    assert frame.loc[0, "n"] == 2


def test_sparql_row_cap_truncates(pool: sparql.QueryPool) -> None:
    frame = sparql.run_query(pool, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(frame) == 5
    assert frame.attrs["truncated"] is True
    small = sparql.run_query(pool, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", max_rows=5)
    assert small.attrs["truncated"] is False


def test_sparql_byte_cap_refuses(pool: sparql.QueryPool) -> None:
    with pytest.raises(sparql.ResultTooLarge, match="byte cap"):
        sparql.run_query(pool, "SELECT * WHERE { ?s ?p ?o }", max_bytes=1000)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparql_select_formats(pool: sparql.QueryPool, fmt: str) -> None:
    answer = pool.run("SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }", fmt=fmt)
    assert answer.fmt == fmt
    assert "爱心行动" in answer.body.decode("utf-8")


# ------------------------------------------------------------------ deadline


def test_sparql_slow_query_killed_at_deadline_then_usable(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    big.write_text(
        "".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n" for i in range(3000)),
        encoding="utf-8",
    )
    with sparql.QueryPool([big], workers=1, ontology=False) as slow_pool:
        sparql.run_query(slow_pool, "ASK {}")  # wait until the worker is up
        big.unlink()  # the replacement worker reads the pool's own copy of the graph
        start = time.monotonic()
        with pytest.raises(sparql.QueryTimeout, match="timeout"):
            sparql.run_query(slow_pool, SLOW_QUERY, timeout_s=1.5)
        elapsed = time.monotonic() - start
        assert elapsed < 4.0
        frame = sparql.run_query(slow_pool, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout_s=10)
        assert frame.loc[0, "n"] == 3000


@pytest.mark.parametrize("memory_triples", [0, 1_000_000], ids=["on-disk", "in-memory"])
def test_sparql_pool_answers_alike_from_disk_and_memory(
    memory_triples: int, pool: sparql.QueryPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sparql.pool, "MEMORY_TRIPLES", memory_triples)
    query = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } ORDER BY ?s ?o"
    with sparql.QueryPool([FIXTURE], workers=1) as other:
        assert other.in_memory is bool(memory_triples)
        assert other.triples == pool.triples
        assert other.run(query).body == pool.run(query).body


# ------------------------------------------------------------------ example queries


def _normalise(frame) -> list[tuple]:
    """Rows as sorted tuples; GROUP_CONCAT lists compared as sets (their order is free)."""
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for key in sorted(record):
            value = record[key]
            if isinstance(value, float) and value != value:  # NaN (unbound) equals NaN here
                value = None
            if key in ("names", "partners") and isinstance(value, str):
                value = tuple(sorted(value.split("、")))
            cells.append((key, value))
        rows.append(tuple(cells))
    return sorted(rows, key=repr)


def _rdflib_frame(graph: rdflib.Graph, query: str):
    return sparql.solutions_frame(graph.query(query).serialize(format="json"))


EXAMPLES = {name: text for name, _title, text in sparql.example_queries()}

EXPECTED = {
    "programs_per_province": [("青海", 2), ("新疆", 1)],
    "program_places_partners": [
        ("爱心行动", "喀什", "新疆", "中国教育发展基金会"),
        ("爱心行动", "玛沁县", "青海", "中国教育发展基金会"),
        ("联通爱心助学", "西宁", "青海", ""),
    ],
    "groups_in_province": [
        ("中国移动", "和教育", "中国移动青海公司", "青海"),
        ("中国移动", "爱心行动", "中国移动", "玛沁县"),
        ("中国联通", "智慧牧场", "中国联通青海分公司", "玛沁县"),
        ("中国联通", "联通爱心助学", "中国联通", "西宁"),
    ],
    "subsidiaries_per_province": [("青海", 2), ("新疆", 1)],
    "program_figures_by_year": [
        ("爱心行动", "2022", "免费筛查儿童", 3200, "名"),
        ("爱心行动", "2023", "免费筛查儿童", 4741, "名"),
        ("爱心行动", "2023", "投入资金", 5000000, "元"),
    ],
}
COLUMNS = {
    "programs_per_province": ["provinceLabel", "programs"],
    "program_places_partners": ["programLabel", "placeLabel", "provinceLabel", "partners"],
    "groups_in_province": ["groupName", "initiativeLabel", "operatorLabel", "placeLabel"],
    "subsidiaries_per_province": ["provinceLabel", "subsidiaries"],
    "program_figures_by_year": ["programLabel", "year", "indicator", "value", "unit"],
}


def test_sparql_examples_each_start_with_a_comment() -> None:
    assert len(EXAMPLES) >= 7
    for name, title, text in sparql.example_queries():
        assert text.startswith("# "), name
        assert title and not title.startswith("#")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_sparql_example_query_same_rows_on_oxigraph_and_rdflib(
    name: str, pool: sparql.QueryPool, rdflib_graph: rdflib.Graph
) -> None:
    ours = sparql.run_query(pool, EXAMPLES[name])
    theirs = _rdflib_frame(rdflib_graph, EXAMPLES[name])
    assert len(ours) > 0
    assert list(ours.columns) == list(theirs.columns)
    assert _normalise(ours) == _normalise(theirs)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sparql_example_query_expected_rows(name: str, pool: sparql.QueryPool) -> None:
    frame = sparql.run_query(pool, EXAMPLES[name])
    rows = [tuple(r) for r in frame[COLUMNS[name]].itertuples(index=False)]
    assert sorted(rows, key=repr) == sorted(EXPECTED[name], key=repr)


@pytest.fixture(scope="module")
def bundled_engines(bundled_out: Path):
    """The freshly built bundled graph in a pool (Oxigraph) and in an rdflib graph."""
    with sparql.QueryPool([bundled_out], workers=1) as p:
        graph = rdflib.Graph()
        for path in sparql.graph_files([bundled_out]):
            graph.parse(path)
        yield p, graph


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_sparql_example_query_rows_on_the_bundled_corpus_same_in_both_engines(
    name: str, bundled_engines
) -> None:
    """Every example answers on the corpus we ship, and Oxigraph and rdflib agree.

    Not fixed rows: the graph changes with the extractors. (An example bound
    to a name the corpus lacks gave no rows in Oxigraph and one all-unbound
    row in rdflib, whose GROUP BY over no solutions yields an empty group,
    RDFLib/rdflib#3382; zero rows is what SPARQL 1.1 defines.)
    """
    pool, graph = bundled_engines
    ours = sparql.run_query(pool, EXAMPLES[name], timeout_s=120, max_rows=10**6, max_bytes=10**9)
    theirs = _rdflib_frame(graph, EXAMPLES[name])
    assert len(ours) > 0, f"{name} returns no rows on the bundled corpus"
    assert ours.notna().any(axis=1).all(), f"{name}: a row with nothing bound"
    assert list(ours.columns) == list(theirs.columns)
    assert _normalise(ours) == _normalise(theirs)


def test_sparql_example_evidence_queries(pool: sparql.QueryPool) -> None:
    entities = sparql.run_query(pool, EXAMPLES["entity_evidence"])
    aixin = entities[entities["label"] == "爱心行动"]
    assert len(aixin) == 2
    assert any("玛沁县免费筛查儿童4741名" in s for s in aixin["sentence"])
    relations = sparql.run_query(pool, EXAMPLES["relations_with_evidence"])
    assert len(relations) == 9
    partner = relations[relations["predicate"].str.endswith("#partner")]
    assert partner.iloc[0]["sentence"].startswith("爱心行动联合中国教育发展基金会")
    gazetteer = relations[relations["source"].str.endswith("source/gazetteer")]
    assert gazetteer.iloc[0]["sentence"] is None


# ------------------------------------------------------------------ kg query


def test_query_cli_table_aligns_cjk() -> None:
    import pandas as pd

    from kg.cli.query import display_width, format_table

    frame = pd.DataFrame({"name": ["中国移动青海公司", "ab", None], "n": [1, 22, 333]}, dtype=object)
    lines = format_table(frame, sparql.PREFIXES).splitlines()
    assert lines[0].startswith("name")
    starts = set()
    for line in lines[2:]:
        number = line.split()[-1]
        starts.add(display_width(line[: line.rindex(number)]) + len(number))
    assert len(starts) == 1  # numbers right-aligned in one column whatever the CJK width before them
    assert display_width("中国a") == 5


def test_query_cli_clip_counts_double_width() -> None:
    from kg.cli.query import clip, display_width

    text = "中国移动持续开展爱心行动在青海省果洛州玛沁县免费筛查儿童"
    cut = clip(text, 11)
    assert cut.endswith("…")
    assert display_width(cut) <= 11


def test_query_cli_runs_example_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["query", str(FIXTURE), "programs_per_province", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "province,provinceLabel,programs"
    assert out[1].endswith(",青海,2")


def test_query_cli_reads_rq_file_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from kg.cli import main

    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert main(["query", str(FIXTURE), str(rq), "--format", "table"]) == 0
    assert capsys.readouterr().out.strip() == "true"
    monkeypatch.setattr("sys.stdin", io.StringIO("ASK { ?s a <http://nothing> }"))
    assert main(["query", str(FIXTURE), "-", "--format", "table"]) == 0
    assert capsys.readouterr().out.strip() == "false"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p }", "line 1, column"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("DROP ALL", "read-only"),
    ],
)
def test_query_cli_errors_are_one_line(query: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["query", str(FIXTURE), query]) == QueryError.exit_code
    err = capsys.readouterr().err
    assert err.startswith("kg: error: [E400]")
    assert expected in err
    assert err.count("\n") == 1


def test_query_cli_limit_notes_truncation(capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    args = ["query", str(FIXTURE), "SELECT * WHERE { ?s ?p ?o }", "--format", "tsv", "--limit", "4"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 5
    assert "cut at 4 rows" in captured.err


def test_query_cli_construct_as_turtle(capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    query = (
        "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t . "
        "FILTER(?t = <https://w3id.org/initiative-kg/ontology#Program>) }"
    )
    assert main(["query", str(FIXTURE), query, "--format", "ttl"]) == 0
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(graph) == 2


def test_sparql_answer_cache_gives_the_answer_of_a_fresh_evaluation() -> None:
    """A read-only store's answers are kept by query, format and caps; a cached answer is the same bytes."""
    from exports.sparql import AnswerCache, execute, load_store

    store = load_store([FIXTURE])
    cache = AnswerCache()
    query = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query
    first = execute(store, query, "json", cache=cache)
    assert first.rows > 0
    again = execute(store, query, "json", cache=cache)
    assert again is first  # served from the cache
    assert execute(store, query, "csv", cache=cache).body == execute(store, query, "csv").body
    assert execute(store, query, "json", max_rows=1, cache=cache).rows == 1  # the caps are part of the key
    small = AnswerCache(max_bytes=len(first.body))
    small.put(("a",), first)
    small.put(("b",), first)  # over the budget: the least recently used goes
    assert small.get(("a",)) is None and small.get(("b",)) is first


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("SELECT * WHERE { { SELECT ?x WHERE { ?x ?p ?o } LIMIT 5 } } LIMIT 1000", 1000),
        ("select * where { ?s ?p ?o } limit 7 offset 2", 7),
        ("SELECT * { ?s ?p ?o } OFFSET 20 LIMIT 10", 10),
        ("SELECT * WHERE { ?s ?p ?o }", None),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } }", None),  # a sub-select's limit is not the answer's
        ("SELECT * WHERE { ?s ?p 'LIMIT 3' } # LIMIT 4\n", None),
    ],
)
def test_sparql_outer_limit(query: str, limit: int | None) -> None:
    from exports.sparql.guard import outer_limit

    assert outer_limit(query) == limit


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_sparql_limited_select_serialised_by_oxigraph_is_the_same_json(name: str) -> None:
    """Under its own LIMIT a SELECT is written by Oxigraph's serialiser: the same JSON as ours, row by row."""
    import json

    from exports.sparql import execute, load_store
    from exports.sparql.results import _serialise

    store = load_store([FIXTURE])
    query = EXAMPLES[name] if "LIMIT" in EXAMPLES[name] else EXAMPLES[name] + "\nLIMIT 10000"
    native = execute(store, query, "json")
    ours = _serialise(store.query(query), "json", 10**6)
    assert json.loads(native.body) == json.loads(ours.body)
    assert (native.rows, native.truncated, native.variables) == (ours.rows, False, ours.variables)
    # a row cap below the query's LIMIT still cuts the answer
    if native.rows > 1:
        capped = execute(store, query, "json", max_rows=1)
        assert capped.rows == 1 and capped.truncated
