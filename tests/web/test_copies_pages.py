"""Copies on the pages: 亦見於 N 份報告 on a hit and beside a passage, the page that sets the
copies side by side with their differences marked, folding copies, /api/duplicates."""

from __future__ import annotations

import re

import pytest

COPY = "keelung-2023-copy"
ORIGINAL = "keelung-2022-yatsushiro-visit"


@pytest.fixture
def client(copies_app):
    return copies_app.test_client()


def copied_hits(client, **params) -> list[dict]:
    hits = client.get("/api/search", query_string={"q": "扶輪社", "per_page": 100, **params}).json["hits"]
    return [h for h in hits if h["copy_count"]]


def test_a_hit_says_where_else_it_stands(client):
    hits = copied_hits(client)
    assert {h["doc_id"] for h in hits} == {COPY, ORIGINAL}
    for hit in hits:
        other = {COPY: ORIGINAL, ORIGINAL: COPY}[hit["doc_id"]]
        assert hit["copy_count"] == 1 and [c["doc_id"] for c in hit["copies"]] == [other]
    html = client.get("/", query_string={"q": "扶輪社"}).get_data(as_text=True)
    assert html.count("亦見於 1 份報告") == 2


def test_folding_keeps_the_first_and_counts_the_copy(client):
    everything = client.get("/api/search", query_string={"q": "扶輪社", "per_page": 100}).json
    folded = client.get("/api/search", query_string={"q": "扶輪社", "per_page": 100, "copies": "fold"}).json
    assert folded["total"] == everything["total"]  # every passage still counts
    assert len(folded["hits"]) == len(everything["hits"]) - 1
    [kept] = [h for h in folded["hits"] if h["copy_count"]]
    assert kept["folded"] == 1
    html = client.get("/", query_string={"q": "扶輪社", "copies": "fold"}).get_data(as_text=True)
    assert "本頁合併 1 段相同內容" in html and 'name="copies" value="fold"' in html
    assert "列出每一份相同內容" in html  # the way back
    assert "合併相同內容" in client.get("/", query_string={"q": "扶輪社"}).get_data(as_text=True)
    assert "合併相同內容" not in client.get("/", query_string={"q": "宮崎縣"}).get_data(as_text=True)


def test_folding_across_pages(client):
    """A copy whose original was on an earlier page is not shown again."""
    pages = [client.get("/api/search", query_string={"q": "扶輪社", "per_page": 1, "page": n,
                                                      "copies": "fold"}).json for n in (1, 2)]
    ids = [(h["doc_id"], h["passage_id"]) for p in pages for h in p["hits"]]
    assert len(ids) == len(set(ids)) and sum(1 for p in pages for h in p["hits"] if h["copy_count"]) == 1


def test_the_reader_marks_the_copied_passage_in_both_reports(client):
    for doc in (COPY, ORIGINAL):
        html = client.get(f"/reports/{doc}").get_data(as_text=True)
        assert html.count("亦見於 1 份報告") == 1, doc


def test_the_copies_page_marks_the_differences(client):
    html = client.get(f"/reports/{COPY}").get_data(as_text=True)
    link = re.search(rf'href="(/reports/{COPY}/copies/[^"]+)">亦見於', html).group(1)
    page = client.get(link).get_data(as_text=True)
    assert ORIGINAL in page
    marks = re.findall(r'<mark class="diff">([^<]*)</mark>', page)
    # the copy updated 17人 to 18人: the 7 and the 8 are marked, the rest is not
    assert "7" in marks and "8" in marks and all(len(m) < 40 for m in marks)


@pytest.mark.parametrize("url,status", [
    (f"/reports/{COPY}/copies/p-nothere", 404), ("/reports/nothere/copies/p-1", 404),
    ("/api/search?q=八代&copies=merge", 400), ("/?q=八代&copies=merge", 400), ("/api/duplicates?page=0", 400),
])
def test_bad_requests(client, url, status):
    assert client.get(url).status_code == status


def test_duplicates_lists_clusters_with_their_earliest_report(client):
    data = client.get("/api/duplicates").json
    assert data["total"] == len(data["clusters"]) >= 2
    cluster = next(c for c in data["clusters"] if {m["doc_id"] for m in c["members"]} == {COPY, ORIGINAL})
    assert cluster["earliest"]["doc_id"] == ORIGINAL and cluster["reports"] == 2 and cluster["size"] == 2


def test_long_copies_are_set_side_by_side_without_marks():
    from indexer.search.copies import DIFF_CHARS, differences

    long = "本市與八代市締結友好城市。" * (DIFF_CHARS // 10)
    assert differences(long, long.replace("本市", "基隆市", 1)) is None
    assert differences("甲乙丙", "甲丁丙") == ([(1, 2)], [(1, 2)])


@pytest.mark.parametrize("url", [
    "/partners/" + "八" * 5000, "/api/partners/" + "%00", "/api/partners/%E5%85%AB%E4%BB%A3%E5%B8%82%2F..",
    "/reports/keelung-2023-copy/copies/" + "p" * 5000, "/api/search?q=八代&copies=fold&page=1000&per_page=100",
])
def test_odd_names_and_deep_pages_answer_plainly(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
