"""The bounds every question shares, defined once (the engine, the methods, the CLI and the view use these).

>>> MAX_LENGTH, MAX_LENGTH_LIMIT, LOOP_LENGTH, LIMIT
(6, 12, 8, 50)
"""

__all__ = ["LIMIT", "LOOP_LENGTH", "MAX_LENGTH", "MAX_LENGTH_LIMIT"]

#: default ``max_length`` of a path question (steps), and the largest allowed
MAX_LENGTH, MAX_LENGTH_LIMIT = 6, 12
#: default longest feedback loop (steps)
LOOP_LENGTH = 8
#: default number of paths ``causal_paths`` returns
LIMIT = 50
