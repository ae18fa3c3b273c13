"""Where a graph is on disk, and reading it: the one graph loader of the project.

Every command that takes a GRAPH (``kg validate``, ``export``, ``view``,
``query``, ``serve``, ``push``) accepts a graph file or the output folder of
``kg build``, which stands for its ``graph.ttl``: :func:`graph_file` resolves
that, :func:`load_graph` reads the file into an rdflib graph. rdflib is
imported only by :func:`load_graph`, so the SPARQL commands (pyoxigraph)
resolve their files without paying for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import GraphError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

#: The graph file ``kg build`` writes into its output folder.
GRAPH_FILE = "graph.ttl"

#: rdflib format names of extensions ``rdflib.util.guess_format`` does not know (or reads otherwise).
_RDFLIB_FORMATS = {".jsonld": "json-ld", ".json": "json-ld", ".nq": "nquads", ".ttl": "turtle"}


def graph_file(path: str | os.PathLike) -> Path:
    """The graph file ``path`` names: itself, or the ``graph.ttl`` of a ``kg build`` folder.

    Args:
        path: A graph file or a ``kg build`` output folder.

    Returns:
        The path of an existing file.

    Raises:
        GraphError: There is no such file (or the folder holds no ``graph.ttl``).
    """
    path = Path(path)
    if path.is_dir():
        path = path / GRAPH_FILE
    if not path.is_file():
        raise GraphError(f"no graph file at {path}")
    return path


def rdflib_format(path: Path) -> str:
    """rdflib's name for the syntax of ``path``, from its extension.

    Raises:
        GraphError: Unknown extension.
    """
    from rdflib.util import guess_format

    fmt = _RDFLIB_FORMATS.get(path.suffix.lower()) or guess_format(str(path))
    if fmt is None:
        raise GraphError(f"cannot read graph {path}: unknown extension {path.suffix!r} (try .ttl, .nt)")
    return fmt


def load_graph(path: str | os.PathLike, format: str | None = None) -> Graph:
    """Read a graph file, or the ``graph.ttl`` of a ``kg build`` folder, into an rdflib graph.

    Args:
        path: A ``.ttl``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``/``.xml``,
            ``.n3`` or ``.trig`` file, or a ``kg build`` output folder.
        format: rdflib format name; from the extension when omitted.

    Returns:
        The parsed graph.

    Raises:
        GraphError: The file is missing, of an unknown format or not well-formed RDF.
    """
    from rdflib import Graph

    path = graph_file(path)
    fmt = format or rdflib_format(path)
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many kinds of parse errors; the user needs one line
        reason = " ".join(str(err).split()).split(" at ^ in:")[0][:300] or type(err).__name__
        raise GraphError(f"cannot read {path} as {fmt}: {reason}") from None
    return graph
