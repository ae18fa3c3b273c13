"""Exports of a finished graph: RDF, GraphML, CSV tables and an interactive HTML view.

This package reads a finished graph and never imports spaCy. Modules:
:mod:`exports.graphfile` (reading a graph file or a ``kg build`` folder),
:mod:`exports.graphview` (networkx view model), :mod:`exports.rdf`,
:mod:`exports.turtle` (the streaming Turtle writer), :mod:`exports.graphml`,
:mod:`exports.tables`, :mod:`exports.html`, :mod:`exports.sparql` (queries
with Oxigraph), :mod:`exports.server` (the SPARQL endpoint),
:mod:`exports.push` (upload to a triple store).
"""
