"""Upload a graph to another triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT`` replaces the target graph, ``POST`` adds to it; the target is
``URL?graph=IRI`` or ``URL?default``. The file is checked locally first and
sent as it is, with the media type of its syntax.
"""

from __future__ import annotations

import base64
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from exports.graphfile import graph_file
from exports.sparql.store import rdf_format
from kg.errors import GraphError, OutputError


@dataclass(frozen=True)
class PushResult:
    """What an upload did.

    Attributes:
        url: The request URL (with ``graph=`` or ``default``).
        method: ``PUT`` or ``POST``.
        status: HTTP status code.
        triples: Triples sent.
    """

    url: str
    method: str
    status: int
    triples: int


def target_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL for a named graph or the default graph.

    Args:
        endpoint: The store's graph store URL (e.g. ``http://host:7878/store``).
        graph: Target graph IRI, or ``None`` for the default graph.

    Returns:
        ``endpoint?graph=<encoded IRI>`` or ``endpoint?default``.

    Raises:
        OutputError: Not an http(s) URL.
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OutputError(f"{endpoint}: the endpoint must be an http:// or https:// URL")
    sep = "&" if parts.query else "?"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}" if graph else f"{endpoint}{sep}default"


def count_triples(path: Path) -> int:
    """Parse ``path`` fully (so a broken file is never sent) and count its triples.

    Raises:
        GraphError: A file that cannot be read or parsed.
    """
    try:
        with path.open("rb") as stream:
            return sum(1 for _ in ox.parse(stream, format=rdf_format(path)))
    except SyntaxError as err:
        raise GraphError(f"{path}: {' '.join(str(err).split())}") from None
    except OSError as err:
        raise GraphError(f"{path}: {err}") from None


def _send(
    url: str, method: str, path: Path, headers: dict[str, str], timeout_s: float
) -> tuple[int, str, str]:
    """Send ``path`` as the body of ``method url``; return status, reason and the start of the body.

    A server may answer (401, 413) and close before it has read the whole upload; the
    upload then breaks off with a broken pipe, and the answer it already sent is read.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutputError(f"cannot push to {url}: not an http(s) URL")
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = connection_class(parts.hostname, parts.port, timeout=timeout_s)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        with path.open("rb") as body:
            try:
                conn.request(method, target, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server has answered early: read that answer below
        response = conn.getresponse()
        detail = " ".join(response.read(300).decode("utf-8", errors="replace").split())
        return response.status, response.reason, detail
    except (OSError, http.client.HTTPException) as err:
        raise OutputError(f"cannot reach {url}: {err}") from None
    finally:
        conn.close()


def push(path: str | os.PathLike, endpoint: str, graph: str | None = None, user: str | None = None,
         password: str | None = None, replace: bool = True, timeout_s: float = 120.0) -> PushResult:
    """Upload one graph file with the Graph Store HTTP Protocol.

    Args:
        path: Graph file, or a ``kg build`` folder (its ``graph.ttl``).
        endpoint: Graph store URL.
        graph: Target graph IRI; ``None`` for the default graph.
        user: HTTP Basic user name.
        password: HTTP Basic password.
        replace: ``PUT`` (replace the graph) when true, else ``POST`` (add).
        timeout_s: Network timeout.

    Returns:
        What was sent and the server's status.

    Raises:
        GraphError: The file cannot be read or parsed.
        OutputError: The server is unreachable or answered with an error.
    """
    path = graph_file(path)
    fmt = rdf_format(path)
    triples = count_triples(path)
    url = target_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    headers = {"Content-Type": f"{fmt.media_type}; charset=utf-8" if fmt.media_type.startswith("text/")
               else fmt.media_type, "Content-Length": str(path.stat().st_size)}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    status, reason, detail = _send(url, method, path, headers, timeout_s)
    if status >= 400:
        message = f"{method} {url} failed: HTTP {status} {reason}"
        raise OutputError(message + (f": {detail}" if detail else ""))
    return PushResult(url, method, status, triples)
