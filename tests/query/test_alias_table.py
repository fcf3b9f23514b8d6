"""The build's aliases as a query-time lookup: each pair holds in the reports that state it."""

from __future__ import annotations

import pytest

from indexer.query.aliases import AliasTable

RECORDS = [
    {"short": "經團連", "full": "日本經濟團體連合會", "kind": "abbreviation", "doc_id": "a"},
    {"short": "經團連", "full": "日本經濟團體連合會", "kind": "abbreviation", "doc_id": "b"},
    {"short": "蔣市長", "full": "蔣萬安市長", "kind": "reference", "doc_id": "t"},
    {"short": "張局長", "full": "張局長", "kind": "reference", "doc_id": "t"},  # folds to itself: no link
    {"short": "ＪＡＳ", "full": "日本農林規格", "kind": "abbreviation", "doc_id": "c"},
]


@pytest.mark.parametrize("term, expected", [
    ("經團連", [("日本經濟團體連合會", frozenset({"a", "b"}))]),  # one pair in two reports
    ("日本經濟團體連合會", [("經團連", frozenset({"a", "b"}))]),
    ("蔣萬安", [("蔣市長", frozenset({"t"}))]),  # a reference's name without its title
    ("蔣市長", [("蔣萬安", frozenset({"t"})), ("蔣萬安市長", frozenset({"t"}))]),
    ("jas", [("日本農林規格", frozenset({"c"}))]),  # keyed by the folded form
    ("張局長", []),
    ("八代", []),
])
def test_expand(term, expected):
    assert AliasTable(RECORDS).expand(term) == expected


def test_records_in_any_order_make_the_same_table():
    assert AliasTable(RECORDS)._links == AliasTable(list(reversed(RECORDS)))._links
