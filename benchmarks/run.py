"""Benchmarks of the fast path (kg.scale + kg.compiled) beside naive baselines measured in the same run.

    /work/venv/bin/python -m benchmarks.run --quick     # CI size: 10^4 statements (< 1 minute; a smoke test)
    /work/venv/bin/python -m benchmarks.run --full      # 10^4, 10^5 and 10^6 statements

Each size runs in its own process (peak memory = that process's max RSS). Synthetic graphs come from
``benchmarks/synth.py`` (Turtle in the compiled shape) and are kept in ``$HORMONE_KG_BENCH_DIR`` (default: a
folder under the system temp dir). Figures are medians with min–max over repeated runs; query figures are
over a fixed, seeded set of entity pairs. Results: a Markdown table on stdout and JSON in the bench folder.

Baselines: the naive pipeline (rdflib parse; networkx ``all_simple_edge_paths`` with the sign product;
networkx BFS for downstream) and, for the unsigned work on the same simple projection: networkx
``shortest_simple_paths`` (top 10, ≤ 6 hops) and scipy's csgraph BFS (full); igraph
``Graph.get_k_shortest_paths`` (Yen, k=10, no length bound; one uninterruptible call, so once a pair takes
over 2 s the remaining pairs are skipped and counted) and ``Graph.neighborhood(order=6)`` (depth-bounded
BFS); rustworkx ``digraph_dijkstra_shortest_paths`` to the target (a single shortest path: rustworkx has no
k-shortest simple paths) and ``descendants`` (a full BFS: rustworkx has no depth-limited one). The
igraph/rustworkx graphs are converted once from the networkx projection; the conversion time is recorded
but not counted in the per-query figures.
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


# ---------------------------------------------------------------------------------------------- one size
def worker(size: int, runs: int, baseline: bool) -> dict[str, Any]:
    """Everything for one size, in this process (the parent reads our max RSS)."""
    import kg.scale
    from kg.query import _admits

    path = graph_file(size)
    res: dict[str, Any] = {"size": size, "bytes": path.stat().st_size}
    load_times = []
    g = None
    for _ in range(runs):
        t = time.perf_counter()
        g = kg.scale.load_large([path], bundled=False)
        admits, key = _admits(g, g.context(None))
        g.index.view(admits, key)  # the projection: CSR arrays of the default context
        load_times.append(time.perf_counter() - t)
        if _ is not runs - 1:
            del g
    assert g is not None
    res["load"] = stats(load_times)
    res["peak_rss_after_load_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rng = random.Random(0)
    table = g.table
    causal = [i for i in range(len(table)) if table.sign[i] != 0 and not table.negated[i]]
    subjects = [table.nodes[int(table.subject[i])] for i in rng.sample(causal, min(20, len(causal)))]
    objects = [table.nodes[int(table.object[i])] for i in rng.sample(causal, min(20, len(causal)))]
    pairs = list(zip(subjects, objects, strict=True))
    labels = [g.entities[s].label for s, _ in pairs]
    q: dict[str, list[float]] = {k: [] for k in ("resolve", "causal_paths", "effect", "downstream", "compare")}
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
        truncated["downstream"] += any(e.truncated for e in down.values())
        sizes["downstream_nodes"].append(len(down))
    g.context({"sex": "female"}), g.context({"sex": "male"})
    for s, d in pairs[:5]:
        q["compare"].append(timed(lambda s=s, d=d: g.compare(s, d, [{"sex": "female"}, {"sex": "male"}]), 1)[0][0])
    res["queries"] = {k: stats(v) for k, v in q.items() if v}
    res["truncated"] = truncated
    res["downstream_nodes_median"] = statistics.median(sizes["downstream_nodes"])
    res["viz"] = _viz(g, pairs[0][0])
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if baseline:
        res["baseline"] = _baselines(path, pairs, runs)
    return res


def _viz(g: Any, focus: str) -> dict[str, Any]:
    try:
        from kg.viz import render_html
    except ImportError:
        return {"skipped": "kg.viz not present"}
    t = time.perf_counter()
    html = render_html(g, focus=focus, radius=2)
    return {"seconds": time.perf_counter() - t, "bytes": len(html), "focus": focus}


def _baselines(path: Path, pairs: list[tuple[str, str]], runs: int) -> dict[str, Any]:
    """The naive pipeline: rdflib parse, networkx projection, all simple paths with the sign product."""
    import igraph
    import networkx as nx
    import numpy as np
    import rustworkx as rx
    import scipy.sparse as sp
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF

    from kg.namespaces import HKG, compress

    out: dict[str, Any] = {}
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
    del rdf
    simple = nx.DiGraph(graph)
    budget = 2.0  # per pair: the naive enumeration explodes between hubs
    naive, unsigned, down_nx, down_scipy = [], [], [], []
    nodes = list(simple)
    at = {n: i for i, n in enumerate(nodes)}
    edges = np.array([(at[u], at[v]) for u, v in simple.edges()], dtype=np.int64)
    csr = sp.csr_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(nodes), len(nodes)))
    from scipy.sparse.csgraph import breadth_first_order

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

    capped = 0
    for s, d in pairs[:8]:
        if s not in graph or d not in graph:
            continue
        t = time.perf_counter()
        found = []
        for edge_path in nx.all_simple_edge_paths(graph, s, d, cutoff=6):
            sign = 1
            for u, v, k in edge_path:
                sign *= graph.edges[u, v, k]["sign"]
            found.append((len(edge_path), sign, edge_path))
            if time.perf_counter() - t > budget:
                capped += 1
                break
        sorted(found, key=lambda x: x[0])[:10]
        naive.append(time.perf_counter() - t)
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
    out["causal_paths_naive"] = stats(naive)
    out["causal_paths_naive_capped_at_2s"] = capped
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
    from kg.compiled import CompiledIndex
    from kg.graph import KnowledgeGraph

    ref = kg.load()
    fast = KnowledgeGraph(ref.curation, index=CompiledIndex.build(ref.curation.statements))
    questions: dict[str, Callable[[KnowledgeGraph], Any]] = {
        "resolve": lambda g: g.resolve("E2"),
        "causal_paths": lambda g: g.causal_paths("anastrozole", "bone mineral density", limit=10),
        "effect": lambda g: g.effect("anastrozole", "bone mineral density", context="postmenopausal women"),
        "downstream": lambda g: g.downstream("estradiol"),
        "compare": lambda g: g.compare("anastrozole", "bone resorption",
                                       ["postmenopausal women", "men on testosterone therapy"]),
    }  # fmt: skip
    for name, fn in questions.items():
        for label, g in (("reference", ref), ("compiled", fast)):
            fn(g)  # warm the per-context caches, as a session would
            out[f"{name}_{label}"] = stats(timed(lambda g=g, fn=fn: fn(g), max(5, runs * 5))[0])
    if (ROOT / "benchmarks" / "bench_cli.py").exists():
        script = Path(PY).with_name("hormone-kg")
        cmd = [str(script), "--help"] if script.exists() else [PY, "-m", "kg", "--help"]
        out["cli_help"] = stats(timed(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT), runs)[0])
    return out


# ---------------------------------------------------------------------------------------------- report
def fmt(x: dict[str, float] | float | None, unit: str = "ms") -> str:
    if x is None:
        return "–"
    scale = 1000 if unit == "ms" else 1
    if isinstance(x, dict):
        return f"{x['median'] * scale:.1f} ({x['min'] * scale:.1f}–{x['max'] * scale:.1f})"
    return f"{x * scale:.1f}"


def ratio(base: float | None, ours: float) -> str:
    if base is None or ours <= 0:
        return "–"
    r = base / ours
    return f"{r:.0f}×" if r >= 10 else f"{r:.2g}×"


def _note(b: dict[str, Any], convert: str, over: str | None = None, skipped: str | None = None) -> str:
    """Conversion time (once, not in the figure) and any pairs over budget, for a baseline's label."""
    parts = [] if b.get(convert) is None else [f"nx→graph {b[convert] * 1000:.0f} ms once"]
    if over and b.get(over):
        parts.append(f"{b[over]} pair(s) > 2 s, {b.get(skipped or '', 0)} skipped after")
    return f"; {', '.join(parts)}" if parts else ""


def report(results: dict[str, Any]) -> str:
    lines = ["| statements | file | operation | fast path: median (min–max) | baseline (same run) | ratio | peak RSS |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results["sizes"]:
        b = r.get("baseline", {})
        mb = f"{r['bytes'] / 1e6:.0f} MB"
        peak = f"{r['peak_rss_after_load_mb']:.0f} MB after load, {r['peak_rss_mb']:.0f} MB end"
        ig_note = _note(b, "convert_igraph", "paths_unsigned_igraph_over_2s", "paths_unsigned_igraph_skipped")
        rx_note = _note(b, "convert_rustworkx")
        rows = [
            ("load + validate + projection (s)", fmt(r["load"], "s"), b.get("load"), "rdflib parse + nx projection",
             r["load"]["median"], peak),
            ("resolve (ms)", fmt(r["queries"]["resolve"]), None, "", 1, ""),
            ("causal_paths top 10, ≤ 6 (ms)", fmt(r["queries"]["causal_paths"]),
             b.get("causal_paths_naive", {}).get("median"), "nx all_simple_edge_paths + sign",
             r["queries"]["causal_paths"]["median"], ""),
            ("  unsigned work", "", b.get("paths_unsigned_networkx", {}).get("median"), "nx shortest_simple_paths",
             r["queries"]["causal_paths"]["median"], ""),
            ("  unsigned work", "", b.get("paths_unsigned_igraph_k_shortest", {}).get("median"),
             f"igraph get_k_shortest_paths k=10, no length bound{ig_note}", r["queries"]["causal_paths"]["median"], ""),
            ("  unsigned work", "", b.get("paths_unsigned_rustworkx_one_shortest", {}).get("median"),
             f"rustworkx dijkstra_shortest_paths, 1 path only{rx_note}", r["queries"]["causal_paths"]["median"], ""),
            ("effect (ms)", fmt(r["queries"]["effect"]), None, "", 1, ""),
            ("downstream depth 6 (ms)", fmt(r["queries"]["downstream"]),
             b.get("downstream_unsigned_networkx", {}).get("median"), "nx BFS, unsigned, cutoff 6",
             r["queries"]["downstream"]["median"], ""),
            ("  unsigned work", "", b.get("downstream_unsigned_scipy_full_bfs", {}).get("median"),
             "scipy csgraph BFS (full)", r["queries"]["downstream"]["median"], ""),
            ("  unsigned work", "", b.get("downstream_unsigned_igraph_neighborhood", {}).get("median"),
             "igraph neighborhood, order 6", r["queries"]["downstream"]["median"], ""),
            ("  unsigned work", "", b.get("downstream_unsigned_rustworkx_full_bfs", {}).get("median"),
             "rustworkx descendants (full BFS)", r["queries"]["downstream"]["median"], ""),
            ("compare, 2 contexts (ms)", fmt(r["queries"].get("compare")), None, "", 1, ""),
            ("focused HTML view (s)", fmt(r["viz"].get("seconds"), "s") if "seconds" in r["viz"] else "–", None, "", 1,
             ""),
        ]  # fmt: skip
        for name, ours, base, how, med, mem in rows:
            unit_scale = 1 if name.startswith("load") else 1000
            base_txt = "–" if base is None else f"{base * unit_scale:.1f} ({how})"
            lines.append(f"| {r['size']:,} | {mb} | {name} | {ours} | {base_txt} | "
                         f"{ratio(base, med) if base is not None else '–'} | {mem} |")  # fmt: skip
    out = "\n".join(lines)
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
    parser.add_argument("--full", action="store_true", help="10^4, 10^5 and 10^6 statements")
    parser.add_argument("--sizes", type=int, nargs="*", help="explicit sizes (statements)")
    parser.add_argument("--no-baseline-above", type=int, default=200_000,
                        help="no rdflib/networkx baseline above this size (~35 s, >1 GB per 10^6 triples)")  # fmt: skip
    parser.add_argument("--report", type=Path, help="print the table of a results.json again")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.runs, args.baseline)))
        return 0
    sizes = args.sizes or ([10_000, 100_000, 1_000_000] if args.full else [10_000])
    results: dict[str, Any] = {"sizes": [], "python": sys.version.split()[0], "cpus": os.cpu_count()}
    for size in sizes:
        t = time.perf_counter()
        graph_file(size)
        print(f"[{size:,}] graph ready ({time.perf_counter() - t:.1f} s)", file=sys.stderr)
        runs = args.runs if size <= 100_000 else 1
        cmd = [PY, "-m", "benchmarks.run", "--worker", str(size), "--runs", str(runs)]
        if size <= args.no_baseline_above:
            cmd.append("--baseline")
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
