"""The HTML pages through a real Flask client over a real index of the bundled corpus:
facets, date errors, sort and page size, the year chart, grouping, the collection,
and the report page's controls."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from indexer.models import FacetValue
from web import create_app
from web.chart import year_chart
from web.filters import facet_split


class Page(HTMLParser):
    """What the tests look at: tags with attributes, ids, and each link with its text."""

    def __init__(self, response) -> None:
        super().__init__()
        self.status = response.status_code
        self.body = response.get_data(as_text=True)
        self.tags: list[tuple[str, dict]] = []
        self.anchors: list[dict] = []  # {"href", "text", **attrs}
        self._open: list[dict] = []
        self.feed(self.body)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "a":
            self._open.append({**attributes, "text": ""})
            self.anchors.append(self._open[-1])

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for anchor in self._open:
            anchor["text"] += data

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}

    @property
    def links(self) -> list[str]:
        return [a["href"] for a in self.anchors if a.get("href")]

    def by_id(self, id_: str) -> dict:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == id_)


def get(client, path="/", **params) -> Page:
    return Page(client.get(path, query_string=params or None))


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def report_path(doc_id: str) -> str:
    return "/reports/" + quote(doc_id, safe="")


@pytest.fixture(scope="module")
def reports(app):
    client = app.test_client()
    listing = client.get("/api/reports").json["reports"]
    return [client.get("/api/" + report_path(r["doc_id"])[1:]).json for r in listing]


FACETS = ["city", "year", "kind", "agency", "country"]


# --- search page: facets, sort, page size, chart, grouping ---------------------------


@pytest.mark.parametrize("name", FACETS)
def test_facets_have_counts_and_toggle_links(client, name):
    values = client.get("/api/search?q=國際").json["facets"][name]
    assert values
    page = get(client, q="國際")
    assert f'id="facet-{name}"' in page.body
    for value in values:
        anchor = next(a for a in page.anchors if a["href"] == value["toggle_url"] + "#results-heading")
        assert str(value["count"]) in anchor["text"]


@pytest.mark.parametrize("name", FACETS)
def test_each_facet_toggle_leads_to_a_page_with_that_value_selected(client, name):
    value = client.get("/api/search?q=國際").json["facets"][name][0]
    chosen = get(client, "/" + value["toggle_url"])
    assert chosen.status == 200
    selected = [a for a in chosen.anchors if a.get("aria-current") == "true" and "selected" in a.get("class", "")]
    shown = "其他" if value["value"] == "other" else value["value"]
    assert any(shown in a["text"] for a in selected)
    # And it is listed as a filter in force, with a link that removes it.
    again = client.get("/api/search" + value["toggle_url"]).json["facets"][name]
    assert next(v for v in again if v["value"] == value["value"])["selected"]


# In the form links write them: dates as the days they stand for.
FILTERS = {"q": "國際", "city": "高雄市", "from": "2022-01-01", "to": "2022-12-31", "kind": "統計分析報告"}


@pytest.mark.parametrize("nav, expected", [
    ("排序", [("相關度", {}), ("最新", {"sort": "newest"}), ("最舊", {"sort": "oldest"})]),
    ("每頁筆數", [("10", {"per_page": "10"}), ("20", {"per_page": "20"}), ("50", {"per_page": "50"}),
                 ("100", {"per_page": "100"})]),
])
def test_sort_and_page_size_links_keep_the_other_parameters(client, nav, expected):
    page = get(client, **FILTERS, page="2", per_page="5")
    start = page.body.index(f'aria-label="{nav}"')
    links = [a for a in page.anchors if a["href"] and page.body.find(a["href"].replace("&", "&amp;"), start) > 0]
    for text, changed in expected:
        link = next(a for a in links if a["text"].strip() == text)
        params = query(link["href"])
        kept = {**FILTERS, "per_page": "5"} if "per_page" not in changed else FILTERS
        assert params == {**kept, **changed}  # and no page: a new order starts at page 1
        assert get(client, "/" + link["href"]).status == 200


def test_the_form_carries_filters_chosen_by_links(client):
    page = get(client, q="國際", kind="出國報告", country="日本", agency="臺北市政府", sort="oldest", per_page="20")
    hidden = {a["name"]: a["value"] for tag, a in page.tags if tag == "input" and a.get("type") == "hidden"}
    assert hidden == {"kind": "出國報告", "country": "日本", "agency": "臺北市政府", "sort": "oldest", "per_page": "20"}


def _options(page) -> list[tuple[str, str]]:
    """The city drop-down's (value, label) pairs."""
    select = re.search(r'<select id="city".*?</select>', page.body, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_form_has_labelled_controls_and_the_cities_the_index_holds(client):
    page = get(client)
    controls = [attrs for tag, attrs in page.tags if tag in ("input", "select") and attrs.get("type") != "hidden"]
    labelled = {attrs.get("for") for tag, attrs in page.tags if tag == "label"}
    assert {attrs["name"] for attrs in controls} == {"q", "city", "from", "to"}
    assert all(attrs["id"] in labelled for attrs in controls)
    # before a search: each city the bundled reports come from, with its reports
    assert _options(page) == [("", "全部縣市"), ("高雄市", "高雄市（2 份報告）"), ("基隆市", "基隆市（1 份報告）"),
                              ("臺中市", "臺中市（1 份報告）"), ("臺北市", "臺北市（1 份報告）")]


def test_the_city_drop_down_counts_what_each_city_would_give(client):
    page = get(client, q="熊本", city="基隆市")
    data = client.get("/api/search", query_string={"q": "熊本"}).json
    counts = {value["value"]: value["count"] for value in data["facets"]["city"]}
    options = _options(page)
    assert options[0] == ("", "全部縣市")
    # the counts ignore the city chosen: what choosing another city would give
    assert {value: label for value, label in options[1:]} == {
        city: f"{city}（{counts.get(city, 0)} 段）" for city in ("高雄市", "基隆市", "臺中市", "臺北市")}
    assert '<option value="基隆市" selected>' in page.body


def test_two_cities_chosen_are_searched_together_and_kept_by_the_form(client):
    data = client.get("/api/search?q=熊本&city=臺中市&city=高雄市&per_page=100").json
    alone = [client.get("/api/search", query_string={"q": "熊本", "city": c}).json["total"] for c in ("臺中市", "高雄市")]
    assert data["total"] == sum(alone) > max(alone) > 0
    assert {hit["city"] for hit in data["hits"]} == {"臺中市", "高雄市"}
    assert {v["value"] for v in data["facets"]["city"] if v["selected"]} == {"臺中市", "高雄市"}
    page = get(client, q="熊本", city=["臺中市", "高雄市"])
    assert _options(page)[0] == ("", "已選 2 個縣市")
    hidden = re.findall(r'<input type="hidden" name="city" value="([^"]*)">', page.body)
    assert hidden == ["臺中市", "高雄市"]
    # each chosen city is an active filter of its own, whose link removes it alone
    for city, other in (("臺中市", "高雄市"), ("高雄市", "臺中市")):
        href = re.search(rf'<a href="([^"]*)" aria-label="移除篩選 縣市：{city}">', page.body).group(1)
        assert parse_qs(urlsplit(html.unescape(href)).query)["city"] == [other]


@pytest.mark.parametrize("params, field", [
    ({"from": "abc"}, "from"),
    ({"to": "abc"}, "to"),
    ({"from": "2022-13-01", "to": "111/12/31"}, "from"),
    ({"from": "111/1/1", "to": "111/2/30"}, "to"),
    ({"from": "112/1/1", "to": "111/12/31"}, "to"),  # each fine alone, not together
    ({"city": "東京"}, "city"),
    ({"q": "字" * 201}, "q"),
])
def test_a_malformed_field_is_explained_next_to_it(client, params, field):
    page = get(client, **{"q": "八代", **params})
    assert page.status == 400
    error = page.by_id(f"{field}-error")
    assert error["role"] == "alert"
    control = page.by_id(field)
    assert control["aria-invalid"] == "true" and f"{field}-error" in control["aria-describedby"].split()
    for other in {"q", "city", "from", "to"} - {field}:
        assert "aria-invalid" not in page.by_id(other) and f"{other}-error" not in page.ids
    # The error sits right after its own control, before the next one.
    assert page.body.index(f'id="{field}"') < page.body.index(f'id="{field}-error"')


def test_a_malformed_parameter_without_a_field_is_explained_above_the_form(client):
    page = get(client, q="八代", sort="sideways", kind="出國報告")
    assert page.status == 400 and "sideways" in page.body and "form-error" in page.ids
    hidden = {a["name"] for tag, a in page.tags if tag == "input" and a.get("type") == "hidden"}
    assert hidden == {"kind"}  # the bad value is not carried on


def test_the_chart_has_one_link_per_year(client):
    years = client.get("/api/search?q=國際").json["facets"]["year"]
    page = get(client, q="國際")
    start, end = page.body.index('class="year-chart"'), page.body.index("</figure>")
    bars = [a for a in page.anchors if a.get("aria-label", "").endswith("筆")
            and start < page.body.index(a["aria-label"]) < end]
    assert sorted(a["aria-label"] for a in bars) == sorted(f"{y['value']} 年：{y['count']} 筆" for y in years)
    assert [a["aria-label"][:4] for a in bars] == sorted(y["value"] for y in years)  # oldest first
    for bar in bars:
        assert query(bar["href"])["from"] == query(bar["href"])["to"] == bar["aria-label"][:4]


@pytest.mark.parametrize("values, expected", [
    ([FacetValue("2022", 4), FacetValue("2020", 2)], [("2020", 2, 40), ("2021", 0, 0), ("2022", 4, 80)]),
    ([FacetValue("2014", 1)], [("2014", 1, 80)]),
    ([], None),
])
def test_year_chart_fills_the_years_between(values, expected):
    chart = year_chart(values)
    assert (chart and [(b["year"], b["count"], b["height"]) for b in chart["bars"]]) == expected


def test_a_selected_facet_value_is_never_folded_away():
    values = [FacetValue(str(n), 10 - n, selected=(n == 8)) for n in range(9)]
    head, tail = facet_split(values, shown=3)
    assert [v.value for v in head] == ["0", "1", "2", "8"] and len(tail) == 5


def test_hits_of_one_report_are_grouped_under_it(client):
    hits = client.get("/api/search?q=國際").json["hits"]
    per_report = {doc: sum(h["doc_id"] == doc for h in hits) for doc in {h["doc_id"] for h in hits}}
    assert max(per_report.values()) > 1
    page = get(client, q="國際")
    for doc in per_report:
        title = next(h["title"] for h in hits if h["doc_id"] == doc)
        assert sum(a["text"] == title for a in page.anchors) == 1
    # up to three of a report's passages open, in rank order; only the rest fold
    for n in {n for n in per_report.values() if n > 3}:
        assert f"本報告在這一頁另有 {n - 3} 段符合" in page.body
    opened = re.findall(r'<ul class="same-report"[^>]*>(.*?)</ul>', page.body, re.S)
    assert sorted(len(re.findall("<li>", block)) for block in opened) == sorted(
        min(n, 3) - 1 for n in per_report.values() if n > 1)
    # every passage of the page is on it, in the order of the hits within each report
    listed = page.body.split('<ol class="hits">')[1].split("</ol>")[0]
    shown = re.findall(r'href="/reports/[^"#]+#(p-[0-9a-f]+)"', listed)
    assert list(dict.fromkeys(shown)) == [
        h["passage_id"] for doc in dict.fromkeys(h["doc_id"] for h in hits) for h in hits if h["doc_id"] == doc]


def test_the_heading_says_which_passages_the_page_shows(client):
    page = get(client, q="國際", page="2")
    assert re.search(r"共 \d+ 筆，第 2 / \d+ 頁（第 11–20 筆）", page.body)


def test_the_csv_link_carries_the_search_but_not_the_page(client):
    page = get(client, **FILTERS, page="2", per_page="5")
    link = next(a for a in page.anchors if a["text"] == "CSV")
    assert urlsplit(link["href"]).path == "/api/search.csv" and query(link["href"]) == FILTERS
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    link = next(a for a in page.anchors if a["text"] == "JSON（每行一筆）")
    assert urlsplit(link["href"]).path == "/api/search.ndjson" and query(link["href"]) == FILTERS
    assert client.get(link["href"]).mimetype == "application/x-ndjson"


def test_the_empty_page_shows_the_collection(client, reports):
    page = get(client)
    assert f"目前收錄 <strong>{len(reports)}</strong> 份報告" in page.body
    assert query(next(a for a in page.anchors if a["text"] == "高雄市")["href"]) == {"city": "高雄市"}
    assert query(next(a for a in page.anchors if a["text"] == "2022 年")["href"]) == {"from": "2022", "to": "2022"}
    for report in reports:  # the bundled corpus is smaller than the "latest" list
        assert report_path(report["doc_id"]) in page.links
    assert "results-heading" not in page.ids


def test_filters_without_a_query_list_matching_passages(client):
    assert "共 " in get(client, city="基隆市").body


@pytest.mark.parametrize("q, shown", [('"視訊會議', "引號不成對"), ("八伐市", "八代市")])
def test_notices_and_suggestions_are_shown(client, q, shown):
    page = get(client, q=q)
    assert page.status == 200 and shown in page.body


def test_hits_link_to_their_passage_with_the_query(client):
    page = get(client, q="熊本", city="台中")
    assert '<option value="臺中市" selected>' in page.body
    data = client.get("/api/search?q=熊本&city=臺中市").json
    assert f"共 {data['total']} 筆" in page.body
    assert data["hits"]
    # the link carries the whole search: the report marks the query and leads back to it
    for hit in data["hits"]:
        path, _, fragment = hit["url"].partition("#")
        assert f"{path}?q=%E7%86%8A%E6%9C%AC&city=%E8%87%BA%E4%B8%AD%E5%B8%82#{fragment}" in page.links
        assert hit["snippet"] in page.body


def test_the_report_leads_back_to_the_search_it_was_opened_from(client):
    search = {"q": "熊本", "city": ["臺中市", "高雄市"], "from": "2020-01-01", "sort": "newest", "page": "2",
              "per_page": "5"}
    page = get(client, **search)
    link = urlsplit(html.unescape(next(a["href"] for a in page.anchors if a["href"].startswith("/reports/"))))
    report = get(client, link.path, **parse_qs(link.query))
    back = next(a["href"] for a in report.anchors if a["text"] == "← 回到搜尋")
    assert parse_qs(urlsplit(html.unescape(back)).query) == {k: v if isinstance(v, list) else [v]
                                                             for k, v in search.items()}
    assert "<mark>熊本</mark>" in report.body


# --- report page ------------------------------------------------------------------------


def test_report_page_has_match_controls_only_with_a_query(client):
    page = get(client, report_path("keelung-2022-yatsushiro-visit"), q="八代")
    buttons = [a for tag, a in page.tags if tag == "button"]
    assert {b.get("class") for b in buttons} >= {"match-prev", "match-next"}
    assert "上一個" in page.body and "下一個" in page.body and "match-counter" in page.ids
    assert "match-nav" not in get(client, report_path("keelung-2022-yatsushiro-visit")).ids
    assert "match-nav" not in get(client, report_path("keelung-2022-yatsushiro-visit"), q="沒有這個詞").ids


def test_every_passage_has_a_labelled_copy_link_and_is_reachable(client, reports):
    for report in reports:
        page = get(client, report_path(report["doc_id"]))
        copy = [a for a in page.anchors if "copy-link" in a.get("class", "")]
        assert [a["href"] for a in copy] == ["#" + p["passage_id"] for p in report["passages"]]
        assert all(a["aria-label"] == "複製這一段的連結" for a in copy)
        assert {p["passage_id"] for p in report["passages"]} <= page.ids
        assert "copy-status" in page.ids
        for link in page.links:  # the table of contents points only at passages that exist
            if link.startswith("#"):
                assert link[1:] in page.ids
        assert ("推定" in page.body) == report["date_inferred"], report["doc_id"]


def test_report_page_shows_metadata_and_marks_the_query(client, reports):
    keelung = next(r for r in reports if "八代" in r["title"])
    page = get(client, report_path(keelung["doc_id"]), q="八代")
    assert keelung["title"] in page.body and keelung["city"] in page.body and keelung["agency"] in page.body
    assert "<mark>八代</mark>" in page.body and "來源" not in page.body


@pytest.mark.parametrize("q, marked", [("八代", "八代"), ("台中", "臺中"), ("八代 熊本", "熊本")])
def test_report_page_marks_query_terms_as_search_folds_them(client, reports, q, marked):
    report = next(r for r in reports if any(marked in p["text"] for p in r["passages"]))
    assert f"<mark>{marked}</mark>" in get(client, report_path(report["doc_id"]), q=q).body


@pytest.mark.parametrize("source, link", [
    ("https://www.example.gov.tw/report/123", "https://www.example.gov.tw/report/123"),
    ("公務出國報告資訊網", None),
])
def test_report_page_shows_its_source(tmp_path, source, link):
    from indexer.index.build import build_index

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "r.txt").write_text(
        f"---\ntitle: 測試報告\nsource: '{source}'\n---\n出國報告\n\n壹、目的\n\n交流。\n", encoding="utf-8")
    build_index(tmp_path / "corpus", tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    page = get(client, "/reports/r")
    assert page.status == 200 and "來源" in page.body and source in page.body
    assert [a["href"] for a in page.anchors if a["text"] == source] == ([link] if link else [])


@pytest.mark.parametrize("source, link", [
    ("https://example.org/a.pdf", "https://example.org/a.pdf"),
    (" javascript:alert(1)", None),  # refused in front matter too; the page keeps it text regardless
    ("data:text/html,x", None),
    ("公務出國報告資訊網", None),
])
def test_only_a_web_address_becomes_a_source_link(source, link):
    from web.filters import web_link

    assert web_link(source) == link


@pytest.mark.parametrize("path", ["/reports/no-such-report", "/reports/..%2F..%2Fsetup.cfg", "/nothing-here"])
def test_unknown_pages_are_html_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html" and 'lang="zh-Hant-TW"' in response.get_data(as_text=True)


# --- passages with only some of the words -----------------------------------------------

NO_FULL_MATCH = "沒有任何段落同時含有全部字詞"


def partial_section(page: Page) -> str:
    """The HTML of the 部分符合 section ('' when there is none)."""
    start = page.body.find('<section class="partial"')
    return page.body[start:page.body.index("</section>", start)] if start >= 0 else ""


@pytest.mark.parametrize("q, heading, note, labels, no_full_match", [
    ("熊本 台積電", "「熊本 台積電」共 3 筆", "另有 33 段只含部分字詞，不計入上方的 3 筆；以下是最相關的 10 段。",
     {"缺少：台積電", "缺少：熊本"}, False),
    ("視訊會議", "「視訊會議」共 4 筆", "另有 17 段只含部分字詞，不計入上方的 4 筆；以下是最相關的 10 段。",
     {"缺少：視訊會議"}, False),
    ("八代 港口 締結", "「八代 港口 締結」共 0 筆", "有 46 段只含部分字詞，不計入總數；以下是最相關的 10 段。",
     {"缺少：八代", "缺少：港口", "缺少：締結", "缺少：八代、港口", "缺少：八代、締結", "缺少：港口、締結"}, True),
])
def test_partial_matches_are_shown_apart_and_not_counted(patient_client, q, heading, note, labels, no_full_match):
    page = get(patient_client, q=q)
    data = patient_client.get("/api/search", query_string={"q": q}).json
    assert heading in page.body  # the total counts full matches only
    section = partial_section(page)
    assert '<h3 id="partial-heading">部分符合</h3>' in section and note in section
    shown = re.findall(r'<p class="hit-missing">([^<]*)</p>', section)
    assert len(shown) == len(data["partial"]) == 10 and set(shown) <= labels
    assert shown == ["缺少：" + "、".join(hit["missing"]) for hit in data["partial"]]
    # Each partial hit is a card like a hit: its title (one level below the section's
    # heading), linked to its passage with the query, and its marked snippet.
    for hit in data["partial"]:
        path, _, fragment = hit["url"].partition("#")
        assert f'<a href="{path}?{urlencode({"q": q})}#{fragment}">' in section
        assert hit["snippet"] in section
    assert section.count('<h4 class="hit-title">') == 10 and "<h3 class=\"hit-title\">" not in section
    # After every full match and after the pager, which pages the full matches.
    assert page.body.rfind('class="hit"') < page.body.find('<section class="partial"')
    assert (NO_FULL_MATCH in page.body) == no_full_match
    assert "partial-hit" not in page.body[:page.body.find('<section class="partial"')]


def test_a_partial_match_by_its_heading_says_where_the_term_is(patient_client):
    section = partial_section(get(patient_client, q="株式会社"))
    assert section.count('<p class="hit-in-heading">見於章節標題：株式会社</p>') == 9
    assert "缺少" not in section


def test_no_full_match_still_offers_suggestions(patient_client):
    # 八伐市 is misspelled (八代市); passages with 港口 match in part
    page = get(patient_client, q="八伐市 港口")
    data = patient_client.get("/api/search", query_string={"q": "八伐市 港口"}).json
    assert [s["text"] for s in data["suggestions"]] == ["八代市 港口"] and data["partial"]
    for suggestion in data["suggestions"]:
        assert suggestion["url"].replace("&", "&amp;") in page.body
    assert page.body.index(NO_FULL_MATCH) < page.body.index('class="suggestions"') < page.body.index(
        '<section class="partial"')


@pytest.mark.parametrize("params", [
    {"q": "八代"},  # one short term
    {"q": "熊本 半導體", "per_page": "5"},  # page 1 of 3: not the last page
    {"q": "熊本", "city": "花蓮縣"},  # nothing at all
])
def test_no_partial_section_without_partial_matches(client, params):
    page = get(client, **params)
    assert page.status == 200
    assert "partial-heading" not in page.ids and "部分符合" not in page.body.replace(
        "只含部分詞的段落另列於「部分符合」", "")  # the form's hint names the section
    assert NO_FULL_MATCH not in page.body


def test_page_counts_count_full_matches_only(client):
    last = get(client, q="熊本 半導體", per_page="5", page="3")
    assert "「熊本 半導體」共 12 筆，第 3 / 3 頁" in last.body
    assert "另有 26 段只含部分字詞，不計入上方的 12 筆；以下是最相關的 5 段。" in partial_section(last)
    assert [query(a["href"]).get("page") for a in last.anchors if a.get("aria-label", "").startswith("第 ")] == [
        "1", "2"]
    past = get(client, q="熊本 半導體", per_page="5", page="4")
    assert "這一頁沒有段落：共 12 筆，只到第 3 頁。" in past.body and NO_FULL_MATCH not in past.body
    assert "不計入上方的 12 筆" in partial_section(past)


def test_the_query_hint_says_what_spaces_mean(client):
    page = get(client)
    hint = page.body[page.body.index('id="q-hint"'):]
    hint = hint[hint.index(">") + 1:hint.index("</p>")]
    assert hint == '空格＝每個詞都須出現（只含部分詞的段落另列於「部分符合」）；OR＝或；-詞＝排除；"引號"＝完整片語；按 / 回到搜尋框，j / k 逐筆移動'
    assert "q-hint" in page.by_id("q")["aria-describedby"].split()


def test_a_search_that_finds_nothing_shows_what_the_collection_covers(client):
    page = get(client, q="札幌")
    section = re.search(r'<section class="coverage".*?</section>', page.body, re.S).group(0)
    assert "本站收錄 5 份報告" in section
    for label, href in (("高雄市", "city=%E9%AB%98%E9%9B%84%E5%B8%82"), ("2022 年", "from=2022&amp;to=2022"),
                        ("出國報告", "kind=%E5%87%BA%E5%9C%8B%E5%A0%B1%E5%91%8A")):
        assert re.search(rf'<a href="/\?{re.escape(href)}">{label} <span class="count">\d+</span></a>', section), label
    # a search that finds something, or only partly, has no such section
    assert 'class="coverage"' not in get(client, q="八代").body
    assert 'class="coverage"' not in get(client, q="八代 港口 締結").body


@pytest.mark.parametrize("params, field", [
    ({"from": "abc"}, "from"), ({"from": "2022-13-01"}, "from"), ({"city": "東京"}, "city"),
    ({"from": "112/1/1", "to": "111/12/31"}, "to"), ({"q": "字" * 201}, "q"),
])
def test_the_page_says_what_is_wrong_in_chinese(client, params, field):
    page = get(client, **{"q": "八代", **params})
    message = re.search(rf'<p class="field-error" id="{field}-error" role="alert">([^<]*)</p>', page.body).group(1)
    assert message and not re.search(r"[A-Za-z]{3,}", message.replace("abc", "")), message
