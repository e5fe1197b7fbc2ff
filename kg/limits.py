"""The bounds every question shares, defined once (the engine, the methods, the CLI and the view use these).

>>> MAX_LENGTH, MAX_LENGTH_LIMIT, LOOP_LENGTH, LIMIT
(6, 12, 8, 50)
"""

__all__ = ["DEFAULT_WORK", "LIMIT", "LOOP_LENGTH", "MAX_LENGTH", "MAX_LENGTH_LIMIT", "REACH_WORK"]

#: default ``max_length`` of a path question (steps), and the largest allowed
MAX_LENGTH, MAX_LENGTH_LIMIT = 6, 12
#: default longest feedback loop (steps)
LOOP_LENGTH = 8
#: default number of paths ``causal_paths`` returns
LIMIT = 50
#: Expansions one path or loop search may make by default (a search over the bundled graph makes a few thousand).
DEFAULT_WORK = 2_000_000
#: Expansions one reach search (downstream / upstream) may make by default. Its expansions are elements of
#: numpy arrays, tens of nanoseconds each, against about a microsecond for a path search's (measured in
#: docs/benchmarks.md: 10 M of them took 0.43 s on a 10,000-statement graph).
REACH_WORK = 10_000_000
