"""Issue 18, notebook: HTML reprs with labels and signs, readable ``str``, ``Effect.summary()``, and logging.

The answers checked are the bundled graph's, which follow the literature: anastrozole inhibits aromatase, so
estradiol and bone mineral density fall in postmenopausal women; ATAC (Eastell et al. 2008, PMID:18309940)
measured a median -6.08 % lumbar-spine BMD change at 5 years on anastrozole; testosterone lowers LH, which
raises testosterone (the negative feedback of the HPG axis).
"""

from __future__ import annotations

import ast
import logging
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.cli.loading import BAR_BYTES
from kg.errors import EndpointError
from kg.graph import KnowledgeGraph
from kg.imports import import_file
from kg.questions.results import SHOWN_PATHS, SHOWN_ROWS, Effect, PathList, Reach
from kg.sources.progress import EVERY
from kg.store import remote
from kg.store.endpoint import Endpoint
from tests.test_endpoint_auth import SECRET, Fake, NeedsToken
from tests.test_endpoint_auth import serve as _serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package (not installed)
from benchmarks import synth

serve = _serve  # the loopback HTTP servers of tests/test_endpoint_auth.py

HOSTILE = Path(__file__).parent / "data" / "hostile.yaml"
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_EVIDENCE_TAIL = "</script><script>alert(4)</script> raises estradiol"
SIGNOR = Path(__file__).parent / "data" / "imports" / "signor.tsv"
WOMEN = "postmenopausal women"
ATAC_WOMEN = "postmenopausal women with hormone-receptor-positive breast cancer"


class Items(HTMLParser):
    """The text of every ``<li>``, and every tag opened (to find markup that should have been text)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.tags: list[str] = []
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "li":
            self._open.append(len(self.items))
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self.items[i] += data


def parsed(html: str) -> Items:
    p = Items()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def hostile() -> KnowledgeGraph:
    return kg.load(extra=[HOSTILE])


@pytest.fixture(scope="module")
def anastrozole_bmd(bundled: KnowledgeGraph) -> Effect:
    return bundled.effect("anastrozole", "bone mineral density", context=WOMEN)


# ---------------------------------------------------------------------------------------------- text
def test_print_effect_gives_headline_basis_top_paths_and_subgroups(anastrozole_bmd: Effect) -> None:
    e = anastrozole_bmd
    lines = str(e).splitlines()
    assert str(e) == e.summary() and 5 <= len(lines) <= 10
    assert lines[0] == "anastrozole → bone mineral density (postmenopausal women): decrease"
    assert lines[1].startswith("basis: ") and "causal paths (predicted decrease)" in lines[1]
    assert lines[2] == f"top paths (3 of {len(e.paths)}):"
    assert lines[3].startswith("  1. net decrease: anastrozole ⊣ aromatase → 17β-estradiol")
    assert lines[-1].startswith(f"subgroups: {ATAC_WOMEN}: decrease (")
    assert repr(e).startswith("<Effect CHEBI:2704 -> EFO:0003923") and "\n" not in repr(e)  # repr stays short


def test_print_path_and_path_list(bundled: KnowledgeGraph) -> None:
    paths = bundled.causal_paths("testosterone", "E2", max_length=2, context=WOMEN)
    assert str(paths).splitlines() == ["1 path", "1. net increase: testosterone → aromatase → 17β-estradiol"]
    path = paths[0]
    assert str(path) == path.explain() and len(str(path).splitlines()) >= 3  # the net sign, then a step per line
    assert repr(path) == "<CausalPath increase: testosterone → aromatase → 17β-estradiol>"
    many = bundled.causal_paths("anastrozole", "bone mineral density", context=WOMEN)
    lines = str(many).splitlines()
    assert lines[0] == f"{len(many)} paths" and len(lines) == len(many) + 1
    assert all(re.match(rf"{i}\. net (increase|decrease): anastrozole ", x) for i, x in enumerate(lines[1:], 1))


# ---------------------------------------------------------------------------------------------- HTML
def test_effect_html_has_labels_signs_and_the_atac_subgroup(anastrozole_bmd: Effect) -> None:
    html = anastrozole_bmd._repr_html_()
    assert "<b>anastrozole → bone mineral density (postmenopausal women): decrease</b>" in html
    assert "CHEBI:2704" not in html and "EFO:0003923" not in html  # labels, not CURIEs
    assert "<b>net decrease</b>: anastrozole ⊣ aromatase → 17β-estradiol" in html
    assert f"… and {len(anastrozole_bmd.paths) - SHOWN_PATHS} more paths" in html
    atac = html[html.index(f"<b>{ATAC_WOMEN}</b>") :]
    assert "-6.08 %" in atac and "-7.24 %" in atac and "Eastell et al. 2008, PMID:18309940" in atac
    assert "lumbar spine" in atac and "hip bone mineral density" in atac  # the site of each result is named


def test_effect_html_quotes_as_explain_does_for_the_questions_people(anastrozole_bmd: Effect) -> None:
    """Issue 18: in a notebook too, a quote about other people than the question's is labelled, never plain support.

    Burnett-Bowie 2009 (PMID:19820017) studied older men with low testosterone; the seed article's dosing sentence
    is about men on testosterone therapy. Neither is shown as plain support for postmenopausal women.
    """
    html = anastrozole_bmd._repr_html_()
    assert "Burnett-Bowie et al. 2009, PMID:19820017 (about older men with low testosterone)" in html
    assert "net loss of bone" not in html  # the seed article's sentence about men on testosterone
    assert "Eastell et al. 2008, PMID:18309940: “" in html  # a primary sentence that fits, labelled


def test_path_html_numbers_each_step_once(bundled: KnowledgeGraph) -> None:
    (path,) = bundled.causal_paths("testosterone", "E2", max_length=2, context=WOMEN)
    html = path._repr_html_()
    steps = [t for t in parsed(html).items if "→" in t]
    assert len(steps) == 2  # one list item per step, numbered by the list alone (not "1. 1.")
    assert not any(re.match(r"\s*\d+\.", t) for t in parsed(html).items)
    assert steps[0].startswith("testosterone → aromatase") and steps[1].startswith("aromatase → 17β-estradiol")
    assert "net increase" in html and "PMID:" in html  # its sign and its sources


def test_loops_html_say_the_kind_of_feedback(bundled: KnowledgeGraph) -> None:
    loops = bundled.feedback_loops("LH")
    html = loops._repr_html_()
    assert f"{len(loops)} feedback loops" in html
    assert "testosterone ⊣ luteinizing hormone → testosterone" in html
    hpg = next(x for x in loops if x.path.compact() == "testosterone ⊣ luteinizing hormone → testosterone")
    assert hpg._repr_html_().startswith("<div style=") and "<b>negative feedback</b>" in hpg._repr_html_()


def test_reach_html_is_bounded_and_makes_only_the_effects_it_shows(bundled: KnowledgeGraph) -> None:
    made: list[str] = []

    def make(curie: str) -> Effect:
        made.append(curie)
        return Effect("A:0", curie, "any context", "increase", None, ())

    ids = [f"A:{i}" for i in range(1, 1001)]
    positions = {c: i for i, c in enumerate(ids)}
    html = Reach(ids, positions.get, make)._repr_html_()
    assert made == ids[:SHOWN_ROWS]  # 20 of 1000 Effects made, for the rows shown
    assert f"… and {1000 - SHOWN_ROWS} more" in html and "<b>1000 entities</b>" in html
    reach = bundled.downstream("estradiol", change="decrease")
    html = reach._repr_html_()
    assert "how each changes when 17β-estradiol decreases" in html
    row = re.search(r"<tr><td>bone resorption</td><td>(\w+)</td><td>([^<]*)</td>", html)
    assert row is not None and row.group(1) == "increase"  # less estradiol, more bone resorption
    assert "17β-estradiol ⊣" in row.group(2) or "17β-estradiol →" in row.group(2)


def test_knowledge_graph_html_counts_by_category(bundled: KnowledgeGraph) -> None:
    html = bundled._repr_html_()
    assert f"{len(bundled.entities)} entities by category" in html
    assert f"{len(bundled.statements)} statements by predicate" in html
    drugs = sum(e.category == "Drug" for e in bundled.entities.values())
    assert f"<tr><td>Drug</td><td>{drugs}</td></tr>" in html
    inhibits = sum(st.predicate == "inhibits" for st in bundled.statements.values())
    assert f"<tr><td>{bundled.rdf_label('inhibits')}</td><td>{inhibits}</td></tr>" in html


def test_finding_html_says_what_was_measured(bundled: KnowledgeGraph) -> None:
    f = bundled.findings["seed-atac-5y-lumbar-spine-bmd-anastrozole"]
    html = f._repr_html_()
    assert "-6.08 %" in html and "5 years" in html and "PMID:18309940" in html
    assert "Among anastrozole-treated patients" in html  # its evidence sentence, with its source


def test_hostile_labels_and_quotes_are_escaped_in_every_repr(hostile: KnowledgeGraph) -> None:
    e = hostile.effect("HKG:hostile_label", "bone mineral density")
    paths = PathList(e.paths)
    reach = hostile.downstream("HKG:hostile_label")
    reprs = [e._repr_html_(), paths._repr_html_(), e.paths[0]._repr_html_(), reach._repr_html_()]
    assert e.paths and len(reach) > 0
    for html in reprs:
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<img" not in html and "<script" not in html and "onerror=alert(1)>" not in html
        assert set(parsed(html).tags) <= {"div", "b", "p", "br", "ol", "ul", "li", "details", "summary", "small",
                                          "i", "table", "tr", "th", "td"}  # fmt: skip
    assert "&lt;/script&gt;&lt;script&gt;alert(4)&lt;/script&gt; raises estradiol" in e.paths[0]._repr_html_()
    assert str(e).startswith(f"{HOSTILE_LABEL} → bone mineral density")  # text stays text in str()


# ---------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page of the shared headless Chromium with every network request refused and listed."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))  # no network
    yield context.new_page(), requests
    context.close()


def test_reprs_render_as_text_in_a_real_browser(
    page: tuple[Any, list[str]], hostile: KnowledgeGraph, anastrozole_bmd: Effect
) -> None:
    tab, requests = page
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    e = hostile.effect("HKG:hostile_label", "bone mineral density")
    parts = [e._repr_html_(), e.paths[0]._repr_html_(), hostile.downstream("HKG:hostile_label")._repr_html_()]
    tab.set_content("<html><body>" + "<hr>".join([*parts, anastrozole_bmd._repr_html_()]) + "</body></html>")
    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = tab.inner_text("body")
    assert dialogs == [] and requests == []  # no script ran, nothing was fetched
    assert tab.locator("img").count() == 0 and tab.locator("body script").count() == 0
    assert f"{HOSTILE_LABEL} → bone mineral density (any context): {e.direction}" in text
    assert HOSTILE_EVIDENCE_TAIL in text  # the quote shows as the text it is
    assert "anastrozole → bone mineral density (postmenopausal women): decrease" in text
    assert not re.search(r"^\s*1\.\s*1\.", text, re.MULTILINE)


# ---------------------------------------------------------------------------------------------- logging
def test_the_library_logs_under_kg_with_a_null_handler() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("kg").handlers)


def test_no_print_in_the_library_outside_the_cli() -> None:
    root = Path(kg.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).parts[0] == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert len(list(root.rglob("*.py"))) > 40 and found == []


def test_loading_and_asking_the_bundled_graph_logs_nothing_at_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="kg"):
        g = kg.load()
        e = g.effect("anastrozole", "bone mineral density", context=WOMEN)
        shown = [e._repr_html_(), str(e), g.explain("anastrozole", "17β-estradiol"), g._repr_html_()]
        shown += [g.downstream("estradiol")._repr_html_(), g.feedback_loops("LH")._repr_html_()]
    assert all(shown)
    loads = [r.getMessage() for r in caplog.records if r.name == "kg.store.load"]
    assert f"loading the bundled graph ({len(g.statements)} statements) plus 0 file(s)" in loads
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_loading_a_file_logs_it_and_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.store.load, "SNAPSHOT_BYTES", 0)  # snapshot even this small import
    path = synth.write_turtle(synth.generate(200, seed=3), tmp_path / "g.ttl")
    with caplog.at_level(logging.INFO, logger="kg"):
        first = kg.load([path])
    said = [r.getMessage() for r in caplog.records]
    assert f"reading {path} ({path.stat().st_size} bytes)" in said
    assert f"loaded {path}: {len(first.table)} statements in all, {len(first.entities)} entities" in said
    assert any(m.startswith(f"snapshot miss for {path}") for m in said)
    assert any(m.startswith("snapshot written: ") for m in said)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kg"):
        kg.load([path])
    assert any(r.getMessage().startswith(f"snapshot hit for {path}") for r in caplog.records)
    assert not any(r.getMessage().startswith("reading ") for r in caplog.records)  # not parsed again


def test_an_import_logs_rows_read_and_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kg"):
        report = import_file("signor", SIGNOR, tmp_path / "signor.yaml")
    skipped = sum(report.skipped.values())
    assert report.rows > 0 and skipped > 0  # the sample has rows the importer cannot use
    line = f"signor.tsv (signor): {report.rows} rows -> {report.statements} statements, {skipped} skipped"
    assert [r.getMessage() for r in caplog.records if r.name == "kg.imports"] == [
        f"imported {line}; wrote {tmp_path / 'signor.yaml'}"
    ]


def test_a_search_cut_by_its_budget_says_so_in_the_log(
    bundled: KnowledgeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="kg.search"):
        paths = bundled.causal_paths("anastrozole", "bone mineral density", work=50)
    assert paths.truncated
    assert "search stopped: its work budget of 50 expansions is spent" in [r.getMessage() for r in caplog.records]


def test_an_endpoint_token_from_the_environment_never_reaches_the_log(
    serve: Callable[[type[Fake]], str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_CONFIG", str(tmp_path / "none.toml"))
    for name in ("USER", "PASSWORD"):
        monkeypatch.delenv(f"HORMONE_KG_ENDPOINT_{name}", raising=False)
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_TOKEN", SECRET)
    url = serve(NeedsToken)
    with caplog.at_level(logging.DEBUG, logger="kg"):
        ep = Endpoint.of(url, preset="generic")
        assert remote.count_triples(ep) == 3
        with pytest.raises(EndpointError, match="HTTP 500"):
            remote.update(ep, "CLEAR ALL")  # the server echoes the header in its error page
    assert NeedsToken.seen[-1][2]["Authorization"] == f"Bearer {SECRET}"  # the token was sent
    requests = [r.getMessage() for r in caplog.records if r.name == "kg.store.remote"]
    assert len(requests) == 2 and all(m.startswith(f"POST {url}") for m in requests)  # both requests, URL only
    assert SECRET not in caplog.text and all(SECRET not in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------------------------------- progress
def test_load_reports_the_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    path = synth.write_turtle(synth.generate(4000, seed=7), tmp_path / "g.ttl")
    total = path.stat().st_size + HOSTILE.stat().st_size
    assert total > 2 * EVERY  # so that the RDF file is reported while it is read, not only at its end
    seen: list[tuple[int, int]] = []
    g = kg.load([path, HOSTILE], progress=lambda done, all_: seen.append((done, all_)))
    assert {t for _, t in seen} == {total} and seen[-1] == (total, total)
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(done) >= total // EVERY  # every MiB, in order
    assert seen[0] == (HOSTILE.stat().st_size, total)  # the YAML file, read at once
    assert len(g.statements) == len(kg.load([path, HOSTILE]).statements)  # the same graph without a callback


def test_the_cli_draws_a_bar_for_a_large_file_on_a_terminal_only(tmp_path: Path) -> None:
    path = synth.write_turtle(synth.generate(12_000, seed=7), tmp_path / "big.ttl")
    assert path.stat().st_size >= BAR_BYTES
    script = Path(sys.executable).parent / "hormone-kg"
    env = {**os.environ, "HORMONE_KG_CACHE": str(tmp_path / "cache"), "COLUMNS": "120"}
    piped = subprocess.run([str(script), "validate", str(path)], capture_output=True, env=env, check=False)
    assert piped.returncode == 0 and piped.stderr.decode().strip() == ""  # no bar, no spinner when piped
    master, slave = pty.openpty()
    out = tmp_path / "out.txt"  # a file, not a pipe: the report is long, and only the terminal is read here
    with out.open("wb") as sink:
        proc = subprocess.Popen([str(script), "validate", str(path)], stdout=sink, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the command closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    proc.wait()
    os.close(master)
    text = shown.decode("utf-8", "replace")
    assert proc.returncode == 0 and out.read_bytes() == piped.stdout
    assert "Loading the graph and" in text and re.search(r"\d+(\.\d+)?/\d+(\.\d+)? MB", text)  # bytes read / all
