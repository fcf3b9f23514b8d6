"""The whoosh engine's own pieces, on the bundled corpus's build.

- indexer/engine/whoosh/matching.py: the best N from one run of the required
  part, with the optional part scored only where it can matter, are exactly
  whoosh's best N for AndMaybe(required, optional) scored over every match.
- One run of the query per search: the ranked hits, the exact total and the
  facets all come from it, and a matched term's COORD comes from the term's
  own matcher (translate.Coordinated).
"""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.engine import counting
from indexer.engine.whoosh import matching
from indexer.engine.whoosh.bounded import BoundedSearcher
from indexer.engine.whoosh.columns import FacetColumns
from indexer.engine.whoosh.scoring import BM25F
from indexer.engine.whoosh.translate import Coordinated, optional_query, to_whoosh
from indexer.index import store
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.text.dates import span
from indexer.weights import COORD

MATCHING_QUERIES = ["八代", "姊妹市 締結", "臺中 OR 高雄", '"友好城市"', "交流 -疫情", "日本 經濟 合作", "SusHi Tech",
           "市長 訪問 交流 觀光"]

QUERIES = [
    {"q": "八代"},
    {"q": "姊妹市 締結"},
    {"q": "臺中 OR 高雄"},
    {"q": '"友好城市"'},
    {"q": "交流 -疫情"},
    {"q": "市長", "city": "臺中市"},
    {"q": "訪問", "from": "2019-01-01", "to": "2022-12-31"},
    {"q": "日本", "city": "基隆市", "kind": "出國報告"},
]


@pytest.fixture(scope="module")
def index_dir(engine_index_dir):
    return engine_index_dir("whoosh")


@pytest.fixture(scope="module")
def searcher(index_dir):
    s = Searcher(index_dir, engine="whoosh")
    yield s
    s.close()


@pytest.fixture(scope="module")
def whoosh_searcher(index_dir):
    """The whoosh engine's own searcher over the bundled corpus's build."""
    ix = whoosh_index.open_dir(str(store.current_build(index_dir) / "whoosh"))
    s = BoundedSearcher(ix.reader(), fromindex=ix, weighting=BM25F())
    yield s
    s.close()


@pytest.fixture(scope="module")
def columns(whoosh_searcher):
    return FacetColumns(whoosh_searcher.reader())


@pytest.fixture(scope="module")
def parse(index_dir):
    return Searcher(index_dir, engine="whoosh").parse


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: " ".join(p.values()))
def test_total_and_facets_equal_a_separate_unscored_run(searcher, whoosh_searcher, columns, params):
    request = parse_search_request(params)
    result = searcher.search(request)
    matching = whoosh_searcher.docs_for_query(to_whoosh(searcher.parse(request.query), strict=True))
    total, counts = counting.count(matching, columns, request)
    assert result.total == total
    assert {k: {v.value: v.count for v in vs if v.count} for k, vs in result.facets.items()} == {
        k: dict(c) for k, c in counts.items()}


def _covers(metadata, date_from: str | None, date_to: str | None) -> bool:
    """Whether a report's [period start … report date] overlaps the days asked for."""
    days = [day for iso in (metadata.period.start, metadata.date, metadata.period.end) if iso
            for day in span(iso)]
    if not days:
        return date_from is None and date_to is None
    return (date_to is None or min(days).isoformat() <= date_to) and \
        (date_from is None or max(days).isoformat() >= date_from)


FILTERED = [
    *QUERIES,
    {"q": "交流", "kind": "統計分析報告"},
    {"q": "交流", "agency": "臺北市政府"},
    {"q": "姊妹市", "country": "美國", "from": "2014-07", "to": "2014-12"},
    {"q": "市長", "city": "臺中市", "from": "2025-09-01", "kind": "出國報告", "agency": "臺中市政府經濟發展局",
     "country": "日本"},
]


@pytest.mark.parametrize("params", FILTERED, ids=lambda p: " ".join(p.values()))
def test_every_hit_passes_the_filters(searcher, params):
    request = parse_search_request({**params, "per_page": "100"})
    result = searcher.search(request)
    assert result.total > 0 and len(result.hits) == min(result.total, 100)
    for hit in result.hits:
        meta = searcher.report(hit.doc_id).metadata
        assert not request.city or hit.city == meta.city in request.city
        assert not request.kind or meta.kind in request.kind
        assert not request.agency or meta.agency in request.agency
        assert not request.country or set(request.country) & set(meta.countries)
        assert _covers(meta, request.date_from, request.date_to), (hit.doc_id, meta.period, meta.date)


def test_coordinated_adds_coord_to_the_terms_own_score(whoosh_searcher):
    term = wq.Term("grams", "八代")
    plain = {hit.docnum: hit.score for hit in whoosh_searcher.search(term, limit=None)}
    coordinated = {hit.docnum: hit.score for hit in whoosh_searcher.search(Coordinated(term), limit=None)}
    assert plain and plain.keys() == coordinated.keys()
    for doc, score in plain.items():
        assert coordinated[doc] == pytest.approx(score + COORD)


@pytest.mark.parametrize("query", ["八代", '"姊妹市"', "臺中 高雄 交流", "交流 -疫情"])
def test_bm25f_with_cached_lengths_scores_as_whoosh_does(index_dir, query):
    ix = whoosh_index.open_dir(str(store.current_build(index_dir) / "whoosh"))
    q = to_whoosh(Searcher(index_dir, engine="whoosh").parse(query))
    with ix.searcher() as plain, ix.searcher(weighting=BM25F()) as cached:
        expected = [(hit.docnum, hit.score) for hit in plain.search(q, limit=None)]
        got = [(hit.docnum, hit.score) for hit in cached.search(q, limit=None)]
    assert expected and got == expected


def _whoosh_best(whoosh_searcher, required, optional, keep, limit):
    q = wq.AndMaybe(required, optional) if optional is not None else required
    scored = [(hit.score, hit.docnum) for hit in whoosh_searcher.search(q, limit=None) if keep(hit.docnum)]
    return sorted(scored, key=lambda p: (-p[0], p[1]))[:limit]


@pytest.mark.parametrize("query", MATCHING_QUERIES)
@pytest.mark.parametrize("limit", [1, 3, 10, 200])
@pytest.mark.parametrize("city", [None, "高雄市"])
def test_best_n_equal_full_scoring(whoosh_searcher, columns, parse, query, limit, city):
    request = parse_search_request({"q": query, **({"city": city} if city else {})})
    parsed = parse(query)
    keep = counting.passes_filters(columns, request)
    required, optional = to_whoosh(parsed, boosts=False), optional_query(parsed)
    found = matching.run(whoosh_searcher, required, optional, keep, limit)
    expected = _whoosh_best(whoosh_searcher, required, optional, keep, limit)
    assert [d for _, d in found.best] == [d for _, d in expected]
    assert [s for s, _ in found.best] == pytest.approx([s for s, _ in expected])
    assert sorted(found.docnums) == sorted(whoosh_searcher.docs_for_query(required))


@pytest.mark.parametrize("query", MATCHING_QUERIES)
def test_the_bound_is_never_exceeded(whoosh_searcher, parse, query):
    optional = optional_query(parse(query))
    scores = matching.optional_scores(whoosh_searcher, optional, list(range(whoosh_searcher.doc_count_all())))
    assert scores, query
    assert max(scores.values()) <= matching.bound(whoosh_searcher, optional)


def test_an_unknown_kind_of_query_has_no_bound(whoosh_searcher):
    assert matching.bound(whoosh_searcher, wq.Prefix("grams", "八")) == float("inf")
