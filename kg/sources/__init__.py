"""Curation and sources: the curated YAML and RDF of any size in, the records and statement table out; records -> RDF.

:mod:`~kg.sources.curation` reads the curation format, :mod:`~kg.sources.rdf` reads RDF (with
:mod:`~kg.sources.records` for the small records), :mod:`~kg.sources.rdfgraph` writes the RDF master copy.
"""
