"""A graph's mentions as annotation tasks: the pre-annotations of Label Studio and doccano.

Every document of the graph becomes one task, or several for a long one (cut
at paragraph and sentence ends, never inside a labelled span, each at most
``max_chars`` long where the text allows; offsets re-based to the task's
text). The regions are the entity mentions (each entity's ``prov:wasDerivedFrom``
spans) and the figures (a measurement's span) of the document; a relation
is a link between the regions of its two entities nearest to the span it
was read from; a figure is linked to the nearest region of its subject
(a figure about the publisher that no span names keeps it in its meta).

The text of a document is what the offsets count in: ``DIR/texts/`` of the
build for PDF, HTML and Word files, else the files ``kg build`` read
(``inputs``, the bundled corpus when none are given); every mention is
checked against it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from exports.graphfile import graph_file
from exports.graphview import GraphIndex
from exports.kinds import RELATIONS
from kg.annotation.tasks import MEASUREMENT, SUBJECT, Link, Region, Task
from kg.errors import GraphError
from kg.gold import fold_name
from kg.iris import document_iri
from kg.readers.texts import FOLDER as TEXTS
from kg.readers.texts import file_stem
from kg.vocab import KG

#: default longest task text, in characters
MAX_CHARS = 1500
#: characters that end a sentence, and closing marks that may follow them
_SENTENCE_END = frozenset("。！？!?；;")
_CLOSERS = frozenset("”’」』）)》〉\"'")


@dataclass
class DocumentText:
    """A document of the graph with the text its offsets count in."""

    iri: str
    id: str
    text: str
    publisher: str | None = None
    year: int | None = None
    source: str | None = None


@dataclass
class Span:
    """A region of a document before it is placed in a task (offsets into the document)."""

    start: int
    end: int
    label: str
    node: str  # the entity (or the measurement) IRI
    meta: dict[str, str] = field(default_factory=dict)
    subject: str | None = None  # a figure's subject IRI


def _documents(graph: Graph) -> dict[str, dict]:
    """Document IRI -> what the graph says of it (id, source, year)."""
    out = {}
    for doc in graph.subjects(RDF.type, KG.Document):
        year = graph.value(doc, KG.year)
        out[str(doc)] = {
            "id": str(graph.value(doc, DCTERMS.identifier) or "") or None,
            "source": str(graph.value(doc, KG.sourceFile) or "") or None,
            "year": int(str(year)) if year is not None and str(year).isdigit() else None,
        }
    return out


def _kept_texts(folder: Path, docs: dict[str, dict]) -> dict[str, tuple[str, str]]:
    """Document IRI -> (id, text) of the texts a build kept in ``folder``."""
    import json

    found: dict[str, tuple[str, str]] = {}
    by_stem = {file_stem(d["id"]): iri for iri, d in docs.items() if d["id"]}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        stem = path.name[: -len(".txt")]
        pages = path.with_name(f"{stem}.pages.json")
        try:
            ident = json.loads(pages.read_text(encoding="utf-8")).get("id") if pages.is_file() else None
        except (OSError, ValueError, AttributeError):  # not what a build writes: go by the file name
            ident = None
        iri = by_stem.get(stem) or next(
            (str(document_iri(c)) for c in (ident, stem) if c and str(document_iri(c)) in docs), None
        )
        if iri in docs and iri not in found:
            with open(path, encoding="utf-8", newline="") as f:
                found[iri] = (docs[iri]["id"] or ident or stem, f.read())
    return found


def document_texts(
    graph_path: str | os.PathLike, graph: Graph, inputs: Sequence[str] = ()
) -> list[DocumentText]:
    """Every document of the graph with its text, in document id order.

    Args:
        graph_path: The graph file or ``kg build`` folder (its ``texts/`` is read).
        graph: The parsed graph.
        inputs: The files ``kg build`` read (for documents whose text it did not keep); none:
            the bundled corpus.

    Raises:
        GraphError: A document's text is found nowhere.
    """
    from kg.documents import bundled_corpus, read_inputs

    docs = _documents(graph)
    publishers = {iri: pub for iri, (_, pub) in GraphIndex(graph).documents().items()}
    out: dict[str, DocumentText] = {}
    folder = graph_file(graph_path).parent
    for iri, (ident, text) in _kept_texts(folder / TEXTS, docs).items():
        d = docs[iri]
        out[iri] = DocumentText(iri, ident, text, publishers.get(URIRef(iri)) or None, d["year"], d["source"])
    # no inputs: the graph may be of the bundled corpus, as `kg build` without INPUT builds it
    for doc in read_inputs(list(inputs), exclude=[folder]) if inputs else bundled_corpus():
        iri = str(document_iri(doc.id))
        if iri in docs and iri not in out:
            out[iri] = DocumentText(iri, doc.id, doc.text, doc.publisher, doc.year, doc.source)
    missing = sorted(set(docs) - set(out))
    if missing:
        d = docs[missing[0]]
        name = d["id"] or d["source"] or missing[0]
        raise GraphError(
            f"no text for document {name!r} ({len(missing)} of {len(docs)} without one): "
            "give the files kg build read with --input"
        )
    return sorted(out.values(), key=lambda d: d.id)


def _names(graph: Graph, node: URIRef) -> set[str]:
    return {fold_name(str(n)) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(node, p)}


def _mention(graph: Graph, node: object) -> tuple[str, int, int, str] | None:
    """``(document IRI, start, end, anchor text)`` of a mention node, ``None`` for other sources."""
    doc = graph.value(node, KG.inDocument) if isinstance(node, URIRef) else None
    if doc is None:
        return None
    start, end = graph.value(node, KG.startOffset), graph.value(node, KG.endOffset)
    return str(doc), int(start), int(end), str(graph.value(node, KG.anchorText) or "")


def entity_spans(graph: Graph, index: GraphIndex) -> dict[str, list[tuple[Span, str]]]:
    """Document IRI -> (region, anchor text) of every entity mention."""
    out: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for entity, (_, coarse) in sorted(index.entity_types().items()):
        canonical, names = index.labels(entity)[0], _names(graph, entity)
        for src in sorted(graph.objects(entity, PROV.wasDerivedFrom)):
            found = _mention(graph, src)
            if found is None:
                continue
            doc, start, end, anchor = found
            meta: dict[str, str] = {}
            if fold_name(anchor) != fold_name(canonical):
                meta = {"canonical": canonical, "mention": anchor}
                if fold_name(anchor) not in names and fold_name(canonical) not in fold_name(anchor):
                    meta["reference"] = "yes"  # 公司, 我们: the publisher, not one of its names
            out[doc].append((Span(start, end, coarse, str(entity), meta), anchor))
    return out


def figure_spans(graph: Graph, index: GraphIndex) -> dict[str, list[tuple[Span, str]]]:
    """Document IRI -> (region, anchor text) of every measurement's figure."""
    out: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for m in sorted(graph.subjects(RDF.type, KG.Measurement)):
        subject = graph.value(m, KG.subject)
        for src in sorted(graph.objects(m, PROV.wasDerivedFrom)):
            found = _mention(graph, src)
            if found is None or not isinstance(subject, URIRef):
                continue
            doc, start, end, anchor = found
            meta = {
                "subject": index.labels(subject)[0],
                "value": str(graph.value(m, KG.value) or ""),
                "unit": str(graph.value(m, KG.unit) or ""),
                "year": str(graph.value(m, KG.year) or ""),
                "indicator": str(graph.value(m, KG.indicator) or ""),
                "mention": anchor,
            }
            out[doc].append((Span(start, end, MEASUREMENT, str(m), meta, str(subject)), anchor))
    return out


def relation_spans(graph: Graph, index: GraphIndex) -> dict[str, list[tuple[str, str, str, int, int]]]:
    """Document IRI -> ``(head IRI, relation, tail IRI, start, end)`` of every relation read in it."""
    out: dict[str, list[tuple[str, str, str, int, int]]] = defaultdict(list)
    sources = index.statement_sources()
    for relation in RELATIONS:
        for s, o in sorted(graph.subject_objects(KG[relation])):
            for src in sorted(sources.get((s, KG[relation], o), [])):
                found = _mention(graph, src)
                if found is not None:  # the gazetteer's place hierarchy is no reading of the text
                    doc, start, end, _ = found
                    out[doc].append((str(s), relation, str(o), start, end))
    return out


def _is_sentence_cut(text: str, i: int) -> bool:
    if i < len(text) and text[i] in _CLOSERS:
        return False
    j = i - 1
    while j >= 0 and text[j] in _CLOSERS:
        j -= 1
    return j >= 0 and text[j] in _SENTENCE_END


def _cut(text: str, start: int, limit: int, inside: bytearray) -> int:
    """Where to end the passage starting at ``start``: a paragraph end in the second half of the
    window, else a sentence end, else any place outside a span (at most ``limit``)."""
    sentence = anywhere = None
    for i in range(limit, start, -1):
        if inside[i]:
            continue
        if text[i - 1] == "\n" and i > (start + limit) // 2:
            return i
        if sentence is None and _is_sentence_cut(text, i):
            sentence = i
        if anywhere is None:
            anywhere = i
    if sentence is not None:
        return sentence
    if anywhere is not None:
        return anywhere
    return next((i for i in range(limit + 1, len(text)) if not inside[i]), len(text))


def passage_bounds(
    text: str, spans: Sequence[tuple[int, int]], max_chars: int = MAX_CHARS
) -> list[tuple[int, int]]:
    """``(start, end)`` of the passages of ``text``: each at most ``max_chars`` where the text allows,
    cut at paragraph and sentence ends and never inside one of ``spans``; white space between
    passages and blank passages are left out."""
    n = len(text)
    inside = bytearray(n + 1)
    for s, e in spans:
        inside[s + 1 : e] = b"\x01" * max(0, e - s - 1)
    bounds: list[tuple[int, int]] = []
    start = 0
    while True:
        while start < n and text[start].isspace() and not inside[start + 1]:  # never into a span
            start += 1
        if start >= n:
            return bounds
        end = n if n - start <= max_chars else _cut(text, start, start + max_chars, inside)
        bounds.append((start, end))
        start = end


def _nearest(regions: list[tuple[Span, Region]], node: str, start: int, end: int) -> Region | None:
    """The region of ``node`` nearest to ``[start, end)`` (inside it first), ``None`` if it has none."""
    best = [(max(0, r.start - end, start - r.end), r.start, r.id) for sp, r in regions if sp.node == node]
    if not best:
        return None
    chosen = min(best)[2]
    return next(r for _, r in regions if r.id == chosen)


def _checked(doc: DocumentText, found: list[tuple[Span, str]]) -> list[Span]:
    """The spans of ``doc`` (empty ones left out), each checked against its text."""
    out = []
    for span, anchor in found:
        if span.end <= span.start:
            continue
        actual = doc.text[span.start : span.end]
        if actual != anchor:
            raise GraphError(
                f"document {doc.id!r}: the graph's mention at {span.start}-{span.end} reads {anchor!r} "
                f"but the text has {actual!r} there (is it the text kg build read?)"
            )
        out.append(span)
    return out


def _regions(doc: DocumentText, spans: list[Span], a: int, b: int) -> list[tuple[Span, Region]]:
    """The regions of the passage ``[a, b)`` of ``doc``: figures only where their subject has one
    or is the publisher (公司累计捐赠…, which names no span)."""
    inside = [s for s in spans if a <= s.start and s.end <= b]
    entities = {s.node for s in inside if s.label != MEASUREMENT}
    publisher = fold_name(doc.publisher or "")

    def shown(s: Span) -> bool:
        return s.label != MEASUREMENT or s.subject in entities or fold_name(s.meta["subject"]) == publisher

    kept = [s for s in inside if shown(s)]
    kept.sort(key=lambda s: (s.start, s.end, s.label, s.node))
    return [
        (s, Region(f"r{n}", s.start - a, s.end - a, s.label, doc.text[s.start : s.end], dict(s.meta)))
        for n, s in enumerate(kept, start=1)
    ]


def _links(placed: list[tuple[Span, Region]], relations: list, a: int, b: int) -> list[Link]:
    entities = [(s, r) for s, r in placed if s.label != MEASUREMENT]
    links: list[Link] = []
    for s, r in placed:
        if s.label == MEASUREMENT and s.subject:
            subject = _nearest(entities, s.subject, r.start, r.end)
            if subject is not None:
                links.append(Link(r.id, subject.id, SUBJECT))
    for head, relation, tail, start, end in relations:
        if not a <= start < b:
            continue
        h = _nearest(entities, head, start - a, end - a)
        t = _nearest(entities, tail, start - a, end - a)
        if h is not None and t is not None and h.id != t.id:
            links.append(Link(h.id, t.id, relation))
    return list(dict.fromkeys(links))


def graph_tasks(graph: Graph, texts: Sequence[DocumentText], max_chars: int = MAX_CHARS) -> list[Task]:
    """The annotation tasks of a graph's documents, pre-annotated with what the graph holds.

    Args:
        graph: The instance graph.
        texts: Its documents with their texts (:func:`document_texts`).
        max_chars: Longest task text where the text allows.

    Returns:
        The tasks, document by document, passages in text order.

    Raises:
        GraphError: A mention does not match the text given for its document.
    """
    index = GraphIndex(graph)
    entity, figure, relation = (
        entity_spans(graph, index),
        figure_spans(graph, index),
        relation_spans(graph, index),
    )
    tasks = []
    for doc in texts:
        spans = _checked(doc, [*entity.get(doc.iri, []), *figure.get(doc.iri, [])])
        bounds = passage_bounds(doc.text, [(s.start, s.end) for s in spans], max_chars)
        for k, (a, b) in enumerate(bounds, start=1):
            placed = _regions(doc, spans, a, b)
            tasks.append(
                Task(
                    id=doc.id if len(bounds) == 1 else f"{doc.id}#{k}",
                    text=doc.text[a:b],
                    document=doc.id,
                    offset=a,
                    publisher=doc.publisher,
                    year=doc.year,
                    source=doc.source,
                    regions=[r for _, r in placed],
                    links=_links(placed, sorted(relation.get(doc.iri, [])), a, b),
                )
            )
    return tasks
