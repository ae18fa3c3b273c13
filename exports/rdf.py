"""Write graphs as Turtle, N-Triples or JSON-LD (reading them is :mod:`exports.graphfile`).

Output is deterministic: the same graph gives the same bytes whatever order
its triples were added in (for graphs without blank nodes, which ``kg build``
never writes). Turtle comes from :mod:`exports.turtle` (the rdflib serializer
plugin ``kg-turtle``), which sorts subjects,
predicates and objects and keeps every literal's lexical form; N-Triples
lines are sorted; for JSON-LD the triples are re-added to a fresh in-memory
graph in sorted order, and the in-memory store iterates in insertion order.
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from exports.turtle import FORMAT as TURTLE_FORMAT
from kg.atomic import write_bytes_atomic
from kg.errors import OutputError
from kg.vocab import PREFIXES

#: Formats :func:`export_graph` writes, with rdflib's name for each.
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}

def canonical_copy(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with triples inserted in sorted order and our prefixes bound.

    Args:
        graph: Any rdflib graph.

    Returns:
        A new graph whose iteration order depends only on its triples.
    """
    out = Graph(bind_namespaces="none")
    for prefix, ns in sorted(PREFIXES.items()):
        out.bind(prefix, ns, override=True, replace=True)
    for triple in sorted(graph):
        out.add(triple)
    return out


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """Serialise ``graph`` deterministically.

    Args:
        graph: The graph.
        fmt: ``ttl``, ``nt`` or ``jsonld``.

    Returns:
        UTF-8 bytes.

    Raises:
        ValueError: On an unknown format.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if fmt == "jsonld":
        canon = canonical_copy(graph)
        return canon.serialize(format="json-ld", context=dict(PREFIXES), indent=2, encoding="utf-8")
    return graph.serialize(format=TURTLE_FORMAT, encoding="utf-8", prefixes=PREFIXES)


def export_graph(graph: Graph, fmt: str, out: str | os.PathLike) -> Path:
    """Write ``graph`` to ``out`` as ``fmt``, atomically.

    Args:
        graph: The graph.
        fmt: ``ttl``, ``nt`` or ``jsonld``.
        out: Destination file.

    Returns:
        The path written.

    Raises:
        OutputError: If ``out`` cannot be written.
    """
    data = serialize_graph(graph, fmt)
    out = Path(out)
    try:
        write_bytes_atomic(out, data)
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or err}") from None
    return out
