"""How ``hormone-kg`` shows results: JSON shapes of entities, statements, paths, findings and effects, and rich text.

The JSON shapes are the stable documents of ``--json`` (described in ``docs/cli.md``), and :func:`tsv`
writes the rows of ``--tsv``. The text helpers build :class:`rich.text.Text` from graph labels, which are
never read as markup; sources are numbered in order of first use by :class:`Citations` and listed under
the output.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from kg.cli.app import State
    from kg.context import ContextEntry
    from kg.graph import KnowledgeGraph
    from kg.model import Entity, Finding, Statement
    from kg.questions.results import CausalPath, Effect

__all__ = [
    "DIRECTION_STYLE",
    "SIGN_STYLE",
    "Citations",
    "clean",
    "compact",
    "context_json",
    "effect_json",
    "entity_json",
    "entity_name",
    "finding_json",
    "finding_text",
    "heading",
    "path_json",
    "print_legend",
    "print_path",
    "reach_json",
    "reach_table",
    "reach_tsv",
    "statement_json",
    "tsv",
    "tsv_cell",
]

#: The colour of a sign (+1 green, -1 red) and of a direction (increase, decrease, mixed).
SIGN_STYLE = {1: "green", -1: "red"}
DIRECTION_STYLE = {"increase": "green", "decrease": "red", "mixed": "yellow"}


# ---------------------------------------------------------------------------------------------- JSON shapes
def entity_json(e: Entity) -> dict[str, Any]:
    """The JSON shape of an entity."""
    return {
        "id": e.id,
        "label": e.label,
        "category": e.category,
        "synonyms": list(e.synonyms),
        "abbreviations": list(e.abbreviations),
        "xrefs": list(e.xrefs),
        "broader": list(e.broader),
        "description": e.description,
        "comment": e.comment,
    }


def statement_json(st: Statement) -> dict[str, Any]:
    """The JSON shape of a signed statement, with its evidence."""
    return {
        "id": st.curie,
        "subject": st.subject,
        "predicate": st.predicate,
        "object": st.object,
        "sign": st.sign,
        "context": dict(st.context),
        "magnitude": st.magnitude,
        "negated": st.negated,
        "sources": list(st.sources),
        "evidence": [{"source": ev.source, "text": ev.text} for ev in st.evidence],
    }


def path_json(p: CausalPath) -> dict[str, Any]:
    """The JSON shape of a causal path, with its statements."""
    return {
        "nodes": list(p.nodes),
        "labels": list(p.labels()),
        "sign": p.sign,
        "length": p.length,
        "compact": p.compact(),
        "statements": [statement_json(st) for st in p.statements],
    }


def finding_json(f: Finding) -> dict[str, Any]:
    """The JSON shape of a clinical finding, with its evidence."""
    return {
        "id": f.curie,
        "intervention": f.intervention,
        "comparator": f.comparator,
        "population": f.population,
        "regimen": f.regimen,
        "duration": f.duration,
        "measure": f.measure,
        "site": f.site,
        "kind": f.kind,
        "phase": f.phase,
        "direction": f.direction,
        "value": f.value,
        "unit": f.unit,
        "statistic": f.statistic,
        "p_value": f.p_value,
        "ci": f.ci,
        "n": f.n,
        "magnitude": f.magnitude,
        "sources": list(f.sources),
        "evidence": [{"source": ev.source, "text": ev.text} for ev in f.evidence],
    }


def context_json(c: ContextEntry) -> dict[str, Any]:
    """The JSON shape of a population or regimen a context may name."""
    return {
        "kind": c.kind,
        "id": c.id,
        "label": c.label,
        "synonyms": list(c.synonyms),
        "qualifiers": dict(c.qualifiers),
        "labels": dict(c.labels),
        "broader": list(c.broader),
        "note": c.note,
    }


def effect_json(e: Effect, context: str | None) -> dict[str, Any]:
    """The JSON shape of an effect: direction, its paths and findings."""
    return {
        "src": e.source,
        "dst": e.target,
        "context": context,
        "direction": e.direction,
        "predicted": e.predicted,
        "observed": e.observed,
        "reported": e.reported,
        "magnitude": e.magnitude,
        "truncated": e.truncated,
        "paths": [path_json(p) for p in e.paths],
        "findings": [finding_json(f) for f in e.findings],
        "subgroups": [
            {
                "who": s.who,
                "context": dict(s.context),
                "direction": s.direction,
                "predicted": s.predicted,
                "observed": s.observed,
                "magnitude": s.magnitude,
                "paths": [path_json(p) for p in s.paths],
                "findings": [finding_json(f) for f in s.findings],
            }
            for s in e.subgroups
        ],
    }


# ---------------------------------------------------------------------------------------------- human output
class Citations:
    """Numbers sources in order of first use and prints them as a numbered list under the output."""

    def __init__(self, g: KnowledgeGraph) -> None:
        self.g = g
        self.numbers: dict[str, int] = {}

    def refs(self, sources: Iterable[str]) -> str:
        """``[1, 3]`` for these sources, numbering new ones."""
        nums = [self.numbers.setdefault(s, len(self.numbers) + 1) for s in dict.fromkeys(sources)]
        return "[" + ", ".join(str(n) for n in nums) + "]" if nums else ""

    def print(self, console: Console) -> None:
        """Print the numbered list (nothing when no source was cited)."""
        from rich.text import Text

        from kg.questions.results import cite

        if not self.numbers:
            return
        console.print(Text("Sources", style="bold"))
        for source, n in self.numbers.items():
            console.print(Text(f"  [{n}] {cite(self.g, source)}"), soft_wrap=True)


def _arrow(sign: int) -> Text:
    from rich.text import Text

    from kg.questions.results import sign_symbol

    return Text(sign_symbol(sign), style=SIGN_STYLE.get(sign, "dim"))


def compact(p: CausalPath) -> Text:
    """``anastrozole ⊣ aromatase → …`` with coloured arrows; labels are plain text, never markup."""
    from rich.text import Text

    labels = p.labels()
    line = Text(labels[0])
    for st, label in zip(p.statements, labels[1:], strict=True):
        line.append(" ")
        line.append_text(_arrow(st.sign))
        line.append(" ")
        line.append(label)
    return line


def _statement_text(g: KnowledgeGraph, st: Statement) -> str:
    context = ", ".join(f"{k}={g.label(v)}" for k, v in st.context.items())
    magnitude = f" ({st.magnitude})" if st.magnitude else ""
    where = f" [in {context}]" if context else ""
    negated = "NOT " if st.negated else ""
    return f"{negated}{g.label(st.subject)} {g.rdf_label(st.predicate)} {g.label(st.object)}{magnitude}{where}"


def print_path(state: State, g: KnowledgeGraph, n: int, p: CausalPath, cites: Citations) -> None:
    """Print path ``n``: the compact line with its net sign, then each step with its citations."""
    from rich.text import Text

    from kg.questions.results import sign_word

    head = Text(f"{n:>2}. ")
    head.append_text(compact(p))
    head.append(f"  (net {sign_word(p.sign)})", style=SIGN_STYLE.get(p.sign, ""))
    state.out.print(head, soft_wrap=True)
    support = p.support or tuple((st,) for st in p.statements)
    for st, alternatives in zip(p.statements, support, strict=True):
        refs = cites.refs(src for alt in alternatives for src in alt.sources)
        more = f" (+{len(alternatives) - 1} supporting)" if len(alternatives) > 1 else ""
        state.out.print(Text(f"      {_statement_text(g, st)} {refs}{more}", style="dim"), soft_wrap=True)


def finding_text(g: KnowledgeGraph, f: Finding) -> str:
    """``spine BMD at the lumbar spine: -6.08 % at 5 years (median change from baseline), a decrease — whom``."""
    kind = " (the article's qualitative claim)" if f.kind == "reported" else ""
    who = "; ".join(g.label(x) for x in (f.population, f.regimen) if x)
    return f"{f.measured(g.label)}: {f.result(g.label)}{kind}" + (f" — {who}" if who else "")


def print_legend(console: Console, g: KnowledgeGraph, paths: Iterable[CausalPath]) -> None:
    """Print the legend of the symbols and terms the printed ``paths`` use (:func:`kg.questions.quotes.legend`)."""
    from rich.text import Text

    from kg.questions.quotes import cite, legend

    steps = [st for p in paths for step in (p.support or tuple((s,) for s in p.statements)) for st in step]
    used = [f"net {p.compact()}" for p in paths]
    used += [_statement_text(g, st) + " " + " ".join(cite(g, s) for s in st.sources) for st in steps]
    lines = legend("\n".join(used)).splitlines()
    console.print(Text(lines[0], style="bold"))
    for line in lines[1:]:
        console.print(Text(line), soft_wrap=True)


def heading(text: str) -> Text:
    """A bold heading."""
    from rich.text import Text

    return Text(text, style="bold")


def entity_name(g: KnowledgeGraph, curie: str) -> str:
    """``label (CURIE)``."""
    return f"{g.label(curie)} ({curie})"


# ---------------------------------------------------------------------------------------------- reach and tables
def _nearest(effects: Mapping[str, Effect], limit: int | None) -> Iterator[tuple[str, Effect]]:
    """The first ``limit`` (entity, effect) pairs: a reach is ordered nearest first, and made as it is read."""
    return islice(effects.items(), limit)


def reach_table(g: KnowledgeGraph, effects: Mapping[str, Effect], direction_title: str, limit: int | None) -> Table:
    """The table of a reach (downstream or upstream): entity, category, direction and shortest path."""
    from rich.table import Table
    from rich.text import Text

    table = Table("entity", "category", direction_title, "shortest path")
    for curie, e in _nearest(effects, limit):
        style = DIRECTION_STYLE.get(e.predicted, "")
        entity = g.entities.get(curie)
        name = Text(g.label(curie), style="bold")
        name.append(f"\n{curie}", style="dim")
        table.add_row(
            name,
            Text(entity.category if entity else ""),
            Text(e.predicted, style=style),
            compact(e.paths[0]) if e.paths else Text(""),
        )
    return table


def reach_tsv(g: KnowledgeGraph, effects: Mapping[str, Effect], limit: int | None) -> str:
    """The ``--tsv`` of a reach: id, label, category, direction and the shortest path of the nearest ``limit``."""
    rows = []
    for curie, e in _nearest(effects, limit):
        entity = g.entities.get(curie)
        shortest = e.paths[0].compact() if e.paths else ""
        rows.append([curie, g.label(curie), entity.category if entity else "", e.predicted, shortest])
    return tsv(["id", "label", "category", "direction", "shortest_path"], rows)


def reach_json(g: KnowledgeGraph, effects: Mapping[str, Effect], limit: int | None) -> list[dict[str, Any]]:
    """The JSON shape of a reach: the nearest ``limit`` entities with their direction and paths."""
    out = []
    for curie, e in _nearest(effects, limit):
        entity = g.entities.get(curie)
        out.append(
            {
                "id": curie,
                "label": g.label(curie),
                "category": entity.category if entity else None,
                "predicted": e.predicted,
                "paths": [path_json(p) for p in e.paths],
            }
        )
    return out


def clean(value: Any) -> Any:
    """Turn a table cell into plain JSON-able Python (NaN -> None, numpy scalars -> Python, tuples -> lists)."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, list | tuple | dict | str):
        value = item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


# ---------------------------------------------------------------------------------------------- --tsv
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(value: Any) -> str:
    r"""One ``--tsv`` field: ``None`` is empty, a list is joined by ``; ``; tab, newline, CR and backslash are escaped.

    >>> tsv_cell("a\tb"), tsv_cell(None), tsv_cell(["x", 2])
    ('a\\tb', '', 'x; 2')
    """
    value = clean(value)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(tsv_cell(v) for v in value)
    return str(value).translate(_TSV_ESCAPES)


def tsv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    r"""Tab-separated values: the header line, then one line per row (each line ends with a newline).

    >>> tsv(["id", "label"], [["CHEBI:2704", "anastrozole"]])
    'id\tlabel\nCHEBI:2704\tanastrozole\n'
    """
    lines = ["\t".join(header), *("\t".join(tsv_cell(v) for v in row) for row in rows)]
    return "".join(f"{line}\n" for line in lines)
