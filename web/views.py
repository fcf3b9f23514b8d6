"""The HTML pages: the search page and one page per report.

Both are made from the same objects as the JSON API; templates only loop.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from flask import Blueprint, render_template, request, send_file, url_for

from indexer.errors import BadRequest, ReportNotFound
from indexer.ingest.extract.html import html_encoding
from indexer.ingest.extract.text import text_encoding
from indexer.ingest.ids import safe_text
from indexer.models import SearchRequest
from indexer.query.request import MAX_QUERY_CHARS, pairs, parse_search_request, query_string, to_params
from indexer.search.copies import differences

from .chart import year_chart
from .filters import kind_label
from .present import highlight, marked, page_links
from .render import Outline, render_passage, render_toc
from .searcher import get_searcher

bp = Blueprint("views", __name__)

FACET_LABELS = {"city": "縣市", "year": "年份", "kind": "類型", "level": "層級", "agency": "機關", "country": "國家／地區",
                "partner": "交流對象"}
TYPED_FIELDS = ("q", "city", "from", "to")  # the visible form; refilled with what was typed
# Set by links (facets, sort, page size) and carried through the form as hidden inputs.
CARRIED_FIELDS = ("kind", "level", "agency", "country", "partner", "sort", "copies", "per_page")
PARAMS = TYPED_FIELDS + CARRIED_FIELDS + ("page",)
SORTS = (("relevance", "相關度"), ("newest", "最新"), ("oldest", "最舊"))
PAGE_SIZES = (10, 20, 50, 100)
# A report's passages shown open on a page of results; more of them fold under 另有 N 段.
OPEN_PER_REPORT = 3
MAX_COMPARED = 10  # copies shown side by side on a passage's copies page; the rest are counted


@bp.get("/")
def search_page():
    form = {name: request.args.get(name, "") for name in TYPED_FIELDS}
    searcher = get_searcher()
    collection = searcher.collection(latest=10)
    context = {"form": form, "cities": city_options(collection, (), None), "facet_labels": FACET_LABELS}
    try:
        search_request = parse_search_request(request.args)
    except BadRequest as error:
        errors = field_errors(request.args, error)
        carried = [(name, value) for name in CARRIED_FIELDS if name not in errors
                   for value in request.args.getlist(name) if value]
        return render_template("search.html", errors=errors, carried=carried, **context), 400
    # One city goes in the drop-down; several (chosen from the facet) ride along as
    # hidden fields, and the drop-down says how many.
    form["city"] = search_request.city[0] if len(search_request.city) == 1 else ""
    form["cities_chosen"] = search_request.city if len(search_request.city) > 1 else ()
    context["carried"] = [(k, v) for k, v in pairs(to_params(search_request)) if k in CARRIED_FIELDS]
    # Nothing asked yet: what the collection holds. Filters without a query
    # still search: the Searcher then lists the matching passages by date.
    if not to_params(search_request, sort=None, page=None, per_page=None):
        return render_template("search.html", collection=collection, **context)
    result = searcher.search(search_request)
    context["cities"] = city_options(collection, search_request.city, result.facets.get("city"))
    if not result.total and not result.partial:  # nothing at all: what there is to find
        context["coverage"] = collection
    return render_template(
        "search.html",
        result=result,
        groups=result.grouped(),
        open_per_report=OPEN_PER_REPORT,
        chart=year_chart(result.facets.get("year", ())),
        pager=page_links(search_request, result.pages),
        sorts=[(value, label, query_string(search_request, sort=None if value == "relevance" else value,
                                           page=None), value == search_request.sort) for value, label in SORTS],
        # one link, offered when there is something to fold (a hit on the page has copies) or to undo
        copy_toggle=(("列出每一份相同內容", query_string(search_request, copies=None, page=None))
                     if search_request.fold_copies else
                     ("合併相同內容", query_string(search_request, copies="fold", page=None))
                     if any(h.copy_count for h in result.hits) else None),
        page_sizes=[(n, query_string(search_request, per_page=n, page=None), n == search_request.per_page)
                    for n in PAGE_SIZES],
        active=active_filters(search_request),
        csv_href=export_link(search_request, "csv"),
        ndjson_href=export_link(search_request, "ndjson"),
        query=search_request.query,
        # a hit's link carries the whole search, so that the report leads back to it
        search_params=query_string(search_request)[1:],
        **context,
    )


@bp.get("/reports/<doc_id>")
def report_page(doc_id: str):
    searcher = get_searcher()
    report = searcher.report(doc_id)  # ReportNotFound becomes the 404 page
    # A link parameter, not a search: an over-long one is cut, not refused.
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY_CHARS]
    spans = searcher.matcher(query, report.doc_id) if query else None
    mark = (lambda text: marked(text, spans(text))) if spans else None
    outline = Outline()  # the passages in order: headings nest as the report's do
    passages = [(passage, highlight(render_passage(passage, outline), mark)) for passage in report.passages]
    return render_template(
        "report.html",
        report=report,
        copies=searcher.copies(),
        back_href=back_to_search(request.args),
        meta=report.metadata,
        toc=render_toc(report.passages),
        passages=passages,
        matches=sum(html.count("<mark>") for _, html in passages),
        query=query,
        original_name=PurePosixPath(report.path).name,
    )


@bp.get("/reports/<doc_id>/copies/<passage_id>")
def copies_page(doc_id: str, passage_id: str):
    """A passage and every copy of it, each copy's differences from it marked (and its own
    differences from each copy)."""
    searcher = get_searcher()
    report = searcher.report(doc_id)  # ReportNotFound: 404
    passage = next((p for p in report.passages if p.passage_id == passage_id), None)
    if passage is None:
        raise ReportNotFound(f"no passage {passage_id!r} in report {doc_id!r}")
    copies = searcher.copies()
    others = copies.members(doc_id, passage_id)
    texts: dict[str, dict[str, str]] = {}  # each report read once, however many copies it holds
    compared = []
    for other_doc, other_passage in others[:MAX_COMPARED]:
        if other_doc not in texts:
            texts[other_doc] = {p.passage_id: p.text for p in searcher.report(other_doc).passages}
        ref, text = copies.ref((other_doc, other_passage)), texts[other_doc].get(other_passage, "")
        found = differences(passage.text, text)
        mine, theirs = found or ([], [])
        compared.append({"ref": ref, "html": marked(text, theirs, "diff"), "mine": marked(passage.text, mine, "diff"),
                         "same": found is not None and not mine and not theirs, "unmarked": found is None})
    return render_template("copies.html", report=report, passage=passage, compared=compared, total=len(others),
                           text_html=marked(passage.text, []))


# What may stand in a quoted ASCII filename without confusing a client.
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9 !#$&+,.=@^_`{}~()\[\]-]")
# The formats reports come in; anything else is sent as bytes.
ORIGINAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".doc": "application/msword",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
}


@bp.get("/reports/<doc_id>/original")
def report_original(doc_id: str):
    """The report's file exactly as it was indexed, as a download under its own name."""
    # ReportNotFound (404) for an unknown id, or an original this build does not hold.
    report, path = get_searcher().original(doc_id)
    name = PurePosixPath(report.path).name
    # Always an attachment: an HTML original shown inline would run in this origin.
    mimetype = ORIGINAL_TYPES.get(PurePosixPath(name).suffix.lower()) or \
        mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name="original", max_age=0,
                         etag=report.sha256)
    response.headers["Content-Disposition"] = attachment_header(name)
    if mimetype.startswith("text/"):  # in the charset it is written in (Big5 files are common), not utf-8
        data = path.read_bytes()
        charset = html_encoding(data) if mimetype == "text/html" else text_encoding(data)
        response.headers["Content-Type"] = f"{mimetype}; charset={charset}"
    return response


def attachment_header(name: str) -> str:
    """Content-Disposition for a download named `name` (RFC 6266): an ASCII
    `filename` for old clients and the full name, UTF-8 and percent-encoded,
    in `filename*`.  Control characters (a newline in a file name) become "-".

    >>> print(attachment_header("基隆 報告.pdf"))
    attachment; filename="report.pdf"; filename*=UTF-8''%E5%9F%BA%E9%9A%86%20%E5%A0%B1%E5%91%8A.pdf
    """
    name = safe_text(name)
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
    ascii_stem = _NOT_TOKEN.sub("_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())
    # A name with no ASCII letter or digit left (基隆報告) is "report" to an old client.
    fallback = (ascii_stem if re.search("[A-Za-z0-9]", ascii_stem) else "report") + _NOT_TOKEN.sub("_", suffix)
    # RFC 5987 attr-char: letters, digits and !#$&+-.^_`|~ go as they are.
    return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(name, safe="!#$&+^`|")}'


def back_to_search(args) -> str:
    """The search a report was opened from (its link carries the search's parameters),
    as the search page's URL: query, filters, sort and page kept."""
    params = [(name, value) for name in PARAMS for value in args.getlist(name) if value]
    return url_for("views.search_page") + ("?" + urlencode(params) if params else "")


def city_options(collection: dict, chosen: tuple[str, ...], facet) -> list[tuple[str, str]]:
    """The drop-down's cities, (value, label): those the index holds (and any chosen),
    each with how many passages this search finds there (the city facet's counts, under
    the other filters), or before any search how many reports the index holds of it."""
    held = [c["value"] for c in collection["by_city"] if c["value"] != "不明"]
    if facet is None:
        reports = {c["value"]: c["count"] for c in collection["by_city"]}
        return [(city, f"{city}（{reports.get(city, 0)} 份報告）") for city in dict.fromkeys([*held, *chosen])]
    counts = {value.value: value.count for value in facet}
    listed = sorted(dict.fromkeys([*held, *chosen]), key=lambda c: (-counts.get(c, 0), c))
    return [(city, f"{city}（{counts.get(city, 0)} 段）") for city in listed]


def field_errors(args: Mapping[str, str], error: BadRequest) -> dict[str, str]:
    """Each problem with the field it belongs to: {"from": "無法辨識的日期…"}.

    The library checks all parameters at once; checking each alone tells whose
    the problem is. What only the combination breaks (from after to) goes with `to`.
    """
    errors = {}
    for name in PARAMS:
        if args.get(name):
            try:
                parse_search_request({name: args.getlist(name) if hasattr(args, "getlist") else args[name]})
            except BadRequest as alone:
                errors[name] = in_chinese(str(alone))
    return errors or {"to": in_chinese(str(error))}


# The library's messages say each thing in Chinese and then, for API clients, in English
# in parentheses; the page keeps the Chinese.
_ENGLISH_ASIDE = re.compile(r"\s*\([^()]*[A-Za-z]{2}[^()]*\)")
_ENGLISH_LEADS = ((" accepted forms: ", "："), ("; use one of: ", "；可用："), ("use one of: ", "可用："))


def in_chinese(message: str) -> str:
    """A library message as the page says it: without its English.

    >>> in_chinese("「東京」不是臺灣的縣市名稱 (not a Taiwanese city or county); use one of: 臺北市、新北市")
    '「東京」不是臺灣的縣市名稱；可用：臺北市、新北市'
    >>> in_chinese("無法辨識的日期「abc」(unrecognised date); 可用格式 accepted forms: 2022-09-02、111/9/2")
    '無法辨識的日期「abc」；可用格式：2022-09-02、111/9/2'
    """
    message = _ENGLISH_ASIDE.sub("", message)
    for english, chinese in _ENGLISH_LEADS:
        message = message.replace(english, chinese)
    return message.replace("; ", "；")


def active_filters(search_request: SearchRequest) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    active = []
    for name in ("city", "kind", "level", "agency", "country", "partner"):
        values = getattr(search_request, name)
        for value in values:
            active.append({"label": FACET_LABELS[name], "value": kind_label(value) if name == "kind" else value,
                           "href": query_string(search_request, page=None,
                                                **{name: [v for v in values if v != value]})})
    if search_request.date_from or search_request.date_to:
        span = f"{search_request.date_from or '…'} 至 {search_request.date_to or '…'}"
        active.append({"label": "日期", "value": span,
                       "href": query_string(search_request, page=None, **{"from": None, "to": None})})
    return active


def export_link(search_request: SearchRequest, form: str) -> str:
    """The CSV (or NDJSON) export of this result list (all pages, so no page or page size)."""
    return url_for(f"api.search_{form}", **to_params(search_request, page=None, per_page=None))

