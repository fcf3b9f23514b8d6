"""What one search may cost: a cap on the query's size, a deadline, and one
heavy search at a time per process.

A query of 200 characters can still ask for fifty common characters joined by
OR, or a hundred one-character terms; Whoosh's matchers are Python, so such a
query kept a worker busy for seconds and everyone else waited (docs/PERFORMANCE.md,
"Hostile queries"). Three bounds keep every request short:

- `check_size`: a query with more terms, or more clauses once spellings and
  aliases are expanded, than a person types is refused (BadRequest, saying what
  to shorten);
- `Deadline`: every posting a search reads ticks it, and past the deadline the
  search stops and answers with what it found so far, marked incomplete (the
  time waiting for a heavy slot counts too);
- `HeavyGate`: a search whose terms occur in more passages than `HEAVY_POSTINGS`
  waits for the process's one heavy slot, so the other threads stay free for
  cheap searches; one that cannot get it soon is refused as Busy (HTTP 503).
"""

from __future__ import annotations

import threading
import time

from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.searching import Searcher as WhooshSearcher

from .errors import BadRequest, Busy

MAX_TERMS = 32  # terms and phrases of one query, as typed
MAX_CLAUSES = 512  # whoosh clauses once spellings, aliases, words, headings and titles are added
# A search reading more postings than this is heavy (at 200k passages a common
# character alone has ~100k; 八代 has a few thousand).
HEAVY_POSTINGS = 60_000
# Ticks between two looks at the clock: a tick is one posting step (~1-20 µs).
_CHECK_EVERY = 256


class SearchTimeout(Exception):
    """Raised inside matching when the deadline has passed; caught by the search."""


class Deadline:
    """A point in time a search must stop at; `tick()` raises SearchTimeout after it.

    >>> d = Deadline(0.0); d.expired
    False
    """

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.expired = False
        self._left = _CHECK_EVERY

    def tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._left = _CHECK_EVERY
            if self.expired or time.monotonic() >= self.at:
                self.expired = True
                raise SearchTimeout


class BoundedSearcher(WhooshSearcher):
    """A whoosh searcher whose every postings matcher ticks `deadline` (None: no deadline).

    Every leaf of every query (phrases and spans included) reads its postings
    through `postings()`, so one place bounds them all, also the loops inside a
    matcher's `next()` (an intersection skipping, a phrase checking positions).
    """

    def __init__(self, reader, *args, parent=None, **kwargs):
        # Set before whoosh makes the per-segment searchers, which share the root's deadline.
        self._root = parent._root if parent is not None else self
        self.deadline: Deadline | None = None
        super().__init__(reader, *args, parent=parent, **kwargs)

    def postings(self, fieldname, text, weighting=None, qf=1):
        matcher = super().postings(fieldname, text, weighting=weighting, qf=qf)
        deadline = self._root.deadline
        return matcher if deadline is None else _Ticking(matcher, deadline)


class _Ticking(WrappingMatcher):
    """The child matcher, ticking a Deadline at every step."""

    def __init__(self, child, deadline: Deadline):
        super().__init__(child)
        self.deadline = deadline

    def copy(self):
        return _Ticking(self.child.copy(), self.deadline)

    def _replacement(self, newchild):
        return _Ticking(newchild, self.deadline)

    def next(self):
        self.deadline.tick()
        return self.child.next()

    def skip_to(self, id):
        self.deadline.tick()
        return self.child.skip_to(id)

    def skip_to_quality(self, minquality):
        self.deadline.tick()
        return self.child.skip_to_quality(minquality)

    def all_ids(self):
        for docnum in self.child.all_ids():
            self.deadline.tick()
            yield docnum


def clause_count(q: wq.Query) -> int:
    """Leaves of a whoosh query: terms and phrases (a phrase's length is bounded
    by the query's), but for the report ids that limit an alias to the reports
    defining it (not typed, so not counted)."""
    if isinstance(q, wq.Term):
        return int(q.fieldname != "doc_id")
    if isinstance(q, wq.Phrase):
        return 1
    return sum(clause_count(child) for child in q.children())


def check_size(terms: int, clauses: int) -> None:
    """BadRequest when a query is larger than any a person types."""
    if terms > MAX_TERMS:
        raise BadRequest(
            f"查詢的詞太多（{terms} 個，最多 {MAX_TERMS} 個）。Too many terms in the query "
            f"({terms}; at most {MAX_TERMS}): remove some words, or put a phrase in quotes.")
    if clauses > MAX_CLAUSES:
        raise BadRequest(
            f"查詢展開後太大，請減少詞或 OR。The query expands to {clauses} clauses (at most "
            f"{MAX_CLAUSES}) once spellings and other names are added: use fewer terms or fewer OR.")


def postings_cost(reader, q: wq.Query) -> int:
    """How many postings running `q` reads, at most (document frequencies summed)."""
    if isinstance(q, wq.Term):
        return reader.doc_frequency(q.fieldname, q.text)
    if isinstance(q, wq.Phrase):
        return sum(reader.doc_frequency(q.fieldname, w) for w in q.words)
    return sum(postings_cost(reader, child) for child in q.children())


class HeavyGate:
    """One heavy search at a time in this process; others wait up to `wait` seconds,
    or less when their deadline comes first."""

    def __init__(self, slots: int = 1, wait: float = 1.0):
        self._slots = threading.BoundedSemaphore(slots)
        self.wait = wait

    def enter(self, heavy: bool, deadline: Deadline | None = None) -> bool:
        """Take a slot if `heavy`; Busy if none frees in time. True if a slot was taken."""
        if not heavy:
            return False
        wait = self.wait if deadline is None else min(self.wait, deadline.at - time.monotonic())
        if not self._slots.acquire(timeout=max(0.0, wait)):
            raise Busy("搜尋量過大，請稍後再試。The server is busy with other large searches; "
                       "try again in a few seconds, or narrow the query.")
        return True

    def leave(self, taken: bool) -> None:
        if taken:
            self._slots.release()
