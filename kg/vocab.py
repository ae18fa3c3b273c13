"""The initiative-kg vocabulary: namespaces, prefixes, and where the ontology files live.

This is the one place the project's namespaces and prefixes are defined;
:mod:`kg` and :mod:`exports` import them from here. ``KG`` lists every term
that ``ontology/kg.ttl`` defines (a test keeps the two in step), so a typo
such as ``KG.operatedby`` raises instead of writing a predicate no ontology
knows. ``KGI`` is the base of instance IRIs.

The prefix tables are plain strings and the rdflib terms (``KG``, ``KGI``,
``KGSH``, ``GAZETTEER``, ``PUBLISHER_METADATA``) are made on first use, so a
module that needs only prefixes (``kg query``, the SPARQL workers, which run
on pyoxigraph) does not import rdflib.
"""

from __future__ import annotations

import functools
import importlib.util
from importlib.resources import files
from pathlib import Path
from typing import Any

#: The ontology's namespace (``KG``).
KG_IRI = "https://w3id.org/initiative-kg/ontology#"
#: Base of every instance IRI the builder mints (entities, documents, mentions, ...) (``KGI``).
KGI_IRI = "https://w3id.org/initiative-kg/id/"
#: Namespace of the SHACL shapes in ``ontology/shapes.ttl`` (``KGSH``).
KGSH_IRI = "https://w3id.org/initiative-kg/shapes#"

#: Every prefix the project writes or reads, prefix -> namespace IRI.
NAMESPACES: dict[str, str] = {
    "kg": KG_IRI,
    "kgi": KGI_IRI,
    "kgsh": KGSH_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def _prefixes(*names: str) -> dict[str, str]:
    return {name: NAMESPACES[name] for name in names}


#: Prefixes bound in every graph the project writes (and the compact JSON-LD ``@context``).
PREFIXES: dict[str, str] = _prefixes("kg", "kgi", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd")

#: Prefixes of SPARQL results (CONSTRUCT output, compacted IRIs): those of the graph and ``owl``.
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, **_prefixes("owl")}

#: Prefixes of validation reports: those of the graph and of the shapes (``kgsh``, ``sh``).
REPORT_PREFIXES: dict[str, str] = {**PREFIXES, **_prefixes("kgsh", "sh")}


def _kg_namespace() -> type:
    """The ``KG`` namespace class (imports rdflib)."""
    from rdflib.namespace import DefinedNamespace, Namespace
    from rdflib.term import URIRef

    class KG(DefinedNamespace):
        """initiative-kg ontology (``ontology/kg.ttl``).

        Organisations, subsidiaries, places, programs, platforms and measurements
        read from Chinese corporate sustainability texts, with provenance back to
        character spans of documents.
        """

        _fail = True
        _NS = Namespace(KG_IRI)

        # owl:Class — entities
        Organization: URIRef  # A named organisation (group, government body, foundation, company, school).
        Subsidiary: URIRef  # A branch, subsidiary, business unit or institute; subClassOf Organization.
        Place: URIRef  # A named geographic place.
        Country: URIRef  # A country; subClassOf Place.
        ProvinceLevelDivision: URIRef  # Province, autonomous region, municipality, SAR; subClassOf Place.
        PrefectureLevelDivision: URIRef  # Prefecture-level city, prefecture, autonomous prefecture, league.
        CountyLevelDivision: URIRef  # County, county-level city, district, banner.
        Township: URIRef  # Town, township, subdistrict.
        Village: URIRef  # Village or residential community.
        NaturalArea: URIRef  # Named desert, mountain, source region, nature reserve.
        Program: URIRef  # A named initiative, program, project, campaign, plan.
        Platform: URIRef  # A named digital platform, system, product, service or app.
        Measurement: URIRef  # A number tied to an entity.

        # owl:Class — provenance
        Document: URIRef  # One input document (report or news collection); subClassOf prov:Entity.
        Mention: URIRef  # A character span of a document; subClassOf prov:Entity.

        # owl:ObjectProperty — relations between entities
        subsidiaryOf: URIRef  # Subsidiary -> Organization (transitive).
        locatedIn: URIRef  # Organization, Platform or Place -> Place (transitive).
        operatedBy: URIRef  # Program or Platform -> Organization: who runs, launched, built or funds it.
        implementedIn: URIRef  # Program or Platform -> Place: where it runs.
        partner: URIRef  # Program or Platform -> Organization: co-organiser, partner, recipient.
        partOf: URIRef  # Program or Platform -> Program or Platform (transitive).

        # Measurement fields
        subject: URIRef  # Measurement -> the entity the number is about.
        value: URIRef  # Measurement -> xsd:decimal, with 万/亿 applied.
        unit: URIRef  # Measurement -> unit word (元, 名, 个, %, ...).
        indicator: URIRef  # Measurement -> what is counted.
        year: URIRef  # Measurement or Document -> xsd:gYear.

        # Document fields
        publisher: URIRef  # Document -> Organization that wrote it.
        sourceFile: URIRef  # Document -> file name it was read from.
        script: URIRef  # Document -> "Hans" or "Hant".
        kind: URIRef  # Document -> "report" or "news".
        pageCount: URIRef  # Document -> xsd:integer, pages of a paged source (PDF).

        # Mention fields
        inDocument: URIRef  # Mention -> Document; subPropertyOf prov:hadPrimarySource.
        startOffset: URIRef  # Mention -> xsd:integer, first character in the original text.
        endOffset: URIRef  # Mention -> xsd:integer, one past the last character.
        anchorText: URIRef  # Mention -> the original characters of the span.
        sentence: URIRef  # Mention -> the whole sentence around the span.
        sentenceStart: URIRef  # Mention -> xsd:integer, sentence start.
        sentenceEnd: URIRef  # Mention -> xsd:integer, sentence end (exclusive).
        page: URIRef  # Mention -> xsd:integer, page (from 1) of a paged source the span starts on.

        # Identifiers
        adcode: URIRef  # Place -> administrative division code (GB/T 2260).
        wikidata: URIRef  # Entity -> Wikidata item id "Q…".

    return KG


@functools.cache
def _terms() -> dict[str, Any]:
    """The rdflib terms of the vocabulary, made once (importing rdflib)."""
    from rdflib.namespace import Namespace

    kgi = Namespace(KGI_IRI)
    return {
        "KG": _kg_namespace(),
        "KGI": kgi,
        "KGSH": Namespace(KGSH_IRI),
        # where a relation or entity comes from when no sentence states it: the place
        # gazetteer (locatedIn between places) and the documents' publisher metadata
        "GAZETTEER": kgi["source/gazetteer"],
        "PUBLISHER_METADATA": kgi["source/publisher-metadata"],
    }


_TERM_NAMES = frozenset({"KG", "KGI", "KGSH", "GAZETTEER", "PUBLISHER_METADATA"})


def __getattr__(name: str) -> Any:
    """``KG``, ``KGI``, ``KGSH``, ``GAZETTEER`` and ``PUBLISHER_METADATA``, made on first use."""
    if name in _TERM_NAMES:
        return _terms()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ontology_path() -> Path:
    """Return the path of the ontology, ``ontology/kg.ttl``, as installed.

    Returns:
        A filesystem path to the Turtle file.
    """
    return _package_file("kg.ttl")


def shapes_path() -> Path:
    """Return the path of the SHACL shapes, ``ontology/shapes.ttl``, as installed.

    Returns:
        A filesystem path to the Turtle file.
    """
    return _package_file("shapes.ttl")


def _package_file(name: str) -> Path:
    # ``ontology`` is a namespace package (data only, no __init__.py). On
    # Python 3.11 importlib.resources.files() fails on it after a setuptools
    # editable install (its __path__ holds a non-folder "__editable__..." hook
    # entry), so fall back to the real folders of the package's search path.
    try:
        path = Path(str(files("ontology").joinpath(name)))
    except (ModuleNotFoundError, NotADirectoryError):
        path = None
    if path is not None and path.is_file():
        return path
    spec = importlib.util.find_spec("ontology")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"ontology/{name} is not installed (searched {folders})")
