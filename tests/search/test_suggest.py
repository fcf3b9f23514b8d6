"""What a search that finds nothing suggests: each suggestion changes one thing,
keeps the rest of the request, and its total is what following its link finds."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

import pytest

from indexer.engine import ENGINES
from indexer.engine.deadline import Deadline
from indexer.query.request import parse_search_request
from indexer.search import suggest
from indexer.search.searcher import Searcher
from indexer.search.suggest import NO_FILTERS, Probe
from indexer.text.grams import is_cjk

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


ANY_CITY, ANY_DATE, ANY_KIND = "不限縣市", "不限日期", "不限類型"
ANY_AGENCY, ANY_COUNTRY = "不限機關", "不限國家"


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


# -- spellings from the index's own text, on every engine ---------------------


@pytest.fixture(scope="module", params=ENGINES)
def engine_searcher(request, engine_index_dir):
    s = Searcher(engine_index_dir(request.param), engine=request.param)
    yield s
    s.close()


@pytest.mark.parametrize("q, offered", [
    ("八伐市", ["八代市"]),  # a name no dictionary has: found in the reports' text
    ("熊木縣", ["熊本縣"]),
    ("八带", ["八代"]),  # simplified 带: respelled from its Traditional form 八帶
    ("國際交留", ["國際交流"]),
    ("友好成市", ["友好城市"]),
    ("姊妹市市", ["姊妹市"]),  # not 姊妹市及 (jieba: 姊妹市/及)
    ("八伐市 港口", ["八代市 港口"]),  # only the term that finds nothing is respelled
    ("iclie", ["iclei"]),  # a Latin word, inside 2014ICLEI in the text
    ("量子電腦", []),  # nothing near it in the reports
    ("abcdefg", []),
    # every word is in the reports, only no passage holds all three: nothing to respell
    # (the dictionary's words offered 八代 出口 締結, 八代 港正 締結)
    ("八代 港口 締結", []),
])
def test_spellings_come_from_the_reports_text(engine_searcher, q, offered):
    result = engine_searcher.search(parse_search_request({"q": q}))
    assert result.total == 0
    spellings = [s for s in result.suggestions if s.kind == "spelling"]
    assert [s.text for s in spellings] == offered
    for suggestion in spellings:  # each finds what it says, and the best first
        assert suggestion.total == engine_searcher.search(_followed(suggestion.url)).total > 0
    assert [s.total for s in spellings] == sorted((s.total for s in spellings), reverse=True)


def test_a_two_character_typo_offers_words_not_halves_of_them(engine_searcher):
    spellings = [s for s in engine_searcher.search(parse_search_request({"q": "熊木"})).suggestions]
    assert spellings[0].text == "熊本" and len(spellings) <= suggest.MAX_SPELLINGS
    # other words ending in 木 that the reports have (鈴木, 黑木), not 與木 (生產與木結構: 與/木/結構)
    assert {s.text for s in spellings[1:]} <= {"鈴木", "黑木", "圓木", "神木"}


def test_every_engine_lists_the_latin_words_of_its_text(engine_searcher):
    words = list(engine_searcher.index.words())
    near = suggest.Lexicon(lambda: words)
    assert near.near("iclie") == ["iclei"] and near.near("sushu") == ["sushi"]
    if engine_searcher.engine.name == "arrays":  # only those: no CJK, sorted within each segment
        assert words == sorted(words) and not any(is_cjk(w[0]) for w in words)
        assert {"2014", "iclei", "tech"} <= set(words)


class Counting:
    """An engine searcher that counts the calls made to it."""

    def __init__(self, engine):
        self._engine = engine
        self.calls = {"run": 0, "count": 0, "stored": 0}

    def __getattr__(self, name):
        method = getattr(self._engine, name)
        if name not in self.calls:
            return method

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted


# Six terms that each find nothing, each with spellings in the reports.
MANY_TYPOS = "八伐市 熊木縣 國際交留 友好成市 締洁 姊妺市"


@pytest.mark.parametrize("q", ["八伐市", MANY_TYPOS])
def test_looking_up_spellings_is_bounded(engine_searcher, monkeypatch, q):
    counting = Counting(engine_searcher._searcher())
    monkeypatch.setattr(engine_searcher, "_searcher", lambda: counting)
    result = engine_searcher.search(parse_search_request({"q": q}))
    assert result.total == 0
    calls = counting.calls
    probes = calls["run"] - 1 + calls["count"]  # the search's own run aside
    assert 0 < probes <= suggest.MAX_PROBES
    assert calls["stored"] <= (calls["run"] - 1) * suggest.MAX_PASSAGES
    if q == MANY_TYPOS:  # the budget runs out before the last terms (one respelled term still finds nothing)
        assert probes == suggest.MAX_PROBES
    else:  # a run per character, a count per candidate
        assert probes <= len(q) + suggest.MAX_COUNTED
        assert [s.text for s in result.suggestions] == ["八代市"]


def test_spellings_stop_at_the_deadline(engine_searcher):
    counting = Counting(engine_searcher._searcher())
    past = Deadline(0.0)
    probe = Probe(counting, lambda request: counting.count(engine_searcher.parse(request.query), request), past)
    parsed = engine_searcher.parse("八伐市")
    request = parse_search_request({"q": "八伐市"})
    assert suggest.suggestions(request, parsed, engine_searcher.lexicon, lambda r: 0, probe) == ()
    assert counting.calls == {"run": 0, "count": 0, "stored": 0}
    # the same with time left
    probe = Probe(counting, lambda request: counting.count(engine_searcher.parse(request.query), request))
    assert [s.text for s in suggest.suggestions(request, parsed, engine_searcher.lexicon, lambda r: 0, probe)] \
        == ["八代市"]
