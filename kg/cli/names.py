"""The ``hormone-kg`` commands that find names: search, show and contexts.

``search`` finds entities and the populations and regimens a context may name (``search women``);
``show`` prints an entity card; ``contexts`` lists every population and regimen, with its names and what
it means, and the qualifiers a context may set. Each prints tables, one JSON document (``--json``) or
tab-separated values (``--tsv``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kg.cli.app import common_options, current_state, tsv_option
from kg.cli.render import (
    SIGN_STYLE,
    Citations,
    context_json,
    entity_json,
    entity_name,
    finding_json,
    finding_text,
    heading,
    statement_json,
    tsv,
)

if TYPE_CHECKING:
    from rich.table import Table

    from kg.cli.app import State
    from kg.context import ContextEntry
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = ["COMMANDS", "QUALIFIER_HELP", "contexts", "search", "show"]

#: What each open context qualifier takes (the closed ones list their values).
QUALIFIER_HELP = {
    "population": "a population: label, synonym or pop: CURIE (listed above)",
    "tissue": "an anatomy or cell entity: a name (tissue=bone) or a UBERON/CL CURIE",
    "condition": "a disease or phenotype: a name or a MONDO/HP CURIE",
    "therapy": "a background therapy: a name (therapy=testosterone) or a CHEBI CURIE",
    "regimen": "a regimen: regimen: CURIE (listed above)",
    "species": "human, mouse, rat or an NCBITaxon CURIE",
}
_CONTEXT_COLUMNS = ("kind", "id", "label", "synonyms", "qualifiers", "broader")


# ---------------------------------------------------------------------------------------------- search
@click.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many.")
@tsv_option
@common_options
def search(text: str, limit: int) -> None:
    """Find entities, populations and regimens whose names match TEXT, best first."""
    from kg.context import list_contexts

    state = current_state()
    output = state.table_format()
    g = state.graph()
    hits = g.search(text, limit=limit)
    found = list_contexts(g, text)[:limit]
    if output == "json":
        state.emit_json(
            {"query": text, "results": [entity_json(e) for e in hits], "contexts": [context_json(c) for c in found]}
        )
        return
    entities = [[e.id, e.label, e.category, e.names()[1:]] for e in hits]
    contexts = [[c.id, c.label, c.kind.capitalize(), c.synonyms] for c in found]
    wanted = text.strip().casefold()
    exact = any(wanted in (n.casefold() for n in e.names()) for e in hits)
    named = any(wanted in (n.casefold() for n in c.names()) for c in found)
    # an exact name comes first: "women" is the population before "infertility in women"
    rows = [*contexts, *entities] if named and not exact else [*entities, *contexts]
    if output == "tsv":
        click.echo(tsv(["id", "label", "category", "also_known_as"], rows), nl=False)
        return
    _print_search(state, text, rows, bool(found))


def _print_search(state: State, text: str, rows: list[list[Any]], contexts_found: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    if not rows:
        state.out.print(Text(f"No entity matches {text!r}, nor any population or regimen."), soft_wrap=True)
        return
    table = Table("id", "label", "category", "also known as")
    for curie, label, category, names in rows:
        table.add_row(Text(curie), Text(label, style="bold"), Text(category), Text(", ".join(names)))
    state.out.print(table)
    if contexts_found:
        state.note("Populations and regimens are contexts: give one as --context (hormone-kg contexts lists all).")


# ---------------------------------------------------------------------------------------------- show
@click.command()
@click.argument("entity")
@tsv_option
@common_options
def show(entity: str) -> None:
    """Show an entity card: names, cross-references and the signed statements in and out."""
    state = current_state()
    output = state.table_format()
    g = state.graph()
    e = g.resolve(entity)
    outgoing = [st for st in g.statements.values() if st.subject == e.id]
    incoming = [st for st in g.statements.values() if st.object == e.id]
    findings = [f for f in g.findings.values() if e.id in (f.intervention, f.measure, f.site)]
    if output == "json":
        state.emit_json(
            {
                "entity": entity_json(e),
                "out": [statement_json(st) for st in outgoing],
                "in": [statement_json(st) for st in incoming],
                "findings": [finding_json(f) for f in findings],
            }
        )
        return
    if output == "tsv":
        rows = [_statement_row(g, "out", st) for st in outgoing] + [_statement_row(g, "in", st) for st in incoming]
        header = ["direction", "id", "sign", "subject", "subject_label", "predicate", "object", "object_label"]
        click.echo(tsv([*header, "negated", "magnitude", "context", "sources"], rows), nl=False)
        return
    state.out.print(_card(g, e.id))
    cites = Citations(g)
    for title, statements, other in (("Out", outgoing, "object"), ("In", incoming, "subject")):
        if statements:
            state.out.print(_statements_table(g, title, statements, other, cites))
    if findings:
        from rich.text import Text

        state.out.print(heading(f"Findings ({len(findings)})"))
        for f in findings:
            line = f"  - {g.label(f.intervention)} on {finding_text(g, f)}"
            state.out.print(Text(f"{line} {cites.refs(f.sources)}"), soft_wrap=True)
    cites.print(state.out)


def _statement_row(g: KnowledgeGraph, direction: str, st: Statement) -> list[Any]:
    """One ``show --tsv`` row: a statement out of or into the entity, with CURIEs and labels."""
    context = ", ".join(f"{k}={v}" for k, v in st.context.items())
    return [
        direction,
        st.curie,
        st.sign,
        st.subject,
        g.label(st.subject),
        st.predicate,
        st.object,
        g.label(st.object),
        st.negated,
        st.magnitude,
        context,
        st.sources,
    ]


def _card(g: KnowledgeGraph, curie: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    e = g.entities[curie]
    card = Table.grid(padding=(0, 2))
    card.add_column(style="bold")
    card.add_column()
    rows = [
        ("id", e.id),
        ("label", e.label),
        ("category", e.category),
        ("synonyms", ", ".join(e.synonyms)),
        ("abbreviations", ", ".join(e.abbreviations)),
        ("xrefs", ", ".join(e.xrefs)),
        ("broader", ", ".join(entity_name(g, b) for b in e.broader)),
        ("description", e.description or ""),
        ("comment", e.comment or ""),
    ]
    for key, value in rows:
        if value:
            card.add_row(Text(key), Text(value))
    return card


def _statements_table(
    g: KnowledgeGraph, title: str, statements: list[Statement], other: str, cites: Citations
) -> Table:
    from rich.table import Table
    from rich.text import Text

    from kg.questions.results import sign_symbol

    table = Table(
        "", other, "predicate", "context", "sources", title=Text(f"Statements {title.lower()} ({len(statements)})")
    )
    for st in statements:
        sign = Text(sign_symbol(st.sign) if not st.negated else "✗", style=SIGN_STYLE.get(st.sign, "dim"))
        predicate = ("NOT " if st.negated else "") + g.rdf_label(st.predicate)
        if st.magnitude:
            predicate += f" ({st.magnitude})"
        context = ", ".join(f"{k}={g.label(v)}" for k, v in st.context.items())
        table.add_row(
            sign,
            Text(g.label(getattr(st, other))),
            Text(predicate),
            Text(context or "any", style="" if context else "dim"),
            Text(cites.refs(st.sources)),
        )
    return table


# ---------------------------------------------------------------------------------------------- contexts
@click.command()
@click.argument("text", required=False)
@tsv_option
@common_options
def contexts(text: str | None) -> None:
    """List the populations and regimens a --context may name (with TEXT: those whose names match it).

    Each population is listed with its label, synonyms (any of them may be given), qualifiers and broader
    population; then the qualifiers a context may set instead (--context "sex=female,tissue=bone").
    """
    from kg.context import list_contexts

    state = current_state()
    output = state.table_format()
    g = state.graph()
    found = list_contexts(g, text)
    if output == "json":
        state.emit_json({"query": text, "contexts": [context_json(c) for c in found], "qualifiers": _qualifiers()})
    elif output == "tsv":
        click.echo(tsv(_CONTEXT_COLUMNS, [_context_row(g, c) for c in found]), nl=False)
    else:
        _print_contexts(state, g, text, found)


def _qualifiers() -> dict[str, dict[str, Any]]:
    """Each context qualifier: its allowed values (``None`` when open) and what it takes."""
    from kg.model import CONTEXT_KEYS

    out: dict[str, dict[str, Any]] = {}
    for key, allowed in CONTEXT_KEYS.items():
        values = sorted(allowed) if allowed is not None else None
        out[key] = {"values": values, "help": QUALIFIER_HELP.get(key) or "one of " + ", ".join(values or [])}
    return out


def _context_row(g: KnowledgeGraph, c: ContextEntry) -> list[Any]:
    return [c.kind, c.id, c.label, c.synonyms, c.describe(), [g.label(b) for b in c.broader]]


def _print_contexts(state: State, g: KnowledgeGraph, text: str | None, found: list[ContextEntry]) -> None:
    from rich.table import Table
    from rich.text import Text

    from kg.context import lineage

    if text and not found:
        state.out.print(Text(f"No population or regimen matches {text!r} (hormone-kg contexts lists all)."))
        return
    by_id = {c.id: c for c in found}
    for kind, title in (("population", "Populations"), ("regimen", "Regimens")):
        entries = [c for c in found if c.kind == kind]
        if not entries:
            continue
        last = "broader" if kind == "population" else "note"
        table = Table("id", "label", "also known as", "means", last, title=Text(f"{title} ({len(entries)})"))
        for c in entries:
            indent = "" if text else "  " * (len(lineage(c, by_id)) - 1)  # the full list is a tree
            extra = ", ".join(g.label(b) for b in c.broader) if kind == "population" else c.note or ""
            label = Text(indent + c.label, style="bold")
            table.add_row(Text(c.id), label, Text(", ".join(c.synonyms)), Text(c.describe()), Text(extra))
        state.out.print(table)
    if text:
        return
    table = Table("qualifier", "takes", title=Text("Qualifiers (--context KEY=VALUE,KEY=VALUE)"))
    for key, info in _qualifiers().items():
        table.add_row(Text(key, style="bold"), Text(info["help"]))
    state.out.print(table)


#: The commands of this module, in the order they are registered on the group.
COMMANDS: tuple[click.Command, ...] = (search, show, contexts)
