"""Run SPARQL over a finished graph: guard, load, run with a real deadline, cap.

One module per concern:

- :mod:`exports.sparql.guard`: refuse SPARQL Update and ``SERVICE`` before anything runs;
  one-line syntax errors;
- :mod:`exports.sparql.store`: graph files (a folder stands for its ``graph.ttl``) into an
  Oxigraph store;
- :mod:`exports.sparql.pool`: worker processes that hold the graph; a query past its deadline
  kills its worker;
- :mod:`exports.sparql.results`: serialised answers, result formats, DataFrames.

The names most callers need are importable from ``exports.sparql`` itself, with the
bundled example queries (:func:`example_queries`).
"""

from __future__ import annotations

from pathlib import Path

from exports.sparql.guard import (
    QUERY_FORMS,
    UPDATE_WORDS,
    QueryRefused,
    check_query,
    query_words,
    syntax_error,
)
from exports.sparql.pool import (
    DEFAULT_TIMEOUT_S,
    MEMORY_BYTES,
    MEMORY_TRIPLES,
    EngineBusy,
    QueryPool,
    QueryTimeout,
    run_query,
    worker_main,
)
from exports.sparql.results import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    GRAPH_FORMATS,
    PREFIXES,
    RESULT_FORMATS,
    Answer,
    AnswerCache,
    ResultTooLarge,
    execute,
    iter_triples,
    solutions_frame,
)
from exports.sparql.store import graph_files, load_store, ontology_file, rdf_format

#: Folder of the bundled example queries (``*.rq``).
QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT_S", "GRAPH_FORMATS", "MEMORY_BYTES",
    "MEMORY_TRIPLES", "PREFIXES", "QUERIES_DIR", "QUERY_FORMS", "RESULT_FORMATS", "UPDATE_WORDS", "Answer",
    "AnswerCache",
    "EngineBusy", "QueryPool", "QueryRefused", "QueryTimeout", "ResultTooLarge", "check_query",
    "example_queries", "execute", "graph_files", "iter_triples", "load_store", "ontology_file",
    "query_words", "rdf_format", "run_query", "solutions_frame", "syntax_error", "worker_main",
]


def example_queries(folder: Path = QUERIES_DIR) -> list[tuple[str, str, str]]:
    """The bundled example queries.

    Args:
        folder: Folder of ``*.rq`` files.

    Returns:
        ``(name, title, text)`` sorted by name; the title is the first ``# `` line.
    """
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first[2:].strip() if first.startswith("# ") else path.stem
        out.append((path.stem, title, text))
    return out
