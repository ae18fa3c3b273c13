"""``kg push``: upload a graph to another store (SPARQL 1.1 Graph Store HTTP Protocol)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("push")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph store URL, e.g. http://localhost:7878/store (Oxigraph) or "
              "http://localhost:3030/ds/data (Fuseki).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--user", help="HTTP Basic user name.")
@click.option("--password", envvar="KG_PUSH_PASSWORD",
              help="HTTP Basic password (or set KG_PUSH_PASSWORD; asked for when --user is given alone).")
@click.option("--replace/--append", default=True, show_default=True,
              help="Replace the target graph (PUT) or add to it (POST).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Network timeout in seconds.")
def command(graph: Path, endpoint: str, graph_iri: str | None, user: str | None, password: str | None,
            replace: bool, timeout_s: float) -> None:
    """Upload GRAPH (a graph file or `kg build` folder) to a triple store.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: PUT (or POST with
    --append) to URL?graph=IRI, or URL?default without --graph. The file is
    parsed locally first, so a broken graph is never sent.
    """
    from exports.push import push

    if user is not None and password is None:
        password = click.prompt("Password", hide_input=True, default="", show_default=False)
    result = push(graph, endpoint, graph=graph_iri, user=user, password=password, replace=replace,
                  timeout_s=timeout_s)
    verb = "replaced" if replace else "added to"
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"{result.triples} triples {verb} {target} at {endpoint} (HTTP {result.status})")
