"""The contract every engine keeps (indexer/engine/protocol.py), checked on the
bundled corpus against what the passages' own text says, on every engine, and
engine against engine.

A run finds exactly the passages whose text holds every top-level term in one
of its spellings or other names and none of the excluded ones, as Ctrl-F over
the folded text finds it (`TextMatcher`, which is also what highlights); the
total and the facets count those (the facets under the other filters); the
order is the score's or the reports' dates. The partial run finds exactly the
passages that hold some of the terms (in their text or heading path, or some
words of a long term) but not all.
"""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.engine import ENGINES, get_engine
from indexer.index import store
from indexer.index.records import passage_countries
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.search.spans import TextMatcher
from indexer.weights import COORD

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
    {"q": "熊本 半導體"},
    {"q": "視訊會議"},  # a long term: its words find partial matches
    {"q": "八代 港口 締結"},  # no passage holds all three
    {"q": "(臺中 OR 高雄) 日本 -疫情"},
    {"q": "臺"},  # one character
    {"q": "sushi tech"},
    {"q": "熊本 -半導體", "country": "日本"},
    {"q": "111年"},  # the other calendar's year is another name
    {"q": "市長", "city": ["臺中市", "高雄市"]},  # several values of a filter: any of them
    {"q": "交流", "country": ["韓國", "美國"], "kind": ["出國報告", "統計分析報告", "施政報告"]},
]


def _id(params: dict) -> str:
    return " ".join(v if isinstance(v, str) else "|".join(v) for v in params.values())


def _full(plan, passage, doc_id) -> bool:
    return TextMatcher(passage.text).satisfies(plan.tree, plan, doc_id) >= 0.9


def _some(plan, passage, doc_id) -> bool:
    """Holds some of the plan (a top-level term in its text or heading path, or a word of a
    long term), none of its exclusions."""
    matcher, heading = TextMatcher(passage.text), TextMatcher(passage.heading)
    return any(matcher.satisfies(node, plan, doc_id) > 0 or heading.satisfies(node, plan, doc_id) >= 0.9
               for node in plan.conjuncts()) and not any(
        matcher.satisfies(node, plan, doc_id) >= 0.9 for node in plan.exclusions())


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


def _open(engine_index_dir, name: str):
    return get_engine(name).open(store.current_build(engine_index_dir(name))).searcher()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, engine_index_dir):
    searcher = _open(engine_index_dir, request.param)
    yield searcher
    searcher.close()


@pytest.fixture(scope="module")
def engines(engine_index_dir):
    """Every engine's searcher, by name."""
    opened = {name: _open(engine_index_dir, name) for name in ENGINES}
    yield opened
    for searcher in opened.values():
        searcher.close()


@pytest.fixture(scope="module")
def parse(index_dir):
    return Searcher(index_dir).parse


def _passes(report, request, passage) -> bool:
    meta = report.metadata
    if request.city and meta.city not in request.city:
        return False
    if request.kind and meta.kind not in request.kind:
        return False
    if request.country and not set(request.country) & set(passage_countries(passage.text, meta)):
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


def _keys(engine, run) -> set[tuple[str, str]]:
    return {(engine.stored(n)["doc_id"], engine.stored(n)["passage_id"]) for _s, n in run.best}


@pytest.mark.parametrize("sort", ["newest", "relevance"])
@pytest.mark.parametrize("params", REQUESTS, ids=_id)
def test_a_run_finds_exactly_what_the_text_holds(engine, passages, parse, params, sort):
    request = parse_search_request({**params, "sort": sort})
    plan = parse(request.query)
    run = engine.run(plan, request, limit=10_000)
    expected = {(r.doc_id, p.passage_id) for r, p in passages if _full(plan, p, r.doc_id) and _passes(r, request, p)}
    assert run.complete and _keys(engine, run) == expected and run.total == len(expected)
    assert engine.count(plan, request) == run.total
    assert len(engine.run(plan, request, limit=3).best) == min(3, run.total)
    if not request.city:
        assert sum(run.counts["city"].values()) == run.total
    if sort == "newest":
        dates = [engine.stored(n)["date"] or "" for _s, n in run.best]
        assert [d for d in dates if d] == sorted((d for d in dates if d), reverse=True)
    else:  # best first in the engine's own order: a shorter run is the head of a longer one
        assert engine.run(plan, request, limit=3).best == run.best[:3]


@pytest.mark.parametrize("params", REQUESTS, ids=_id)
def test_the_partial_run_finds_exactly_the_passages_with_some_of_the_query(engine, passages, parse, params):
    request = parse_search_request(params)
    plan = parse(request.query)
    run = engine.partial(plan, request, limit=10_000)
    expected = {(r.doc_id, p.passage_id) for r, p in passages
                if plan.has_partials and _passes(r, request, p) and _some(plan, p, r.doc_id)
                and not _full(plan, p, r.doc_id)}
    assert run.complete and _keys(engine, run) == expected and run.total == len(expected)
    assert not any(run.counts.values())
    held = [s // COORD for s, _n in run.best]  # more of the terms first
    assert held == sorted(held, reverse=True)


@pytest.mark.parametrize("params", REQUESTS, ids=_id)
def test_every_engine_counts_alike(engines, parse, params):
    request = parse_search_request(params)
    plan = parse(request.query)
    seen = {}
    for name, engine in engines.items():
        run, partial = engine.run(plan, request, limit=10_000), engine.partial(plan, request, limit=10_000)
        seen[name] = (run.total, {k: dict(v) for k, v in run.counts.items()}, _keys(engine, run),
                      partial.total, _keys(engine, partial))
    first, *others = seen.values()
    assert all(other == first for other in others), seen


def test_every_passage_is_listed_without_a_plan(engine, passages):
    request = parse_search_request({})
    run = engine.run(None, request, limit=100_000)
    assert run.total == len(passages) == len(run.best)
    assert sum(run.counts["city"].values()) == len([1 for r, _p in passages if r.metadata.city])
    assert Counter(run.counts["kind"]) == Counter(r.metadata.kind for r, _p in passages)


def test_the_engine_registry_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("lucene")
