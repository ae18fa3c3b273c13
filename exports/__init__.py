"""Exports of a finished graph: RDF, GraphML, CSV tables and an interactive HTML view.

This package reads a finished graph and never imports spaCy. Modules:
:mod:`exports.graphfile` (reading a graph file or a ``kg build`` folder),
:mod:`exports.graphview` (networkx view model), :mod:`exports.rdf`,
:mod:`exports.turtle` (the streaming Turtle writer), :mod:`exports.graphml`,
:mod:`exports.tables`, :mod:`exports.html` (the static view), with
:mod:`exports.layout` (positions and labels by level of detail),
:mod:`exports.geo` (the province tile map), :mod:`exports.kinds` (entity types
and relations as the views show them) and :mod:`exports.page` (what the pages
share), :mod:`exports.sparql` (queries with Oxigraph), :mod:`exports.server`
(the SPARQL endpoint) and :mod:`exports.explore` (the explorer it serves),
:mod:`exports.push` (upload to a triple store).
"""
