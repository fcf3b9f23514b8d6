"""The HTTP contract (JSON API, errors, headers, hostile text), through a real
Flask client over a real index of the bundled corpus.

The HTML pages themselves are tested in test_pages.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web import create_app
from web.present import marked

HIT_KEYS = {"doc_id", "passage_id", "title", "city", "level", "date", "heading", "text", "snippet", "snippet_text",
            "snippet_marks", "url", "score", "missing", "in_heading", "copy_count", "copies", "folded"}


class _Page(HTMLParser):
    """The parts of a page the tests look at: ids, links, tags and their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def page(response) -> _Page:
    return _Page(response.get_data(as_text=True))


@pytest.fixture(scope="module")
def reports(app):
    """Every report as /api/reports/<id> gives it."""
    client = app.test_client()
    listing = client.get("/api/reports").json["reports"]
    return [client.get("/api/reports/" + quote(r["doc_id"], safe="")).json for r in listing]


# --- /api/search ---------------------------------------------------------------


def test_search_json_has_exactly_the_contracted_keys(client):
    data = client.get("/api/search?q=八代").json
    assert set(data) == {"query", "total", "page", "per_page", "hits", "facets", "notices", "suggestions",
                         "complete", "partial_total", "partial"}
    assert (data["query"], data["page"], data["per_page"]) == ("八代", 1, 10)
    assert data["total"] >= len(data["hits"]) > 0
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["missing"] == []
        assert hit["url"] == "/reports/" + quote(hit["doc_id"], safe="") + "#" + quote(hit["passage_id"], safe="")
        assert re.fullmatch(r"\d{4}(-\d\d){0,2}", hit["date"] or "2000")
    assert {"city", "year"} <= set(data["facets"])
    for values in data["facets"].values():
        for value in values:
            assert {"value", "count"} <= set(value)


# What a search counts: passages with every top-level term. Those with only some
# come apart, on the last page: (query, total, partial_total, terms the partial ones lack).
PARTIAL = [
    ("熊本 半導體", 12, 26, {("半導體",), ("熊本",)}),
    ("視訊會議", 4, 17, {("視訊會議",)}),  # a long term found by its words 視訊, 會議
    ("八代 港口 締結", 0, 46, {("八代",), ("港口",), ("締結",), ("八代", "港口"), ("八代", "締結"), ("港口", "締結")}),
    ("八代", 32, 0, set()),  # one short term: nothing to match partly
]


@pytest.mark.parametrize("q, total, partial_total, missing", PARTIAL)
def test_partial_matches_come_apart_from_the_total(patient_client, all_hits, q, total, partial_total, missing):
    data = patient_client.get("/api/search", query_string={"q": q, "per_page": 100}).json
    assert (data["total"], data["partial_total"]) == (total, partial_total)
    assert len(data["partial"]) == min(partial_total, 100)
    assert {tuple(hit["missing"]) for hit in data["partial"]} <= missing
    assert all(hit["missing"] or hit["in_heading"] for hit in data["partial"])
    # Never counted: no partial passage is a hit, and the facets count the hits alone.
    full = {(hit["doc_id"], hit["passage_id"]) for hit in all_hits(patient_client, q=q)}
    assert len(full) == total
    assert not full & {(hit["doc_id"], hit["passage_id"]) for hit in data["partial"]}
    assert sum(value["count"] for value in data["facets"]["city"]) == total


def test_partial_hits_have_the_shape_of_hits(client):
    data = client.get("/api/search", query_string={"q": "熊本 半導體", "per_page": 20}).json
    assert data["partial"]
    for hit in data["partial"]:
        assert set(hit) == HIT_KEYS
        assert str(marked(hit["snippet_text"], [tuple(span) for span in hit["snippet_marks"]])) == hit["snippet"]
        assert set(re.findall(r"<[^>]*>", hit["snippet"])) <= {"<mark>", "</mark>"}
    # The snippet marks the term the passage has, never the one it lacks.
    lacking = [hit for hit in data["partial"] if hit["missing"] == ["半導體"]]
    assert lacking and all("<mark>熊本</mark>" in hit["snippet"] and "<mark>半導體" not in hit["snippet"]
                           for hit in lacking)


@pytest.mark.parametrize("page, per_page, partial", [
    (1, 5, False),  # 12 full matches: pages 1 and 2 of 3 are not the last
    (2, 5, False),
    (3, 5, True),
    (1, 12, True),  # a last page the full matches fill: the partial ones after them all the same
    (1, 20, True),
    (1, 10, False),  # 12 full matches: page 1 of 2
    (2, 10, True),
    (4, 5, True),  # past the end: no hits, the partial ones still
])
def test_partial_matches_come_on_the_last_page_only(client, page, per_page, partial):
    data = client.get("/api/search", query_string={"q": "熊本 半導體", "page": page, "per_page": per_page}).json
    assert data["total"] == 12
    assert bool(data["partial"]) == bool(data["partial_total"]) == partial
    assert len(data["partial"]) <= per_page


def test_partial_hits_of_a_long_term_mark_the_words_they_have(client, all_hits):
    data = client.get("/api/search", query_string={"q": "視訊會議", "per_page": 100}).json
    assert data["partial"]
    for hit in data["partial"]:  # found by 視訊 or 會議: those are marked, in the snippet's window
        words = {hit["snippet_text"][s:e] for s, e in hit["snippet_marks"]}
        assert words and words <= {"視訊", "會議"}
        assert "<mark>視訊</mark>" in hit["snippet"] or "<mark>會議</mark>" in hit["snippet"]
    for hit in all_hits(client, q="視訊會議"):  # full hits: the whole term only
        assert {hit["snippet_text"][s:e] for s, e in hit["snippet_marks"]} == {"視訊會議"}


def test_snippets_are_escaped_html_with_only_mark_tags(client, all_hits):
    hits = all_hits(client, q="八代") + all_hits(client, q="市")
    assert hits
    for hit in hits:
        assert set(re.findall(r"<[^>]*>", hit["snippet"])) <= {"<mark>", "</mark>"}, hit["snippet"]
        assert "<mark>" in hit["snippet"]


def test_searching_yatsushiro_finds_every_passage_that_contains_it(client, reports, all_hits):
    expected = {
        (report["doc_id"], passage["passage_id"])
        for report in reports
        for passage in report["passages"]
        if "八代" in passage["text"]
    }
    found = {(hit["doc_id"], hit["passage_id"]) for hit in all_hits(client, q="八代")}
    assert len(expected) >= 10
    assert found == expected


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"q": "字" * 201}, "200"),
        ({"q": "八代", "from": "2022-13-01"}, "2022-13-01"),
        ({"q": "八代", "from": "abc"}, "abc"),
        ({"q": "八代", "to": "abc"}, "abc"),
        ({"q": "八代", "from": "2023", "to": "2022"}, "from"),
        ({"q": "八代", "from": "112/1/1", "to": "111/12/31"}, "from"),
        ({"q": "八代", "page": "0"}, "page"),
        ({"q": "八代", "page": "abc"}, "page"),
        ({"q": "八代", "per_page": "0"}, "per_page"),
        ({"q": "八代", "per_page": "101"}, "per_page"),
        ({"q": "八代", "city": "東京"}, "東京"),
        ({"q": "八代", "city": ["台中", "東京"]}, "東京"),  # one bad value of several
        ({"q": "八代", "country": [f"國{i}" for i in range(21)]}, "21"),  # more values than a filter takes
        ({"q": "八代", "kind": ["出國報告", "公函"]}, "公函"),
    ],
)
def test_bad_search_parameters_are_400_with_a_message(client, params, fragment):
    api = client.get("/api/search", query_string=params)
    assert api.status_code == 400
    assert set(api.json) == {"error"} and fragment in api.json["error"]

    html = client.get("/", query_string=params)
    assert html.status_code == 400
    body = html.get_data(as_text=True)
    assert 'role="alert"' in body and '<form class="search-form"' in body
    # What was typed is still in the form, so it can be corrected.
    for name in ("q", "from", "to"):
        if name in params:
            assert any(tag == "input" and attrs.get("name") == name and attrs.get("value") == params[name]
                       for tag, attrs in page(html).tags)


def test_a_query_of_exactly_200_characters_is_accepted(client):
    assert client.get("/api/search", query_string={"q": "字" * 200}).status_code == 200


def test_a_city_without_reports_gives_no_hits(client):
    data = client.get("/api/search", query_string={"q": "市", "city": "花蓮縣"}).json
    assert (data["total"], data["hits"]) == (0, [])


@pytest.mark.parametrize("city", ["台中", "臺中", "台中市", "臺中市", "中市"])
def test_city_spellings_give_the_same_hits(client, city, all_hits):
    expected = all_hits(client, q="熊本", city="臺中市")
    assert expected and {hit["city"] for hit in expected} == {"臺中市"}
    assert all_hits(client, q="熊本", city=city) == expected


@pytest.mark.parametrize(
    "roc, gregorian",
    [
        ({"from": "111/1/1", "to": "111/12/31"}, {"from": "2022-01-01", "to": "2022-12-31"}),
        ({"from": "111-01-01", "to": "111-12-31"}, {"from": "2022", "to": "2022"}),
        ({"from": "民國111年"}, {"from": "2022"}),
        ({"to": "103年"}, {"to": "2014-12-31"}),
    ],
)
def test_roc_dates_filter_like_gregorian_ones(client, roc, gregorian, all_hits):
    assert all_hits(client, q="國際", **roc) == all_hits(client, q="國際", **gregorian)


@pytest.mark.parametrize(
    "params, cities",
    [
        ({"to": "103年"}, {"高雄市"}),  # only the 2014 half-year report covers 2014
        ({"from": "114年"}, {"臺中市"}),  # only Taichung's trip is in 2025
    ],
)
def test_date_filters_keep_only_reports_overlapping_the_range(client, params, cities, all_hits):
    hits = all_hits(client, q="國際", **params)
    assert hits and {hit["city"] for hit in hits} == cities


def test_empty_query_is_not_an_error(client):
    assert client.get("/api/search").status_code == 200
    assert client.get("/api/search?q=").json["query"] == ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["q", "city", "from", "to", "page", "per_page"]), st.text(max_size=30)))
def test_no_input_gives_a_server_error(app, params):
    client = app.test_client()
    api = client.get("/api/search", query_string=params)
    assert api.status_code in (200, 400) and api.is_json
    assert client.get("/", query_string=params).status_code in (200, 400)


# --- /api/reports ---------------------------------------------------------------


def test_report_list_and_each_report(client, reports):
    listing = client.get("/api/reports").json["reports"]
    assert len(listing) == 5
    for summary, report in zip(listing, reports, strict=True):
        assert set(summary) == {"doc_id", "title", "city", "level", "date", "kind"}
        assert report["doc_id"] == summary["doc_id"] and report["title"] == summary["title"]
        assert set(report["period"]) == {"start", "end"}
        assert report["passages"]
        for passage in report["passages"]:
            assert set(passage) == {"passage_id", "heading", "text"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/reports/no-such-report",
        "/api/reports/不存在的報告",
        "/api/reports/..%2F..%2Fsetup.cfg",
        "/api/reports/%2E%2E%2Fsetup.cfg",
        "/api/reports/../../setup.cfg",
        "/api/reports/..",
        "/api/reports/%00",
        "/api/reports/..%5C..%5Csetup.cfg",
        "/api/nothing-here",
    ],
)
def test_unknown_reports_and_routes_under_api_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json) == {"error"}


def test_wrong_method_under_api_is_json(client):
    response = client.post("/api/search")
    assert response.status_code == 405 and set(response.json) == {"error"}


# --- headers and static files on every page ----------------------------------


@pytest.mark.parametrize("path", ["/", "/?q=八代", "/api/search?q=八代", "/api/reports", "/nothing"])
def test_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client, reports):
    for path in ["/", "/?q=八代", "/reports/" + quote(reports[0]["doc_id"], safe="") + "?q=市"]:
        for tag, attrs in page(client.get(path)).tags:
            assert tag != "style" and "style" not in attrs
            assert tag != "script" or attrs.get("src", "").startswith("/static/")
            assert not any(name.startswith("on") for name in attrs)


@pytest.mark.parametrize("path", ["/static/style.css", "/static/report.js"])
def test_static_files_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()  # send_file keeps the file open until then


# --- hostile report text ----------------------------------------------------------

HOSTILE = """出國報告

服務機關：基隆市政府
報告日期：111年11月3日

壹、目的

測試 <script>alert(1)</script> 與 "><img src=x onerror=alert(1)> 的內容。

貳、過程

<b onmouseover=alert(2)>粗體</b> [連結](javascript:alert(3)) 結束。
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    from indexer.index.build import build_index

    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus").mkdir()
    (root / "corpus" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    build_index(root / "corpus", root / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(root / "index")}).test_client()


@pytest.mark.parametrize("path", ["/reports/hostile", "/reports/hostile?q=alert", "/?q=alert", "/?q=<script>"])
def test_markup_in_a_report_is_shown_as_text(hostile_client, path):
    response = hostile_client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    parsed = page(response)
    assert not any(tag == "img" for tag, _ in parsed.tags)
    assert all(tag != "script" or attrs.get("src") for tag, attrs in parsed.tags)
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert not any(link.lower().startswith("javascript:") for link in parsed.links)
    if path != "/?q=<script>":
        text = re.sub(r"<[^>]*>", "", body)  # <mark> may split it
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # still there, as text


def test_hostile_snippets_stay_escaped(hostile_client):
    hits = hostile_client.get("/api/search?q=alert").json["hits"]
    assert hits
    for hit in hits:
        assert set(re.findall(r"<[^>]*>", hit["snippet"])) <= {"<mark>", "</mark>"}


# --- no index yet -------------------------------------------------------------------


def test_without_an_index_pages_say_so(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "missing")}).test_client()
    api = client.get("/api/search?q=八代")
    assert api.status_code == 503 and "jiaoliu index" in api.json["error"]
    html = client.get("/")
    assert html.status_code == 503 and "jiaoliu index" in html.get_data(as_text=True)


def test_zero_hits_offer_to_drop_the_filter_that_excluded_everything(client):
    data = client.get("/api/search", query_string={"q": "熊本", "city": "花蓮縣"}).json
    assert data["total"] == 0
    assert [s["kind"] for s in data["suggestions"]] == ["drop_filter"]
    follow = client.get("/api/search" + data["suggestions"][0]["url"]).json
    assert follow["total"] == data["suggestions"][0]["total"] > 0


# --- the original file ------------------------------------------------------------


@pytest.fixture(scope="module")
def originals_client(tmp_path_factory, corpus_dir):
    """An index of a PDF with a Chinese file name and an HTML page."""
    from conftest import make_html, make_pdf

    from indexer.index.build import build_index

    text = (corpus_dir / "keelung-2022-yatsushiro-visit.txt").read_text(encoding="utf-8")
    root = tmp_path_factory.mktemp("originals")
    (root / "corpus").mkdir()
    (root / "corpus" / "基隆出國報告.pdf").write_bytes(make_pdf(text))
    (root / "corpus" / "page.html").write_bytes(make_html(text))
    (root / "corpus" / "big5.txt").write_bytes(text.encode("cp950", errors="replace"))
    (root / "corpus" / "big5-page.html").write_bytes(
        b'<html><head><meta charset="big5"></head><body><p>' + text[:400].encode("cp950") + b"</p></body></html>")
    (root / "corpus" / "utf8.md").write_text(text, encoding="utf-8")
    build_index(root / "corpus", root / "index")
    return create_app({"TESTING": True, "INDEX_DIR": str(root / "index")}).test_client(), root / "corpus"


@pytest.mark.parametrize("doc_id,name,mimetype", [
    ("基隆出國報告", "基隆出國報告.pdf", "application/pdf"),
    ("page", "page.html", "text/html"),
    ("big5", "big5.txt", "text/plain"),
    ("big5-page", "big5-page.html", "text/html"),
    ("utf8", "utf8.md", "text/markdown"),
])
def test_a_report_offers_its_original_file_for_download(originals_client, doc_id, name, mimetype):
    client, corpus = originals_client
    report = client.get("/api/reports/" + quote(doc_id, safe="")).json
    assert report["original_url"] == "/reports/" + quote(doc_id, safe="") + "/original"
    with client.get(report["original_url"]) as response:  # closes the file sent
        assert response.status_code == 200 and response.mimetype == mimetype
        assert response.data == (corpus / name).read_bytes()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")  # never shown inline: an HTML original must not run here
    assert "filename*=UTF-8''" + quote(name) in disposition or f'filename={name}' in disposition
    html = client.get("/reports/" + quote(doc_id, safe="")).get_data(as_text=True)
    assert f'href="{report["original_url"]}"' in html and name in html


@pytest.mark.parametrize("doc_id, charset", [("big5", "big5"), ("big5-page", "big5"), ("utf8", "utf-8"),
                                             ("page", "utf-8")])
def test_a_text_original_is_served_in_the_charset_it_is_written_in(originals_client, doc_id, charset):
    client, _corpus = originals_client
    with client.get(f"/reports/{doc_id}/original") as response:
        assert response.mimetype_params["charset"] == charset
        if charset == "big5":  # what a browser reads with that charset is the text indexed
            text = client.get(f"/api/reports/{doc_id}").json["passages"][0]["text"]
            assert text[:20] in response.data.decode("cp950")


def test_a_file_name_with_a_newline_is_served_under_a_safe_id_and_name(tmp_path, corpus_dir):
    """Before: the id kept the newline and werkzeug refused the header (500)."""
    from indexer.index.build import build_index

    (tmp_path / "corpus").mkdir()
    data = (corpus_dir / "keelung-2022-yatsushiro-visit.txt").read_bytes()
    (tmp_path / "corpus" / "基隆\n報告.txt").write_bytes(data)
    build_index(tmp_path / "corpus", tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert [r["doc_id"] for r in client.get("/api/reports").json["reports"]] == ["基隆-報告"]
    url = "/reports/" + quote("基隆-報告")
    assert client.get(url).status_code == 200
    with client.get(url + "/original") as response:
        assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"report.txt\"; filename*=UTF-8''" + quote("基隆-報告.txt"))


@pytest.mark.parametrize("name,expected", [
    ("page.html", "attachment; filename=\"page.html\"; filename*=UTF-8''page.html"),
    ("a\nb.txt", "attachment; filename=\"a-b.txt\"; filename*=UTF-8''a-b.txt"),
    ("a\r\nSet-Cookie: x=1.txt", "attachment; filename=\"a--Set-Cookie_ x=1.txt\"; "
                                  "filename*=UTF-8''a--Set-Cookie%3A%20x%3D1.txt"),
    ('x"; filename=evil.exe".pdf', "attachment; filename=\"x__ filename=evil.exe_.pdf\"; "
                                   "filename*=UTF-8''x%22%3B%20filename%3Devil.exe%22.pdf"),
    ("café.pdf", "attachment; filename=\"cafe.pdf\"; filename*=UTF-8''caf%C3%A9.pdf"),
    ("基隆.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''%E5%9F%BA%E9%9A%86.pdf"),
    ("..pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''..pdf"),
    ("x\u202efdp.exe", "attachment; filename=\"x-fdp.exe\"; filename*=UTF-8''x-fdp.exe"),
])
def test_download_names_follow_rfc_6266(name, expected):
    from web.views import attachment_header

    assert attachment_header(name) == expected


def test_the_original_of_an_unknown_report_is_404(client):
    assert client.get("/reports/no-such-report/original").status_code == 404
    assert client.get("/reports/..%2F..%2Fsetup.cfg/original").status_code == 404


@pytest.mark.parametrize(
    "iso, shown",
    [
        ("2022-11-03", "民國111年11月3日"),
        ("2022-08", "民國111年8月"),
        ("1912", "民國1年"),
        ("1911-12-31", ""),  # no ROC form before 民國1年: the page shows the Western date alone
        ("1850", ""),
        ("0999-05", ""),
        ("", ""),
        (None, ""),
        ("不明", "不明"),
    ],
)
def test_roc_years_are_never_zero_or_negative(iso, shown):
    from web.filters import roc

    assert roc(iso) == shown


def test_a_report_dated_before_1912_shows_its_western_date_alone(tmp_path, monkeypatch):
    import dataclasses
    import shutil

    from conftest import CORPUS

    import indexer.ingest.corpus
    from indexer.index.build import build_index

    # A build made before dates were checked could hold such a date.
    extract = indexer.ingest.corpus.extract_metadata
    monkeypatch.setattr(indexer.ingest.corpus, "extract_metadata",
                        lambda *args, **kwargs: dataclasses.replace(extract(*args, **kwargs), date="1850-05"))
    (tmp_path / "corpus").mkdir()
    shutil.copy(CORPUS / "keelung-2022-yatsushiro-visit.txt", tmp_path / "corpus" / "keelung.txt")
    build_index(tmp_path / "corpus", tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    for url in ("/reports/keelung", "/?q=八代", "/"):
        html = client.get(url).get_data(as_text=True)
        assert '<time datetime="1850-05">1850-05</time>' in html, url
        assert "民國-" not in html and "（）" not in html, url


def test_warm_up_reads_ahead_and_tolerates_a_missing_index(index_dir, tmp_path):
    from web import create_app, warm_up
    from web.searcher import EXTENSION

    app = warm_up(create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}))
    assert app.extensions[EXTENSION].searcher is not None  # opened before the first request
    empty = warm_up(create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}))
    assert empty.test_client().get("/api/search?q=x").status_code == 503


def test_passage_text_is_served_without_markdown_marks(client, all_hits):
    """The Keelung report writes its headings as markdown (#### 四、兩市過去的互動): the API's
    `text`, in hits and in the report, is the text as read, the heading line without its marks."""
    hits = all_hits(client, q="兩市過去的互動")
    assert hits and all(not re.search(r"(?m)^\s*#", hit["text"]) for hit in hits)
    assert any(hit["text"].startswith("四、兩市過去的互動") for hit in hits)
    report = client.get("/api/reports/keelung-2022-yatsushiro-visit").json
    assert report["passages"] and all(not re.search(r"(?m)^\s*#{1,6}\s", p["text"]) for p in report["passages"])


@pytest.mark.parametrize("path", ["/api/search.csv", "/api/search.ndjson"])
def test_an_export_with_a_bad_parameter_is_a_400_before_any_row(client, path):
    response = client.get(path, query_string={"q": "八代", "city": ["台中", "東京"]})
    assert response.status_code == 400 and "東京" in response.json["error"]
