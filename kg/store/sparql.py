"""``g.sparql(query, **bindings)``: read-only SPARQL on the embedded graph or on the graph's endpoint.

Only SELECT, ASK and CONSTRUCT queries run; an update (INSERT, DELETE, DROP, LOAD, CLEAR...) or a DESCRIBE is
refused with :class:`~kg.errors.QueryError`, and so is a malformed query (with the parser's message).

Rows are ``dict[str, Any]``, one per solution, with every projected variable as a key:

- an IRI becomes a **string**: its CURIE when a registered prefix covers it (``"CHEBI:2704"``), else the full
  IRI; a blank node becomes ``"_:id"``;
- a literal becomes its Python value: ``str`` (language tags are dropped), ``int``, ``float`` (also for
  ``xsd:decimal``), ``bool``, ``datetime.date``...; an unknown datatype gives the lexical form;
- an unbound variable is ``None``.

ASK gives ``[{"ask": True}]`` or ``[{"ask": False}]``; CONSTRUCT gives one row per triple with the keys
``subject``, ``predicate``, ``object``, sorted.

Bindings are values for variables of the query and are **never pasted into the query text**: on the embedded
graph they are rdflib ``initBindings``; on an endpoint they become a trailing ``VALUES`` block whose terms are
serialised by :func:`sparql_term` (checked IRIs, escaped literals). A string that is a CURIE with a registered
prefix, or an absolute ``http(s)`` IRI, is bound as an IRI; any other string as a plain literal; numbers and
booleans as typed literals; pass an ``rdflib.URIRef`` or ``rdflib.Literal`` to choose yourself. A binding for a
variable that the query does not mention is an error (a misspelt name would otherwise be ignored).

The project prefixes (``CHEBI:``, ``hkg:``, ``stmt:``, ``rdfs:``, ``dcterms:``...) are predeclared; a query may
redeclare them.

>>> import kg
>>> g = kg.load()
>>> rows = g.sparql("SELECT ?drug WHERE { ?drug hkg:inhibits ?enzyme }", enzyme="HGNC:2594")
>>> "CHEBI:2704" in {row["drug"] for row in rows}
True
>>> g.sparql("ASK { ?x rdfs:label ?name }", name="anastrozole")
[{'ask': True}]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Identifier, Node, Variable

from kg.errors import KGError, QueryError
from kg.prefixes import PREFIXES, CurieError, compress, expand, is_curie
from kg.store.remote import ask, construct, json_term, select

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

    from kg.store.store import Store

__all__ = [
    "NAMESPACES",
    "example_queries",
    "load_query",
    "prepare",
    "run_query",
    "sparql_term",
    "to_python",
    "to_term",
]

#: Prefixes every query may use without declaring them (the project's, plus the W3C ones it uses).
NAMESPACES: dict[str, str] = {
    **PREFIXES,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "prov": "http://www.w3.org/ns/prov#",
}

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT"}
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_ABSOLUTE_IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")
#: SPARQL ECHAR escapes; tabs too, because rdflib's parser (pyparsing) expands raw tabs to spaces.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"


# ---------------------------------------------------------------------------------------------- parsing
def prepare(query: str, *, local: bool = True) -> tuple[str, Query]:
    """Parse ``query`` and check that it may run: returns ``(form, parsed)``, form SELECT / ASK / CONSTRUCT.

    Raises :class:`~kg.errors.QueryError` for a malformed query (with the parser's message), an update, a
    DESCRIBE and, on the embedded graph (``local``), a ``FROM`` clause or a ``SERVICE`` call, which would make
    rdflib fetch data from the network.

    >>> prepare("SELECT ?s WHERE { ?s a hkg:Drug }")[0]
    'SELECT'
    >>> prepare("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: g.sparql is read-only: SPARQL updates (INSERT, DELETE, DROP, LOAD, CLEAR...) are refused
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not isinstance(query, str):
        raise QueryError(f"a SPARQL query is text, not {type(query).__name__}")
    if not re.sub(r"(?m)#.*$", "", query).strip():
        raise QueryError("empty SPARQL query")
    try:
        parsed = parseQuery(query)
    except ParseBaseException as err:
        try:
            parseUpdate(query)
        except Exception:  # noqa: BLE001 - not an update either: report the query parser's message
            raise QueryError(f"malformed SPARQL query: {err}") from None
        raise QueryError(
            "g.sparql is read-only: SPARQL updates (INSERT, DELETE, DROP, LOAD, CLEAR...) are refused"
        ) from None
    except Exception as err:  # noqa: BLE001 - pyparsing may raise other errors on odd input
        raise QueryError(f"malformed SPARQL query: {err}") from None
    form = _FORMS.get(parsed[1].name)
    if form is None:
        raise QueryError(f"only SELECT, ASK and CONSTRUCT queries are allowed, not {parsed[1].name[:-5].upper()}")
    if local and "datasetClause" in parsed[1]:
        raise QueryError("FROM / FROM NAMED clauses are not supported on the embedded graph (nothing is fetched)")
    try:
        prepared = translateQuery(parsed, initNs=NAMESPACES)
    except Exception as err:  # noqa: BLE001 - rdflib raises bare Exception for unknown prefixes
        raise QueryError(f"malformed SPARQL query: {err}") from None
    if local:
        services: list[str] = []

        def visit(node: Any) -> None:
            if getattr(node, "name", None) == "ServiceGraphPattern":
                services.append(str(node["term"]) if "term" in node else "SERVICE")

        traverse(prepared.algebra, visitPost=visit)
        if services:
            raise QueryError(f"SERVICE calls are not allowed on the embedded graph (found {services[0]})")
    return form, prepared


# ---------------------------------------------------------------------------------------------- terms
def to_term(name: str, value: Any) -> Identifier:
    """The RDF term a binding value stands for (see the module docstring for the rules).

    >>> to_term("drug", "CHEBI:2704")
    rdflib.term.URIRef('http://purl.obolibrary.org/obo/CHEBI_2704')
    >>> to_term("name", "} ; DROP ALL ; {")
    rdflib.term.Literal('} ; DROP ALL ; {')
    """
    if not _VARNAME.match(name):
        raise QueryError(f"{name!r} is not a SPARQL variable name")
    if isinstance(value, URIRef):
        term: Identifier = value
    elif isinstance(value, Literal):
        term = value
    elif isinstance(value, BNode):
        raise QueryError(f"cannot bind ?{name} to a blank node")
    elif isinstance(value, bool | int | float | Decimal | datetime.date):
        term = Literal(value)
    elif isinstance(value, str):
        if is_curie(value):
            term = URIRef(expand(value))
        elif _ABSOLUTE_IRI.match(value):
            term = URIRef(value)
        else:
            term = Literal(value)
    else:
        raise QueryError(f"cannot bind ?{name} to a {type(value).__name__} (use str, int, float, bool or rdflib terms)")
    sparql_term(term)  # rejects IRIs and language tags that could not be written safely
    return term


def sparql_term(term: Identifier) -> str:
    r"""``term`` in SPARQL syntax, safe to place in a ``VALUES`` block (IRIs checked, literals escaped).

    >>> print(sparql_term(Literal('say "hi"\n')))
    "say \"hi\"\n"
    >>> sparql_term(URIRef("http://x/> } DROP ALL { <y"))
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: not a valid IRI: 'http://x/> } DROP ALL { <y'
    """
    if isinstance(term, URIRef):
        return f"<{_checked_iri(str(term))}>"
    if isinstance(term, Literal):
        text = str(term)
        escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{escaped}"^^<{_checked_iri(str(term.datatype))}>'
        return f'"{escaped}"'
    raise QueryError(f"cannot write {term!r} as a SPARQL term")


def _checked_iri(value: str) -> str:
    if not value or _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise QueryError(f"not a valid IRI: {value!r}")
    return value


def to_python(term: Node | None) -> Any:
    """A result term as a Python value: IRIs as CURIE (or IRI) strings, literals as their value.

    >>> to_python(URIRef("http://purl.obolibrary.org/obo/CHEBI_2704"))
    'CHEBI:2704'
    >>> to_python(Literal("-6.08", datatype=XSD.decimal))
    -6.08
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return compress(str(term))
        except CurieError:
            return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.datatype is None or term.datatype == XSD.string:
            return str(term)
        value = term.toPython()
        if isinstance(value, Literal):  # unknown datatype or ill-typed lexical form
            return str(term)
        if isinstance(value, Decimal):
            return float(value)
        return value
    return str(term)


# ---------------------------------------------------------------------------------------------- running
def run_query(g: Store, query: str, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Run a read-only query on ``g`` (its endpoint if it has one, else the embedded RDF), with ``bindings``.

    >>> import kg
    >>> rows = run_query(kg.load(), "SELECT ?label WHERE { ?x rdfs:label ?label }", {"x": "CHEBI:2704"})
    >>> rows
    [{'label': 'anastrozole'}]
    """
    endpoint = getattr(g, "endpoint", None)
    form, prepared = prepare(query, local=endpoint is None)
    terms = _bind(query, bindings)
    if endpoint is not None:
        return _run_remote(endpoint, form, query, terms)
    return _run_local(g, form, prepared, terms)


def _bind(query: str, bindings: Mapping[str, Any]) -> dict[str, Identifier]:
    terms: dict[str, Identifier] = {}
    for name, value in bindings.items():
        term = to_term(name, value)
        if not re.search(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])", query):
            raise QueryError(f"the query has no variable ?{name} to bind")
        terms[name] = term
    return terms


def _run_local(g: Store, form: str, prepared: Query, terms: dict[str, Identifier]) -> list[dict[str, Any]]:
    from rdflib.plugins.sparql.evaluate import evalQuery

    try:
        result = evalQuery(g.rdf, prepared, {Variable(k): v for k, v in terms.items()})
        if form == "ASK":
            return [{"ask": bool(result["askAnswer"])}]
        if form == "CONSTRUCT":
            return _triples_rows(result["graph"])
        names = [str(v) for v in result["vars_"]] if result.get("vars_") else []
        rows = []
        for solution in result["bindings"]:
            if not names:
                names = sorted(str(v) for v in solution)
            rows.append({n: to_python(solution.get(Variable(n))) for n in names})
        return rows
    except KGError:
        raise
    except Exception as err:
        raise QueryError(f"the query failed on the embedded graph: {err}") from err


def _triples_rows(graph: Any) -> list[dict[str, Any]]:
    rows = [{"subject": to_python(s), "predicate": to_python(p), "object": to_python(o)} for s, p, o in graph]
    return sorted(rows, key=lambda r: (str(r["subject"]), str(r["predicate"]), repr(r["object"])))


def _run_remote(endpoint: str, form: str, query: str, terms: dict[str, Identifier]) -> list[dict[str, Any]]:
    text = with_prefixes(query)
    tree = _parse_tree(query)[1]
    dataset = "datasetClause" not in tree  # FROM ...: the query names its graphs; else the endpoint's graph
    if terms:
        if "valuesClause" in tree:
            raise QueryError("bindings cannot be combined with a trailing VALUES clause: bind in the query instead")
        if re.search(r"\bGROUP\s+BY\b|\b(COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\s*\(|\{\s*SELECT\b", query, re.I):
            # a trailing VALUES block joins after grouping, so the binding would not restrict what is counted
            raise QueryError(
                "on an endpoint, bindings cannot be combined with aggregates or sub-queries: bind in the query instead"
            )
        names = list(terms)
        row = " ".join(sparql_term(terms[n]) for n in names)
        text = with_prefixes(_values_inside(query, form, f"VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"))
    if form == "ASK":
        return [{"ask": ask(endpoint, text, dataset=dataset)}]
    if form == "CONSTRUCT":
        return _triples_rows(construct(endpoint, text, dataset=dataset))
    answer = select(endpoint, text, dataset=dataset)
    names = [str(v) for v in answer["head"].get("vars", [])]
    return [{n: to_python(json_term(b.get(n))) for n in names} for b in answer["results"]["bindings"]]


def _values_inside(query: str, form: str, values: str) -> str:
    """``query`` with ``values`` placed first inside its WHERE group.

    There the binding restricts the pattern as the embedded graph's bindings do, on every server (Virtuoso
    refuses a trailing VALUES on a variable that is not projected).

    >>> _values_inside('SELECT ?x WHERE { ?x ?p "{" }', "SELECT", "VALUES ?p { <http://x/p> }")
    'SELECT ?x WHERE { VALUES ?p { <http://x/p> }  ?x ?p "{" }'
    """
    depth, groups, i, n = 0, 0, 0, len(query)
    skip_template = form == "CONSTRUCT" and not re.match(r"(?is).*?\bCONSTRUCT\s+WHERE\b", query)
    while i < n:
        ch = query[i]
        if ch == "#":
            i = query.find("\n", i) if "\n" in query[i:] else n
            continue
        if ch in "\"'":
            quote = ch * 3 if query.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
            continue
        if ch == "<":
            end = re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])
            if end:
                i += end.end()
                continue
        if ch == "{":
            if depth == 0 and not (skip_template and groups == 0):
                return query[: i + 1] + " " + values + " " + query[i + 1 :]
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                groups += 1
        i += 1
    raise QueryError("cannot find the query's WHERE group to bind its variables in")


def _parse_tree(query: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery

    return parseQuery(query)


def with_prefixes(query: str) -> str:
    """``query`` with ``PREFIX`` lines for the predeclared prefixes it does not declare itself.

    >>> with_prefixes("PREFIX hkg: <x:> ASK {}").count("PREFIX hkg:")
    1
    """
    declared = {m.group(1) or "" for m in _DECLARED.finditer(query)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in NAMESPACES.items() if p not in declared]
    return "\n".join([*lines, query])


# ---------------------------------------------------------------------------------------------- examples
@cache
def example_queries() -> dict[str, str]:
    """The documented example queries shipped in ``kg/queries/*.rq``, by name (file stem).

    >>> sorted(example_queries())[:2]
    ['drugs-lowering-estradiol', 'findings-by-population']
    """
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))}


def load_query(name: str) -> str:
    """The text of example query ``name`` (see :func:`example_queries`); unknown names raise QueryError."""
    queries = example_queries()
    if name not in queries:
        raise QueryError(f"no example query {name!r}; known: {', '.join(queries)}")
    return queries[name]
