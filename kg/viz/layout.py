"""Positions of the view's nodes: a layered layout by biological level, computed once, here, in Python.

Each entity category belongs to one level (:data:`LAYERS`), and the levels run from top to bottom: drugs,
then enzymes and hormones, receptors and signalling proteins, cells and tissues, processes, and clinical
measures (with phenotypes and diseases). A causal path therefore reads in one direction, downwards. Inside
a level, a causal step between two of its entities (aromatase → 17β-estradiol) puts the second one on a
later tier, and a level with many entities in a view without paths is spread over several tiers. The
nodes of each tier are ordered to reduce crossings (barycentre sweeps).

With highlighted paths, the first path is the spine of the drawing: one straight vertical line, each of its
steps one tier down, and a level gets only as many tiers as the path has nodes in it, so the whole chain fits
on a screen; everything else is placed around it.

Top to bottom rather than left to right because labels are wide: tiers stacked vertically need only a
node's height and two lines of text each, so a six-step chain fits a laptop screen at a legible zoom;
``direction="right"`` gives the left-to-right drawing.

The browser does no physics: it draws these positions, so the same view always looks the same.

>>> pos = layered_layout([0, 1, 5], [(0, 1, True), (1, 2, True)], sizes=[(40.0, 20.0, 20.0)] * 3, paths=[[0, 1, 2]])
>>> [y for _, y in pos] == sorted(y for _, y in pos), {x for x, _ in pos}
(True, {0.0})
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from itertools import pairwise
from types import MappingProxyType
from typing import Literal

__all__ = [
    "LAYERS",
    "LAYER_NAMES",
    "LAYOUT_SEED",
    "PHYSICS_LIMIT",
    "UNKNOWN_LAYER",
    "Direction",
    "layer_of",
    "layered_layout",
]

#: Above this many nodes the page is in big-graph mode: edges hidden while dragging, straight edges only.
PHYSICS_LIMIT = 300
#: vis-network's ``layout.randomSeed`` (the layout itself is computed here and needs no seed).
LAYOUT_SEED = 20240607

#: The levels, first to last.
LAYER_NAMES: tuple[str, ...] = (
    "drug (or gene variant, regimen)",
    "enzyme / hormone",
    "receptor / signalling protein",
    "cell / tissue",
    "process",
    "clinical measure / phenotype / disease",
)

#: Entity category -> level (an index into :data:`LAYER_NAMES`).
LAYERS: Mapping[str, int] = MappingProxyType(
    {
        "Drug": 0,
        "Regimen": 0,
        "Population": 0,
        "Gene": 0,
        "Hormone": 1,
        "Enzyme": 1,
        "Chemical": 1,
        "MolecularActivity": 1,
        "Receptor": 2,
        "SignallingProtein": 2,
        "Protein": 2,
        "CellType": 3,
        "Anatomy": 3,
        "BiologicalProcess": 4,
        "ClinicalMeasure": 5,
        "Phenotype": 5,
        "Disease": 5,
    }
)
#: The level of a category :data:`LAYERS` does not know.
UNKNOWN_LAYER = 2

#: ``down``: levels from top to bottom (the view's); ``right``: from left to right.
Direction = Literal["down", "right"]

_TIER_GAP = 34.0  # graph units between the lowest label of a tier and the highest node of the next
_NODE_GAP = 22.0  # between two neighbours in a tier
_SWEEPS = 8


def layer_of(category: str) -> int:
    """The level of an entity category: 0 for drugs … 5 for clinical measures (:data:`LAYER_NAMES`).

    >>> layer_of("Drug"), layer_of("Enzyme"), layer_of("Hormone"), layer_of("ClinicalMeasure"), layer_of("?")
    (0, 1, 1, 5, 2)
    """
    return LAYERS.get(category, UNKNOWN_LAYER)


def layered_layout(
    bands: Sequence[int],
    edges: Sequence[tuple[int, int, bool]],
    *,
    sizes: Sequence[tuple[float, float, float]],
    paths: Sequence[Sequence[int]] = (),
    per_tier: int | None = None,
    direction: Direction = "down",
) -> list[tuple[float, float]]:
    """Positions (graph units, rounded to 0.1) of ``len(bands)`` nodes, in levels along ``direction``.

    ``bands[i]`` is node ``i``'s level; ``edges`` are ``(u, v, causal)`` node index pairs, where only causal
    steps order the tiers (a structural or negated statement only pulls its ends close); ``sizes[i]`` is node
    ``i``'s ``(width, above, below)``: its width with its label, and how far its shape and label reach above
    and below its centre; ``paths`` are node index sequences, most important first.

    Every step of ``paths[0]`` goes strictly down (even one back to an earlier level), on the line ``x = 0``;
    other steps go down unless that would make a cycle or the level has no tier to spare. ``per_tier``
    caps the nodes of a tier when there is no path (default: about ``1.2 * sqrt(n)``). The same input gives
    the same positions; each of the few sweeps is linear in nodes + edges.

    >>> pos = layered_layout([1, 1, 0], [(0, 1, True), (2, 0, True)], sizes=[(30.0, 15.0, 15.0)] * 3)
    >>> pos[2][1] < pos[0][1] < pos[1][1]  # drug, then enzyme, then the hormone it makes
    True
    >>> right = layered_layout([1, 1, 0], [(0, 1, True), (2, 0, True)], sizes=[(30.0, 15.0, 15.0)] * 3,
    ...                        direction="right")
    >>> right[2][0] < right[0][0] < right[1][0]
    True
    """
    n = len(bands)
    if len(sizes) != n:
        raise ValueError(f"sizes has {len(sizes)} entries for {n} nodes")
    if direction not in ("down", "right"):
        raise ValueError(f"direction must be 'down' or 'right', not {direction!r}")
    if n == 0:
        return []
    kept, order = _acyclic(n, bands, edges, paths)
    first = list(paths[0]) if paths else []
    cap = n if first else per_tier if per_tier is not None else max(10, math.ceil(1.2 * math.sqrt(n)))
    tier = _tiers(n, bands, kept, order, first, cap)
    tiers, lines = _order(n, tier, edges, order, first, {i for path in paths[1:] for i in path} - set(first))
    return _coordinates(tiers, lines, sizes, direction)


def _acyclic(
    n: int, bands: Sequence[int], edges: Sequence[tuple[int, int, bool]], paths: Sequence[Sequence[int]]
) -> tuple[list[list[int]], list[int]]:
    """The steps that order tiers, without cycles (a depth-first search drops its back edges).

    Candidates: the steps of ``paths`` (any direction, first path first), then causal steps that do not go
    back to an earlier level. The search starts at the first path's source and follows its steps first, so
    every step of that path is a tree edge and is kept. Returns the kept successors of each node and the
    nodes in discovery order (connected nodes close together: the starting order within tiers).
    """
    out: list[list[int]] = [[] for _ in range(n)]
    seen: set[tuple[int, int]] = set()
    for path in paths:
        for u, v in pairwise(path):
            if u != v and (u, v) not in seen:
                seen.add((u, v))
                out[u].append(v)
    for u, v in sorted((u, v) for u, v, causal in edges if causal and u != v and bands[u] <= bands[v]):
        if (u, v) not in seen:
            seen.add((u, v))
            out[u].append(v)
    roots = [i for path in paths for i in path] + sorted(range(n), key=lambda i: (bands[i], i))
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    kept: list[list[int]] = [[] for _ in range(n)]
    order: list[int] = []
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        order.append(root)
        stack = [(root, iter(out[root]))]
        while stack:
            node, successors = stack[-1]
            for w in successors:
                if state[w] == 1:
                    continue  # a back edge: it would close a cycle
                kept[node].append(w)
                if state[w] == 0:
                    state[w] = 1
                    order.append(w)
                    stack.append((w, iter(out[w])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return kept, order


def _topological(n: int, kept: Sequence[Sequence[int]], order: Sequence[int]) -> list[int]:
    """The nodes in an order where every kept step goes forward (Kahn; ties in discovery order)."""
    rank = {node: k for k, node in enumerate(order)}
    indegree = [0] * n
    for u in range(n):
        for v in kept[u]:
            indegree[v] += 1
    ready = [(rank[i], i) for i in range(n) if indegree[i] == 0]
    heapq.heapify(ready)
    out: list[int] = []
    while ready:
        _, u = heapq.heappop(ready)
        out.append(u)
        for v in kept[u]:
            indegree[v] -= 1
            if indegree[v] == 0:
                heapq.heappush(ready, (rank[v], v))
    return out


def _tiers(
    n: int,
    bands: Sequence[int],
    kept: Sequence[Sequence[int]],
    order: Sequence[int],
    first: Sequence[int],
    cap: int,
) -> list[int]:
    """A tier per node: levels in order, a step inside a level one tier on, at most ``cap`` nodes a tier.

    With a first path, a level has as many tiers as that path has nodes in it (one when none), the path's
    nodes each on their own tier; another node goes as far on as its level allows.
    """
    topo = _topological(n, kept, order)
    rank = {node: k for k, node in enumerate(order)}
    preds: list[list[int]] = [[] for _ in range(n)]
    depth = [0] * n  # longest chain of same-level steps ending at each node
    for u in topo:
        for v in kept[u]:
            if bands[u] == bands[v]:
                preds[v].append(u)
                depth[v] = max(depth[v], depth[u] + 1)
    spine: dict[int, int] = {}  # first-path node -> its tier inside its level
    room: dict[int, int] = {}  # level -> tiers it may use (only with a first path)
    for node in first:
        if node not in spine:
            spine[node] = room.get(bands[node], 0)
            room[bands[node]] = spine[node] + 1
    local = [0] * n
    width: dict[int, int] = {}
    for band in sorted(set(bands)):
        members = sorted((i for i in range(n) if bands[i] == band), key=lambda i: (depth[i], rank[i]))
        capacity = math.ceil(len(members) / math.ceil(len(members) / cap))
        limit = room.get(band, 1) if first else len(members)
        filled: list[int] = []
        for i in members:
            if i in spine:
                t = spine[i]
            else:
                t = min(max((local[p] + 1 for p in preds[i]), default=0), limit - 1)
                while not first and t < len(filled) and filled[t] >= capacity:
                    t += 1
            while len(filled) <= t:
                filled.append(0)
            filled[t] += 1
            local[i] = t
        width[band] = len(filled)
    offset, start = {}, 0
    for band in sorted(width):
        offset[band] = start
        start += width[band]
    tier = [offset[bands[i]] + local[i] for i in range(n)]
    for u in topo:  # the first path's step back to an earlier level still goes down: push the rest of the path
        for v in kept[u] if u in spine else ():
            if v in spine and tier[v] <= tier[u]:
                tier[v] = tier[u] + 1
    distinct = {t: k for k, t in enumerate(sorted(set(tier)))}
    return [distinct[t] for t in tier]


def _order(
    n: int,
    tier: Sequence[int],
    edges: Sequence[tuple[int, int, bool]],
    order: Sequence[int],
    first: Sequence[int],
    other_paths: set[int],
) -> tuple[list[list[int]], list[float | None]]:
    """The nodes of each tier in order: barycentre sweeps over every edge, the first path on the centre line.

    The nodes of the other highlighted paths follow only their neighbours on the paths and sit right beside
    the centre line, on the side their neighbours pull them to, so that every path of the answer stays close
    to the first. Returns the tiers and where the centre line crosses each (an index: on that node; a
    half index: between two nodes; None: the tier is centred).
    """
    on_paths = set(first) | other_paths
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for u, v, _ in edges:
        if u != v and tier[u] != tier[v]:
            if u not in other_paths or v in on_paths:
                neighbours[u].append(v)
            if v not in other_paths or u in on_paths:
                neighbours[v].append(u)
    rank = {node: k for k, node in enumerate(order)}
    tiers: list[list[int]] = [[] for _ in range(max(tier) + 1)]
    for node in sorted(range(n), key=lambda i: rank[i]):
        tiers[tier[node]].append(node)
    pinned = set(first)
    pos = [0.0] * n

    def line(row: list[int]) -> float | None:
        spine = next((k for k, node in enumerate(row) if node in pinned), None)
        if spine is not None:
            return float(spine)
        beside = [k for k, node in enumerate(row) if node in other_paths]
        if not beside:
            return None
        left = [k for k in beside if pos[row[k]] < 0]
        return left[-1] + 0.5 if left else beside[0] - 0.5

    def place(row: list[int]) -> None:
        at = line(row)
        centre = (len(row) - 1) / 2 if at is None else at
        for k, node in enumerate(row):
            pos[node] = k - centre

    def group(node: int, key: float) -> int:
        """0 far left, 1 a path's node left of the line, 2 the line, 3 a path's node right of it, 4 far right."""
        if node in pinned:
            return 2
        if node in other_paths:
            return 1 if key < 0 else 3
        return 0 if key < 0 else 4

    for row in tiers:
        place(row)
    for sweep in range(_SWEEPS):
        for row in tiers if sweep % 2 == 0 else tiers[::-1]:
            keys = {}
            for node in row:
                if node in pinned:
                    keys[node] = 0.0
                elif neighbours[node]:
                    keys[node] = sum(pos[m] for m in neighbours[node]) / len(neighbours[node])
                else:
                    keys[node] = pos[node]
            row.sort(key=lambda node: (group(node, keys[node]), keys[node], rank[node]))
            for node in row:
                pos[node] = keys[node]  # the side each node was put on, for line()
            place(row)
    return tiers, [line(row) for row in tiers]


def _coordinates(
    tiers: Sequence[Sequence[int]],
    lines: Sequence[float | None],
    sizes: Sequence[tuple[float, float, float]],
    direction: Direction,
) -> list[tuple[float, float]]:
    """Positions: tiers one after another, the nodes of each side by side, its centre line on ``0``."""
    out = [(0.0, 0.0)] * len(sizes)
    level = 0.0
    reach = 0.0  # how far the previous tier reaches past its line
    for k, (row, at) in enumerate(zip(tiers, lines, strict=True)):
        if direction == "down":
            before = max((sizes[node][1] for node in row), default=0.0)
            after = max((sizes[node][2] for node in row), default=0.0)
            extents = [(sizes[node][0] / 2, sizes[node][0] / 2) for node in row]
        else:
            before = after = max((sizes[node][0] / 2 for node in row), default=0.0)
            extents = [(sizes[node][1], sizes[node][2]) for node in row]
        if k:
            level += reach + _TIER_GAP + before
        reach = after
        centres = []
        edge = 0.0
        for low, high in extents:
            centres.append(edge + low)
            edge += low + high + _NODE_GAP
        if at is None:
            shift = -(edge - _NODE_GAP) / 2
        elif at == int(at):
            shift = -centres[int(at)]
        elif at < 0:
            shift = _NODE_GAP / 2
        else:
            b = int(at + 0.5)  # the line runs between nodes b - 1 and b
            shift = -(centres[b - 1] + extents[b - 1][1] + _NODE_GAP / 2)
        for node, centre in zip(row, centres, strict=True):
            across = round(centre + shift, 1) + 0.0
            out[node] = (across, round(level, 1)) if direction == "down" else (round(level, 1), across)
    return out
