"""``kg view``: write the interactive HTML view of a graph, or of one neighbourhood."""

from __future__ import annotations

import warnings
from pathlib import Path

import click
import networkx as nx


def select(view: nx.MultiDiGraph, *, focus: str | None, hops: int, publisher: str | None) -> nx.MultiDiGraph:
    """Restrict the view to a publisher's entities and/or a neighbourhood.

    Args:
        view: The full view model.
        focus: Name (label or alias, Simplified or Traditional) to centre on.
        hops: Neighbourhood radius around ``focus``.
        publisher: Keep only entities mentioned in this publisher's documents.

    Returns:
        The selected sub-view.

    Raises:
        kg.errors.InputError: If no entity or publisher has that name.
    """
    from exports.graphview import close_labels, find_entities
    from kg.errors import InputError

    if publisher:
        from exports.graphview import normalise_name

        wanted = normalise_name(publisher)
        names = sorted({p for _, d in view.nodes(data=True) for p in d["publishers"]})
        chosen = [p for p in names if normalise_name(p) == wanted]
        if not chosen:
            known = "、".join(names[:10]) or "none"
            raise InputError(f"no publisher named {publisher!r}; publishers: {known}")
        view = view.subgraph(n for n, d in view.nodes(data=True) if set(chosen) & set(d["publishers"]))
    if focus:
        seeds = find_entities(view, focus)
        if not seeds:
            hint = close_labels(view, focus)
            suggestion = f"; did you mean: {'、'.join(hint)}" if hint else ""
            raise InputError(f"no entity named {focus!r}{suggestion}")
        undirected = view.to_undirected(as_view=True)
        keep: set[str] = set()
        for seed in seeds:
            keep |= set(nx.single_source_shortest_path_length(undirected, seed, cutoff=hops))
        view = view.subgraph(n for n in view.nodes if n in keep)
    return view


@click.command("view")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--focus", metavar="NAME", help="Centre on the entity with this label or alias (简/繁).")
@click.option(
    "--hops", default=2, show_default=True, type=click.IntRange(0, 10), help="Neighbourhood radius."
)
@click.option("--publisher", metavar="P", help="Only entities mentioned in documents of this publisher.")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Output .html file."
)
@click.option("--title", help="Page title (default: the graph file name).")
@click.option(
    "--max-nodes", default=3000, show_default=True, type=click.IntRange(1), help="Most entities per page."
)
def command(
    graph: Path,
    focus: str | None,
    hops: int,
    publisher: str | None,
    out: Path,
    title: str | None,
    max_nodes: int,
) -> None:
    """Write an interactive HTML view of GRAPH (a graph file or a `kg build` folder).

    The page opens from disk with no network.

    Search by name (Simplified or Traditional), filter by type and publisher,
    click a node or edge for its evidence sentences.
    """
    from exports.graphfile import load_graph
    from exports.graphview import build_view
    from exports.html import write_html

    view = select(build_view(load_graph(graph)), focus=focus, hops=hops, publisher=publisher)
    if title is None:
        title = graph.name + (f" · {focus}" if focus else "") + (f" · {publisher}" if publisher else "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = write_html(view, out, title=title, max_nodes=max_nodes)
    for warning in caught:
        click.echo(f"kg: warning: {warning.message}", err=True)
    click.echo(f"wrote {result.path} ({result.shown} of {result.total} entities)")
    for page in result.focused:
        click.echo(f"wrote {page}")
