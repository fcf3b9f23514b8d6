"""The only place HTML is made from search results: match spans → <mark>.

The library hands over data (a hit's `Snippet`, a text's match spans); these
functions escape the text and wrap each span in <mark>, and nothing else, so
that no report text can become markup.
"""

from __future__ import annotations

import html

from markupsafe import Markup

from indexer.models import Snippet, Span


def marked(text: str, spans: list[Span] | tuple[Span, ...]) -> Markup:
    """Escaped HTML of `text` with <mark> around each span (sorted, not overlapping).

    >>> str(marked("<b>八代</b>市", [(3, 5)]))
    '&lt;b&gt;<mark>八代</mark>&lt;/b&gt;市'
    """
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return Markup("".join(out))


def snippet_html(snippet: Snippet) -> Markup:
    return marked(snippet.text, snippet.marks)


def result_json(result) -> dict:
    """A SearchResult as /api/search answers it: its `to_dict()`, each hit with its
    snippet also as escaped HTML whose only tags are <mark> (`snippet`)."""
    data = result.to_dict()
    for hit, row in zip(result.hits, data["hits"], strict=True):
        row["snippet"] = str(snippet_html(hit.snippet))
    return data
