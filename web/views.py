"""The HTML pages: the search page and one page per report.

Both are made from the same objects as the JSON API; templates only loop.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from markupsafe import Markup

from indexer.cities import CITIES
from indexer.errors import BadRequest
from indexer.request import MAX_QUERY_CHARS, parse_search_request, query_string

from . import get_searcher
from .render import render_passage, render_toc

bp = Blueprint("views", __name__)

FACET_LABELS = {"city": "縣市", "year": "年份"}
FORM_FIELDS = ("q", "city", "from", "to")


@bp.get("/")
def search_page():
    # The form is refilled with what was typed, even when it was refused.
    form = {name: request.args.get(name, "") for name in FORM_FIELDS}
    context = {"form": form, "cities": CITIES, "facet_labels": FACET_LABELS}
    try:
        search_request = parse_search_request(request.args)
    except BadRequest as error:
        return render_template("search.html", error=str(error), **context), 400
    form["city"] = search_request.city or ""
    searcher = get_searcher()
    # Nothing asked yet: an introduction and the reports. Filters without a
    # query still search: the Searcher then lists the matching passages.
    if not (search_request.query or search_request.city or search_request.date_from or search_request.date_to):
        return render_template("search.html", reports=searcher.reports(), **context)
    result = searcher.search(search_request)
    return render_template(
        "search.html",
        result=result,
        pager=page_links(search_request, result.pages),
        query=search_request.query,
        **context,
    )


@bp.get("/reports/<doc_id>")
def report_page(doc_id: str):
    searcher = get_searcher()
    report = searcher.report(doc_id)  # ReportNotFound becomes the 404 page
    # A link parameter, not a search: an over-long one is cut, not refused.
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY_CHARS]
    mark = (lambda text: searcher.mark(text, query, report.doc_id)) if query else None
    passages = [(passage, highlight(render_passage(passage), mark)) for passage in report.passages]
    return render_template(
        "report.html",
        report=report,
        meta=report.metadata,
        toc=render_toc(report.passages),
        passages=passages,
        query=query,
    )


@bp.app_template_filter("with_query")
def with_query(url: str, query: str) -> str:
    """`/reports/a#p` -> `/reports/a?q=八代#p`, so the report page can mark the terms."""
    if not query:
        return url
    path, hash_, fragment = url.partition("#")
    return path + "?" + urlencode({"q": query}) + hash_ + fragment


@bp.app_template_filter("roc")
def roc(iso: str | None) -> str:
    """'2022-11-03' -> '民國111年11月3日', '2022-08' -> '民國111年8月'; other text unchanged."""
    if not iso:
        return ""
    parts = iso.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return iso
    units = ("年", "月", "日")
    numbers = [int(parts[0]) - 1911, *(int(part) for part in parts[1:])]
    return "民國" + "".join(f"{n}{unit}" for n, unit in zip(numbers, units, strict=False))


def page_links(search_request, pages: int, window: int = 4) -> dict:
    """The pager: {"pages": [{"page", "href", "current"}], "prev": href|None, "next": href|None}."""
    current = search_request.page

    def href(n: int) -> str | None:
        return query_string(search_request, page=n) if 1 <= n <= pages else None

    numbers = range(max(1, current - window), min(pages, current + window) + 1)
    return {
        "pages": [{"page": n, "href": href(n), "current": n == current} for n in numbers],
        "prev": href(current - 1),
        "next": href(current + 1),
    }


class _TextMarker(HTMLParser):
    """Re-emits trusted HTML unchanged, passing only its text through `mark`.

    The tags come from `render_passage`, so they are copied verbatim; the text
    arrives unescaped (convert_charrefs) and `mark` escapes it again, so marking
    can never turn report text into markup.
    """

    def __init__(self, mark: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.mark = mark
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(self.mark(data))


def highlight(html: str, mark: Callable[[str], str] | None) -> Markup:
    """Safe HTML of a rendered passage with the query's terms in <mark>."""
    if mark is None:
        return Markup(html)
    marker = _TextMarker(mark)
    marker.feed(html)
    marker.close()
    return Markup("".join(marker.out))
