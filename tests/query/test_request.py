"""Validation of search parameters: everything is accepted or refused with a reason."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

import pytest

from indexer.errors import BadRequest
from indexer.models import SearchRequest
from indexer.query.request import parse_search_request, query_string, value_links


@pytest.mark.parametrize(
    "params,field,expected",
    [
        ({"q": "  八代   熊本 "}, "query", "八代 熊本"),
        ({"city": "台中"}, "city", ("臺中市",)),
        ({"city": "臺中市"}, "city", ("臺中市",)),
        ({"city": "高雄"}, "city", ("高雄市",)),
        ({"city": "花蓮縣"}, "city", ("花蓮縣",)),
        ({"city": "台東"}, "city", ("臺東縣",)),
        ({"city": ["台中", "基隆", "臺中市", ""]}, "city", ("臺中市", "基隆市")),  # several: any passes
        ({"from": "2022-09-02"}, "date_from", "2022-09-02"),
        ({"from": "2022"}, "date_from", "2022-01-01"),
        ({"to": "2022"}, "date_to", "2022-12-31"),
        ({"to": "2022-02"}, "date_to", "2022-02-28"),
        ({"from": "111/9/2"}, "date_from", "2022-09-02"),
        ({"from": "111-09-02"}, "date_from", "2022-09-02"),
        ({"to": "民國111年"}, "date_to", "2022-12-31"),
        ({"page": "3"}, "page", 3),
        ({"per_page": "100"}, "per_page", 100),
        ({}, "per_page", 10),
    ],
)
def test_accepted(params, field, expected):
    assert getattr(parse_search_request(params), field) == expected


@pytest.mark.parametrize(
    "params,message",
    [
        ({"q": "八" * 201}, "at most 200"),
        ({"city": "東京"}, "not a Taiwanese city"),
        ({"city": "新竹"}, "not a Taiwanese city"),  # city or county? the user must say
        ({"from": "2022-13-01"}, "no such date"),
        ({"from": "abc"}, "unrecognised date"),
        ({"to": "111/2/30"}, "no such date"),
        ({"from": "2023", "to": "2022"}, "after"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "whole number"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
    ],
)
def test_refused_with_a_reason(params, message):
    with pytest.raises(BadRequest, match=message):
        parse_search_request(params)


def _parsed_back(qs: str) -> SearchRequest:
    assert qs.startswith("?")
    return parse_search_request(dict(parse_qsl(qs[1:], keep_blank_values=True)))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "八代"},
        {"q": '"友好 城市" OR 熊本 -疫情 a&b=c?#%'},  # characters that mean something in a URL
        {"q": "八代", "city": "台中", "page": "2"},
        {"from": "111/9/2", "to": "2022-11"},
        {"q": "交流", "city": "高雄", "from": "2014", "to": "2022", "kind": "統計分析報告", "agency": "高雄市政府",
         "country": "美國", "sort": "oldest", "page": "3", "per_page": "25"},
        {"sort": "relevance", "page": "1", "per_page": "10"},  # defaults, left out of the URL
    ],
)
def test_query_string_round_trips(params):
    request = parse_search_request(params)
    assert _parsed_back(query_string(request)) == request


def test_query_string_with_changes():
    request = parse_search_request({"q": "八代", "city": "台中", "page": "2"})
    assert query_string(request) == "?q=%E5%85%AB%E4%BB%A3&city=%E8%87%BA%E4%B8%AD%E5%B8%82&page=2"
    assert _parsed_back(query_string(request, city=None)) == replace(request, city=())
    assert _parsed_back(query_string(request, page=None, sort="newest")) == replace(request, page=1, sort="newest")
    assert query_string(parse_search_request({"sort": "relevance", "per_page": "10"})) == "?"


@pytest.mark.parametrize(
    "params,field,expected",
    [
        ({"kind": "出國報告"}, "kind", ("出國報告",)),
        ({"agency": " 基隆市政府 "}, "agency", ("基隆市政府",)),
        ({"country": "日本"}, "country", ("日本",)),
        ({"country": ["日本", "韓國"]}, "country", ("日本", "韓國")),
        ({"sort": "newest"}, "sort", "newest"),
        ({}, "sort", "relevance"),
    ],
)
def test_facet_filters_and_sort(params, field, expected):
    assert getattr(parse_search_request(params), field) == expected


@pytest.mark.parametrize(
    "params,message",
    [
        ({"kind": "公函"}, "kind must be one of"),
        ({"level": "省"}, "level must be one of"),
        ({"sort": "random"}, "sort must be one of"),
        ({"agency": "局" * 201}, "agency has more than"),
        ({"page": "1001"}, "page"),
        ({"city": ["台中"] * 3 + [f"x{i}" for i in range(20)]}, "city is given 21 times"),
        ({"kind": ["出國報告", "公函"]}, "kind must be one of"),
    ],
)
def test_facet_filters_and_sort_refused(params, message):
    with pytest.raises(BadRequest, match=message):
        parse_search_request(params)


@pytest.mark.parametrize("params", [
    {"q": "八代"},
    {"q": "熊本 半導體", "city": "臺中市", "from": "2020-01-01", "sort": "newest", "page": "3", "per_page": "50"},
    {"q": "a&b=c", "agency": "臺北市政府 觀光傳播局", "country": "日本"},
    {},
])
@pytest.mark.parametrize("name", ["city", "kind", "agency", "country"])
@pytest.mark.parametrize("value", ["基隆市", "a b&c=d", "出國報告", None, ""])
def test_value_links_are_the_query_strings_they_stand_for(params, name, value):
    request = parse_search_request(params)
    assert value_links(request, name, page=None)(value) == query_string(request, page=None, **{name: value or None})
    # a year: both ends of the range at once
    assert value_links(request, "from", "to", page=None)(value) == query_string(
        request, page=None, **{"from": value or None, "to": value or None})


def _multi_back(qs: str) -> SearchRequest:
    """A query string parsed as Flask does (a filter given several times keeps every value)."""
    from werkzeug.datastructures import MultiDict

    return parse_search_request(MultiDict(parse_qsl(qs[1:], keep_blank_values=True)))


@pytest.mark.parametrize("params", [
    {"q": "八代", "city": ["台中", "基隆"], "country": ["日本", "韓國"], "page": "2"},
    {"kind": ["出國報告", "施政報告"], "level": ["地方"], "agency": ["a&b=c", "臺北市政府 觀光傳播局"]},
])
def test_several_values_of_a_filter_round_trip(params):
    request = parse_search_request(params)
    assert _multi_back(query_string(request)) == request


@pytest.mark.parametrize("chosen,value,after", [
    ((), "臺中市", ("臺中市",)),  # added
    (("臺中市",), "基隆市", ("臺中市", "基隆市")),  # added beside: OR within the facet
    (("臺中市", "基隆市"), "臺中市", ("基隆市",)),  # removed, the other kept
    (("臺中市",), "臺中市", ()),
])
def test_a_facet_value_link_toggles_that_value_alone(chosen, value, after):
    from indexer.query.request import toggle_links

    request = parse_search_request({"q": "八代 港口", "city": list(chosen), "kind": "出國報告", "page": "3"})
    toggled = _multi_back(toggle_links(request, "city", page=None)(value))
    assert toggled == replace(request, city=after, page=1)
