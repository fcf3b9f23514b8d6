"""The contract every engine keeps (indexer/engine/protocol.py), checked on the
bundled corpus against what the passages' own text says, and engine against
engine once there are several.

For a date-ordered request (every term required) the total is the number of
passages whose text holds every term in one of its spellings or other names,
as Ctrl-F over the folded text finds it (`TextMatcher`, which is also what
highlights); the facets count those passages under the other filters; the
order is the reports' date order. A relevance run finds at least those, scores
them in order, and keeps to its limit.
"""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.engine import ENGINES, get_engine
from indexer.index import store
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.search.spans import TextMatcher

REQUESTS = [
    {"q": "八代"},
    {"q": "台中"},  # 臺 in the text
    {"q": "熊本县"},  # simplified
    {"q": "姊妹市 締結"},
    {"q": "臺中 OR 高雄"},
    {"q": '"友好城市"'},
    {"q": "交流 -疫情"},
    {"q": "市長", "city": "臺中市"},
    {"q": "訪問", "from": "2019-01-01", "to": "2022-12-31"},
    {"q": "日本", "city": "基隆市", "kind": "出國報告"},
    {"q": "ＭＯＵ"},  # full width
    {"q": "經團連"},  # an alias the reports define
]


@pytest.fixture(scope="module")
def passages(index_dir):
    """Every passage of the build with its report's metadata, in no particular order."""
    build = store.current_build(index_dir)
    rows = []
    for entry in store.read_json(build / "catalog.json"):
        report = store.read_report(build, entry["doc_id"])
        for passage in report.passages:
            rows.append((report, passage))
    return rows


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, index_dir):
    index = get_engine(request.param).open(store.current_build(index_dir))
    searcher = index.searcher()
    yield searcher
    searcher.close()


@pytest.fixture(scope="module")
def parse(index_dir):
    return Searcher(index_dir).parse


def _passes(report, request) -> bool:
    meta = report.metadata
    if request.city and meta.city != request.city:
        return False
    if request.kind and meta.kind != request.kind:
        return False
    if request.date_from or request.date_to:
        dates = [d for d in (meta.period.start, meta.date, meta.period.end) if d]
        if not dates:
            return False
        first, last = min(dates)[:10], max(dates)[:10]
        if request.date_to and first > request.date_to:
            return False
        if request.date_from and last < request.date_from[: len(last)]:
            return False
    return True


@pytest.mark.parametrize("params", REQUESTS, ids=lambda p: " ".join(p.values()))
def test_a_date_ordered_run_finds_exactly_what_the_text_holds(engine, passages, parse, params):
    request = parse_search_request({**params, "sort": "newest"})
    plan = parse(request.query)
    run = engine.run(plan, request, limit=10_000)
    expected = {(r.doc_id, p.passage_id) for r, p in passages
                if TextMatcher(p.text).satisfies(plan.tree, plan, r.doc_id) >= 0.9 and _passes(r, request)}
    found = {(engine.stored(n)["doc_id"], engine.stored(n)["passage_id"]) for _s, n in run.best}
    assert run.complete and found == expected and run.total == len(expected)
    if not request.city:
        assert sum(run.counts["city"].values()) == run.total
    dates = [engine.stored(n)["date"] or "" for _s, n in run.best]
    assert [d for d in dates if d] == sorted((d for d in dates if d), reverse=True)


@pytest.mark.parametrize("params", REQUESTS, ids=lambda p: " ".join(p.values()))
def test_a_relevance_run_finds_every_full_match_best_first(engine, passages, parse, params):
    request = parse_search_request(params)
    plan = parse(request.query)
    strict = engine.run(plan, parse_search_request({**params, "sort": "newest"}), limit=10_000)
    run = engine.run(plan, request, limit=10_000)
    found = {n for _s, n in run.best}
    assert {n for _s, n in strict.best} <= found
    assert run.total == len(run.best) >= strict.total
    scores = [s for s, _n in run.best]
    assert scores == sorted(scores, reverse=True)
    assert len(engine.run(plan, request, limit=3).best) == min(3, run.total)
    assert engine.count(plan, request) == run.total


def test_every_passage_is_listed_without_a_plan(engine, passages):
    request = parse_search_request({})
    run = engine.run(None, request, limit=100_000)
    assert run.total == len(passages) == len(run.best)
    assert sum(run.counts["city"].values()) == len([1 for r, _p in passages if r.metadata.city])
    assert Counter(run.counts["kind"]) == Counter(r.metadata.kind for r, _p in passages)


def test_the_engine_registry_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("lucene")
