"""Tests for exports.server and ``kg serve``: protocol, negotiation, refusals, deadline, shutdown."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

from exports.server import Endpoint, negotiate
from kg.errors import ServerError

FIXTURE = Path(__file__).parent / "fixtures" / "sparql_small.ttl"
ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = (
    "PREFIX kg: <https://w3id.org/initiative-kg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?label WHERE { ?p a kg:Program ; rdfs:label ?label FILTER(LANG(?label) = 'zh-hans') }\n"
    "ORDER BY ?label"
)


def _get(url: str, accept: str | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    return _open(request, timeout)


def _post(url: str, data: bytes, ctype: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    return _open(urllib.request.Request(url, data=data, headers=headers, method="POST"), 10)


def _open(request: urllib.request.Request, timeout: float) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _sparql(endpoint: Endpoint, query: str, **params: str) -> str:
    return endpoint.url + "sparql?" + urllib.parse.urlencode({"query": query, **params})


@pytest.fixture(scope="module")
def endpoint():
    with Endpoint([FIXTURE], port=0, workers=2, timeout_s=1.5, max_rows=50, log=False) as ep:
        ep.start_in_thread()
        yield ep
        ep.shutdown()


def test_server_binds_loopback_by_default(endpoint: Endpoint) -> None:
    assert endpoint.httpd.server_address[0] == "127.0.0.1"
    assert endpoint.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("application/sparql-results+json", "application/sparql-results+json",
         lambda b: [x["label"]["value"] for x in json.loads(b)["results"]["bindings"]]
         == ["爱心行动", "联通爱心助学"]),
        ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
        ("text/csv", "text/csv", lambda b: b.decode().splitlines() == ["label", "爱心行动", "联通爱心助学"]),
        ("text/tab-separated-values", "text/tab-separated-values",
         lambda b: b.decode().splitlines()[0] == "?label" and '"爱心行动"@zh-hans' in b.decode()),
        (None, "application/sparql-results+json", lambda b: "results" in json.loads(b)),
        ("text/html, text/csv;q=0.9, application/json;q=0.5", "text/csv", lambda b: b.startswith(b"label")),
    ],
)
def test_server_select_content_negotiation(endpoint: Endpoint, accept, media, check) -> None:
    status, headers, body = _get(_sparql(endpoint, PROGRAMS), accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert check(body)


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [("text/turtle", "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
     (None, "text/turtle", "turtle")],
)
def test_server_construct_content_negotiation(endpoint: Endpoint, accept, media, fmt) -> None:
    query = ("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t "
             "FILTER(?t = <https://w3id.org/initiative-kg/ontology#Program>) }")
    status, headers, body = _get(_sparql(endpoint, query), accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert len(rdflib.Graph().parse(data=body.decode(), format=fmt)) == 2


def test_server_ask(endpoint: Endpoint) -> None:
    status, _, body = _get(_sparql(endpoint, "ASK { ?s ?p ?o }"), "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_server_post_query_and_form(endpoint: Endpoint) -> None:
    url = endpoint.url + "sparql"
    status, _, body = _post(url, PROGRAMS.encode(), "application/sparql-query", "text/csv")
    assert status == 200 and "联通爱心助学" in body.decode()
    form = urllib.parse.urlencode({"query": PROGRAMS}).encode()
    status, _, body = _post(url, form, "application/x-www-form-urlencoded", "text/csv")
    assert status == 200 and "爱心行动" in body.decode()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "SELECT * WHERE { ?s ?p }",
    ],
)
def test_server_bad_or_refused_query_400(endpoint: Endpoint, query: str) -> None:
    status, headers, body = _get(_sparql(endpoint, query))
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().count("\n") == 1


def test_server_updates_405(endpoint: Endpoint) -> None:
    url = endpoint.url + "sparql"
    assert _post(url, b"DROP ALL", "application/sparql-update")[0] == 405
    assert _post(url, b"update=DROP+ALL", "application/x-www-form-urlencoded")[0] == 405
    assert _post(endpoint.url + "update", b"DROP ALL", "application/sparql-update")[0] == 405
    put = urllib.request.Request(url, data=b"", method="PUT")
    assert _open(put, 10)[0] == 405


def test_server_row_cap_header(endpoint: Endpoint) -> None:
    status, headers, body = _get(_sparql(endpoint, "SELECT * WHERE { ?s ?p ?o }"), "text/csv")
    assert status == 200
    assert len(body.decode().strip().splitlines()) == 51
    assert "50 rows" in headers["X-KG-Truncated"]


def test_server_slow_query_stopped_then_still_usable(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    big.write_text("".join(f"<http://e.org/s{i}> <http://e.org/p> \"{i}\" .\n" for i in range(3000)),
                   encoding="utf-8")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with Endpoint([big], port=0, workers=1, timeout_s=1.5, log=False) as ep:
        ep.start_in_thread()
        assert _get(_sparql(ep, "ASK {}"))[0] == 200
        start = time.monotonic()
        status, _, body = _get(_sparql(ep, slow), timeout=30)
        elapsed = time.monotonic() - start
        assert status == 503 and b"timeout" in body
        assert elapsed < 5
        status, _, body = _get(_sparql(ep, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), "text/csv", 30)
        assert status == 200 and int(body.decode().split()[1]) >= 3000
        ep.shutdown()


def test_server_query_page_lists_examples_and_escapes(endpoint: Endpoint) -> None:
    status, headers, body = _get(endpoint.url)
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "programs_per_province" in page and "<form" in page
    assert "http://" not in page.split("<body>")[0]  # nothing fetched from elsewhere
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    status, _, body = _get(endpoint.url + "?" + urllib.parse.urlencode({"query": query}))
    page = body.decode()
    assert status == 200
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_server_query_page_shows_results_and_errors(endpoint: Endpoint) -> None:
    _, _, body = _get(endpoint.url + "?" + urllib.parse.urlencode({"query": PROGRAMS}))
    assert "<td>联通爱心助学</td>" in body.decode()
    _, _, body = _get(endpoint.url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    assert 'class="error"' in body.decode() and "line 1, column" in body.decode()


def test_server_port_taken_is_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerError, match="port already in use"):
            Endpoint([FIXTURE], port=port, log=False)
        from kg.cli import main

        assert main(["serve", str(FIXTURE), "--port", str(port)]) == ServerError.exit_code


def test_server_negotiate_defaults() -> None:
    assert negotiate("*/*", "SELECT") == "json"
    assert negotiate("text/turtle", "SELECT") == "json"
    assert negotiate("application/n-triples;q=0.5, text/turtle", "CONSTRUCT") == "ttl"
    assert negotiate("text/csv;q=0", "ASK") == "json"


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_serve_cli_sigterm_stops_workers_and_removes_temp(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    cmd = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())",
           "serve", str(FIXTURE), "--port", str(port), "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        for _ in range(100):
            try:
                if _get(url, timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        workers = _children(proc.pid)
        assert len(workers) == 2
        assert any(p.name.startswith("kg-store-") for p in tmp_path.iterdir())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert "serving SPARQL at http://127.0.0.1:" in proc.stderr.read()
        time.sleep(0.2)
        assert not [w for w in workers if Path(f"/proc/{w}").exists()
                    and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]]
        assert not list(tmp_path.iterdir())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
