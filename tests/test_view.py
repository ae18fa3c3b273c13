"""What a reader sees: the overview, a focused view and the served explorer, in headless Chromium.

The pages are driven through chromedriver (selenium): labels drawn at the
overview zoom, the year filter, the map, the isolates toggle, search, a
click on a node opening its panel with a chart whose points give their
sentence on hover, and no network request from a page opened from disk.
Checks hold for any build of the bundled corpus (no fixed names or counts
beyond the publishers). Screenshots go to ``KG_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from testkit import browser, requested_urls, run_async, wait_rendered

from exports.geo import node_provinces, program_counts, province_tiles, short_name
from exports.graphfile import load_graph
from exports.graphview import build_view
from exports.html import highlights, label_order, write_html
from exports.layout import LABEL_PX, LOD_ZOOM, label_tiers, layout, node_radius, text_width
from exports.page import overview_scale
from kg.cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "exports_small.ttl"
pytestmark = pytest.mark.slow

#: JavaScript: ids of the nodes whose label vis-network draws at the current zoom
LABELLED = """
var v = window.kgView || null, net = v ? v.network : kgExplore.network();
var nodes = v ? v.nodes : net.body.data.nodes, scale = net.getScale(), min = arguments[0];
return nodes.get({filter: function (n) { return !n.hidden && n.font && n.font.size * scale >= min; }})
            .map(function (n) { return n.label; });
"""


def _shot(driver, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get("KG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def _data(driver) -> dict:  # noqa: ANN001
    return driver.execute_script("return kgView.data")


def _visible(driver) -> int:  # noqa: ANN001
    return int(driver.find_element("tag name", "body").get_attribute("data-visible-count"))


def _click_node(driver, node_id: int) -> None:  # noqa: ANN001
    """Bring a node to the middle of the canvas and click it with the mouse."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script(
        "var n = kgView.network, id = arguments[0];"
        "n.moveTo({position: n.getPositions([id])[id], scale: 1.2});",
        node_id,
    )
    canvas = driver.find_element("id", "network")
    ActionChains(driver).move_to_element(canvas).click().perform()


def _threshold(driver) -> float:  # noqa: ANN001
    return driver.execute_script("return kgView.data.options.nodes.scaling.label.drawThreshold") - 1


# --- the overview of the bundled corpus ------------------------------------------------------


@pytest.fixture(scope="module")
def overview(bundled_out: Path):
    with browser() as driver:
        driver.get((bundled_out / "graph.html").resolve().as_uri())
        wait_rendered(driver)
        yield driver


def test_view_overview_opens_from_disk_with_no_network_request(overview, bundled_out: Path) -> None:
    overview.get((bundled_out / "graph.html").resolve().as_uri())
    wait_rendered(overview)
    urls = requested_urls(overview)
    assert urls and all(u.startswith(("file:", "data:", "about:")) for u in urls), urls
    resources = overview.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(("file:", "data:")) for u in resources), resources
    errors = [e["message"] for e in overview.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []  # a fetch blocked by the page's CSP would show here
    _shot(overview, "overview")


def test_view_overview_labels_the_publishers_and_their_main_programs(overview) -> None:
    data = _data(overview)
    labelled = set(overview.execute_script(LABELLED, _threshold(overview)))
    assert len(labelled) >= 15, "the overview zoom shows too few names"
    assert len(labelled) <= len(data["nodes"]) / 4, "every label drawn at once: no level of detail"
    for publisher, kinds in data["glance"]:
        assert publisher in labelled
        programs = [data["nodes"][i]["label"] for i in kinds["PROGRAM"]]
        assert programs, f"no programs listed for {publisher}"
        assert set(programs) & labelled, f"none of {publisher}'s main programs is labelled"
    glance = overview.find_element("id", "glance").text
    assert all(publisher in glance for publisher, _ in data["glance"])


def test_view_overview_zooming_in_shows_more_labels(overview) -> None:
    at_overview = len(overview.execute_script(LABELLED, _threshold(overview)))
    overview.execute_script("var n = kgView.network; n.moveTo({scale: n.getScale() * 3.5});")
    closer = len(overview.execute_script(LABELLED, _threshold(overview)))
    overview.execute_script("kgView.network.fit({animation: false});")
    assert closer > at_overview


def test_view_overview_isolates_hidden_behind_a_toggle_with_their_count(overview) -> None:
    data = _data(overview)
    isolates = sum(1 for info in data["info"] if info.get("isolate"))
    assert isolates > 0
    label = overview.find_element("id", "isolates-label").text
    assert str(isolates) in label
    before = _visible(overview)
    overview.find_element("id", "isolates").click()
    assert _visible(overview) == before + isolates
    overview.find_element("id", "isolates").click()
    assert _visible(overview) == before


def test_view_overview_year_filter(overview) -> None:
    buttons = overview.find_elements("css selector", "#years button[data-year]")
    years = [b for b in buttons if b.get_attribute("data-year")]
    assert len(years) >= 2
    total = _visible(overview)
    years[0].click()
    year = int(years[0].get_attribute("data-year"))
    shown = _visible(overview)
    hidden = overview.execute_script("return kgView.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    data = _data(overview)
    assert 0 < shown < total
    assert all(year in data["info"][i]["years"] for i in hidden)
    assert str(year) in overview.find_element("id", "filter-note").text
    _shot(overview, "overview-year")
    buttons[0].click()  # "all"
    assert _visible(overview) == total


def test_view_overview_map_click_filters_to_a_province(overview) -> None:
    data = _data(overview)
    index = max(range(len(data["provinces"])), key=lambda i: data["provinces"][i][4])
    code, name, _, _, programs = data["provinces"][index]
    assert programs > 0
    total = _visible(overview)
    overview.find_element("css selector", f'#map .tile[data-code="{code}"]').click()
    shown = _visible(overview)
    assert 0 < shown < total
    assert name in overview.find_element("id", "filter-note").text
    _shot(overview, "overview-province")
    overview.find_element("css selector", f'#map .tile[data-code="{code}"]').click()
    assert _visible(overview) == total


def test_view_overview_search_then_click_a_node_opens_its_panel_and_chart(overview) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    data = _data(overview)
    # an entity with figures in two years at least, drawn at first
    best = max(
        (i for i, info in enumerate(data["info"]) if not info.get("isolate")),
        key=lambda i: len({r[1] for r in data["info"][i]["fig"] if r[1] and isinstance(r[2], int | float)}),
    )
    label = data["nodes"][best]["label"]
    box = overview.find_element("id", "search")
    box.clear()
    box.send_keys(label)
    results = overview.find_elements("css selector", "#results li[tabindex]")
    assert label in [r.text for r in results]
    _click_node(overview, best)
    panel = overview.find_element("id", "details-body")
    assert overview.find_element("id", "details").get_attribute("class") == "open"
    assert panel.find_element("tag name", "h3").text.startswith(label)
    point = panel.find_element("css selector", "svg.chart .point")
    ActionChains(overview).move_to_element(point).perform()
    tip = overview.find_element("css selector", ".kg-tip")
    def squeeze(text: str) -> str:  # the tip wraps lines and collapses white space
        return "".join(text.split())

    sentences = [squeeze(data["sentences"][r[4][3]]) for r in data["info"][best]["fig"] if r[4]]
    assert tip.is_displayed() and any(s and s in squeeze(tip.text) for s in sentences)
    _shot(overview, "overview-panel")


# --- a focused view ----------------------------------------------------------------------------


def test_view_focused_view_labels_all_and_charts_figures(tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    args = ["view", str(FIXTURE), "--focus", "爱心行动", "--hops", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with browser() as driver:
        driver.get(out.resolve().as_uri())
        wait_rendered(driver)
        assert all(u.startswith(("file:", "data:", "about:")) for u in requested_urls(driver))
        labelled = set(driver.execute_script(LABELLED, _threshold(driver)))
        assert {"爱心行动", "中国移动", "福建", "和家园"} <= labelled
        assert driver.find_elements("css selector", "#years button[data-year]")
        data = _data(driver)
        node = next(i for i, n in enumerate(data["nodes"]) if n["label"] == "爱心行动")
        _click_node(driver, node)
        panel = driver.find_element("id", "details-body")
        assert panel.find_element("tag name", "h3").text.startswith("爱心行动")
        assert panel.find_elements("css selector", "svg.chart .point")
        _shot(driver, "focused")


# --- the served explorer -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(bundled_out: Path):
    from exports.server import Endpoint

    endpoint = Endpoint([bundled_out], port=0, workers=2, log=False)
    thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
    thread.start()
    try:
        assert endpoint.explorer is not None and endpoint.explorer.wait(120)
        yield endpoint
    finally:
        endpoint.shutdown()
        endpoint.close()


def test_view_explorer_opens_expands_shows_evidence_and_searches(served) -> None:
    with browser() as driver:
        driver.get(served.url + "explore")
        wait_rendered(driver)
        info = driver.execute_script("return kgExplore.info()")
        assert len(info) > 50
        assert len(driver.execute_script(LABELLED, LABEL_PX - 3)) >= 10  # vis drawThreshold - 1
        hub = max(info, key=lambda x: x["degree"] or 0)["iri"]
        answer = run_async(driver, "kgExplore.expand(arguments[0])", hub)
        assert answer["neighbours"] > 0 and answer["degree"] >= answer["neighbours"]
        assert len(driver.execute_script("return kgExplore.info()")) >= len(info)
        run_async(driver, "kgExplore.details(arguments[0])", hub)
        panel = driver.find_element("id", "details-body")
        assert panel.find_element("tag name", "h3").text
        assert panel.find_elements("css selector", ".evidence li .src")
        assert panel.find_elements("css selector", "svg.chart")
        program = next(x for x in info if x["type"] == "PROGRAM")
        hits = run_async(driver, "kgExplore.search(arguments[0])", driver.execute_script(
            "return kgExplore.info().find(x => x.iri === arguments[0]).label", program["iri"]))
        assert any(h["iri"] == program["iri"] for h in hits)
        assert run_async(driver, "kgExplore.province(arguments[0])", "110000") >= 0
        origin = served.url.rstrip("/")
        urls = requested_urls(driver)
        assert all(u.startswith((origin, "data:", "about:")) for u in urls), urls
        assert any(u.endswith("/sparql") for u in urls)
        _shot(driver, "explorer")


def test_view_explorer_page_and_overview_over_http(served) -> None:
    import urllib.request

    with urllib.request.urlopen(served.url + "explore", timeout=30) as response:
        page = response.read().decode("utf-8")
        csp = response.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp
    assert not re.search(r"<script[^>]*\ssrc=", page) and "vis.Network" in page
    with urllib.request.urlopen(served.url + "explore/overview.json", timeout=60) as response:
        data = json.loads(response.read())
    assert data["nodes"] and len(data["nodes"]) == len(data["info"])
    assert {t["key"] for t in data["types"]} == {"ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM", "PLACE"}
    assert sum(row[4] for row in data["provinces"]) > 0


# --- layout, labels and map without a browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def view():
    return build_view(load_graph(FIXTURE))


def test_view_layout_is_deterministic_and_isolates_apart(view) -> None:
    first, second = layout(view), layout(view.copy())
    assert first == second
    degree = dict(view.degree())
    assert first.isolates == sorted(n for n in view if degree[n] == 0)
    assert len(set(first.positions.values())) == len(first.positions)


def test_view_overview_labels_never_overlap(bundled_out: Path) -> None:
    data_view = build_view(load_graph(bundled_out / "graph.ttl"))
    placed = layout(data_view)
    shown = [n for n in data_view if n not in set(placed.isolates)]
    scale = overview_scale(placed.positions, shown)
    labels = {n: d["label"] for n, d in data_view.nodes(data=True)}
    degree = dict(data_view.degree())
    radius = node_radius({n: degree[n] + 1 for n in data_view})
    order = label_order(data_view, shown, highlights(data_view, shown))
    tiers = label_tiers(labels, placed.positions, radius, order, scale)
    for tier, zoom in enumerate(LOD_ZOOM[:-1]):
        s = scale * zoom
        boxes = []
        for n in shown:
            if tiers[n] <= tier:
                x, y = placed.positions[n]
                half = text_width(labels[n]) / s / 2
                top = y + radius[n] + 1 / s
                boxes.append((x - half, top, x + half, top + (LABEL_PX + 3) / s))
        boxes.sort()
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if b[0] >= a[2]:
                    break
                assert not (a[1] < b[3] and b[1] < a[3]), f"labels overlap at tier {tier}"


def test_view_province_tiles_one_cell_each_and_names() -> None:
    tiles = province_tiles()
    assert len(tiles) == 34
    assert len({(t.col, t.row) for t in tiles}) == 34
    assert {"广东", "新疆", "内蒙古", "香港", "北京"} <= {t.name for t in tiles}
    assert short_name("广西壮族自治区") == "广西" and short_name("上海市") == "上海"
    west = {t.name: t.col for t in tiles}
    assert west["新疆"] < west["甘肃"] < west["北京"] < west["上海"]


def test_view_node_provinces_and_program_counts(view) -> None:
    provinces = node_provinces(view)
    by_label = {view.nodes[n]["label"]: codes for n, codes in provinces.items()}
    assert by_label["福建"] == ["350000"]
    assert "350000" in by_label["爱心行动"]  # implemented in a place of 福建
    assert program_counts(view, provinces)["350000"] >= 1


def test_view_page_data_years_figures_and_hidden_isolates(tmp_path: Path) -> None:
    page = write_html(load_graph(FIXTURE), tmp_path / "v.html", title="t").path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    info = {i["iri"].rsplit("/", 1)[-1]: i for i in data["info"]}
    aixin = info["aixin-xingdong-3fa2c1"]
    assert 2023 in aixin["years"]
    assert any(r[0] and r[1] == 2023 and r[2] == 4741 and r[4] for r in aixin["fig"])
    for node, item in zip(data["nodes"], data["info"], strict=True):
        assert bool(node.get("hidden")) == bool(item.get("isolate"))
