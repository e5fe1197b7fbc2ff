"""Questions answered over a SPARQL endpoint holding a large synthetic graph (issue 17: "Over an endpoint").

    .venv/bin/python -m benchmarks.bench_endpoint                    # 10^6 statements (~16 M triples)
    .venv/bin/python -m benchmarks.bench_endpoint --size 20000 --local --runs 3
    .venv/bin/python -m benchmarks.bench_endpoint --size 1000000 --store /tmp/ox-1m --local --downstream 0

1. the synthetic graph of :mod:`benchmarks.synth` (Turtle, cached in ``$HORMONE_KG_BENCH_DIR``) is bulk loaded
   into an Oxigraph store (``oxigraph load --graph G``: the server's bulk loader, then ``oxigraph optimize``,
   as the loader advises for reading) — into ``--store DIR`` if given, and only when that folder does not
   hold a store yet (a 10^6 load takes minutes: reuse it) — and a new revision id is recorded
   (:func:`kg.store.remote.mark_revision`);
2. ``oxigraph serve`` is started on a loopback port;
3. a **fresh client process** opens ``kg.load(endpoint=URL)`` and asks, for the same question pairs,
   ``effect`` (max_length 6), ``causal_paths`` (top 10, max_length 6) and ``downstream`` (``--downstream``
   steps, 0 to leave it out), each ``--runs`` times **cold**: every cache of the handle is dropped before each
   question (``g.over.forget()``: names, populations, neighbourhoods), so each run reads everything it needs
   from the server again. Then each question once more right after a cold run (**warm**: the neighbourhood
   read for the question before is reused, as a second question on the same pair would). It prints medians
   and its own peak RSS (``ru_maxrss``) *before* anything local is loaded, and per question and pair the
   medians of its time, the statements it read in full, its round trips (queries), the rows received and
   the time spent waiting for the server (the rest is the client's: parsing, the engine); and the
   machine's load average before and after (the server and client share the machine with other jobs);
4. with ``--local``, the same process then reads the same Turtle file into a local graph (the fast path),
   asks the same questions, checks the answers are equal, and prints the ratio endpoint / local.

Pairs: sources and targets are drawn (seeded) from the entities with 2 to 20 causal statements out (sources)
and in (targets), asked of the server — ordinary entities, not the few hubs of the Zipf-like degree
distribution. Nothing is asserted on timings; figures go to docs/benchmarks.md ("Over an endpoint").
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
from pathlib import Path
from typing import Any

GRAPH = "https://w3id.org/hormone-kg/graph"
HKG = "https://w3id.org/hormone-kg/vocab#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pairs(url: str, count: int, seed: int) -> list[tuple[str, str]]:
    from kg.store.endpoint import Endpoint
    from kg.store.remote import select
    from kg.store.wire import curie_of

    ep = Endpoint.of(url, preset="oxigraph", graph=GRAPH)

    def ordinary(role: str) -> list[str]:
        query = (
            f"SELECT ?x (COUNT(?st) AS ?n) WHERE {{ ?st <{RDF}{role}> ?x ; <{HKG}sign> ?s FILTER(?s != 0) }} "
            "GROUP BY ?x HAVING (COUNT(?st) >= 2 && COUNT(?st) <= 20) ORDER BY ?x LIMIT 2000"
        )
        rows = select(ep, query, timeout=600)["results"]["bindings"]
        return [c for row in rows if (c := curie_of(row.get("x"))) is not None]

    rng = random.Random(seed)
    sources, targets = ordinary("subject"), ordinary("object")
    return [(rng.choice(sources), rng.choice(targets)) for _ in range(count)]


def client(url: str, turtle: str, runs: int, pairs: int, local: bool, downstream: int) -> dict[str, Any]:
    """Run in a fresh process: the endpoint answers (and optionally the local ones) with peak RSS."""
    import kg
    from kg.graph import KnowledgeGraph
    from kg.sources.rdf import read_rdf
    from kg.store.endpoint import Endpoint

    out: dict[str, Any] = {"rss_start_mb": peak_rss_mb()}
    chosen = _pairs(url, pairs, seed=1)
    t = time.perf_counter()
    g: Any = kg.load(endpoint=Endpoint.of(url, preset="oxigraph", graph=GRAPH))  # type: ignore[arg-type]
    out["open_s"] = time.perf_counter() - t
    asks: dict[str, Any] = {
        "effect": lambda graph, a, b: graph.effect(a, b, max_length=6),
        "causal_paths": lambda graph, a, b: graph.causal_paths(a, b, max_length=6, limit=10),
    }
    if downstream:
        asks["downstream"] = lambda graph, a, b: dict(graph.downstream(a, max_length=downstream))

    def questions(graph: Any, over: Any) -> dict[str, Any]:
        times: dict[str, list[float]] = {name: [] for name in asks}
        by_pair: dict[str, Any] = {}  # question and pair -> medians of its cold runs (time, reads, round trips)
        warm: dict[str, list[float]] = {name: [] for name in asks}
        read: dict[str, list[int]] = {name: [] for name in asks}
        answers: dict[str, Any] = {}
        for src, dst in chosen:
            for name, ask in asks.items():
                spent: dict[str, list[float]] = {"statements": [], "queries": [], "rows": [], "waited_s": []}
                for _ in range(runs):
                    if over is not None:
                        over.forget()  # cold: every cache of the handle dropped
                        before = dict(over.counts)
                    t = time.perf_counter()
                    answer = ask(graph, src, dst)
                    times[name].append(time.perf_counter() - t)
                    if over is not None:
                        now = {k: over.counts[k] - before[k] for k in before}
                        read[name].append(now["statements"])
                        for key in ("statements", "queries", "rows"):
                            spent[key].append(now[key])
                        if "waited_us" in now:
                            spent["waited_s"].append(now["waited_us"] / 1e6)
                by_pair[f"{name} {src}>{dst}"] = {
                    "s": statistics.median(times[name][-runs:]),
                    **{k: statistics.median(v) for k, v in spent.items() if v},
                }
                t = time.perf_counter()
                ask(graph, src, dst)  # warm: right after a cold run of the same question
                warm[name].append(time.perf_counter() - t)
                answers[f"{name} {src}>{dst}"] = answer
        return {"times": times, "warm": warm, "read": read, "answers": answers, "by_pair": by_pair}

    there = questions(g, g.over)
    out["endpoint"] = {k: _stats(v) for k, v in there["times"].items()}
    out["endpoint_warm"] = {k: _stats(v) for k, v in there["warm"].items()}
    out["endpoint_by_pair"] = there["by_pair"]
    out["statements_read"] = {k: _stats([float(x) for x in v]) for k, v in there["read"].items()}
    out["rss_endpoint_mb"] = peak_rss_mb()
    out["rows"] = g.over.counts["rows"]
    out["queries"] = g.over.counts["queries"]
    out["paths_found"] = {k: len(v) for k, v in there["answers"].items() if k.startswith("causal_paths")}
    out["pairs"] = [f"{s} -> {d}" for s, d in chosen]
    if local:
        t = time.perf_counter()
        records, table, _ = read_rdf([turtle])  # exactly the graph the server holds (no bundled data)
        here_graph = KnowledgeGraph(records, table)
        out["local_load_s"] = time.perf_counter() - t
        here = questions(here_graph, None)
        out["local"] = {k: _stats(v) for k, v in here["times"].items()}
        out["local_truncated"] = {k: bool(getattr(a, "truncated", False)) for k, a in here["answers"].items()}
        out["equal"] = {k: here["answers"][k] == there["answers"][k] for k in here["answers"]}
        out["all_equal"] = all(out["equal"].values())
        out["rss_with_local_mb"] = peak_rss_mb()
    return out


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="statements (default 10^6)")
    parser.add_argument("--runs", type=int, default=3, help="cold runs of each question")
    parser.add_argument("--pairs", type=int, default=5, help="question pairs")
    parser.add_argument("--downstream", type=int, default=3, help="downstream steps (0: leave it out)")
    parser.add_argument("--local", action="store_true", help="also answer locally (same process) and compare")
    parser.add_argument("--store", type=Path, help="the Oxigraph store folder: loaded once, reused after")
    parser.add_argument("--client", nargs=2, metavar=("URL", "TTL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        result = client(args.client[0], args.client[1], args.runs, args.pairs, args.local, args.downstream)
        print(json.dumps(result))
        return 0

    from benchmarks.run import graph_file
    from kg.store.endpoint import Endpoint
    from kg.store.remote import count_triples, mark_revision
    from tests.servers import free_port, oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        sys.exit("the oxigraph binary is missing (pip install oxigraph)")
    turtle = graph_file(args.size)
    load_before = os.getloadavg()
    folder = args.store or Path(tempfile.mkdtemp(prefix="bench-endpoint-")) / "store"
    bulk_s = None
    if not (folder.is_dir() and any(folder.iterdir())):
        t = time.perf_counter()
        load = [binary, "load", "--location", str(folder), "--file", str(turtle), "--graph", GRAPH]
        subprocess.run(load, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bulk_s = time.perf_counter() - t
        # compacted once, as the loader advises for a read-heavy workload
        optimize = [binary, "optimize", "--location", str(folder)]
        subprocess.run(optimize, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", url.removeprefix("http://")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ep = Endpoint.of(url, preset="oxigraph", graph=GRAPH)
        for _ in range(300):
            try:
                mark_revision(ep)
                break
            except Exception:  # noqa: BLE001 - the server is still starting
                time.sleep(0.2)
        triples = count_triples(ep, timeout=600)
        command = [sys.executable, "-m", "benchmarks.bench_endpoint", "--client", url, str(turtle)]
        command += ["--runs", str(args.runs), "--pairs", str(args.pairs), "--downstream", str(args.downstream)]
        command += ["--local"] if args.local else []
        done = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ})
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=60)
    result.update(size=args.size, triples=triples, bulk_load_s=bulk_s, turtle_mb=turtle.stat().st_size / 1e6)
    result.update(load_average_before=load_before, load_average_after=os.getloadavg())
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
