"""The atlas pages and their JSON twins: /partners, /partners/<name>, /api/partners…"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest


def test_partners_lists_yatsushiro_with_keelung_and_its_agreement(client):
    data = client.get("/api/partners").json
    yatsushiro = next(p for p in data["partners"] if p["name"] == "八代市")
    assert yatsushiro["country"] == "日本" and yatsushiro["kind"] == "city"
    assert [c["city"] for c in yatsushiro["cities"]] == ["基隆市"]
    assert ("友好城市", "signed", "2018-04-19") in {(a["kind"], a["state"], a["date"]) for a in yatsushiro["agreements"]}
    assert ("姊妹港", "signed", "2015-08") in {(a["kind"], a["state"], a["date"]) for a in yatsushiro["agreements"]}
    html = client.get("/partners").get_data(as_text=True)
    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"/partners/%E5%85%AB%E4%BB%A3%E5%B8%82\">八代市</a>.*?</tr>",
                    html, re.S)
    assert row and "基隆市" in row.group() and "友好城市（締結 2018-04-19）" in row.group()


def test_the_matrix_is_an_svg_of_cities_and_partners_drawn_by_the_server(client):
    html = client.get("/partners").get_data(as_text=True)
    svg = re.search(r"<svg class=\"matrix\".*?</svg>", html, re.S).group()
    assert "<script" not in svg and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    cell = re.search(r"<a href=\"([^\"]+)\" aria-label=\"基隆市 × 八代市：(\d+) 段，有協定\">", svg)
    assert cell and int(cell.group(2)) > 10
    assert parse_qs(urlsplit(cell.group(1).replace("&amp;", "&")).query) == {"partner": ["八代市"], "city": ["基隆市"]}


@pytest.mark.parametrize("sort", ["passages", "name", "country", "cities", "latest"])
def test_each_sort_orders_the_table_and_is_marked(client, sort):
    data = client.get("/api/partners", query_string={"sort": sort}).json
    names = [p["name"] for p in data["partners"]]
    if sort == "name":
        assert names == sorted(names)
    if sort == "passages":
        counts = [p["passages"] for p in data["partners"]]
        assert counts == sorted(counts, reverse=True)
    html = client.get("/partners", query_string={"sort": sort}).get_data(as_text=True)
    assert html.count("aria-sort=") == 1


def test_a_country_narrows_the_list(client):
    data = client.get("/api/partners", query_string={"country": "韓國"}).json
    assert data["partners"] and {p["country"] for p in data["partners"]} == {"韓國"}
    assert client.get("/api/partners", query_string={"country": "南極"}).json["partners"] == []


@pytest.mark.parametrize("url,status", [
    ("/api/partners?sort=size", 400), ("/partners?sort=size", 400), ("/api/partners/八代市?page=0", 400),
    ("/api/partners/八代市?page=x", 400), ("/api/partners?country=" + "日" * 600, 400),
    ("/api/partners/不存在市", 404), ("/partners/不存在市", 404), ("/api/partners/..%2F..%2Fetc", 404),
    ("/api/partners/八代市?page=999", 200),  # past the last page: an empty page, not an error
])
def test_bad_requests_are_named(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/api/") and status != 200:
        assert response.json["error"]


def test_a_partners_timeline_is_newest_first_with_permalinks_that_highlight(client):
    data = client.get("/api/partners/熊本縣").json
    dates = [e["date"] for e in data["timeline"]]
    assert dates == sorted(dates, reverse=True) and data["total"] >= len(data["timeline"]) > 0
    for entry in data["timeline"]:
        assert entry["written"] in entry["text"]
        start, end = entry["marks"][0]
        assert entry["text"][start:end] == entry["written"]
        page = client.get(entry["url"].split("#")[0]).get_data(as_text=True)
        assert f'id="{entry["passage_id"]}"' in page and f"<mark>{entry['written']}</mark>" in page


def test_a_partner_page_shows_agreements_then_the_timeline(client):
    html = client.get("/partners/八代市").get_data(as_text=True)
    agreements, timeline = html.index("協定</h2>"), html.index("往來紀錄")
    assert agreements < html.index("2018-04-19") < timeline
    assert "民國107年4月19日" in html
    assert html.count('class="timeline-entry"') == 20 and 'rel="next"' in html  # 32 passages: two pages
    second = client.get("/partners/八代市?page=2").get_data(as_text=True)
    assert second.count('class="timeline-entry"') == 12


def test_the_partner_filter_narrows_a_search(client):
    everything = client.get("/api/search", query_string={"q": "友好"}).json
    narrowed = client.get("/api/search", query_string={"q": "友好", "partner": "八代市"}).json
    assert 0 < narrowed["total"] < everything["total"]
    assert {h["doc_id"] for h in narrowed["hits"]} == {"keelung-2022-yatsushiro-visit"}
    facet = {v["value"]: v for v in narrowed["facets"]["partner"]}
    assert facet["八代市"]["selected"] and facet["八代市"]["count"] == narrowed["total"]
    # several partners: any of them (OR)
    both = client.get("/api/search", query_string=[("q", "友好"), ("partner", "八代市"), ("partner", "宮崎縣")]).json
    assert both["total"] > narrowed["total"]


def test_an_index_built_before_partners_has_an_empty_atlas(tmp_path, index_dir):
    import shutil

    from indexer.index import store
    from web import create_app

    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    build = store.current_build(copy)
    manifest = store.read_json(build / "manifest.json")
    (build / "atlas.json").unlink()
    manifest["files"].pop("atlas.json")
    store.write_json(build / "manifest.json", manifest)
    client = create_app({"INDEX_DIR": str(copy), "TESTING": True}).test_client()
    assert client.get("/api/partners").json["partners"] == []
    assert "沒有提到國外交流對象" in client.get("/partners").get_data(as_text=True)
