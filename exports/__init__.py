"""Exports of a finished graph: RDF, GraphML, CSV tables and an interactive HTML view.

This package reads an rdflib graph and never imports spaCy. Modules:
:mod:`exports.graphview` (networkx view model), :mod:`exports.rdf`,
:mod:`exports.graphml`, :mod:`exports.tables`, :mod:`exports.html`.
"""
