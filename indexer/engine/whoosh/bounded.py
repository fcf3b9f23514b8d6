"""The whoosh engine's side of a search's budget (`indexer.engine.deadline`):
every postings matcher ticks the search's Deadline, and the size and cost of
a whoosh query are measured."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.searching import Searcher as WhooshSearcher

from indexer.engine.deadline import Deadline


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


def postings_cost(reader, q: wq.Query) -> int:
    """How many postings running `q` reads, at most (document frequencies summed)."""
    if isinstance(q, wq.Term):
        return reader.doc_frequency(q.fieldname, q.text)
    if isinstance(q, wq.Phrase):
        return sum(reader.doc_frequency(q.fieldname, w) for w in q.words)
    return sum(postings_cost(reader, child) for child in q.children())
