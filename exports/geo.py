"""China's province-level divisions for the map of the HTML views: a tile map from cpca's table.

No boundary data ships in the packages we depend on, so the map is a *tile
map*: one square per province-level division (34, with 香港, 澳门, 台湾),
placed on a grid near where the division is. Where comes from cpca's code
table (``cpca/resources/adcodes.csv``: every division with the longitude and
latitude of its seat): a division's point is the mean of the seats of all
its prefectures and counties, and the divisions are assigned to grid cells
by a minimum-cost flow (networkx) that keeps each as close to its point as
the grid allows. Deterministic: same table, same map.

Entities reach the map through ``kg:adcode``: a place belongs to the
division its code starts with, a program or platform to the divisions of
the places it is implemented in, a subsidiary to those it is located in.
"""

from __future__ import annotations

import csv
import functools
import math
from collections import defaultdict
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import networkx as nx

#: suffixes dropped from a division's full name to give the name on its tile, longest first
NAME_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
#: grid cell size in degrees of latitude (longitude is scaled by cos 35°)
CELL_DEGREES = 3.3
#: west of this longitude distances are shrunk by WEST_SCALE: the large western divisions
#: would otherwise stand apart from the rest
WEST_OF, WEST_SCALE = 104.0, 0.5
_COS = math.cos(math.radians(35.0))
#: relation -> coarse types whose places it gives them
_PLACE_RELATIONS = {"implementedIn": ("PROGRAM", "PLATFORM"), "locatedIn": ("SUBSIDIARY",)}


@dataclass(frozen=True)
class Province:
    """One tile of the map.

    Attributes:
        code: Six-digit division code (GB/T 2260), e.g. ``440000``.
        name: Short name, e.g. ``广东``.
        full: Full name, e.g. ``广东省``.
        col: Grid column (0 = west).
        row: Grid row (0 = north).
    """

    code: str
    name: str
    full: str
    col: int
    row: int


def short_name(full: str) -> str:
    """``广西壮族自治区`` -> ``广西``: the name without its administrative suffix."""
    for suffix in NAME_SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix) + 1:
            return full[: -len(suffix)]
    return full


def _adcode_table() -> Path:
    spec = find_spec("cpca")  # the package is not imported: its __init__ loads pandas and jieba
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("cpca is not installed (pip install cpca)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _points() -> tuple[dict[str, str], dict[str, tuple[float, float]]]:
    """Province code -> full name, and -> (x, y) in cell units (mean of its divisions' seats)."""
    names: dict[str, str] = {}
    seats: dict[str, tuple[float, float]] = {}
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    with _adcode_table().open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            province = code[:2] + "0000"
            try:
                lng, lat = float(row["longitude"]), float(row["latitude"])
            except ValueError:
                continue
            if code == province:
                names[province], seats[province] = row["name"], (lng, lat)
                continue
            acc = sums[province]
            acc[0] += lng
            acc[1] += lat
            acc[2] += 1
    points = {}
    for code in names:
        lng, lat, n = sums[code]
        # the mean of its divisions' seats; its own seat for 香港, 澳门, 台湾 (none listed under them)
        lng, lat = (lng / n, lat / n) if n else seats[code]
        if lng < WEST_OF:
            lng = WEST_OF - (WEST_OF - lng) * WEST_SCALE
        points[code] = (lng * _COS / CELL_DEGREES, -lat / CELL_DEGREES)
    return names, points


def _assign(points: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    """Code -> (col, row): each division on its own cell, total squared distance minimal."""
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    x0, y0 = math.floor(min(xs)) - 1, math.floor(min(ys)) - 1
    cols, rows = math.ceil(max(xs)) - x0 + 2, math.ceil(max(ys)) - y0 + 2
    flow = nx.DiGraph()
    for code, (x, y) in sorted(points.items()):
        flow.add_edge("source", code, capacity=1, weight=0)
        for c in range(cols):
            for r in range(rows):
                cost = (x - x0 - c - 0.5) ** 2 + (y - y0 - r - 0.5) ** 2
                if cost <= 9.0:
                    flow.add_edge(code, (c, r), capacity=1, weight=round(cost * 1000))
    for c in range(cols):
        for r in range(rows):
            if flow.has_node((c, r)):
                flow.add_edge((c, r), "sink", capacity=1, weight=0)
    flow.nodes["source"]["demand"] = -len(points)
    flow.nodes["sink"]["demand"] = len(points)
    result = nx.min_cost_flow(flow)
    cells = {code: next(cell for cell, used in result[code].items() if used) for code in points}
    min_c = min(c for c, _ in cells.values())
    min_r = min(r for _, r in cells.values())
    return {code: (c - min_c, r - min_r) for code, (c, r) in cells.items()}


@functools.cache
def province_tiles() -> tuple[Province, ...]:
    """The tiles of the map, by code.

    Returns:
        One :class:`Province` per province-level division of cpca's table.
    """
    names, points = _points()
    cells = _assign(points)
    return tuple(
        Province(
            code=code, name=short_name(names[code]), full=names[code], col=cells[code][0], row=cells[code][1]
        )
        for code in sorted(cells)
    )


def province_code(adcode: str) -> str:
    """The six-digit code of the province-level division ``adcode`` is in (``""`` if not a code)."""
    if len(adcode) < 6 or not adcode[:6].isdigit() or adcode[:2] == "00":
        return ""
    return adcode[:2] + "0000"


def node_provinces(view: nx.MultiDiGraph) -> dict[str, list[str]]:
    """The province-level divisions each entity belongs to.

    Args:
        view: The view model (nodes carry ``adcode``).

    Returns:
        Node -> sorted province codes: a place's own, the provinces of the
        places a program or platform is implemented in, of the places a
        subsidiary is located in. Nodes with none are left out.
    """
    found: dict[str, set[str]] = defaultdict(set)
    for node, data in view.nodes(data=True):
        code = province_code(data.get("adcode", ""))
        if code:
            found[node].add(code)
    for head, tail, key in view.edges(keys=True):
        kinds = _PLACE_RELATIONS.get(key, ())
        if view.nodes[head]["type"] in kinds:
            code = province_code(view.nodes[tail].get("adcode", ""))
            if code:
                found[head].add(code)
    return {node: sorted(codes) for node, codes in sorted(found.items())}


def program_counts(view: nx.MultiDiGraph, provinces: dict[str, list[str]]) -> dict[str, int]:
    """Province code -> number of programs implemented there.

    Args:
        view: The view model.
        provinces: From :func:`node_provinces`.

    Returns:
        Counts of ``PROGRAM`` nodes per province (a program in two provinces counts in both).
    """
    counts: dict[str, int] = defaultdict(int)
    for node, codes in provinces.items():
        if view.nodes[node]["type"] == "PROGRAM":
            for code in codes:
                counts[code] += 1
    return dict(sorted(counts.items()))
