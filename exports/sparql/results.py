"""Query results: run one query on a store, serialise it, and read it back as Python values.

:func:`execute` guards, runs and serialises a query in this process (the
worker processes of :mod:`exports.sparql.pool` call it); :class:`Answer` is
what leaves a worker; :func:`solutions_frame` and :func:`iter_triples` turn
serialised results into a DataFrame or triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from exports.sparql.guard import check_query, outer_limit, syntax_error
from kg.errors import QueryError
from kg.vocab import QUERY_PREFIXES as PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 20_000_000

#: Result formats by short name: SELECT/ASK results and CONSTRUCT/DESCRIBE graphs.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class ResultTooLarge(QueryError):
    """A result bigger than the byte cap."""


@dataclass
class Answer:
    """A serialised query result as it leaves a worker.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        fmt: Short format name (``json``, ``csv``, ``ttl``, ...).
        body: The serialised bytes.
        rows: Solutions or triples written.
        truncated: ``True`` when the row cap cut the result.
        variables: SELECT variables, in order.
    """

    form: str
    fmt: str
    body: bytes
    rows: int = 0
    truncated: bool = False
    variables: list[str] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        """The body's media type."""
        if self.fmt in RESULT_FORMATS:
            return RESULT_FORMATS[self.fmt].media_type
        return GRAPH_FORMATS[self.fmt].media_type


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


class AnswerCache:
    """Serialised answers of a store that never changes, by query text, format and caps (least recently
    used dropped first past ``max_bytes`` of answers in total).

    A graph served by ``kg serve`` is read-only (updates are refused before
    they run), so an answer stays true for the life of the store: a query
    asked again (the query page's examples, the explorer's evidence panel)
    is answered without being evaluated again.
    """

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self.size = 0
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()

    def get(self, key: tuple) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes or key in self._answers:
            return
        self._answers[key] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            _, old = self._answers.popitem(last=False)
            self.size -= len(old.body)


def execute(store: ox.Store, query: str, fmt: str | None = None, max_rows: int = DEFAULT_MAX_ROWS,
            max_bytes: int = DEFAULT_MAX_BYTES, cache: AnswerCache | None = None) -> Answer:
    """Guard, run and serialise one query in this process (no deadline).

    Args:
        store: The store to query.
        query: SPARQL text.
        fmt: Short format name; ``None`` picks JSON for SELECT/ASK, Turtle otherwise.
        max_rows: Keep at most this many solutions or triples.
        max_bytes: Refuse results bigger than this.
        cache: Answers of earlier queries of ``store``, which must not change while the cache is
            used (``kg serve``'s read-only graph); ``None``: evaluate every time.

    Returns:
        The serialised answer.

    Raises:
        QueryError: Refused, malformed, failed or too large.
    """
    key = (query, fmt, max_rows, max_bytes)
    answer = cache.get(key) if cache is not None else None
    if answer is None:
        answer = _execute(store, query, fmt, max_rows, max_bytes)
        if cache is not None:
            cache.put(key, answer)
    return answer


def _execute(store: ox.Store, query: str, fmt: str | None, max_rows: int, max_bytes: int) -> Answer:
    form = check_query(query)
    try:
        result = store.query(query)
    except SyntaxError as err:
        raise syntax_error(err) from None
    except OSError as err:
        raise QueryError(f"query failed: {' '.join(str(err).split())}") from None
    limit = outer_limit(query) if form == "SELECT" else None
    try:
        if limit is not None and limit <= max_rows and (fmt or "json") == "json":
            answer = _serialise_native(result)
        else:
            answer = _serialise(result, fmt, max_rows)
    except (OSError, ValueError) as err:
        raise QueryError(f"query failed: {' '.join(str(err).split())}") from None
    if len(answer.body) > max_bytes:
        raise ResultTooLarge(
            f"result is {len(answer.body)} bytes, over the {max_bytes}-byte cap; add a LIMIT"
        )
    return answer


def _serialise_native(result: Any) -> Answer:
    """SELECT solutions that no row cap can cut (the query's own LIMIT is lower), as JSON by Oxigraph.

    The same JSON as :func:`_serialise` writes (tested), written in Rust without a
    Python object per term: about 4 ms for 1,000 evidence rows against 16.
    """
    names = [v.value for v in result.variables]
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    rows = len(json.loads(body)["results"]["bindings"])
    return Answer("SELECT", "json", body, rows, False, names)


def _serialise(result: Any, fmt: str | None, max_rows: int) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt if fmt in RESULT_FORMATS else "json"
        return Answer("ASK", fmt, result.serialize(format=RESULT_FORMATS[fmt]), rows=1)
    if isinstance(result, ox.QuerySolutions):
        fmt = fmt if fmt in RESULT_FORMATS else "json"
        names = [v.value for v in result.variables]
        bindings, truncated = [], False
        terms: dict[Any, dict[str, Any]] = {}  # rows repeat entities and documents: render each once
        for solution in result:
            if len(bindings) >= max_rows:
                truncated = True
                break
            row = {}
            for name, term in zip(names, solution, strict=True):
                if term is not None:
                    row[name] = terms.get(term) or terms.setdefault(term, _json_term(term))
            bindings.append(row)
        body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
        if fmt != "json":
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            body = parsed.serialize(format=RESULT_FORMATS[fmt])
        return Answer("SELECT", fmt, body, len(bindings), truncated, names)
    fmt = fmt if fmt in GRAPH_FORMATS else "ttl"
    triples, truncated = [], False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
    return Answer("CONSTRUCT", fmt, body, len(triples), truncated)


def _cell(term: dict[str, Any] | None) -> Any:
    if term is None:
        return None
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "triple":
        v = term["value"]
        return f"<< {_cell(v['subject'])} {_cell(v['predicate'])} {_cell(v['object'])} >>"
    datatype = term.get("datatype", "")
    if datatype in (PREFIXES["xsd"] + "integer", PREFIXES["xsd"] + "int", PREFIXES["xsd"] + "long"):
        try:
            return int(term["value"])
        except ValueError:
            return term["value"]
    if datatype in (PREFIXES["xsd"] + "decimal", PREFIXES["xsd"] + "double", PREFIXES["xsd"] + "float"):
        try:
            number = float(term["value"])
        except ValueError:
            return term["value"]
        return int(number) if datatype.endswith("decimal") and number.is_integer() else number
    return term["value"]


def solutions_frame(body: bytes) -> pd.DataFrame:
    """SPARQL JSON results as a DataFrame of plain values.

    IRIs and literals become their string value, numeric literals become
    numbers, blank nodes ``_:id``, unbound cells ``None``.

    Args:
        body: ``application/sparql-results+json`` bytes.

    Returns:
        One column per variable.
    """
    import pandas as pd

    data = json.loads(body)
    names = data["head"].get("vars", [])
    rows = [[_cell(b.get(n)) for n in names] for b in data["results"]["bindings"]]
    return pd.DataFrame(rows, columns=names, dtype=object)


def iter_triples(body: bytes) -> Iterator[ox.Triple]:
    """Parse N-Triples bytes into triples."""
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        yield quad.triple
