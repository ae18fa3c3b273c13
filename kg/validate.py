"""Check a built graph against the SHACL shapes of ``ontology/shapes.ttl``.

Validation runs pySHACL with ``ontology/kg.ttl`` as the ontology graph and no
inference: pySHACL copies the ontology's ``rdfs:subClassOf`` triples into a
copy of the data graph, which is all SHACL's ``sh:targetClass`` and
``sh:class`` need to see a ``kg:ProvinceLevelDivision`` as a ``kg:Place``.
Running RDFS inference over the whole graph would only add time.

Warnings and infos are reported but do not stop a graph from conforming.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from exports.graphfile import load_graph
from kg.vocab import KGI, REPORT_PREFIXES, ontology_path, shapes_path

#: Order in which severities are listed (most serious first).
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, in words a reader can act on.

    Attributes:
        severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
        focus_node: The node that failed, as a full IRI (or blank node id).
        focus_label: Its Simplified Chinese ``rdfs:label`` (or any label), if any.
        path: The property path, compact (``kg:operatedBy``), if the shape has one.
        value: The offending value, compact, if the result names one.
        message: What is wrong.
        shape: The named shape the result belongs to (``kgsh:MeasurementShape``).
        constraint: The SHACL constraint component, compact (``sh:ClassConstraintComponent``).
    """

    severity: str
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str
    constraint: str

    def to_line(self) -> str:
        """Return the result as one line: severity, focus node, property, message."""
        focus = _short_iri(self.focus_node)
        if self.focus_label:
            focus = f"{self.focus_label} <{focus}>"
        else:
            focus = f"<{focus}>"
        parts = [f"{self.severity:<9}", focus]
        if self.path:
            parts.append(self.path)
        line = "  ".join(parts) + f": {self.message}"
        if self.value is not None:
            line += f" (value: {self.value})"
        return line


@dataclass
class ValidationReport:
    """The outcome of validating one graph.

    Attributes:
        conforms: True when there is no result of severity ``Violation``.
        results: Every result, sorted by severity, shape, focus node and path.
        triples: Number of triples in the validated data graph.
        report_graph: pySHACL's own ``sh:ValidationReport`` graph.
    """

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0
    report_graph: Graph | None = None

    @property
    def violations(self) -> list[ValidationResult]:
        """The results of severity ``Violation``."""
        return [r for r in self.results if r.severity == "Violation"]

    def counts_by_severity(self) -> dict[str, int]:
        """Return how many results there are of each severity (all severities listed)."""
        counts = Counter(r.severity for r in self.results)
        return {severity: counts.get(severity, 0) for severity in SEVERITIES}

    def counts_by_shape(self) -> dict[str, int]:
        """Return how many results each named shape produced, most first."""
        counts = Counter(r.shape for r in self.results)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def summary(self) -> str:
        """Return a one-line summary such as ``conforms: no — 2 violations, 1 warning``."""
        counts = self.counts_by_severity()
        words = [
            f"{counts['Violation']} violation{'s' if counts['Violation'] != 1 else ''}",
            f"{counts['Warning']} warning{'s' if counts['Warning'] != 1 else ''}",
        ]
        if counts["Info"]:
            words.append(f"{counts['Info']} info")
        verdict = "yes" if self.conforms else "no"
        return f"conforms: {verdict} — {', '.join(words)} in {self.triples} triples"

    def to_text(self) -> str:
        """Return the report as text: one line per result, then the summary and counts per shape."""
        lines = [r.to_line() for r in self.results]
        lines.append(self.summary())
        for shape, count in self.counts_by_shape().items():
            lines.append(f"  {count:>6}  {shape}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data, ready for ``json.dumps``."""
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "counts": self.counts_by_severity(),
            "by_shape": self.counts_by_shape(),
            "results": [asdict(r) for r in self.results],
        }


def validate_graph(
    data: Graph,
    shapes: Graph | str | os.PathLike | None = None,
    ontology: Graph | str | os.PathLike | None = None,
) -> ValidationReport:
    """Validate a graph against the project's SHACL shapes.

    Args:
        data: The instance graph (left unchanged: pySHACL works on a copy).
        shapes: Shapes graph or file; defaults to ``ontology/shapes.ttl``.
        ontology: Ontology graph or file mixed into the copy so that subclasses
            are seen; defaults to ``ontology/kg.ttl``.

    Returns:
        The report, with readable results and counts.

    Raises:
        GraphError: A shapes or ontology file cannot be read.
    """
    import pyshacl  # slow to import; only needed here

    shapes_graph = _as_graph(shapes if shapes is not None else shapes_path())
    ont_graph = _as_graph(ontology if ontology is not None else ontology_path())
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=ont_graph,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        inplace=False,
    )
    namespaces = _namespace_manager(shapes_graph)
    results = [
        _result(report_graph, node, data, shapes_graph, namespaces)
        for node in report_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results.extend(_unasserted_statements(data))
    order = {severity: i for i, severity in enumerate(SEVERITIES)}
    results.sort(key=lambda r: (order.get(r.severity, 9), r.focus_node, r.path or "", r.shape, r.message))
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, triples=len(data), report_graph=report_graph)


def _unasserted_statements(data: Graph) -> list[ValidationResult]:
    """Find reified relations whose triple is not asserted (a check SHACL-SPARQL makes slow)."""
    results = []
    for statement in sorted(set(data.subjects(RDF.type, RDF.Statement))):
        s = data.value(statement, RDF.subject)
        p = data.value(statement, RDF.predicate)
        o = data.value(statement, RDF.object)
        if s is None or p is None or o is None or (s, p, o) in data:
            continue  # a missing part is reported by kgsh:StatementShape
        results.append(
            ValidationResult(
                severity="Violation",
                focus_node=str(statement),
                focus_label=None,
                path=None,
                value=None,
                message="The statement's triple (rdf:subject rdf:predicate rdf:object) is not asserted.",
                shape="kgsh:StatementShape",
                constraint="kg.validate:AssertedTriple",
            )
        )
    return results


def _as_graph(source: Graph | str | os.PathLike) -> Graph:
    if isinstance(source, Graph):
        return source
    return load_graph(source)


def _namespace_manager(shapes: Graph) -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in REPORT_PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    for prefix, namespace in shapes.namespaces():
        if prefix and prefix not in REPORT_PREFIXES:
            manager.bind(prefix, namespace, override=False)
    return manager


def _result(
    report: Graph, node: Node, data: Graph, shapes: Graph, namespaces: NamespaceManager
) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    severity = report.value(node, SH.resultSeverity)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    source = report.value(node, SH.sourceShape)
    component = report.value(node, SH.sourceConstraintComponent)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    english = [str(m) for m in report.objects(node, SH.resultMessage) if getattr(m, "language", None) == "en"]
    return ValidationResult(
        severity=_compact(severity, namespaces).removeprefix("sh:") if severity else "Violation",
        focus_node=str(focus),
        focus_label=_label(data, focus),
        path=_compact_path(report, path, namespaces) if path is not None else None,
        value=_compact(value, namespaces) if value is not None else None,
        message=(english or messages or ["(no message)"])[0],
        shape=_named_shape(shapes, source, namespaces),
        constraint=_compact(component, namespaces) if component is not None else "",
    )


def _label(data: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    labels = [label for label in data.objects(node, RDFS.label) if isinstance(label, Literal)]
    if not labels:
        return None
    labels.sort(key=lambda label: (label.language != "zh-Hans", label.language or "", str(label)))
    return str(labels[0])


def _named_shape(shapes: Graph, shape: Node | None, namespaces: NamespaceManager) -> str:
    """Name a result's shape; an anonymous property shape is named by its node shape and path."""
    if shape is None:
        return "(unknown shape)"
    if isinstance(shape, URIRef):
        return _compact(shape, namespaces)
    parent = shapes.value(predicate=SH.property, object=shape)
    path = shapes.value(shape, SH.path)
    if parent is not None:
        name = _named_shape(shapes, parent, namespaces)
        return f"{name} {_compact_path(shapes, path, namespaces)}" if path is not None else name
    return "(anonymous shape)"


def _compact_path(graph: Graph, path: Node, namespaces: NamespaceManager) -> str:
    if isinstance(path, URIRef):
        return _compact(path, namespaces)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_compact(inverse, namespaces)}"
    return "(complex path)"


def _compact(node: Node, namespaces: NamespaceManager) -> str:
    if isinstance(node, URIRef):
        iri = str(node)
        # longest namespace first, so kgsh: wins over a shorter prefix of it
        for prefix, namespace in sorted(namespaces.namespaces(), key=lambda pn: -len(pn[1])):
            if prefix and iri.startswith(str(namespace)) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"
    if isinstance(node, Literal):
        return node.n3(namespaces)
    return str(node)


def _short_iri(iri: str) -> str:
    return "kgi:" + iri[len(str(KGI)) :] if iri.startswith(str(KGI)) else iri
