"""What the views show of the ontology: coarse entity types, their order and style, the relations.

No rdflib here: the served explorer (:mod:`exports.explore`) runs in ``kg serve``,
which stays on pyoxigraph.
"""

from __future__ import annotations

#: kg class local name -> coarse type; Place subclasses are found by name or subClassOf.
COARSE_TYPES: dict[str, str] = {
    "Organization": "ORG",
    "Subsidiary": "SUBSIDIARY",
    "Place": "PLACE",
    "Country": "PLACE",
    "ProvinceLevelDivision": "PLACE",
    "PrefectureLevelDivision": "PLACE",
    "CountyLevelDivision": "PLACE",
    "Township": "PLACE",
    "Village": "PLACE",
    "NaturalArea": "PLACE",
    "Program": "PROGRAM",
    "Platform": "PLATFORM",
}
#: Coarse types in display order.
TYPE_ORDER = ("ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM", "PLACE")
#: Relation properties shown as edges, in display order.
RELATIONS = ("subsidiaryOf", "operatedBy", "partner", "partOf", "implementedIn", "locatedIn")
#: Coarse type -> (display name, colour, vis shape); colours from the Tableau 10 palette.
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "ORG": ("组织 Organisation", "#4e79a7", "dot"),
    "SUBSIDIARY": ("下属单位 Subsidiary", "#76b7b2", "diamond"),
    "PROGRAM": ("项目 Program", "#f28e2b", "star"),
    "PLATFORM": ("平台 Platform", "#59a14f", "square"),
    "PLACE": ("地点 Place", "#b07aa1", "triangle"),
}
#: Relation -> edge colour.
RELATION_COLOR = {
    "subsidiaryOf": "#76b7b2",
    "operatedBy": "#4e79a7",
    "partner": "#edc948",
    "partOf": "#f28e2b",
    "implementedIn": "#e15759",
    "locatedIn": "#bab0ac",
}


def local_name(iri: str) -> str:
    """Return the part of ``iri`` after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def class_rank(name: str) -> int:
    """How specific a kg class is when an entity has several: Subsidiary 2, Organization and Place 0,
    the rest (Program, ProvinceLevelDivision, ...) 1; the highest wins."""
    if name == "Subsidiary":
        return 2
    return 0 if name in ("Organization", "Place") else 1
