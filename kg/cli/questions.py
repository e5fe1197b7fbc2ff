"""The ``hormone-kg`` commands that ask the graph questions.

They are paths, effect, explain, downstream, upstream, compare and loops (search, show and contexts are
in :mod:`kg.cli.names`). Each command parses its arguments, calls the :class:`~kg.graph.KnowledgeGraph` API
and prints either rich text (see :mod:`kg.cli.render`), with ``--json`` one JSON document, or with ``--tsv``
(the commands that print a table) tab-separated values. A context's tissue, condition or therapy may be
named (``--context tissue=bone``): :func:`~kg.cli.app.graph_context` resolves it in the loaded graph.
"""

from __future__ import annotations

import click

from kg.cli.app import (
    common_options,
    context_label,
    context_option,
    current_state,
    endpoint_options,
    graph_context,
    max_length_option,
    parse_context,
    parse_sign,
    reach_limit_option,
    tsv_option,
)
from kg.cli.render import (
    DIRECTION_STYLE,
    Citations,
    clean,
    compact,
    effect_json,
    finding_json,
    finding_text,
    heading,
    path_json,
    print_legend,
    print_path,
    reach_json,
    reach_table,
    reach_tsv,
    tsv,
)
from kg.limits import LIMIT, LOOP_LENGTH

#: The columns of ``effect --tsv`` (one row: the summary, with the numbers of paths and findings).
EFFECT_COLUMNS = (
    "src",
    "dst",
    "context",
    "direction",
    "predicted",
    "observed",
    "reported",
    "magnitude",
    "truncated",
    "paths",
    "findings",
)
#: The columns of ``compare --tsv`` (the keys of its JSON rows; lists are joined by "; ").
COMPARE_COLUMNS = (
    "context",
    "direction",
    "predicted",
    "observed",
    "reported",
    "magnitude",
    "paths",
    "findings",
    "sources",
)

__all__ = [
    "COMMANDS",
    "COMPARE_COLUMNS",
    "EFFECT_COLUMNS",
    "compare",
    "downstream",
    "effect",
    "explain",
    "findings",
    "loops",
    "paths",
    "upstream",
]


# ---------------------------------------------------------------------------------------------- questions
@click.command()
@click.argument("src")
@click.argument("dst")
@max_length_option
@context_option
@click.option("--sign", "sign_text", metavar="+|-", help="Only paths with this net sign (+ increase, - decrease).")
@click.option("--limit", "-k", type=int, default=LIMIT, show_default=True, help="At most this many paths.")
@endpoint_options
@common_options
def paths(src: str, dst: str, max_length: int, context: str | None, sign_text: str | None, limit: int) -> None:
    """List the signed causal paths from SRC to DST, shortest and best supported first, with citations."""
    from rich.text import Text

    state = current_state()
    sign = parse_sign(sign_text)
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    source, target = g.resolve(src), g.resolve(dst)
    found = g.causal_paths(source.id, target.id, max_length=max_length, context=ctx, sign=sign, limit=limit)
    truncated = found.truncated
    label = context_label(g, ctx)
    if state.json:
        state.emit_json(
            {
                "src": source.id,
                "dst": target.id,
                "context": label,
                "truncated": truncated,
                "paths": [path_json(p) for p in found],
            }
        )
        return
    where = f" in {label}" if label else ""
    if not found:
        state.out.print(
            Text(f"No causal path from {source.label} to {target.label}{where} within {max_length} steps."),
            soft_wrap=True,
        )
        return
    state.out.print(
        heading(f"{len(found)} signed path(s) from {source.label} to {target.label}{where}"), soft_wrap=True
    )
    cites = Citations(g)
    for n, p in enumerate(found, start=1):
        print_path(state, g, n, p, cites)
    cites.print(state.out)
    print_legend(state.out, g, found)
    if truncated:
        state.note("The search stopped at its budget; more paths may exist (lower --max-length or raise --limit).")


@click.command()
@click.argument("src")
@click.argument("dst")
@context_option
@max_length_option
@click.option(
    "--show-paths", type=click.IntRange(min=0), default=3, show_default=True, help="Print this many paths of each sign."
)
@tsv_option
@endpoint_options
@common_options
def effect(src: str, dst: str, context: str | None, max_length: int, show_paths: int) -> None:
    """Give the net effect of raising SRC on DST: predicted from paths, observed from clinical findings."""
    from rich.table import Table
    from rich.text import Text

    from kg.questions.explain import paths_phrase

    state = current_state()
    output = state.table_format()
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    e = g.effect(src, dst, context=ctx, max_length=max_length)
    if output == "json":
        state.emit_json(effect_json(e, context_label(g, ctx)))
        return
    if output == "tsv":
        doc = effect_json(e, context_label(g, ctx))
        row = [*(doc[k] for k in EFFECT_COLUMNS[:-2]), len(e.paths), len(e.findings)]
        click.echo(tsv(EFFECT_COLUMNS, [row]), nl=False)
        return
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    style = DIRECTION_STYLE.get(e.direction, "")
    rows = [
        ("effect", Text(f"{g.label(e.source)} on {g.label(e.target)} ({e.context})")),
        ("direction", Text(e.direction, style=f"bold {style}".strip())),
        ("predicted", Text(f"{e.predicted} ({paths_phrase(e)})")),
        ("observed", Text(e.observed or "no measured findings")),
        ("reported", Text(e.reported or "—")),
        ("magnitude", Text(e.magnitude or "—")),
    ]
    for key, value in rows:
        summary.add_row(Text(key), value)
    state.out.print(summary)
    cites = Citations(g)
    shown = [*e.paths_with_sign(-1)[:show_paths], *e.paths_with_sign(1)[:show_paths]]
    if shown:
        state.out.print(heading("Strongest paths"))
        for n, p in enumerate(sorted(shown, key=e.paths.index), start=1):
            print_path(state, g, n, p, cites)
    if e.findings:
        state.out.print(heading("Clinical findings"))
        for f in e.findings:
            state.out.print(Text(f"  - {finding_text(g, f)} {cites.refs(f.sources)}"), soft_wrap=True)
    if e.subgroups:
        state.out.print(heading(f"In subgroups only (not the answer for {e.context} as a whole)"))
        for s in e.subgroups:
            state.out.print(Text(f"  in {s.who}: {s.direction} ({len(s.paths)} path(s), {len(s.findings)} finding(s))"))
            for f in s.findings:
                state.out.print(Text(f"    - {finding_text(g, f)} {cites.refs(f.sources)}"), soft_wrap=True)
    cites.print(state.out)
    if e.truncated:
        state.note("The path search stopped at its budget; more paths may exist.")


@click.command()
@click.argument("src")
@click.argument("dst")
@context_option
@endpoint_options
@common_options
def explain(src: str, dst: str, context: str | None) -> None:
    """Explain the mechanism from SRC to DST in prose, step by step, with citations and findings."""
    from rich.text import Text

    state = current_state()
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    source, target = g.resolve(src), g.resolve(dst)
    from kg.questions.explain import explain_effect

    e = g.effect(source.id, target.id, context=ctx)
    text = explain_effect(g, e, context=g.context(ctx))
    if state.json:
        state.emit_json(
            {
                "src": source.id,
                "dst": target.id,
                "context": context_label(g, ctx),
                "direction": e.direction,
                "text": text,
            }
        )
        return
    lines = text.splitlines()
    if lines:
        state.out.print(Text(lines[0], style="bold"), soft_wrap=True)
    for line in lines[1:]:
        state.out.print(Text(line), soft_wrap=True)


@click.command()
@click.argument("entity")
@click.option("--increase/--decrease", "increase", default=None, help="How ENTITY changes (one is required).")
@context_option
@max_length_option
@reach_limit_option
@tsv_option
@endpoint_options
@common_options
def downstream(entity: str, increase: bool | None, context: str | None, max_length: int, limit: int | None) -> None:
    """List what moves, and which way, when ENTITY is raised (--increase) or lowered (--decrease)."""
    from rich.text import Text

    if increase is None:
        raise click.UsageError("say how ENTITY changes: --increase or --decrease")
    state = current_state()
    output = state.table_format()
    change = "increase" if increase else "decrease"
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    e = g.resolve(entity)
    effects = g.downstream(e.id, change=change, context=ctx, max_length=max_length)
    truncated = effects.truncated
    if output == "tsv":
        click.echo(reach_tsv(g, effects, limit), nl=False)
        return
    if output == "json":
        state.emit_json(
            {
                "entity": e.id,
                "change": change,
                "context": context_label(g, ctx),
                "truncated": truncated,
                "count": len(effects),
                "effects": reach_json(g, effects, limit),
            }
        )
        return
    if not effects:
        state.out.print(Text(f"Nothing is downstream of {e.label} in this context."), soft_wrap=True)
        return
    state.out.print(heading(f"When {e.label} {'rises' if increase else 'falls'}: {len(effects)} entities move"))
    state.out.print(reach_table(g, effects, "moves", limit))
    if limit is not None and len(effects) > limit:
        state.note(f"Showing the nearest {limit} of {len(effects)}.")
    if truncated:
        state.note("The search stopped at its budget; more entities may be reached.")


@click.command()
@click.argument("entity")
@context_option
@max_length_option
@reach_limit_option
@tsv_option
@endpoint_options
@common_options
def upstream(entity: str, context: str | None, max_length: int, limit: int | None) -> None:
    """List everything with a causal path into ENTITY, and which way raising it moves ENTITY."""
    from rich.text import Text

    state = current_state()
    output = state.table_format()
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    e = g.resolve(entity)
    effects = g.upstream(e.id, context=ctx, max_length=max_length)
    truncated = effects.truncated
    if output == "tsv":
        click.echo(reach_tsv(g, effects, limit), nl=False)
        return
    if output == "json":
        state.emit_json(
            {
                "entity": e.id,
                "context": context_label(g, ctx),
                "truncated": truncated,
                "count": len(effects),
                "effects": reach_json(g, effects, limit),
            }
        )
        return
    if not effects:
        state.out.print(Text(f"Nothing is upstream of {e.label} in this context."), soft_wrap=True)
        return
    state.out.print(heading(f"{len(effects)} entities change {e.label} (direction when each is raised)"))
    state.out.print(reach_table(g, effects, f"{e.label} moves", limit))
    if limit is not None and len(effects) > limit:
        state.note(f"Showing the nearest {limit} of {len(effects)}.")
    if truncated:
        state.note("The search stopped at its budget; more entities may be reached.")


@click.command()
@click.argument("src")
@click.argument("dst")
@click.option("--context", "-c", "contexts", multiple=True, required=True, metavar="C", help="Repeat per context.")
@tsv_option
@endpoint_options
@common_options
def compare(src: str, dst: str, contexts: tuple[str, ...]) -> None:
    """Compare the effect of SRC on DST in several contexts (e.g. --context women --context men)."""
    from rich.table import Table
    from rich.text import Text

    state = current_state()
    output = state.table_format()
    parsed = [parse_context(c) for c in contexts]
    g = state.graph()
    source, target = g.resolve(src), g.resolve(dst)
    from kg.questions.compare import compare_rows  # plain rows: the command line needs no pandas
    from kg.store.served import OverEndpoint

    if isinstance(g, OverEndpoint):  # over a server: the rows are asked of the neighbourhood they need
        g = g.neighbourhood(source.id, target.id)
    found = compare_rows(g, source.id, target.id, [g.context(graph_context(g, c)) for c in parsed])
    rows = [{k: clean(v) for k, v in row.items()} for row in found]
    if output == "json":
        state.emit_json({"src": source.id, "dst": target.id, "rows": rows})
        return
    if output == "tsv":
        click.echo(tsv(COMPARE_COLUMNS, [[row.get(k) for k in COMPARE_COLUMNS] for row in rows]), nl=False)
        return
    cites = Citations(g)
    table = Table(
        *COMPARE_COLUMNS[: COMPARE_COLUMNS.index("paths") + 1], title=Text(f"{source.label} → {target.label}")
    )
    for row in rows:
        style = DIRECTION_STYLE.get(str(row.get("direction")), "")
        table.add_row(
            Text(str(row.get("context") or "")),
            Text(str(row.get("direction") or ""), style=f"bold {style}".strip()),
            *(Text(str(row.get(k) or "—")) for k in ("predicted", "observed", "reported", "magnitude", "paths")),
        )
    state.out.print(table)
    for row in rows:
        state.out.print(heading(f"{row.get('context')}: {cites.refs(str(s) for s in row.get('sources') or [])}"))
        for finding in row.get("findings") or []:
            state.out.print(Text(f"  - {str(finding).rsplit(' [', 1)[0]}"), soft_wrap=True)
    cites.print(state.out)


@click.command()
@click.argument("src")
@click.argument("dst")
@context_option
@click.option(
    "--plot",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Also draw them as a forest plot into FILE.svg or FILE.png (the format comes from the suffix).",
)
@endpoint_options
@common_options
def findings(src: str, dst: str, context: str | None, plot: str | None) -> None:
    """List the clinical findings behind SRC's effect on DST (subgroups too); --plot draws a forest plot of them."""
    from pathlib import Path

    from rich.text import Text

    if plot is not None and Path(plot).suffix.lower() not in (".svg", ".png"):
        shown = Path(plot).suffix or "no suffix"
        raise click.BadParameter(f"{plot!r} ends in {shown}: use .svg or .png", param_hint="'--plot'")
    state = current_state()
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    e = g.effect(src, dst, context=ctx)
    written = None
    if plot is not None:
        from kg.viz.forest import effect_forest

        with state.busy(f"Drawing {plot}…"):
            written = effect_forest(g, e).save(plot)  # no numeric findings: a QueryError, nothing written
    groups = [("", e.findings), *((s.who, s.findings) for s in e.subgroups)]
    if state.json:
        subgroups = [{"who": who, "findings": [finding_json(f) for f in fs]} for who, fs in groups[1:]]
        doc = {"src": e.source, "dst": e.target, "context": context_label(g, ctx), "plot": str(written or "") or None}
        state.emit_json({**doc, "findings": [finding_json(f) for f in e.findings], "subgroups": subgroups})
        return
    cites = Citations(g)
    state.out.print(heading(f"Findings: {g.label(e.source)} on {g.label(e.target)} ({e.context})"), soft_wrap=True)
    if not any(found for _, found in groups):
        state.out.print(Text("No clinical findings recorded for this question."), soft_wrap=True)
    for who, found in groups:
        if found:
            state.out.print(Text(f"in {who} (a subgroup, not the answer for {e.context})" if who else "in the answer"))
        for f in found:
            state.out.print(Text(f"  - {finding_text(g, f)} {cites.refs(f.sources)}"), soft_wrap=True)
    cites.print(state.out)
    if written is not None and not state.quiet:
        state.out.print(Text(f"wrote {written} ({written.stat().st_size:,} bytes)"), soft_wrap=True)


@click.command()
@click.argument("entity", required=False)
@click.option("--max-length", "-n", type=int, default=LOOP_LENGTH, show_default=True, help="Longest cycle, in steps.")
@context_option
@tsv_option
@endpoint_options
@common_options
def loops(entity: str | None, max_length: int, context: str | None) -> None:
    """List feedback loops (signed cycles), optionally only those through ENTITY."""
    from rich.table import Table
    from rich.text import Text

    state = current_state()
    output = state.table_format()
    ctx = parse_context(context)
    g = state.graph()
    wanted = g.resolve(entity).id if entity else None
    found = g.feedback_loops(wanted, context=graph_context(g, ctx), max_length=max_length)
    truncated = found.truncated
    if output == "tsv":
        rows = [
            [n, loop.kind, loop.path.length, loop.path.compact(), loop.path.nodes] for n, loop in enumerate(found, 1)
        ]
        click.echo(tsv(["n", "kind", "steps", "cycle", "nodes"], rows), nl=False)
        return
    if output == "json":
        state.emit_json(
            {
                "entity": wanted,
                "truncated": truncated,
                "loops": [{"kind": loop.kind, **path_json(loop.path)} for loop in found],
            }
        )
        return
    if truncated:
        state.out.print(Text("Note: the search hit its budget; more loops may exist."), soft_wrap=True)
    if not found:
        state.out.print(Text("No feedback loop found."), soft_wrap=True)
        return
    table = Table("#", "feedback", "steps", "cycle")
    for n, loop in enumerate(found, start=1):
        style = "red" if loop.kind == "negative" else "green"
        table.add_row(Text(str(n)), Text(loop.kind, style=style), Text(str(loop.path.length)), compact(loop.path))
    state.out.print(table)


#: The commands of this module, in the order they are registered on the group.
COMMANDS: tuple[click.Command, ...] = (paths, effect, explain, findings, downstream, upstream, compare, loops)
