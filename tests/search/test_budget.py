"""A search's cost is bounded: queries too large are refused, a deadline stops
a search with what it found, long searches take turns, the export runs once."""

from __future__ import annotations

import threading
import time

import pytest

from indexer.engine import ENGINES
from indexer.engine import deadline as budget
from indexer.errors import BadRequest
from indexer.query import limits
from indexer.query.request import parse_search_request
from indexer.search import searcher as search_module
from indexer.search.searcher import Searcher
from web import create_app

# Common characters of the bundled reports, for queries built to be slow.
COMMON = "".join(dict.fromkeys("市日本交流國際合作城觀光產業文化活動計畫會議參訪問團長局處政府中心學校企經濟發展"))


def _request(**params):
    return parse_search_request({"per_page": "100", **params})


@pytest.fixture(scope="module", params=ENGINES)
def index_dir(request, engine_index_dir):
    """Every test here runs on each engine's build: each keeps the same budget."""
    return engine_index_dir(request.param)


@pytest.fixture(scope="module")
def searcher(index_dir):
    return Searcher(index_dir)


@pytest.fixture
def api(index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "SEARCH_SECONDS": 1.0}).test_client()


@pytest.mark.parametrize("query,fragment", [
    (" OR ".join(COMMON[:40]), "Too many terms"),  # 40 characters joined by OR: 196 characters
    (" ".join((COMMON * 3)[:100]), "Too many terms"),  # 100 spaced single characters
    (" OR ".join(f"({a} {b})" for a, b in zip(COMMON[:34:2], COMMON[1:34:2], strict=True)), "Too many terms"),
])
def test_a_query_larger_than_a_person_types_is_refused_with_what_to_shorten(api, query, fragment):
    assert len(query) <= 200
    response = api.get("/api/search", query_string={"q": query})
    assert response.status_code == 400
    assert fragment in response.json["error"] and "remove some words" in response.json["error"]


def test_the_clause_cap_counts_expansions():
    with pytest.raises(BadRequest, match="clauses"):
        limits.check_size(terms=3, clauses=limits.MAX_CLAUSES + 1)
    limits.check_size(terms=limits.MAX_TERMS, clauses=limits.MAX_CLAUSES)  # at the limits: fine


@pytest.mark.parametrize("query", [
    "八代", "熊本 半導體", '"SusHi Tech Tokyo"', "(熊本 OR 宮崎) 姊妹市 -新聞", "市", "台中",
    " OR ".join(COMMON[:30]),
])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_a_deadline_that_does_not_pass_changes_nothing(searcher, index_dir, query, sort):
    bounded = Searcher(index_dir, time_limit=600)
    plain, timed = searcher.search(_request(q=query, sort=sort)), bounded.search(_request(q=query, sort=sort))
    assert timed.complete and plain.complete
    assert timed.total == plain.total
    assert [(h.doc_id, h.passage_id, h.score) for h in timed.hits] == \
           [(h.doc_id, h.passage_id, h.score) for h in plain.hits]
    assert timed.facets == plain.facets


@pytest.fixture
def hurried(monkeypatch, index_dir):
    """A searcher whose deadline has passed by the first look at the clock."""
    monkeypatch.setattr(budget, "_CHECK_EVERY", 1)
    return Searcher(index_dir, time_limit=1e-9)


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_past_the_deadline_a_search_answers_with_what_it_found(searcher, hurried, sort):
    query = " OR ".join(COMMON[:30])
    full = searcher.search(_request(q=query, sort=sort))
    cut = hurried.search(_request(q=query, sort=sort))
    assert not cut.complete
    assert cut.total < full.total
    assert any("至少" in notice for notice in cut.notices)
    found = {(h.doc_id, h.passage_id) for h in searcher.export(_request(q=query, sort=sort), limit=1000)}
    assert {(h.doc_id, h.passage_id) for h in cut.hits} <= found
    assert cut.to_dict()["complete"] is False


def test_the_api_marks_a_stopped_search_incomplete(monkeypatch, index_dir):
    monkeypatch.setattr(budget, "_CHECK_EVERY", 1)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "SEARCH_SECONDS": 1e-9}).test_client()
    response = client.get("/api/search", query_string={"q": "市 OR 日本"})
    assert response.status_code == 200
    assert response.json["complete"] is False and response.json["notices"]
    page = client.get("/", query_string={"q": "市 OR 日本"})
    assert page.status_code == 200 and "至少" in page.get_data(as_text=True)


def test_the_searcher_is_usable_after_a_stopped_search(hurried, searcher):
    hurried.search(_request(q="市 OR 日本"))
    hurried.time_limit = None
    again = hurried.search(_request(q="八代"))
    assert again.complete and again.total == searcher.search(_request(q="八代")).total


def test_a_long_search_waits_for_the_long_slot_and_stops_at_its_deadline(monkeypatch, index_dir):
    monkeypatch.setattr(budget, "_CHECK_EVERY", 1)
    monkeypatch.setattr(budget, "LONG_AFTER", 0.0)  # every search is long at once
    monkeypatch.setattr(search_module, "GATED_POSTINGS", 0)  # and may be held back
    gate = budget.LongGate()
    searcher = Searcher(index_dir, time_limit=0.2, gate=gate)
    assert gate.acquire(0)  # another thread's long search holds the slot
    try:
        result = searcher.search(_request(q="市 OR 日本"))
        assert not result.complete  # waited, then answered at its deadline with what it had
    finally:
        gate.release()
    assert searcher.search(_request(q="市 OR 日本")).complete  # the slot is free again
    assert gate.acquire(0)  # and the search gave it back
    gate.release()


@pytest.mark.parametrize("long_after,gated_postings", [
    (30.0, 0),  # done before it is long
    (0.0, 10**9),  # long, but reads too few postings to be held back
])
def test_a_short_search_never_waits_for_the_long_slot(monkeypatch, index_dir, long_after, gated_postings):
    monkeypatch.setattr(budget, "_CHECK_EVERY", 1)
    monkeypatch.setattr(budget, "LONG_AFTER", long_after)
    monkeypatch.setattr(search_module, "GATED_POSTINGS", gated_postings)
    gate = budget.LongGate()
    searcher = Searcher(index_dir, time_limit=30, gate=gate)
    assert gate.acquire(0)
    try:
        assert searcher.search(_request(q="八代")).complete
    finally:
        gate.release()


def test_long_searches_run_one_at_a_time(monkeypatch):
    monkeypatch.setattr(budget, "_CHECK_EVERY", 1)
    gate = budget.LongGate()
    inside, most = [], []
    lock = threading.Lock()

    def long_search():
        deadline = budget.Deadline(10, gate, long_after=0.0)
        deadline.tick()  # past LONG_AFTER: takes the slot
        with lock:
            inside.append(1)
            most.append(len(inside))
        time.sleep(0.01)
        with lock:
            inside.pop()
        deadline.close()

    threads = [threading.Thread(target=long_search) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most and max(most) == 1


def test_the_export_runs_the_search_once_a_page(monkeypatch, searcher):
    """An export streams: the search runs once for each EXPORT_PAGE of hits it makes."""
    import math

    import indexer.search.searcher as searcher_module

    monkeypatch.setattr(searcher_module, "EXPORT_PAGE", 25)
    runs = []
    engine_searcher = type(searcher._searcher())
    original = engine_searcher.run
    monkeypatch.setattr(engine_searcher, "run", lambda *a, **k: runs.append(1) or original(*a, **k))
    hits = searcher.export(_request(q="市"), limit=1000)
    assert len(runs) == math.ceil(len(hits) / 25)
    assert len(hits) == searcher.search(_request(q="市")).total > 25


@pytest.mark.parametrize("raw,expected", [("1", 1.0), ("0.5", 0.5), ("0", None)])
def test_search_seconds_setting(monkeypatch, raw, expected):
    from indexer import settings

    monkeypatch.setenv("JIAOLIU_SEARCH_SECONDS", raw)
    assert settings.seconds("JIAOLIU_SEARCH_SECONDS") == expected


@pytest.mark.parametrize("raw", ["soon", "-1", "nan", "inf"])
def test_a_bad_search_seconds_setting_is_named(monkeypatch, raw):
    from indexer import settings
    from indexer.errors import JiaoliuError

    monkeypatch.setenv("JIAOLIU_SEARCH_SECONDS", raw)
    with pytest.raises(JiaoliuError, match="JIAOLIU_SEARCH_SECONDS"):
        settings.seconds("JIAOLIU_SEARCH_SECONDS")


def test_pages_past_the_reranked_head_continue_the_same_order(monkeypatch, searcher):
    monkeypatch.setattr(searcher.engine, "rerank_depth", 20)  # the corpus has fewer than 200 passages
    whole = [(h.doc_id, h.passage_id) for h in searcher.export(_request(q="市 年"), limit=1000)]
    paged = []
    for page in range(1, 1 + -(-len(whole) // 30)):
        paged += [(h.doc_id, h.passage_id)
                  for h in searcher.search(parse_search_request({"q": "市 年", "per_page": "30",
                                                                 "page": str(page)})).hits]
    assert len(whole) > 60 and paged == whole
