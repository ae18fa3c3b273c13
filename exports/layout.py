"""Deterministic positions for the HTML views: ForceAtlas2 on the core, leaves in wedges, isolates apart.

The browser runs no physics: every node gets its position here.

1. Each connected component is split into its *leaves* (entities with one
   neighbour, itself connected further) and its *core* (the rest).
2. The core is laid out with networkx's ForceAtlas2 (``linlog`` attraction,
   hubs dissuaded, fixed seed) on its own edges plus weak *cluster* edges:
   every core entity to its publisher's node and to the province it belongs
   to (its own, or where it is implemented or located), so the entities of
   one group and of one province gather. A node's mass grows with its
   leaves, so hubs keep room around them; then nodes still overlapping
   (half their halo of leaves each) are moved apart.
3. The leaves of a node are laid out around it in one wedge per type (the
   most important nearest the node), so a hub reads as coloured sectors:
   the programs of 中国联通, its platforms, its subsidiaries.
4. Components are packed largest first in rows; unconnected entities
   (isolates) go to a grid under everything, grouped by type.

Same view, same positions: the seed is fixed, nodes are visited in sorted
order and positions are rounded to whole pixels.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from exports.kinds import TYPE_ORDER

LAYOUT_SEED = 20240601
#: distance between neighbouring leaves, in canvas pixels
LEAF_SPACING = 34.0
#: typical length of a core edge, in canvas pixels
EDGE_LENGTH = 150.0
#: weight of the cluster edges (publisher, province) next to a real edge's 1
CLUSTER_WEIGHT = 0.15
#: share of a node's halo of leaves kept clear of other nodes' (the rest may overlap)
HALO_SHARE = 0.5
#: width / height of the canvas the overview is drawn on
ASPECT = 1.45
#: ForceAtlas2 iterations by core size
_ITERATIONS = ((300, 150), (1500, 80), (4000, 50))


@dataclass(frozen=True)
class Layout:
    """Where every node of a view goes.

    Attributes:
        positions: Node -> (x, y) in canvas pixels.
        isolates: The unconnected nodes (placed in a grid under the rest).
    """

    positions: dict[str, tuple[int, int]]
    isolates: list[str]


def importance(view: nx.MultiDiGraph) -> dict[str, float]:
    """How prominent each entity is: its relations, mentions and figures.

    Args:
        view: The view model (nodes may carry ``figures``, and ``degree``
            when the view is part of a larger graph whose degree is known).

    Returns:
        Node -> score (higher first), used to order leaves and to pick the
        labels shown at the overview zoom.
    """
    degree = dict(view.degree())
    scores = {}
    for node, data in view.nodes(data=True):
        figures = len(data.get("figures", ()))
        relations = data.get("degree", degree[node])
        scores[node] = 2.0 * relations + data.get("mentions", 0) + min(figures, 20) / 2
    return scores


def _simple_graph(view: nx.MultiDiGraph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) if u < v else (v, u) for u, v in view.edges() if u != v))
    return simple


def _leaves(graph: nx.Graph, component: list[str]) -> dict[str, list[str]]:
    """Core node -> its leaves, for one component (of at least two nodes)."""
    by_parent: dict[str, list[str]] = defaultdict(list)
    for node in component:
        if graph.degree(node) == 1:
            (parent,) = graph[node]
            if graph.degree(parent) > 1 or node > parent:  # a pair keeps its smaller IRI as core
                by_parent[parent].append(node)
    return by_parent


def _wedges(leaves: list[str], types: Mapping[str, str], score: Mapping[str, float]) -> dict[str, tuple]:
    """Offsets of ``leaves`` around their parent: one sector per type, rings outwards.

    Returns:
        Leaf -> (dx, dy), and the key ``""`` -> (radius, 0) of the halo.
    """
    order = {t: i for i, t in enumerate(TYPE_ORDER)}
    groups: dict[str, list[str]] = defaultdict(list)
    for leaf in leaves:
        groups[types[leaf]].append(leaf)
    inner = LEAF_SPACING * 1.6
    n = len(leaves)
    offsets: dict[str, tuple] = {}
    angle0 = -math.pi / 2
    outer = inner
    for kind in sorted(groups, key=lambda t: order.get(t, len(order))):
        members = sorted(groups[kind], key=lambda m: (-score[m], m))
        sector = 2 * math.pi * len(members) / n
        radius, placed = inner, 0
        while placed < len(members):
            fits = max(1, int(sector * radius / LEAF_SPACING)) if n > 1 else 1
            ring = members[placed : placed + fits]
            for i, leaf in enumerate(ring):
                a = angle0 + sector * (i + 0.5) / len(ring)
                offsets[leaf] = (radius * math.cos(a), radius * math.sin(a))
            outer = max(outer, radius)
            placed += len(ring)
            radius += LEAF_SPACING
        angle0 += sector
    offsets[""] = (outer + LEAF_SPACING, 0.0)
    return offsets


def _iterations(n: int) -> int:
    for size, iterations in _ITERATIONS:
        if n <= size:
            return iterations
    return 40


def _core_positions(
    core: nx.Graph, halo: Mapping[str, float], clusters: Mapping[str, list[str]]
) -> dict[str, np.ndarray]:
    """ForceAtlas2 positions (pixels, centred on 0) of one component's core."""
    nodes = sorted(core.nodes)
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    layout = nx.Graph()
    layout.add_nodes_from(nodes)
    layout.add_edges_from(core.edges, weight=1.0)
    for node in nodes:
        for anchor in clusters.get(node, ()):
            if anchor in layout and anchor != node and not layout.has_edge(node, anchor):
                layout.add_edge(node, anchor, weight=CLUSTER_WEIGHT)
    seed = np.random.RandomState(LAYOUT_SEED)
    with np.errstate(
        divide="ignore", invalid="ignore"
    ):  # linlog divides by the zero self-distance, then drops it
        return _forceatlas2(layout, core, nodes, halo, seed)


def _forceatlas2(
    layout: nx.Graph, core: nx.Graph, nodes: list[str], halo: Mapping[str, float], seed: np.random.RandomState
) -> dict[str, np.ndarray]:
    """ForceAtlas2 with each node's mass grown by its leaves (hubs keep room around them), scaled to
    :data:`EDGE_LENGTH`; then nodes that overlap (halos at :data:`HALO_SHARE`) are moved apart.

    networkx's own size adjustment (``node_size``) is not used: with overlapping sizes its
    repulsion divides by distances near zero and every position can end up NaN.
    """
    mass = {n: 1.0 + layout.degree(n) + 2 * halo.get(n, 0.0) / LEAF_SPACING for n in nodes}
    start = nx.forceatlas2_layout(
        layout, max_iter=_iterations(len(nodes)), seed=seed, weight="weight", linlog=True,
        distributed_action=True, gravity=1.0, scaling_ratio=2.0, node_mass=mass,
    )
    pos = np.array([start[n] for n in nodes], dtype=float)
    index = {n: i for i, n in enumerate(nodes)}
    lengths = [np.linalg.norm(pos[index[u]] - pos[index[v]]) for u, v in sorted(core.edges)[:2000]]
    pos *= EDGE_LENGTH / max(float(np.median(lengths)) if lengths else 1.0, 1e-9)
    radius = np.array([max(LEAF_SPACING / 3, HALO_SHARE * halo.get(n, 0.0)) for n in nodes])
    pos = _separate(pos, radius, rounds=25)
    pos -= pos.mean(axis=0)
    return {n: pos[i] for i, n in enumerate(nodes)}


def _separate(points: np.ndarray, radius: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Move circles apart until none overlaps (or ``rounds`` passes): each overlapping pair
    is pushed apart along the line between them, half the overlap each."""
    points = points.copy()
    need = radius[:, None] + radius[None, :]
    for _ in range(rounds):
        diff = points[:, None, :] - points[None, :, :]
        dist = np.sqrt((diff * diff).sum(axis=-1))
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if not overlap.any():
            break
        safe = np.where(np.isfinite(dist) & (dist > 1e-9), dist, 1.0)
        push = (overlap / safe / 2)[:, :, None] * diff
        push[dist <= 1e-9] = (1.0, 0.0)  # coincident: apart along x, the lower index to the right
        points += push.sum(axis=1) * 0.5
    return points


def _landscape(points: np.ndarray, top: int) -> np.ndarray:
    """Rotate ``points`` so that their longest axis is horizontal, the node ``top`` on the right."""
    centred = points - points.mean(axis=0)
    if len(points) < 3:
        return centred
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    axis = vectors[:, -1]
    rotation = np.array([[axis[0], axis[1]], [-axis[1], axis[0]]])
    out = centred @ rotation.T
    if out[top, 0] < 0:
        out = -out
    return out


def _component(
    graph: nx.Graph,
    component: list[str],
    types: Mapping[str, str],
    score: Mapping[str, float],
    clusters: Mapping[str, list[str]],
) -> tuple[dict[str, np.ndarray], tuple[float, float]]:
    """Positions of one component centred on 0 (longest axis horizontal), its half width and height."""
    leaves = _leaves(graph, component)
    leaf_set = {leaf for members in leaves.values() for leaf in members}
    core = graph.subgraph(n for n in component if n not in leaf_set)
    wedges = {parent: _wedges(members, types, score) for parent, members in sorted(leaves.items())}
    halo = {parent: w[""][0] for parent, w in wedges.items()}
    pos = _core_positions(core, halo, clusters)
    for parent, offsets in wedges.items():
        centre = pos[parent]
        for leaf, (dx, dy) in offsets.items():
            if leaf:
                pos[leaf] = centre + (dx, dy)
    names = list(pos)
    points = _landscape(
        np.array([pos[n] for n in names]), names.index(max(names, key=lambda n: (score[n], n)))
    )
    points -= (points.max(axis=0) + points.min(axis=0)) / 2
    half = np.abs(points).max(axis=0) + LEAF_SPACING / 2
    return {n: points[i] for i, n in enumerate(names)}, (float(half[0]), float(half[1]))


Box = tuple[dict[str, np.ndarray], tuple[float, float]]


def _shelves(
    boxes: list[Box], left: float, top: float, width: float, gap: float
) -> tuple[dict, float, float]:
    """Pack ``boxes`` in rows of at most ``width``; returns positions, used width and height."""
    out: dict[str, tuple[float, float]] = {}
    x, y, row_height, used = left, top, 0.0, 0.0
    for pos, (hx, hy) in boxes:
        w, h = 2 * hx + gap, 2 * hy + gap
        if x > left and x + w > left + width:
            x, y, row_height = left, y + row_height, 0.0
        for node, p in pos.items():
            out[node] = (x + w / 2 + float(p[0]), y + h / 2 + float(p[1]))
        x += w
        used = max(used, x - left)
        row_height = max(row_height, h)
    return out, used, y + row_height - top


def _pack(boxes: list[Box], gap: float, aspect: float) -> dict[str, tuple[float, float]]:
    """The largest component at the centre, the others in a strip to its right or under it,
    whichever gives a whole closer to ``aspect`` (width / height)."""
    if not boxes:
        return {}
    first, (hx, hy) = boxes[0]
    main = {node: (float(p[0]), float(p[1])) for node, p in first.items()}
    rest = boxes[1:]
    if not rest:
        return main
    area = sum((2 * bx + gap) * (2 * by + gap) for _, (bx, by) in rest)
    widest = max(2 * bx + gap for _, (bx, _) in rest)
    best = None
    for side in ("right", "below"):
        if side == "right":
            width = max(widest, math.sqrt(area * aspect) / 2, 0.25 * hx)
            placed, used, height = _shelves(rest, hx + gap, -hy, width, gap)
            size = (2 * hx + gap + used, max(2 * hy, height))
        else:
            placed, used, height = _shelves(rest, -hx, hy + gap, max(2 * hx, widest), gap)
            size = (max(2 * hx, used), 2 * hy + gap + height)
        miss = abs(math.log(size[0] / size[1] / aspect))
        if best is None or miss < best[0]:
            best = (miss, placed)
    return {**main, **best[1]}


def _isolate_grid(
    isolates: list[str],
    types: Mapping[str, str],
    score: Mapping[str, float],
    left: float,
    top: float,
    width: float,
) -> dict[str, tuple[float, float]]:
    """The unconnected entities in a grid, type by type, most important first."""
    order = {t: i for i, t in enumerate(TYPE_ORDER)}
    ranked = sorted(isolates, key=lambda n: (order.get(types[n], len(order)), -score[n], n))
    step = LEAF_SPACING * 2.2
    cols = max(1, int(width // step))
    return {n: (left + (i % cols) * step, top + (i // cols) * step) for i, n in enumerate(ranked)}


def layout(view: nx.MultiDiGraph, clusters: Mapping[str, Iterable[str]] | None = None) -> Layout:
    """Compute the positions of every node of ``view``.

    Args:
        view: The view model.
        clusters: Node -> the nodes it should gather near (its publisher's
            node, its province); see :func:`cluster_anchors`.

    Returns:
        The positions (whole pixels) and the isolates.
    """
    graph = _simple_graph(view)
    types = {n: d["type"] for n, d in view.nodes(data=True)}
    score = importance(view)
    anchors = {n: sorted(set(a)) for n, a in (clusters or {}).items()}
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph) if len(c) > 1), key=lambda c: (-len(c), c[0])
    )
    isolates = sorted(n for n in graph if graph.degree(n) == 0)
    boxes = [_component(graph, comp, types, score, anchors) for comp in components]
    placed = _pack(boxes, gap=LEAF_SPACING, aspect=ASPECT)
    if placed:
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        left, right, bottom = min(xs), max(xs), max(ys)
    else:
        left, right, bottom = 0.0, 1000.0, 0.0
    placed.update(_isolate_grid(isolates, types, score, left, bottom + LEAF_SPACING * 6, right - left))
    positions = {n: (round(placed[n][0]), round(placed[n][1])) for n in sorted(placed)}
    return Layout(positions=positions, isolates=isolates)


def cluster_anchors(view: nx.MultiDiGraph, provinces: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The nodes each entity gathers near: its publisher's node and its provinces.

    Args:
        view: The view model.
        provinces: Node -> the province-level divisions it belongs to
            (from :func:`exports.geo.node_provinces`).

    Returns:
        Node -> anchor nodes (publisher entities found by label, provinces).
    """
    by_label = {d["label"]: n for n, d in view.nodes(data=True) if d["type"] == "ORG"}
    out: dict[str, list[str]] = {}
    for node, data in view.nodes(data=True):
        anchors = [by_label[p] for p in data["publishers"] if p in by_label and len(data["publishers"]) == 1]
        anchors += [p for p in provinces.get(node, ()) if p != node]
        if anchors:
            out[node] = anchors
    return out


# --- labels by level of detail ---------------------------------------------------------------

#: zoom, relative to the overview, at which each label tier is drawn from; the last tier takes the rest
LOD_ZOOM = (1.0, 1.8, 3.2, 6.0)
#: on-screen label size, pixels
LABEL_PX = 13
#: node radius range in canvas units (vis ``scaling.min`` / ``max`` over ``value``)
NODE_SIZE = (6.0, 40.0)


def text_width(text: str, px: float = LABEL_PX) -> float:
    """Rough width in pixels of ``text`` drawn at ``px``: Han and full-width characters 1 em, others 0.6."""
    return sum(px if ord(ch) >= 0x2E80 else 0.6 * px for ch in text) + 4


def node_radius(values: Mapping[str, float]) -> dict[str, float]:
    """Radius of each node as vis-network draws it (linear scaling of ``value`` between :data:`NODE_SIZE`)."""
    lo, hi = min(values.values(), default=0), max(values.values(), default=1)
    span = hi - lo
    return {
        n: NODE_SIZE[0] + ((v - lo) / span if span else 0.5) * (NODE_SIZE[1] - NODE_SIZE[0])
        for n, v in values.items()
    }


class _Boxes:
    """Axis-aligned boxes in a grid hash, for overlap tests."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def _cells(self, box: tuple[float, float, float, float]) -> Iterable[tuple[int, int]]:
        x0, y0, x1, y1 = (int(math.floor(v / self.cell)) for v in box)
        return ((i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1))

    def free(self, box: tuple[float, float, float, float]) -> bool:
        for cell in self._cells(box):
            for other in self.grid.get(cell, ()):
                if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                    return False
        return True

    def add(self, box: tuple[float, float, float, float]) -> None:
        for cell in self._cells(box):
            self.grid[cell].append(box)


def label_tiers(
    labels: Mapping[str, str],
    positions: Mapping[str, tuple[int, int]],
    radius: Mapping[str, float],
    order: list[str],
    scale: float,
    emphasis: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """The level of detail of each label: the first zoom of :data:`LOD_ZOOM` at which it overlaps no other.

    At each zoom, labels are tried in ``order`` (most important first) and
    kept where their box (under the node, as vis-network draws it) is free;
    a label kept at one zoom stays at every closer one.

    Args:
        labels: Node -> label text.
        positions: Node -> canvas position.
        radius: Node -> drawn radius (canvas units).
        order: The nodes that may be labelled, most important first.
        scale: The overview zoom (canvas units to screen pixels).
        emphasis: Node -> label size relative to the others (default 1).

    Returns:
        Node -> tier (index into :data:`LOD_ZOOM`); nodes not in ``order`` get the last tier.
    """
    last = len(LOD_ZOOM) - 1
    tiers = {n: last for n in labels}
    em = emphasis or {}
    kept: list[str] = []
    for tier, zoom in enumerate(LOD_ZOOM[:-1]):
        s = scale * zoom
        boxes = _Boxes(cell=120.0 / s)

        def box(node: str, s: float = s) -> tuple[float, float, float, float]:
            x, y = positions[node]
            px = LABEL_PX * em.get(node, 1.0)
            half = text_width(labels[node], px) / s / 2
            top = y + radius[node] + 1 / s
            return (x - half, top, x + half, top + (px + 3) / s)

        for node in kept:
            boxes.add(box(node))
        for node in order:
            if tiers[node] == last and labels[node]:
                b = box(node)
                if boxes.free(b):
                    boxes.add(b)
                    kept.append(node)
                    tiers[node] = tier
    return tiers
