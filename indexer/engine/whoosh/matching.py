"""One run of a query: every matching document and the best N by score.

A search needs both: every match, for the exact total and the facets, and the
best N that pass the filters, for ranking. The score is whoosh's for
`AndMaybe(required, optional)`: `required` decides what matches (the soft AND
of the query's terms), `optional` only adds (the terms in headings and titles,
their jieba words). Whoosh evaluates the optional part at every match, which
costs as much again, while at 200k passages a soft-AND query matches tens of
thousands of passages of which only the best N are shown. So the required
part is run once over everything, and the optional part only where it can
change the best N: for the best N by required score, then for the matches whose
required score plus the most the optional part can add (`bound`) still reaches
the N-th best total. The best N are the same as when every match is scored in
full (tests/engine/test_whoosh_engine.py, scripts/ab_search.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.collectors import ScoredCollector

from indexer.engine.deadline import SearchTimeout

# Bounds are computed from whoosh's own per-term maxima; this margin covers
# rounding in the sums.
_MARGIN = 1e-6


class _Matches(ScoredCollector):
    """Records every matching document, and the required score of those that pass `keep`."""

    def __init__(self, keep):
        super().__init__(replace=0)  # replacing sub-matchers could drop matches
        self.keep = keep
        self.docnums: list[int] = []
        self.scored: list[tuple[float, int]] = []

    def collect(self, sub_docnum):
        docnum = self.offset + sub_docnum
        self.docnums.append(docnum)
        if self.keep(docnum):
            self.scored.append((self.matcher.score(), docnum))
        return 0


@dataclass
class Matches:
    docnums: list[int]  # every match, whatever the filters
    best: list[tuple[float, int]]  # (score, docnum) of the best `limit` that pass the filters, best first
    complete: bool = True  # False: the deadline stopped the search; the above is what it found


def run(searcher, required: wq.Query, optional: wq.Query | None, keep, limit: int) -> Matches:
    """Every document matching `required`, and the best `limit` of those that
    pass `keep`, scored as `AndMaybe(required, optional)`; ties by document number.

    When the searcher's deadline (indexer.engine.deadline) passes, the matches found so far
    are ranked instead, with `complete` False."""
    collector = _Matches(keep)
    try:
        searcher.search_with_collector(required, collector)
        return Matches(collector.docnums, _best(searcher, collector.scored, optional, limit))
    except SearchTimeout:
        # Out of time (only a BoundedSearcher raises it): what was found, by the required
        # part's score alone, since scoring the optional part would take as long again.
        return Matches(collector.docnums, _order(collector.scored)[:limit], complete=False)


def _order(pairs: list[tuple[float, int]]) -> list[tuple[float, int]]:
    # whoosh's top-N order: higher score first, then lower document number
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))


def _best(searcher, scored, optional, limit):
    ranked = _order(scored)
    if optional is None or not ranked:
        return ranked[:limit]
    head = ranked[:limit]
    extra = optional_scores(searcher, optional, [d for _, d in head])
    best = _order([(s + extra[d], d) if d in extra else (s, d) for s, d in head])
    if len(ranked) <= limit:
        return best
    threshold = best[-1][0]
    most = bound(searcher, optional)
    rest = []
    for s, d in ranked[limit:]:
        if s + most < threshold:
            break  # ranked by required score: no later match can reach the best N either
        rest.append((s, d))
    if not rest:
        return best
    extra = optional_scores(searcher, optional, [d for _, d in rest])
    return _order(best + [(s + extra[d], d) if d in extra else (s, d) for s, d in rest])[:limit]


def optional_scores(searcher, q: wq.Query, docnums: list[int]) -> dict[int, float]:
    """{docnum: score of `q`} for those of `docnums` that `q` matches."""
    scores: dict[int, float] = {}
    wanted = sorted(docnums)
    i = 0
    context = searcher.context(needs_current=True)  # a matcher that can skip, not an array read ahead
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = []
        while i < len(wanted) and wanted[i] < end:
            local.append(wanted[i] - offset)
            i += 1
        if not local:
            continue
        m = q.matcher(sub, context)
        for doc in local:
            if not m.is_active():
                break
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    break
            if m.id() == doc:
                scores[doc + offset] = m.score()
    return scores


def bound(searcher, q: wq.Query) -> float:
    """The most `q` can score on any document (math.inf when not known)."""
    return max((_bound(sub, q) for sub, _ in searcher.leaf_searchers()), default=0.0) + _MARGIN


def _bound(sub, q: wq.Query) -> float:
    boost = max(1.0, getattr(q, "boost", 1.0))
    if isinstance(q, wq.Term):
        if (q.fieldname, q.text) not in sub.reader():
            return 0.0
        scorer = sub.weighting.scorer(sub, q.fieldname, q.text)
        return scorer.max_quality() * boost
    if isinstance(q, wq.Phrase):  # scored as the intersection of its words
        return sum(_bound(sub, wq.Term(q.fieldname, w)) for w in q.words) * boost
    if isinstance(q, (wq.Or, wq.And)):
        return sum(_bound(sub, child) for child in q.subqueries) * boost
    if isinstance(q, wq.AndNot):
        return _bound(sub, q.a)
    if isinstance(q, wq.ConstantScoreQuery):
        return q.score
    return math.inf
