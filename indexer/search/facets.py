"""Facet counts as values ready to render: each with its count, whether it is
chosen, and the query string that toggles it (the page and the API show the same)."""

from __future__ import annotations

import heapq
from collections import Counter

from indexer.models import FacetValue, SearchRequest
from indexer.query.request import toggle_links, value_links

# A facet lists at most this many values, those with the most passages (and the chosen
# one): a column of hundreds of agencies helps nobody choose, and each value's link
# cost a search more than the search itself (docs/PERFORMANCE.md).
MAX_VALUES = 50


def facet_values(counts: dict[str, Counter], request: SearchRequest) -> dict[str, tuple[FacetValue, ...]]:
    """{facet: values, most passages first (years newest first)}, at most MAX_VALUES
    each; a chosen value is kept, with 0 when nothing has it, so that it can be unchosen.
    Each value's link toggles it: values of one facet add up (OR), facets narrow (AND)."""
    def values(name: str, chosen: tuple[str, ...]) -> tuple[FacetValue, ...]:
        found = _most(counts[name])
        for value in chosen:
            found.setdefault(value, counts[name].get(value, 0))
        link = toggle_links(request, name, page=None)
        return tuple(FacetValue(value, n, value in chosen, link(value))
                     for value, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))

    years = []
    year_link = value_links(request, "from", "to", page=None)  # from=year&to=year
    for year, n in sorted(counts["year"].items(), reverse=True):
        selected = request.date_from == f"{year}-01-01" and request.date_to == f"{year}-12-31"
        years.append(FacetValue(year, n, selected, year_link(None if selected else year)))
    return {
        "city": values("city", request.city),
        "year": tuple(years),
        "kind": values("kind", request.kind),
        "agency": values("agency", request.agency),
        "level": values("level", request.level),
        "country": values("country", request.country),
        "partner": values("partner", request.partner),
    }


def _most(counts: Counter) -> dict[str, int]:
    """The MAX_VALUES values with the most passages (ties by value); the counts alone are
    compared first, which is 3× faster than a keyed sort of hundreds of agencies."""
    if len(counts) > MAX_VALUES:
        least = heapq.nlargest(MAX_VALUES, counts.values())[-1]
        counts = {value: n for value, n in counts.items() if n >= least}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_VALUES])
