"""``kg.load()``: the bundled graph (validated, cached) plus the user's own files.

The bundled curation is checked by the Python rules on every cold load and by the SHACL shapes once per
content hash: a marker in the cache folder (``$HORMONE_KG_CACHE``, default ``~/.cache/hormone-kg``)
records that exactly these bytes conformed, together with the parsed curation so that the next process
starts fast. A user file that fails raises with every violation and changes nothing.

>>> import kg
>>> g = kg.load()
>>> len(g.statements) > 0
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg import __version__
from kg.build import build_graph
from kg.errors import CurationError, ValidationError, Violation
from kg.graph import KnowledgeGraph
from kg.model import Curation
from kg.ontology import ontology_dir
from kg.sources import bundled_files, load_bundled, parse_file, read_text
from kg.validate import check_curation, shacl_violations

__all__ = [
    "bundled_curation",
    "bundled_key",
    "cache_dir",
    "load",
    "read_extra",
    "record_shacl_conformance",
    "shacl_fingerprint",
]

_RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml"}
_memo: dict[str, Curation] = {}


def cache_dir() -> Path:
    """Where validated curations are cached (``$HORMONE_KG_CACHE`` or ``~/.cache/hormone-kg``)."""
    configured = os.environ.get("HORMONE_KG_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "hormone-kg"


def _fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _with_origins(violations: Sequence[Violation], cur: Curation) -> list[Violation]:
    out = []
    for v in violations:
        origin = cur.origins.get(v.focus)
        if origin and v.file is None:
            file, _, line = origin.rpartition(":")
            v = Violation(v.rule, v.focus, v.message, file, int(line) if line.isdigit() else None)
        out.append(v)
    return out


def bundled_key() -> str:
    """A hash of everything the validated bundled curation depends on (data, ontology, shapes, code)."""
    code = sorted(Path(__file__).resolve().parent.glob("*.py"))
    return _fingerprint([*bundled_files(), ontology_dir() / "hormone-kg.ttl", ontology_dir() / "shapes.ttl", *code])


def bundled_curation(*, use_cache: bool = True) -> Curation:
    """The bundled curation, validated (Python rules + SHACL), from the cache when it is current."""
    key = bundled_key()
    if use_cache and key in _memo:
        return _memo[key]
    cached = cache_dir() / f"bundled-{key}.pickle"
    if use_cache and cached.is_file():
        try:
            cur = pickle.loads(cached.read_bytes())  # noqa: S301 - our own cache file, keyed by content hash
            if isinstance(cur, Curation):
                _memo[key] = cur
                return cur
        except Exception:  # noqa: BLE001, S110 - a stale or broken cache is rebuilt below
            pass
    cur = load_bundled()
    violations = check_curation(cur)
    if not violations and shacl_fingerprint() != _recorded_shacl_fingerprint():
        violations = shacl_violations(build_graph(cur))
    if violations:
        raise ValidationError(_with_origins(violations, cur), what="the bundled graph")
    _memo[key] = cur
    if use_cache:
        _write_cache(cached, cur)
    return cur


#: where ``hormone-kg build`` records that the bundled files, as they are, conform to the SHACL shapes
SHACL_MARKER = "shacl-conforms.txt"


def shacl_fingerprint() -> str:
    """A hash of everything the SHACL verdict on the bundled graph depends on: data, ontology, shapes, builder."""
    here = Path(__file__).resolve().parent
    return _fingerprint(
        [*bundled_files(), ontology_dir() / "hormone-kg.ttl", ontology_dir() / "shapes.ttl", here / "build.py"]
    )


def _recorded_shacl_fingerprint() -> str | None:
    marker = Path(__file__).resolve().parent / "data" / SHACL_MARKER
    return marker.read_text(encoding="utf-8").strip() if marker.is_file() else None


def record_shacl_conformance() -> Path:
    """Run the SHACL shapes on the bundled graph and, if it conforms, record its fingerprint in ``kg/data``.

    Called by ``hormone-kg build``; a test checks the record is current. A later ``kg.load()`` on exactly these
    files skips the (slow) SHACL run but still applies every Python rule.
    """
    cur = load_bundled()
    violations = check_curation(cur) or shacl_violations(build_graph(cur))
    if violations:
        raise ValidationError(_with_origins(violations, cur), what="the bundled graph")
    marker = Path(__file__).resolve().parent / "data" / SHACL_MARKER
    marker.write_text(shacl_fingerprint() + "\n", encoding="utf-8")
    return marker


def _write_cache(path: Path, cur: Curation) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(pickle.dumps(cur, protocol=pickle.HIGHEST_PROTOCOL))
        Path(tmp.name).replace(path)
    except OSError:
        pass  # a read-only home is fine: we just validate again next time


def read_extra(path: str | os.PathLike[str]) -> Curation:
    """One user file: YAML in the curation format, or RDF (Turtle, N-Triples, JSON-LD) in the compiled shape."""
    p = Path(path)
    if not p.exists():
        raise CurationError([Violation("readable-file", str(p), "no such file", str(p))])
    if p.suffix.lower() in (".yaml", ".yml"):
        return parse_file(p)
    fmt = _RDF_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise CurationError([Violation("file-format", str(p), "expected .yaml/.yml or .ttl/.nt/.jsonld/.rdf", str(p))])
    text = read_text(p)
    from rdflib import Graph

    from kg.reader import read_graph

    graph = Graph()
    try:
        graph.parse(data=text, format=fmt)
    except Exception as err:  # rdflib raises many unrelated types for bad input
        line = getattr(err, "lines", None)
        raise CurationError(
            [Violation("rdf-syntax", str(p), f"malformed {fmt}: {str(err).splitlines()[0][:300]}", str(p), line)]
        ) from err
    cur = read_graph(graph, str(p))
    return Curation(**{f: getattr(cur, f) for f in _FIELDS}, origins={k: f"{p}:?" for k in _ids(cur)})


_FIELDS = ("entities", "statements", "findings", "sources", "unverifiable", "populations", "regimens")


def _ids(cur: Curation) -> list[str]:
    return [
        *(e.id for e in cur.entities),
        *(s.curie for s in cur.statements),
        *(f.curie for f in cur.findings),
        *(s.id for s in cur.sources),
    ]


def load(
    extra: Sequence[str | os.PathLike[str]] = (), *, validate: bool = True, endpoint: str | None = None
) -> KnowledgeGraph:
    """The bundled graph, plus the user's ``extra`` files, validated.

    Raises :class:`~kg.errors.ValidationError` (a :class:`~kg.errors.KGError`) listing every violation if
    an extra file is malformed or breaks a rule; nothing already loaded is changed.

    ``endpoint=URL`` loads the graph stored in a SPARQL 1.1 endpoint instead (see :mod:`kg.remote`: fetched
    with CONSTRUCT queries, checked, cached per URL in this process); ``g.sparql`` then runs on the endpoint.
    Raises :class:`~kg.errors.EndpointError` if the endpoint is down or answers garbage.

    >>> import kg
    >>> kg.load().resolve("anastrozole").id
    'CHEBI:2704'
    """
    if isinstance(extra, str | os.PathLike):
        extra = [extra]
    if not isinstance(extra, Sequence) or not all(isinstance(p, str | os.PathLike) for p in extra):
        raise CurationError([Violation("file-list", repr(extra)[:80], "extra must be a list of file paths")])
    if endpoint is not None:
        if extra:
            raise ValidationError(
                [
                    Violation(
                        "load-arguments",
                        "extra",
                        "extra files cannot be combined with endpoint=: push them "
                        "to the endpoint first (kg.remote.push) or load them without an endpoint",
                    )
                ],
                what="kg.load arguments",
            )
        from kg.remote import fetch

        return KnowledgeGraph(fetch(endpoint, validate=validate), endpoint=endpoint)
    if extra:
        from kg.scale import load_large, use_fast_path

        if use_fast_path(extra):  # big RDF files: pyoxigraph + compiled index, the same rules without SHACL
            return load_large(extra, validate=validate)
    base = bundled_curation()
    if not extra:
        return KnowledgeGraph(base)
    added = Curation()
    for path in extra:
        added = added.merged(read_extra(path))
    merged = base.merged(added).canonical()
    if not validate:
        return KnowledgeGraph(merged)
    violations = check_curation(merged)
    if not violations:
        # the SHACL shapes run on what the user added plus everything it refers to (the rest was checked)
        violations = shacl_violations(build_graph(_closure(added, merged)))
    if violations:
        names = ", ".join(str(p) for p in extra)
        raise ValidationError(_with_origins(violations, merged), what=names)
    return KnowledgeGraph(merged)


def _closure(added: Curation, merged: Curation) -> Curation:
    """``added`` plus the records of ``merged`` it refers to (entities, sources, populations, regimens)."""
    refs: set[str] = set()
    for st in added.statements:
        refs.update((st.subject, st.object, *st.sources, *st.context.values()))
    for f in added.findings:
        refs.update(x for x in (f.intervention, f.measure, f.site, f.population, f.regimen, f.comparator) if x)
        refs.update(f.sources)
    for e in added.entities:
        refs.update((*e.broader, e.id))
    for r in added.regimens:
        refs.add(r.drug)
    entity_ids = {e.id for e in added.entities}
    source_ids = {s.id for s in added.sources}
    return Curation(
        entities=added.entities + tuple(e for e in merged.entities if e.id in refs and e.id not in entity_ids),
        statements=added.statements,
        findings=added.findings,
        sources=added.sources + tuple(s for s in merged.sources if s.id in refs and s.id not in source_ids),
        unverifiable=added.unverifiable,
        populations=added.populations + tuple(p for p in merged.populations if p.id in refs),
        regimens=added.regimens + tuple(r for r in merged.regimens if r.id in refs),
    )
