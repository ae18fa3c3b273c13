"""The served explorer: ``kg serve GRAPH`` answers ``/explore`` with a page that asks the endpoint.

A static ``graph.html`` holds every entity; that does not scale past a few
thousand. The served page holds only an *overview* (the entities with the
most relations, laid out by :mod:`exports.layout`, computed once when the
server starts, from the endpoint's own SPARQL) and fetches the rest on
demand with SPARQL sent to ``/sparql``: an entity's neighbourhood (at most
:data:`NEIGHBOURS` at a time, with the total), its labels, evidence and
figures, search results, the programs of a province. So the page opens in
the time its overview takes to draw, whatever the size of the graph.

Everything the page shows from the graph is put on screen as text
(``textContent``, SVG text nodes, canvas), as in the static view.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from exports.geo import province_code
from exports.kinds import COARSE_TYPES, RELATION_COLOR, RELATIONS, TYPE_STYLE, class_rank, local_name
from exports.layout import LABEL_PX, LOD_ZOOM, importance, label_tiers, layout, node_radius
from exports.page import (
    LABEL_CAP_PX,
    overview_scale,
    province_table,
    script_json,
    template_text,
    vis_assets,
    vis_options,
)
from kg.vocab import KG_IRI, NAMESPACES

#: entities in the overview, and at most this many of one coarse type (the rest by relations)
OVERVIEW_SIZE = 250
PER_TYPE = 50
#: entities with most triples of each relation and direction considered for the overview
CANDIDATES = 300
#: IRIs per VALUES block
CHUNK = 400
#: neighbours fetched per expansion
NEIGHBOURS = 200
#: deadline of each overview query (seconds); the first is a scan of every relation
OVERVIEW_TIMEOUT_S = 600.0

_PREFIXES = "".join(f"PREFIX {p}: <{NAMESPACES[p]}>\n" for p in ("kg", "rdfs"))
_RELATION_VALUES = " ".join(f"kg:{r}" for r in RELATIONS)

#: runs one SELECT on the endpoint's graph and returns its SPARQL JSON bindings
Runner = Callable[[str], list[dict[str, object]]]


def candidates_query(relation: str, subject: bool, limit: int = CANDIDATES) -> str:
    """The entities with the most ``kg:<relation>`` triples as subject (or object), most first.

    One predicate and one direction: an index range grouped, fast at any size (the same over
    every relation at once is a scan that takes minutes on a 100x graph). No IRI tie-break in
    ORDER BY (Oxigraph reads every IRI back to compare them: 50x slower); ties at the cut fall
    in the store's order, and :func:`choose` orders by IRI.
    """
    pattern = f"?e kg:{relation} ?o" if subject else f"?o kg:{relation} ?e"
    return _PREFIXES + f"""SELECT ?e (COUNT(*) AS ?n) WHERE {{ {pattern} }}
GROUP BY ?e ORDER BY DESC(?n) LIMIT {int(limit)}"""


def _iri_values(iris: list[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def degree_query(iris: list[str]) -> str:
    """The number of relations (either direction) of each of ``iris``.

    ``FILTER IN`` rather than a ``VALUES`` block of predicates: Oxigraph then starts from the
    entities (10x faster on a 100x graph).
    """
    relations = ", ".join(f"kg:{r}" for r in RELATIONS)
    return _PREFIXES + f"""SELECT ?e (COUNT(*) AS ?degree) WHERE {{
  VALUES ?e {{ {_iri_values(iris)} }}
  {{ ?e ?p ?o }} UNION {{ ?o ?p ?e }}
  FILTER(?p IN ({relations}))
}}
GROUP BY ?e"""


def details_query(iris: list[str]) -> str:
    """The Simplified label, classes and ``kg:adcode`` of each of ``iris``."""
    return _PREFIXES + f"""SELECT ?e ?label ?type ?adcode WHERE {{
  VALUES ?e {{ {_iri_values(iris)} }}
  OPTIONAL {{ ?e rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "zh-Hans")) }}
  OPTIONAL {{ ?e a ?type }}
  OPTIONAL {{ ?e kg:adcode ?adcode }}
}}"""


def edges_query(iris: list[str]) -> str:
    """The relations between any two of ``iris``."""
    values = _iri_values(iris)
    return _PREFIXES + f"""SELECT ?s ?p ?o WHERE {{
  VALUES ?s {{ {values} }}
  VALUES ?p {{ {_RELATION_VALUES} }}
  ?s ?p ?o .
  VALUES ?o {{ {values} }}
}}"""


#: class counted for each coarse type (a place is typed kg:Place and its division class)
TOTAL_CLASSES = {"ORG": "Organization", "SUBSIDIARY": "Subsidiary", "PROGRAM": "Program",
                 "PLATFORM": "Platform", "PLACE": "Place"}


def totals_query() -> str:
    """Entities per coarse type (:data:`TOTAL_CLASSES`) and relations per property."""
    classes = " ".join(f"kg:{c}" for c in TOTAL_CLASSES.values())
    return _PREFIXES + f"""SELECT ?what (COUNT(*) AS ?n) WHERE {{
  {{ VALUES ?what {{ {classes} }} ?e a ?what }} UNION {{ VALUES ?what {{ {_RELATION_VALUES} }} ?s ?what ?o }}
}}
GROUP BY ?what"""


def province_query() -> str:
    """Programs per province-level division (by the code of the places they are implemented in)."""
    return _PREFIXES + """SELECT ?code (COUNT(DISTINCT ?program) AS ?programs) WHERE {
  ?program a kg:Program ; kg:implementedIn ?place .
  ?place kg:adcode ?adcode .
  BIND(CONCAT(SUBSTR(STR(?adcode), 1, 2), "0000") AS ?code)
}
GROUP BY ?code"""


def coarse_type(classes: list[str]) -> tuple[str, str]:
    """(most specific kg class name, coarse type) of an entity with these class IRIs; ``("", "")`` if none.

    Classes are visited in sorted order and ranked by :func:`exports.kinds.class_rank`, as
    :meth:`exports.graphview.GraphIndex.entity_types` ranks them.
    """
    best = ("", "")
    for iri in sorted(classes):
        name = local_name(iri) if iri.startswith(KG_IRI) else ""
        coarse = COARSE_TYPES.get(name)
        if coarse and (not best[0] or class_rank(name) > class_rank(best[0])):
            best = (name, coarse)
    return best


def _value(row: dict[str, object], key: str) -> str:
    term = row.get(key)
    return str(term["value"]) if isinstance(term, dict) else ""


@dataclass
class Overview:
    """The overview the page draws first, built from the endpoint's answers.

    Attributes:
        view: Entity IRI -> node attributes (label, type, kg_type, degree,
            adcode), edges keyed by relation.
        totals: Class or property local name -> count in the whole graph.
        provinces: Province code -> programs implemented there.
    """

    view: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    totals: dict[str, int] = field(default_factory=dict)
    provinces: dict[str, int] = field(default_factory=dict)


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _candidates(run: Runner) -> dict[str, int]:
    """Entities among the most connected by some relation and direction -> their relations in all."""
    found: set[str] = set()
    for relation in RELATIONS:
        for subject in (True, False):
            found.update(_value(r, "e") for r in run(candidates_query(relation, subject)))
    degrees: dict[str, int] = {}
    for chunk in _chunks(sorted(iri for iri in found if iri)):
        for row in run(degree_query(chunk)):
            degrees[_value(row, "e")] = int(_value(row, "degree") or 0)
    return degrees


def _describe(run: Runner, iris: list[str]) -> dict[str, tuple[str, str, str, str]]:
    """IRI -> (label, kg class name, coarse type, adcode) of the entities among ``iris``."""
    classes: dict[str, list[str]] = {iri: [] for iri in iris}
    labels: dict[str, str] = {}
    adcodes: dict[str, str] = {}
    for chunk in _chunks(iris):
        for row in run(details_query(chunk)):
            iri = _value(row, "e")
            labels[iri] = labels.get(iri) or _value(row, "label")
            classes[iri].append(_value(row, "type"))
            adcodes[iri] = adcodes.get(iri) or _value(row, "adcode")
    out = {}
    for iri in iris:
        kg_type, coarse = coarse_type(classes[iri])
        if coarse:
            out[iri] = (labels.get(iri) or local_name(iri), kg_type, coarse, adcodes.get(iri, ""))
    return out


def choose(degrees: dict[str, int], coarse: dict[str, str], size: int = OVERVIEW_SIZE,
           per_type: int = PER_TYPE) -> list[str]:
    """The overview's entities: the most connected of each coarse type (at most ``per_type``),
    then the most connected of any, ``size`` in all; ties by IRI.

    Args:
        degrees: Candidate -> relations.
        coarse: Candidate -> coarse type (candidates without one are left out).
        size: Entities wanted.
        per_type: Most of one type in the first round.

    Returns:
        The chosen IRIs, sorted.
    """
    ranked = sorted((iri for iri in degrees if iri in coarse), key=lambda iri: (-degrees[iri], iri))
    chosen: list[str] = []
    taken: dict[str, int] = {}
    for iri in ranked:
        if taken.get(coarse[iri], 0) < per_type and len(chosen) < size:
            chosen.append(iri)
            taken[coarse[iri]] = taken.get(coarse[iri], 0) + 1
    rest = [iri for iri in ranked if iri not in set(chosen)]
    return sorted(chosen + rest[: max(0, size - len(chosen))])


def fetch_overview(run: Runner, size: int = OVERVIEW_SIZE) -> Overview:
    """Ask the endpoint for the overview: the most connected entities of each type, their labels,
    types and relations between them, the totals and the programs per province.

    Args:
        run: Runs one SELECT and returns its SPARQL JSON bindings.
        size: Entities in the overview.

    Returns:
        The :class:`Overview`.
    """
    out = Overview()
    degrees = _candidates(run)
    described = _describe(run, sorted(degrees))
    iris = choose(degrees, {iri: d[2] for iri, d in described.items()}, size)
    for iri in iris:
        label, kg_type, coarse, adcode = described[iri]
        out.view.add_node(iri, label=label, type=coarse, kg_type=kg_type, degree=degrees[iri], adcode=adcode,
                          publishers=[])
    if iris:
        rows = run(edges_query(iris))
        for row in sorted(rows, key=lambda r: (_value(r, "s"), _value(r, "p"), _value(r, "o"))):
            s, p, o = _value(row, "s"), local_name(_value(row, "p")), _value(row, "o")
            if s in out.view and o in out.view and s != o:
                out.view.add_edge(s, o, key=p)
    for row in run(totals_query()):
        out.totals[local_name(_value(row, "what"))] = int(_value(row, "n") or 0)
    for row in run(province_query()):
        code = province_code(_value(row, "code"))
        if code:
            out.provinces[code] = out.provinces.get(code, 0) + int(_value(row, "programs") or 0)
    return out


def overview_data(overview: Overview) -> dict[str, object]:
    """The JSON the explorer page starts from: the overview laid out, legend, map, options.

    Args:
        overview: From :func:`fetch_overview`.

    Returns:
        A JSON-serialisable dict (``nodes``, ``info``, ``edges``, ``einfo``, ...).
    """
    view = overview.view
    placed = layout(view)
    nodes = list(view.nodes)
    shown = [n for n in nodes if n not in set(placed.isolates)]
    scale = overview_scale(placed.positions, shown or nodes)
    score = importance(view)
    degree = {n: view.nodes[n]["degree"] for n in nodes}
    labels = {n: view.nodes[n]["label"] for n in nodes}
    order = sorted(nodes, key=lambda n: (-score[n], n))
    radius = node_radius({n: degree[n] + 1 for n in nodes})
    tiers = label_tiers(labels, placed.positions, radius, order, scale)
    ids = {n: i for i, n in enumerate(nodes)}
    vis_nodes, info = [], []
    for n in nodes:
        data = view.nodes[n]
        _, colour, shape = TYPE_STYLE[data["type"]]
        x, y = placed.positions[n]
        size = max(1, round(LABEL_PX / (scale * LOD_ZOOM[tiers[n]])))
        vis_nodes.append({"id": ids[n], "label": data["label"], "x": x, "y": y, "value": degree[n] + 1,
                          "shape": shape, "color": colour, "font": {"size": size}})
        info.append({"iri": n, "type": data["type"], "kgType": data["kg_type"], "tier": tiers[n],
                     "degree": degree[n], **({"adcode": data["adcode"]} if data["adcode"] else {})})
    edges = [
        {"id": i, "from": ids[u], "to": ids[v], "color": RELATION_COLOR.get(k, "#999999")}
        for i, (u, v, k) in enumerate(view.edges(keys=True))
    ]
    return {
        "nodes": vis_nodes,
        "info": info,
        "edges": edges,
        "einfo": [{"rel": k} for _, _, k in view.edges(keys=True)],
        "totals": overview.totals,
        "provinces": province_table(overview.provinces),
        "types": [{"key": t, "name": s[0], "color": s[1], "shape": s[2]} for t, s in TYPE_STYLE.items()],
        "classes": COARSE_TYPES,
        "totalClasses": TOTAL_CLASSES,
        "relations": [[r, RELATION_COLOR[r]] for r in RELATIONS],
        "lod": {"px": LABEL_PX, "zoom": list(LOD_ZOOM), "cap": LABEL_CAP_PX},
        "neighbours": NEIGHBOURS,
        "ns": {p: NAMESPACES[p] for p in ("kg", "rdfs", "skos", "prov", "dcterms")},
        "options": vis_options(big=False),
    }


class Explorer:
    """The explorer of one endpoint: its page, and its overview computed once in the background.

    Args:
        run: Runs one SELECT on the endpoint's graph and returns its SPARQL JSON bindings.
    """

    def __init__(self, run: Runner) -> None:
        self._run = run
        self._ready = threading.Event()
        self._cancelled = threading.Event()
        self._overview: bytes | None = None
        self._error: str | None = None
        self._page: bytes | None = None
        self._thread = threading.Thread(target=self._compute, name="kg-explore-overview", daemon=True)

    def start(self) -> None:
        """Start computing the overview (returns at once)."""
        self._thread.start()

    def cancel(self) -> None:
        """Stop asking the endpoint (it is closing): the overview's next query fails at once."""
        self._cancelled.set()

    def _checked_run(self, query: str) -> list[dict[str, object]]:
        if self._cancelled.is_set():
            raise RuntimeError("the server is closing")
        return self._run(query)

    def _compute(self) -> None:
        try:
            data = overview_data(fetch_overview(self._checked_run))
            self._overview = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except Exception as err:  # noqa: BLE001 - reported to the page and the log, the server keeps serving
            self._error = f"{type(err).__name__}: {err}"
        finally:
            self._ready.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the overview is computed (or failed); whether it is."""
        return self._ready.wait(timeout)

    def overview(self, timeout: float | None = None) -> bytes:
        """The overview JSON, waiting for it up to ``timeout`` seconds.

        Raises:
            TimeoutError: Not ready in time.
            RuntimeError: Its queries failed (the message says why).
        """
        if not self._ready.wait(timeout):
            raise TimeoutError("the explorer's overview is still being computed")
        if self._overview is None:
            raise RuntimeError(f"the explorer's overview could not be computed: {self._error}")
        return self._overview

    def page(self) -> bytes:
        """The explorer page (vis-network and our scripts inlined; data comes from the endpoint)."""
        if self._page is None:
            from jinja2 import Environment

            js, css = vis_assets()
            template = Environment(autoescape=True, keep_trailing_newline=True).from_string(
                template_text("explore.html")
            )
            self._page = template.render(
                vis_js=js, vis_css=css, common_css=template_text("common.css"),
                common_js=template_text("common.js"), explore_js=template_text("explore.js"),
                config_json=script_json({"overview": "/explore/overview.json", "sparql": "/sparql"}),
            ).encode("utf-8")
        return self._page
