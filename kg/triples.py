"""A read-only index of triples with the look-ups the views make of an rdflib ``Graph``.

``kg build`` has its graph as a list of triples when it writes ``graph.html``.
Loading them into an rdflib ``Graph`` only to read them back (its memory
store keeps three indexes, with contexts) took longer than drawing the
view; :class:`TripleIndex` keeps the two indexes the views use, in insertion
order, as an rdflib memory store orders them, so the view reads the same
values in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib.term import Node


class TripleIndex:
    """Triples indexed subject -> predicate -> objects and predicate -> object -> subjects.

    Implements the part of rdflib's ``Graph`` reading API that
    :mod:`exports.graphview` uses: :meth:`subjects`, :meth:`objects`,
    :meth:`value`, :meth:`subject_objects` and ``len``.

    Args:
        triples: ``(subject, predicate, object)`` terms; repeats are kept once.
    """

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._len = 0
        self.add_all(triples)

    def add_all(self, triples: Iterable[tuple[Node, Node, Node]]) -> TripleIndex:
        """Add triples (those already present are skipped); returns ``self``."""
        spo, pos = self._spo, self._pos
        for s, p, o in triples:
            objects = spo.setdefault(s, {}).setdefault(p, {})
            if o in objects:
                continue
            objects[o] = None
            pos.setdefault(p, {}).setdefault(o, {})[s] = None
            self._len += 1
        return self

    def __len__(self) -> int:
        return self._len

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        """Subjects of ``(?, predicate, obj)``."""
        return iter(list(self._pos.get(predicate, {}).get(obj, ())))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """Objects of ``(subject, predicate, ?)``."""
        return iter(list(self._spo.get(subject, {}).get(predicate, ())))

    def value(self, subject: Node, predicate: Node, default: Node | None = None) -> Node | None:
        """The first object of ``(subject, predicate, ?)``, ``default`` if there is none."""
        for o in self._spo.get(subject, {}).get(predicate, ()):
            return o
        return default

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """``(subject, object)`` of every triple with ``predicate``."""
        return iter([(s, o) for o, subjects in self._pos.get(predicate, {}).items() for s in subjects])
