"""The only place HTML is made from search results: match spans → <mark>,
and the pager's links.

The library hands over data (a hit's `Snippet`, a text's match spans); these
functions escape the text and wrap each span in <mark>, and nothing else, so
that no report text can become markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

from markupsafe import Markup

from indexer.models import SearchRequest, Snippet, Span
from indexer.query.request import query_string


def marked(text: str, spans: list[Span] | tuple[Span, ...], css_class: str = "") -> Markup:
    """Escaped HTML of `text` with <mark> around each span (sorted, not overlapping);
    `css_class` names what the marks mean when they are not the query's (a copy's differences).

    >>> str(marked("<b>八代</b>市", [(3, 5)]))
    '&lt;b&gt;<mark>八代</mark>&lt;/b&gt;市'
    """
    out, last = [], 0
    opening = f'<mark class="{css_class}">' if css_class else "<mark>"
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(opening + html.escape(text[start:end]) + "</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return Markup("".join(out))


def snippet_html(snippet: Snippet) -> Markup:
    return marked(snippet.text, snippet.marks)


def result_json(result) -> dict:
    """A SearchResult as /api/search answers it: its `to_dict()`, each hit (full and
    partial alike, so a client reads both lists the same way) with its snippet also
    as escaped HTML whose only tags are <mark> (`snippet`)."""
    data = result.to_dict()
    for key in ("hits", "partial"):
        for hit, row in zip(getattr(result, key), data[key], strict=True):
            row["snippet"] = str(snippet_html(hit.snippet))
    return data


def highlight(html: str, mark: Callable[[str], str] | None) -> Markup:
    """Safe HTML of a rendered passage (web/render.py) with the query's terms
    in <mark>: `mark` turns each run of its text into escaped, marked HTML."""
    if mark is None:
        return Markup(html)
    marker = _TextMarker(mark)
    marker.feed(html)
    marker.close()
    return Markup("".join(marker.out))


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


def page_links(search_request: SearchRequest, pages: int, window: int = 4) -> dict:
    """The search's pager (see `pager`)."""
    return pager(search_request.page, pages, lambda n: query_string(search_request, page=n), window)


def pager(current: int, pages: int, link: Callable[[int], str], window: int = 4) -> dict:
    """The pager: {"pages": [{"page", "href", "current"}], "prev": href|None, "next": href|None}."""

    def href(n: int) -> str | None:
        return link(n) if 1 <= n <= pages else None

    numbers = range(max(1, current - window), min(pages, current + window) + 1)
    return {
        "pages": [{"page": n, "href": href(n), "current": n == current} for n in numbers],
        "prev": href(current - 1),
        "next": href(current + 1),
    }
