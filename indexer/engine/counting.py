"""Facet counts and the exact total, from one pass over the matching passages.

Counting with whoosh's `groupedby` re-ran the whole query once per facet
(five times), and `len(results)` of a top-N search is not the exact number of
matches. Here the query is run once for its matching documents, and every
count is made from per-document values read once per opened index:

- a facet's counts apply every filter but its own (choosing another city
  shows what that city would give);
- the year facet (and the chart drawn from it) applies them all, the dates
  too, and counts each passage once, in `passage_year`: the bars are inside the
  date range and add up to the total, the passages the page lists;
- the total applies them all.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from indexer.index.records import LISTS
from indexer.models import SearchRequest
from indexer.text.dates import day_number


class Columns(Protocol):
    """Each passage's facet values, as lists indexed by passage number (an engine provides them)."""

    values: dict[str, list]


# facet → the request fields that filter on it
FACET_FILTERS = {"city": ("city",), "year": ("date_from", "date_to"), "kind": ("kind",),
                 "agency": ("agency",), "level": ("level",), "country": ("country",), "partner": ("partner",)}


def _filter_checks(cols: Columns, request: SearchRequest) -> dict:
    """{facet: document number → passes that facet's filter}, for the filters the request sets."""
    v = cols.values
    day_from, day_to = day_number(request.date_from), day_number(request.date_to)

    def date_ok(doc: int) -> bool:
        end = v["span_end"][doc]
        if not end:  # a report without any date matches no date filter
            return False
        return (day_to is None or v["span_start"][doc] <= day_to) and (day_from is None or end >= day_from)

    def any_of(facet: str, chosen: tuple[str, ...]):
        wanted, held = set(chosen), v[LISTS[facet]]
        return (lambda d: not wanted.isdisjoint(held[d])) if wanted else None

    checks = {
        "city": (lambda d: v["city"][d] in request.city) if request.city else None,
        "year": date_ok if (day_from or day_to) else None,
        "kind": (lambda d: v["kind"][d] in request.kind) if request.kind else None,
        "agency": (lambda d: v["agency"][d] in request.agency) if request.agency else None,
        "level": (lambda d: v["level"][d] in request.level) if request.level else None,
        "country": any_of("country", request.country),
        "partner": any_of("partner", request.partner),
    }
    return {name: check for name, check in checks.items() if check is not None}


def passes_filters(cols: Columns, request: SearchRequest):
    """document number → True if it passes every filter of the request."""
    checks = tuple(_filter_checks(cols, request).values())
    return lambda doc: all(check(doc) for check in checks)


def passage_year(span_start: int, date_from: str | None) -> int:
    """The year a passage counts in: the first year of its report's time (from the
    period's start, or the report date, to the report date) inside the date filter,
    that is the later of the time's first year and the filter's; 0 when undated.
    A trip report of 2020–21 written in 2022 counts in 2020 without a filter, in 2021
    under `from=2021`.

    >>> passage_year(20200115, None), passage_year(20200115, "2021-01-01"), passage_year(0, None)
    (2020, 2021, 0)
    """
    if not span_start:
        return 0
    first = span_start // 10000
    return max(first, int(date_from[:4])) if date_from else first


def count(docnums, cols: Columns, request: SearchRequest, keep: list | None = None
          ) -> tuple[int, dict[str, Counter]]:
    """(total, {facet: Counter(value → passages)}) for the matching documents;
    those that pass every filter are also appended to `keep`, if given."""
    v = cols.values
    active = _filter_checks(cols, request)
    counts = {name: Counter() for name in FACET_FILTERS}
    total = 0
    for doc in docnums:
        failed = [name for name, check in active.items() if not check(doc)]
        if len(failed) > 1:
            continue  # outside every facet's count
        if not failed:
            total += 1
            if keep is not None:
                keep.append(doc)
            if year := passage_year(v["span_end"][doc] and v["span_start"][doc], request.date_from):
                counts["year"][str(year)] += 1
        for name in failed or counts:  # one failed filter: only that facet counts it
            if name == "year":
                continue  # counted above, under every filter
            if name in LISTS:
                counts[name].update(v[LISTS[name]][doc])
            elif value := v[name][doc]:
                counts[name][value] += 1
    return total, counts


def date_order(docs: list[int], cols: Columns, newest: bool) -> list[int]:
    """Documents in the order of their reports' dates (newest or oldest first),
    each report's passages in reading order, undated reports last."""
    v = cols.values
    sign = -1 if newest else 1
    end = v["span_end"]  # 0: a report without any date, listed last either way
    return sorted(docs, key=lambda d: (not end[d], sign * end[d], v["doc_id"][d], v["ordinal"][d]))


def no_counts() -> dict[str, Counter]:
    """Every facet with no value counted (a query with nothing to search for)."""
    return {name: Counter() for name in FACET_FILTERS}
