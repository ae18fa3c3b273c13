"""CSV tables of entities, relations and measurements, via pandas.

``write_tables(graph, out_dir)`` writes ``entities.csv``, ``relations.csv`` and
``measurements.csv`` (UTF-8, comma separated, one header row), each atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pandas as pd
from rdflib import Graph

from exports.graphview import build_view, iter_measurements, iter_relation_rows
from kg.atomic import atomic_path
from kg.errors import OutputError

LIST_SEP = "|"
ENTITY_COLUMNS = ["iri", "type", "kg_type", "label", "label_hant", "aliases", "publishers", "mentions"]
RELATION_COLUMNS = [
    "head", "head_label", "relation", "tail", "tail_label", "document", "start", "end", "page", "sentence",
]  # fmt: skip
MEASUREMENT_COLUMNS = [
    "measurement", "subject", "subject_label", "indicator", "value", "unit", "year",
    "document", "start", "end", "page", "sentence",
]  # fmt: skip


def entities_frame(view: nx.MultiDiGraph) -> pd.DataFrame:
    """Return one row per entity of the view.

    Args:
        view: A view from :func:`exports.graphview.build_view`.

    Returns:
        A frame with :data:`ENTITY_COLUMNS`.
    """
    rows = [
        {
            "iri": node,
            "type": data["type"],
            "kg_type": data["kg_type"],
            "label": data["label"],
            "label_hant": data["label_hant"],
            "aliases": LIST_SEP.join(data["aliases"]),
            "publishers": LIST_SEP.join(data["publishers"]),
            "mentions": data["mentions"],
        }
        for node, data in view.nodes(data=True)
    ]
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def relations_frame(graph: Graph) -> pd.DataFrame:
    """Return one row per relation and evidence mention.

    Args:
        graph: The instance graph.

    Returns:
        A frame with :data:`RELATION_COLUMNS` (``start``/``end``/``page`` nullable
        integers; ``page`` is empty for text without pages).
    """
    frame = pd.DataFrame(list(iter_relation_rows(graph)), columns=RELATION_COLUMNS)
    return frame.astype({"start": "Int64", "end": "Int64", "page": "Int64"})


def measurements_frame(graph: Graph) -> pd.DataFrame:
    """Return one row per measurement and evidence mention.

    Args:
        graph: The instance graph.

    Returns:
        A frame with :data:`MEASUREMENT_COLUMNS`; ``value`` is kept as the exact
        decimal string, ``page`` is empty for text without pages.
    """
    frame = pd.DataFrame(list(iter_measurements(graph)), columns=MEASUREMENT_COLUMNS)
    return frame.astype({"start": "Int64", "end": "Int64", "page": "Int64"})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


def write_tables(graph: Graph, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``entities.csv``, ``relations.csv`` and ``measurements.csv`` into ``out_dir``.

    Args:
        graph: The instance graph.
        out_dir: Folder (created if missing).

    Returns:
        The three paths written.

    Raises:
        OutputError: If a file cannot be written.
    """
    out_dir = Path(out_dir)
    frames = {
        "entities.csv": entities_frame(build_view(graph, max_evidence=0, figures=False)),
        "relations.csv": relations_frame(graph),
        "measurements.csv": measurements_frame(graph),
    }
    written = []
    try:
        for name, frame in frames.items():
            _write_csv(frame, out_dir / name)
            written.append(out_dir / name)
    except OSError as err:
        raise OutputError(f"cannot write tables to {out_dir}: {err.strerror or err}") from None
    return written
