"""The mechanism rules of the engine, in one place.

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

**Tissue locality.** Receptor activation, cell behaviour and signalling happen in a tissue: a statement's
tissue is its context's, else the one its object is ``located_in`` (an osteoclast is in bone; only tissues some
statement's context names count). Along a path
the tissue must agree (the person rule of :func:`kg.search.hops.alternatives` with the place as one more
qualifier) until the path reaches an entity that circulates — a hormone, a drug, a chemical — which carries
the change anywhere. :func:`places_of` reads both from the data.

>>> ev = (Evidence("src:x", "t"),)
>>> t = StatementTable.from_statements([st("l", "CL:1", "located_in", "UBERON:2", 0),
...     Statement("r", "D", "agonist_of", "R", 1, ("src:x",), ev, context={"tissue": "UBERON:2"})])
>>> p = places_of(t, ["D"])
>>> p.by_curie, p.names
({'CL:1': 'UBERON:2'}, ['UBERON:2'])

**Direct mechanism vs summary.** A statement that summarises a net effect (``summary``) may name its
mediators (``via``): "clomiphene increases testosterone" happens via LH. A summary never joins a path through
its own mediators, nor into one as its target (that would count the mechanism twice): see
:func:`without_own_mediators`. Paths of direct steps only are the mechanism and are ranked first
(:meth:`kg.search.SearchIndex.paths`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from kg.search.hops import Hop, RawPath
from kg.search.view import Places, View, gather
from kg.table import StatementTable

__all__ = ["BLOCKING", "DIRECT_ACTION", "LOCATED", "blocked_by", "places_of", "without_own_mediators"]

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
    hops = np.asarray(view.u_f_hop[view.u_f_ptr[s] : view.u_f_ptr[s + 1]], dtype=np.int64)
    at, owner = gather(view.hop_ptr, hops)  # the statement rows of s's hops, all at once
    blocks = blocking.take(table.predicate.take(view.hop_rows.take(at)))
    cut = np.zeros(view.n_real, dtype=np.bool_)
    cut[view.hop_dst.take(hops.take(owner[blocks]))] = True
    return cut if cut.any() else None


#: the predicate that says where an entity is (its tissue, for tissue locality)
LOCATED = "located_in"


def places_of(table: StatementTable, circulating: Iterable[str]) -> Places:
    """Where each entity is (its one ``located_in`` object; none when it has several) and what circulates."""
    n = len(table.nodes)
    circ = np.zeros(n, dtype=np.bool_)
    index = table.node_index
    circ[[index[c] for c in circulating if c in index]] = True
    if LOCATED not in table.predicates:
        return Places([], np.full(n, -1, dtype=np.int64), circ, {})
    rows = np.flatnonzero((table.predicate == table.predicates.index(LOCATED)) & ~table.negated)
    # only the tissues that statements' contexts name make a step's place (the graph's vocabulary of tissues):
    # other locations are not used by the rule, which keeps the person tables small on a graph with thousands of
    # anatomy terms
    tissues = {index[c["tissue"]] for c in table.contexts if c.get("tissue") in index}
    where: dict[int, set[int]] = {}
    for subj, obj in zip(table.subject[rows].tolist(), table.object[rows].tolist(), strict=True):
        where.setdefault(subj, set()).add(obj)
    where = {subj: objs for subj, objs in where.items() if objs <= tissues}
    single = {subj: next(iter(objs)) for subj, objs in where.items() if len(objs) == 1}
    names = sorted({table.nodes[o] for o in single.values()})
    name_at = {name: i for i, name in enumerate(names)}
    located = np.full(n, -1, dtype=np.int64)
    by_curie = {}
    for subj, obj in single.items():
        located[subj] = name_at[table.nodes[obj]]
        by_curie[table.nodes[subj]] = table.nodes[obj]
    return Places(names, located, circ, by_curie)


def without_own_mediators(path: RawPath) -> RawPath | None:
    """``path`` without the summaries that pass through their own mediators; None when a step has none left.

    Such a path would count a mechanism twice.

    >>> from kg.model import Evidence, Statement
    >>> ev = (Evidence("src:x", "t"),)
    >>> summary = Statement("s", "C", "increases", "T", 1, ("src:x",), ev, summary=True, via=("LH",))
    >>> back = Statement("b", "T", "decreases", "LH", -1, ("src:x",), ev)
    >>> without_own_mediators(RawPath((Hop("C", "T", 1, "plain", None, (summary,)),
    ...                                Hop("T", "LH", -1, "plain", None, (back,))))) is None
    True
    """
    nodes = set(path.nodes)
    hops: list[Hop] = []
    for hop in path.hops:
        own = {hop.source, hop.target}
        keep = tuple(st for st in hop.statements if not st.summary or not (set(st.via) - own) & nodes)
        if not keep:
            return None
        same = len(keep) == len(hop.statements)
        hops.append(hop if same else Hop(hop.source, hop.target, hop.sign, hop.role, hop.reaction, keep))
    return RawPath(tuple(hops))
