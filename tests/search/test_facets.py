"""Facets, sorting, grouping and the collection summary, on the bundled corpus."""

from __future__ import annotations

import pytest

from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher


@pytest.fixture(scope="module")
def searcher(index_dir):
    return Searcher(index_dir)


def _search(searcher, **params):
    return searcher.search(parse_search_request({"per_page": "100", **params}))


def test_every_facet_is_there_with_counts_that_add_up(searcher):
    result = _search(searcher, q="熊本")
    assert set(result.facets) == {"city", "year", "kind", "level", "agency", "country", "partner"}
    for name in ("city", "year", "kind", "level", "agency"):  # every bundled report is a city's: 地方
        assert sum(v.count for v in result.facets[name]) == result.total, name
    assert {v.value for v in result.facets["country"]} >= {"日本"}
    assert {v.value for v in result.facets["partner"]} >= {"熊本縣", "熊本市", "八代市"}


@pytest.mark.parametrize(
    "facet,param",
    [("city", "city"), ("kind", "kind"), ("level", "level"), ("agency", "agency"), ("country", "country"),
     ("partner", "partner")],
)
def test_a_facet_value_filters_and_its_toggle_link_undoes_it(searcher, facet, param):
    everything = _search(searcher, q="熊本")
    value = everything.facets[facet][-1]  # the smallest
    chosen = _search(searcher, q="熊本", **{param: value.value})
    assert chosen.total == value.count
    selected = [v for v in chosen.facets[facet] if v.selected]
    assert [v.value for v in selected] == [value.value]
    assert f"{param}=" not in selected[0].toggle_url
    # the facet's own counts ignore its own filter, so other values stay choosable
    assert len(chosen.facets[facet]) == len(everything.facets[facet])


def test_counts_follow_the_other_filters(searcher):
    in_taichung = _search(searcher, q="熊本", city="臺中市")
    assert [v.value for v in in_taichung.facets["agency"]] == ["臺中市政府經濟發展局"]
    assert {v.value for v in in_taichung.facets["year"]} == {"2025"}


def test_year_facet_links_set_the_date_range(searcher):
    result = _search(searcher, q="姊妹市")
    year = result.facets["year"][0]
    assert f"from={year.value}" in year.toggle_url and f"to={year.value}" in year.toggle_url
    chosen = _search(searcher, q="姊妹市", **{"from": year.value, "to": year.value})
    assert chosen.total == year.count
    assert [v.selected for v in chosen.facets["year"] if v.value == year.value] == [True]


@pytest.mark.parametrize("sort,newest_first", [("newest", True), ("oldest", False)])
def test_sorting_by_date(searcher, sort, newest_first):
    result = _search(searcher, q="姊妹市", sort=sort)
    dates = [hit.date for hit in result.hits]
    assert dates == sorted(dates, reverse=newest_first)
    assert result.total == len(result.hits) > 1


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_every_order_counts_only_passages_with_every_term(searcher, sort):
    result = _search(searcher, q="熊本 半導體", sort=sort, per_page="100")
    assert result.total == len(result.hits) == 12  # what Ctrl-F finds in the bundled reports
    assert all("熊本" in h.text and "半導體" in h.text for h in result.hits)
    assert sum(v.count for v in result.facets["city"]) == result.total
    # the passages with one of the two come apart, each saying which it lacks
    assert result.partial_total == 26 and len(result.partial) == 26
    assert all(h.missing == (("熊本",) if "半導體" in h.text else ("半導體",)) for h in result.partial)


@pytest.mark.parametrize("q,total,in_heading", [
    # 7 paragraphs name a company 株式会社 (or 株式會社); 9 more sit in sections headed with one
    ("株式会社", 7, 9),
    ("宮崎県庁", 7, None),  # the sections headed 拜會宮崎縣政府… (its other name) follow too
])
def test_a_term_only_the_heading_path_holds_makes_a_partial_match_that_says_so(searcher, q, total, in_heading):
    from indexer.search.spans import TextMatcher

    result = _search(searcher, q=q)
    plan = searcher.parse(q)
    assert result.total == total
    found = [h for h in result.partial if h.in_heading]
    assert found if in_heading is None else len(found) == result.partial_total == in_heading
    for hit in found:
        assert hit.in_heading == (q,) and hit.missing == ()
        assert TextMatcher(hit.heading).satisfies(plan.tree, plan, hit.doc_id) >= 0.9
        assert TextMatcher(hit.text).satisfies(plan.tree, plan, hit.doc_id) < 0.9  # Ctrl-F: not a full match


@pytest.mark.parametrize("params,years", [
    ({"q": "口罩"}, {"2020": 6, "2022": 3}),  # the 2020–21 report (written 2022) in 2020: its period's start
    ({"q": "口罩", "from": "109年", "to": "110年"}, {"2020": 6}),
    ({"q": "口罩", "from": "2021", "to": "2022"}, {"2021": 6, "2022": 3}),  # the first year inside the range
    ({"q": "交流", "from": "2022-10", "to": "2025"}, None),
])
def test_the_year_facet_counts_what_the_page_lists_inside_the_dates(searcher, params, years):
    """One definition of a passage's time (its report's period, to the report date) for the
    filter and the year facet: each passage once, in the first year of it the dates allow."""
    result = _search(searcher, **params)
    counted = {v.value: v.count for v in result.facets["year"]}
    assert sum(counted.values()) == result.total
    if years is not None:
        assert counted == years
    if "from" in params:
        request = result.request
        assert all(request.date_from[:4] <= year <= request.date_to[:4] for year in counted)


def test_hits_are_grouped_by_report(searcher):
    result = _search(searcher, q="熊本", per_page="10")
    groups = result.grouped()
    assert sum(1 + len(more) for _, more in groups) == len(result.hits)
    assert len({best.doc_id for best, _ in groups}) == len(groups)
    assert all(h.doc_id == best.doc_id for best, more in groups for h in more)


def test_collection_summary(searcher):
    summary = searcher.collection()
    assert summary["reports"] == 5 and summary["passages"] > 50
    assert {c["value"]: c["count"] for c in summary["by_city"]}["高雄市"] == 2
    assert [y["value"] for y in summary["by_year"]] == ["2025", "2024", "2022", "2014"]
    assert summary["latest"][0]["doc_id"] == "taichung-2025-kyushu-startup-exchange"


def test_export_reads_every_page(searcher):
    result = _search(searcher, q="市", per_page="10")
    exported = searcher.export(parse_search_request({"q": "市"}), limit=1000)
    assert len(exported) == result.total
    assert len({(h.doc_id, h.passage_id) for h in exported}) == len(exported)


@pytest.mark.parametrize("newest", [True, False])
def test_date_order_lists_reports_in_reading_order_and_undated_last(newest):
    from indexer.engine.counting import date_order

    class Columns:
        values = {"span_end": [20221103, 0, 20140701, 20221103, 20140701],
                  "doc_id": ["k", "x", "h", "k", "h"], "ordinal": [1, 0, 0, 0, 1]}

    order = date_order([0, 1, 2, 3, 4], Columns(), newest)
    assert order == ([3, 0, 2, 4, 1] if newest else [2, 4, 3, 0, 1])


def test_a_facet_lists_its_most_frequent_values_and_the_chosen_one(monkeypatch):
    from collections import Counter

    from indexer.search import facets

    monkeypatch.setattr(facets, "MAX_VALUES", 3)
    from indexer.engine.counting import FACET_FILTERS

    counts = {name: Counter() for name in FACET_FILTERS}
    counts["agency"] = Counter({f"機關{i:02d}": 100 - i for i in range(10)})
    shown = facets.facet_values(counts, parse_search_request({"q": "八代", "agency": "機關09"}))["agency"]
    assert [(v.value, v.count, v.selected) for v in shown] == [
        ("機關00", 100, False), ("機關01", 99, False), ("機關02", 98, False), ("機關09", 91, True)]


@pytest.mark.parametrize("tally, shown", [
    ({"乙": 5, "甲": 5, "丙": 5, "丁": 1}, sorted(["乙", "甲", "丙"])[:2]),  # ties by value
    ({"a": 1, "b": 2}, ["b", "a"]),
    ({"a": 3, "b": 3, "c": 9, "d": 3}, ["c", "a"]),
    ({}, []),
])
def test_a_facets_values_are_cut_by_count_then_by_value(monkeypatch, tally, shown):
    from collections import Counter

    from indexer.search import facets

    monkeypatch.setattr(facets, "MAX_VALUES", 2)
    assert list(facets._most(Counter(tally))) == shown



@pytest.mark.parametrize("params", [{"q": "口罩", "city": "高雄市"}, {"q": "口罩"}, {"q": "八代"}])
def test_the_country_facet_counts_the_countries_a_passage_is_about(searcher, params):
    """Those the passage names, else the destination of the trip its report tells of; never
    every country its report names (口罩 in 高雄: 以色列 named nowhere in those passages)."""
    from indexer.index.records import passage_countries

    result = _search(searcher, **params)
    counted = {v.value: v.count for v in result.facets["country"]}
    expected: dict[str, int] = {}
    for hit in result.hits:
        meta = searcher.report(hit.doc_id).metadata
        for country in passage_countries(hit.text, meta):
            expected[country] = expected.get(country, 0) + 1
    assert counted == expected
    if params.get("city") == "高雄市":
        assert "以色列" not in counted
