"""GraphML export via networkx, readable by networkx and Gephi.

GraphML attributes hold scalars only, so list attributes of the view model
(aliases, publishers) are joined with ``|`` and evidence is reduced to the
first sentence and a count.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
from rdflib import Graph

from exports.graphview import build_view
from kg.atomic import atomic_path
from kg.errors import OutputError

#: Separator for list-valued attributes.
LIST_SEP = "|"


def to_graphml_graph(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of the view with GraphML-safe (string / int) attributes.

    Args:
        view: A view from :func:`exports.graphview.build_view`.

    Returns:
        A MultiDiGraph whose node attributes are ``label, label_hant, type,
        kg_type, aliases, publisher, mentions, evidence`` and edge attributes
        ``relation, evidence, document, evidence_count, source``.
    """
    out = nx.MultiDiGraph()
    for node, data in view.nodes(data=True):
        evidence = data.get("evidence") or []
        out.add_node(
            node,
            label=data.get("label", ""),
            label_hant=data.get("label_hant", ""),
            type=data.get("type", ""),
            kg_type=data.get("kg_type", ""),
            aliases=LIST_SEP.join(data.get("aliases", [])),
            publisher=LIST_SEP.join(data.get("publishers", [])),
            mentions=int(data.get("mentions", 0)),
            evidence=evidence[0].sentence if evidence else "",
        )
    for head, tail, key, data in view.edges(keys=True, data=True):
        evidence = data.get("evidence") or []
        out.add_edge(
            head,
            tail,
            key=key,
            relation=data.get("relation", key),
            evidence=evidence[0].sentence if evidence else "",
            document=evidence[0].document if evidence else "",
            evidence_count=len(evidence),
            source=data.get("source", ""),
        )
    return out


def write_graphml(graph_or_view: Graph | nx.MultiDiGraph, out: str | os.PathLike) -> Path:
    """Write GraphML to ``out`` atomically.

    Args:
        graph_or_view: An rdflib graph or a view from :func:`build_view`.
        out: Destination ``.graphml`` file.

    Returns:
        The path written.

    Raises:
        OutputError: If ``out`` cannot be written.
    """
    view = build_view(graph_or_view) if isinstance(graph_or_view, Graph) else graph_or_view
    safe = to_graphml_graph(view)
    out = Path(out)
    try:
        with atomic_path(out) as tmp:
            nx.write_graphml(safe, tmp, encoding="utf-8", prettyprint=True, named_key_ids=True)
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or err}") from None
    return out
