"""What a search that finds nothing suggests: each suggestion changes one thing,
keeps the rest of the request, and its total is what following its link finds."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

import pytest

from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.search.suggest import NO_FILTERS

TYPO, SPELLING = "姊妺市", "姊妹市"  # 妺 for 妹; 姊妹市 is in every report of the bundled corpus


@pytest.fixture(scope="module")
def searcher(index_dir):
    s = Searcher(index_dir)
    yield s
    s.close()


def _followed(url: str):
    """The request a suggestion's link makes."""
    assert url.startswith("?")
    return parse_search_request(dict(parse_qsl(url[1:])))


@pytest.mark.parametrize(
    "params, narrows",
    [
        ({"kind": "出國報告"}, True),
        ({"agency": "高雄市政府"}, True),
        ({"country": "美國"}, True),
        ({"city": "高雄市"}, True),
        ({"from": "2022", "to": "2022"}, True),
        ({"kind": "統計分析報告", "city": "高雄市", "from": "2022"}, True),
        ({"sort": "newest"}, False),
        ({"sort": "oldest"}, False),
        ({"per_page": "20"}, False),
        ({"page": "3", "per_page": "5"}, False),
    ],
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else str(v),
)
def test_a_spelling_suggestion_keeps_the_rest_of_the_request(searcher, params, narrows):
    request = parse_search_request({"q": TYPO, **params})
    result = searcher.search(request)
    assert result.total == 0
    spellings = [s for s in result.suggestions if s.kind == "spelling"]
    assert [s.text for s in spellings] == [SPELLING]
    suggested = _followed(spellings[0].url)
    assert suggested == replace(request, query=SPELLING, page=1)
    assert spellings[0].total == searcher.search(suggested).total > 0
    unfiltered = searcher.search(parse_search_request({"q": SPELLING})).total
    assert (spellings[0].total < unfiltered) == narrows  # counted under the request's filters


ANY_CITY, ANY_DATE, ANY_KIND = "不限縣市 (any city)", "不限日期 (any date)", "不限類型 (any kind)"
ANY_AGENCY, ANY_COUNTRY = "不限機關 (any agency)", "不限國家 (any country)"


@pytest.mark.parametrize(
    "params, offered",
    [
        ({"q": "熊本", "city": "花蓮縣"}, {ANY_CITY: ["city"]}),
        ({"q": "八代市", "from": "2025"}, {ANY_DATE: ["from"]}),
        ({"q": "八代市", "kind": "施政報告"}, {ANY_KIND: ["kind"]}),
        ({"q": "熊本", "agency": "花蓮縣政府"}, {ANY_AGENCY: ["agency"]}),
        ({"q": "八代市", "country": "美國"}, {ANY_COUNTRY: ["country"]}),
        # each filter alone excludes everything: only dropping both finds something
        ({"q": "八代市", "city": "高雄市", "kind": "施政報告"}, {NO_FILTERS: ["city", "kind"]}),
        # either filter can go; dropping one keeps the other
        ({"q": "熊本", "city": "臺中市", "kind": "施政報告"},
         {ANY_CITY: ["city"], ANY_KIND: ["kind"], NO_FILTERS: ["city", "kind"]}),
        # sort and page size are kept, the page goes back to 1
        ({"q": "八代市", "kind": "施政報告", "sort": "oldest", "per_page": "20", "page": "2"},
         {ANY_KIND: ["kind"]}),
        ({"q": "八代市", "country": "美國", "from": "2025-01", "to": "2025-03", "sort": "newest"},
         {NO_FILTERS: ["from", "to", "country"]}),
        # the city is not what excluded everything: keeping it is no use, so dropping it alone is not offered
        ({"q": "八代市", "city": "基隆市", "kind": "施政報告"}, {ANY_KIND: ["kind"], NO_FILTERS: ["city", "kind"]}),
    ],
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if "q" in v else "",
)
def test_dropping_the_filters_that_excluded_everything(searcher, params, offered):
    request = parse_search_request(params)
    result = searcher.search(request)
    assert result.total == 0
    drops = [s for s in result.suggestions if s.kind == "drop_filter"]
    assert [s.text for s in drops] == list(offered)
    for suggestion in drops:
        without = {k: v for k, v in params.items() if k not in offered[suggestion.text] and k != "page"}
        suggested = _followed(suggestion.url)
        assert suggested == parse_search_request(without)
        assert suggestion.total == searcher.search(suggested).total > 0



@pytest.mark.parametrize("params", [
    {"q": "熊本", "agency": "臺北市政府"},
    {"q": "八代市", "kind": "施政報告"},
    {"q": "熊本", "city": "花蓮縣"},
])
def test_a_word_the_index_has_is_not_respelled_when_only_filters_exclude_it(searcher, params):
    result = searcher.search(parse_search_request(params))
    assert result.total == 0
    assert not [s for s in result.suggestions if s.kind == "spelling"]
    assert [s for s in result.suggestions if s.kind == "drop_filter"]
