"""The bundled graph over a local Oxigraph server: curated questions asked of an endpoint handle.

    .venv/bin/python -m benchmarks.bench_served --rounds 5

The bundled curation (its populations, regimens, findings and sources included: what the synthetic graphs of
:mod:`benchmarks.bench_endpoint` lack) is pushed into a fresh ``oxigraph serve`` (a temporary folder, a loopback
port). Each round opens, per kind of question (``effect``, ``causal_paths``, ``explain``), a new handle
(``kg.load(endpoint=URL)``) and asks the curated pairs below in order, each once: the first question of a
handle pays for what a handle reads once (the populations), the others for their own neighbourhoods. The
baseline is the same questions on the bundled graph loaded locally, in the same process. Prints medians (ms)
per kind, the ratio endpoint / local, and the machine's load average before and after. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

#: pairs and contexts with answers in the bundled graph (tests/test_endpoint.py asks the same kind)
QUESTIONS: list[tuple[str, str, str | None]] = [
    ("anastrozole", "bone mineral density", "postmenopausal women"),
    ("aromatase inhibitor", "osteoclast lifespan", "women"),
    ("testosterone", "17β-estradiol", None),
    ("hCG", "LH", None),
]
KINDS = ("effect", "causal_paths", "explain")


def measure(url: str, rounds: int) -> dict[str, Any]:
    """Median milliseconds per kind over the endpoint and locally, and their ratio."""
    import kg

    local = kg.load()
    over: dict[str, list[float]] = {k: [] for k in KINDS}
    here: dict[str, list[float]] = {k: [] for k in KINDS}
    for _ in range(rounds):
        for kind in KINDS:
            handle = kg.load(endpoint=url)
            for src, dst, context in QUESTIONS:
                t = time.perf_counter()
                getattr(handle, kind)(src, dst, context=context)
                over[kind].append(1000 * (time.perf_counter() - t))
                t = time.perf_counter()
                getattr(local, kind)(src, dst, context=context)
                here[kind].append(1000 * (time.perf_counter() - t))
    out: dict[str, Any] = {}
    for kind in KINDS:
        a, b = statistics.median(over[kind]), statistics.median(here[kind])
        n = len(over[kind])
        out[kind] = {"endpoint_ms": round(a, 1), "local_ms": round(b, 2), "ratio": round(a / b, 1), "n": n}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds (a new handle per kind and round)")
    args = parser.parse_args()

    import kg
    from kg.store import remote
    from tests.servers import start

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-served-") as folder:
        server = start("oxigraph", Path(folder))
        try:
            remote.push(kg.load(), server.endpoint)
            result = measure(server.url, args.rounds)
        finally:
            server.stop()
    result.update(load_average_before=load_before, load_average_after=os.getloadavg(), kg=kg.__file__)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
