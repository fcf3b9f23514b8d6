"""THE SEAM: what a search asks of the engine that holds a build's passages.

The Searcher talks to an engine through these three objects only, so another
engine (numpy / pyroaring arrays, issue 12) can be put behind them and checked
against this one by tests/engine/test_contract.py:

- `Engine`: writes its part of a build (`writer`) and opens it (`open`);
- `EngineIndex`: one opened build, shared by threads; hands each thread an
  `EngineSearcher`, and lists words it holds, its Latin and digit words among
  them (for spelling suggestions; CJK ones are found in the passages' text);
- `EngineSearcher`: runs a query plan (`indexer.query.plan.ParsedQuery`) under a
  request's filters: the best N passages, the exact total, every facet's counts
  (each under the other filters), or the passages in date order; the passages
  that match only some of the terms, apart; and reads a passage's stored record.

What matches: a passage matches a plan when it holds every top-level term (in
one of its spellings or other names, `indexer.query.plan.Unit`) and none of
the excluded ones: what Ctrl-F over the folded text would find. Totals, facets
and date orders count those alone. A passage that holds some of the terms, or
some of the words of a long term, is a partial match: asked for apart
(`EngineSearcher.partial`, when `ParsedQuery.has_partials`), counted apart,
never in facets.

Passages are numbered by the engine (0 … passages-1 of the opened build); a
number means nothing outside the EngineIndex that gave it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.engine.deadline import Deadline
from indexer.index.records import PassageRecord
from indexer.models import SearchRequest
from indexer.query.plan import ParsedQuery


@dataclass
class Run:
    """What one run of a plan found.

    `best`: (score, passage number) of the best `limit` passages that pass every
    filter, best first in the engine's order; the score is what the second stage
    (`indexer.search.rank`) scales (BM25, and COORD per term for partial matches).
    For a date-ordered request, the first `limit` in that order, with score 0. `total`: passages that match and pass every filter.
    `counts`: facet → value → passages, each facet under every filter but its own.
    `complete`: False when the deadline stopped the run; the rest is what it found.
    """

    best: list[tuple[float, int]]
    total: int
    counts: dict[str, Counter]
    complete: bool = True


class EngineWriter(Protocol):
    def delete(self, doc_id: str) -> None: ...
    def add(self, records: Iterable[PassageRecord]) -> None: ...
    def commit(self) -> None: ...
    def cancel(self) -> None: ...


class EngineSearcher(Protocol):
    def size(self, plan: ParsedQuery, request: SearchRequest) -> int:
        """The plan's clauses once expanded (for `indexer.query.limits`)."""

    def cost(self, plan: ParsedQuery, request: SearchRequest) -> int:
        """Postings a run of the plan reads at most (for the long-search gate)."""

    def run(self, plan: ParsedQuery | None, request: SearchRequest, limit: int,
            deadline: Deadline | None = None) -> Run:
        """The plan under the request's filters and order; `plan` None: every passage."""

    def partial(self, plan: ParsedQuery, request: SearchRequest, limit: int,
                deadline: Deadline | None = None) -> Run:
        """The passages that match some of the plan but not all of it (see above) under
        the request's filters: the best `limit` (most terms first) and how many they
        are; `counts` stays empty."""

    def count(self, plan: ParsedQuery, request: SearchRequest, deadline: Deadline | None = None) -> int:
        """How many passages the plan matches under the request's filters."""

    def stored(self, number: int) -> dict:
        """The stored record of a passage: doc_id, passage_id, title, heading, text,
        date, city, prior."""

    def close(self) -> None: ...


class EngineIndex(Protocol):
    def searcher(self) -> EngineSearcher:
        """A searcher for the calling thread (searchers are not shared between threads)."""

    def words(self) -> Iterator[str]:
        """Words the build holds: at least every Latin and digit word of its passages'
        text, alone or inside longer words (2014iclei); what else is ignored."""

    def warm(self) -> None:
        """Read ahead what the first search would."""


class Engine(Protocol):
    name: str
    # How many of a run's best the second stage reorders (indexer.weights.RERANK_DEPTH).
    rerank_depth: int
    # Whether the engine's own order already is the second stage's for one term as
    # written (no other names): nothing is left for the second stage to reorder.
    ranks_one_term: bool
    # The folder of a build whose files the engine memory-maps (None: none): a file
    # truncated under a running server would kill it (SIGBUS) on the next read, so
    # the Searcher checks their sizes before every search.
    mapped: str | None
    # Whether an opened index may be inherited by forked server workers: it reads its
    # files through memory maps only, never through a file offset the processes would share.
    shares_after_fork: bool

    def settings(self) -> dict:
        """What the engine's part of a build depends on (versions); a change means rebuild."""

    def writer(self, build: Path, base: Path | None, reports: int) -> EngineWriter:
        """A writer of this engine's part of `build`, starting from `base`'s (None: empty),
        about to add the passages of `reports` reports (all deletions come first)."""

    def open(self, build: Path) -> EngineIndex:
        """The engine's part of `build`, opened; any error means the build is damaged."""
