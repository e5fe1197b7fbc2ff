"""Issue 9: fuzzing (hypothesis, bounded) — parser, resolver, query inputs and the loader raise only KGError."""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.sources.curation import parse_text

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_BUNDLED: kg.KnowledgeGraph | None = None


def _g() -> kg.KnowledgeGraph:
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED = kg.load()
    return _BUNDLED


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=30))
blocks = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "subject",
            "predicate",
            "object",
            "sources",
            "evidence",
            "context",
            "label",
            "category",
            "negated",
            "sign",
            "magnitude",
            "reaction",
            "measure",
            "intervention",
            "direction",
            "title",
            "verified",
            "qualifiers",
            "junk",
        ]
    ),
    st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=3)),
    max_size=8,
)
documents = st.dictionaries(
    st.sampled_from(["entities", "statements", "findings", "sources", "populations", "regimens", "unverifiable", "x"]),
    st.one_of(scalars, st.lists(blocks, max_size=3)),
    max_size=4,
)


@FUZZ
@given(st.text(max_size=300))
def test_parser_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(kg.KGError):
        parse_text(text, "fuzz.yaml")


@FUZZ
@given(documents)
def test_loader_on_structured_garbage(tmp_path: Path, doc: dict) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with contextlib.suppress(kg.KGError):
        kg.load(extra=[path])


@FUZZ
@given(st.binary(max_size=200), st.sampled_from([".yaml", ".ttl", ".nt", ".jsonld"]))
def test_loader_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(kg.KGError):
        kg.load(extra=[path])


@FUZZ
@given(st.text(max_size=40))
def test_resolver_on_arbitrary_names(name: str) -> None:
    try:
        entity = _g().resolve(name)
    except kg.UnknownEntityError as err:
        assert isinstance(err.suggestions, tuple)
    else:
        assert entity.id in _g().entities


names = st.one_of(st.sampled_from(["anastrozole", "E2", "BMD", "LH", "osteoclast", "CHEBI:2704"]), st.text(max_size=15))
contexts = st.one_of(
    st.none(),
    st.sampled_from(["postmenopausal women", "men", "older men with low testosterone", "nobody"]),
    st.dictionaries(
        st.sampled_from(["sex", "tissue", "population", "species", "bogus"]),
        st.one_of(st.sampled_from(["male", "female", "UBERON:0002481", "pop:men", "x"]), st.integers()),
        max_size=2,
    ),
)


@FUZZ
@given(names, names, contexts, st.integers(-2, 14), st.sampled_from([None, 1, -1, 0, "x"]))
def test_queries_on_arbitrary_input(src: str, dst: str, context: object, max_length: int, sign: object) -> None:
    g = _g()
    try:
        g.causal_paths(src, dst, context=context, max_length=max_length, sign=sign, limit=5)  # type: ignore[arg-type]
        g.effect(src, dst, context=context)  # type: ignore[arg-type]
        g.downstream(src, context=context, max_length=max(1, min(max_length, 4)))  # type: ignore[arg-type]
    except kg.KGError:
        pass
