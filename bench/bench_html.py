"""HTML views: the static page of the 1x graph, and the served explorer on 1x and on a Kx graph.

A measurement, not a test: it prints times measured in the same run and
their ratios, and asserts nothing about time.

    python bench/bench_html.py [GRAPH] [--scale 100] [--repeat 3] [--keep DIR]

GRAPH defaults to a fresh ``kg build`` of the bundled corpus. Measured:

* ``write_html`` of GRAPH (median of ``--repeat``) and the page's size;
* the static ``graph.html`` opened from disk in headless Chromium
  (chromedriver, a fresh tab each time): milliseconds from navigation to the
  first drawn frame of the overview (the page's own ``performance.now()``
  when vis-network has drawn and labels are set), median of ``--repeat``;
* the served explorer (``kg serve`` as a subprocess, ``/explore``) on GRAPH
  and on a graph of K times the corpus: seconds until the server answers and
  until its overview is computed; then per page load (median of
  ``--repeat``, a fresh page each) the milliseconds until the overview is
  drawn, and until the neighbourhood of a node is drawn after ``expand``
  (a program of median degree in the overview, and the entity with the most
  relations, of which the first 200 are fetched), the entity panel
  (labels, evidence, figures) and a search.

The K-times graph copies every entity K times (IRIs suffixed ``~1``..,
labels ``（1）``..), with its relations, statements, mentions, documents and
measurements; only the publishers' own nodes and the province-level
divisions are shared, as a K-times corpus of the same publishers would
share them. K=100 gives ≈190,000 entities, as the issue asks for. Written
as N-Triples to a temporary folder (``--keep DIR`` keeps it for another run).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from bench_sparql import free_port, start_server, stop_server
from common import kg_command, machine, table

KG = "https://w3id.org/initiative-kg/ontology#"
KGI = "https://w3id.org/initiative-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel")
#: marks where a copy's suffix goes in the template of one copy (private-use characters)
IRI_MARK, LABEL_MARK = "\ue001", "\ue002"
#: how long the overview of a K-times graph may take (seconds)
OVERVIEW_WAIT_S = 1800.0


# --------------------------------------------------------------------------- K-times graphs


def shared_nodes(triples: list) -> set[str]:
    """IRIs every copy shares: the publishers (objects of kg:publisher) and the province-level divisions."""
    shared = set()
    for s, p, o in triples:
        if p.value == KG + "publisher":
            shared.add(o.value)
        elif p.value == RDF_TYPE and o.value == KG + "ProvinceLevelDivision":
            shared.add(s.value)
    return shared


def copy_template(triples: list, shared: set[str]) -> str:
    """N-Triples of one copy, with :data:`IRI_MARK` after every copied IRI and :data:`LABEL_MARK`
    at the end of every label of a copied entity."""
    import pyoxigraph as ox

    lines = []
    for s, p, o in triples:
        parts = []
        for term in (s, p, o):
            if isinstance(term, ox.NamedNode):
                mark = IRI_MARK if term.value.startswith(KGI) and term.value not in shared else ""
                parts.append(f"<{term.value}{mark}>")
            else:
                parts.append(str(term))
        if p.value in LABELS and s.value.startswith(KGI) and s.value not in shared:
            text = parts[2]
            end = text.rindex('"')
            parts[2] = text[:end] + LABEL_MARK + text[end:]
        lines.append(" ".join(parts) + " .\n")
    return "".join(lines)


def write_entity_scaled(source: Path, k: int, path: Path) -> tuple[Path, int]:
    """Write the K-times graph of ``source`` as N-Triples; returns the path and its triple count."""
    import pyoxigraph as ox

    from exports.sparql import rdf_format

    triples = [q.triple for q in ox.parse(path=str(source), format=rdf_format(source))]
    template = copy_template(triples, shared_nodes(triples))
    with path.open("w", encoding="utf-8") as f:
        f.write(template.replace(IRI_MARK, "").replace(LABEL_MARK, ""))
        for c in range(1, k):
            f.write(template.replace(IRI_MARK, f"~{c}").replace(LABEL_MARK, f"（{c}）"))
    return path, len(triples) * k


# --------------------------------------------------------------------------- the browser


def driver():  # noqa: ANN201 - a selenium WebDriver
    """Headless Chromium through chromedriver (selenium), or ``None`` when either is missing."""
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    chromedriver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not chromium or not chromedriver:
        return None
    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--window-size=1400,900"):
        options.add_argument(arg)
    options.binary_location = chromium
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    browser.set_script_timeout(600)
    return browser


def open_ms(browser, url: str, timeout: float = 600) -> float:  # noqa: ANN001
    """Load ``url`` in a fresh tab; the page's ``data-open-ms`` (navigation to overview drawn)."""
    browser.switch_to.new_window("tab")
    browser.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = browser.execute_script("return document.body && document.body.getAttribute('data-rendered')")
        if state == "1":
            return float(browser.execute_script("return document.body.getAttribute('data-open-ms')"))
        if state == "error":
            raise SystemExit(f"{url}: the page reports an error")
        time.sleep(0.05)
    raise SystemExit(f"{url}: not drawn within {timeout:.0f} s")


def close_tabs(browser) -> None:  # noqa: ANN001
    """Close every tab but one."""
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])


_CALL = ("var done = arguments[arguments.length - 1]; "
         "{call}.then(done, function (e) {{ done('error: ' + e); }});")


def explorer_call(browser, call: str, *args: object) -> object:  # noqa: ANN001
    """Run ``kgExplore.<call>`` (a promise) in the page and return what it resolves to."""
    return browser.execute_async_script(_CALL.format(call=call), *args)


def pick_nodes(browser) -> tuple[str, str]:  # noqa: ANN001
    """(a program of median degree in the overview, the entity with the most relations)."""
    return tuple(browser.execute_script("""
        var info = kgExplore.info();
        var programs = info.filter(function (x) { return x.type === 'PROGRAM'; });
        programs.sort(function (a, b) { return a.degree - b.degree || (a.iri < b.iri ? -1 : 1); });
        var hub = info.slice().sort(function (a, b) { return b.degree - a.degree; })[0];
        if (!programs.length) { throw new Error('no program in the overview'); }
        return [programs[Math.floor(programs.length / 2)].iri, hub.iri];"""))


def measure_explorer(browser, graph: Path, repeat: int, tmp: Path) -> dict[str, object]:  # noqa: ANN001
    """Serve ``graph``, load /explore ``repeat`` times; times of each step."""
    port = free_port()
    t = time.perf_counter()
    proc = start_server(graph, port, tmp / f"serve-{graph.stem}.log")
    out: dict[str, object] = {"serve_s": time.perf_counter() - t}
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/explore/overview.json",
                                    timeout=OVERVIEW_WAIT_S) as response:
            size = len(response.read())
        out["overview_s"] = time.perf_counter() - t
        out["overview_bytes"] = size
        url = f"http://127.0.0.1:{port}/explore"
        runs: dict[str, list[float]] = {k: [] for k in ("open", "expand", "expand_hub", "details", "search")}
        for _ in range(repeat):
            runs["open"].append(open_ms(browser, url))
            node, hub = pick_nodes(browser)
            runs["expand"].append(explorer_call(browser, "kgExplore.expand(arguments[0])", node)["ms"])
            answer = explorer_call(browser, "kgExplore.expand(arguments[0])", hub)
            runs["expand_hub"].append(answer["ms"])
            out["hub_degree"] = answer["degree"]
            explorer_call(browser, "kgExplore.details(arguments[0])", hub)
            runs["details"].append(float(browser.execute_script("return kgExplore.timings.details")))
            t0 = time.perf_counter()
            explorer_call(browser, "kgExplore.search(arguments[0])", "爱心")
            runs["search"].append((time.perf_counter() - t0) * 1000)
            close_tabs(browser)
        out.update({k: statistics.median(v) for k, v in runs.items()})
    finally:
        stop_server(proc)
    return out


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", nargs="?", type=Path)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Folder to write the K-times graph to (kept).")
    args = ap.parse_args(argv)

    import rdflib

    from exports.html import write_html

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        graph_path = args.graph
        if graph_path is None:
            subprocess.run([*kg_command(), "build", "--out", str(tmp / "out"), "--no-html", "-q"], check=True)
            graph_path = tmp / "out" / "graph.ttl"
        rows = []
        graph = rdflib.Graph().parse(str(graph_path))
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = write_html(graph, tmp / "graph.html", title="bench")
            times.append(time.perf_counter() - t)
        size = (tmp / "graph.html").stat().st_size
        rows.append(["write_html (1x)", f"{statistics.median(times):.2f} s",
                     f"{size / 2**20:.2f} MB page, {result.shown:,} of {result.total:,} entities"])
        browser = driver()
        if browser is None:
            rows.append(["browser", "skipped", "needs chromium, chromedriver and selenium"])
            print(table(rows, ["step", "time", "note"]))
            return 0
        try:
            static = [open_ms(browser, (tmp / "graph.html").resolve().as_uri()) for _ in range(args.repeat)]
            close_tabs(browser)
            rows.append(["static graph.html from disk: overview drawn", f"{statistics.median(static):.0f} ms",
                         f"min {min(static):.0f}, max {max(static):.0f}"])
            base = measure_explorer(browser, graph_path, args.repeat, tmp)
            folder = args.keep or tmp
            folder.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            scaled, triples = write_entity_scaled(graph_path, args.scale, folder / f"graph-{args.scale}x.nt")
            synth = time.perf_counter() - t
            big = measure_explorer(browser, scaled, args.repeat, tmp)
        finally:
            browser.quit()
    print(f"# HTML views — {machine()}")
    print(f"graph: {graph_path}; {args.scale}x graph: {triples:,} triples (written in {synth:.0f} s); "
          f"median of {args.repeat}\n")
    print(table(rows, ["step", "time", "note"]))
    print()
    explorer_rows = []
    for key, label, unit in (
        ("serve_s", "kg serve answering", "s"), ("overview_s", "overview computed (from start)", "s"),
        ("open", "/explore: overview drawn", "ms"), ("expand", "expand a program (median degree)", "ms"),
        ("expand_hub", "expand the most connected entity (first 200)", "ms"),
        ("details", "entity panel (labels, evidence, figures)", "ms"), ("search", "search 爱心", "ms"),
    ):
        a, b = float(base[key]), float(big[key])
        fmt = "{:.1f}" if unit == "s" else "{:.0f}"
        explorer_rows.append([label, fmt.format(a) + f" {unit}", fmt.format(b) + f" {unit}", f"{b / a:.1f}x"])
    print(table(explorer_rows, ["served explorer", "1x", f"{args.scale}x", f"{args.scale}x / 1x"]))
    print(f"\nmost connected entity: {big['hub_degree']:,} relations at {args.scale}x, "
          f"{base['hub_degree']:,} at 1x; overview JSON {base['overview_bytes'] / 1024:.0f} / "
          f"{big['overview_bytes'] / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
