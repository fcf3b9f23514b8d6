"""The JSON API: the same result objects as the pages, as `to_dict()`; plus
the current result list as CSV and the API's own OpenAPI description.

Errors (400 BadRequest, 404 ReportNotFound or unknown route, 503 no index) are
turned into `{"error": ...}` by the handlers registered in `create_app`.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request, url_for

from indexer.models import Hit
from indexer.query.request import parse_search_request

from . import get_searcher
from .present import result_json

bp = Blueprint("api", __name__, url_prefix="/api")

EXPORT_LIMIT = 1000
CSV_COLUMNS = ("報告", "日期", "縣市", "章節", "段落連結", "doc_id", "passage_id")
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); report text is not ours to trust.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@bp.get("/search")
def search():
    search_request = parse_search_request(request.args)
    return result_json(get_searcher().search(search_request))


@bp.get("/search.csv")
def search_csv():
    # The export is the whole result list, so a page link's page/per_page
    # must neither narrow it nor be able to refuse it.
    params = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    search_request = parse_search_request(params)
    hits = get_searcher().export(search_request, limit=EXPORT_LIMIT)
    return Response(
        # Never request.url_root: it is made from the Host header, which the client chooses.
        hits_csv(hits, current_app.config.get("PUBLIC_URL", "")),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(csv_filename(search_request.query))},
    )


def hits_csv(hits: list[Hit], root: str) -> str:
    """The hits as CSV with a header row, each passage link `root` + hit.url
    (`https://example.org/reports/…#…`, or `/reports/…#…` when `root` is empty).

    Starts with a byte-order mark: without it Excel reads UTF-8 as the
    system code page and Chinese comes out garbled.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    base = root.rstrip("/")
    for hit in hits:
        row = (hit.title, hit.date, hit.city, hit.heading, base + hit.url, hit.doc_id, hit.passage_id)
        writer.writerow([spreadsheet_safe(cell or "") for cell in row])
    return out.getvalue()


def spreadsheet_safe(cell: str) -> str:
    """'=1+1' -> "'=1+1": a leading apostrophe makes spreadsheets show the cell as text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_filename(query: str) -> str:
    """'八代 市長' -> 'jiaoliu-八代_市長.csv'; no query -> 'jiaoliu.csv'."""
    stem = re.sub(r"[^\w-]+", "_", query).strip("_")[:60]
    return f"jiaoliu-{stem}.csv" if stem else "jiaoliu.csv"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII `filename` for old clients and the
    real name as RFC 5987 `filename*`, which browsers prefer."""
    fallback = filename if filename.isascii() else "jiaoliu.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.get("/reports")
def reports():
    return {"reports": get_searcher().reports()}


@bp.get("/reports/<doc_id>")
def report(doc_id: str):
    # The Searcher looks doc_id up in its own table, so `../` or an encoded
    # slash can only ever miss (404), never name a file.
    found = get_searcher().report(doc_id)
    return {
        "doc_id": found.doc_id,
        **found.metadata.to_dict(),
        "original_url": url_for("views.report_original", doc_id=found.doc_id),
        "passages": [passage.to_dict() for passage in found.passages],
    }


@bp.get("/openapi.json")
def openapi():
    # Imported here because the description reads this module's constants.
    from .openapi import openapi_description

    return openapi_description()
