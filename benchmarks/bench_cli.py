"""Startup time of the command line: ``hormone-kg --help`` must stay well under a second.

Runs each command N times as a fresh process and prints the median, min and max wall time:

    .venv/bin/python benchmarks/bench_cli.py            # N = 15
    .venv/bin/python benchmarks/bench_cli.py --runs 30

Measured: ``python -c "import kg"`` (the floor the CLI cannot go below, since the CLI, the ``kg/cli/``
package, lives inside ``kg``), ``python -c "import kg.cli"``, ``hormone-kg --help``, ``hormone-kg paths
--help``, and — for comparison — a real query on the warm cache, ``hormone-kg paths anastrozole BMD`` (loads
the bundled graph).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET_SECONDS = 1.0


def script() -> str:
    """The installed console script next to this interpreter."""
    return str(Path(sys.executable).parent / "hormone-kg")


def timed(cmd: list[str], runs: int) -> list[float]:
    """Wall times of ``runs`` fresh processes (one warm-up run first, not counted)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cases = {
        'python -c "import kg"': [sys.executable, "-c", "import kg"],
        'python -c "import kg.cli"': [sys.executable, "-c", "import kg.cli"],
        "hormone-kg --help": [script(), "--help"],
        "hormone-kg paths --help": [script(), "paths", "--help"],
        "hormone-kg paths anastrozole BMD (query)": [script(), "paths", "anastrozole", "BMD", "--limit", "5"],
    }
    print(f"{'command':<44} {'median':>8} {'min':>8} {'max':>8}   (seconds, {args.runs} runs each)")
    results, fastest = {}, {}
    for name, cmd in cases.items():
        times = timed(cmd, args.runs)
        results[name], fastest[name] = statistics.median(times), min(times)
        print(f"{name:<44} {results[name]:>8.3f} {min(times):>8.3f} {max(times):>8.3f}")
    help_time = results["hormone-kg --help"]
    overhead = fastest["hormone-kg --help"] - fastest['python -c "import kg"']
    print(f"\n--help overhead over `import kg` (min vs min): {overhead * 1000:.0f} ms (click + the CLI module)")
    verdict = "OK" if help_time < BUDGET_SECONDS else "TOO SLOW"
    print(f"budget: hormone-kg --help < {BUDGET_SECONDS:.1f} s -> {verdict}")
    return 0 if help_time < BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
