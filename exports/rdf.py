"""Read graphs from disk and write them back as Turtle, N-Triples or JSON-LD.

Output is deterministic: the same graph gives the same bytes whatever order
its triples were added in (for graphs without blank nodes, which ``kg build``
never writes). Turtle relies on rdflib's serializer, which sorts subjects,
predicates and objects; for N-Triples and JSON-LD the triples are re-added to
a fresh in-memory graph in sorted order, and the in-memory store iterates in
insertion order.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node
from rdflib.util import guess_format

from exports.graphview import KG, KGI
from kg.atomic import write_bytes_atomic
from kg.errors import GraphError, OutputError

#: Formats :func:`export_graph` writes, with rdflib's name for each.
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}

#: Prefixes bound in every output (and the compact JSON-LD ``@context``).
PREFIXES = {
    "kg": str(KG),
    "kgi": str(KGI),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
}

_EXTRA_FORMATS = {".jsonld": "json-ld", ".json": "json-ld", ".nq": "nquads", ".ttl": "turtle"}


class LosslessTurtleSerializer(TurtleSerializer):
    """Turtle that keeps every literal's lexical form.

    rdflib writes ``"4741"^^xsd:decimal`` as the shorthand ``4741.0``, which
    parses back as a different literal; such literals are written in full.
    """

    def label(self, node: Node, position: int) -> str:  # noqa: D102 - see class docstring
        text = super().label(node, position)
        if isinstance(node, Literal) and node.datatype is not None and not text.startswith('"'):
            if text != str(node):
                return node._literal_n3(use_plain=False, qname_callback=lambda dt: self.get_pname(dt, True))
        return text


def load_graph(path: str | os.PathLike) -> Graph:
    """Read an RDF file, guessing its format from the extension.

    Args:
        path: A ``.ttl``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``/``.xml``, ``.n3`` or ``.trig`` file.

    Returns:
        The parsed graph.

    Raises:
        GraphError: If the file is missing, of an unknown format or malformed.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"cannot read graph {path}: no such file")
    fmt = _EXTRA_FORMATS.get(path.suffix.lower()) or guess_format(str(path))
    if fmt is None:
        raise GraphError(f"cannot read graph {path}: unknown extension {path.suffix!r} (try .ttl, .nt)")
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many kinds; the user needs one line
        reason = " ".join(str(err).split())[:200] or type(err).__name__
        raise GraphError(f"cannot read graph {path} as {fmt}: {reason}") from None
    return graph


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
    canon = canonical_copy(graph)
    if fmt == "nt":
        lines = canon.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if fmt == "jsonld":
        return canon.serialize(format="json-ld", context=dict(PREFIXES), indent=2, encoding="utf-8")
    stream = io.BytesIO()
    LosslessTurtleSerializer(canon).serialize(stream, encoding="utf-8")
    return stream.getvalue()


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
