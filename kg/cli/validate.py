"""``kg validate``: check a graph against the project's SHACL shapes."""

from __future__ import annotations

import json
import sys

import click


@click.command("validate")
@click.argument("graph", type=click.Path(path_type=str))
@click.option(
    "--shapes",
    "shapes_file",
    type=click.Path(path_type=str),
    help="SHACL shapes file (default: the shapes installed with the ontology).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as one line per result (text) or as a JSON object.",
)
def command(graph: str, shapes_file: str | None, output_format: str) -> None:
    """Validate GRAPH (a Turtle/N-Triples/... file, or a `kg build` output folder).

    Prints one line per result (severity, focus node, property, message), then
    a summary and the number of results per shape. Exits 0 when the graph
    conforms (warnings allowed), 1 when there are violations.
    """
    # imported here: `kg --help` lists this command without loading rdflib and pySHACL
    from exports.graphfile import load_graph
    from kg.validate import validate_graph

    data = load_graph(graph)
    shapes = load_graph(shapes_file) if shapes_file else None
    report = validate_graph(data, shapes=shapes)
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text())
    if not report.conforms:
        # SystemExit rather than click's Exit: kg.cli.main runs Click with
        # standalone_mode=False, where Click returns an Exit's code instead of exiting.
        sys.exit(1)
