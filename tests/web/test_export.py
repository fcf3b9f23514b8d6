"""GET /api/search.csv: the current result list as a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote

import pytest

from indexer.index.build import build_index
from web import create_app, export

COLUMNS = ["報告", "日期", "日期推定", "縣市", "機關", "類型", "章節", "段落文字", "段落連結", "查詢", "doc_id", "passage_id"]


def read_csv(response) -> list[dict]:
    """The rows of a CSV response, after checking its BOM and header."""
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def as_row(hit: dict, report: dict, query: str) -> dict:
    return {"報告": hit["title"], "日期": hit["date"] or "", "日期推定": "是" if report["date_inferred"] else "",
            "縣市": hit["city"] or "", "機關": report["agency"] or "", "類型": report["kind"] or "",
            "章節": hit["heading"], "段落文字": hit["text"], "段落連結": hit["url"], "查詢": query,
            "doc_id": hit["doc_id"], "passage_id": hit["passage_id"]}


def _reports(client) -> dict:
    return {r["doc_id"]: client.get(f"/api/reports/{r['doc_id']}").json for r in client.get("/api/reports").json["reports"]}


@pytest.mark.parametrize("params", [
    {"q": "八代"},
    {"q": "姊妹市", "sort": "newest"},
    {"q": "市", "city": "高雄市"},
    {"q": "日本", "from": "2022", "to": "111/12/31"},
    {},
])
def test_rows_are_the_search_hits_in_order(client, params, all_hits):
    response = client.get("/api/search.csv", query_string=params)
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    rows = read_csv(response)
    reports = _reports(client)
    query = " ".join(params.get("q", "").split())
    # a cell that starts like a formula is made text (spreadsheet_safe)
    assert rows and rows == [{k: export.spreadsheet_safe(v) for k, v in as_row(hit, reports[hit["doc_id"]], query).items()}
                             for hit in all_hits(client, **params)]
    assert response.headers["X-Total-Count"] == str(len(rows))


def test_filters_narrow_the_rows(client):
    everything = read_csv(client.get("/api/search.csv", query_string={"q": "市"}))
    keelung = read_csv(client.get("/api/search.csv", query_string={"q": "市", "city": "基隆"}))
    assert 0 < len(keelung) < len(everything)
    assert {row["縣市"] for row in keelung} == {"基隆市"}


def test_page_and_per_page_do_not_narrow_the_export(client):
    whole = read_csv(client.get("/api/search.csv", query_string={"q": "八代"}))
    from_a_page_link = read_csv(client.get("/api/search.csv", query_string={"q": "八代", "page": 2, "per_page": 3}))
    assert from_a_page_link == whole and len(whole) > 3


def test_at_most_the_export_limit(client, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 5)
    assert len(read_csv(client.get("/api/search.csv", query_string={"q": "市"}))) == 5


def test_chinese_round_trips_and_names_the_file(client):
    response = client.get("/api/search.csv", query_string={"q": "八代"})
    rows = read_csv(response)
    assert any("八代市" in row["報告"] for row in rows)
    assert all(row["段落連結"].startswith("/reports/") for row in rows)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="jiaoliu.csv"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "jiaoliu-八代.csv"


@pytest.mark.parametrize("query, filename", [
    ("", "jiaoliu.csv"),
    ("Tokyo 2024", "jiaoliu-Tokyo_2024.csv"),
    ('"八代" ../市長', "jiaoliu-八代_市長.csv"),
])
def test_file_names_carry_the_query_without_unsafe_characters(query, filename):
    assert export.csv_filename(query) == filename


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"q": "字" * 201}, "200"),
        ({"q": "八代", "from": "abc"}, "abc"),
        ({"q": "八代", "from": "2023", "to": "2022"}, "from"),
        ({"q": "八代", "city": "東京"}, "東京"),
        ({"q": "八代", "kind": "遊記"}, "kind"),
        ({"q": "八代", "sort": "random"}, "sort"),
    ],
)
def test_bad_parameters_are_the_api_json_400(client, params, fragment):
    response = client.get("/api/search.csv", query_string=params)
    assert response.status_code == 400
    assert response.is_json and set(response.json) == {"error"} and fragment in response.json["error"]


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("八代市", "八代市"), ("2022-11-03", "2022-11-03"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_formulas_are_neutralised(cell, safe):
    assert export.spreadsheet_safe(cell) == safe


def test_a_report_cannot_inject_a_formula(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "formula.md").write_text(
        '---\ntitle: \'=HYPERLINK("http://evil.example","點我")\'\ncity: 臺南市\ndate: 2023-05-01\n---\n'
        "# @SUM(1+1)\n\n與日本八代市交流，雙方就觀光與產業合作交換意見。\n",
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    rows = read_csv(client.get("/api/search.csv", query_string={"q": "八代"}))
    assert rows
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values()), row
    assert rows[0]["報告"] == "'=HYPERLINK(\"http://evil.example\",\"點我\")"


def test_links_never_come_from_the_host_header(client):
    rows = read_csv(client.get("/api/search.csv", query_string={"q": "八代"}, headers={"Host": "evil.example"}))
    assert rows and all(row["段落連結"].startswith("/reports/") for row in rows)
    assert not any("evil.example" in value for row in rows for value in row.values())


def test_links_start_with_the_configured_public_url(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://jiaoliu.example.org/")
    rows = read_csv(client.get("/api/search.csv", query_string={"q": "八代"},
                               headers={"Host": "evil.example"}))
    assert rows and all(row["段落連結"].startswith("https://jiaoliu.example.org/reports/") for row in rows)


@pytest.mark.parametrize("q, total", [("熊本 半導體", 12), ("視訊會議", 4)])
def test_only_full_matches_are_exported(client, q, total):
    data = client.get("/api/search", query_string={"q": q, "per_page": 100}).json
    assert data["total"] == total and data["partial"]
    rows = read_csv(client.get("/api/search.csv", query_string={"q": q}))
    assert len(rows) == total
    partial = {(hit["doc_id"], hit["passage_id"]) for hit in data["partial"]}
    assert not partial & {(row["doc_id"], row["passage_id"]) for row in rows}


@pytest.mark.parametrize("params", [{"q": "八代"}, {"q": "市", "city": ["基隆市", "高雄市"], "sort": "newest"}])
def test_the_ndjson_export_holds_the_csv_rows_as_json(client, params):
    response = client.get("/api/search.ndjson", query_string=params)
    assert response.status_code == 200 and response.content_type == "application/x-ndjson; charset=utf-8"
    assert 'filename="jiaoliu.ndjson"' in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    rows = [json.loads(line) for line in lines]
    as_csv = read_csv(client.get("/api/search.csv", query_string=params))
    keys = [key for _column, key in export.FIELDS]
    assert rows and all(list(row) == keys for row in rows)
    assert [(r["doc_id"], r["passage_id"]) for r in rows] == [(r["doc_id"], r["passage_id"]) for r in as_csv]
    assert all(isinstance(r["date_inferred"], bool) and r["text"] for r in rows)
    assert response.headers["X-Total-Count"] == str(len(rows))


@pytest.mark.parametrize("form", ["csv", "ndjson"])
def test_an_export_is_made_a_page_at_a_time_and_holds_every_hit_up_to_the_limit(client, all_hits, monkeypatch, form):
    """Pages of 7 hits (EXPORT_PAGE) stitched together are the search's hits in its order;
    the limit cuts them, and X-Total-Count still says how many the search found."""
    import indexer.search.searcher as searcher_module

    monkeypatch.setattr(searcher_module, "EXPORT_PAGE", 7)
    expected = [(h["doc_id"], h["passage_id"]) for h in all_hits(client, q="市")]
    assert len(expected) > 3 * 7

    def exported() -> list[tuple[str, str]]:
        response = client.get(f"/api/search.{form}", query_string={"q": "市"})
        assert response.headers["X-Total-Count"] == str(len(expected))
        if form == "csv":
            return [(r["doc_id"], r["passage_id"]) for r in read_csv(response)]
        return [(r["doc_id"], r["passage_id"]) for r in map(json.loads, response.get_data(as_text=True).splitlines())]

    assert exported() == expected
    monkeypatch.setattr(export, "EXPORT_LIMIT", 10)
    assert exported() == expected[:10]
