"""The atlas pages: /partners (every partner, a table and a city × partner matrix) and
/partners/<name> (one partner's agreements and the timeline of its passages). Made from
the same objects as /api/partners; templates only loop."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from indexer.query.request import TIMELINE_PER_PAGE, parse_atlas_request

from .atlas import KIND_LABELS, SORT_LABELS, agreements_text, matrix_chart
from .present import pager
from .searcher import get_searcher

bp = Blueprint("atlas", __name__)


@bp.get("/partners")
def partners_page():
    params = parse_atlas_request(request.args)
    atlas = get_searcher().atlas()
    rows = atlas.summaries(params["sort"], params["country"])

    def search_link(partner: str, city: str | None = None) -> str:
        return url_for("views.search_page") + "?" + urlencode({"partner": partner, **({"city": city} if city else {})})

    def sort_link(sort: str) -> str:
        return url_for("atlas.partners_page") + "?" + urlencode(
            {"sort": sort, **({"country": params["country"]} if params["country"] else {})})

    return render_template(
        "partners.html", rows=rows, params=params, countries=atlas.countries(),
        chart=matrix_chart(atlas.matrix(), search_link, lambda name: url_for("atlas.partner_page", name=name)), sort_labels=SORT_LABELS, sort_link=sort_link,
        kind_labels=KIND_LABELS, agreements_text=agreements_text, search_link=search_link,
    )


@bp.get("/partners/<name>")
def partner_page(name: str):
    params = parse_atlas_request(request.args)
    partner, entries = get_searcher().partner_timeline(name, params["page"], TIMELINE_PER_PAGE)
    pages = -(-partner.passages // TIMELINE_PER_PAGE)

    def page_href(page: int) -> str:
        return url_for("atlas.partner_page", name=name) + (f"?page={page}" if page > 1 else "")

    def permalink(entry) -> str:
        return (url_for("views.report_page", doc_id=entry.mention.doc_id) + "?" + urlencode({"q": entry.written})
                + "#" + entry.mention.passage_id)

    return render_template(
        "partner.html", partner=partner, entries=entries, page=params["page"], pages=pages,
        pager=pager(params["page"], pages, page_href), permalink=permalink, kind_labels=KIND_LABELS,
        search_href=url_for("views.search_page") + "?" + urlencode({"partner": name}),
    )
