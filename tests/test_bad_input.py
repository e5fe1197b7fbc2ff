"""Issue 9: bad, hostile and big input get one clear KGError and change nothing."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

import kg
from kg.validation.rules import find_conflicts
from tests.conftest import make_statement, same_graph, tiny

REPO = Path(__file__).resolve().parents[1]
GOOD = (Path(__file__).parent / "data" / "bad" / "_good.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CASES = {
    "missing-field.yaml": (GOOD.replace("    subject: HKG:test_hormone\n", ""), "required-subject", 8),
    "wrong-type.yaml": (
        GOOD.replace("    sources: [src:seed-article]", "    sources: src:seed-article"),
        "field-type",
        8,
    ),
    "unknown-predicate.yaml": (GOOD.replace("increases", "cures"), "known-predicate", 8),
    "duplicate-id.yaml": (
        GOOD.replace("user-test-hormone-increases-bmd", "seed-anastrozole-inhibits-aromatase"),
        "unique-id",
        None,
    ),
    "bad-prefix.yaml": (GOOD.replace("EFO:0003923", "XYZ:0003923"), "registered-prefix", 8),
    "undeclared.yaml": (GOOD.replace("object: EFO:0003923", "object: CHEBI:99999999"), "declared-entity", 8),
    "alias-cycle.yaml": (
        GOOD.replace(
            '    comment: "test fixture"\n',
            '    comment: "test fixture"\n'
            "    broader: [HKG:test_other]\n  - id: HKG:test_other\n    label: other\n"
            '    category: Hormone\n    comment: "test fixture"\n'
            "    broader: [HKG:test_hormone]\n",
        ),
        "alias-cycle",
        3,
    ),
    "duplicate-key.yaml": (
        GOOD.replace("    predicate: increases\n", "    predicate: increases\n    predicate: decreases\n"),
        "duplicate-key",
        8,
    ),
    "unknown-field.yaml": (
        GOOD.replace("    predicate: increases\n", "    predicate: increases\n    weight: 3\n"),
        "known-field",
        8,
    ),
    "malformed.yaml": (GOOD.replace("    predicate: increases\n", "    predicate: [increases\n"), "yaml-syntax", None),
    "empty.yaml": ("", "non-empty", None),
    "binary.yaml": (b"\x00\x01\x02statements: []", "text-file", None),
    "latin1.yaml": ("entities:\n  - id: HKG:x\n    label: \xe9strog\xe8ne\n".encode("latin-1"), "utf-8", None),
    "broken.ttl": ("@prefix hkg: <https://w3id.org/hormone-kg/vocab#> .\nhkg:a hkg:b", "rdf-syntax", None),
    "unknown-format.csv": ("a,b\n", "file-format", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_gets_one_clear_error_and_changes_nothing(
    tmp_path: Path, bundled: kg.KnowledgeGraph, name: str
) -> None:
    content, rule, line = CASES[name]
    path = _write(tmp_path, name, content)
    before = (len(bundled.statements), len(bundled.rdf))
    with pytest.raises(kg.KGError) as err:
        kg.load(extra=[path])
    assert isinstance(err.value, kg.ValidationError)  # CurationError is a ValidationError
    hits = [v for v in err.value.violations if v.rule == rule]
    assert hits, err.value.violations
    message = str(err.value)
    assert rule in message and name in message
    if line is not None:
        assert hits[0].line == line
    assert (len(bundled.statements), len(bundled.rdf)) == before
    assert len(kg.load().statements) == before[0]


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(kg.CurationError, match="file-size"):
        kg.load(extra=[path])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(kg.CurationError, match="no such file"):
        kg.load(extra=[tmp_path / "nope.yaml"])


def test_hostile_text_is_kept_as_data(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> \"quotes\" 'single' \u202eRTL\u200bzero-width [bold]x[/] " + "long " * 2000
    doc = yaml.safe_load(GOOD)
    doc["entities"][0]["label"] = hostile
    doc["statements"][0]["evidence"][0]["text"] = "The structural health of bone </script><script>alert(2)</script>"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    g = kg.load(extra=[path])
    assert g.resolve("HKG:test_hormone").label == hostile.strip()
    again = Graph().parse(data=g.rdf.serialize(format="turtle"), format="turtle")
    assert same_graph(again, g.rdf)


# ---------------------------------------------------------------- explosions, cycles, conflicts
def peak_rss() -> int:
    """This process's peak resident memory in bytes, since it began running its program.

    Linux: ``VmHWM``, the high-water mark of this program's own memory. Not ``getrusage``'s ``ru_maxrss``: Linux
    folds into it the memory of the process that was replaced at ``exec``, so a child started from a large test
    worker would report the worker's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def complete_digraph_answers(n: int = 200) -> dict[str, object]:
    """The four questions on the complete digraph of ``n`` nodes, as plain facts, and this process's peak memory."""
    edges = [
        (f"HKG:n{i}", "increases" if (i * 7 + j) % 5 else "decreases", f"HKG:n{j}")
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    g = tiny(edges)
    paths = g.causal_paths("HKG:n0", "HKG:n1", max_length=10, limit=10**6)
    effect = g.effect("HKG:n0", "HKG:n1", max_length=10)
    down = g.downstream("HKG:n0", max_length=10)
    loops = g.feedback_loops(max_length=10)
    peak = peak_rss()
    return {
        "paths_truncated": paths.truncated,
        "first_path_length": paths[0].length if paths else None,
        "effect_truncated": effect.truncated,
        "effect_predicted": effect.predicted,
        "effect_paths": len(effect.paths),
        "downstream": len(down),
        "loops": len(loops),
        "peak_bytes": peak,
    }


def test_complete_digraph_of_200_nodes_stays_bounded() -> None:
    # In a fresh interpreter, whose peak resident memory counts everything (interpreter, libraries, the
    # 39,800-statement graph, numpy's and C allocations): tracemalloc here made the loop search 6x slower.
    script = "import json; from tests.test_bad_input import complete_digraph_answers as a; print(json.dumps(a()))"
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr
    answers = json.loads(proc.stdout)
    n = 200
    assert answers["paths_truncated"]
    # effect keeps the best 20 paths: lengths 1-2 hold them, so it is complete (both signs, nothing cut)
    assert not answers["effect_truncated"] and answers["effect_predicted"] == "mixed"
    assert answers["effect_paths"] == 20
    assert answers["first_path_length"] == 1
    assert answers["downstream"] == n - 1
    assert answers["loops"]
    assert answers["peak_bytes"] < 1_000_000_000  # bounded by MAX_PATHS and the budget, not by the ~10^20 simple paths


def test_long_cycle_and_parallel_statements() -> None:
    ring = [(f"HKG:r{i}", "increases", f"HKG:r{(i + 1) % 1000}") for i in range(1000)]
    g = tiny(ring)
    assert g.causal_paths("HKG:r0", "HKG:r999", max_length=10) == []
    assert g.feedback_loops(max_length=10) == []
    parallel = tiny([make_statement(i, "HKG:a", "increases", "HKG:b") for i in range(1000)])
    paths = parallel.causal_paths("HKG:a", "HKG:b", max_length=10)
    assert len(paths) == 1 and len(paths[0].support[0]) == 1000


def test_conflicting_statements_are_reported_with_both_sources() -> None:
    a = make_statement(1, "HKG:a", "increases", "HKG:b", source="src:tiny")
    b = make_statement(2, "HKG:a", "decreases", "HKG:b", source="src:tiny")
    c = make_statement(3, "HKG:a", "decreases", "HKG:b", context={"sex": "male"})
    pairs = find_conflicts([a, b, c])
    assert [(x.id, y.id) for x, y in pairs] == [("t1", "t2")]
    g = tiny([a, b])
    assert g.effect("HKG:a", "HKG:b").predicted == "mixed"  # not silently merged


# ---------------------------------------------------------------- review findings: odd arguments stay KGErrors
def test_a_directory_is_not_a_curation_file(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(kg.CurationError, match="not a regular file"):
        kg.load(extra=[tmp_path / "d.yaml"])


def test_odd_arguments_raise_kg_errors(bundled: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.CurationError, match="list of file paths"):
        kg.load(extra=[None])  # type: ignore[list-item]
    with pytest.raises(kg.QueryError, match="limit"):
        bundled.causal_paths("anastrozole", "BMD", limit=None)  # type: ignore[arg-type]
    with pytest.raises(kg.QueryError, match="string"):
        bundled.search(None)  # type: ignore[arg-type]
    with pytest.raises(kg.QueryError, match="limit"):
        bundled.search("estro", limit=-1)


def test_spreadsheet_formulas_in_user_text_are_made_inert(tmp_path: Path) -> None:
    import csv

    from kg.exporters import export

    doc = yaml.safe_load(GOOD)
    doc["entities"][0]["label"] = '=HYPERLINK("http://example.invalid","x")'
    path = tmp_path / "formula.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    g = kg.load(extra=[path])
    export(g, tmp_path / "out", formats=["csv"])
    with (tmp_path / "out" / "statements.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {row["statement"]: row for row in csv.DictReader(fh)}
    label = rows["user-test-hormone-increases-bmd"]["subject_label"]
    assert label == "'" + doc["entities"][0]["label"]
    assert rows["user-test-hormone-increases-bmd"]["sign"] == "1"


def test_endpoint_urls_and_remote_bindings_are_checked(bundled: kg.KnowledgeGraph) -> None:
    from kg.store.remote import Endpoint

    with pytest.raises(kg.EndpointError, match="query string"):
        Endpoint.parse("http://127.0.0.1:9/ds/query?x=1")
    remote = kg.KnowledgeGraph(bundled.curation, endpoint="http://127.0.0.1:9/query")
    with pytest.raises(kg.QueryError, match="aggregates"):
        remote.sparql("SELECT (COUNT(*) AS ?c) WHERE { ?x ?p ?o }", x="CHEBI:2704")
