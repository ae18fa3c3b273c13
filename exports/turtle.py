"""A streaming, deterministic Turtle writer.

rdflib's Turtle serializer holds the whole graph, sorts rdflib terms with
Python comparisons and looks up a prefix for every IRI it writes; on the
bundled corpus that was most of ``kg build``'s time after extraction. This
writer renders each term once (IRIs are memoised), writes one block per
subject and never holds more than the block it is writing, so a build can
stream measurement nodes straight to the file.

Layout follows the usual Turtle style: ``@prefix`` lines, then one block
per subject, ``a`` first, predicates in IRI order, objects in the order of
their rendered text. Literals keep their exact lexical form: integers and
decimals are written bare only when the bare form reads back as the same
literal.

The writer is also an rdflib serializer plugin, :class:`TurtleSerializer`,
registered as ``kg-turtle`` (here with :func:`rdflib.plugin.register`, and
as an ``rdf.plugins.serializer`` entry point), so any rdflib graph can be
written with it: ``graph.serialize(format="kg-turtle")``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any, BinaryIO

from rdflib import Literal, URIRef, plugin
from rdflib.namespace import RDF, XSD
from rdflib.serializer import Serializer
from rdflib.term import BNode, Node

from kg.vocab import PREFIXES

#: rdflib's name for this writer
FORMAT = "kg-turtle"

_PN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_BARE = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+\Z"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    str(XSD.boolean): re.compile(r"(?:true|false)\Z"),
}
_STRING_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_STRING_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _STRING_ESCAPES})
_STRING_ESCAPES[0x7F] = "\\u007F"
# characters IRIREF forbids; written as UCHAR escapes, which read back as the same IRI
_IRI_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}
_TYPE = str(RDF.type)
_NEXT_PREDICATE = " ;\n    "


def escape_string(text: str) -> str:
    """``text`` as the body of a Turtle ``"..."`` string."""
    return text.translate(_STRING_ESCAPES)


class TurtleWriter:
    """Write Turtle blocks to a binary stream.

    Args:
        stream: Where UTF-8 bytes go.
        prefixes: Prefix -> namespace; all are declared, in prefix order,
            and used for IRIs whose local part is a plain name.
    """

    def __init__(self, stream: BinaryIO, prefixes: Mapping[str, str]):
        self.stream = stream
        self.triples = 0
        self._namespaces = sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.term = functools.lru_cache(maxsize=1 << 18)(self._term)
        stream.write(
            "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())).encode("utf-8") + b"\n"
        )

    def _iri(self, iri: str) -> str:
        for ns, prefix in self._namespaces:
            if iri.startswith(ns) and _PN_LOCAL.match(iri, len(ns)):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri.translate(_IRI_ESCAPES)}>"

    def _term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self._iri(str(node))
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return f"_:{node}"
        raise TypeError(f"cannot write {node!r} as Turtle")

    def literal(self, lit: Literal) -> str:
        """The Turtle form of ``lit``, lexical form unchanged."""
        lexical = str(lit)
        if lit.language:
            return f'"{escape_string(lexical)}"@{lit.language}'
        dt = lit.datatype
        if dt is None or dt == XSD.string:
            return f'"{escape_string(lexical)}"'
        bare = _BARE.get(str(dt))
        if bare is not None and bare.match(lexical):
            return lexical
        return f'"{escape_string(lexical)}"^^{self.term(dt)}'

    def subject(self, subject: Node, pairs: Iterable[tuple[Node, Node]]) -> None:
        """Write every ``(predicate, object)`` of ``subject`` as one block.

        Args:
            subject: The subject.
            pairs: Its predicate-object pairs; duplicates are written once.
        """
        term = self.term
        by_predicate: dict[str, set[str]] = {}
        for p, o in pairs:
            by_predicate.setdefault(str(p), set()).add(term(o))
        if not by_predicate:
            return
        lines = []
        for p in sorted(by_predicate, key=lambda p: (p != _TYPE, p)):
            objects = sorted(by_predicate[p])
            self.triples += len(objects)
            verb = "a" if p == _TYPE else term(URIRef(p))
            lines.append(f"{verb} {', '.join(objects)}")
        self.stream.write(f"{term(subject)} {_NEXT_PREDICATE.join(lines)} .\n\n".encode())

    def sorted_subjects(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Write ``triples`` as one block per subject, subjects in IRI order (blank nodes last)."""
        by_subject: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in triples:
            by_subject.setdefault(s, []).append((p, o))
        for s in sorted(by_subject, key=lambda s: (isinstance(s, BNode), str(s))):
            self.subject(s, by_subject.pop(s))


def write_turtle(
    triples: Iterable[tuple[Node, Node, Node]], stream: BinaryIO, prefixes: Mapping[str, str]
) -> int:
    """Write ``triples`` as Turtle, subjects in IRI order.

    Args:
        triples: The triples (an rdflib graph works).
        stream: Binary output.
        prefixes: Prefix -> namespace declared and used.

    Returns:
        The number of triples written (duplicates counted once).
    """
    writer = TurtleWriter(stream, prefixes)
    writer.sorted_subjects(triples)
    return writer.triples


class TurtleSerializer(Serializer):
    """:class:`TurtleWriter` as an rdflib serializer (``graph.serialize(format="kg-turtle")``).

    The prefixes are :data:`kg.vocab.PREFIXES` unless a ``prefixes`` mapping is
    passed to ``serialize``; the graph's own bindings are not used, so the bytes
    depend only on the triples.
    """

    def serialize(
        self, stream: IO[bytes], base: str | None = None, encoding: str | None = None, **args: Any
    ) -> None:
        """Write the graph to ``stream`` as UTF-8 Turtle.

        Args:
            stream: Binary output.
            base: Not used (IRIs are written in full or with a prefix).
            encoding: Must be UTF-8 (or ``None``).
            **args: ``prefixes``: prefix -> namespace to declare and use.

        Raises:
            ValueError: Another encoding was asked for.
        """
        if encoding not in (None, "utf-8", "UTF-8", "utf8"):
            raise ValueError(f"{FORMAT} writes UTF-8 only, not {encoding}")
        write_turtle(self.store, stream, args.get("prefixes") or PREFIXES)


plugin.register(FORMAT, Serializer, __name__, "TurtleSerializer")
