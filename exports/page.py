"""Building blocks of the HTML pages (the static view and the served explorer).

vis-network and our scripts and styles are inlined from the package (nothing is
fetched); data reaches a page as JSON that is safe inside ``<script>``. No rdflib
here: the served explorer runs in ``kg serve``, which stays on pyoxigraph.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from exports.geo import province_tiles
from exports.layout import LABEL_PX
from kg.errors import OutputError

VIS_VERSION = "9.1.2"
#: labels are drawn no larger than this on screen, however close one zooms (pixels)
LABEL_CAP_PX = 16
#: canvas size the overview is fitted to before the page measures its own (pixels)
CANVAS = (1100, 860)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")




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


def vis_assets() -> tuple[str, str]:
    """Return (vis-network.min.js, vis-network.css) from the pyvis package, checked to be safe to inline.

    Returns:
        The two texts.

    Raises:
        OutputError: If the copy is missing or could close its element.
    """
    root = resources.files("pyvis")
    for folder in (f"lib/vis-{VIS_VERSION}", f"templates/lib/vis-{VIS_VERSION}"):
        js, css = root / folder / "vis-network.min.js", root / folder / "vis-network.css"
        if js.is_file() and css.is_file():
            js_text, css_text = js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
            if "</script" in js_text.lower() or "</style" in css_text.lower():
                raise OutputError("bundled vis-network cannot be inlined safely")
            return js_text, css_text
    raise OutputError(f"vis-network {VIS_VERSION} not found in the pyvis package; reinstall pyvis>=0.3.2")


# --- page data ------------------------------------------------------------------


def overview_scale(positions: dict[str, tuple[int, int]], nodes: list[str]) -> float:
    """The zoom at which ``nodes`` fill a canvas of :data:`CANVAS` pixels (what vis ``fit`` picks)."""
    if not nodes:
        return 1.0
    xs = [positions[n][0] for n in nodes]
    ys = [positions[n][1] for n in nodes]
    width, height = max(xs) - min(xs) + 80, max(ys) - min(ys) + 80
    return min(CANVAS[0] / width, CANVAS[1] / height, 1.0)


def vis_options(big: bool) -> dict[str, object]:
    """vis-network options: pyvis's defaults, physics off (positions are precomputed), our styling.

    Args:
        big: Over 1,000 nodes: straight edges, hidden while dragging or zooming.

    Returns:
        The options object of ``new vis.Network``.
    """
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    net.toggle_physics(False)
    options = json.loads(net.options.to_json())
    options["physics"] = {"enabled": False}
    options["layout"] = {"improvedLayout": False}
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "smooth": {"enabled": not big, "type": "continuous"},
        "width": 1,
        "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
        "selectionWidth": 2,
        "color": {"opacity": 0.55},
    }
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"size": 14, "face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff",
                 "color": "#222222"},
        "scaling": {
            "min": 6,
            "max": 40,
            "label": {"enabled": False, "drawThreshold": LABEL_PX - 2, "maxVisible": 22},
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


def province_table(counts: dict[str, int]) -> list[list[object]]:
    """The map's tiles: ``[code, name, col, row, programs]`` per province-level division.

    Args:
        counts: Province code -> programs implemented there.

    Returns:
        One row per tile of :func:`exports.geo.province_tiles`.
    """
    return [[p.code, p.name, p.col, p.row, counts.get(p.code, 0)] for p in province_tiles()]


def template_text(name: str) -> str:
    """Return a file of ``exports/templates``; scripts and styles are checked to be safe to inline.

    Args:
        name: File name, e.g. ``common.js``.

    Returns:
        Its text.

    Raises:
        OutputError: If a ``.js`` or ``.css`` text could close the element it is inlined in.
    """
    text = (resources.files("exports") / "templates" / name).read_text(encoding="utf-8")
    inlined = name.endswith((".js", ".css"))
    if inlined and ("</script" in text.lower() or "</style" in text.lower()):
        raise OutputError(f"template {name} cannot be inlined safely")
    return text
