"""Benchmarks of the one engine (kg.search) and load pipeline beside naive baselines measured in the same run.

    .venv/bin/python -m benchmarks.run --quick     # CI size: 10^4 statements (< 1 minute; a smoke test)
    .venv/bin/python -m benchmarks.run --medium    # 2,000, 5,000 and 20,000 statements (~2.5 minutes)
    .venv/bin/python -m benchmarks.run --full      # 10^4, 10^5 and 10^6 statements
    .venv/bin/python -m benchmarks.run --sizes 2000,5000,20000   # any sizes (commas or spaces)

Each size runs in its own process (a worker). Synthetic graphs come from ``benchmarks/synth.py`` (Turtle in
the compiled shape) and are kept in ``$HORMONE_KG_BENCH_DIR`` (default: a folder under the system temp dir).
Figures are medians with min–max over repeated runs; query figures are over a fixed, seeded set of entity
pairs. Results: a Markdown table on stdout and JSON in the bench folder.

Loading is measured twice, each run in a fresh process of its own (peak memory = that process's max RSS):
the *cold import* (an empty ``$HORMONE_KG_CACHE``: ``kg.load([path])`` reads the file with pyoxigraph into the
statement table and checks the statement rules, no SHACL; an import of at least 1 MiB also writes its
snapshot; 3 runs up to 10^5 statements, 1 above) and the *warm load* (a second process on the same cache:
the snapshot is read, memory-mapped, instead of parsing; a file under 1 MiB has no snapshot and is parsed
again). Both include the default-context projection (the search index's CSR arrays); ``kg.load`` alone and
the whole process's wall time (interpreter start and ``import kg`` included) are recorded too. The worker
then loads warm itself and runs the queries; downstream answers stopped by their work budget are counted
(``truncated``).

Baselines, at every size: the unsigned library work runs on a simple causal projection (sign ≠ 0, not
negated) built from the rdflib parse up to ``--no-baseline-above`` statements (default 2×10^5; rdflib is too
slow and large above) and from the loaded graph's own table above that (the table and JSON say which).
The naive pipeline: rdflib parse (only up to that size); networkx ``all_simple_edge_paths`` with the sign
product (capped at 2 s per pair, the capped pairs counted) for causal_paths and effect, and from the source
to every node for downstream (capped at 2 s per source); networkx BFS for unsigned downstream. The unsigned work
on the same projection: networkx ``shortest_simple_paths`` (top 10, ≤ 6 hops) and scipy's csgraph BFS
(full); igraph ``Graph.get_k_shortest_paths`` (Yen, k=10, no length bound; one uninterruptible call, so
once a pair takes over 2 s the remaining pairs are skipped and counted) and ``Graph.neighborhood(order=6)``
(depth-bounded BFS); rustworkx ``digraph_dijkstra_shortest_paths`` to the target (a single shortest path:
rustworkx has no k-shortest simple paths) and ``descendants`` (a full BFS: rustworkx has no depth-limited
one). The igraph/rustworkx graphs are converted once from the networkx projection; the conversion time is
recorded but not counted in the per-query figures. For the traversal machinery alone, the search index's
signed reachability (node × parity BFS to depth 6, no person rule, no path objects) is set beside igraph's
``neighborhood(order=6)``: the equivalent unsigned work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
#: ``--medium``: the sizes of the load and downstream targets (5,000 loads < 3 s; 2,000 and 20,000 not truncated)
MEDIUM = [2_000, 5_000, 20_000]


def bench_dir() -> Path:
    folder = Path(os.environ.get("HORMONE_KG_BENCH_DIR") or Path(tempfile.gettempdir()) / "hormone-kg-bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    out, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t)
    return out, result


def graph_file(size: int) -> Path:
    from benchmarks import synth

    path = bench_dir() / f"synthetic-{size}.ttl"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        synth.write_turtle(synth.generate(size, seed=0), tmp)
        tmp.replace(path)
    return path


# ---------------------------------------------------------------------------------------------- loading
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_once(size: int) -> dict[str, Any]:
    """One load in this (fresh) process, into ``$HORMONE_KG_CACHE``: ``kg.load`` + the default projection."""
    import kg
    from kg.questions.scope import scope_of
    from kg.store.cache import cache_dir

    path = graph_file(size)
    before = {p.name for p in cache_dir().glob("snapshot-*")} if cache_dir().is_dir() else set()
    load = kg.load  # `import kg` is lazy: the graph machinery is imported here, not inside the timed load
    t = time.perf_counter()
    g = load([path])
    loaded = time.perf_counter() - t
    g.index.view(scope_of(g, g.context(None)))  # the projection: CSR arrays of the default context
    seconds = time.perf_counter() - t
    after = {p.name for p in cache_dir().glob("snapshot-*")} if cache_dir().is_dir() else set()
    snapshot = "written" if after - before else ("read" if before else "none")
    return {"seconds": seconds, "load_seconds": loaded, "peak_rss_mb": peak_rss_mb(), "snapshot": snapshot,
            "statements": len(g.table)}  # fmt: skip


def load_process(size: int, cache: str) -> dict[str, Any]:
    """:func:`load_once` in a fresh process with ``$HORMONE_KG_CACHE`` = ``cache``."""
    env = {**os.environ, "HORMONE_KG_CACHE": cache}
    cmd = [PY, "-m", "benchmarks.run", "--load-once", str(size)]
    t = time.perf_counter()
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"a {size:,}-statement load process failed (exit {done.returncode})")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_seconds"] = wall  # the whole process: interpreter start, import kg, load, projection
    return out


def load_stats(loads: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **stats([x["seconds"] for x in loads]),
        "kg_load": stats([x["load_seconds"] for x in loads]),
        "process": stats([x["process_seconds"] for x in loads]),
        "peak_rss_mb": stats([x["peak_rss_mb"] for x in loads]),
        "snapshot": [x["snapshot"] for x in loads],
    }


# ---------------------------------------------------------------------------------------------- one size
def worker(size: int, runs: int, baseline: bool, rdflib_limit: int = 200_000) -> dict[str, Any]:
    """Everything for one size: the load processes, then (in this process) warm load, queries, baselines."""
    path = graph_file(size)
    res: dict[str, Any] = {"size": size, "bytes": path.stat().st_size}
    cold_runs = 3 if size <= 100_000 else 1  # ~65 s a run at 10^6
    with tempfile.TemporaryDirectory(prefix="hormone-kg-cache-") as cache:
        cold = []
        for i in range(cold_runs):
            if i == cold_runs - 1:  # the last cold import leaves its snapshot for the warm loads
                cold.append(load_process(size, cache))
            else:
                with tempfile.TemporaryDirectory(prefix="hormone-kg-cache-") as scratch:
                    cold.append(load_process(size, scratch))
        res["load_cold"] = load_stats(cold)
        res["load_warm"] = load_stats([load_process(size, cache) for _ in range(runs)])
        os.environ["HORMONE_KG_CACHE"] = cache  # the snapshot is memory-mapped: keep the folder until done
        _measure(res, path, size, baseline, rdflib_limit)
    return res


def _measure(res: dict[str, Any], path: Path, size: int, baseline: bool, rdflib_limit: int) -> None:
    import kg
    from kg.questions.scope import scope_of
    from kg.search.view import signed_distances

    t = time.perf_counter()
    g = kg.load([path])
    view = g.index.view(scope_of(g, g.context(None)))
    res["load_in_worker"] = time.perf_counter() - t
    res["peak_rss_after_load_mb"] = peak_rss_mb()
    rng = random.Random(0)
    table = g.table
    causal = [i for i in range(len(table)) if table.sign[i] != 0 and not table.negated[i]]
    subjects = [table.nodes[int(table.subject[i])] for i in rng.sample(causal, min(20, len(causal)))]
    objects = [table.nodes[int(table.object[i])] for i in rng.sample(causal, min(20, len(causal)))]
    pairs = list(zip(subjects, objects, strict=True))
    labels = [g.entities[s].label for s, _ in pairs]
    names = ("resolve", "causal_paths", "effect", "downstream", "signed_reach", "compare")
    q: dict[str, list[float]] = {k: [] for k in names}
    truncated = {"causal_paths": 0, "effect": 0, "downstream": 0}
    sizes = {"downstream_nodes": []}  # type: dict[str, list[int]]
    for (s, d), label in zip(pairs, labels, strict=True):
        q["resolve"].append(timed(lambda label=label: g.resolve(label), 1)[0][0])
        ts, paths = timed(lambda s=s, d=d: g.causal_paths(s, d, max_length=6, limit=10), 1)
        q["causal_paths"].append(ts[0])
        truncated["causal_paths"] += paths.truncated
        ts, eff = timed(lambda s=s, d=d: g.effect(s, d), 1)
        q["effect"].append(ts[0])
        truncated["effect"] += eff.truncated
        ts, down = timed(lambda s=s: g.downstream(s, max_length=6), 1)
        q["downstream"].append(ts[0])
        truncated["downstream"] += bool(down.truncated)
        sizes["downstream_nodes"].append(len(down))
        start = table.node_index[s]
        ts, _ = timed(lambda start=start: signed_distances(view, start, 6, reverse=False), 1)
        q["signed_reach"].append(ts[0])
    g.context({"sex": "female"}), g.context({"sex": "male"})
    for s, d in pairs[:5]:
        q["compare"].append(timed(lambda s=s, d=d: g.compare(s, d, [{"sex": "female"}, {"sex": "male"}]), 1)[0][0])
    res["queries"] = {k: stats(v) for k, v in q.items() if v}
    res["truncated"] = truncated
    res["pairs"] = len(pairs)
    res["downstream_nodes_median"] = statistics.median(sizes["downstream_nodes"])
    res["viz"] = _viz(g, pairs[0][0])
    res["peak_rss_mb"] = peak_rss_mb()
    if baseline:
        res["baseline"] = _baselines(g, path, pairs, use_rdflib=size <= rdflib_limit)
        res["baseline"]["rdflib_limit"] = rdflib_limit


def _viz(g: Any, focus: str) -> dict[str, Any]:
    """The focused HTML view: the nearest 5,000 entities within 6 steps (radius 2 if max_nodes is absent)."""
    import inspect

    try:
        from kg import viz
    except ImportError:
        return {"skipped": "kg.viz not present"}
    bounded = "max_nodes" in inspect.signature(viz.render_html).parameters
    kwargs: dict[str, Any] = {"radius": 6, "max_nodes": 5000} if bounded else {"radius": 2}
    t = time.perf_counter()
    html = viz.render_html(g, focus=focus, **kwargs)
    out = {"seconds": time.perf_counter() - t, "bytes": len(html), "focus": focus, **kwargs}
    if bounded and "max_nodes" in inspect.signature(viz._select).parameters:
        view = viz._select(g, focus, 6, None, None, max_nodes=5000)
        out["nodes"], out["statements"] = len(view.nodes), len(view.statements)
    return out


def _naive_signed_paths(
    graph: Any, s: str, targets: Any, budget: float, use_alarm: bool
) -> tuple[float, list[tuple[int, int, Any]], int]:
    """networkx ``all_simple_edge_paths`` (≤ 6 hops) with each path's sign product, stopped after ``budget`` s.

    Returns (seconds, [(length, sign, edge path)], 1 if it was stopped else 0).
    """
    import signal

    import networkx as nx

    t = time.perf_counter()
    found: list[tuple[int, int, Any]] = []
    try:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, budget)  # one shot: fires at most once
        for edge_path in nx.all_simple_edge_paths(graph, s, targets, cutoff=6):
            sign = 1
            for u, v, k in edge_path:
                sign *= graph.edges[u, v, k]["sign"]
            found.append((len(edge_path), sign, edge_path))
            if not use_alarm and time.perf_counter() - t > budget:
                raise _OverBudget
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OverBudget:
        return time.perf_counter() - t, found, 1
    return time.perf_counter() - t, found, 0


class _OverBudget(Exception):
    """Raised by the alarm when a pure-Python baseline overruns its per-pair budget."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise _OverBudget


def _projection_rdflib(path: Path, out: dict[str, Any]) -> Any:
    """The naive pipeline's load: rdflib parse, then the causal edges into a networkx MultiDiGraph."""
    import networkx as nx
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF

    from kg.namespaces import HKG, compress

    t = time.perf_counter()
    rdf = Graph().parse(path, format="turtle")
    out["parse_rdflib"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = nx.MultiDiGraph()
    for st in rdf.subjects(RDF.type, HKG.Statement):
        sign = rdf.value(st, HKG.sign)
        if not isinstance(sign, Literal) or int(sign) == 0 or rdf.value(st, HKG.negated) is not None:
            continue
        graph.add_edge(compress(str(rdf.value(st, RDF.subject))), compress(str(rdf.value(st, RDF.object))),
                       sign=int(sign))  # fmt: skip
    out["project_networkx"] = time.perf_counter() - t
    out["load"] = out["parse_rdflib"] + out["project_networkx"]
    out["projection_source"] = "rdflib parse"
    return graph


def _projection_table(g: Any, out: dict[str, Any]) -> Any:
    """The same causal projection from the loaded graph's table (when rdflib is skipped): not a load figure."""
    import networkx as nx
    import numpy as np

    t = time.perf_counter()
    table = g.table
    sign = np.asarray(table.sign)
    rows = np.flatnonzero((sign != 0) & ~np.asarray(table.negated, dtype=np.bool_))
    nodes = table.nodes
    graph = nx.MultiDiGraph()
    graph.add_edges_from(
        (nodes[u], nodes[v], {"sign": s})
        for u, v, s in zip(
            np.asarray(table.subject)[rows].tolist(),
            np.asarray(table.object)[rows].tolist(),
            sign[rows].tolist(),
            strict=True,
        )
    )
    out["project_networkx_from_table"] = time.perf_counter() - t
    out["projection_source"] = "kg table"
    return graph


def _baselines(g: Any, path: Path, pairs: list[tuple[str, str]], *, use_rdflib: bool) -> dict[str, Any]:
    """The naive pipeline and the unsigned library work, on one simple causal projection."""
    import signal

    import igraph
    import networkx as nx
    import numpy as np
    import rustworkx as rx
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order

    out: dict[str, Any] = {}
    graph = _projection_rdflib(path, out) if use_rdflib else _projection_table(g, out)
    out["projection_edges"] = graph.number_of_edges()
    simple = nx.DiGraph(graph)
    budget = 2.0  # per pair: the naive enumeration explodes between hubs
    naive, unsigned, down_nx, down_scipy = [], [], [], []
    nodes = list(simple)
    at = {n: i for i, n in enumerate(nodes)}
    edges = np.array([(at[u], at[v]) for u, v in simple.edges()], dtype=np.int64).reshape(-1, 2)
    csr = sp.csr_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(nodes), len(nodes)))

    # igraph and rustworkx on the same simple projection, converted once (not counted per query)
    t = time.perf_counter()
    ig_graph = igraph.Graph(n=len(nodes), edges=edges.tolist(), directed=True)
    out["convert_igraph"] = time.perf_counter() - t
    t = time.perf_counter()
    rx_graph = rx.PyDiGraph(multigraph=False)
    rx_graph.add_nodes_from(range(len(nodes)))  # node index i == position i in `nodes`
    rx_graph.add_edges_from_no_data(list(map(tuple, edges.tolist())))
    out["convert_rustworkx"] = time.perf_counter() - t
    ig_paths, ig_down, rx_path, rx_down = [], [], [], []
    ig_over, ig_skipped = 0, 0

    # the 2 s cap: an alarm interrupts the enumeration even while it finds no path (checked between paths too)
    use_alarm = hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _alarm) if use_alarm else None
    capped = down_capped = 0
    down_naive: list[float] = []
    for s, d in pairs[:8]:
        if s not in graph or d not in graph:
            continue
        # the naive causal_paths: every simple path s -> d (≤ 6 hops) with its sign, then the 10 shortest
        seconds, found, over = _naive_signed_paths(graph, s, d, budget, use_alarm)
        sorted(found, key=lambda x: x[0])[:10]
        naive.append(seconds)
        capped += over
        # the naive downstream: every simple path from s (≤ 6 hops) with its sign; per (node, sign) the shortest
        seconds, found, over = _naive_signed_paths(graph, s, set(graph) - {s}, budget, use_alarm)
        reached: dict[tuple[str, int], int] = {}
        for length, sign, edge_path in found:
            end = (edge_path[-1][1], sign)
            reached[end] = min(reached.get(end, 99), length)
        down_naive.append(seconds)
        down_capped += over
        t = time.perf_counter()
        try:
            gen = nx.shortest_simple_paths(simple, s, d)
            for _, p in zip(range(10), gen, strict=False):
                if len(p) > 7:
                    break
        except nx.NetworkXNoPath:
            pass
        unsigned.append(time.perf_counter() - t)
        t = time.perf_counter()
        nx.single_source_shortest_path_length(simple, s, cutoff=6)
        down_nx.append(time.perf_counter() - t)
        t = time.perf_counter()
        breadth_first_order(csr, at[s], directed=True, return_predecessors=False)
        down_scipy.append(time.perf_counter() - t)
        # igraph: Yen's k shortest simple paths (no length bound; one C call, so it cannot be stopped midway:
        # once a pair overruns the budget the remaining pairs are skipped and counted)
        if ig_over:
            ig_skipped += 1
        else:
            t = time.perf_counter()
            ig_graph.get_k_shortest_paths(at[s], to=at[d], k=10, mode="out")
            ig_paths.append(time.perf_counter() - t)
            ig_over += int(ig_paths[-1] > budget)
        t = time.perf_counter()
        ig_graph.neighborhood(vertices=at[s], order=6, mode="out")  # depth-bounded BFS
        ig_down.append(time.perf_counter() - t)
        # rustworkx: no k-shortest simple paths; a single unit-weight shortest path to the target
        t = time.perf_counter()
        rx.digraph_dijkstra_shortest_paths(rx_graph, at[s], target=at[d])
        rx_path.append(time.perf_counter() - t)
        # rustworkx: no depth-limited BFS (bfs_search with a Python visitor would time the callbacks, and
        # bfs_layers, rustworkx >= 0.18, is also unbounded): the full reachable set
        t = time.perf_counter()
        rx.descendants(rx_graph, at[s])
        rx_down.append(time.perf_counter() - t)
    if use_alarm:
        signal.signal(signal.SIGALRM, previous)
    out["causal_paths_naive"] = stats(naive)
    out["causal_paths_naive_capped_at_2s"] = capped
    if down_naive:
        out["downstream_naive"] = stats(down_naive)
    out["downstream_naive_capped_at_2s"] = down_capped
    out["paths_unsigned_networkx"] = stats(unsigned)
    out["downstream_unsigned_networkx"] = stats(down_nx)
    out["downstream_unsigned_scipy_full_bfs"] = stats(down_scipy)
    if ig_paths:
        out["paths_unsigned_igraph_k_shortest"] = stats(ig_paths)
    out["paths_unsigned_igraph_over_2s"] = ig_over
    out["paths_unsigned_igraph_skipped"] = ig_skipped
    out["downstream_unsigned_igraph_neighborhood"] = stats(ig_down)
    out["paths_unsigned_rustworkx_one_shortest"] = stats(rx_path)
    out["downstream_unsigned_rustworkx_full_bfs"] = stats(rx_down)
    return out


# ---------------------------------------------------------------------------------------------- bundled
def bundled(runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "HORMONE_KG_CACHE": cache}
            t = time.perf_counter()
            subprocess.run([PY, "-c", "import kg; kg.load()"], check=True, env=env, cwd=ROOT)
            cold.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "HORMONE_KG_CACHE": cache}
        subprocess.run([PY, "-c", "import kg; kg.load()"], check=True, env=env, cwd=ROOT)
        warm = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([PY, "-c", "import kg; kg.load()"], check=True, env=env, cwd=ROOT)
            warm.append(time.perf_counter() - t)
    out["cold_load_process"] = stats(cold)
    out["warm_load_process"] = stats(warm)
    import kg
    from kg.graph import KnowledgeGraph

    g0 = kg.load()
    questions: dict[str, Callable[[KnowledgeGraph], Any]] = {
        "resolve": lambda g: g.resolve("E2"),
        "causal_paths": lambda g: g.causal_paths("anastrozole", "bone mineral density", limit=10),
        "effect": lambda g: g.effect("anastrozole", "bone mineral density", context="postmenopausal women"),
        "downstream": lambda g: g.downstream("estradiol"),
        "compare": lambda g: g.compare("anastrozole", "bone resorption",
                                       ["postmenopausal women", "men on testosterone therapy"]),
    }  # fmt: skip
    for name, fn in questions.items():
        fn(g0)  # warm the per-context caches, as a session would
        out[name] = stats(timed(lambda fn=fn: fn(g0), max(5, runs * 5))[0])
    if (ROOT / "benchmarks" / "bench_cli.py").exists():
        script = Path(PY).with_name("hormone-kg")
        cmd = [str(script), "--help"] if script.exists() else [PY, "-m", "kg", "--help"]
        out["cli_help"] = stats(timed(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT), runs)[0])
    return out


# ---------------------------------------------------------------------------------------------- report
def num(v: float) -> str:
    """Three significant digits below 10 (a warm load of 0.034 s, a lookup of 0.0093 ms), one decimal above."""
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.3g}"


def fmt(x: dict[str, float] | float | None, unit: str = "ms") -> str:
    if x is None:
        return "–"
    scale = 1000 if unit == "ms" else 1
    if isinstance(x, dict):
        return f"{num(x['median'] * scale)} ({num(x['min'] * scale)}–{num(x['max'] * scale)})"
    return num(x * scale)


def ratio(base: float | None, ours: float | None) -> str:
    if base is None or ours is None or ours <= 0:
        return "–"
    r = base / ours
    return f"{r:.0f}×" if r >= 10 else f"{r:.2g}×"


def _note(b: dict[str, Any], convert: str, over: str | None = None, skipped: str | None = None) -> str:
    """Conversion time (once, not in the figure) and any pairs over budget, for a baseline's label."""
    parts = [] if b.get(convert) is None else [f"nx→graph {b[convert] * 1000:.0f} ms once"]
    if over and b.get(over):
        parts.append(f"{b[over]} pair(s) > 2 s, {b.get(skipped or '', 0)} skipped after")
    return f"; {', '.join(parts)}" if parts else ""


def _file_mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size < 10e6 else f"{size / 1e6:.0f} MB"


def _median(d: dict[str, Any], key: str) -> float | None:
    value = d.get(key)
    return value.get("median") if isinstance(value, dict) else None


def _mb(x: Any, what: str = "") -> str:
    if isinstance(x, dict):
        x = x.get("median")
    return "–" if x is None else f"{x:.0f} MB{what}"


def _projection(b: dict[str, Any]) -> tuple[float | None, str]:
    """The baselines' projection source and its build time, for the table."""
    if not b:
        return None, ""
    source = b.get("projection_source") or ("rdflib parse" if "parse_rdflib" in b else "?")
    if source == "kg table":
        limit = b.get("rdflib_limit")
        above = f" (no rdflib parse above {limit:,} statements)" if limit else ""
        return b.get("project_networkx_from_table"), f"the loaded kg table → networkx{above}"
    return b.get("project_networkx"), "rdflib parse → networkx"


def summary(results: dict[str, Any]) -> str:
    """One line a size: the cold load, downstream depth 6 and how many downstream answers were truncated."""
    lines = ["| statements | file | cold `kg.load` (s) | cold load + projection (s) | cold process, wall (s) | "
             "snapshot | downstream depth 6 (ms) | downstream truncated | entities reached (median) |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results["sizes"]:
        cold, qs = r.get("load_cold") or {}, r.get("queries", {})
        down_truncated = (r.get("truncated") or {}).get("downstream")
        pairs = r.get("pairs") or qs.get("downstream", {}).get("n", "?")
        snap = "/".join(sorted(set(cold.get("snapshot", [])))) or "–"
        lines.append(
            f"| {r['size']:,} | {_file_mb(r['bytes'])} | {fmt(cold.get('kg_load'), 's')} | "
            f"{fmt(cold or None, 's')} | {fmt(cold.get('process'), 's')} | {snap} | "
            f"{fmt(qs.get('downstream'))} | {'–' if down_truncated is None else f'{down_truncated}/{pairs}'} | "
            f"{r.get('downstream_nodes_median', 0):,.0f} |"
        )
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    lines = ["| statements | file | operation | fast path: median (min–max) | baseline (same run) | ratio | peak RSS |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results["sizes"]:
        b = r.get("baseline", {})
        qs = r.get("queries", {})
        mb = _file_mb(r["bytes"])
        ig_note = _note(b, "convert_igraph", "paths_unsigned_igraph_over_2s", "paths_unsigned_igraph_skipped")
        rx_note = _note(b, "convert_rustworkx")
        capped = b.get("causal_paths_naive_capped_at_2s")
        naive = b.get("causal_paths_naive", {})
        cap_note = f", capped at 2 s/pair: {capped}/{naive.get('n', '?')} capped" if capped is not None else ""
        down_capped = b.get("downstream_naive_capped_at_2s")
        down_n = b.get("downstream_naive", {}).get("n", "?")
        down_cap_note = f", capped at 2 s/source: {down_capped}/{down_n} capped" if down_capped is not None else ""
        proj_time, proj_how = _projection(b)
        cold, warm = r.get("load_cold"), r.get("load_warm")
        cp, down = _median(qs, "causal_paths"), _median(qs, "downstream")
        neighbourhood = _median(b, "downstream_unsigned_igraph_neighborhood")
        viz = r.get("viz", {})
        viz_name = "focused HTML view (s)"
        if viz.get("max_nodes"):
            viz_name = f"focused HTML view, radius {viz.get('radius')}, nearest ≤ {viz['max_nodes']:,} entities (s)"
        elif viz.get("radius"):
            viz_name = f"focused HTML view, radius {viz['radius']} (s)"
        viz_txt = fmt(viz.get("seconds"), "s")
        if "seconds" in viz:
            extra = [f"{viz['nodes']:,} entities"] if "nodes" in viz else []
            extra += [f"{viz['statements']:,} statements"] if "statements" in viz else []
            extra.append(f"{viz['bytes'] / 1e6:.1f} MB HTML")
            viz_txt += f" ({', '.join(extra)})"
        rdflib_how = "rdflib parse + nx projection"
        written = "written" in (cold or {}).get("snapshot", [])
        misses = sum(s != "read" for s in (warm or {}).get("snapshot", []))
        missed = f" [{misses} run(s) did not read the snapshot]" if misses and written else ""
        warm_name = f"warm load: memory-mapped snapshot + projection{missed} (s)"
        cold_name = "cold import: parse + validate + build table + write snapshot + projection (s)"
        if cold is not None and not written:
            from kg.store.load import SNAPSHOT_BYTES

            warm_name = f"second load: no snapshot under {SNAPSHOT_BYTES / 2**20:g} MiB, parsed again + projection (s)"
            cold_name = "cold import: parse + validate + build table + projection (s)"
        down_name = "downstream depth 6 (ms)"
        if "truncated" in r:
            down_name = f"downstream depth 6, truncated {r['truncated']['downstream']}/{r.get('pairs', '?')} (ms)"
        # (operation, fast path text, baseline value, baseline label, our median for the ratio, peak RSS, unit)
        rows: list[tuple[str, str, float | None, str, float | None, str, str]] = []
        if cold is None and "load" in r:  # results of an older version: one in-process load
            peak = f"{_mb(r.get('peak_rss_after_load_mb'))} after load, {_mb(r.get('peak_rss_mb'))} end"
            rows.append(("load + validate + projection (s)", fmt(r["load"], "s"), b.get("load"), rdflib_how,
                         r["load"]["median"], peak, "s"))  # fmt: skip
        else:
            rows += [
                (cold_name, fmt(cold, "s"),
                 b.get("load"), rdflib_how, _median(r, "load_cold"), _mb((cold or {}).get("peak_rss_mb")), "s"),
                (warm_name, fmt(warm, "s"), b.get("load"), rdflib_how,
                 _median(r, "load_warm"), _mb((warm or {}).get("peak_rss_mb")), "s"),
            ]  # fmt: skip
        rows += [
            ("baselines' causal projection (s)", "", proj_time, proj_how, None, "", "s"),
            ("resolve (ms)", fmt(qs.get("resolve")), None, "", None, "", "ms"),
            ("causal_paths top 10, ≤ 6 (ms)", fmt(qs.get("causal_paths")), naive.get("median"),
             f"nx all_simple_edge_paths + sign{cap_note}", cp, "", "ms"),
            ("  unsigned work", "", _median(b, "paths_unsigned_networkx"), "nx shortest_simple_paths", cp, "", "ms"),
            ("  unsigned work", "", _median(b, "paths_unsigned_igraph_k_shortest"),
             f"igraph get_k_shortest_paths k=10, no length bound{ig_note}", cp, "", "ms"),
            ("  unsigned work", "", _median(b, "paths_unsigned_rustworkx_one_shortest"),
             f"rustworkx dijkstra_shortest_paths, 1 path only{rx_note}", cp, "", "ms"),
            ("effect (ms)", fmt(qs.get("effect")), naive.get("median"),
             f"the same naive enumeration: an effect needs every path's sign{cap_note}", _median(qs, "effect"), "",
             "ms"),
            (down_name, fmt(qs.get("downstream")), _median(b, "downstream_naive"),
             f"nx all_simple_edge_paths from the source to every node + sign{down_cap_note}", down, "", "ms"),
            ("  unsigned work", "", _median(b, "downstream_unsigned_networkx"), "nx BFS, unsigned, cutoff 6", down,
             "", "ms"),
            ("  unsigned work", "", _median(b, "downstream_unsigned_scipy_full_bfs"), "scipy csgraph BFS (full)",
             down, "", "ms"),
            ("  unsigned work", "", neighbourhood, "igraph neighborhood, order 6", down, "", "ms"),
            ("  unsigned work", "", _median(b, "downstream_unsigned_rustworkx_full_bfs"),
             "rustworkx descendants (full BFS)", down, "", "ms"),
            ("search index, signed reachability depth 6 (node × parity BFS, no person rule, no path objects) (ms)",
             fmt(qs.get("signed_reach")), neighbourhood, "igraph neighborhood(order=6): equivalent unsigned work",
             _median(qs, "signed_reach"), "", "ms"),
            ("compare, 2 contexts (ms)", fmt(qs.get("compare")),
             2 * naive["median"] if naive.get("median") is not None else None,
             "2 × the naive effect enumeration", _median(qs, "compare"), "", "ms"),
            (viz_name, viz_txt, None, "", None, _mb(r.get("peak_rss_mb"), " (worker: warm load, queries, view)"),
             "s"),
        ]  # fmt: skip
        for name, ours, base, how, med, mem, unit in rows:
            base_txt = "–" if base is None else f"{fmt(base, unit)} ({how})"
            lines.append(f"| {r['size']:,} | {mb} | {name} | {ours} | {base_txt} | {ratio(base, med)} | {mem} |")
    out = summary(results) + "\n\n" + "\n".join(lines)
    if "bundled" in results:
        bd = results["bundled"]
        rows2 = ["", "| bundled graph | median (min–max) |", "|---|---|"]
        for k, v in bd.items():
            unit = "s" if "load" in k or k == "cli_help" else "ms"
            rows2.append(f"| {k} ({unit}) | {fmt(v, unit)} |")
        out += "\n" + "\n".join(rows2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10^4 statements only (CI smoke test)")
    parser.add_argument("--medium", action="store_true", help="2,000, 5,000 and 20,000 statements")
    parser.add_argument("--full", action="store_true", help="10^4, 10^5 and 10^6 statements")
    parser.add_argument("--sizes", nargs="*", help="explicit sizes (statements), e.g. 2000,5000,20000")
    parser.add_argument("--no-baseline-above", type=int, default=200_000,
                        help="no rdflib parse above this size (~35 s, >1 GB per 10^6 triples); the library "
                             "baselines then run on a projection of the loaded graph's table")  # fmt: skip
    parser.add_argument("--report", type=Path, help="print the table of a results.json again")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load-once", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    if args.load_once:
        print(json.dumps(load_once(args.load_once)))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.runs, args.baseline, args.no_baseline_above)))
        return 0
    sizes = [int(x.replace("_", "")) for arg in args.sizes or () for x in arg.split(",") if x.strip()]
    if not sizes:
        sizes = [10_000, 100_000, 1_000_000] if args.full else MEDIUM if args.medium else [10_000]
    results: dict[str, Any] = {"sizes": [], "python": sys.version.split()[0], "cpus": os.cpu_count(),
                               "argv": sys.argv[1:]}  # fmt: skip
    for size in sizes:
        t = time.perf_counter()
        graph_file(size)
        print(f"[{size:,}] graph ready ({time.perf_counter() - t:.1f} s)", file=sys.stderr)
        runs = args.runs if size <= 100_000 else 1
        cmd = [PY, "-m", "benchmarks.run", "--worker", str(size), "--runs", str(runs), "--baseline",
               "--no-baseline-above", str(args.no_baseline_above)]  # fmt: skip
        t = time.perf_counter()
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"the {size:,}-statement worker failed (exit {done.returncode})")
        results["sizes"].append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"[{size:,}] measured ({time.perf_counter() - t:.1f} s)", file=sys.stderr)
    results["bundled"] = bundled(3)
    (bench_dir() / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))
    print(f"\n(JSON: {bench_dir() / 'results.json'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
