"""``kg export``: write a graph as Turtle, N-Triples, JSON-LD, GraphML or CSV tables."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("ttl", "nt", "jsonld", "graphml", "csv")


def export(graph_path: Path, fmt: str, out: Path) -> list[Path]:
    """Read ``graph_path`` and write it to ``out`` in ``fmt``.

    Args:
        graph_path: An RDF file (format from its extension) or a ``kg build`` folder.
        fmt: One of :data:`FORMATS`.
        out: Destination file; a folder for ``csv``.

    Returns:
        The files written.

    Raises:
        kg.errors.GraphError: If the graph cannot be read.
        kg.errors.OutputError: If the output cannot be written.
    """
    from exports.graphfile import load_graph
    from exports.rdf import RDF_FORMATS, export_graph

    graph = load_graph(graph_path)
    if fmt in RDF_FORMATS:
        return [export_graph(graph, fmt, out)]
    if fmt == "graphml":
        from exports.graphml import write_graphml

        return [write_graphml(graph, out)]
    from exports.tables import write_tables

    return write_tables(graph, out)


@click.command("export")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file (a folder for csv: entities.csv, relations.csv, measurements.csv).",
)
def command(graph: Path, fmt: str, out: Path) -> None:
    """Export GRAPH (a .ttl, .nt, .jsonld, ... file or a `kg build` folder) as ttl, nt, jsonld, graphml, csv.

    Every file is written atomically; Turtle, N-Triples and JSON-LD are
    byte-for-byte deterministic.
    """
    for path in export(graph, fmt, out):
        click.echo(f"wrote {path}")
