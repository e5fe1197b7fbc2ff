"""The causal projection: statements -> ``networkx.MultiDiGraph`` (one edge per statement).

Nodes are entity CURIEs with ``label`` and ``category``; each statement is one edge keyed by its id with
``predicate``, ``sign``, ``causal``, ``negated``, ``context``, ``magnitude``, ``reaction``, ``sources``,
``evidence`` and ``statement`` (the :class:`~kg.model.Statement` itself). No rdf:type or label edges.
Structural (sign 0) and negated statements are kept, marked ``causal=False``: the view draws them, path
search never follows them.

>>> from kg.model import Curation, Entity
>>> g = project(Curation(entities=(Entity("CHEBI:2704", "anastrozole", "Drug"),)))
>>> g.nodes["CHEBI:2704"]["label"]
'anastrozole'
"""

from __future__ import annotations

import networkx as nx

from kg.model import Curation

__all__ = ["project"]


def project(cur: Curation) -> nx.MultiDiGraph:
    """The causal projection of ``cur``."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for e in cur.entities:
        graph.add_node(e.id, label=e.label, category=e.category)
    for st in cur.statements:
        graph.add_edge(
            st.subject,
            st.object,
            key=st.id,
            predicate=st.predicate,
            sign=st.sign,
            causal=st.causal,
            negated=st.negated,
            context=dict(st.context),
            magnitude=st.magnitude,
            reaction=st.reaction,
            sources=list(st.sources),
            evidence=[{"source": ev.source, "text": ev.text} for ev in st.evidence],
            statement=st,
        )
    return graph
