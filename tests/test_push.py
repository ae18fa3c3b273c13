"""Tests for exports.push and ``kg push``: Graph Store Protocol uploads to local servers."""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from exports.push import push, target_url
from kg.errors import GraphError, OutputError

FIXTURE = Path(__file__).parent / "fixtures" / "sparql_small.ttl"
GRAPH_IRI = "https://w3id.org/initiative-kg/graph/test"


class _GraphStore(BaseHTTPRequestHandler):
    """Just enough of the Graph Store Protocol: PUT/POST a graph, optional Basic auth."""

    graphs: dict[str, rdflib.Graph] = {}
    credentials: str | None = None

    def _target(self) -> str | None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if "graph" in query:
            return query["graph"][0]
        return "" if "default" in query else None

    def _store(self, replace: bool) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.credentials and self.headers.get("Authorization") != "Basic " + self.credentials:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.end_headers()
            return
        target = self._target()
        if target is None:
            self.send_error(400, "graph or default required")
            return
        fmt = {"text/turtle": "turtle", "application/n-triples": "nt"}.get(
            self.headers["Content-Type"].split(";")[0])
        if fmt is None:
            self.send_error(415)
            return
        existed = target in self.graphs
        graph = rdflib.Graph() if replace or not existed else self.graphs[target]
        graph.parse(data=body.decode("utf-8"), format=fmt)
        self.graphs[target] = graph
        self.send_response(204 if existed else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:  # noqa: N802
        self._store(replace=True)

    def do_POST(self) -> None:  # noqa: N802
        self._store(replace=False)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def store() -> Iterator[tuple[str, type[_GraphStore]]]:
    handler = type("Store", (_GraphStore,), {"graphs": {}, "credentials": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store", handler
    server.shutdown()
    server.server_close()


def _fixture_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE)


def _assert_same(got: rdflib.Graph, expected: rdflib.Graph) -> None:
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(got, expected)
        pytest.fail(f"graphs differ: {len(only_got)} extra, {len(only_expected)} missing")


def test_push_target_url() -> None:
    assert target_url("http://h/store", None) == "http://h/store?default"
    assert target_url("http://h/store", "https://x/g#1") == "http://h/store?graph=https%3A%2F%2Fx%2Fg%231"
    assert target_url("http://h/ds/data?x=1", "urn:g").endswith("?x=1&graph=urn%3Ag")
    with pytest.raises(OutputError, match="http"):
        target_url("ftp://h/store", None)


def test_push_put_named_graph_arrives(store) -> None:
    url, handler = store
    result = push(FIXTURE, url, graph=GRAPH_IRI)
    assert (result.method, result.status) == ("PUT", 201)
    assert result.triples == len(_fixture_graph())
    _assert_same(handler.graphs[GRAPH_IRI], _fixture_graph())


def test_push_replace_then_append(store, tmp_path: Path) -> None:
    url, handler = store
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n", encoding="utf-8")
    push(FIXTURE, url)
    assert push(extra, url, replace=False).method == "POST"
    assert len(handler.graphs[""]) == len(_fixture_graph()) + 1
    push(extra, url)  # PUT replaces
    assert len(handler.graphs[""]) == 1


def test_push_basic_auth(store) -> None:
    url, handler = store
    handler.credentials = base64.b64encode(b"kg:s3cret").decode()
    with pytest.raises(OutputError, match="HTTP 401"):
        push(FIXTURE, url, user="kg", password="wrong")
    assert push(FIXTURE, url, user="kg", password="s3cret").status == 201


def test_push_unreachable_is_one_line_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(OutputError, match="cannot reach") as info:
        push(FIXTURE, f"http://127.0.0.1:{port}/store", timeout_s=5)
    assert "\n" not in str(info.value)


def test_push_broken_graph_never_sent(store, tmp_path: Path) -> None:
    url, handler = store
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .", encoding="utf-8")
    with pytest.raises(GraphError):
        push(bad, url)
    assert handler.graphs == {}


def test_push_cli(store, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    url, handler = store
    assert main(["push", str(FIXTURE), "--endpoint", url, "--graph", GRAPH_IRI]) == 0
    assert f"triples replaced graph <{GRAPH_IRI}>" in capsys.readouterr().out
    _assert_same(handler.graphs[GRAPH_IRI], _fixture_graph())
    assert main(["push", str(FIXTURE), "--endpoint", "http://127.0.0.1:1/store"]) == OutputError.exit_code
    err = capsys.readouterr().err
    assert err.startswith("kg: error: [E200] cannot reach") and err.count("\n") == 1


@pytest.mark.skipif(shutil.which("oxigraph") is None, reason="oxigraph server binary not installed")
def test_push_to_oxigraph_server(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(["oxigraph", "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        result = push(FIXTURE, base + "/store", graph=GRAPH_IRI)
        assert result.status in (201, 204)
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRI}> {{ ?s ?p ?o }} }}"
        request = urllib.request.Request(base + "/query?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=10) as response:
            count = int(response.read().decode().split()[1])
        assert count == len(_fixture_graph())
    finally:
        proc.terminate()
        proc.wait(10)
