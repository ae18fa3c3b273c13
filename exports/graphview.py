"""Turn an instance graph into a networkx view model for tables, GraphML and HTML.

The view is a :class:`networkx.MultiDiGraph` whose nodes are the entities of
the graph (keyed by IRI string) and whose edges are the ``kg:`` relations
between them (keyed by relation name). Everything is read with
``graph.triples`` index look-ups, one pass per predicate, so a graph of a few
hundred thousand triples is viewed in seconds; no SPARQL per node.

Node attributes:
    label (str): ``rdfs:label`` in Simplified Chinese (or any label).
    label_hant (str): the ``@zh-Hant`` label, ``""`` if none.
    kg_type (str): most specific ``kg:`` class, e.g. ``ProvinceLevelDivision``.
    type (str): coarse type, one of ``ORG SUBSIDIARY PLACE PROGRAM PLATFORM``.
    aliases (list[str]): ``skos:altLabel`` values, sorted.
    publishers (list[str]): labels of the publishers of the documents the
        entity's mentions are in, sorted.
    mentions (int): number of ``kg:Mention`` nodes it derives from.
    evidence (list[Evidence]): up to ``max_evidence`` sentences.
    adcode (str): the ``kg:adcode`` of a Chinese administrative division, else ``""``.
    years (list[int]): the years of the documents it was read from and of its
        figures, sorted.
    figures (list[Figure]): its ``kg:Measurement`` values, sorted by
        indicator and year (with ``figures=True``, else empty).

Graph attributes:
    document_years (dict[str, int]): document IRI -> its ``kg:year``.

Edge attributes:
    relation (str): local name of the ``kg:`` property, e.g. ``operatedBy``.
    evidence (list[Evidence]): from the reified ``rdf:Statement``.
    source (str): ``"gazetteer"`` for place hierarchy edges, else ``""``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from exports.kinds import COARSE_TYPES, RELATIONS, class_rank, local_name
from kg.script import to_simplified
from kg.vocab import GAZETTEER, KG


@dataclass(frozen=True, order=True)
class Evidence:
    """One evidence sentence.

    Attributes:
        document: Document IRI.
        start: Start offset of the mention in the original document text.
        end: End offset.
        sentence: The sentence (original text).
        title: Document title, ``""`` if unknown.
        publisher: Label of the document's publisher, ``""`` if unknown.
        page: Page of a paged source (PDF) the mention starts on, ``None``
            for text without pages (not compared: it follows from the span).
    """

    document: str
    start: int
    end: int
    sentence: str
    title: str = ""
    publisher: str = ""
    page: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, object]:
        """Return the evidence as a plain dict."""
        return asdict(self)


@dataclass(frozen=True, order=True)
class Figure:
    """One ``kg:Measurement`` of an entity.

    Attributes:
        indicator: What is counted (``kg:indicator``).
        year: The year it is for, ``0`` if not stated.
        value: The value as written in the graph (a decimal).
        unit: The unit, ``""`` if none.
        evidence: The sentence it was read from, ``None`` if unknown.
    """

    indicator: str
    year: int
    value: str
    unit: str = ""
    evidence: Evidence | None = None


def _int(value: object, default: int = -1) -> int:
    try:
        return int(value.toPython() if isinstance(value, Literal) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _page(value: object) -> int | None:
    """A ``kg:page`` value as a number, ``None`` when absent or not a positive integer."""
    page = _int(value, 0) if value is not None else 0
    return page if page > 0 else None


class GraphIndex:
    """Look-ups over one rdflib graph, each computed once and cached.

    Args:
        graph: The instance graph (ontology triples may be included).
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[URIRef, tuple[str, str]] = {}
        self._documents: dict[URIRef, tuple[str, str]] | None = None
        self._years: dict[str, int] | None = None
        self._mentions: dict[URIRef, Evidence | None] = {}

    def place_classes(self) -> set[URIRef]:
        """Return ``kg:Place`` and every class declared a subclass of it in the graph."""
        classes = {KG[name] for name, coarse in COARSE_TYPES.items() if coarse == "PLACE"}
        frontier = list(classes)
        while frontier:
            for sub in self.graph.subjects(RDFS.subClassOf, frontier.pop()):
                if isinstance(sub, URIRef) and sub not in classes:
                    classes.add(sub)
                    frontier.append(sub)
        return classes

    def entity_types(self) -> dict[URIRef, tuple[str, str]]:
        """Return entity IRI -> (most specific kg class name, coarse type)."""
        class_coarse: dict[URIRef, str] = {KG[name]: coarse for name, coarse in COARSE_TYPES.items()}
        for cls in self.place_classes():
            class_coarse.setdefault(cls, "PLACE")
        found: dict[URIRef, tuple[str, str]] = {}
        for cls, coarse in sorted(class_coarse.items()):
            name = local_name(cls)
            for entity in self.graph.subjects(RDF.type, cls):
                if not isinstance(entity, URIRef):
                    continue
                old = found.get(entity)
                if old is None or class_rank(name) > class_rank(old[0]):
                    found[entity] = (name, coarse)
        return found

    def labels(self, node: URIRef) -> tuple[str, str]:
        """Return (Simplified label, Traditional label or ``""``) of ``node``."""
        cached = self._labels.get(node)
        if cached is not None:
            return cached
        hans: list[str] = []
        hant: list[str] = []
        other: list[str] = []
        for lit in self.graph.objects(node, RDFS.label):
            if not isinstance(lit, Literal):
                continue
            lang = (lit.language or "").lower()
            if lang == "zh-hant":
                hant.append(str(lit))
            elif lang in ("zh-hans", "zh", "zh-cn"):
                hans.append(str(lit))
            else:
                other.append(str(lit))
        label = min(hans or other or hant or [local_name(node)])
        result = (label, min(hant) if hant else "")
        self._labels[node] = result
        return result

    def aliases(self, node: URIRef) -> list[str]:
        """Return the sorted, distinct ``skos:altLabel`` values of ``node``."""
        return sorted({str(lit) for lit in self.graph.objects(node, SKOS.altLabel)})

    def documents(self) -> dict[URIRef, tuple[str, str]]:
        """Return document IRI -> (title, publisher label)."""
        if self._documents is None:
            docs: dict[URIRef, tuple[str, str]] = {}
            for doc in self.graph.subjects(RDF.type, KG.Document):
                if not isinstance(doc, URIRef):
                    continue
                title = min((str(t) for t in self.graph.objects(doc, DCTERMS.title)), default="")
                pubs = sorted(self._name(p) for p in self.graph.objects(doc, KG.publisher))
                docs[doc] = (title, "、".join(pubs))
            self._documents = docs
        return self._documents

    def document_years(self) -> dict[str, int]:
        """Return document IRI (string) -> its ``kg:year``, for documents that have one."""
        if self._years is None:
            self._years = {}
            for doc in self.graph.subjects(RDF.type, KG.Document):
                year = _int(self.graph.value(doc, KG.year), 0)
                if year > 0:
                    self._years[str(doc)] = year
        return self._years

    def figures(self) -> dict[URIRef, list[Figure]]:
        """Return entity -> its measurements (``kg:subject``), each list sorted."""
        g = self.graph
        found: dict[URIRef, list[Figure]] = defaultdict(list)
        for m in g.subjects(RDF.type, KG.Measurement):
            subject, value = g.value(m, KG.subject), g.value(m, KG.value)
            if not isinstance(subject, URIRef) or value is None:
                continue
            evidence = self.evidence(m) if isinstance(m, URIRef) else []
            found[subject].append(
                Figure(
                    indicator=str(g.value(m, KG.indicator) or ""),
                    year=_int(g.value(m, KG.year), 0),
                    value=str(value),
                    unit=str(g.value(m, KG.unit) or ""),
                    evidence=evidence[0] if evidence else None,
                )
            )
        return {s: sorted(f) for s, f in found.items()}

    def _name(self, node: object) -> str:
        if isinstance(node, URIRef):
            return self.labels(node)[0]
        return str(node)

    def mention(self, node: URIRef) -> Evidence | None:
        """Return the evidence a ``kg:Mention`` node carries, ``None`` if it is not one."""
        if node in self._mentions:
            return self._mentions[node]
        g = self.graph
        doc = g.value(node, KG.inDocument)
        if doc is None:
            self._mentions[node] = None
            return None
        title, publisher = self.documents().get(doc, ("", ""))  # type: ignore[call-overload]
        ev = Evidence(
            document=str(doc),
            start=_int(g.value(node, KG.startOffset)),
            end=_int(g.value(node, KG.endOffset)),
            sentence=str(g.value(node, KG.sentence) or g.value(node, KG.anchorText) or ""),
            title=title,
            publisher=publisher,
            page=_page(g.value(node, KG.page)),
        )
        self._mentions[node] = ev
        return ev

    def evidence(self, node: URIRef) -> list[Evidence]:
        """Return the sorted evidence of every mention ``node`` was derived from."""
        found = []
        for src in self.graph.objects(node, PROV.wasDerivedFrom):
            if isinstance(src, URIRef):
                ev = self.mention(src)
                if ev is not None:
                    found.append(ev)
        return sorted(set(found))

    def statement_sources(self) -> dict[tuple[URIRef, URIRef, URIRef], list[URIRef]]:
        """Return (subject, predicate, object) -> sources of its reified statements."""
        g = self.graph
        sources: dict[tuple[URIRef, URIRef, URIRef], list[URIRef]] = defaultdict(list)
        for st in g.subjects(RDF.type, RDF.Statement):
            s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
            if s is None or p is None or o is None:
                continue
            for src in g.objects(st, PROV.wasDerivedFrom):
                sources[(s, p, o)].append(src)  # type: ignore[index]
        return sources


def _dedupe_sentences(evidence: Iterable[Evidence], limit: int) -> list[Evidence]:
    """Keep the first ``limit`` evidence items with distinct sentences."""
    if limit <= 0:
        return []
    seen: set[tuple[str, str]] = set()
    kept: list[Evidence] = []
    for ev in evidence:
        key = (ev.document, ev.sentence)
        if key in seen:
            continue
        seen.add(key)
        kept.append(ev)
        if len(kept) >= limit:
            break
    return kept


def build_view(graph: Graph, *, max_evidence: int = 3, figures: bool = True) -> nx.MultiDiGraph:
    """Build the networkx view model of ``graph``.

    Args:
        graph: An instance graph following ``ontology/README.md``.
        max_evidence: Evidence sentences kept per node and per edge.
        figures: Collect each entity's measurements (``figures``).

    Returns:
        A MultiDiGraph with nodes and edges in sorted IRI order (so the same
        graph always gives the same view); see the module docstring for the
        attributes.
    """
    index = GraphIndex(graph)
    types = index.entity_types()
    by_entity = index.figures() if figures else {}
    years = index.document_years()
    view = nx.MultiDiGraph(document_years=years)
    for entity in sorted(types):
        kg_type, coarse = types[entity]
        label, hant = index.labels(entity)
        evidence = index.evidence(entity)
        publishers = sorted({ev.publisher for ev in evidence if ev.publisher})
        found = by_entity.get(entity, [])
        dated = {years[ev.document] for ev in evidence if ev.document in years}
        dated |= {f.year for f in found if f.year}
        view.add_node(
            str(entity),
            label=label,
            label_hant=hant,
            kg_type=kg_type,
            type=coarse,
            aliases=[a for a in index.aliases(entity) if a not in (label, hant)],
            publishers=publishers,
            mentions=len(evidence),
            evidence=_dedupe_sentences(evidence, max_evidence),
            adcode=str(graph.value(entity, KG.adcode) or ""),
            years=sorted(dated),
            figures=found,
        )
    sources = index.statement_sources()
    for relation in RELATIONS:
        pred = KG[relation]
        for s, o in sorted(graph.subject_objects(pred)):
            if s not in types or o not in types or s == o:
                continue
            srcs = sources.get((s, pred, o), [])  # type: ignore[arg-type]
            evidence = sorted({ev for src in srcs if (ev := index.mention(src)) is not None})
            view.add_edge(
                str(s),
                str(o),
                key=relation,
                relation=relation,
                evidence=_dedupe_sentences(evidence, max_evidence),
                source="gazetteer" if GAZETTEER in srcs else "",
            )
    return view


def iter_measurements(graph: Graph) -> Iterator[dict[str, object]]:
    """Yield one record per ``kg:Measurement`` (and per evidence mention), sorted by IRI.

    Args:
        graph: The instance graph.

    Yields:
        Dicts with ``measurement, subject, subject_label, indicator, value,
        unit, year, document, start, end, page, sentence``.
    """
    index = GraphIndex(graph)
    g = graph
    for m in sorted(g.subjects(RDF.type, KG.Measurement)):
        subject = g.value(m, KG.subject)
        value = g.value(m, KG.value)
        year = g.value(m, KG.year)
        base = {
            "measurement": str(m),
            "subject": str(subject) if subject is not None else "",
            "subject_label": index.labels(subject)[0] if isinstance(subject, URIRef) else "",
            "indicator": str(g.value(m, KG.indicator) or ""),
            "value": str(value) if value is not None else "",
            "unit": str(g.value(m, KG.unit) or ""),
            "year": str(year) if year is not None else "",
        }
        evidence = index.evidence(m) if isinstance(m, URIRef) else []
        for ev in evidence or [None]:
            yield {
                **base,
                "document": ev.document if ev else "",
                "start": ev.start if ev else None,
                "end": ev.end if ev else None,
                "page": ev.page if ev else None,
                "sentence": ev.sentence if ev else "",
            }


def iter_relation_rows(graph: Graph) -> Iterator[dict[str, object]]:
    """Yield one record per relation and evidence mention, in sorted order.

    Args:
        graph: The instance graph.

    Yields:
        Dicts with ``head, head_label, relation, tail, tail_label, document,
        start, end, page, sentence``; a relation without evidence gives one
        row with empty evidence fields.
    """
    index = GraphIndex(graph)
    types = index.entity_types()
    sources = index.statement_sources()
    for relation in RELATIONS:
        pred = KG[relation]
        for s, o in sorted(graph.subject_objects(pred)):
            if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                continue
            if s not in types and o not in types:
                continue
            base = {
                "head": str(s),
                "head_label": index.labels(s)[0],
                "relation": relation,
                "tail": str(o),
                "tail_label": index.labels(o)[0],
            }
            srcs = sources.get((s, pred, o), [])
            evidence = sorted({ev for src in srcs if (ev := index.mention(src)) is not None})
            for ev in evidence or [None]:
                yield {
                    **base,
                    "document": ev.document if ev else ("gazetteer" if GAZETTEER in srcs else ""),
                    "start": ev.start if ev else None,
                    "end": ev.end if ev else None,
                    "page": ev.page if ev else None,
                    "sentence": ev.sentence if ev else "",
                }


def normalise_name(text: str) -> str:
    """``text`` as names are compared: no white space, lower case, Simplified script.

    Args:
        text: A name in Simplified or Traditional script.

    Returns:
        The key two spellings of the same name share (``愛心 行動`` and ``爱心行动``).
    """
    return to_simplified("".join(text.split()).lower())


def find_entities(view: nx.MultiDiGraph, name: str) -> list[str]:
    """Return the nodes whose label, Traditional label or alias equals ``name``.

    Matching ignores white space and case and converts Traditional to
    Simplified characters on both sides, so ``愛心行動`` finds ``爱心行动``.

    Args:
        view: The view model.
        name: A name in Simplified or Traditional script.

    Returns:
        Matching node IRIs in view order.
    """
    wanted = normalise_name(name)
    found = []
    for node, data in view.nodes(data=True):
        names = [data["label"], data["label_hant"], *data["aliases"]]
        if any(n and normalise_name(n) == wanted for n in names):
            found.append(node)
    return found


def close_labels(view: nx.MultiDiGraph, name: str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` labels that look like ``name`` (for "did you mean").

    Args:
        view: The view model.
        name: The name that matched nothing.
        limit: Most suggestions.

    Returns:
        Labels, best first: those containing the name, then close spellings.
    """
    import difflib

    wanted = normalise_name(name)
    by_norm: dict[str, str] = {}
    for _, data in view.nodes(data=True):
        for n in (data["label"], data["label_hant"], *data["aliases"]):
            if n:
                by_norm.setdefault(normalise_name(n), data["label"])
    containing = sorted(
        (k for k in by_norm if wanted and (wanted in k or k in wanted)), key=lambda k: (len(k), k)
    )
    close = difflib.get_close_matches(wanted, sorted(by_norm), n=limit, cutoff=0.4)
    labels: list[str] = []
    for key in [*containing, *close]:
        if by_norm[key] not in labels:
            labels.append(by_norm[key])
    return labels[:limit]
