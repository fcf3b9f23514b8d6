"""Totals equal a Ctrl-F count: 200 queries sampled from the bundled reports' own
text (1- to 6-character strings, pairs, OR, exclusions, phrases), run on every
engine, each total compared with Python's `in` over the folded passage texts.

Strings are cut from CJK runs, where the index's grams and `in` agree exactly
(a Latin word only matches whole, which `in` does not know; tests/engine/test_contract.py
covers those through TextMatcher). A query whose terms have other names (an
alias, a year in the other calendar) is skipped: `in` cannot know them either.
"""

from __future__ import annotations

import random
import re

import pytest

from indexer.engine import ENGINES, get_engine
from indexer.index import store
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.text.fold import fold
from indexer.text.spellings import spellings

SAMPLES = 200
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{6,}")


@pytest.fixture(scope="module")
def texts(index_dir) -> list[str]:
    build = store.current_build(index_dir)
    return [fold(p.text) for e in store.read_json(build / "catalog.json")
            for p in store.read_report(build, e["doc_id"]).passages]


def _sample(texts: list[str], count: int, seed: int = 12) -> list[tuple[str, str, list[str]]]:
    """(kind, query, terms) sampled from the texts' CJK runs."""
    rng = random.Random(seed)
    runs = [m.group() for t in texts for m in _CJK_RUN.finditer(t)]

    def piece() -> str:
        run = rng.choice(runs)
        size = rng.choice((1, 2, 2, 2, 3, 3, 4, 5, 6))
        start = rng.randrange(len(run) - size + 1)
        return run[start:start + size]

    queries = []
    for i in range(count):
        kind = ("term", "pair", "or", "not", "phrase")[i % 5]
        a, b = piece(), piece()
        query = {"term": a, "pair": f"{a} {b}", "or": f"{a} OR {b}", "not": f"{a} -{b}", "phrase": f'"{a}{b}"'}[kind]
        queries.append((kind, query, [a, b]))
    return queries


def _holds(text: str, term: str) -> bool:
    return any(form in text for form in spellings(term))


def _ctrl_f(kind: str, terms: list[str], text: str) -> bool:
    a, b = terms
    return {"term": lambda: _holds(text, a), "pair": lambda: _holds(text, a) and _holds(text, b),
            "or": lambda: _holds(text, a) or _holds(text, b), "not": lambda: _holds(text, a) and not _holds(text, b),
            "phrase": lambda: _holds(text, a + b)}[kind]()


@pytest.mark.parametrize("name", ENGINES)
def test_totals_equal_a_ctrl_f_count_on_sampled_queries(engine_index_dir, index_dir, texts, name):
    searcher = get_engine(name).open(store.current_build(engine_index_dir(name))).searcher()
    parse = Searcher(index_dir).parse
    compared, wrong = 0, []
    try:
        for kind, query, terms in _sample(texts, SAMPLES):
            plan = parse(query)
            if any(unit.alias_forms for unit in plan.units.values()):
                continue
            expected = sum(_ctrl_f(kind, terms, text) for text in texts)
            total = searcher.run(plan, parse_search_request({"q": query}), limit=10).total
            compared += 1
            if total != expected:
                wrong.append((query, total, expected))
    finally:
        searcher.close()
    assert compared >= 150 and not wrong
