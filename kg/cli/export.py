"""``kg export``: write a graph as Turtle, N-Triples, JSON-LD, GraphML, CSV tables or annotation tasks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

#: formats of the graph itself
GRAPH_FORMATS = ("ttl", "nt", "jsonld", "graphml", "csv")
#: formats of the annotation loop: pre-annotated tasks and Label Studio's labelling config
ANNOTATION_FORMATS = ("label-studio", "label-studio-config", "doccano")
FORMATS = (*GRAPH_FORMATS, *ANNOTATION_FORMATS)


def export_tasks(
    graph_path: Path, fmt: str, out: Path, inputs: Sequence[str] = (), max_chars: int = 1500
) -> Path:
    """Write the graph's documents as pre-annotated Label Studio or doccano tasks.

    Args:
        graph_path: An RDF file or a ``kg build`` folder.
        fmt: ``label-studio`` or ``doccano``.
        out: The file to write.
        inputs: The files ``kg build`` read, for the texts a build does not keep.
        max_chars: Longest task text where the text allows (long documents are cut into passages).

    Returns:
        The file written.
    """
    from exports.annotation import document_texts, graph_tasks
    from exports.graphfile import load_graph

    graph = load_graph(graph_path)
    tasks = graph_tasks(graph, document_texts(graph_path, graph, inputs), max_chars)
    if fmt == "doccano":
        from exports.doccano import write_doccano

        return write_doccano(tasks, out)
    from exports.labelstudio import write_tasks

    return write_tasks(tasks, out)


def export(graph_path: Path, fmt: str, out: Path) -> list[Path]:
    """Read ``graph_path`` and write it to ``out`` in ``fmt``.

    Args:
        graph_path: An RDF file (format from its extension) or a ``kg build`` folder.
        fmt: One of :data:`GRAPH_FORMATS`.
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
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=str),
              help="label-studio, doccano: a file or folder kg build read (repeatable), for the texts of "
              "documents it did not keep in DIR/texts/.")
@click.option("--max-chars", default=1500, show_default=True, type=click.IntRange(50, 1_000_000),
              help="label-studio, doccano: cut longer documents into tasks of about this many characters.")
def command(graph: Path, fmt: str, out: Path, inputs: tuple[str, ...], max_chars: int) -> None:
    """Export GRAPH (a .ttl, .nt, .jsonld, ... file or a `kg build` folder) as ttl, nt, jsonld, graphml, csv,
    or as annotation tasks.

    Every file is written atomically; Turtle, N-Triples and JSON-LD are
    byte-for-byte deterministic. label-studio writes one Label Studio task per
    document (or per passage of a long one) pre-annotated with the graph's
    mentions, relations and figures; label-studio-config the labelling config
    they need (GRAPH is not read); doccano the same tasks as doccano JSONL.
    The texts come from DIR/texts/ and --input (the bundled corpus without
    it). Correct them in the tool,
    then `kg convert` or `kg train` the export.
    """
    if fmt == "label-studio-config":
        from exports.labelstudio import write_config

        written = [write_config(out)]
    elif fmt in ANNOTATION_FORMATS:
        written = [export_tasks(graph, fmt, out, inputs, max_chars)]
    else:
        written = export(graph, fmt, out)
    for path in written:
        click.echo(f"wrote {path}")
