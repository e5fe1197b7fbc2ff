"""Benchmark of the interactive view: time to write the page and time to a stable view in headless Chromium.

For the bundled graph and for synthetic graphs built in code (300 and 5,000 nodes); positions are always computed
in Python (the layered layout, physics off); above ``PHYSICS_LIMIT`` edges are drawn straight. It reports medians of:

- write: ``kg.viz.write_html`` (selection, layout, pyvis, file);
- ready: from navigation start to the page's ``hkgReady`` flag (vis-network stabilised, physics off, drawn),
  read from ``performance.now()`` in the page;
- frame: one zoom step redrawn (``moveTo`` until ``afterDrawing``), i.e. how a pan/zoom feels.

Usage: ``/work/venv/bin/python benchmarks/bench_viz.py [--quick]`` (needs /usr/bin/chromium and playwright).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import kg
import kg.viz
from kg.graph import KnowledgeGraph
from kg.model import Curation, Entity, Evidence, Source, Statement
from kg.ontology import schema

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FRAME = """async () => {
  const net = hkg.network, times = [];
  for (let i = 0; i < 8; i++) {
    const start = performance.now();
    const scale = net.getScale() * (i % 2 ? 1.25 : 0.8);
    await new Promise(done => { net.once("afterDrawing", done); net.moveTo({scale: scale}); });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""


def synthetic(n: int, per_node: int = 2, seed: int = 1) -> KnowledgeGraph:
    """A random signed graph shaped like the curation: ``n`` typed entities, ``per_node * n`` statements."""
    rng = random.Random(seed)
    categories = [c for c in schema().categories if c not in ("Population", "Regimen")]
    entities = tuple(
        Entity(
            f"HKG:n{i:05d}",
            f"entity {i}",
            categories[i % len(categories)],
            synonyms=(f"syn {i}",),
            comment="synthetic benchmark entity",
        )
        for i in range(n)
    )
    predicates = ["increases", "decreases", "activates", "inhibits", "binds", "expressed_in"]
    statements = []
    for k in range(per_node * n):
        a, b = rng.randrange(n), rng.randrange(n - 1)
        b += b >= a
        p = rng.choice(predicates)
        statements.append(
            Statement(
                id=f"s{k:06d}",
                subject=entities[a].id,
                predicate=p,
                object=entities[b].id,
                sign=schema().predicates[p].polarity,
                sources=("src:synthetic",),
                evidence=(Evidence("src:synthetic", f"synthetic evidence sentence number {k}."),),
                negated=k % 97 == 0,
            )
        )
    source = Source("src:synthetic", "synthetic benchmark graph", "generated in code")
    return KnowledgeGraph(Curation(entities=entities, statements=tuple(statements), sources=(source,)))


def measure(browser: Any, g: KnowledgeGraph, runs: int, folder: Path) -> dict[str, float]:
    writes, readies, frames, size = [], [], [], 0
    for i in range(runs):
        path = folder / f"view-{i}.html"
        start = time.perf_counter()
        kg.viz.write_html(g, path)
        writes.append(time.perf_counter() - start)
        size = path.stat().st_size
        context = browser.new_context(viewport={"width": 1500, "height": 900})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = context.new_page()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.hkgReady === true", timeout=300_000, polling=20)
        readies.append(page.evaluate("performance.now()") / 1000)
        frames.append(page.evaluate(FRAME) / 1000)
        context.close()
    return {
        "write": statistics.median(writes),
        "ready": statistics.median(readies),
        "frame": statistics.median(frames),
        "mb": size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per graph instead of 5")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    from playwright.sync_api import sync_playwright

    graphs = [("bundled", kg.load()), ("synthetic 300", synthetic(300)), ("synthetic 5,000", synthetic(5000))]
    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, g in graphs:
            nodes = len({x for st in g.statements.values() for x in (st.subject, st.object)})
            physics = "curved" if nodes <= kg.viz.PHYSICS_LIMIT else "straight"
            result = measure(browser, g, runs, Path(tmp))
            rows.append((name, nodes, len(g.statements), physics, result))
        browser.close()
    print(f"median of {runs} runs; Chromium headless, software rendering")
    header = ("graph", "nodes", "edges", "edges drawn", "write s", "ready s", "frame ms", "MB")
    print(f"{header[0]:<16} " + " ".join(f"{h:>{w}}" for h, w in zip(header[1:], (6, 6, 11, 8, 8, 9, 6), strict=True)))
    for name, nodes, edges, physics, r in rows:
        print(
            f"{name:<16} {nodes:>6} {edges:>6} {physics:>11} {r['write']:>8.2f} {r['ready']:>8.2f} "
            f"{r['frame'] * 1000:>9.1f} {r['mb']:>6.1f}"
        )


if __name__ == "__main__":
    main()
