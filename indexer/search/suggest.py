"""What to offer when a search finds nothing: a spelling the index has, or fewer filters.

>>> within_one_edit("八伐市", "八代市"), within_one_edit("iclie", "iclei"), within_one_edit("八代", "熊本")
(True, True, False)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

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


def _replace_term(query: str, old: str, new: str) -> str:
    return query.replace(old, new, 1)


def suggestions(request: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
                count: Callable[[SearchRequest], int]) -> tuple[Suggestion, ...]:
    """Suggestions for a search with no hits, each with how many passages it would find.

    `count(request)` counts the hits of a changed request.
    """
    found: list[Suggestion] = []
    for term in syntax.positive_terms(parsed.tree):
        for word in lexicon.near(fold(term)):
            changed = SearchRequest(_replace_term(request.query, term, word), request.city,
                                    request.date_from, request.date_to, 1, request.per_page)
            n = count(changed)
            if n:
                found.append(Suggestion("spelling", changed.query, query_string(changed, page=None), n))
            if len(found) >= MAX_SPELLINGS:
                break
    filters = []
    if request.city:
        filters.append(("不限縣市 (any city)", {"city": None}))
    if request.date_from or request.date_to:
        filters.append(("不限日期 (any date)", {"date_from": None, "date_to": None}))
    if len(filters) == 2:
        filters.append(("不限縣市與日期 (no filters)", {"city": None, "date_from": None, "date_to": None}))
    for label, change in filters:
        fields = {"query": request.query, "city": request.city, "date_from": request.date_from,
                  "date_to": request.date_to, "per_page": request.per_page} | change
        changed = SearchRequest(**fields)
        n = count(changed)
        if n:
            found.append(Suggestion("drop_filter", label, query_string(changed, page=None), n))
    return tuple(found)
