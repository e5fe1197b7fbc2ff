"""The machinery shared by every ``hormone-kg`` command: state, options, the group, errors and the entry point.

:class:`State` holds the options common to all commands (``--extra/--origin/--json/--quiet/--debug/--no-color``,
accepted before or after the subcommand, and ``--tsv`` on the commands that print tables), the consoles
and the loaded graph. :class:`KGGroup` turns a :class:`~kg.errors.KGError` into a message (or a JSON
document) and an exit code; :func:`main` is the console script. Nothing heavy is imported at module level
(rich and the graph load inside functions).

When standard output is not a terminal (a pipe, a file), tables are printed at their full width, never
cut or wrapped at 80 columns (``COLUMNS`` still sets a width when given).
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.errors import (
    KGError,
    QueryError,
    UnknownContextError,
    UnknownEntityError,
    ValidationError,
    Violation,
)
from kg.limits import MAX_LENGTH, MAX_LENGTH_LIMIT
from kg.store.endpoint import PRESETS, Auth, Endpoint, register
from kg.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from kg.graph import KnowledgeGraph

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "KGGroup",
    "State",
    "cli",
    "common_options",
    "context_label",
    "context_option",
    "current_state",
    "endpoint_options",
    "finite",
    "graph_context",
    "main",
    "max_length_option",
    "parse_context",
    "parse_sign",
    "reach_limit_option",
    "tsv_option",
    "violation_json",
]

#: Exit codes: success; invalid input file, failed export or endpoint; usage error / unknown name / context.
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])

_CONTEXT_PAIR = re.compile(r"^\s*([a-z_]+)\s*=\s*(\S.*?)\s*$")
_SIGNS = {"+": 1, "+1": 1, "1": 1, "increase": 1, "-": -1, "-1": -1, "decrease": -1}
#: The width of standard output when it is not a terminal: wide enough that no table is ever cut.
PIPE_WIDTH = 100_000


# ---------------------------------------------------------------------------------------------- state
@dataclass
class State:
    """Options shared by every command (global ones, or repeated after the subcommand)."""

    extra: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)  # --origin: only the statements of these origins
    json: bool = False
    tsv: bool = False
    quiet: bool = False
    debug: bool = False
    no_color: bool = False
    _graph: KnowledgeGraph | None = None
    _out: Console | None = None
    _err: Console | None = None
    _stdin: str | None = None  # the temporary copy of a curation file read from standard input
    remote: dict[str, str] = field(default_factory=dict)  # --endpoint and its settings (never a secret)

    def _console(self, stderr: bool) -> Console:
        from rich.console import Console

        console = Console(
            stderr=stderr,
            no_color=True if self.no_color else None,  # None: rich honours NO_COLOR itself
            markup=False,
            emoji=False,
            highlight=False,
        )
        if not stderr and not console.is_terminal and not os.environ.get("COLUMNS"):
            console.width = PIPE_WIDTH  # piped: full-width tables (a table only takes the width it needs)
        return console

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

    def graph(self, extra: Sequence[str] = (), *, shacl: bool = False) -> KnowledgeGraph:
        """Load the bundled graph plus the ``--extra`` files (and ``extra``), once per command (``shacl``: check it).

        A file named ``-`` is read from standard input (once); messages call it ``<stdin>``.
        """
        if self._graph is None:
            from kg.cli.loading import loading
            from kg.cli.stdio import stdin_files
            from kg.graph import load

            files = [*self.extra, *extra]
            if self.remote.get("endpoint"):
                with self.busy(f"Connecting to {self.remote['endpoint']}…"):
                    self._graph = load(extra=files, endpoint=self.endpoint().query, origins=self.origin or None)
                return self._graph
            message = f"Loading the graph{' and ' + ', '.join(files) if files else ''}…"
            with (
                stdin_files(files) as (paths, self._stdin),
                loading(self.err, paths, message, show=not (self.json or self.quiet)) as progress,  # bar or spinner
            ):
                self._graph = load(extra=paths, shacl=shacl, origins=self.origin or None, progress=progress)
        return self._graph

    def endpoint(self) -> Endpoint:
        """The endpoint ``--endpoint`` names, with ``--preset``/``--graph`` and the credentials (registered)."""
        r, env = self.remote, os.environ
        if "endpoint" not in r:
            raise click.UsageError("this command needs --endpoint URL")
        auth = None
        if r.get("token_env"):
            if not env.get(r["token_env"]):
                raise click.UsageError(f"--token-env {r['token_env']}: that environment variable is not set")
            auth = Auth.bearer(env[r["token_env"]])
        elif r.get("user"):
            variable = r.get("password_env", "HORMONE_KG_ENDPOINT_PASSWORD")
            auth = Auth.basic(r["user"], env.get(variable, ""))
        return register(Endpoint.of(r["endpoint"], preset=r.get("preset"), graph=r.get("graph"), auth=auth))

    def shown(self, text: str) -> str:
        """``text`` with the temporary copy of standard input named ``<stdin>`` (origins of loaded records).

        >>> State(_stdin="/tmp/x/stdin.yaml").shown("/tmp/x/stdin.yaml:3")
        '<stdin>:3'
        """
        from kg.cli.stdio import STDIN_NAME

        return text.replace(self._stdin, STDIN_NAME) if self._stdin else text

    def table_format(self) -> str:
        """``json``, ``tsv`` or ``text``: how a command that prints a table prints it (not both flags)."""
        if self.json and self.tsv:
            raise click.UsageError("--json and --tsv cannot be combined: choose one output format")
        return "json" if self.json else "tsv" if self.tsv else "text"

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
        return finite(item())
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


def finite(value: Any) -> Any:
    """``value``, except that NaN and the infinities become ``None`` (JSON has no such numbers)."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        state = ctx.ensure_object(State)
        if name in ("extra", "origin"):
            getattr(state, name).extend(str(v) for v in value or ())
        elif value:
            setattr(state, name, True)

    return callback


def _set_remote(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            ctx.ensure_object(State).remote[name] = str(value)

    return callback


#: ``--endpoint`` and its settings: (option, key, metavar, help); secrets are never options, only variable names
_ENDPOINT_OPTIONS = (
    ("--endpoint", "endpoint", "URL", "Answer from the graph stored in this SPARQL endpoint (docs/server.md)."),
    ("--preset", "preset", None, "The server's kind: where its query / update / graph store services are."),
    ("--graph", "graph", "IRI", "The named graph holding hormone-kg (default https://w3id.org/hormone-kg/graph)."),
    ("--token-env", "token_env", "VAR", "Send the bearer token held in environment variable VAR."),
    ("--user", "user", "NAME", "HTTP basic user; the password is in --password-env (or HORMONE_KG_ENDPOINT_PASSWORD)."),
    ("--password-env", "password_env", "VAR", "The environment variable holding the --user password."),
)


def endpoint_options(f: F) -> F:
    """``--endpoint URL`` (answer from a SPARQL server) and its settings; secrets only from the environment."""
    for flag, key, metavar, text in reversed(_ENDPOINT_OPTIONS):
        kind = click.Choice(sorted(PRESETS)) if key == "preset" else None
        f = click.option(flag, type=kind, metavar=metavar, expose_value=False, callback=_set_remote(key), help=text)(f)
    return f


def common_options(f: F) -> F:
    """``--extra/--origin/--json/--quiet/--debug/--no-color``: accepted before or after the subcommand."""
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
            "--origin",
            multiple=True,
            metavar="ORIGIN",
            expose_value=False,
            callback=_set_flag("origin"),
            help="Use only statements of this origin: curated, imported, or an import's name; repeatable.",
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


def current_state() -> State:
    """The :class:`State` of the command being run."""
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
            document["error"]["violations"] = [violation_json(v) for v in err.violations]
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
def parse_context(value: str | None) -> str | dict[str, str] | None:
    """``--context``: a population (label, synonym or CURIE) or qualifiers ``sex=female,tissue=bone``.

    >>> parse_context("sex=female, tissue=UBERON:0002481")
    {'sex': 'female', 'tissue': 'UBERON:0002481'}
    >>> parse_context("postmenopausal women")
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


def parse_sign(value: str | None) -> int | None:
    """``--sign``: ``+`` / ``-`` (or ``increase`` / ``decrease``) as ``1`` / ``-1``; ``None`` when not given."""
    if value is None:
        return None
    if value not in _SIGNS:
        raise click.BadParameter(f"{value!r}; use + (increase) or - (decrease)", param_hint="'--sign'")
    return _SIGNS[value]


def graph_context(g: KnowledgeGraph, context: str | dict[str, str] | None) -> str | dict[str, str] | None:
    """A parsed ``--context`` with named tissues, conditions and therapies resolved in ``g`` (``tissue=bone``).

    Raises :class:`~kg.errors.UnknownContextError` naming a value that names nothing, or the wrong kind of entity.
    """
    from kg.context import resolve_names

    resolved = resolve_names(context, g.resolve)
    if isinstance(resolved, Mapping):
        return dict(resolved)
    return resolved if isinstance(resolved, str) else None


def context_label(g: KnowledgeGraph, context: str | dict[str, str] | None) -> str | None:
    """The label of a parsed ``--context`` (``None`` when none was given)."""
    return None if context is None else g.context(context).label


def violation_json(v: Violation) -> dict[str, Any]:
    """The JSON shape of one validation violation."""
    return {"file": v.file, "line": v.line, "rule": v.rule, "focus": v.focus, "message": v.message}


# ---------------------------------------------------------------------------------------------- the group
#: ``hormone-kg --help``: "\b" keeps the next paragraph's lines as written (click's no-rewrap mark).
HELP = "\n\n".join(
    [
        "Ask a curated, citable knowledge graph of hormonal mechanisms.",
        "\b\nExamples:\n"
        '  hormone-kg explain anastrozole "bone mineral density" --context "postmenopausal women"\n'
        '  hormone-kg paths anastrozole BMD --context "postmenopausal women" --sign -\n'
        "  hormone-kg compare anastrozole BMD --context women --context men\n"
        "  hormone-kg viz --highlight anastrozole BMD -o view.html\n"
        "  hormone-kg contexts",
        "Names may be labels, synonyms, abbreviations (E2, BMD, ERα) or CURIEs. A context is a population "
        '("postmenopausal women", "women", "men on TRT"; `hormone-kg contexts` lists them) or qualifiers '
        '("sex=male" or "sex=female,tissue=bone"). A FILE named - is standard input or output.',
        "Exit codes: 0 ok, 1 invalid file or failed write/push, 2 usage error, unknown name or context.",
    ]
)


@click.group(cls=KGGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="hormone-kg")
@common_options
def cli() -> None:
    """Ask a curated, citable knowledge graph of hormonal mechanisms (the help text is :data:`HELP`)."""


context_option = click.option(
    "--context",
    "-c",
    metavar="C",
    help='Population ("women", "postmenopausal women"; see `contexts`) or qualifiers "sex=male,tissue=bone".',
)
tsv_option = click.option(
    "--tsv",
    is_flag=True,
    expose_value=False,
    callback=_set_flag("tsv"),
    help="Print the table as tab-separated values (a header line, then one line per row).",
)
max_length_option = click.option(
    "--max-length",
    "-n",
    type=int,
    default=MAX_LENGTH,
    show_default=True,
    help=f"Longest path, in steps (1–{MAX_LENGTH_LIMIT}).",
)
reach_limit_option = click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Show only the nearest N entities (default: all)."
)


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
