"""The forest plot of findings (issue 18): rows from the literature, strict intervals, SVG/PNG, CLI, view, browser.

The ATAC bone substudy (Eastell et al. 2008, PMID:18309940) reports median BMD changes of -6.08 % (lumbar spine) and
-7.24 % (total hip) after 5 years of anastrozole in postmenopausal women with hormone-receptor-positive early breast
cancer, without an interval in the abstract: the plot must show them, labelled, as points without whiskers.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import kg
import kg.viz
from kg.errors import ExportError, KGError, QueryError
from kg.graph import KnowledgeGraph
from kg.model import Evidence, Finding
from kg.questions.results import Effect
from kg.viz.forest import compare_forest, effect_forest, forest, forest_plot, inline_svg, parse_ci, write_forest

WOMEN = "postmenopausal women"
ATAC_POPULATION = "postmenopausal women with hormone-receptor-positive breast cancer"
SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCREENS = Path("/tmp/hkg-screens")
HOSTILE_TIME = "</text><script>alert(1)</script>"
HOSTILE_STATISTIC = '<img src=x onerror=alert(2)> $\\alpha$ & "q"'


# ---------------------------------------------------------------------------------------------- helpers
def svg_root(data: bytes) -> ET.Element:
    text = data.decode("utf-8")
    return ET.fromstring(text[text.index("<svg") :])  # our own output, no DTD


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def groups(root: ET.Element, suffix: str) -> dict[str, ET.Element]:
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("id", "").endswith(suffix)}


def marker_x(group: ET.Element) -> float:
    """The x of the square drawn in a point group (matplotlib draws a marker as <use x=.. y=..>)."""
    use = next(group.iter(f"{SVG}use"))
    return float(use.get("x", "nan"))


def no_effect_x(root: ET.Element) -> float:
    line = groups(root, "forest-no-effect")["forest-no-effect"]
    path = next(line.iter(f"{SVG}path")).get("d", "")
    return float(re.findall(r"[-\d.]+", path)[0])


def finding_with_ci(g: KnowledgeGraph, ci: str) -> Finding:
    found = [f for f in g.findings.values() if f.ci == ci]
    assert len(found) == 1, ci
    return found[0]


def effect_of(*findings: Finding) -> Effect:
    return Effect("HKG:a", "HKG:b", "any context", "unknown", None, (), findings=tuple(findings))


@pytest.fixture(scope="module")
def atac(bundled: KnowledgeGraph) -> bytes:
    return forest_plot(bundled, "anastrozole", "bone mineral density", context=WOMEN)


@pytest.fixture(scope="module")
def hostile(bundled: KnowledgeGraph) -> KnowledgeGraph:
    """The bundled graph plus one ATAC-like finding whose time point and statistic are markup."""
    finding = Finding(
        id="hostile-finding",
        intervention="CHEBI:2704",
        measure="EFO:0007701",
        direction="decrease",
        sources=("PMID:18309940",),
        evidence=(Evidence("PMID:18309940", "test fixture"),),
        comparator="baseline",
        population="pop:postmenopausal-women-hr-positive-breast-cancer",
        duration=HOSTILE_TIME,
        value=-1.5,
        unit="%",
        statistic=HOSTILE_STATISTIC,
        ci="95% CI -2.0 to -1.0",
    )
    return KnowledgeGraph(replace(bundled.curation, findings=(*bundled.curation.findings, finding)))


# ---------------------------------------------------------------------------------------------- intervals
@pytest.mark.parametrize(
    ("text", "low", "high", "level"),
    [
        ("95% CI 1.25-1.77", 1.25, 1.77, 95.0),  # ATAC fracture HR (PMID:16869719)
        ("95% CI 0·68–0·93", 0.68, 0.93, 95.0),  # EBCTCG, Lancet style: middle dot, en dash
        ("95% confidence interval [CI], 0.65 to 0.76", 0.65, 0.76, 95.0),
        ("95 percent confidence interval, 0.70 to 0.93", 0.70, 0.93, 95.0),
        ("95% CI 0.81, 1.06", 0.81, 1.06, 95.0),
        ("95% Cl 0.41-0.68", 0.41, 0.68, 95.0),
        ("95% CI 4.8%-8.7%", 4.8, 8.7, 95.0),
        ("−1.2 to 3.4", -1.2, 3.4, None),
        ("95% CI -0.5-4.1", -0.5, 4.1, 95.0),
        ("0.58-0.90", 0.58, 0.90, None),
    ],
)
def test_parse_ci_reads_the_forms_written_in_the_data(text: str, low: float, high: float, level: float | None) -> None:
    interval = parse_ci(text)
    assert interval is not None
    assert (interval.low, interval.high, interval.level) == (low, high, level)


@pytest.mark.parametrize(
    "text",
    [
        "range: -48% to +12%",  # a range of individual values, not a CI
        "5-95% range: -81% to +20%",
        "95% CI 18%-58% (for the 41% reduction)",  # the interval of another statistic
        "difference = 6.9 ng/mL, 95% confidence interval [CI] = 2.7 to 11.2 ng/mL",
        "95% CI 1.77-1.25",  # bounds the wrong way round
        "about 1 to 2",
        "",
    ],
)
def test_parse_ci_refuses_what_is_not_exactly_an_interval(text: str) -> None:
    assert parse_ci(text) is None


# ---------------------------------------------------------------------------------------------- the plot
def test_anastrozole_bmd_plot_shows_the_atac_results(bundled: KnowledgeGraph, atac: bytes) -> None:
    plot = forest(bundled, "anastrozole", "bone mineral density", context=WOMEN)
    five = {r.panel[0]: r for r in plot.rows if r.time == "5 years"}
    assert {name: r.value for name, r in five.items()} == {
        "spine bone mineral density (lumbar spine)": -6.08,
        "hip bone mineral density": -7.24,
    }
    for row in five.values():
        assert row.source == "Eastell et al. 2008, PMID:18309940"
        assert row.group == f"{ATAC_POPULATION} — a subgroup of {WOMEN}"  # a subgroup result, said so
        assert row.interval is None and row.finding.ci is None  # the abstract gives no interval
    root = svg_root(atac)
    shown = " ".join(texts(root))
    for label in (
        "Eastell et al. 2008,",
        "PMID:18309940",
        "−6.08\u00a0(no\u00a0CI)",
        "−7.24\u00a0(no\u00a0CI)",
        "5 years",
    ):
        assert label in shown, label
    assert "spine bone mineral density (lumbar spine)" in shown and "hip bone mineral density" in shown
    assert "postmenopausal women with hormone-receptor-positive breast cancer — a subgroup of" in shown
    assert "change (%; 0 = no change)" in shown  # the measure on the axis
    # both 5-year losses are drawn left of the line of no change (their panels' own lines)
    points = groups(root, "-point")
    spine = next(g for k, g in points.items() if k.endswith("seed-atac-5y-lumbar-spine-bmd-anastrozole-point"))
    recovery = next(g for k, g in points.items() if k.endswith("year7-after-anastrozole-point") and "lumbar" in k)
    assert marker_x(spine) < no_effect_x(root) < marker_x(recovery)  # -6.08 % left of 0, +4.02 % right of it


def test_rows_without_an_interval_have_no_whiskers(bundled: KnowledgeGraph, atac: bytes) -> None:
    root = svg_root(atac)
    assert groups(root, "-point") and not groups(root, "-ci")  # ATAC: points only
    raloxifene = svg_root(forest_plot(bundled, "raloxifene", "fracture"))
    points, whiskers = groups(raloxifene, "-point"), groups(raloxifene, "-ci")
    assert len(points) == len(whiskers) == 4  # MORE: every relative risk with its 95% CI
    mid = next(k for k in whiskers if "120" in k)  # RR 0.57 (0.48-0.69), raloxifene 120 mg/d, PMID:12161484
    ends = [float(x) for x in re.findall(r"[-\d.]+", next(whiskers[mid].iter(f"{SVG}path")).get("d", ""))[::2]]
    assert min(ends) < marker_x(points[mid.removesuffix("-ci") + "-point"]) < max(ends)
    assert "0.57\u00a0[0.48,\u00a00.69]" in " ".join(texts(raloxifene))


def test_an_interval_that_is_not_exact_is_not_drawn(bundled: KnowledgeGraph) -> None:
    psa = finding_with_ci(bundled, "range: -48% to +12%")  # finasteride: a range of PSA changes, not a CI
    # SOFT 12-year DFS 76.1 % (PMID:36493334) with the hazard ratio's interval put on it, the error once in the data
    dfs = replace(
        bundled.findings["fhpg-soft2023-ofs-dfs-12y"], id="dfs-with-the-hr-interval", ci="95% CI, 0.69 to 0.98"
    )
    plot = effect_forest(bundled, effect_of(psa, dfs))
    assert [r.interval for r in plot.rows] == [None, None]
    assert "not a confidence interval" in plot.rows[0].note and "does not contain" in plot.rows[1].note
    root = svg_root(plot.render())
    assert not groups(root, "-ci")
    shown = " ".join(texts(root))
    assert "[1]" in shown and "[2]" in shown and "range: -48% to +12%" in shown  # footnotes quote the text


def whisker(group: ET.Element) -> tuple[float, float]:
    """The x of both ends of a whisker group (one horizontal path from low to high)."""
    xs = [float(x) for x in re.findall(r"[-\d.]+", next(group.iter(f"{SVG}path")).get("d", ""))[::2]]
    return min(xs), max(xs)


def test_an_interval_impossible_for_a_share_of_people_is_not_drawn(bundled: KnowledgeGraph) -> None:
    # TTrials anaemia trial (Roy et al. 2017, PMID:28241237): 54 % of men with unexplained anaemia (placebo 15 %)
    # had haemoglobin up by >= 1.0 g/dL at month 12, "adjusted OR, 31.5; 95% CI, 3.7-277.8". The OR's interval
    # on the 54 % contains 54 but cannot bound a share of people: the rule, not containment, keeps it undrawn.
    share = bundled.findings["r2-ttrials-anemia-hemoglobin-rise"]
    assert (share.value, share.value_type, share.ci) == (54, "level", None)  # the data: the share has no interval
    assert share.unit and share.unit.startswith("% of men")
    misplaced = replace(share, id="share-with-the-or-interval", ci="95% CI, 3.7-277.8")
    clean_row, row = effect_forest(bundled, effect_of(share, misplaced)).rows
    assert clean_row.interval is None and clean_row.note == ""
    assert row.kind == "plain" and row.interval is None and "0–100 %" in row.note
    # the same interval on the odds ratio it belongs to is drawn, on a log axis
    for measure, finding_id, odds, low, high in (
        ("hemoglobin concentration", "r2-ttrials-anemia-hemoglobin-rise-odds-ratio", 31.5, 3.7, 277.8),
        ("anemia", "r2-ttrials-anemia-no-longer-anemic-odds-ratio", 17.0, 2.8, 104.0),
    ):
        plot = forest(bundled, "testosterone therapy", measure)
        (ratio,) = [r for r in plot.rows if r.finding.id == finding_id]
        assert (ratio.value, ratio.finding.value_type, ratio.kind) == (odds, "ratio", "ratio")
        assert ratio.interval is not None and (ratio.interval.low, ratio.interval.high) == (low, high)
        assert "log scale; 1 = no difference" in ratio.panel[1] and ratio.note == ""
        root = svg_root(plot.render())
        (ci,) = [g for k, g in groups(root, "-ci").items() if k.endswith(f"{finding_id}-ci")]
        (point,) = [g for k, g in groups(root, "-point").items() if k.endswith(f"{finding_id}-point")]
        left, right = whisker(ci)
        x = marker_x(point)
        assert left < x < right
        # on a log axis the whisker's two halves are in the ratio of the logs, not of the differences
        logs = math.log(odds / low) / math.log(high / odds)
        assert abs((x - left) / (right - x) - logs) < 0.02 * logs
        assert abs((x - left) / (right - x) - (odds - low) / (high - odds)) > 0.5


def test_a_change_and_a_ratio_never_share_an_axis(bundled: KnowledgeGraph) -> None:
    # MacLennan et al. 2001 (Cochrane, PMID:11279791), oral HRT vs placebo: "a 77% reduction in frequency (95% CI
    # 58.2, 87.5)" of hot flushes and severity "OR 0.13, 95% CI 0.08, 0.22": one question, a change and a ratio
    plot = forest(bundled, "menopausal hormone therapy", "vasomotor symptoms")
    rows = {r.finding.id: r for r in plot.rows}
    change, ratio = rows["repro-maclennan2001-hot-flush-frequency"], rows["repro-maclennan2001-hot-flush-severity"]
    assert (change.finding.value_type, ratio.finding.value_type) == ("change", "ratio")
    assert change.finding.measure == ratio.finding.measure and change.panel[0] == ratio.panel[0]
    assert change.panel != ratio.panel and len({r.panel for r in plot.rows}) == 2
    assert change.kind == "change" and "0 = no change" in change.panel[1]
    assert change.interval is not None and (change.value, change.interval.low, change.interval.high) == (77, 58.2, 87.5)
    assert ratio.kind == "ratio" and "log scale; 1 = no difference" in ratio.panel[1]
    assert ratio.interval is not None and (ratio.value, ratio.interval.low, ratio.interval.high) == (0.13, 0.08, 0.22)
    root = svg_root(plot.render())
    assert len(root.findall(f".//{SVG}g[@id='forest-no-effect']")) == 2  # one line per axis
    assert len(groups(root, "-ci")) == 2  # both intervals drawn, each on its own axis


def test_renders_are_byte_identical(bundled: KnowledgeGraph) -> None:
    plot = forest(bundled, "anastrozole", "bone mineral density", context=WOMEN)
    again = forest(bundled, "anastrozole", "bone mineral density", context=WOMEN)
    for fmt in ("svg", "png"):
        assert plot.render(fmt) == again.render(fmt)
    assert plot.render("svg", compact=True) == again.render("svg", compact=True)
    assert plot._repr_svg_() == plot.render("svg").decode("utf-8")  # the notebook shows the same picture


def test_no_numeric_findings_is_a_clear_error(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no numeric findings to plot for testosterone → aromatase"):
        forest_plot(bundled, "testosterone", "aromatase")
    reported = next(f for f in bundled.findings.values() if f.value is None)  # a qualitative claim only
    with pytest.raises(QueryError, match="1 finding\\(s\\), none with a value"):
        effect_forest(bundled, effect_of(reported))
    with pytest.raises(QueryError):
        write_forest(bundled, tmp_path / "none.svg", "testosterone", "aromatase")
    assert list(tmp_path.iterdir()) == []


def test_bad_format_is_refused_and_nothing_written(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"'plot\.pdf'.*\.svg or \.png"):
        write_forest(bundled, tmp_path / "plot.pdf", "anastrozole", "BMD", context=WOMEN)
    with pytest.raises(ExportError, match="does not exist"):
        write_forest(bundled, tmp_path / "missing" / "plot.svg", "anastrozole", "BMD", context=WOMEN)
    with pytest.raises(ExportError, match="unknown plot format 'jpeg'"):
        forest_plot(bundled, "anastrozole", "BMD", context=WOMEN, fmt="jpeg")
    assert list(tmp_path.iterdir()) == []
    out = write_forest(bundled, tmp_path / "plot.PNG", "anastrozole", "BMD", context=WOMEN)
    assert out.read_bytes()[:8] == PNG_MAGIC and [p.name for p in tmp_path.iterdir()] == ["plot.PNG"]


def test_compare_groups_rows_by_context(bundled: KnowledgeGraph) -> None:
    men_label = "older men with low testosterone"
    plot = compare_forest(bundled, "anastrozole", "bone mineral density", [WOMEN, men_label])
    contexts = {r.group.split(":")[0] for r in plot.rows}
    assert contexts == {WOMEN, men_label}
    men = [r for r in plot.rows if r.group.startswith(men_label)]
    assert men and all(r.finding.population == "pop:older-men-low-testosterone" for r in men)  # Burnett-Bowie 2009
    with pytest.raises(QueryError, match="list of contexts"):
        compare_forest(bundled, "anastrozole", "bone mineral density", WOMEN)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- command line
def hormone_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "hormone-kg"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "kg"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300, check=False, cwd=cwd)


def test_cli_writes_svg_and_png(tmp_path: Path) -> None:
    for name in ("plot.svg", "plot.png"):
        proc = hormone_kg("findings", "anastrozole", "BMD", "--context", WOMEN, "--plot", name, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert f"wrote {name}" in proc.stdout and "-6.08 %" in proc.stdout and "PMID:18309940" in proc.stdout
    svg = (tmp_path / "plot.svg").read_bytes()
    assert "−6.08\u00a0(no\u00a0CI)" in " ".join(texts(svg_root(svg)))
    png = (tmp_path / "plot.png").read_bytes()
    assert png[:8] == PNG_MAGIC and len(png) > 50_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # IHDR
    assert width == 1650 and height > 1000  # 11 in at 150 dpi, two panels tall
    proc = hormone_kg("--json", "findings", "anastrozole", "BMD", "--context", WOMEN, "--plot", "j.svg", cwd=tmp_path)
    doc = json.loads(proc.stdout)
    assert doc["plot"] == "j.svg" and doc["subgroups"][0]["who"] == ATAC_POPULATION
    assert -6.08 in [f["value"] for f in doc["subgroups"][0]["findings"]]


def test_cli_refuses_a_bad_suffix_and_an_empty_plot(tmp_path: Path) -> None:
    proc = hormone_kg("findings", "anastrozole", "BMD", "--plot", "plot.pdf", cwd=tmp_path)
    assert proc.returncode == 2 and "'--plot'" in proc.stderr and ".pdf" in proc.stderr
    proc = hormone_kg("findings", "testosterone", "aromatase", "--plot", "plot.svg", cwd=tmp_path)
    assert proc.returncode == 2 and "no numeric findings" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------- the view
def test_view_page_holds_the_plot(bundled: KnowledgeGraph) -> None:
    page = kg.viz.render_html(bundled, highlight=("anastrozole", "bone mineral density"), context=WOMEN)
    section = page[page.index('<section id="hkg-findings"') : page.index("</section>", page.index("hkg-findings"))]
    assert "<svg" in section and "−6.08\u00a0(no\u00a0CI)" in section and "Eastell et al. 2008" in section
    assert "<?xml" not in section and "<!DOCTYPE" not in section and "<metadata>" not in section
    assert '<style type="text/css">*{' not in section  # matplotlib's page-wide style is scoped to the plot
    assert '<style type="text/css">#hkg-findings svg *{' in section
    assert 'id="hkg-findings"' not in kg.viz.render_html(bundled, focus="aromatase", radius=1)  # no question asked


def test_hostile_labels_stay_text_in_the_svg_and_the_page(hostile: KnowledgeGraph) -> None:
    plot = forest(hostile, "anastrozole", "bone mineral density", context=WOMEN)
    data = plot.render("svg", compact=True)
    root = svg_root(data)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) in ("script", "img", "foreignObject")]
    shown = " ".join(texts(root))
    assert HOSTILE_TIME in shown and "$\\alpha$" in shown  # as text; no mathtext either
    markup = inline_svg(data)
    assert "<script" not in markup and "<img" not in markup
    page = kg.viz.render_html(hostile, highlight=("anastrozole", "bone mineral density"), context=WOMEN)
    assert "<script>alert" not in page and "<img src=x" not in page
    with pytest.raises(KGError, match="refusing to embed"):
        inline_svg(data.replace(b"</svg>", b"<script>alert(3)</script></svg>"))


# ---------------------------------------------------------------------------------------------- browser
class Opened:
    """A file opened with the network blocked, and everything that went wrong on the way."""

    def __init__(self, browser: Any, path: Path, width: int, height: int, ready: str | None = None) -> None:
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        if ready:
            self.page.wait_for_function(ready, timeout=60_000)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def shot(self, tmp_path: Path, name: str, selector: str | None = None) -> Path:
        out = tmp_path / name
        if selector:
            self.page.locator(selector).screenshot(path=str(out))
        else:  # a bare SVG document: the viewport made its size (full_page waits forever on an SVG document)
            box = self.page.evaluate("() => document.documentElement.getBoundingClientRect().toJSON()")
            self.page.set_viewport_size({"width": int(box["width"]) + 1, "height": int(box["height"]) + 1})
            self.page.screenshot(path=str(out))
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, SCREENS / name)
        return out


def test_browser_renders_the_forest_plot(browser: Any, bundled: KnowledgeGraph, tmp_path: Path) -> None:
    svg = write_forest(bundled, tmp_path / "forest.svg", "anastrozole", "bone mineral density", context=WOMEN)
    opened = Opened(browser, svg, 1650, 1300)
    try:
        box = opened.page.evaluate("() => document.documentElement.getBoundingClientRect().toJSON()")
        assert box["width"] > 700 and box["height"] > 500
        drawn = opened.page.evaluate(
            "() => [...document.querySelectorAll('text')].filter(t => t.textContent.includes('−6.08'))"
            ".map(t => t.getComputedTextLength())"
        )
        assert drawn and all(length > 0 for length in drawn)
        shot = opened.shot(tmp_path, "forest-anastrozole-bmd.png")
        assert shot.read_bytes()[:8] == PNG_MAGIC and shot.stat().st_size > 40_000
        assert opened.outside == [] and opened.problems == []
    finally:
        opened.context.close()


def test_browser_shows_the_plot_in_the_view(browser: Any, bundled: KnowledgeGraph, tmp_path: Path) -> None:
    view = kg.viz.write_html(bundled, tmp_path / "view.html", highlight=("anastrozole", "BMD"), context=WOMEN)
    opened = Opened(browser, view, 1500, 2400, ready="window.hkgReady === true")
    try:
        box = opened.page.evaluate("() => document.querySelector('#hkg-findings svg').getBoundingClientRect().toJSON()")
        assert box["width"] > 200 and box["height"] > 300
        text = opened.page.text_content("#hkg-findings") or ""
        assert "−6.08\u00a0(no\u00a0CI)" in text and "Eastell et al. 2008" in text
        shot = opened.shot(tmp_path, "forest-in-view.png", "#hkg-findings")
        assert shot.stat().st_size > 20_000
        assert opened.outside == [] and opened.problems == []
    finally:
        opened.context.close()


def test_browser_hostile_plot_labels_are_text(browser: Any, hostile: KnowledgeGraph, tmp_path: Path) -> None:
    view = kg.viz.write_html(hostile, tmp_path / "view.html", highlight=("anastrozole", "BMD"), context=WOMEN)
    opened = Opened(browser, view, 1500, 1000, ready="window.hkgReady === true")
    try:
        text = opened.page.text_content("#hkg-findings") or ""
        assert HOSTILE_TIME in text and "onerror=alert(2)" in text  # shown as text
        count = "() => document.querySelectorAll('#hkg-findings script, #hkg-findings img').length"
        assert opened.page.evaluate(count) == 0
        opened.page.locator("#hkg-findings").scroll_into_view_if_needed()
        opened.page.wait_for_timeout(300)
        assert opened.outside == [] and opened.problems == []  # no dialog, no script error
    finally:
        opened.context.close()
