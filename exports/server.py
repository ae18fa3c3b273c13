"""A read-only SPARQL 1.1 Protocol endpoint over a finished graph.

The standard library's ``ThreadingHTTPServer`` speaks HTTP; every query runs
in a :class:`exports.sparql.QueryPool` worker process, so the endpoint
refuses ``SERVICE`` and Update before running, stops a query at its deadline
by killing its worker, and caps result size. Results are serialised by
Oxigraph (SPARQL JSON/XML/CSV/TSV, Turtle/N-Triples/RDF-XML/JSON-LD).
``GET /`` is a query page (plain HTML form, no script, nothing fetched);
``GET /explore`` the explorer (:mod:`exports.explore`), whose script asks
``/sparql`` for what it shows.
"""

from __future__ import annotations

import errno
import html
import json
import socket
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from exports import sparql
from exports.explore import OVERVIEW_TIMEOUT_S, Explorer
from kg.errors import QueryError, ServerError

MAX_REQUEST_BYTES = 1_000_000
#: what pages and answers may load: the query page only its inline style; the explorer its inline
#: scripts and styles, images from data: URIs, and requests to this server
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"
EXPLORER_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                "connect-src 'self'")
#: how long a request for the explorer's overview waits for it to be computed (seconds)
OVERVIEW_WAIT_S = 120.0

#: media type -> short format name, for SELECT/ASK and for CONSTRUCT/DESCRIBE
RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdf",
    "application/ld+json": "jsonld",
}


def negotiate(accept: str | None, form: str) -> str:
    """Pick the result format from an ``Accept`` header.

    Args:
        accept: The header (``None`` or ``*/*`` for the default).
        form: Query form from :func:`exports.sparql.check_query`.

    Returns:
        A short format name: SPARQL JSON / Turtle unless the client prefers
        another format we have.
    """
    table = GRAPH_MEDIA if form in ("CONSTRUCT", "DESCRIBE") else RESULT_MEDIA
    default = "ttl" if table is GRAPH_MEDIA else "json"
    choices = []
    for order, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in table and q > 0:
            choices.append((-q, order, table[media]))
    return min(choices)[2] if choices else default


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Linux: SO_REUSEADDR still refuses a port another socket listens on.
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], endpoint: Endpoint) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.endpoint = endpoint
        super().__init__(address, _Handler)


class Endpoint:
    """A bound, not yet serving SPARQL endpoint.

    Args:
        paths: Graph files or ``kg build`` folders (the ontology is added).
        host: Address to bind; loopback unless asked.
        port: TCP port (``0`` picks a free one).
        timeout_s: Hard deadline per query.
        max_rows: Row cap per result (cut results carry ``X-KG-Truncated``).
        max_bytes: Byte cap per result.
        workers: Worker processes (queries run in parallel up to this many).
        log: Print one line per request to stderr.
        explore: Serve the explorer at ``/explore`` (its overview is computed
            in the background as soon as the graph is loaded).

    Raises:
        ServerError: The address is taken or cannot be bound.
        GraphError: A graph that cannot be read.
    """

    def __init__(self, paths: Iterable[str | Path], host: str = "127.0.0.1", port: int = 7878,
                 timeout_s: float = sparql.DEFAULT_TIMEOUT_S, max_rows: int = sparql.DEFAULT_MAX_ROWS,
                 max_bytes: int = sparql.DEFAULT_MAX_BYTES, workers: int = 2, log: bool = True,
                 explore: bool = True) -> None:
        self.timeout_s, self.max_rows, self.max_bytes, self.log = timeout_s, max_rows, max_bytes, log
        try:
            self.httpd = _Server((host, port), self)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise ServerError(
                    f"cannot listen on {host}:{port}: port already in use (try --port)"
                ) from None
            raise ServerError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        try:
            self.pool = sparql.QueryPool(paths, workers=workers)
        except BaseException:
            self.httpd.server_close()
            raise
        self.examples = sparql.example_queries()
        self.explorer = Explorer(self.select) if explore else None
        if self.explorer is not None:
            self.explorer.start()

    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SELECT for the server itself (the explorer's overview): no row cap, a long deadline.

        Args:
            query: SPARQL SELECT text.

        Returns:
            Its SPARQL JSON bindings.
        """
        answer = self.pool.run(query, fmt="json", timeout_s=max(self.timeout_s, OVERVIEW_TIMEOUT_S),
                               max_rows=10**9, max_bytes=2**40)
        return json.loads(answer.body)["results"]["bindings"]

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.httpd.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (from another thread) or an interrupt."""
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` from another thread."""
        self.httpd.shutdown()

    def close(self) -> None:
        """Close the socket, stop the workers and remove the temporary store.

        An overview still being computed ends with an error its thread keeps to itself.
        """
        self.httpd.server_close()
        if self.explorer is not None:
            self.explorer.cancel()
        self.pool.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_in_thread(self) -> threading.Thread:
        """Serve in a daemon thread (tests, notebooks)."""
        thread = threading.Thread(target=self.serve_forever, name="kg-serve", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "initiative-kg"
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------ routing

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._page(params.get("query", [""])[0])
        elif url.path == "/sparql":
            if "update" in params:
                self._refuse_update()
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            else:
                self._query(params["query"][0], params.get("format", [""])[0])
        elif url.path in ("/update", "/store"):
            self._refuse_update()
        elif url.path in ("/explore", "/explore/") and self.server.endpoint.explorer is not None:
            self._send(HTTPStatus.OK, self.server.endpoint.explorer.page(), "text/html; charset=utf-8",
                       csp=EXPLORER_CSP)
        elif url.path == "/explore/overview.json" and self.server.endpoint.explorer is not None:
            self._overview()
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (the endpoint is /sparql)")

    def _overview(self) -> None:
        try:
            body = self.server.endpoint.explorer.overview(timeout=OVERVIEW_WAIT_S)  # type: ignore[union-attr]
        except TimeoutError as err:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(err), {"Retry-After": "10"})
        except RuntimeError as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8", {"Cache-Control": "no-cache"})

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            if url.path in ("/update", "/store"):
                return self._refuse_update()
            return self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {url.path}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/sparql-query":
            return self._query(body, params.get("format", [""])[0])
        if ctype == "application/sparql-update":
            return self._refuse_update()
        if ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
            if "update" in params:
                return self._refuse_update()
            if "query" in params:
                return self._query(params["query"][0], params.get("format", [""])[0])
            return self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "send application/sparql-query or application/x-www-form-urlencoded")

    def _refuse(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: use GET or POST /sparql",
                    {"Allow": "GET, POST"})

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815

    def _refuse_update(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "SPARQL Update is not allowed: this endpoint is read-only",
                    {"Allow": "GET, POST"})

    # ------------------------------------------------------------ answers

    def _run(self, query: str, fmt: str | None) -> sparql.Answer:
        endpoint = self.server.endpoint
        return endpoint.pool.run(query, fmt=fmt, timeout_s=endpoint.timeout_s,
                                 max_rows=endpoint.max_rows, max_bytes=endpoint.max_bytes)

    def _query(self, query: str, fmt: str) -> None:
        try:
            form = sparql.check_query(query)
            if fmt not in sparql.RESULT_FORMATS and fmt not in sparql.GRAPH_FORMATS:
                fmt = negotiate(self.headers.get("Accept"), form)
            answer = self._run(query, fmt)
        except QueryError as err:
            return self._query_error(err)
        headers = {"X-KG-Rows": str(answer.rows)}
        if answer.truncated:
            headers["X-KG-Truncated"] = f"results cut at {answer.rows} rows"
        ctype = answer.media_type
        if ctype.startswith("text/") or ctype.endswith(("json", "xml")):
            ctype += "; charset=utf-8"
        self._send(HTTPStatus.OK, answer.body, ctype, headers)

    def _query_error(self, err: QueryError) -> None:
        if isinstance(err, sparql.QueryTimeout | sparql.EngineBusy):
            status = HTTPStatus.SERVICE_UNAVAILABLE
        else:
            status = HTTPStatus.BAD_REQUEST
        self._error(status, str(err))

    def _error(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8", headers)

    def _send(self, status: HTTPStatus, body: bytes, ctype: str,
              headers: dict[str, str] | None = None, csp: str = PAGE_CSP) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", csp)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        if self.server.endpoint.log:
            sys.stderr.write(f"{time.strftime('%H:%M:%S')} {self.address_string()} {format % args}\n")

    # ------------------------------------------------------------ query page

    def _page(self, query: str) -> None:
        endpoint = self.server.endpoint
        result = ""
        if query.strip():
            try:
                form = sparql.check_query(query)
                answer = self._run(query, "ttl" if form in ("CONSTRUCT", "DESCRIBE") else "json")
                result = render_answer(answer)
            except QueryError as err:
                result = f'<p class="error">{html.escape(str(err))}</p>'
        page = render_page(query or (endpoint.examples[0][2] if endpoint.examples else ""),
                           endpoint.examples, result, endpoint.timeout_s, endpoint.max_rows)
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")


# ---------------------------------------------------------------- HTML

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:1.5em;max-width:80em}
textarea{width:100%;font-family:ui-monospace,monospace;font-size:13px}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;padding:2px 6px;
vertical-align:top;text-align:left}th{background:#f3f3f3}.error{color:#a00}pre{background:#f7f7f7;
padding:.5em;overflow:auto}li{margin:.2em 0}small{color:#666}
"""


def _short(value: str) -> str:
    for prefix, namespace in sparql.PREFIXES.items():
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def render_answer(answer: sparql.Answer) -> str:
    """HTML for an answer (SPARQL JSON or Turtle); every value escaped.

    Args:
        answer: A worker's answer.

    Returns:
        An HTML fragment.
    """
    note = f"<p><small>{answer.rows} row(s)"
    note += " — cut at the row cap</small></p>" if answer.truncated else "</small></p>"
    if answer.form == "CONSTRUCT":
        return note + f"<pre>{html.escape(answer.body.decode('utf-8'))}</pre>"
    data = json.loads(answer.body)
    if "boolean" in data:
        return f"<p><b>{'true' if data['boolean'] else 'false'}</b></p>"
    names = data["head"]["vars"]
    out = [note, "<table><tr>", *(f"<th>{html.escape(n)}</th>" for n in names), "</tr>"]
    for binding in data["results"]["bindings"]:
        out.append("<tr>")
        for name in names:
            term = binding.get(name)
            if term is None:
                cell = ""
            elif term["type"] == "uri":
                iri = term["value"]
                cell = f'<span title="{html.escape(iri)}">{html.escape(_short(iri))}</span>'
            else:
                cell = html.escape(str(term["value"]))
            out.append(f"<td>{cell}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def render_page(query: str, examples: Sequence[tuple[str, str, str]], result: str, timeout_s: float,
                max_rows: int) -> str:
    """The query page: a form, the example queries, and the result.

    Args:
        query: Text for the textarea.
        examples: ``(name, title, text)`` of the bundled queries.
        result: Rendered result HTML (already escaped).
        timeout_s: Shown as a hint.
        max_rows: Shown as a hint.

    Returns:
        A complete HTML document (no script, nothing loaded from elsewhere).
    """
    items = "".join(
        f'<li><a href="/?query={quote(text)}">{html.escape(name)}</a> — {html.escape(title)}</li>'
        for name, title, text in examples
    )
    csv_link = f'/sparql?query={quote(query)}&amp;format=csv' if query.strip() else "#"
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>initiative-kg SPARQL</title>
<style>{_STYLE}</style></head><body>
<h1>initiative-kg SPARQL</h1>
<p><small>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST).
Browse the graph in the <a href="/explore">explorer</a>.
Queries stop after {timeout_s:g} s; at most {max_rows} rows; SERVICE and Update are refused.</small></p>
<form method="get" action="/">
<textarea name="query" rows="16" spellcheck="false">{html.escape(query)}</textarea>
<p><button type="submit">Run</button> <a href="{csv_link}">CSV</a></p>
</form>
{result}
<h2>Example queries</h2><ul>{items}</ul>
</body></html>
"""


def serve(paths: Sequence[str | Path], host: str = "127.0.0.1", port: int = 7878, **options: Any) -> None:
    """Serve until interrupted; always stops the workers and removes temp files.

    Args:
        paths: Graph files or ``kg build`` folders.
        host: Address to bind.
        port: TCP port.
        **options: Passed to :class:`Endpoint`.
    """
    with Endpoint(paths, host=host, port=port, **options) as endpoint:
        explorer = f", explorer {endpoint.url}explore" if endpoint.explorer is not None else ""
        print(f"kg: serving SPARQL at {endpoint.url}sparql (query page {endpoint.url}{explorer}); "
              "Ctrl-C to stop", file=sys.stderr, flush=True)
        endpoint.serve_forever()
