"""Import throughput: a SIGNOR-shaped TSV of N rows -> curation YAML, in a fresh process per run.

    .venv/bin/python -m benchmarks.bench_import                 # 10^6 rows, 3 runs
    .venv/bin/python -m benchmarks.bench_import --rows 100000 --runs 5

The file is synthetic but SIGNOR-shaped (the 28 published columns; UniProt ids drawn from a fixed,
seeded pool of 20,000 made-up accessions, one row in ten with a PubChem id the importer must skip, every
row with a PMID number and every other one with a sentence); the numbers are made up and never enter the
graph. Each run is a fresh process: ``kg.imports.import_file`` (streaming) with the bundled entities to
merge onto; recorded are the wall time of the import, rows per second, and the process's peak RSS. The
baseline, in the same process before the import, is a plain read of the same file split into fields
(``line.split("\\t")``, nothing mapped or written): the import's cost is its ratio to that.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.imports.signor import COLUMNS

_WORKER = """
import json, resource, sys, time
from pathlib import Path
from kg.imports import import_file
from kg.sources.curation import load_bundled
path, out = Path(sys.argv[1]), Path(sys.argv[2])
cur = load_bundled()
t0 = time.perf_counter()
rows = 0
with path.open(encoding="utf-8") as fh:
    for line in fh:
        rows += len(line.split("\\t")) > 1
baseline = time.perf_counter() - t0
t0 = time.perf_counter()
report = import_file("signor", path, out, curated=cur.entities, registered=[s.id for s in cur.sources])
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "baseline": baseline, "rss_mib": rss, "rows": report.rows,
                  "statements": report.statements, "skipped": sum(report.skipped.values()),
                  "out_mib": out.stat().st_size / 2**20}))
"""


def write_signor(path: Path, rows: int, seed: int = 16) -> None:
    """A SIGNOR-shaped TSV of ``rows`` rows (made-up ids and numbers, see the module doc)."""
    rng = random.Random(seed)
    pool = [f"Q{rng.randrange(10**5):05d}" for _ in range(20_000)]
    effects = ["up-regulates activity", "down-regulates activity", "up-regulates quantity by expression",
               "down-regulates", "form complex", "unknown"]  # fmt: skip
    with path.open("w", encoding="utf-8") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for i in range(rows):
            row = dict.fromkeys(COLUMNS, "")
            a, b = rng.choice(pool), rng.choice(pool)
            pubchem = i % 10 == 0
            row.update(
                ENTITYA=f"P{a}", TYPEA="chemical" if pubchem else "protein", IDA=f"CID:{i}" if pubchem else a,
                DATABASEA="PUBCHEM" if pubchem else "UNIPROT", ENTITYB=f"P{b}", TYPEB="protein", IDB=b,
                DATABASEB="UNIPROT", EFFECT=effects[i % len(effects)], MECHANISM="binding", TAX_ID="9606",
                CELL_DATA="BTO:0000007" if i % 3 == 0 else "", PMID=str(10_000_000 + i % 50_000),
                DIRECT="YES" if i % 2 else "NO", SENTENCE=f"Synthetic sentence {i}." if i % 2 else "",
                SIGNOR_ID=f"SIGNOR-{i}", SCORE="0.5",
            )  # fmt: skip
            fh.write("\t".join(row[c] for c in COLUMNS) + "\n")


def main() -> int:
    """Run the benchmark and print a Markdown table (and the JSON of each run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "signor.tsv"
        write_signor(path, args.rows)
        runs = []
        for i in range(args.runs):
            out = Path(tmp) / f"out{i}.yaml"
            done = subprocess.run(
                [sys.executable, "-c", _WORKER, str(path), str(out)], capture_output=True, text=True, check=True
            )
            runs.append(json.loads(done.stdout))
            print(json.dumps(runs[-1]), file=sys.stderr)
        size = path.stat().st_size / 2**20
    secs = [r["seconds"] for r in runs]
    med = statistics.median(secs)
    base = statistics.median(r["baseline"] for r in runs)
    rss = max(r["rss_mib"] for r in runs)
    r0 = runs[0]
    print(
        "| rows | file MiB | statements | skipped | import s (median, min–max) | rows/s | plain read s | ratio "
        "| peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.rows:,} | {size:.0f} | {r0['statements']:,} | {r0['skipped']:,} | {med:.1f} ({min(secs):.1f}–"
        f"{max(secs):.1f}) | {args.rows / med:,.0f} | {base:.2f} | {med / base:.0f}× | {rss:.0f} |"
    )
    return 0 if med < 30 and rss < 2048 else 1


if __name__ == "__main__":
    raise SystemExit(main())
