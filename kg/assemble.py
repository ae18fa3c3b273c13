"""Graph assembly: resolved records -> RDF with stable IRIs and PROV-O provenance.

The graph follows ``ontology/README.md``: typed entities with labels per
script, mention nodes that point to document spans and sentences, every
relation as a direct triple plus an ``rdf:Statement`` that says where it was
read, and measurements as nodes. Everything is built from rdflib terms and written by
:mod:`exports.turtle`, deterministically.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.extract import Evidence, MeasurementRecord
from kg.iris import document_iri, entity_iri, measurement_iri, mention_iri, statement_iri
from kg.model import Document
from kg.resolution.text import clean_label
from kg.resolve import Entity, ResolvedCorpus, first_evidence
from kg.script import to_simplified
from kg.triples import TripleIndex
from kg.vocab import GAZETTEER, KG, PREFIXES, PUBLISHER_METADATA

# Pinyin slugs are slow (pypinyin) and the same entity and document IRIs are
# asked for once per mention, relation and figure: remember them.
_entity_iri = functools.lru_cache(maxsize=1 << 16)(entity_iri)
_document_iri = functools.lru_cache(maxsize=1 << 12)(document_iri)

TYPE_CLASS = {
    "ORG": KG.Organization,
    "SUBSIDIARY": KG.Subsidiary,
    "PROGRAM": KG.Program,
    "PLATFORM": KG.Platform,
    "PLACE": KG.Place,
}
PLACE_CLASS = {
    "country": KG.Country,
    "province": KG.ProvinceLevelDivision,
    "prefecture": KG.PrefectureLevelDivision,
    "county": KG.CountyLevelDivision,
    "township": KG.Township,
    "village": KG.Village,
    "natural": KG.NaturalArea,
}


def _lang_literal(text: str, lang: str = "zh-Hans") -> Literal:
    # Latin names read from a Chinese text (IDC, GSMA) are tagged too: the shapes ask
    # for exactly one @zh-Hans label per entity, whatever its characters
    return Literal(text, lang=lang)


def _date_literal(date: str) -> Literal:
    """A publication date as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by its precision."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth}.get(len(date), XSD.gYear)
    return Literal(date, datatype=datatype)


def bind_prefixes(g: Graph) -> None:
    """Bind the prefixes of every output (:data:`kg.vocab.PREFIXES`)."""
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, Namespace(namespace))


Triple = tuple[URIRef, URIRef, Node]


#: the terms of a mention node, looked up once (a namespace attribute is a method call; a build
#: makes one mention per piece of evidence)
_MENTION_TERMS = (
    RDF.type, KG.Mention, KG.inDocument, KG.startOffset, KG.endOffset, KG.anchorText, KG.sentence,
    KG.sentenceStart, KG.sentenceEnd, KG.page,
)


def _mention_triples(iri: URIRef, ev: Evidence) -> list[Triple]:
    a, mention, doc, start, end, anchor, sentence, s_start, s_end, page = _MENTION_TERMS
    triples = [
        (iri, a, mention),
        (iri, doc, _document_iri(ev.doc_id)),
        (iri, start, Literal(ev.start)),
        (iri, end, Literal(ev.end)),
        (iri, anchor, Literal(ev.anchor)),
        (iri, sentence, Literal(ev.sentence)),
        (iri, s_start, Literal(ev.sent_start)),
        (iri, s_end, Literal(ev.sent_end)),
    ]
    if ev.page is not None:
        triples.append((iri, page, Literal(ev.page)))
    return triples


def _measurement_triples(m: MeasurementRecord, mention: URIRef) -> tuple[URIRef, list[Triple]]:
    ev = m.evidence
    iri = measurement_iri(m.subject, m.indicator, m.value, m.unit, m.year, ev.doc_id, ev.start)
    out = [
        (iri, RDF.type, KG.Measurement),
        (iri, KG.subject, _entity_iri(*m.subject)),
        (iri, KG.value, Literal(m.value, datatype=XSD.decimal)),
        (iri, PROV.wasDerivedFrom, mention),
    ]
    if m.unit:
        out.append((iri, KG.unit, Literal(m.unit)))
    if m.year:
        out.append((iri, KG.year, Literal(str(m.year), datatype=XSD.gYear)))
    if m.indicator:
        out.append((iri, KG.indicator, Literal(m.indicator)))
    return iri, out


class GraphAssembler:
    """Turn a resolved corpus into RDF.

    The *core* of the graph (entities, relations and their reifications,
    the place hierarchy, documents, and the mentions they derive from) is
    bounded by the number of distinct entities and relations, and is held
    as a set of triples. Measurements grow with the corpus; :meth:`write`
    streams them, with their mentions, from the resolved corpus to the
    Turtle file after the core.

    Args:
        place_parent: Maps a place canonical name to its parent's canonical
            name (from the gazetteer), or ``None``; used to link each place to
            its nearest ancestor that is itself in the graph.
    """

    def __init__(self, place_parent: Callable[[str], str | None] | None = None):
        self.place_parent = place_parent or (lambda name: None)
        self.triples: set[Triple] = set()
        self._mentions: set[URIRef] = set()
        self._sources: set[URIRef] = set()
        #: the corpus of the last :meth:`assemble`, whose measurements :meth:`write` streams
        self.corpus: ResolvedCorpus | None = None
        #: measurement nodes the last :meth:`write` or :meth:`graph` produced
        self.measurements_written = 0

    def mention(self, ev: Evidence) -> URIRef:
        """The mention node of ``ev`` (created once)."""
        iri = mention_iri(ev.doc_id, ev.start, ev.end)
        if iri not in self._mentions:
            self._mentions.add(iri)
            self.triples.update(_mention_triples(iri, ev))
        return iri

    def add_documents(self, documents: Iterable[Document], corpus: ResolvedCorpus) -> None:
        """Add document nodes, each linked to its publisher's entity."""
        add = self.triples.add
        for doc in documents:
            d = _document_iri(doc.id)
            add((d, RDF.type, KG.Document))
            if doc.title:
                add((d, DCTERMS.title, Literal(doc.title)))
            if doc.source:
                add((d, KG.sourceFile, Literal(doc.source)))
            if doc.year:
                add((d, KG.year, Literal(str(doc.year), datatype=XSD.gYear)))
            if doc.script:
                add((d, KG.script, Literal(doc.script)))
            if doc.kind:
                add((d, KG.kind, Literal(doc.kind)))
            if doc.date:
                add((d, DCTERMS.issued, _date_literal(doc.date)))
            if doc.pages is not None:
                add((d, KG.pageCount, Literal(len(doc.pages))))
            if doc.publisher:
                add((d, DCTERMS.identifier, Literal(doc.id)))
                pub = ("ORG", doc.publisher)
                if pub in corpus.entities:
                    add((d, KG.publisher, _entity_iri(*pub)))

    def add_entity(self, ent: Entity) -> URIRef:
        """Add one entity: type, labels per script, aliases, provenance."""
        add = self.triples.add
        iri = _entity_iri(ent.label, ent.canonical)
        add((iri, RDF.type, TYPE_CLASS[ent.label]))
        if ent.label == "PLACE" and ent.attrs.get("place_level") in PLACE_CLASS:
            # the specific class and kg:Place both: tools without RDFS inference still see a place
            add((iri, RDF.type, PLACE_CLASS[ent.attrs["place_level"]]))
        add((iri, RDFS.label, _lang_literal(ent.canonical)))
        t2s = to_simplified
        # the cleaned canonical (half-width brackets, no spaces) is an alternative label when it differs
        names = {clean_label(a) for a in ent.aliases | {ent.canonical}} - {ent.canonical, ""}
        for a in sorted(names):
            add((iri, SKOS.altLabel, _lang_literal(a)))
        hant = sorted(h for h in {clean_label(h) for h in ent.hant} if h and t2s(h) != h)
        if hant:
            # one @zh-Hant label, the Traditional form of the canonical name where a source wrote
            # it; the other Traditional forms (貴州省 beside 貴州) are alternative labels
            label = next((h for h in hant if t2s(h) == ent.canonical), min(hant, key=lambda h: (len(h), h)))
            add((iri, RDFS.label, Literal(label, lang="zh-Hant")))
            for h in hant:
                if h != label:
                    add((iri, SKOS.altLabel, Literal(h, lang="zh-Hant")))
        if ent.attrs.get("adcode"):
            add((iri, KG.adcode, Literal(str(ent.attrs["adcode"]))))
        if ent.attrs.get("wikidata"):
            add((iri, KG.wikidata, Literal(str(ent.attrs["wikidata"]))))
        evidence = first_evidence(ent.evidence)
        for ev in evidence:
            add((iri, PROV.wasDerivedFrom, self.mention(ev)))
        if not evidence:
            add((iri, PROV.wasDerivedFrom, PUBLISHER_METADATA))
            self._sources.add(PUBLISHER_METADATA)
        return iri

    def add_relation(self, s: URIRef, p: URIRef, o: URIRef, evidence: list[Evidence] | None) -> None:
        """Add ``(s, p, o)`` and its reification with provenance."""
        add = self.triples.add
        add((s, p, o))
        st = statement_iri(s, p, o)
        add((st, RDF.type, RDF.Statement))
        add((st, RDF.subject, s))
        add((st, RDF.predicate, p))
        add((st, RDF.object, o))
        if evidence:
            for ev in first_evidence(evidence):
                add((st, PROV.wasDerivedFrom, self.mention(ev)))
        else:
            add((st, PROV.wasDerivedFrom, GAZETTEER))
            self._sources.add(GAZETTEER)

    def _add_sources(self) -> None:
        """Type the non-document sources that provenance points to."""
        for src, label in (
            (GAZETTEER, "administrative divisions gazetteer (cpca, GB/T 2260)"),
            (PUBLISHER_METADATA, "document publisher metadata"),
        ):
            if src in self._sources:
                self.triples.add((src, RDF.type, PROV.Entity))
                self.triples.add((src, RDFS.label, Literal(label, lang="en")))

    def assemble(self, corpus: ResolvedCorpus, documents: Iterable[Document]) -> GraphAssembler:
        """Build the core of the graph (everything but measurements).

        Args:
            corpus: The resolved entities, relations and measurements.
            documents: The documents they were read from.

        Returns:
            ``self``, to call :meth:`write` or :meth:`graph` on.
        """
        for key in sorted(corpus.entities):
            self.add_entity(corpus.entities[key])
        for (h, rel, t), evidence in sorted(corpus.relations.items()):
            self.add_relation(_entity_iri(*h), KG[rel], _entity_iri(*t), evidence)
        self._place_hierarchy(corpus)
        self.add_documents(documents, corpus)
        self._add_sources()
        self.corpus = corpus
        return self

    def _place_hierarchy(self, corpus: ResolvedCorpus) -> None:
        """Link each place to its nearest ancestor that is in the graph."""
        places = {k[1] for k in corpus.entities if k[0] == "PLACE"}
        for name in sorted(places):
            parent, seen = self.place_parent(name), set()
            while parent and parent not in places and parent not in seen:
                seen.add(parent)
                parent = self.place_parent(parent)
            if parent and parent in places and parent != name:
                s, o = _entity_iri("PLACE", name), _entity_iri("PLACE", parent)
                if (s, KG.locatedIn, o) not in self.triples:
                    self.add_relation(s, KG.locatedIn, o, None)

    def measurement_blocks(self) -> Iterator[tuple[URIRef, list[Triple]]]:
        """Per measurement, its node's triples and then its mention's when the core lacks it.

        Measurements come document by document, in the order of the figure in
        the text; each subject is yielded once.
        """
        self.measurements_written = 0
        if self.corpus is None:
            raise RuntimeError("assemble() a corpus first")
        for batch in self.corpus.measurements.batches():
            seen: set[URIRef] = set()  # measurement and mention IRIs carry their document
            batch.sort(key=lambda m: (m.evidence.start, m.subject, m.indicator, m.value, m.unit, m.year or 0))
            for m in batch:
                mention = mention_iri(m.evidence.doc_id, m.evidence.start, m.evidence.end)
                iri, triples = _measurement_triples(m, mention)
                if iri in seen:
                    continue
                seen.add(iri)
                self.measurements_written += 1
                yield iri, triples
                if mention not in self._mentions and mention not in seen:
                    seen.add(mention)
                    yield mention, _mention_triples(mention, m.evidence)

    def write(self, stream: BinaryIO) -> int:
        """Write the whole graph as Turtle: the core in IRI order, then the measurements.

        Args:
            stream: Binary output.

        Returns:
            The number of triples written.
        """
        from exports.turtle import TurtleWriter

        writer = TurtleWriter(stream, PREFIXES)
        writer.sorted_subjects(self.triples)
        for s, triples in self.measurement_blocks():
            writer.subject(s, [(p, o) for _, p, o in triples])
        return writer.triples

    def all_triples(self, measurements: bool = False) -> Iterator[Triple]:
        """The core's triples, then (if asked) every measurement block's, read from the spool."""
        yield from self.triples
        if measurements:
            for _, triples in self.measurement_blocks():
                yield from triples

    def graph(self, measurements: bool = False) -> Graph:
        """The graph as an rdflib ``Graph``: the core, and the measurements if asked.

        Args:
            measurements: Also add the measurement nodes (all in memory).
        """
        g = Graph()
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in self.all_triples(measurements))
        return g

    def index(self, measurements: bool = False) -> TripleIndex:
        """The graph as a :class:`~kg.triples.TripleIndex` (what the HTML view reads), faster to fill
        than an rdflib ``Graph``.

        Args:
            measurements: Also add the measurement nodes (all in memory).
        """
        return TripleIndex(self.all_triples(measurements))

    def view_index(self, max_measurements: int) -> TripleIndex:
        """The index of :meth:`index`, with the measurements only when there are at most
        ``max_measurements`` of them: one pass over the spool, given up once past the bound."""
        blocks: list[list[Triple]] = []
        for _, triples in self.measurement_blocks():
            if self.measurements_written > max_measurements:
                return TripleIndex(self.triples)
            blocks.append(triples)
        return TripleIndex(itertools.chain(self.triples, *blocks))


def assemble_graph(
    corpus: ResolvedCorpus,
    documents: Iterable[Document],
    place_parent: Callable[[str], str | None] | None = None,
) -> Graph:
    """The whole graph of a resolved corpus in memory (see :class:`GraphAssembler`)."""
    return GraphAssembler(place_parent).assemble(corpus, documents).graph(measurements=True)
