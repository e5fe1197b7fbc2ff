"""How much work one search may do: counted in expansions, so an answer never depends on the machine.

Every search charges the walks it extends (one per edge tried, one per person alternative) to a
:class:`Budget`; past its allowance the search stops and its answer says ``truncated``. The same query on
the same graph is therefore cut at the same place on a fast machine, a slow one and a busy one. A
wall-clock ``timeout`` exists only as an opt-in safety for interactive use: when it fires the answer says
so (``timed_out``), and it is never on by default.

>>> b = Budget(10)
>>> b.spend(4), b.spend(6), b.spend(1), b.exhausted, b.timed_out
(True, True, False, True, False)
"""

from __future__ import annotations

import logging
import time

from kg.limits import DEFAULT_WORK, REACH_WORK

__all__ = ["DEFAULT_WORK", "MAX_PATHS", "REACH_WORK", "Budget"]

log = logging.getLogger(__name__)

#: Paths of one length a path search keeps before it stops as truncated.
MAX_PATHS = 20_000


class Budget:
    """Expansions left for one search, and an optional wall-clock timeout (opt-in, off by default)."""

    def __init__(self, work: int = DEFAULT_WORK, timeout: float | None = None) -> None:
        self.work = work
        self.left = work
        self.exhausted = False
        self.timed_out = False
        self._deadline = None if timeout is None else time.perf_counter() + timeout

    def spend(self, n: int = 1) -> bool:
        """Charge ``n`` expansions; False (and ``exhausted``) once the allowance or the timeout is gone."""
        self.left -= n
        if self.left < 0:
            if not self.exhausted:
                log.debug("search stopped: its work budget of %d expansions is spent", self.work)
            self.exhausted = True
        elif self._deadline is not None and not self.timed_out and time.perf_counter() > self._deadline:
            log.debug("search stopped: its timeout passed (answer timed out)")
            self.exhausted = self.timed_out = True
        return not self.exhausted

    def stop(self) -> None:
        """Mark the search as stopped early by its budget (it kept only part of what it would have found)."""
        if not self.exhausted:
            log.debug("search stopped: its work budget of %d expansions is spent", self.work)
        self.exhausted = True
