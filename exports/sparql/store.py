"""Graph files into an Oxigraph store: which files, in which syntax, loaded how.

A folder stands for its ``graph.ttl`` (:func:`exports.graphfile.graph_file`);
the ontology is loaded beside the data, so queries can use its labels and
class hierarchy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from exports.graphfile import graph_file
from kg.errors import GraphError
from kg.vocab import ontology_path


def ontology_file() -> Path | None:
    """The ontology Turtle file as installed, ``None`` when it is not.

    Returns:
        :func:`kg.vocab.ontology_path`, or ``None``.
    """
    try:
        return ontology_path()
    except FileNotFoundError:
        return None


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a graph file, from its extension.

    Raises:
        GraphError: Unknown extension.
    """
    ext = path.suffix.lstrip(".").lower()
    ext = {"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(ext, ext)
    fmt = ox.RdfFormat.from_extension(ext) if ext else None
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file extension (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    return fmt


def graph_files(paths: Iterable[str | os.PathLike], ontology: bool = True) -> list[Path]:
    """Resolve graph files; a folder stands for its ``graph.ttl``.

    Args:
        paths: Graph files or ``kg build`` output folders.
        ontology: Add the ontology file when it exists.

    Returns:
        Existing files, ontology last.

    Raises:
        GraphError: A path that does not exist.
    """
    files = []
    for raw in paths:
        path = graph_file(raw)
        rdf_format(path)
        files.append(path)
    if not files:
        raise GraphError("no graph file given")
    onto = ontology_file() if ontology else None
    if onto is not None and onto.resolve() not in {f.resolve() for f in files}:
        files.append(onto)
    return files


def load_store(files: Sequence[str | os.PathLike], location: str | os.PathLike | None = None) -> ox.Store:
    """Bulk-load graph files into a store, in memory or at ``location``.

    Args:
        files: Graph files (syntax from the extension), all into the default graph.
        location: Folder of an on-disk store, or ``None`` for memory.

    Returns:
        The loaded store.

    Raises:
        GraphError: A file that cannot be read or parsed.
    """
    store = ox.Store(str(location)) if location is not None else ox.Store()
    for file in files:
        path = Path(file)
        # bulk_load writes straight to new files: fastest for big graphs, a fixed cost for small ones
        loader = store.bulk_load if path.stat().st_size > 8_000_000 else store.load
        try:
            loader(path=str(path), format=rdf_format(path))
        except SyntaxError as err:
            raise GraphError(f"{path}: {' '.join(str(err).split())}") from None
        except OSError as err:
            raise GraphError(f"{path}: {err}") from None
    if location is not None:
        store.flush()
    return store
