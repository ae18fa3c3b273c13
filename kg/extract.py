"""From one document to plain extraction records with provenance.

:func:`extract_document` is the unit of work that runs in a worker process,
on a Dask cluster, or from the cache: it takes a :class:`~kg.model.Document`
and returns a :class:`DocumentExtraction` of plain, picklable records whose
offsets point into the document's original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

from extractors import init_doc
from kg.model import Document, Mention, Segment
from kg.readers import page_of
from kg.textprep import prepare


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: document, span and sentence in the original text.

    ``page`` is the 1-based page of ``start`` for documents with pages (PDFs),
    ``None`` otherwise.
    """

    doc_id: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    anchor: str
    sentence: str
    page: int | None = None


@dataclass
class EntityRecord:
    """One entity mention, resolved to its ``(label, canonical)`` key."""

    label: str
    canonical: str
    surface: str
    original: str
    aliases: tuple[str, ...]
    attrs: dict
    implicit: bool
    evidence: Evidence

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.canonical)


@dataclass
class RelationRecord:
    """A relation between two entity keys."""

    head: tuple[str, str]
    relation: str
    tail: tuple[str, str]
    rule: str
    evidence: Evidence


@dataclass
class MeasurementRecord:
    """A figure about an entity key."""

    subject: tuple[str, str]
    value: str
    unit: str
    year: int | None
    indicator: str
    evidence: Evidence


@dataclass
class DocumentExtraction:
    """Everything read from one document."""

    document: Document
    entities: list[EntityRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    measurements: list[MeasurementRecord] = field(default_factory=list)
    segments: int = 0


def _evidence(
    doc: Document, seg: Segment, start: int, end: int, sent: tuple[int, int] | None = None
) -> Evidence:
    s_start, s_end = sent if sent is not None else seg.sentence_of(start)
    o_start, o_end = seg.source_span(start, end)
    os_start, os_end = seg.source_span(s_start, max(s_end, s_start + 1) if s_end > s_start else s_start)
    os_start, os_end = min(os_start, o_start), max(os_end, o_end)
    return Evidence(
        doc_id=doc.id,
        start=o_start,
        end=o_end,
        sent_start=os_start,
        sent_end=os_end,
        anchor=doc.text[o_start:o_end],
        sentence=doc.text[os_start:os_end].strip(),
        page=page_of(doc.pages, o_start),
    )


def _entity(doc: Document, seg: Segment, m: Mention) -> EntityRecord:
    ev = _evidence(doc, seg, m.start, max(m.end, m.start))
    return EntityRecord(
        label=m.label,
        canonical=m.canonical,
        surface=m.surface,
        original=ev.anchor if not m.implicit else "",
        aliases=tuple(m.aliases),
        attrs=dict(m.attrs),
        implicit=m.implicit,
        evidence=ev,
    )


@dataclass
class SegmentExtraction:
    """The records of one segment, before they are merged into their document.

    ``entities`` pairs each record with ``only_if_new``: an entity that is not
    a mention of the segment itself (the head of a relation, the subject of a
    figure) is kept only when its key has not been seen earlier in the
    document. Keeping that decision for the merge lets segments of one
    document run in different workers and still give the records of a
    single pass.
    """

    entities: list[tuple[EntityRecord, bool]] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    measurements: list[MeasurementRecord] = field(default_factory=list)


def extract_segments(nlp: Language, doc: Document, segments: Sequence[Segment]) -> list[SegmentExtraction]:
    """Run the pipeline over some segments of ``doc``.

    Args:
        nlp: The pipeline of :func:`kg.pipeline.build_nlp`.
        doc: The document the segments were prepared from.
        segments: Consecutive segments of ``prepare(doc)`` (all or a slice).

    Returns:
        One :class:`SegmentExtraction` per segment, in order; combine them
        with :func:`merge_segments`.
    """
    pipeline = [proc for _, proc in nlp.pipeline]
    out = []
    for seg in segments:
        sdoc = nlp.make_doc(seg.text)
        init_doc(
            sdoc,
            {
                "publisher": doc.publisher,
                "year": seg.year or doc.year,
                "doc_id": doc.id,
                "title": seg.title,
                "sentences": list(seg.sentences),
            },
        )
        for proc in pipeline:
            sdoc = proc(sdoc)
        part = SegmentExtraction()
        known = set()
        for m in sdoc._.kg_mentions:
            part.entities.append((_entity(doc, seg, m), False))
            known.add(m.key)
        for r in sdoc._.kg_relations or []:
            for m in (r.head, r.tail):
                if m.key not in known:  # e.g. a group named only through its branch
                    part.entities.append((_entity(doc, seg, m), True))
                    known.add(m.key)
            ev = _evidence(doc, seg, r.start, r.end, (r.start, r.end))
            part.relations.append(RelationRecord(r.head.key, r.relation, r.tail.key, r.rule, ev))
        for x in sdoc._.kg_measurements or []:
            if x.subject.key not in known:
                part.entities.append((_entity(doc, seg, x.subject), True))
                known.add(x.subject.key)
            ev = _evidence(doc, seg, x.start, x.end)
            rec = MeasurementRecord(x.subject.key, x.value, x.unit, x.year, x.indicator, ev)
            part.measurements.append(rec)
        out.append(part)
    return out


def merge_segments(doc: Document, parts: Iterable[SegmentExtraction], segments: int) -> DocumentExtraction:
    """Combine the segment results of ``doc``, in segment order, into its extraction.

    Args:
        doc: The document.
        parts: The :class:`SegmentExtraction` of every segment, in order.
        segments: Number of segments of the document.

    Returns:
        The same records as one pass over the whole document.
    """
    out = DocumentExtraction(document=doc, segments=segments)
    known: set[tuple[str, str]] = set()
    for part in parts:
        for rec, only_if_new in part.entities:
            if only_if_new and rec.key in known:
                continue
            out.entities.append(rec)
            known.add(rec.key)
        out.relations.extend(part.relations)
        out.measurements.extend(part.measurements)
    return out


def extract_document(nlp: Language, doc: Document) -> DocumentExtraction:
    """Run the pipeline over every segment of ``doc``.

    Args:
        nlp: The pipeline of :func:`kg.pipeline.build_nlp`.
        doc: The document, as read.

    Returns:
        The records of all segments, offsets mapped to ``doc.text``.
    """
    segments = prepare(doc)
    return merge_segments(doc, extract_segments(nlp, doc, segments), len(segments))
