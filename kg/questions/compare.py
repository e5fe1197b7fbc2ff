"""``compare``: one effect per context, side by side (the seed article's two tables).

pandas is optional: :func:`compare_rows` gives plain rows; ``KnowledgeGraph.compare`` makes the
DataFrame when pandas is installed (``pip install hormone-kg[tables]``).

>>> import kg
>>> g = kg.load()
>>> women = "postmenopausal women with hormone-receptor-positive breast cancer"
>>> rows = compare_rows(g, "CHEBI:2704", "GO:0045453", [g.context(women),
...                                                      g.context("men on testosterone therapy")])
>>> [row["magnitude"] for row in rows]
['strong', 'moderate']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.context import Context
from kg.questions.effect import effect
from kg.questions.results import sources_of
from kg.store.store import Store

__all__ = ["compare_rows"]


def compare_rows(g: Store, source: str, target: str, contexts: Sequence[Context]) -> list[dict[str, Any]]:
    """One row per context: predicted, observed and overall direction, magnitude, findings, sources."""
    rows = []
    for ctx in contexts:
        e = effect(g, source, target, ctx)
        rows.append(
            {
                "context": e.context,
                "predicted": e.predicted,
                "observed": e.observed,
                "reported": e.reported,
                "direction": e.direction,
                "magnitude": e.magnitude,
                "paths": len(e.paths),
                "findings": [f.summary(g.label) for f in e.findings],
                "evidence": [ev.text for f in e.findings for ev in f.evidence],
                "sources": list(sources_of([*e.findings, *(st for p in e.paths[:5] for st in p.statements)])),
            }
        )
    return rows
