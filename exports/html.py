"""A self-contained interactive HTML view of the graph (vis-network, no network access).

pyvis assembles the vis-network node and edge data and options, but its own
page template is not used: in pyvis 0.3.2 ``cdn_resources="local"`` still loads
vis-network from a CDN and ``"in_line"`` still loads Bootstrap. Our template
``exports/templates/view.html`` inlines the vis-network copy bundled inside the
pyvis package instead, so the page opens from disk with no network.

Everything read from documents (names, aliases, sentences, titles) reaches the
page only as JSON inside ``<script type="application/json">`` with ``<``, ``>``,
``&`` and U+2028/U+2029 escaped, and is put on screen with ``textContent`` or
drawn on the canvas; vis ``title`` tooltips (which take HTML) are never used.

Positions are computed in Python (:mod:`exports.layout`: ForceAtlas2, fixed
seed) and physics is off: vis physics does not settle on graphs of a few
thousand nodes. The page draws labels by level of detail (the most important
entities at the overview zoom, the rest as one zooms in), hides unconnected
entities behind a toggle, filters by year and by province (a tile map,
:mod:`exports.geo`), and charts each entity's figures by year.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from jinja2 import Environment
from rdflib import Graph

from exports.geo import node_provinces, program_counts
from exports.graphview import Evidence, Figure, build_view
from exports.kinds import RELATION_COLOR, RELATIONS, TYPE_ORDER, TYPE_STYLE
from exports.layout import LABEL_PX, LOD_ZOOM, cluster_anchors, importance, label_tiers, layout, node_radius
from exports.page import (
    LABEL_CAP_PX,
    overview_scale,
    province_table,
    script_json,
    template_text,
    vis_assets,
    vis_options,
)
from kg.atomic import write_text_atomic
from kg.errors import OutputError
from kg.script import to_simplified, to_traditional
from kg.triples import TripleIndex

DEFAULT_MAX_NODES = 3000
#: labels are placed first for the publishers' nodes and, per publisher, this many programs and platforms
OVERVIEW_PER_PUBLISHER = {"PROGRAM": 10, "PLATFORM": 5}
#: label size of the publishers' own nodes, relative to the others
GROUP_EMPHASIS = 1.5
_NUMBER = re.compile(r"-?\d+(\.\d+)?")

class TruncatedViewWarning(UserWarning):
    """The graph has more entities than one page shows."""


@dataclass
class HtmlResult:
    """What :func:`write_html` wrote.

    Attributes:
        path: The main page.
        shown: Entities on the main page.
        total: Entities in the graph.
        focused: Per-publisher pages written next to it (when truncated).
    """

    path: Path
    shown: int
    total: int
    focused: list[Path] = field(default_factory=list)


def _search_data(view: nx.MultiDiGraph) -> tuple[list[str], dict[str, str]]:
    """Return per-node search keys (Simplified, lower case) and a Traditional->Simplified char map."""
    keys: list[str] = []
    chars: set[str] = set()
    for _, data in view.nodes(data=True):
        names = [data["label"], data["label_hant"], *data["aliases"]]
        text = "\n".join(n for n in names if n)
        chars.update(text)
        keys.append(to_simplified(text).lower())
    mapping: dict[str, str] = {}
    candidates = chars | set(to_traditional("".join(sorted(chars))))
    for ch in sorted(candidates):
        simp = to_simplified(ch)
        if simp != ch and len(simp) == 1:
            mapping[ch] = simp
    return keys, mapping


def _evidence_row(ev: Evidence, docs: dict[str, int]) -> list[object]:
    """``[document index, start, end, sentence]`` of one evidence, and its page when it has one."""
    row = [docs.setdefault(ev.document, len(docs)), ev.start, ev.end, ev.sentence]
    if ev.page is not None:
        row.append(ev.page)
    return row


def _evidence_rows(evidence: list, docs: dict[str, int]) -> list[list[object]]:
    """:func:`_evidence_row` of each evidence."""
    return [_evidence_row(ev, docs) for ev in evidence]


@dataclass
class _Page:
    """What the node, edge and figure rows of one page share: indexes into its tables."""

    publishers: dict[str, int]
    provinces: dict[str, int]
    docs: dict[str, int] = field(default_factory=dict)  # document IRI -> index, in order of first use
    doc_meta: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    highlights: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    sentences: dict[str, int] = field(default_factory=dict)  # figure sentence -> index

    def span(self, years: list[int]) -> list[int]:
        """The ``years`` the year filter offers: those within the documents' years (all if none has one)."""
        dated = self.years.values()
        if not dated:
            return years
        lo, hi = min(dated), max(dated)
        return [y for y in years if lo <= y <= hi]

    def evidence(self, evidence: list[Evidence]) -> list[list[object]]:
        for ev in evidence:
            self.doc_meta.setdefault(ev.document, (ev.title, ev.publisher, self.years.get(ev.document, 0)))
        return _evidence_rows(evidence, self.docs)

    def figures(self, figures: list[Figure]) -> list[list[object]]:
        """``[indicator, year, value, unit, evidence or None]`` per figure; the evidence is
        ``[document, start, end, sentence index]`` into :attr:`sentences` (figures share sentences)."""
        rows = []
        for f in figures:
            ev = self.evidence([f.evidence])[0] if f.evidence is not None else None
            if ev is not None:
                ev[3] = self.sentences.setdefault(str(ev[3]), len(self.sentences))
            value = float(f.value) if _NUMBER.fullmatch(f.value) else f.value
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            rows.append([f.indicator, f.year, value, f.unit, ev])
        return rows


def _is(view: nx.MultiDiGraph, node: str, kind: str, publisher: str) -> bool:
    """Whether ``node`` is of coarse type ``kind`` and mentioned by ``publisher``."""
    data = view.nodes[node]
    return data["type"] == kind and publisher in data["publishers"]


def highlights(view: nx.MultiDiGraph, shown: list[str]) -> dict[str, dict[str, list[str]]]:
    """Each publisher's most important programs and platforms among ``shown`` (the page's "at a glance").

    Args:
        view: The view model.
        shown: The entities drawn at first.

    Returns:
        Publisher -> coarse type -> nodes, most important first (:data:`OVERVIEW_PER_PUBLISHER` each).
    """
    score = importance(view)
    ranked = sorted(shown, key=lambda n: (-score[n], n))
    publishers = sorted({p for n in shown for p in view.nodes[n]["publishers"]})
    out: dict[str, dict[str, list[str]]] = {}
    for publisher in publishers:
        out[publisher] = {}
        for kind, count in OVERVIEW_PER_PUBLISHER.items():
            own = [n for n in ranked if _is(view, n, kind, publisher)]
            out[publisher][kind] = own[:count]
    return out


def label_order(view: nx.MultiDiGraph, shown: list[str], top: dict[str, dict[str, list[str]]]) -> list[str]:
    """The ``shown`` nodes in the order labels are placed: the publishers' own nodes, their
    :func:`highlights`, then the rest by importance.

    Args:
        view: The view model.
        shown: The entities drawn at first.
        top: From :func:`highlights`.

    Returns:
        Nodes, most deserving of a label first.
    """
    score = importance(view)
    ranked = sorted(shown, key=lambda n: (-score[n], n))
    first = [n for n in ranked if view.nodes[n]["type"] == "ORG" and view.nodes[n]["label"] in top]
    for kind in OVERVIEW_PER_PUBLISHER:
        for publisher in top:
            first += top[publisher][kind]
    seen: set[str] = set()
    return [n for n in first + ranked if not (n in seen or seen.add(n))]


Rows = list[dict[str, object]]


def _node_items(view: nx.MultiDiGraph, page: _Page) -> tuple[Rows, Rows]:
    """The vis-network nodes (placed by :func:`exports.layout.layout`) and the sidebar info of each node."""
    provinces = node_provinces(view)
    placed = layout(view, cluster_anchors(view, provinces))
    isolates = set(placed.isolates)
    shown = [n for n in view.nodes if n not in isolates]
    degree = dict(view.degree())
    scale = overview_scale(placed.positions, shown)
    labels = {n: d["label"] for n, d in view.nodes(data=True)}
    radius = node_radius({n: degree[n] + 1 for n in view.nodes})
    page.highlights = highlights(view, shown)
    groups = [n for n in view.nodes if labels[n] in page.highlights and view.nodes[n]["type"] == "ORG"]
    emphasis = {n: GROUP_EMPHASIS for n in groups}
    order = label_order(view, shown, page.highlights)
    tiers = label_tiers(labels, placed.positions, radius, order, scale, emphasis)
    # isolates, drawn only on request, are labelled like close-up nodes
    sizes = {n: max(1, round(LABEL_PX * emphasis.get(n, 1) / (scale * LOD_ZOOM[t])))
             for n, t in tiers.items()}
    vis_nodes, info = [], []
    for i, (node, data) in enumerate(view.nodes(data=True)):
        _, colour, shape = TYPE_STYLE.get(data["type"], ("?", "#999999", "dot"))
        x, y = placed.positions[node]
        vis_nodes.append(
            {
                "id": i, "label": data["label"], "x": x, "y": y, "value": degree[node] + 1,
                "shape": shape, "color": colour, "font": {"size": sizes[node]},
                **({"hidden": True} if node in isolates else {}),
            }
        )  # fmt: skip
        info.append(
            {
                "iri": node,
                "hant": data["label_hant"],
                "kgType": data["kg_type"],
                "aliases": data["aliases"],
                "pubs": [page.publishers[p] for p in data["publishers"]],
                "mentions": data["mentions"],
                "ev": page.evidence(data["evidence"]),
                "years": page.span(data.get("years", [])),
                "prov": [page.provinces[c] for c in provinces.get(node, ()) if c in page.provinces],
                "fig": page.figures(data.get("figures", [])),
                "tier": tiers[node],
                **({"em": emphasis[node]} if node in emphasis else {}),
                **({"isolate": 1} if node in isolates else {}),
            }
        )
    return vis_nodes, info


def _edge_items(view: nx.MultiDiGraph, page: _Page) -> tuple[Rows, Rows]:
    """The vis-network edges and the sidebar info of each edge."""
    ids = {node: i for i, node in enumerate(view.nodes)}
    vis_edges, einfo = [], []
    show_edge_labels = view.number_of_edges() <= 400
    for head, tail, key, data in view.edges(keys=True, data=True):
        vis_edges.append(
            {
                "id": len(vis_edges),
                "from": ids[head],
                "to": ids[tail],
                "color": RELATION_COLOR.get(key, "#999999"),
                **({"label": key} if show_edge_labels else {}),
            }
        )
        einfo.append({"rel": key, "src": data.get("source", ""), "ev": page.evidence(data["evidence"])})
    return vis_edges, einfo


def _type_legend(view: nx.MultiDiGraph) -> list[dict[str, object]]:
    """One legend entry per coarse type, in display order, with its count."""
    counts = {t: 0 for t in TYPE_ORDER}
    for _, d in view.nodes(data=True):
        counts[d["type"]] = counts.get(d["type"], 0) + 1
    return [
        {
            "key": t,
            "name": TYPE_STYLE[t][0],
            "color": TYPE_STYLE[t][1],
            "shape": TYPE_STYLE[t][2],
            "count": counts.get(t, 0),
        }
        for t in TYPE_ORDER
    ]  # fmt: skip


def build_page_data(
    view: nx.MultiDiGraph,
    *,
    title: str,
    notice: str = "",
    links: list[tuple[str, str]] | None = None,
) -> dict[str, object]:
    """Build the JSON the page template embeds.

    Args:
        view: The (possibly truncated) view model.
        title: Page title.
        notice: A message shown at the top of the sidebar, e.g. about truncation.
        links: (label, relative href) of related pages.

    Returns:
        A JSON-serialisable dict.
    """
    publishers = sorted({p for _, d in view.nodes(data=True) for p in d["publishers"]})
    tiles = province_table(program_counts(view, node_provinces(view)))
    page = _Page(
        publishers={p: i for i, p in enumerate(publishers)},
        provinces={row[0]: i for i, row in enumerate(tiles)},
        years=view.graph.get("document_years", {}),
    )
    vis_nodes, info = _node_items(view, page)
    vis_edges, einfo = _edge_items(view, page)
    keys, t2s = _search_data(view)
    for item, key, data in zip(info, keys, (d for _, d in view.nodes(data=True)), strict=True):
        item["key"] = key
        item["type"] = data["type"]
    ids = {node: i for i, node in enumerate(view.nodes)}
    return {
        "title": title,
        "notice": notice,
        "links": [list(link) for link in links or []],
        "types": _type_legend(view),
        "relations": [[r, RELATION_COLOR[r]] for r in RELATIONS],
        "publishers": publishers,
        "provinces": tiles,
        "glance": [
            [publisher, {kind: [ids[n] for n in nodes] for kind, nodes in kinds.items()}]
            for publisher, kinds in page.highlights.items()
        ],
        "lod": {"px": LABEL_PX, "zoom": list(LOD_ZOOM), "cap": LABEL_CAP_PX},
        "docs": [[d, *page.doc_meta.get(d, ("", "", 0))] for d in sorted(page.docs, key=page.docs.get)],
        "sentences": sorted(page.sentences, key=page.sentences.get),
        "nodes": vis_nodes,
        "info": info,
        "edges": vis_edges,
        "einfo": einfo,
        "t2s": t2s,
        "options": vis_options(big=view.number_of_nodes() > 1000),
    }


def render_page(data: dict[str, object], *, title: str) -> str:
    """Render the page template with vis-network and our scripts inlined.

    Args:
        data: From :func:`build_page_data`.
        title: Page title (escaped by the template).

    Returns:
        The HTML text.
    """
    js, css = vis_assets()
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    template = environment.from_string(template_text("view.html"))
    return template.render(
        title=title, vis_js=js, vis_css=css, common_css=template_text("common.css"),
        common_js=template_text("common.js"), view_js=template_text("view.js"), data_json=script_json(data),
    )


# --- truncation and focused views -------------------------------------------------


def top_nodes(view: nx.MultiDiGraph, limit: int) -> list[str]:
    """Return the ``limit`` nodes of highest degree (ties by IRI), in view order."""
    degree = dict(view.degree())
    keep = set(sorted(view.nodes, key=lambda n: (-degree[n], n))[:limit])
    return [n for n in view.nodes if n in keep]


def publisher_slug(publisher: str) -> str:
    """Return an ASCII file-name part for a publisher name (pinyin where available)."""
    try:
        from pypinyin import lazy_pinyin

        text = "-".join(lazy_pinyin(publisher))
    except ImportError:  # pragma: no cover - pypinyin is a project dependency
        text = publisher
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]
    digest = hashlib.sha1(publisher.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else digest


def _write_publisher_pages(
    view: nx.MultiDiGraph, out_path: Path, *, title: str, max_nodes: int
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Write one page per publisher next to ``out_path``; return the pages and their links."""
    pages: list[Path] = []
    links: list[tuple[str, str]] = []
    publishers = sorted({p for _, d in view.nodes(data=True) for p in d["publishers"]})
    for publisher in publishers:
        members = [n for n, d in view.nodes(data=True) if publisher in d["publishers"]]
        page = out_path.with_name(f"{out_path.stem}.{publisher_slug(publisher)}{out_path.suffix}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TruncatedViewWarning)
            write_html(
                view.subgraph(members), page, title=f"{title} · {publisher}", max_nodes=max_nodes,
                focused_views=False,
            )
        pages.append(page)
        links.append((f"{publisher} ({len(members)})", page.name))
    return pages, links


def write_html(
    graph_or_view: Graph | TripleIndex | nx.MultiDiGraph,
    out_path: str | os.PathLike,
    *,
    title: str = "initiative-kg",
    max_nodes: int = DEFAULT_MAX_NODES,
    focused_views: bool = True,
) -> HtmlResult:
    """Write the interactive view of a graph to ``out_path`` (atomically).

    When the graph has more than ``max_nodes`` entities, the page shows the
    ``max_nodes`` of highest degree and says so, a :class:`TruncatedViewWarning`
    is issued, and (with ``focused_views``) one page per publisher is written
    next to it as ``<stem>.<publisher-slug>.html`` and linked from the page.

    Args:
        graph_or_view: An rdflib graph, a :class:`~kg.triples.TripleIndex` or a view from :func:`build_view`.
        out_path: Destination ``.html`` file.
        title: Page title.
        max_nodes: Most entities on one page.
        focused_views: Write per-publisher pages when truncating.

    Returns:
        What was written.

    Raises:
        OutputError: If a page cannot be written.
    """
    view = graph_or_view if isinstance(graph_or_view, nx.MultiDiGraph) else build_view(graph_or_view)
    out_path = Path(out_path)
    total = view.number_of_nodes()
    notice = ""
    links: list[tuple[str, str]] = []
    focused: list[Path] = []
    shown_view = view
    if total > max_nodes:
        shown_view = view.subgraph(top_nodes(view, max_nodes))
        notice = (
            f"图谱共 {total} 个实体，此页仅显示连接最多的 {max_nodes} 个。"
            f" Showing the {max_nodes} best-connected of {total} entities."
        )
        warnings.warn(
            f"{out_path.name}: graph has {total} entities; showing the {max_nodes} best-connected"
            + (" and writing one page per publisher" if focused_views else ""),
            TruncatedViewWarning,
            stacklevel=2,
        )
        if focused_views:
            focused, links = _write_publisher_pages(view, out_path, title=title, max_nodes=max_nodes)
    data = build_page_data(shown_view, title=title, notice=notice, links=links)
    html = render_page(data, title=title)
    try:
        write_text_atomic(out_path, html)
    except OSError as err:
        raise OutputError(f"cannot write {out_path}: {err.strerror or err}") from None
    return HtmlResult(path=out_path, shown=shown_view.number_of_nodes(), total=total, focused=focused)
