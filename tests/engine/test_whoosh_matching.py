"""indexer/engine/whoosh/matching.py: the best N from one run of the required part, with the
optional part scored only where it can matter, are exactly whoosh's best N
for AndMaybe(required, optional) scored over every match."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.engine import counting
from indexer.engine.whoosh import matching
from indexer.engine.whoosh.bounded import BoundedSearcher
from indexer.engine.whoosh.columns import FacetColumns
from indexer.engine.whoosh.scoring import BM25F
from indexer.engine.whoosh.translate import optional_query, to_whoosh
from indexer.index import store
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

QUERIES = ["八代", "姊妹市 締結", "臺中 OR 高雄", '"友好城市"', "交流 -疫情", "日本 經濟 合作", "SusHi Tech",
           "市長 訪問 交流 觀光"]


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
    return Searcher(index_dir).parse


def _whoosh_best(whoosh_searcher, required, optional, keep, limit):
    q = wq.AndMaybe(required, optional) if optional is not None else required
    scored = [(hit.score, hit.docnum) for hit in whoosh_searcher.search(q, limit=None) if keep(hit.docnum)]
    return sorted(scored, key=lambda p: (-p[0], p[1]))[:limit]


@pytest.mark.parametrize("query", QUERIES)
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


@pytest.mark.parametrize("query", QUERIES)
def test_the_bound_is_never_exceeded(whoosh_searcher, parse, query):
    optional = optional_query(parse(query))
    scores = matching.optional_scores(whoosh_searcher, optional, list(range(whoosh_searcher.doc_count_all())))
    assert scores, query
    assert max(scores.values()) <= matching.bound(whoosh_searcher, optional)


def test_an_unknown_kind_of_query_has_no_bound(whoosh_searcher):
    assert matching.bound(whoosh_searcher, wq.Prefix("grams", "八")) == float("inf")
