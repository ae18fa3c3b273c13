"""``kg serve``: a read-only SPARQL endpoint and query page over a graph."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from types import FrameType

import click

from exports.sparql import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.argument("graph", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="TCP port.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the endpoint to the network.")
@click.option("--timeout-s", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Stop each query after this many seconds (its worker process is killed).")
@click.option("--max-rows", type=click.IntRange(min=1), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Cut results after this many rows (header X-KG-Truncated says so).")
@click.option("--max-bytes", type=click.IntRange(min=1000), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse results bigger than this.")
@click.option("--workers", type=click.IntRange(min=1), default=min(4, os.cpu_count() or 1), show_default=True,
              help="Worker processes: queries that can run at the same time.")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@click.option("--no-explore", is_flag=True,
              help="Do not serve the explorer at /explore (nor compute its overview).")
def command(graph: tuple[Path, ...], port: int, host: str, timeout_s: float, max_rows: int, max_bytes: int,
            workers: int, quiet: bool, no_explore: bool) -> None:
    """Serve GRAPH (graph files or `kg build` folders) as a SPARQL 1.1 endpoint.

    Queries go to http://HOST:PORT/sparql (GET ?query=, POST
    application/sparql-query or form-encoded); results in SPARQL JSON, XML,
    CSV or TSV, graphs in Turtle or N-Triples, chosen by the Accept header.
    http://HOST:PORT/ is a query page with the bundled example queries;
    http://HOST:PORT/explore the explorer, which starts from an overview of
    the most connected entities (computed when the graph is loaded) and asks
    the endpoint for each neighbourhood, its evidence and figures.
    The ontology is loaded alongside the data. Read-only: SPARQL Update and
    SERVICE are refused; Ctrl-C stops the server and its workers.
    """
    from exports.server import serve

    if host not in LOOPBACK:
        click.echo(f"kg: warning: listening on {host}: the endpoint is reachable from the network", err=True)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        serve(list(graph), host=host, port=port, timeout_s=timeout_s, max_rows=max_rows,
              max_bytes=max_bytes, workers=workers, log=not quiet, explore=not no_explore)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: a normal way to stop a server
        click.echo("kg: stopped", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
