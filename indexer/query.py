"""From a query string to a whoosh query, and back to the characters it matched.

A query is a list of terms: words separated by spaces, or "quoted phrases".
Every term must occur in a passage as written (after the fold), as a run of
character grams at consecutive positions: Ctrl-F semantics.  jieba words of
the query and matches in headings and titles only add to the score.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass

from whoosh import query as wq

from .analysis import grams, phrase_units, words
from .normalize import fold

_TERMS = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # as the user wrote them
    runs: tuple[tuple[str, ...], ...]  # gram units each passage must contain in sequence

    @property
    def empty(self) -> bool:
        return not self.runs


def parse_query(text: str) -> ParsedQuery:
    """Split a query into terms and the gram runs they must match.

    >>> parse_query('八代 "SusHi Tech"').runs
    (('八代', '代'), ('sushi', 'tech'))
    """
    terms = [m.group(1) if m.group(1) is not None else m.group(2) for m in _TERMS.finditer(text)]
    terms = [t.strip() for t in terms if t.strip()]
    runs = tuple(tuple(run) for term in terms for run in phrase_units(term) if run)
    return ParsedQuery(tuple(terms), runs)


def _phrase(field: str, run: tuple[str, ...]) -> wq.Query:
    return wq.Term(field, run[0]) if len(run) == 1 else wq.Phrase(field, list(run))


def to_whoosh(parsed: ParsedQuery) -> wq.Query:
    """Required: every run in the passage text.  Optional: headings, title, words."""
    if parsed.empty:
        return wq.NullQuery
    required = wq.And([_phrase("grams", run) for run in parsed.runs])
    boosts: list[wq.Query] = []
    for run in parsed.runs:
        boosts.append(_phrase("heading_grams", run))
        boosts.append(_phrase("title_grams", run))
    for term in parsed.terms:
        boosts.extend(wq.Term("words", w) for w in words(term))
    return wq.AndMaybe(required, wq.Or(boosts)) if boosts else required


def match_spans(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Character spans of `text` where a run of the query matches, merged and sorted.

    These are the same matches the index made, found again in the text, so
    highlights agree with hits (台 in the query marks 臺 in the text).
    """
    if parsed.empty:
        return []
    at: dict[tuple[str, int], tuple[int, int]] = {}
    starts: dict[str, list[int]] = defaultdict(list)
    for gram in grams(fold(text)):
        at[(gram.text, gram.pos)] = (gram.start, gram.end)
        starts[gram.text].append(gram.pos)
    spans = []
    for run in parsed.runs:
        for pos in starts.get(run[0], ()):
            if all((unit, pos + i) in at for i, unit in enumerate(run)):
                spans.append((at[(run[0], pos)][0], at[(run[-1], pos + len(run) - 1)][1]))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped HTML of `text` with <mark> around each span; no other markup."""
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, spans: list[tuple[int, int]], width: int = 160) -> str:
    """Escaped HTML: a window of about `width` characters from just before the
    first match, the matches inside it marked, line breaks flattened."""
    if not spans:
        cut = text[:width]
        return html.escape(" ".join(cut.split())) + ("…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, min(first - width // 4, len(text) - width))
    if start < width // 4:  # an ellipsis to skip a few characters is not worth it
        start = 0
    end = min(len(text), start + width)
    end = max([end] + [e for s, e in spans if s < end < e])  # never cut a match in two
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = mark(text[start:end], inside)
    # Markdown heading marks (### 三、…) are markup, not words; line breaks
    # inside a snippet only waste room on a results page.
    body = re.sub(r"(?m)^[ \t]*#{1,6}[ \t]+", "", body)
    body = re.sub(r"\s*\n\s*|\t+", " ", body)
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
