"""Template filters, and marking query terms inside already-rendered HTML.

Registered on the app by `views.bp`; pure functions otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from flask import Blueprint
from markupsafe import Markup

from indexer.models import FacetValue, Snippet
from indexer.text.dates import ROC_OFFSET

from . import present

bp = Blueprint("filters", __name__)

KIND_LABELS = {"other": "其他"}
FACET_SHOWN = 6  # values shown before "更多"; the rest fold into a <details>


@bp.app_template_filter("with_query")
def with_query(url: str, query: str) -> str:
    """`/reports/a#p` -> `/reports/a?q=八代#p`, so the report page can mark the terms."""
    if not query:
        return url
    path, hash_, fragment = url.partition("#")
    return path + "?" + urlencode({"q": query}) + hash_ + fragment


@bp.app_template_filter("roc")
def roc(iso: str | None) -> str:
    """'2022-11-03' -> '民國111年11月3日', '2022-08' -> '民國111年8月'; other text unchanged.

    A year before 民國1年 (1912) has no ROC form: '' (the page shows the
    Western date alone, never 民國-61年).
    """
    if not iso:
        return ""
    parts = iso.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return iso
    if int(parts[0]) <= ROC_OFFSET:
        return ""
    units = ("年", "月", "日")
    numbers = [int(parts[0]) - ROC_OFFSET, *(int(part) for part in parts[1:])]
    return "民國" + "".join(f"{n}{unit}" for n, unit in zip(numbers, units, strict=False))


@bp.app_template_filter("snippet_html")
def snippet_html(snippet: Snippet) -> Markup:
    """A hit's snippet with its matches in <mark> (web/present.py)."""
    return present.snippet_html(snippet)


@bp.app_template_filter("kind_label")
def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


@bp.app_template_filter("web_link")
def web_link(source: str | None) -> str | None:
    """The source as a link target only when it is an http(s) URL: front matter
    is free text, and a `javascript:` source must stay text."""
    if source and urlsplit(source.strip()).scheme in ("http", "https"):
        return source.strip()
    return None


@bp.app_template_filter("facet_split")
def facet_split(values: Sequence[FacetValue], shown: int = FACET_SHOWN) -> tuple[list, list]:
    """(values to show, values folded under "更多"); a selected value is always shown,
    so it can be unselected without opening anything."""
    head = list(values[:shown])
    tail = []
    for value in values[shown:]:
        (head if value.selected else tail).append(value)
    return head, tail


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
