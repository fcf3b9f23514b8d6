"""What one search may cost in time: a deadline, and one long search at a time per process.

A query of 200 characters can still ask for thirty common characters joined by
OR, or a hundred one-character terms; Whoosh's matchers are Python, so such a
query kept a worker busy for seconds and everyone else waited (docs/PERFORMANCE.md,
"Hostile queries"). Beside the cap on a query's size (`indexer.query.limits`), two bounds keep
every request short:

- `Deadline`: every posting a search reads ticks it (the engine calls `tick`),
  and past the deadline the search stops and answers with what it found so
  far, marked incomplete;
- `LongGate`: a search that reads many postings (over `GATED_POSTINGS`) and is
  still running after `LONG_AFTER` seconds waits for the process's one slot for
  long searches (or for its deadline, whichever comes first) before it reads
  on. Long searches then take turns, and the Python lock stays free enough for
  short searches on the other threads. Both conditions matter: a short search
  slowed down by the others must not queue behind them (measured: p95 of short
  searches under attack 1.17 s when it did), and a search is only held back once
  it has proved long.
"""

from __future__ import annotations

import threading
import time

# A search running longer than this is long: at 200k passages a typical search
# takes 0.1-0.3 s, a hostile one seconds (docs/PERFORMANCE.md).
LONG_AFTER = 0.25
# Postings read at most by a search that may be held back (200k synthetic passages:
# 八代 25k, 熊本 29k; 30 common characters joined by OR 2.9M).
GATED_POSTINGS = 100_000
# Ticks between two looks at the clock: a tick is one posting step (~1-20 µs).
_CHECK_EVERY = 256


class SearchTimeout(Exception):
    """Raised inside matching when the deadline has passed; caught by the search."""


class LongGate:
    """The slots for long searches in this process (one by default)."""

    def __init__(self, slots: int = 1):
        self._slots = threading.BoundedSemaphore(slots)

    def acquire(self, timeout: float) -> bool:
        return self._slots.acquire(timeout=max(0.0, timeout))

    def release(self) -> None:
        self._slots.release()


class Deadline:
    """A point in time a search must stop at; `tick()` raises SearchTimeout after it.

    With a `gate`, a search still running `long_after` seconds in takes one of
    the gate's slots before it goes on, waiting at most until the deadline;
    `close()` gives the slot back.
    """

    def __init__(self, seconds: float, gate: LongGate | None = None, long_after: float | None = None):
        now = time.monotonic()
        self.at = now + seconds
        self.expired = False
        self._left = _CHECK_EVERY
        self._gate = gate
        self._long_at = now + (LONG_AFTER if long_after is None else long_after)
        self.holds_slot = False

    def tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._left = _CHECK_EVERY
            self._look()

    def check(self) -> None:
        """Look at the clock now (for engines whose steps are few and long)."""
        self._look()

    def _look(self) -> None:
        now = time.monotonic()
        if self.expired or now >= self.at:
            self.expired = True
            raise SearchTimeout
        if self._gate is not None and not self.holds_slot and now >= self._long_at:
            if not self._gate.acquire(timeout=self.at - now):
                self.expired = True
                raise SearchTimeout
            self.holds_slot = True

    def close(self) -> None:
        if self.holds_slot:
            self.holds_slot = False
            self._gate.release()
