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

Layout is computed here (Fruchterman-Reingold per connected component, numpy,
fixed seed) and physics is off: vis physics does not settle on graphs of a few
thousand nodes, and ``nx.spring_layout`` needs SciPy from 500 nodes on.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
from jinja2 import Environment
from rdflib import Graph

from exports.graphview import RELATIONS, TYPE_ORDER, build_view
from kg.atomic import write_text_atomic
from kg.errors import OutputError
from kg.script import to_simplified, to_traditional

DEFAULT_MAX_NODES = 3000
VIS_VERSION = "9.1.2"
LAYOUT_SEED = 20240601

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
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


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


def script_json(data: object) -> str:
    """Serialise ``data`` as JSON that is safe inside a ``<script>`` element.

    Args:
        data: JSON-serialisable data.

    Returns:
        Compact JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as
        ``\\uXXXX`` escapes, so no document text can close the element or
        start a comment, and the text stays valid JavaScript.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def _vis_assets() -> tuple[str, str]:
    """Return (vis-network.min.js, vis-network.css) from the pyvis package."""
    root = resources.files("pyvis")
    for folder in (f"lib/vis-{VIS_VERSION}", f"templates/lib/vis-{VIS_VERSION}"):
        js, css = root / folder / "vis-network.min.js", root / folder / "vis-network.css"
        if js.is_file() and css.is_file():
            js_text, css_text = js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
            if "</script" in js_text.lower() or "</style" in css_text.lower():
                raise OutputError("bundled vis-network cannot be inlined safely")
            return js_text, css_text
    raise OutputError(f"vis-network {VIS_VERSION} not found in the pyvis package; reinstall pyvis>=0.3.2")


# --- layout -------------------------------------------------------------------


def _fruchterman_reingold(adj: np.ndarray, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Lay out one connected component; dense numpy, chunked rows to bound memory.

    Args:
        adj: Symmetric 0/1 adjacency matrix (float32).
        rng: Seeded generator for the start positions.
        iterations: Cooling steps.

    Returns:
        ``(n, 2)`` positions centred on 0, in units of the ideal edge length.
    """
    n = adj.shape[0]
    pos = rng.random((n, 2)).astype(np.float32)
    k = np.float32(math.sqrt(1.0 / n))
    temp = 0.1
    step = temp / (iterations + 1)
    chunk = max(1, 1_000_000 // n)
    x, y = pos[:, 0], pos[:, 1]
    for _ in range(iterations):
        disp = np.empty((n, 2), dtype=np.float32)
        for start in range(0, n, chunk):
            rows = slice(start, start + chunk)
            dx = x[rows, None] - x[None, :]
            dy = y[rows, None] - y[None, :]
            dist2 = dx * dx + dy * dy
            np.maximum(dist2, np.float32(1e-4), out=dist2)
            # FR force along the difference vector: k^2/d^2 repulsion, d/k attraction on edges
            force = (k * k) / dist2 - adj[rows] * np.sqrt(dist2) / k
            disp[rows, 0] = np.einsum("ij,ij->i", dx, force)
            disp[rows, 1] = np.einsum("ij,ij->i", dy, force)
        length = np.sqrt((disp * disp).sum(axis=1))
        np.maximum(length, np.float32(0.01), out=length)
        pos += disp * (np.float32(temp) / length)[:, None]
        temp -= step
    pos -= pos.mean(axis=0)
    return pos.astype(np.float64) / float(k)


def layout_positions(view: nx.MultiDiGraph, *, spacing: float = 110.0) -> dict[str, tuple[int, int]]:
    """Compute deterministic 2-D positions for every node of ``view``.

    Each connected component is laid out on its own and the components are
    packed in rows, largest first; isolated entities fill a grid.

    Args:
        view: The view model.
        spacing: Roughly the distance between neighbouring nodes, in pixels.

    Returns:
        Node -> (x, y) in vis-network canvas pixels.
    """
    simple = nx.Graph()
    simple.add_nodes_from(view.nodes)
    simple.add_edges_from((u, v) for u, v in view.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    rng = np.random.default_rng(LAYOUT_SEED)
    boxes: list[tuple[list[str], np.ndarray, float]] = []
    singles: list[str] = []
    for comp in components:
        if len(comp) == 1:
            singles.append(comp[0])
            continue
        index = {node: i for i, node in enumerate(comp)}
        adj = np.zeros((len(comp), len(comp)), dtype=np.float32)
        for u, v in simple.subgraph(comp).edges():
            adj[index[u], index[v]] = adj[index[v], index[u]] = 1.0
        iterations = 60 if len(comp) < 1000 else 35 if len(comp) < 3000 else 25
        pos = _fruchterman_reingold(adj, rng, iterations) * spacing
        boxes.append((comp, pos, float(np.abs(pos).max())))
    if singles:
        cols = math.ceil(math.sqrt(len(singles)))
        grid = np.array([(i % cols, i // cols) for i in range(len(singles))], dtype=float) * spacing
        half = (cols - 1) * spacing / 2
        grid -= [half, grid[:, 1].max() / 2]
        boxes.append((singles, grid, max(half, grid[:, 1].max(), spacing / 2)))
    total_area = sum((2 * r + spacing) ** 2 for _, _, r in boxes)
    row_width = max([2 * r + spacing for _, _, r in boxes[:1]] + [math.sqrt(total_area) * 1.3])
    positions: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for nodes, pos, radius in boxes:
        size = 2 * radius + spacing
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centre = np.array([x + size / 2, y + size / 2])
        for node, (px, py) in zip(nodes, pos + centre, strict=True):
            positions[node] = (round(float(px)), round(float(py)))
        x += size
        row_height = max(row_height, size)
    return positions


# --- page data ------------------------------------------------------------------


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


def _evidence_rows(evidence: list, docs: dict[str, int]) -> list[list[object]]:
    """``[document index, start, end, sentence]`` per evidence, and its page when it has one."""
    rows = []
    for ev in evidence:
        row = [docs.setdefault(ev.document, len(docs)), ev.start, ev.end, ev.sentence]
        if ev.page is not None:
            row.append(ev.page)
        rows.append(row)
    return rows


def _node_items(
    view: nx.MultiDiGraph,
    pub_index: dict[str, int],
    docs: dict[str, int],
    doc_meta: dict[str, tuple[str, str]],
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The vis-network nodes (placed by :func:`layout_positions`) and the sidebar info of each node."""
    positions = layout_positions(view)
    undirected_degree = dict(view.degree())
    vis_nodes, info = [], []
    for i, (node, data) in enumerate(view.nodes(data=True)):
        _, colour, shape = TYPE_STYLE.get(data["type"], ("?", "#999999", "dot"))
        x, y = positions[node]
        vis_nodes.append(
            {
                "id": i,
                "label": data["label"],
                "x": x,
                "y": y,
                "value": undirected_degree[node] + 1,
                "shape": shape,
                "color": colour,
                "group": data["type"],
            }
        )
        for ev in data["evidence"]:
            doc_meta.setdefault(ev.document, (ev.title, ev.publisher))
        info.append(
            {
                "iri": node,
                "hant": data["label_hant"],
                "kgType": data["kg_type"],
                "aliases": data["aliases"],
                "pubs": [pub_index[p] for p in data["publishers"]],
                "mentions": data["mentions"],
                "ev": _evidence_rows(data["evidence"], docs),
            }
        )
    return vis_nodes, info


def _edge_items(
    view: nx.MultiDiGraph, docs: dict[str, int], doc_meta: dict[str, tuple[str, str]]
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
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
        for ev in data["evidence"]:
            doc_meta.setdefault(ev.document, (ev.title, ev.publisher))
        einfo.append(
            {"rel": key, "src": data.get("source", ""), "ev": _evidence_rows(data["evidence"], docs)}
        )
    return vis_edges, einfo


def _vis_options(net: object, big: bool) -> dict[str, object]:
    """vis-network options: pyvis's defaults, physics off (positions are precomputed), our styling."""
    options = json.loads(net.options.to_json())  # type: ignore[attr-defined]
    options["physics"] = {"enabled": False}
    options["layout"] = {"improvedLayout": False}
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "smooth": {"enabled": not big, "type": "continuous"},
        "width": 1,
        "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
        "selectionWidth": 2,
    }
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {
            "min": 8,
            "max": 30,
            "label": {"enabled": True, "min": 12, "max": 20, "drawThreshold": 6},
        },
    }
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 3600000,
        "hideEdgesOnDrag": big,
        "hideEdgesOnZoom": big,
        "navigationButtons": False,
        "keyboard": False,
        "multiselect": False,
    }
    return options


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

    pyvis holds the vis-network nodes, edges and options; nodes and edges are
    assigned as lists (``Network.add_edge`` scans every edge, O(E) per call).

    Args:
        view: The (possibly truncated) view model.
        title: Page title.
        notice: A message shown at the top of the sidebar, e.g. about truncation.
        links: (label, relative href) of related pages.

    Returns:
        A JSON-serialisable dict.
    """
    from pyvis.network import Network

    publishers = sorted({p for _, d in view.nodes(data=True) for p in d["publishers"]})
    pub_index = {p: i for i, p in enumerate(publishers)}
    docs: dict[str, int] = {}  # document IRI -> index, in order of first use
    doc_meta: dict[str, tuple[str, str]] = {}
    vis_nodes, info = _node_items(view, pub_index, docs, doc_meta)
    vis_edges, einfo = _edge_items(view, docs, doc_meta)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    net.nodes, net.edges = vis_nodes, vis_edges
    net.toggle_physics(False)
    options = _vis_options(net, big=view.number_of_nodes() > 1000)
    nodes_out, edges_out = net.get_network_data()[:2]
    keys, t2s = _search_data(view)
    for item, key, data in zip(info, keys, (d for _, d in view.nodes(data=True)), strict=True):
        item["key"] = key
        item["type"] = data["type"]
    return {
        "title": title,
        "notice": notice,
        "links": [list(link) for link in links or []],
        "types": _type_legend(view),
        "relations": [[r, RELATION_COLOR[r]] for r in RELATIONS],
        "publishers": publishers,
        "docs": [[d, *doc_meta.get(d, ("", ""))] for d in sorted(docs, key=docs.__getitem__)],
        "nodes": nodes_out,
        "info": info,
        "edges": edges_out,
        "einfo": einfo,
        "t2s": t2s,
        "options": options,
    }


def render_page(data: dict[str, object], *, title: str) -> str:
    """Render the page template with inlined vis-network.

    Args:
        data: From :func:`build_page_data`.
        title: Page title (escaped by the template).

    Returns:
        The HTML text.
    """
    js, css = _vis_assets()
    template_text = (resources.files("exports") / "templates" / "view.html").read_text(encoding="utf-8")
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(template_text)
    return template.render(title=title, vis_js=js, vis_css=css, data_json=script_json(data))


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
    graph_or_view: Graph | nx.MultiDiGraph,
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
        graph_or_view: An rdflib graph or a view from :func:`build_view`.
        out_path: Destination ``.html`` file.
        title: Page title.
        max_nodes: Most entities on one page.
        focused_views: Write per-publisher pages when truncating.

    Returns:
        What was written.

    Raises:
        OutputError: If a page cannot be written.
    """
    view = build_view(graph_or_view) if isinstance(graph_or_view, Graph) else graph_or_view
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
