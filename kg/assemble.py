"""Graph assembly: resolved records -> RDF with stable IRIs and PROV-O provenance.

The graph follows ``ontology/README.md``: typed entities with labels per
script, mention nodes that point to document spans and sentences, every
relation as a direct triple plus an ``rdf:Statement`` that says where it was
read, and measurements as nodes. Everything is built from rdflib terms;
serialisation is rdflib's, and deterministic.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.extract import Evidence
from kg.iris import document_iri, entity_iri, measurement_iri, mention_iri, statement_iri
from kg.model import Document
from kg.resolve import Entity, ResolvedCorpus
from kg.vocab import KG, KGI

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
GAZETTEER = KGI["source/gazetteer"]
PUBLISHER_METADATA = KGI["source/publisher-metadata"]
#: evidence kept per entity and per relation: enough to trust a fact, bounded in size
MAX_EVIDENCE = 20
_SPACE = re.compile(r"\s+")


@functools.cache
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s").convert


def _clean(label: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", label)).strip()


def _lang_literal(text: str, lang: str = "zh-Hans") -> Literal:
    # Latin names read from a Chinese text (IDC, GSMA) are tagged too: the shapes ask
    # for exactly one @zh-Hans label per entity, whatever its characters
    return Literal(text, lang=lang)


def bind_prefixes(g: Graph) -> None:
    """Bind the prefixes users expect in Turtle output."""
    g.bind("kg", Namespace(str(KG._NS)))
    g.bind("kgi", KGI)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("rdfs", RDFS)
    g.bind("xsd", XSD)


class GraphAssembler:
    """Turn a resolved corpus into an rdflib ``Graph``.

    Args:
        place_parent: Maps a place canonical name to its parent's canonical
            name (from the gazetteer), or ``None``; used to link each place to
            its nearest ancestor that is itself in the graph.
    """

    def __init__(self, place_parent: Callable[[str], str | None] | None = None):
        self.place_parent = place_parent or (lambda name: None)
        self.graph = Graph()
        bind_prefixes(self.graph)
        self._mentions: set[URIRef] = set()

    def mention(self, ev: Evidence) -> URIRef:
        """The mention node of ``ev`` (created once)."""
        iri = mention_iri(ev.doc_id, ev.start, ev.end)
        if iri in self._mentions:
            return iri
        self._mentions.add(iri)
        g = self.graph
        g.add((iri, RDF.type, KG.Mention))
        g.add((iri, KG.inDocument, _document_iri(ev.doc_id)))
        g.add((iri, KG.startOffset, Literal(ev.start)))
        g.add((iri, KG.endOffset, Literal(ev.end)))
        g.add((iri, KG.anchorText, Literal(ev.anchor)))
        g.add((iri, KG.sentence, Literal(ev.sentence)))
        g.add((iri, KG.sentenceStart, Literal(ev.sent_start)))
        g.add((iri, KG.sentenceEnd, Literal(ev.sent_end)))
        return iri

    def add_documents(self, documents: Iterable[Document], corpus: ResolvedCorpus) -> None:
        """Add document nodes, each linked to its publisher's entity."""
        g = self.graph
        for doc in documents:
            d = _document_iri(doc.id)
            g.add((d, RDF.type, KG.Document))
            if doc.title:
                g.add((d, DCTERMS.title, Literal(doc.title)))
            if doc.source:
                g.add((d, KG.sourceFile, Literal(doc.source)))
            if doc.year:
                g.add((d, KG.year, Literal(str(doc.year), datatype=XSD.gYear)))
            if doc.script:
                g.add((d, KG.script, Literal(doc.script)))
            if doc.kind:
                g.add((d, KG.kind, Literal(doc.kind)))
            if doc.publisher:
                g.add((d, DCTERMS.identifier, Literal(doc.id)))
                pub = ("ORG", doc.publisher)
                if pub in corpus.entities:
                    g.add((d, KG.publisher, _entity_iri(*pub)))

    def add_entity(self, ent: Entity) -> URIRef:
        """Add one entity: type, labels per script, aliases, provenance."""
        g = self.graph
        iri = _entity_iri(ent.label, ent.canonical)
        g.add((iri, RDF.type, TYPE_CLASS[ent.label]))
        if ent.label == "PLACE" and ent.attrs.get("place_level") in PLACE_CLASS:
            # the specific class and kg:Place both: tools without RDFS inference still see a place
            g.add((iri, RDF.type, PLACE_CLASS[ent.attrs["place_level"]]))
        g.add((iri, RDFS.label, _lang_literal(ent.canonical)))
        t2s = _t2s()
        # the cleaned canonical (half-width brackets, no spaces) is an alternative label when it differs
        names = {_clean(a) for a in ent.aliases | {ent.canonical}} - {ent.canonical, ""}
        for a in sorted(names):
            g.add((iri, SKOS.altLabel, _lang_literal(a)))
        hant = sorted(h for h in {_clean(h) for h in ent.hant} if h and t2s(h) != h)
        if hant:
            # one @zh-Hant label, the Traditional form of the canonical name where a source wrote
            # it; the other Traditional forms (貴州省 beside 貴州) are alternative labels
            label = next((h for h in hant if t2s(h) == ent.canonical), min(hant, key=lambda h: (len(h), h)))
            g.add((iri, RDFS.label, Literal(label, lang="zh-Hant")))
            for h in hant:
                if h != label:
                    g.add((iri, SKOS.altLabel, Literal(h, lang="zh-Hant")))
        if ent.attrs.get("adcode"):
            g.add((iri, KG.adcode, Literal(str(ent.attrs["adcode"]))))
        if ent.attrs.get("wikidata"):
            g.add((iri, KG.wikidata, Literal(str(ent.attrs["wikidata"]))))
        evidence = sorted(set(ent.evidence), key=lambda e: (e.doc_id, e.start, e.end))[:MAX_EVIDENCE]
        for ev in evidence:
            g.add((iri, PROV.wasDerivedFrom, self.mention(ev)))
        if not evidence:
            g.add((iri, PROV.wasDerivedFrom, PUBLISHER_METADATA))
        return iri

    def add_relation(self, s: URIRef, p: URIRef, o: URIRef, evidence: list[Evidence] | None) -> None:
        """Add ``(s, p, o)`` and its reification with provenance."""
        g = self.graph
        g.add((s, p, o))
        st = statement_iri(s, p, o)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        if evidence:
            for ev in sorted(set(evidence), key=lambda e: (e.doc_id, e.start, e.end))[:MAX_EVIDENCE]:
                g.add((st, PROV.wasDerivedFrom, self.mention(ev)))
        else:
            g.add((st, PROV.wasDerivedFrom, GAZETTEER))

    def _sources(self) -> None:
        """Type the non-document sources that provenance may point to."""
        g = self.graph
        for src, label in (
            (GAZETTEER, "administrative divisions gazetteer (cpca, GB/T 2260)"),
            (PUBLISHER_METADATA, "document publisher metadata"),
        ):
            if (None, None, src) in g:
                g.add((src, RDF.type, PROV.Entity))
                g.add((src, RDFS.label, Literal(label, lang="en")))

    def assemble(self, corpus: ResolvedCorpus, documents: Iterable[Document]) -> Graph:
        """Build the whole graph.

        Args:
            corpus: The resolved entities, relations and measurements.
            documents: The documents they were read from.

        Returns:
            The graph (also kept as ``self.graph``).
        """
        for key in sorted(corpus.entities):
            self.add_entity(corpus.entities[key])
        for (h, rel, t), evidence in sorted(corpus.relations.items()):
            self.add_relation(_entity_iri(*h), KG[rel], _entity_iri(*t), evidence)
        self._place_hierarchy(corpus)
        for m in sorted(
            corpus.measurements, key=lambda m: (m.evidence.doc_id, m.evidence.start, m.subject, m.indicator)
        ):
            self._measurement(m)
        self.add_documents(documents, corpus)
        self._sources()
        return self.graph

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
                if (s, KG.locatedIn, o) not in self.graph:
                    self.add_relation(s, KG.locatedIn, o, None)

    def _measurement(self, m) -> None:
        g = self.graph
        subject = _entity_iri(*m.subject)
        iri = measurement_iri(
            m.subject, m.indicator, m.value, m.unit, m.year, m.evidence.doc_id, m.evidence.start
        )
        g.add((iri, RDF.type, KG.Measurement))
        g.add((iri, KG.subject, subject))
        g.add((iri, KG.value, Literal(m.value, datatype=XSD.decimal)))
        if m.unit:
            g.add((iri, KG.unit, Literal(m.unit)))
        if m.year:
            g.add((iri, KG.year, Literal(str(m.year), datatype=XSD.gYear)))
        if m.indicator:
            g.add((iri, KG.indicator, Literal(m.indicator)))
        g.add((iri, PROV.wasDerivedFrom, self.mention(m.evidence)))


def assemble_graph(
    corpus: ResolvedCorpus,
    documents: Iterable[Document],
    place_parent: Callable[[str], str | None] | None = None,
) -> Graph:
    """Assemble the RDF graph of a resolved corpus (see :class:`GraphAssembler`)."""
    return GraphAssembler(place_parent).assemble(corpus, documents)
