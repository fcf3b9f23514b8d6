"""What to offer when a search finds nothing: a spelling the index has, or fewer filters.

>>> within_one_edit("八伐市", "八代市"), within_one_edit("iclie", "iclei"), within_one_edit("八代", "熊本")
(True, True, False)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

from indexer.models import SearchRequest, Suggestion
from indexer.query import syntax
from indexer.query.plan import ParsedQuery
from indexer.query.request import query_string
from indexer.text.fold import fold

MAX_SPELLINGS = 3


def within_one_edit(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours apart (and not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1:]


class Lexicon:
    """The index's jieba words by length, read once per opened index when first needed."""

    def __init__(self, words: Callable[[], Iterable[str]]):
        self._words = words
        self._by_length: dict[int, list[str]] | None = None
        self._lock = threading.Lock()

    def near(self, word: str) -> list[str]:
        with self._lock:
            if self._by_length is None:
                by_length: dict[int, list[str]] = {}
                for text in self._words():
                    by_length.setdefault(len(text), []).append(text)
                self._by_length = by_length
        if len(word) < 2:
            return []
        candidates = (w for n in (len(word) - 1, len(word), len(word) + 1)
                      for w in self._by_length.get(n, ()))
        return [w for w in candidates if len(w) >= 2 and within_one_edit(word, w)]


# Each filter a request can have: the suggestion that searches without it, and the fields that hold it.
FILTERS = (
    ("不限縣市 (any city)", ("city",)),
    ("不限日期 (any date)", ("date_from", "date_to")),
    ("不限類型 (any kind)", ("kind",)),
    ("不限機關 (any agency)", ("agency",)),
    ("不限國家 (any country)", ("country",)),
)
NO_FILTERS = "不限任何條件 (no filters)"


def suggestions(request: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
                count: Callable[[SearchRequest], int]) -> tuple[Suggestion, ...]:
    """Suggestions for a search with no hits, each with how many passages it would find.

    A suggestion changes one thing and keeps the rest of the request (filters,
    sort, page size), back on page 1: a spelling one edit away (only when the
    words find nothing even without the filters), or the search without one
    filter, or without all of them when more than one is set.
    `count(request)` counts the hits of a changed request.
    """
    found: list[Suggestion] = []

    def offer(kind: str, text: str, changed: SearchRequest) -> None:
        n = count(changed)
        if n:
            found.append(Suggestion(kind, text, query_string(changed), n))

    chosen = [(label, names) for label, names in FILTERS if any(getattr(request, n) for n in names)]
    unfiltered = replace(request, page=1, **{n: None for _label, names in chosen for n in names})
    # Words the index has are spelled right: when only the filters exclude everything,
    # another spelling (熊本 → 山本) would only mislead.
    misspelled = not chosen or count(unfiltered) == 0
    spellings = ((term, word) for term in syntax.positive_terms(parsed.tree) for word in lexicon.near(fold(term)))
    for term, word in spellings if misspelled else ():
        changed = replace(request, query=request.query.replace(term, word, 1), page=1)
        offer("spelling", changed.query, changed)
        if len(found) >= MAX_SPELLINGS:
            break
    if len(chosen) > 1:
        chosen.append((NO_FILTERS, tuple(n for _label, names in chosen for n in names)))
    for label, names in chosen:
        offer("drop_filter", label, replace(request, page=1, **dict.fromkeys(names)))
    return tuple(found)
