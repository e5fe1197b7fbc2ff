"""The mechanism rules of the engine that depend on the question, in one place.

**A drug fixes its target.** When the start of a question acts on a target by blocking it (``inhibits``,
``antagonist_of``), the target's state is set by that action, as an intervention sets a node in a causal
graph and cuts its inputs: a path from the start may enter the target only by its first hop. With aromatase
blocked, "anastrozole → testosterone → aromatase → 17β-estradiol" does not raise estradiol.

>>> from kg.model import Evidence, Statement
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "D", "inhibits", "E", -1), st("b", "D", "increases", "S", 1)])
>>> view = compile_view(table, table.causal)
>>> [table.nodes[n] for n in np.flatnonzero(blocked_by(view, table.node_index["D"]))]
['E']
>>> blocked_by(view, table.node_index["S"]) is None  # S blocks nothing
True
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kg.search.view import View

__all__ = ["BLOCKING", "DIRECT_ACTION", "blocked_by"]

#: predicates by which a start blocks its target (the target is then fixed by the start's action)
BLOCKING = frozenset({"inhibits", "antagonist_of"})
#: predicates of a direct action on a molecule (the start sets its target's state; a net effect does not)
DIRECT_ACTION = BLOCKING | {"activates", "agonist_of"}


def blocked_by(view: View, s: int) -> npt.NDArray[np.bool_] | None:
    """Per real node: whether node ``s`` blocks it by a statement of ``view`` (None: it blocks nothing).

    A path from ``s`` may enter such a node only by its first hop.
    """
    table = view.table
    blocking = np.array([p in BLOCKING for p in table.predicates], dtype=np.bool_)
    cut = np.zeros(view.n_real, dtype=np.bool_)
    for h in view.u_f_hop[view.u_f_ptr[s] : view.u_f_ptr[s + 1]].tolist():
        rows = view.hop_rows[view.hop_ptr[h] : view.hop_ptr[h + 1]]
        if blocking[table.predicate[rows]].any():
            cut[view.hop_dst[h]] = True
    return cut if cut.any() else None
