"""The JSON API: the same result objects as the pages, as `to_dict()`; plus
the current result list as CSV (web/export.py) and the API's own OpenAPI description.

Errors (400 BadRequest, 404 ReportNotFound or unknown route, 503 no index) are
turned into `{"error": ...}` by the handlers registered in `create_app`.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from indexer.query.request import (
    DUPLICATES_PER_PAGE,
    TIMELINE_PER_PAGE,
    parse_atlas_request,
    parse_page,
    parse_search_request,
)

from . import export
from .atlas import partners_json
from .openapi import openapi_description
from .present import result_json
from .searcher import get_searcher

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    search_request = parse_search_request(request.args)
    return result_json(get_searcher().search(search_request))


@bp.get("/search.csv")
def search_csv():
    return _export("csv")


@bp.get("/search.ndjson")
def search_ndjson():
    return _export("ndjson")


def _export(form: str) -> Response:
    """Every passage the search finds, up to export.EXPORT_LIMIT, streamed as they are made."""
    # The export is the whole result list, so a page link's page/per_page
    # must neither narrow it nor be able to refuse it.
    params = {k: request.args.getlist(k) for k in request.args if k not in ("page", "per_page")}
    search_request = parse_search_request({k: v if len(v) > 1 else v[0] for k, v in params.items()})
    searcher = get_searcher()
    total, hits = searcher.export_hits(search_request, limit=export.EXPORT_LIMIT)
    # Never request.url_root: it is made from the Host header, which the client chooses.
    root = current_app.config.get("PUBLIC_URL", "")
    reports = searcher.reports_by_id()
    rows = (export.row(hit, reports.get(hit.doc_id, {}), search_request.query, root) for hit in hits)
    lines, mimetype = ((export.csv_lines(rows), "text/csv; charset=utf-8") if form == "csv"
                       else (export.ndjson_lines(rows), "application/x-ndjson; charset=utf-8"))
    filename = export.csv_filename(search_request.query, "." + form)
    return Response(
        stream_with_context(lines),
        content_type=mimetype,
        headers={"Content-Disposition": export.content_disposition(filename),
                 "X-Total-Count": str(total), "X-Export-Limit": str(export.EXPORT_LIMIT)},
    )


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


@bp.get("/partners")
def partners():
    params = parse_atlas_request(request.args)
    return partners_json(get_searcher().atlas(), params["sort"], params["country"])


@bp.get("/partners/<name>")
def partner(name: str):
    params = parse_atlas_request(request.args)
    found, entries = get_searcher().partner_timeline(name, params["page"], TIMELINE_PER_PAGE)
    return {"partner": found.to_dict(), "page": params["page"], "per_page": TIMELINE_PER_PAGE,
            "total": found.passages, "timeline": [
                {**e.to_dict(), "url": url_for("views.report_page", doc_id=e.mention.doc_id, q=e.written)
                 + "#" + e.mention.passage_id} for e in entries]}


@bp.get("/duplicates")
def duplicates():
    page = parse_page(request.args)
    copies = get_searcher().copies()
    return {"total": len(copies.clusters), "page": page, "per_page": DUPLICATES_PER_PAGE,
            "clusters": copies.page(page, DUPLICATES_PER_PAGE)}


@bp.get("/openapi.json")
def openapi():
    return openapi_description()
