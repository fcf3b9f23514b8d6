"""Validation of search parameters: everything is accepted or refused with a reason."""

from __future__ import annotations

import pytest

from indexer.errors import BadRequest
from indexer.query.request import parse_search_request, query_string


@pytest.mark.parametrize(
    "params,field,expected",
    [
        ({"q": "  八代   熊本 "}, "query", "八代 熊本"),
        ({"city": "台中"}, "city", "臺中市"),
        ({"city": "臺中市"}, "city", "臺中市"),
        ({"city": "高雄"}, "city", "高雄市"),
        ({"city": "花蓮縣"}, "city", "花蓮縣"),
        ({"city": "台東"}, "city", "臺東縣"),
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


def test_query_string_round_trips_and_changes():
    request = parse_search_request({"q": "八代", "city": "台中", "page": "2"})
    assert query_string(request) == "?q=%E5%85%AB%E4%BB%A3&city=%E8%87%BA%E4%B8%AD%E5%B8%82&page=2"
    assert "city" not in query_string(request, city=None)


@pytest.mark.parametrize(
    "params,field,expected",
    [
        ({"kind": "出國報告"}, "kind", "出國報告"),
        ({"agency": " 基隆市政府 "}, "agency", "基隆市政府"),
        ({"country": "日本"}, "country", "日本"),
        ({"sort": "newest"}, "sort", "newest"),
        ({}, "sort", "relevance"),
    ],
)
def test_facet_filters_and_sort(params, field, expected):
    assert getattr(parse_search_request(params), field) == expected


@pytest.mark.parametrize(
    "params,message",
    [
        ({"kind": "公文"}, "kind must be one of"),
        ({"sort": "random"}, "sort must be one of"),
        ({"agency": "局" * 201}, "agency has more than"),
        ({"page": "1001"}, "page"),
    ],
)
def test_facet_filters_and_sort_refused(params, message):
    with pytest.raises(BadRequest, match=message):
        parse_search_request(params)
