"""The view reads like a pathway diagram (issue 18): levels, glyphs, legible labels, legend aside, paths, contexts.

Fast checks on the layout and the page's data, then the pages in a real headless Chromium at 1280 x 720 with the
network blocked (helpers from ``tests/test_viz.py``). Screenshots are kept in ``/tmp/hkg-screens``:
``layered-full-1280x720.png`` (the bundled graph at its default zoom) and
``layered-anastrozole-bmd-1280x720.png`` (anastrozole -> bone mineral density in postmenopausal women, the
mechanistic chain selected).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

import kg
import kg.viz
from kg.graph import KnowledgeGraph
from kg.model import CATEGORIES
from kg.viz.layout import LAYER_NAMES, layered_layout
from kg.viz.style import CATEGORY_STYLE
from tests.test_viz import Opened, page_data

SCREEN = (1280, 720)
PAIR = ("anastrozole", "bone mineral density")
WOMEN = "postmenopausal women"
#: the headline chain of the seed article's mechanism (issue 18), as the engine ranks it first
CHAIN = (
    "anastrozole ⊣ aromatase → 17β-estradiol → estrogen receptor α ⊣ osteoclast lifespan → bone resorption "
    "⊣ bone mineral density"
)
CURIE_TEXT = re.compile(r"\b(?:NCBITaxon|UBERON|MONDO|HP|CHEBI|CL|GO|EFO|HGNC|HKG|pop|regimen):\S")


# ---------------------------------------------------------------------------------------------- fast
def test_levels_follow_the_biological_order() -> None:
    order = ["Drug", "Enzyme", "Receptor", "CellType", "BiologicalProcess", "ClinicalMeasure"]
    assert [kg.viz.layer_of(c) for c in order] == [0, 1, 2, 3, 4, 5]
    assert kg.viz.layer_of("Hormone") == kg.viz.layer_of("Enzyme")  # enzyme/hormone share a level
    assert kg.viz.layer_of("SignallingProtein") == kg.viz.layer_of("Receptor")
    assert set(kg.viz.LAYERS) == set(CATEGORIES)  # every category of the model has its level
    assert len(LAYER_NAMES) == 1 + max(kg.viz.LAYERS.values())


def test_the_headline_chain_never_goes_back_a_level(bundled: KnowledgeGraph) -> None:
    path = bundled.causal_paths(*PAIR, context=WOMEN)[0]
    assert path.compact() == CHAIN and path.mechanism
    levels = [kg.viz.layer_of(bundled.entities[n].category) for n in path.nodes]
    assert levels == sorted(levels) and levels[0] == 0 and levels[-1] == 5


BOX = (60.0, 12.0, 30.0)


def test_layered_layout_puts_each_level_below_the_last() -> None:
    # drug -> enzyme -> hormone (same level) -> receptor -> cell -> process -> measure, plus a side branch
    bands = [0, 1, 1, 2, 3, 4, 5, 1]
    edges = [(0, 1, True), (1, 2, True), (2, 3, True), (3, 4, True), (4, 5, True), (5, 6, True), (7, 3, True)]
    pos = layered_layout(bands, edges, sizes=[BOX] * 8)
    ys = [y for _, y in pos]
    assert all(a < b for a, b in pairwise(ys[:7]))  # strictly down along the chain
    assert ys[1] < ys[2]  # a step inside a level goes one tier down
    assert len(set(pos)) == 8 and pos == layered_layout(bands, edges, sizes=[BOX] * 8)


def test_first_path_is_straight_even_when_it_goes_back_a_level() -> None:
    # a cycle (1 -> 2 -> 1) and a step from a clinical measure back to a hormone on the path
    bands = [0, 1, 5, 1, 2]
    edges = [(0, 1, True), (1, 2, True), (2, 1, True), (2, 3, True), (3, 4, True), (0, 4, False)]
    path = [0, 1, 2, 3, 4]
    pos = layered_layout(bands, edges, sizes=[BOX] * 5, paths=[path])
    assert [pos[i][1] for i in path] == sorted(pos[i][1] for i in path)
    assert len({pos[i][1] for i in path}) == len(path) and {pos[i][0] for i in path} == {0.0}


def test_structural_and_negated_steps_do_not_order_levels() -> None:
    pos = layered_layout([1, 1], [(0, 1, False)], sizes=[BOX] * 2)
    assert pos[0][1] == pos[1][1]  # one tier: a non-causal link orders nothing
    with pytest.raises(ValueError, match="sizes"):
        layered_layout([0, 1], [], sizes=[BOX])


def test_every_category_has_its_own_glyph() -> None:
    assert set(CATEGORY_STYLE) == set(CATEGORIES)
    looks = {(g.shape, g.fill, g.border, g.dashed) for g in CATEGORY_STYLE.values()}
    assert len(looks) == len(CATEGORIES)
    assert len({g.fill for g in CATEGORY_STYLE.values()}) == len(CATEGORIES)  # colour alone tells them apart
    assert len({g.shape for g in CATEGORY_STYLE.values()}) >= 10


def test_page_data_follows_the_answer(bundled: KnowledgeGraph) -> None:
    page = kg.viz.render_html(bundled, highlight=PAIR, context=WOMEN)
    nodes, _, _ = page_data(page)
    config = _config(page)
    answer = bundled.causal_paths(*PAIR, context=WOMEN)
    assert [p["text"] for p in config["paths"]] == [p.compact() for p in answer]  # the engine's order, all
    assert config["paths"][0]["text"] == CHAIN and config["paths"][0]["mechanism"] is True
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
    chain = [at[c] for c in answer[0].nodes]
    assert all(a[1] < b[1] for a, b in pairwise(chain)) and {x for x, _ in chain} == {0.0}


def test_contexts_are_labels_in_groups(bundled: KnowledgeGraph) -> None:
    groups = {g["key"]: g for g in _config(kg.viz.render_html(bundled))["contextGroups"]}
    assert {"general", "population", "sex", "species", "tissue", "regimen"} <= set(groups)
    for group in groups.values():
        for item in group["items"]:
            assert not CURIE_TEXT.search(item["text"]), item
    assert {i["text"] for i in groups["species"]["items"]} == {"human", "mouse"}
    used = {st.context["population"] for st in bundled.statements.values() if "population" in st.context}
    assert [i["text"] for i in groups["population"]["items"]] == sorted(
        (bundled.populations[p].label for p in used), key=str.casefold
    )


def test_details_data_has_no_repeats(bundled: KnowledgeGraph) -> None:
    _, edges, _ = page_data(kg.viz.render_html(bundled))
    for e in edges:
        pairs = [(ev["source"], ev["text"]) for ev in e["evidence"]]
        assert len(pairs) == len(set(pairs)) and len(e["sources"]) == len(set(e["sources"])), e["id"]
        assert e["context"] and not CURIE_TEXT.search(e["context"]), e["id"]


def _config(page: str) -> dict[str, Any]:
    import json

    found = re.search(r'<script type="application/json" id="hkg-config">(.*?)</script>', page, re.DOTALL)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


# ---------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def full(browser: Any, bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    path = kg.viz.write_html(bundled, tmp_path_factory.mktemp("layered") / "full.html")
    opened = Opened(browser, path, viewport=SCREEN)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def answer(browser: Any, bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    path = kg.viz.write_html(bundled, tmp_path_factory.mktemp("layered") / "ai-bmd.html", highlight=PAIR, context=WOMEN)
    opened = Opened(browser, path, viewport=SCREEN)
    yield opened
    opened.close()


#: every node whose box shows on the canvas, as page rectangles, and the canvas and legend boxes
BOXES = """() => {
  const net = hkg.network, canvas = document.getElementById("mynetwork").getBoundingClientRect();
  const legend = document.getElementById("hkg-legend").getBoundingClientRect();
  const shown = [];
  hkg.nodes.getIds().forEach(id => {
    const b = net.getBoundingBox(id);
    const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
    const r = {left: canvas.left + a.x, top: canvas.top + a.y, right: canvas.left + z.x, bottom: canvas.top + z.y};
    const clip = {left: Math.max(r.left, canvas.left), top: Math.max(r.top, canvas.top),
                  right: Math.min(r.right, canvas.right), bottom: Math.min(r.bottom, canvas.bottom)};
    const whole = r.left >= canvas.left && r.right <= canvas.right && r.top >= canvas.top && r.bottom <= canvas.bottom;
    if (clip.left < clip.right && clip.top < clip.bottom) { shown.push({id: id, box: clip, whole: whole}); }
  });
  const rect = x => ({left: x.left, top: x.top, right: x.right, bottom: x.bottom});
  return {shown: shown, legend: rect(legend), canvas: rect(canvas)};
}"""
LABEL_PX = (
    "() => hkg.nodes.getIds().map(id => [id, hkg.network.body.nodes[id].options.font.size * hkg.network.getScale()])"
)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _legend_clear(opened: Opened) -> int:
    boxes = opened.eval(BOXES)
    assert boxes["legend"]["right"] > boxes["legend"]["left"]  # the legend is on the page
    hidden = [n["id"] for n in boxes["shown"] if _overlap(n["box"], boxes["legend"])]
    assert hidden == []
    assert not _overlap(boxes["legend"], boxes["canvas"])  # beside the graph, not over it
    return len(boxes["shown"])


def test_browser_full_view_is_legible_with_the_legend_aside(full: Opened, tmp_path: Path) -> None:
    assert full.eval("() => document.getElementById('hkg-legend').open") is False  # collapsed at load
    shown = _legend_clear(full)
    assert shown >= 20  # the default zoom shows a good part of the drawing
    assert min(px for _, px in full.eval(LABEL_PX)) >= 11.0
    full.shot(tmp_path, "layered-full-1280x720.png")
    full.page.click("#hkg-legend > summary")
    assert full.eval("() => document.getElementById('hkg-legend').open") is True
    _legend_clear(full)  # open, it still sits beside the graph
    assert full.eval("() => document.querySelectorAll('#hkg-legend [data-legend]').length") == len(
        {n["category"] for n in full.eval("() => hkg.nodes.get()")}
    )
    full.page.click("#hkg-legend > summary")
    full.clean()


def test_browser_glyphs_are_distinct_per_category(full: Opened) -> None:
    looks = full.eval(
        """() => hkg.nodes.get().map(n => { const o = hkg.network.body.nodes[n.id].options;
             return [n.category, o.shape, o.color.background, o.color.border,
                     JSON.stringify(o.shapeProperties.borderDashes)]; })"""
    )
    by_category: dict[str, set[tuple[str, ...]]] = {}
    for category, *look in looks:
        by_category.setdefault(category, set()).add(tuple(look))
    assert all(len(v) == 1 for v in by_category.values())  # one glyph per category
    glyphs = [next(iter(v)) for v in by_category.values()]
    assert len(set(glyphs)) == len(glyphs) == len(by_category) >= 14
    full.clean()


def test_browser_contexts_are_labels_in_groups(full: Opened, bundled: KnowledgeGraph) -> None:
    text = full.page.text_content("#hkg-contexts") or ""
    assert "mouse" in text and "human" in text and not CURIE_TEXT.search(text)
    groups = full.eval("() => [...document.querySelectorAll('#hkg-contexts details')].map(d => d.dataset.group)")
    assert {"population", "sex", "species", "tissue", "regimen"} <= set(groups)
    mouse = sum(1 for st in bundled.statements.values() if st.context.get("species") == "NCBITaxon:10090")
    before = full.eval("() => hkg.visibleCounts()")
    full.eval("() => { document.querySelector('details[data-group=\"species\"]').open = true; }")
    full.page.uncheck('input[data-context="species=NCBITaxon:10090"]')
    assert full.eval("() => hkg.visibleCounts()") == {"nodes": before["nodes"], "edges": before["edges"] - mouse}
    full.page.check('input[data-context="species=NCBITaxon:10090"]')
    assert full.eval("() => hkg.visibleCounts()") == before
    full.clean()


def test_browser_details_list_each_statement_once_with_its_context(full: Opened) -> None:
    assert full.eval("() => hkg.showNode('CHEBI:16469')") is True  # 17β-estradiol
    heads = full.eval("() => [...document.querySelectorAll('#hkg-panel .hkg-statement')].map(e => e.textContent)")
    contexts = full.eval("() => [...document.querySelectorAll('#hkg-panel .hkg-contexts-of button')].length")
    edges = full.eval("() => hkg.network.getConnectedEdges('CHEBI:16469').length")
    assert len(heads) == len(set(heads)) and contexts == edges > len(heads)  # grouped, each context listed
    # every statement's panel names each source once, unless the source gives several sentences
    repeats = full.eval(
        """() => hkg.edges.getIds().filter(id => {
             hkg.showEdge(id);
             const e = hkg.edges.get(id), links = [...document.querySelectorAll('#hkg-panel a, #hkg-panel dd span')];
             return e.sources.some(s => links.filter(a => a.textContent === s).length !==
                                        Math.max(1, e.evidence.filter(ev => ev.source === s).length));
           })"""
    )
    assert repeats == []
    full.clean()


def test_browser_mechanistic_chain_runs_down_at_load(answer: Opened, bundled: KnowledgeGraph, tmp_path: Path) -> None:
    chain = list(bundled.causal_paths(*PAIR, context=WOMEN)[0].nodes)
    pos = answer.eval("ids => { const p = hkg.network.getPositions(ids); return ids.map(id => p[id]); }", chain)
    assert all(a["y"] < b["y"] for a, b in pairwise(pos))  # one direction: down
    boxes = answer.eval(BOXES)
    assert set(chain) <= {n["id"] for n in boxes["shown"] if n["whole"]}  # the whole chain on screen at load
    assert not any(_overlap(n["box"], boxes["legend"]) for n in boxes["shown"])
    assert min(px for _, px in answer.eval(LABEL_PX)) >= 11.0
    widths = answer.eval("ids => ids.map(id => hkg.network.body.edges[id].options.width)", _edges(bundled, 0))
    others = answer.eval(
        "() => hkg.edges.get({filter: e => !e.highlighted}).map(e => hkg.network.body.edges[e.id].options.width)"
    )
    assert min(widths) > max(others)
    assert answer.page.text_content("#hkg-paths li:first-child button.hkg-current")
    answer.shot(tmp_path, "layered-anastrozole-bmd-1280x720.png")
    answer.clean()


def test_browser_every_path_of_the_answer_can_be_highlighted(answer: Opened, bundled: KnowledgeGraph) -> None:
    paths = bundled.causal_paths(*PAIR, context=WOMEN)
    buttons = answer.eval("() => [...document.querySelectorAll('#hkg-paths button.hkg-path')].map(b => b.dataset.path)")
    assert buttons == [str(k) for k in range(len(paths))] + ["all"]
    widest = (
        "() => { const w = hkg.edges.getIds().map(id => [id, hkg.network.body.edges[id].options.width]);"
        " const top = Math.max(...w.map(x => x[1])); return w.filter(x => x[1] === top).map(x => x[0]).sort(); }"
    )
    for k, path in enumerate(paths):
        answer.page.click(f'#hkg-paths button[data-path="{k}"]')
        assert answer.eval(widest) == sorted({st.id for st in path.statements}), k
        assert answer.page.text_content("#hkg-panel-title") == f"Path {k + 1} of {len(paths)}"
        shown = {n["id"] for n in answer.eval(BOXES)["shown"]}
        assert set(path.nodes) <= shown, k  # the view moves to the chosen path
    answer.page.click('#hkg-paths button[data-path="all"]')
    assert answer.eval(widest) == sorted({st.id for p in paths for st in p.statements})
    answer.page.click('#hkg-paths button[data-path="0"]')
    answer.clean()


def _edges(g: KnowledgeGraph, k: int) -> list[str]:
    return [st.id for st in g.causal_paths(*PAIR, context=WOMEN)[k].statements]
