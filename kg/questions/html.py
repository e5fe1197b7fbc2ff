"""HTML for notebooks: the pieces the results' ``_repr_html_`` are made of (:mod:`kg.questions.results`).

Every text that comes from data (labels, quotes, notes) goes through :func:`esc`, so a label that is markup
shows as text. The results know their graph; this module only formats what :class:`Names` says things are
called, so it needs nothing from the results (whose shapes it reads through :class:`PathView`).

>>> table(["entity", "direction"], [["<b>x</b>", "decrease"]])
'<table><tr><th>entity</th><th>direction</th></tr><tr><td>&lt;b&gt;x&lt;/b&gt;</td><td>decrease</td></tr></table>'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kg.context import SPECIES
from kg.model import Evidence, Finding, Statement, source_weight

__all__ = [
    "STYLE",
    "Names",
    "PathView",
    "bounded",
    "context_text",
    "counts_table",
    "details",
    "effect_html",
    "esc",
    "findings_table",
    "path_html",
    "paths_list",
    "quotes_html",
    "reach_html",
    "subgroup_html",
    "table",
]

#: The style of the outer element of every result's HTML.
STYLE = "font-family:sans-serif;line-height:1.4"


@dataclass(frozen=True)
class Names:
    """What things are called: entity labels, predicate labels, citations, sign symbols and words.

    A result with a graph passes the graph's (``g.label``, ``g.rdf_label``, ``cite``); without one, CURIEs
    and slugs as they are. ``symbol`` and ``word`` are :func:`kg.questions.results.sign_symbol` and ``sign_word``.
    """

    label: Callable[[str], str]
    predicate: Callable[[str], str]
    cite: Callable[[str], str]
    symbol: Callable[[int], str]
    word: Callable[[int], str]
    #: a step's supporting statements -> the quote lines shown under it (:func:`kg.questions.quotes.step_quotes`:
    #: whom each is about, for the question's people); None: every sentence, labelled (:func:`quotes_html`)
    quotes: Callable[[Sequence[Statement]], list[str]] | None = None


class PathView(Protocol):
    """What :func:`path_html` reads of a path (a :class:`kg.questions.results.CausalPath`)."""

    @property
    def nodes(self) -> tuple[str, ...]: ...  # noqa: D102
    @property
    def statements(self) -> tuple[Statement, ...]: ...  # noqa: D102
    @property
    def support(self) -> tuple[tuple[Statement, ...], ...]: ...  # noqa: D102
    @property
    def sign(self) -> int: ...  # noqa: D102
    @property
    def animal(self) -> tuple[str, ...]: ...  # noqa: D102
    def compact(self) -> str: ...  # noqa: D102


def esc(text: object) -> str:
    """``text`` as HTML text (markup escaped, quotes too).

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def table(header: Sequence[str], rows: Iterable[Sequence[object]], *, raw: frozenset[int] = frozenset()) -> str:
    """A table of escaped cells (the columns in ``raw`` are HTML made here, and are not escaped again)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if i in raw else esc(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def details(summary: str, body: str, *, open_: bool = False) -> str:
    """A collapsible section: ``summary`` and ``body`` are HTML already."""
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>{body}</details>"


def bounded(items: Sequence[str], total: int, what: str) -> str:
    """``items`` (HTML list items) in an ordered list, then "… and K more ``what``" when ``total`` is larger.

    >>> bounded(["<li>a</li>"], 3, "paths")
    '<ol><li>a</li></ol><p>… and 2 more paths</p>'
    """
    more = f"<p>… and {total - len(items)} more {esc(what)}</p>" if total > len(items) else ""
    return f"<ol>{''.join(items)}</ol>{more}"


def context_text(context: Mapping[str, str], label: Callable[[str], str]) -> str:
    """A statement's context as text: ``in population=postmenopausal women`` (empty: applies everywhere).

    >>> context_text({"species": "NCBITaxon:10090", "sex": "male"}, str)
    'in species=mouse, sex=male'
    """
    if not context:
        return ""
    return "in " + ", ".join(f"{k}={SPECIES.get(v) or label(v)}" for k, v in context.items())


def quotes_html(evidence: Sequence[Evidence], cite: Callable[[str], str]) -> str:
    """The evidence sentences, each labelled with its source: primary sources first, one quote per source.

    >>> quotes_html([Evidence("src:seed-article", "b"), Evidence("PMID:1", "a")], str)
    '<ul><li><i>PMID:1</i>: “a”</li><li><i>src:seed-article</i>: “b”</li></ul>'
    """
    first = {e.source: e for e in reversed(evidence)}  # one per source: its first sentence
    ordered = sorted(first.values(), key=lambda e: (-source_weight(e.source), evidence.index(e)))
    items = "".join(f"<li><i>{esc(cite(e.source))}</i>: \u201c{esc(e.text)}\u201d</li>" for e in ordered if e.text)
    return f"<ul>{items}</ul>" if items else ""


def _step_html(st: Statement, support: Sequence[Statement], names: Names) -> str:
    more = len(support) - 1
    label = names.label
    magnitude = f"; {esc(st.magnitude)}" if st.magnitude else ""
    where = context_text(st.context, label)
    context = f" <small>[{esc(where)}]</small>" if where else ""
    cites = "; ".join(names.cite(s) for s in st.sources)
    extra = f" (+{more} more supporting statement{'s' if more > 1 else ''})" if more else ""
    return (
        f"<li><b>{esc(label(st.subject))}</b> {esc(names.symbol(st.sign))} <b>{esc(label(st.object))}</b> "
        f"<small>({esc(names.predicate(st.predicate))}{magnitude})</small>{context} — {esc(cites)}{esc(extra)}"
        f"{_quotes(st, support, names)}</li>"
    )


def _quotes(st: Statement, support: Sequence[Statement], names: Names) -> str:
    if names.quotes is None:
        return quotes_html(st.evidence, names.cite)
    items = "".join(f"<li>{esc(line)}</li>" for line in names.quotes(support or (st,)))
    return f"<ul>{items}</ul>" if items else ""


def path_html(path: PathView, names: Names, *, open_: bool = False) -> str:
    """One path: its net sign and chain (``anastrozole ⊣ aromatase → …``), then each step with its sources.

    The steps are an ordered list whose items carry no number of their own (the list numbers them).
    """
    support = path.support or tuple((st,) for st in path.statements)
    steps = "".join(_step_html(st, alt, names) for st, alt in zip(path.statements, support, strict=True))
    animal = ", ".join(SPECIES.get(s, s) for s in path.animal)
    marked = f"; rests in part on animal evidence ({esc(animal)})" if animal else ""
    head = f"<b>net {esc(names.word(path.sign))}</b>: {esc(path.compact())}{marked}"
    return details(head, f"<ol>{steps}</ol>", open_=open_)


def findings_table(findings: Sequence[Finding], names: Names) -> str:
    """The findings, one row each: what was measured where, what was found, in whom, and the source.

    The first two are ``Finding.measured`` and ``Finding.result`` (a level or a change, against what, when,
    n) with the graph's labels.
    """
    label = names.label
    rows = [
        (
            f.measured(label),
            f.result(label) + ("" if f.kind == "measured" else f" [{f.kind}]"),
            label(f.population) if f.population else "",
            "; ".join(names.cite(s) for s in f.sources),
        )
        for f in findings
    ]
    return table(["measured", "result", "population", "source"], rows)


def counts_table(what: str, counts: Mapping[str, int]) -> str:
    """A two-column table of counts (``what``, count), largest first, then by name.

    >>> counts_table("category", {"Drug": 2, "Enzyme": 5})
    '<table><tr><th>category</th><th>count</th></tr><tr><td>Enzyme</td><td>5</td></tr><tr><td>Drug</td><td>2</td></tr></table>'
    """
    rows: list[tuple[str, int]] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return table([what, "count"], rows)


def paths_list(paths: Sequence[PathView], names: Names, what: str = "paths", *, limit: int) -> str:
    """The first ``limit`` paths, each collapsible, then how many more."""
    return bounded([f"<li>{path_html(p, names)}</li>" for p in paths[:limit]], len(paths), what)


def subgroup_html(
    who: str, direction: str, detail: str, paths: Sequence[PathView], findings: Sequence[Finding], names: Names, *,
    limit: int,
) -> str:  # fmt: skip
    """A subgroup: whom it is about, its direction (``detail``: how it was reached), its paths and findings."""
    head = f"<p><b>{esc(who)}</b>: <b>{esc(direction)}</b> {esc(detail)}</p>"
    shown = paths_list(paths, names, limit=limit) if paths else ""
    return head + shown + (findings_table(findings, names) if findings else "")


def effect_html(
    headline: str,
    basis: str,
    paths: Sequence[PathView],
    apart: Sequence[tuple[str, Sequence[PathView]]],
    findings: Sequence[Finding],
    magnitude: str | None,
    subgroups: Sequence[str],
    names: Names,
    *,
    limit: int,
) -> str:
    """An effect: headline and basis, its paths, the paths set ``apart`` (title, paths), findings, subgroups.

    ``subgroups`` are HTML already (:func:`subgroup_html`).
    """
    parts = [f"<p><b>{esc(headline)}</b><br>{esc(basis)}</p>"]
    if paths:
        parts.append(f"<p><b>Paths</b> ({len(paths)})</p>" + paths_list(paths, names, limit=limit))
    for title, extra in apart:
        if extra:
            body = "<ol>" + "".join(f"<li>{path_html(p, names)}</li>" for p in extra) + "</ol>"
            parts.append(details(esc(f"{title} ({len(extra)})"), body))
    size = f", magnitude {magnitude}" if magnitude else ""
    found = findings_table(findings, names) if findings else "<p>No finding in this context.</p>"
    parts.append(f"<p><b>Findings</b> ({len(findings)}{esc(size)})</p>{found}")
    if subgroups:
        parts.append("<p><b>Subgroups</b> (narrower people than the question's: never its answer)</p>")
        parts += subgroups
    return f"<div style='{STYLE}'>{''.join(parts)}</div>"


def reach_html(rows: Sequence[tuple[str, str, str, int]], total: int, note: str) -> str:
    """A reach: one row per entity shown (label, direction, best path, paths), then how many more.

    ``note`` (text) follows the count: what the directions mean, whether the search stopped early.

    >>> reach_html([("bone resorption", "increase", "net decrease: a ⊣ b", 2)], 67, "").count("<tr>")
    2
    """
    more = f"<p>… and {total - len(rows)} more</p>" if total > len(rows) else ""
    head = f"<b>{total} entities</b>, nearest first{esc(note)}"
    return f"<div style='{STYLE}'>{head}{table(['entity', 'direction', 'best path', 'paths'], rows)}{more}</div>"
