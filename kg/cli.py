"""``hormone-kg``: the command line (SPEC §5) — thin: parse arguments, call the API, print.

Every query command prints rich tables or short signed paths for people and, with ``--json``, one stable
JSON document for machines (the shapes are documented in ``docs/cli.md``). Text from the graph is never
read as markup. Exit codes: 0 success, 1 invalid input files / failed export / unreachable endpoint,
2 usage errors, unknown entities and impossible contexts or query bounds.

Nothing heavy is imported here at module level, so ``hormone-kg --help`` starts fast; the graph, pandas,
rdflib and the writers are imported inside the commands that need them.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(cli, ["--json", "search", "anastro"])
>>> result.exit_code, json.loads(result.stdout)["results"][0]["label"]
(0, 'anastrozole')
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import __version__
from kg.errors import (
    KGError,
    QueryError,
    UnknownContextError,
    UnknownEntityError,
    ValidationError,
    Violation,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from kg.graph import KnowledgeGraph
    from kg.model import Entity, Finding, Statement
    from kg.results import CausalPath, Effect

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "Citations", "State", "cli", "main"]

#: Exit codes: success; invalid input file, failed export or endpoint; usage error / unknown name / context.
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])

_CONTEXT_PAIR = re.compile(r"^\s*([a-z_]+)\s*=\s*(\S.*?)\s*$")
_SIGNS = {"+": 1, "+1": 1, "1": 1, "increase": 1, "-": -1, "-1": -1, "decrease": -1}
_SIGN_STYLE = {1: "green", -1: "red"}


# ---------------------------------------------------------------------------------------------- state
@dataclass
class State:
    """Options shared by every command (global ones, or repeated after the subcommand)."""

    extra: list[str] = field(default_factory=list)
    json: bool = False
    quiet: bool = False
    debug: bool = False
    no_color: bool = False
    _graph: KnowledgeGraph | None = None
    _out: Console | None = None
    _err: Console | None = None

    def _console(self, stderr: bool) -> Console:
        from rich.console import Console

        return Console(
            stderr=stderr,
            no_color=True if self.no_color else None,  # None: rich honours NO_COLOR itself
            markup=False,
            emoji=False,
            highlight=False,
        )

    @property
    def out(self) -> Console:
        """The console on standard output (never interprets markup)."""
        if self._out is None:
            self._out = self._console(stderr=False)
        return self._out

    @property
    def err(self) -> Console:
        """The console on standard error: errors, warnings, spinners."""
        if self._err is None:
            self._err = self._console(stderr=True)
        return self._err

    @contextmanager
    def busy(self, message: str) -> Iterator[None]:
        """Show a spinner on standard error while something slow runs, on a terminal only (never with --json)."""
        if self.json or self.quiet or not self.err.is_terminal:
            yield
            return
        from rich.text import Text

        with self.err.status(Text(message), spinner="dots"):
            yield

    def graph(self, extra: Sequence[str] = ()) -> KnowledgeGraph:
        """Load the bundled graph plus the ``--extra`` files (and ``extra``), once per command."""
        if self._graph is None:
            import kg

            files = [*self.extra, *extra]
            with self.busy(f"Loading the graph{' and ' + ', '.join(files) if files else ''}…"):
                self._graph = kg.load(extra=files)
        return self._graph

    def note(self, message: str) -> None:
        """Print a hint on standard error (suppressed by --quiet and --json)."""
        if not (self.quiet or self.json):
            from rich.text import Text

            self.err.print(Text(message, style="dim"), soft_wrap=True)

    def emit_json(self, document: Any) -> None:
        """Print one JSON document on standard output."""
        click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    """Numpy scalars, paths and RDF terms become plain JSON values."""
    item = getattr(value, "item", None)
    if callable(item):
        return _finite(item())
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        state = ctx.ensure_object(State)
        if name == "extra":
            state.extra.extend(str(v) for v in value or ())
        elif value:
            setattr(state, name, True)

    return callback


def _common_options(f: F) -> F:
    """``--extra/--json/--quiet/--debug/--no-color``: accepted before or after the subcommand."""
    options = [
        click.option(
            "--extra",
            multiple=True,
            metavar="FILE",
            expose_value=False,
            callback=_set_flag("extra"),
            help="Also load this curation file (YAML or Turtle); repeatable. Validated first.",
        ),
        click.option(
            "--json",
            "as_json",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("json"),
            help="Print one JSON document (shapes in docs/cli.md) instead of tables.",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("quiet"),
            help="No spinners, notes or warnings; results only.",
        ),
        click.option(
            "--debug",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("debug"),
            help="Show Python tracebacks for errors.",
        ),
        click.option(
            "--no-color",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("no_color"),
            help="No colours (also off when not a terminal or when NO_COLOR is set).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _state() -> State:
    return click.get_current_context().ensure_object(State)


# ---------------------------------------------------------------------------------------------- errors
class KGGroup(click.Group):
    """A group that turns :class:`~kg.errors.KGError` into a message and an exit code (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; user errors become a clear message and exit code 1 or 2."""
        try:
            return super().invoke(ctx)
        except KGError as err:
            state = ctx.ensure_object(State)
            if state.debug:
                raise
            _report_error(state, err)
            ctx.exit(_exit_code(err))


def _exit_code(err: KGError) -> int:
    if isinstance(err, UnknownEntityError | UnknownContextError | QueryError):
        return EXIT_USAGE
    return EXIT_INVALID


def _report_error(state: State, err: KGError) -> None:
    from rich.text import Text

    if state.json:
        document: dict[str, Any] = {"error": {"type": type(err).__name__, "message": str(err)}}
        if isinstance(err, UnknownEntityError):
            document["error"].update(name=err.name, suggestions=list(err.suggestions))
        if isinstance(err, ValidationError):
            document["error"]["violations"] = [_violation_json(v) for v in err.violations]
        click.echo(json.dumps(document, ensure_ascii=False, indent=2), err=True)
        return
    if isinstance(err, UnknownEntityError):
        state.err.print(Text(f"error: unknown entity {err.name!r}", style="bold red"), soft_wrap=True)
        if err.suggestions:
            state.err.print(Text(f"did you mean: {', '.join(err.suggestions)}?"), soft_wrap=True)
        state.err.print(Text("(try: hormone-kg search TEXT)", style="dim"), soft_wrap=True)
    elif isinstance(err, ValidationError):
        state.err.print(Text(f"error: {str(err).splitlines()[0]}", style="bold red"), soft_wrap=True)
        for violation in err.violations:
            state.err.print(Text(str(violation)), soft_wrap=True)
    else:
        state.err.print(Text(f"error: {err}", style="bold red"), soft_wrap=True)


# ---------------------------------------------------------------------------------------------- parsing
def _context(value: str | None) -> str | dict[str, str] | None:
    """``--context``: a population (label, synonym or CURIE) or qualifiers ``sex=female,tissue=UBERON:…``.

    >>> _context("sex=female, tissue=UBERON:0002481")
    {'sex': 'female', 'tissue': 'UBERON:0002481'}
    >>> _context("postmenopausal women")
    'postmenopausal women'
    """
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    pairs = [_CONTEXT_PAIR.match(p) for p in parts]
    if all(pairs):
        keys = [m.group(1) for m in pairs if m]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise UnknownContextError(f"the context {value!r} sets {', '.join(repeated)} more than once")
        return {m.group(1): m.group(2) for m in pairs if m}
    if "=" in value:
        raise UnknownContextError(
            f"cannot read the context {value!r}: give a population name or key=value pairs joined by commas"
        )
    return value.strip()


def _sign(value: str | None) -> int | None:
    if value is None:
        return None
    if value not in _SIGNS:
        raise click.BadParameter(f"{value!r}; use + (increase) or - (decrease)", param_hint="'--sign'")
    return _SIGNS[value]


def _context_label(g: KnowledgeGraph, context: str | dict[str, str] | None) -> str | None:
    return None if context is None else g.context(context).label


# ---------------------------------------------------------------------------------------------- JSON shapes
def _entity_json(e: Entity) -> dict[str, Any]:
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


def _statement_json(st: Statement) -> dict[str, Any]:
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


def _path_json(p: CausalPath) -> dict[str, Any]:
    return {
        "nodes": list(p.nodes),
        "labels": list(p.labels()),
        "sign": p.sign,
        "length": p.length,
        "compact": p.compact(),
        "statements": [_statement_json(st) for st in p.statements],
    }


def _finding_json(f: Finding) -> dict[str, Any]:
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


def _effect_json(e: Effect, context: str | None) -> dict[str, Any]:
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
        "paths": [_path_json(p) for p in e.paths],
        "findings": [_finding_json(f) for f in e.findings],
    }


def _violation_json(v: Violation) -> dict[str, Any]:
    return {"file": v.file, "line": v.line, "rule": v.rule, "focus": v.focus, "message": v.message}


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

        from kg.explain import cite

        if not self.numbers:
            return
        console.print(Text("Sources", style="bold"))
        for source, n in self.numbers.items():
            console.print(Text(f"  [{n}] {cite(self.g, source)}"), soft_wrap=True)


def _arrow(sign: int) -> Text:
    from rich.text import Text

    from kg.results import sign_symbol

    return Text(sign_symbol(sign), style=_SIGN_STYLE.get(sign, "dim"))


def _compact(p: CausalPath) -> Text:
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


def _print_path(state: State, g: KnowledgeGraph, n: int, p: CausalPath, cites: Citations) -> None:
    from rich.text import Text

    from kg.results import sign_word

    head = Text(f"{n:>2}. ")
    head.append_text(_compact(p))
    head.append(f"  (net {sign_word(p.sign)})", style=_SIGN_STYLE.get(p.sign, ""))
    state.out.print(head, soft_wrap=True)
    support = p.support or tuple((st,) for st in p.statements)
    for st, alternatives in zip(p.statements, support, strict=True):
        refs = cites.refs(src for alt in alternatives for src in alt.sources)
        more = f" (+{len(alternatives) - 1} supporting)" if len(alternatives) > 1 else ""
        state.out.print(Text(f"      {_statement_text(g, st)} {refs}{more}", style="dim"), soft_wrap=True)


def _finding_text(g: KnowledgeGraph, f: Finding) -> str:
    """``spine BMD: decrease: -6.08 % (median change from baseline), 5 years; population, regimen``."""
    phase = " (after stopping treatment)" if f.phase == "off-treatment" else ""
    kind = " (the article's qualitative claim)" if f.kind == "reported" else ""
    who = "; ".join(g.label(x) for x in (f.population, f.regimen) if x)
    return f"{g.label(f.measure)}{phase}: {f.summary().rsplit(' [', 1)[0]}{kind}" + (f" — {who}" if who else "")


def _heading(text: str) -> Text:
    from rich.text import Text

    return Text(text, style="bold")


def _entity_name(g: KnowledgeGraph, curie: str) -> str:
    return f"{g.label(curie)} ({curie})"


# ---------------------------------------------------------------------------------------------- the group
@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="hormone-kg")
@_common_options
def cli() -> None:
    r"""Ask a curated, citable knowledge graph of hormonal mechanisms.

    \b
    Examples:
      hormone-kg explain anastrozole "bone mineral density" --context "postmenopausal women"
      hormone-kg paths anastrozole BMD --context "postmenopausal women" --sign -
      hormone-kg viz --highlight anastrozole BMD -o view.html

    Names may be labels, synonyms, abbreviations (E2, BMD, ERα) or CURIEs. A context is a population
    ("postmenopausal women", "men on TRT") or qualifiers ("sex=male" or "sex=female,tissue=UBERON:0002481").
    Exit codes: 0 ok, 1 invalid file or failed write/push, 2 usage error, unknown name or context.
    """


_context_option = click.option(
    "--context", "-c", metavar="C", help='Population name/CURIE, or qualifiers "sex=male,tissue=UBERON:…".'
)
_max_length_option = click.option(
    "--max-length", "-n", type=int, default=6, show_default=True, help="Longest path, in steps (1–12)."
)
_reach_limit_option = click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Show only the nearest N entities (default: all)."
)


# ---------------------------------------------------------------------------------------------- names
@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many.")
@_common_options
def search(text: str, limit: int) -> None:
    """Find entities whose names match TEXT, best first."""
    from rich.table import Table
    from rich.text import Text

    state = _state()
    g = state.graph()
    hits = g.search(text, limit=limit)
    if state.json:
        state.emit_json({"query": text, "results": [_entity_json(e) for e in hits]})
        return
    if not hits:
        state.out.print(Text(f"No entity matches {text!r}."), soft_wrap=True)
        return
    table = Table("id", "label", "category", "also known as", title=None, show_lines=False)
    for e in hits:
        table.add_row(Text(e.id), Text(e.label, style="bold"), Text(e.category), Text(", ".join(e.names()[1:])))
    state.out.print(table)


@cli.command()
@click.argument("entity")
@_common_options
def show(entity: str) -> None:
    """Show an entity card: names, cross-references and the signed statements in and out."""
    from rich.table import Table
    from rich.text import Text

    from kg.results import sign_symbol

    state = _state()
    g = state.graph()
    e = g.resolve(entity)
    outgoing = [st for st in g.statements.values() if st.subject == e.id]
    incoming = [st for st in g.statements.values() if st.object == e.id]
    findings = [f for f in g.findings.values() if e.id in (f.intervention, f.measure, f.site)]
    if state.json:
        state.emit_json(
            {
                "entity": _entity_json(e),
                "out": [_statement_json(st) for st in outgoing],
                "in": [_statement_json(st) for st in incoming],
                "findings": [_finding_json(f) for f in findings],
            }
        )
        return
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
        ("broader", ", ".join(_entity_name(g, b) for b in e.broader)),
        ("description", e.description or ""),
        ("comment", e.comment or ""),
    ]
    for key, value in rows:
        if value:
            card.add_row(Text(key), Text(value))
    state.out.print(card)
    cites = Citations(g)
    for title, statements, other in (("Out", outgoing, "object"), ("In", incoming, "subject")):
        if not statements:
            continue
        table = Table(
            "", other, "predicate", "context", "sources", title=Text(f"Statements {title.lower()} ({len(statements)})")
        )
        for st in statements:
            sign = Text(sign_symbol(st.sign) if not st.negated else "✗", style=_SIGN_STYLE.get(st.sign, "dim"))
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
        state.out.print(table)
    if findings:
        state.out.print(_heading(f"Findings ({len(findings)})"))
        for f in findings:
            line = f"  - {g.label(f.intervention)} on {_finding_text(g, f)}"
            state.out.print(Text(f"{line} {cites.refs(f.sources)}"), soft_wrap=True)
    cites.print(state.out)


# ---------------------------------------------------------------------------------------------- questions
@cli.command()
@click.argument("src")
@click.argument("dst")
@_max_length_option
@_context_option
@click.option("--sign", "sign_text", metavar="+|-", help="Only paths with this net sign (+ increase, - decrease).")
@click.option("--limit", "-k", type=int, default=50, show_default=True, help="At most this many paths.")
@_common_options
def paths(src: str, dst: str, max_length: int, context: str | None, sign_text: str | None, limit: int) -> None:
    """List the signed causal paths from SRC to DST, shortest and best supported first, with citations."""
    from rich.text import Text

    state = _state()
    sign = _sign(sign_text)
    ctx = _context(context)
    g = state.graph()
    source, target = g.resolve(src), g.resolve(dst)
    found = g.causal_paths(source.id, target.id, max_length=max_length, context=ctx, sign=sign, limit=limit)
    truncated = found.truncated
    label = _context_label(g, ctx)
    if state.json:
        state.emit_json(
            {
                "src": source.id,
                "dst": target.id,
                "context": label,
                "truncated": truncated,
                "paths": [_path_json(p) for p in found],
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
        _heading(f"{len(found)} signed path(s) from {source.label} to {target.label}{where}"), soft_wrap=True
    )
    cites = Citations(g)
    for n, p in enumerate(found, start=1):
        _print_path(state, g, n, p, cites)
    cites.print(state.out)
    if truncated:
        state.note("The search stopped at its budget; more paths may exist (lower --max-length or raise --limit).")


@cli.command()
@click.argument("src")
@click.argument("dst")
@_context_option
@_max_length_option
@click.option(
    "--show-paths", type=click.IntRange(min=0), default=3, show_default=True, help="Print this many paths of each sign."
)
@_common_options
def effect(src: str, dst: str, context: str | None, max_length: int, show_paths: int) -> None:
    """Give the net effect of raising SRC on DST: predicted from paths, observed from clinical findings."""
    from rich.table import Table
    from rich.text import Text

    from kg.explain import paths_phrase

    state = _state()
    ctx = _context(context)
    g = state.graph()
    e = g.effect(src, dst, context=ctx, max_length=max_length)
    if state.json:
        state.emit_json(_effect_json(e, _context_label(g, ctx)))
        return
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    style = {"increase": "green", "decrease": "red", "mixed": "yellow"}.get(e.direction, "")
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
        state.out.print(_heading("Strongest paths"))
        for n, p in enumerate(sorted(shown, key=e.paths.index), start=1):
            _print_path(state, g, n, p, cites)
    if e.findings:
        state.out.print(_heading("Clinical findings"))
        for f in e.findings:
            state.out.print(Text(f"  - {_finding_text(g, f)} {cites.refs(f.sources)}"), soft_wrap=True)
    cites.print(state.out)
    if e.truncated:
        state.note("The path search stopped at its budget; more paths may exist.")


@cli.command()
@click.argument("src")
@click.argument("dst")
@_context_option
@_common_options
def explain(src: str, dst: str, context: str | None) -> None:
    """Explain the mechanism from SRC to DST in prose, step by step, with citations and findings."""
    from rich.text import Text

    state = _state()
    ctx = _context(context)
    g = state.graph()
    source, target = g.resolve(src), g.resolve(dst)
    from kg.explain import explain_effect

    e = g.effect(source.id, target.id, context=ctx)
    text = explain_effect(g, e)
    if state.json:
        state.emit_json(
            {
                "src": source.id,
                "dst": target.id,
                "context": _context_label(g, ctx),
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


def _nearest(effects: Mapping[str, Effect], limit: int | None) -> Iterator[tuple[str, Effect]]:
    """The first ``limit`` (entity, effect) pairs: a reach is ordered nearest first, and made as it is read."""
    return islice(effects.items(), limit)


def _reach_table(g: KnowledgeGraph, effects: Mapping[str, Effect], direction_title: str, limit: int | None) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table("entity", "category", direction_title, "shortest path")
    for curie, e in _nearest(effects, limit):
        style = {"increase": "green", "decrease": "red", "mixed": "yellow"}.get(e.predicted, "")
        entity = g.entities.get(curie)
        name = Text(g.label(curie), style="bold")
        name.append(f"\n{curie}", style="dim")
        table.add_row(
            name,
            Text(entity.category if entity else ""),
            Text(e.predicted, style=style),
            _compact(e.paths[0]) if e.paths else Text(""),
        )
    return table


def _reach_json(g: KnowledgeGraph, effects: Mapping[str, Effect], limit: int | None) -> list[dict[str, Any]]:
    out = []
    for curie, e in _nearest(effects, limit):
        entity = g.entities.get(curie)
        out.append(
            {
                "id": curie,
                "label": g.label(curie),
                "category": entity.category if entity else None,
                "predicted": e.predicted,
                "paths": [_path_json(p) for p in e.paths],
            }
        )
    return out


@cli.command()
@click.argument("entity")
@click.option("--increase/--decrease", "increase", default=None, help="How ENTITY changes (one is required).")
@_context_option
@_max_length_option
@_reach_limit_option
@_common_options
def downstream(entity: str, increase: bool | None, context: str | None, max_length: int, limit: int | None) -> None:
    """List what moves, and which way, when ENTITY is raised (--increase) or lowered (--decrease)."""
    from rich.text import Text

    if increase is None:
        raise click.UsageError("say how ENTITY changes: --increase or --decrease")
    state = _state()
    change = "increase" if increase else "decrease"
    ctx = _context(context)
    g = state.graph()
    e = g.resolve(entity)
    effects = g.downstream(e.id, change=change, context=ctx, max_length=max_length)
    truncated = effects.truncated
    if state.json:
        state.emit_json(
            {
                "entity": e.id,
                "change": change,
                "context": _context_label(g, ctx),
                "truncated": truncated,
                "count": len(effects),
                "effects": _reach_json(g, effects, limit),
            }
        )
        return
    if not effects:
        state.out.print(Text(f"Nothing is downstream of {e.label} in this context."), soft_wrap=True)
        return
    state.out.print(_heading(f"When {e.label} {'rises' if increase else 'falls'}: {len(effects)} entities move"))
    state.out.print(_reach_table(g, effects, "moves", limit))
    if limit is not None and len(effects) > limit:
        state.note(f"Showing the nearest {limit} of {len(effects)}.")
    if truncated:
        state.note("The search stopped at its budget; more entities may be reached.")


@cli.command()
@click.argument("entity")
@_context_option
@_max_length_option
@_reach_limit_option
@_common_options
def upstream(entity: str, context: str | None, max_length: int, limit: int | None) -> None:
    """List everything with a causal path into ENTITY, and which way raising it moves ENTITY."""
    from rich.text import Text

    state = _state()
    ctx = _context(context)
    g = state.graph()
    e = g.resolve(entity)
    effects = g.upstream(e.id, context=ctx, max_length=max_length)
    truncated = effects.truncated
    if state.json:
        state.emit_json(
            {
                "entity": e.id,
                "context": _context_label(g, ctx),
                "truncated": truncated,
                "count": len(effects),
                "effects": _reach_json(g, effects, limit),
            }
        )
        return
    if not effects:
        state.out.print(Text(f"Nothing is upstream of {e.label} in this context."), soft_wrap=True)
        return
    state.out.print(_heading(f"{len(effects)} entities change {e.label} (direction when each is raised)"))
    state.out.print(_reach_table(g, effects, f"{e.label} moves", limit))
    if limit is not None and len(effects) > limit:
        state.note(f"Showing the nearest {limit} of {len(effects)}.")
    if truncated:
        state.note("The search stopped at its budget; more entities may be reached.")


@cli.command()
@click.argument("src")
@click.argument("dst")
@click.option("--context", "-c", "contexts", multiple=True, required=True, metavar="C", help="Repeat per context.")
@_common_options
def compare(src: str, dst: str, contexts: tuple[str, ...]) -> None:
    """Compare the effect of SRC on DST in several contexts (e.g. women vs men)."""
    from rich.table import Table
    from rich.text import Text

    state = _state()
    parsed = [_context(c) for c in contexts]
    g = state.graph()
    source, target = g.resolve(src), g.resolve(dst)
    frame = g.compare(source.id, target.id, parsed)
    rows = [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    if state.json:
        state.emit_json({"src": source.id, "dst": target.id, "rows": rows})
        return
    cites = Citations(g)
    table = Table(
        "context",
        "direction",
        "predicted",
        "observed",
        "reported",
        "magnitude",
        "paths",
        title=Text(f"{source.label} → {target.label}"),
    )
    for row in rows:
        style = {"increase": "green", "decrease": "red", "mixed": "yellow"}.get(str(row.get("direction")), "")
        table.add_row(
            Text(str(row.get("context") or "")),
            Text(str(row.get("direction") or ""), style=f"bold {style}".strip()),
            *(Text(str(row.get(k) or "—")) for k in ("predicted", "observed", "reported", "magnitude", "paths")),
        )
    state.out.print(table)
    for row in rows:
        state.out.print(_heading(f"{row.get('context')}: {cites.refs(str(s) for s in row.get('sources') or [])}"))
        for finding in row.get("findings") or []:
            state.out.print(Text(f"  - {str(finding).rsplit(' [', 1)[0]}"), soft_wrap=True)
    cites.print(state.out)


def _clean(value: Any) -> Any:
    """Turn a pandas cell into plain JSON-able Python (NaN -> None, numpy scalars -> Python)."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, list | tuple | dict | str):
        value = item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


@cli.command()
@click.argument("entity", required=False)
@click.option("--max-length", "-n", type=int, default=8, show_default=True, help="Longest cycle, in steps.")
@_context_option
@_common_options
def loops(entity: str | None, max_length: int, context: str | None) -> None:
    """List feedback loops (signed cycles), optionally only those through ENTITY."""
    from rich.table import Table
    from rich.text import Text

    state = _state()
    g = state.graph()
    wanted = g.resolve(entity).id if entity else None
    found = g.feedback_loops(wanted, context=_context(context), max_length=max_length)
    truncated = found.truncated
    if state.json:
        state.emit_json(
            {
                "entity": wanted,
                "truncated": truncated,
                "loops": [{"kind": loop.kind, **_path_json(loop.path)} for loop in found],
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
        table.add_row(Text(str(n)), Text(loop.kind, style=style), Text(str(loop.path.length)), _compact(loop.path))
    state.out.print(table)


# ---------------------------------------------------------------------------------------------- outputs
@cli.command()
@click.option("--focus", "-f", metavar="E", help="Show only the neighbourhood of this entity.")
@click.option("--radius", "-r", type=click.IntRange(min=0), default=2, show_default=True, help="Steps around --focus.")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=None, help="At most this many entities around --focus (nearest)."
)
@click.option("--highlight", nargs=2, metavar="SRC DST", help="Highlight the causal paths from SRC to DST.")
@_context_option
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--open", "open_browser", is_flag=True, help="Open the file in a web browser afterwards.")
@_common_options
def viz(
    focus: str | None,
    radius: int,
    max_nodes: int | None,
    highlight: tuple[str, str] | None,
    context: str | None,
    output: str,
    open_browser: bool,
) -> None:
    """Write the interactive view: one self-contained HTML file that works offline."""
    state = _state()
    ctx = _context(context)
    g = state.graph()
    focus_id = g.resolve(focus).id if focus else None
    pair = (g.resolve(highlight[0]).id, g.resolve(highlight[1]).id) if highlight else None
    if ctx is not None:
        g.context(ctx)  # an impossible context fails here, before anything is written
    from kg import viz as viz_module

    target = Path(output)
    with state.busy(f"Rendering {target}…"):
        written = viz_module.write_html(
            g, target, focus=focus_id, radius=radius, highlight=pair, context=ctx, max_nodes=max_nodes
        )
    size = written.stat().st_size
    if state.json:
        state.emit_json({"path": str(target), "bytes": size, "focus": focus_id, "highlight": list(pair or [])})
    elif not state.quiet:
        from rich.text import Text

        state.out.print(Text(f"wrote {target} ({size or 0:,} bytes)"), soft_wrap=True)
    if open_browser:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())


def _print_written(state: State, what: str, files: Sequence[str], directory: Path) -> None:
    if state.json:
        state.emit_json({"directory": str(directory), "files": list(files)})
        return
    if state.quiet:
        return
    from rich.text import Text

    state.out.print(Text(f"{what}: {len(files)} file(s) in {directory}"), soft_wrap=True)
    for f in files:
        state.out.print(Text(f"  {f}"), soft_wrap=True)


@cli.command()
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    metavar="F",
    help="turtle, ntriples, jsonld, graphml, kgx, cytoscape, csv or html; repeatable (default: all).",
)
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False), help="Directory to write.")
@_common_options
def export(formats: tuple[str, ...], output: str) -> None:
    """Write the graph in the exchange formats (Turtle, N-Triples, JSON-LD, GraphML, KGX, Cytoscape…)."""
    state = _state()
    g = state.graph()
    from kg import exporters

    directory = Path(output)
    with state.busy(f"Exporting to {directory}…"):
        written = exporters.export(g, directory, list(formats) or None)
    _print_written(state, "exported", [str(p) for p in written], directory)


@cli.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory to regenerate (default: the project's exports/).",
)
@_common_options
def build(output: str | None) -> None:
    """Regenerate exports/ (every format plus the interactive view) from the curated sources."""
    state = _state()
    from kg import exporters

    directory = Path(output) if output else Path(exporters.EXPORTS_DIR)
    with state.busy("Building exports…"):
        written = exporters.build(directory)
    _print_written(state, "built", [str(p) for p in written], directory)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@_common_options
def validate(files: tuple[str, ...]) -> None:
    """Check the bundled graph plus FILES; print each violation as ``file:line: [rule] focus: message``.

    Also warns about conflicts: two statements with opposite signs for the same subject, object and
    context. Exit 1 on violations, 0 otherwise (conflicts are warnings).
    """
    from rich.text import Text

    from kg.validate import find_conflicts

    state = _state()
    names = [*state.extra, *files]
    try:
        g = state.graph(files)
    except ValidationError as err:
        if state.json:
            state.emit_json(
                {
                    "files": names,
                    "valid": False,
                    "violations": [_violation_json(v) for v in err.violations],
                    "conflicts": [],
                }
            )
        else:
            for violation in err.violations:
                state.out.print(Text(str(violation)), soft_wrap=True)
            if not state.quiet:
                state.err.print(Text(f"{len(err.violations)} violation(s)", style="bold red"))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    conflicts = find_conflicts(g.statements.values())
    if state.json:
        state.emit_json(
            {
                "files": names,
                "valid": True,
                "violations": [],
                "conflicts": [{"a": _statement_json(a), "b": _statement_json(b)} for a, b in conflicts],
            }
        )
        return
    from kg.explain import cite

    for a, b in conflicts:
        where = g.curation.origins.get(a.curie, "")
        context = ", ".join(f"{k}={v}" for k, v in a.context.items()) or "any context"
        state.out.print(
            Text(
                f"{where + ': ' if where else ''}warning: [conflicting-signs] {g.label(a.subject)} → "
                f"{g.label(a.object)} ({context}):",
                style="yellow",
            ),
            soft_wrap=True,
        )
        for st in (a, b):
            origin = g.curation.origins.get(st.curie, "?")
            sources = "; ".join(cite(g, s) for s in st.sources)
            state.out.print(
                Text(f"    {st.curie} ({st.sign:+d}, {st.predicate}) at {origin}; sources: {sources}"), soft_wrap=True
            )
    if not state.quiet:
        summary = (
            f"ok: {len(names)} file(s) and the bundled graph are valid "
            f"({len(g.entities)} entities, {len(g.statements)} statements, {len(g.findings)} findings)"
        )
        if conflicts:
            summary += f"; {len(conflicts)} conflict warning(s)"
        state.out.print(Text(summary, style="green"), soft_wrap=True)


@cli.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE; repeatable.")
@_common_options
def sparql(query: str, binds: tuple[str, ...]) -> None:
    """Run a SPARQL query (text, or @FILE) on the graph; bindings are bound, never pasted into the text."""
    from rich.table import Table
    from rich.text import Text

    state = _state()
    bindings: dict[str, str] = {}
    for bind in binds:
        name, sep, value = bind.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name.isidentifier():
            raise click.BadParameter(f"{bind!r}; expected NAME=VALUE", param_hint="'--bind'")
        bindings[name] = value
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            query = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.FileError(str(path), hint=str(err)) from err
    g = state.graph()
    rows = g.sparql(query, **bindings)
    if state.json:
        state.emit_json({"rows": [{k: _sparql_value(v) for k, v in row.items()} for row in rows]})
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    if not rows:
        state.out.print(Text("No results."), soft_wrap=True)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    state.out.print(table)
    state.note(f"{len(rows)} row(s)")


def _sparql_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return _finite(value)
    return str(value)


@cli.command()
@click.option("--endpoint", required=True, metavar="URL", help="SPARQL 1.1 endpoint (server root, /query or /sparql).")
@click.option("--replace", is_flag=True, help="Empty the endpoint's default graph first.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server.",
)
@_common_options
def push(endpoint: str, replace: bool, timeout: float) -> None:
    """Load the graph into a SPARQL endpoint (Oxigraph, Fuseki, GraphDB…), for kg.load(endpoint=URL)."""
    state = _state()
    g = state.graph()
    from kg import remote

    with state.busy(f"Pushing to {endpoint}…"):
        count = remote.push(g, endpoint, timeout=timeout, replace=replace)
    if state.json:
        state.emit_json({"endpoint": endpoint, "triples": count})
    elif not state.quiet:
        from rich.text import Text

        state.out.print(Text(f"pushed {count:,} triples to {endpoint}"), soft_wrap=True)


# ---------------------------------------------------------------------------------------------- entry point
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the ``hormone-kg`` console script exits with it)."""
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="hormone-kg", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (hormone-kg ... | head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code if isinstance(code, int) else EXIT_OK
