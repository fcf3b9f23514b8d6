"""The JSON API: the same result objects as the pages, as `to_dict()`.

Errors (400 BadRequest, 404 ReportNotFound or unknown route, 503 no index) are
turned into `{"error": ...}` by the handlers registered in `create_app`.
"""

from __future__ import annotations

from flask import Blueprint, request

from indexer.request import parse_search_request

from . import get_searcher

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    search_request = parse_search_request(request.args)
    return get_searcher().search(search_request).to_dict()


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
        "passages": [passage.to_dict() for passage in found.passages],
    }
