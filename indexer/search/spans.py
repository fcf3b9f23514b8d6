"""Back from a query to the characters it matched: spans, and the snippet around them (data; HTML is web/'s).

These find in a passage's text the same matches the index made (台 in the
query marks 臺 in the text, 经济 marks 經濟, an alias marks the name it
stands for), so highlights always agree with hits.
"""

from __future__ import annotations

import re

from indexer.ingest.passages import continues_across_break
from indexer.models import HEADING_MARK, Snippet, Span
from indexer.query import syntax
from indexer.query.plan import ParsedQuery, Runs, Unit
from indexer.text.fold import fold_cached
from indexer.text.grams import run_pattern
from indexer.weights import MATCH_ALIAS, MATCH_PARTIAL


class TextMatcher:
    """Where a query's units occur in one text (the same matches the index made)."""

    def __init__(self, text: str):
        self.folded = fold_cached(text)
        self._runs: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # the ranking asks twice

    def run_spans(self, run: tuple[str, ...]) -> list[tuple[int, int]]:
        found = self._runs.get(run)
        if found is None:
            found = self._runs[run] = [m.span() for m in run_pattern(run).finditer(self.folded)]
        return found

    def form_spans(self, runs: Runs) -> list[tuple[int, int]]:
        """Spans of a form, or [] unless every run of it occurs."""
        found = [self.run_spans(run) for run in runs]
        return [s for spans in found for s in spans] if all(found) else []

    def unit_spans(self, unit: Unit, doc_id: str | None = None, aliases: bool = True
                   ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(literal spans, alias spans) of a unit."""
        literal = [s for runs in unit.forms for s in self.form_spans(runs)]
        via_alias = []
        if aliases:
            for _alias, runs, docs in unit.alias_forms:
                if doc_id is None or docs is None or doc_id in docs:
                    via_alias.extend(self.form_spans(runs))
        return literal, via_alias

    def part_spans(self, unit: Unit) -> list[list[tuple[int, int]]]:
        return [self.form_spans(runs) for runs in unit.parts]

    def satisfies(self, node, parsed: ParsedQuery, doc_id: str | None) -> float:
        """1.0 if the node matches as written (in any spelling), 0.9 only through
        another name, up to 0.5 for some of the words of a long term, else 0.0."""
        if isinstance(node, syntax.Term | syntax.Phrase):
            unit = parsed.units[node.text]
            literal, via_alias = self.unit_spans(unit, doc_id)
            if literal or via_alias:
                return 1.0 if literal else MATCH_ALIAS
            if unit.parts:
                found = self.part_spans(unit)
                return MATCH_PARTIAL * sum(map(bool, found)) / len(found)
            return 0.0
        if isinstance(node, syntax.Not):
            return 0.0 if self.satisfies(node.node, parsed, doc_id) else 1.0
        values = [self.satisfies(n, parsed, doc_id) for n in node.nodes]
        return min(values) if isinstance(node, syntax.And) else max(values)


def match_spans(text: str, parsed: ParsedQuery, doc_id: str | None = None,
                matcher: TextMatcher | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` where a positive term of the query matches, merged and sorted.

    Highlights agree with hits: 台 in the query marks 臺 in the text, 经济 marks
    經濟, and an alias marks the name it stands for. A long term that the text
    lacks marks those of its words it has, which found it as a partial match
    (視訊會議: 視訊, 會議).

    >>> from indexer.query.plan import parse_query
    >>> text = "以視訊方式召開會議"
    >>> [text[s:e] for s, e in match_spans(text, parse_query("視訊會議"))]
    ['視訊', '會議']
    """
    if parsed.empty:
        return []
    matcher = matcher or TextMatcher(text)  # the ranking's, when it looked at this text already
    spans: list[tuple[int, int]] = []
    for term in parsed.terms:
        unit = parsed.units[term]
        literal, via_alias = matcher.unit_spans(unit, doc_id)
        spans.extend(literal + via_alias)
        if not (literal or via_alias):
            spans.extend(s for part in matcher.part_spans(unit) for s in part)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# Markdown heading marks are markup, not words (models.HEADING_MARK); line breaks
# inside a snippet only waste room on a results page.
_BREAKS = re.compile(r"\s*\n\s*|\t+")


def _flat(match: re.Match) -> str:
    """What a break in a snippet becomes: nothing inside a sentence that a wrapped
    line or a page break cut (Chinese writes no spaces), else one space."""
    text, start, end = match.string, match.start(), match.end()
    if "\n" not in match.group() or start == 0 or end == len(text):
        return " "
    paragraph_end = text.find("\n\n", end)
    after = text[end : paragraph_end if paragraph_end >= 0 else len(text)]
    return "" if continues_across_break(text[text.rfind("\n", 0, start) + 1 : start], after) else " "


def snippet(text: str, spans: list[Span], width: int = 160) -> Snippet:
    """A window of about `width` characters from just before the first match, the
    matches inside it marked, line breaks flattened, never a match cut in two.

    >>> snippet("前言\\n本市與八代市締結友好城市", [(6, 8)], width=40)
    Snippet(text='前言 本市與八代市締結友好城市', marks=((6, 8),))
    """
    if not spans:
        start, end = 0, min(len(text), width)
    else:
        first = spans[0][0]
        start = max(0, min(first - width // 4, len(text) - width))
        if start < width // 4 and spans[0][1] <= width:  # skipping a few characters is not worth an ellipsis
            start = 0
        end = min(len(text), start + width)
        end = max([end] + [e for s, e in spans if s < end < e])
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    window = text[start:end]
    if "#" in window or "\n" in window or "\t" in window:  # else nothing to flatten (most windows)
        window, where = _tracked_sub(HEADING_MARK, "", window, list(range(end - start + 1)))
        window, where = _tracked_sub(_BREAKS, _flat, window, where)
        marks = tuple((where[s], where[e]) for s, e in inside if where[s] < where[e])
    else:
        marks = tuple((s, e) for s, e in inside if s < e)
    if start > 0:
        window, marks = "…" + window, tuple((s + 1, e + 1) for s, e in marks)
    if end < len(text):
        window += "…"
    return Snippet(window, marks)


def _tracked_sub(pattern: re.Pattern, repl, text: str, where: list[int]) -> tuple[str, list[int]]:
    """`pattern.sub(repl, text)`, and `where` (original offset → offset in `text`)
    carried over to the new text: offsets inside a replaced stretch go to its start."""
    out: list[str] = []
    moved: list[int] = []  # offset in `text` → offset in the result
    length = last = 0
    for match in pattern.finditer(text):
        kept = text[last:match.start()]
        moved.extend(range(length, length + len(kept)))
        out.append(kept)
        length += len(kept)
        moved.extend([length] * (match.end() - match.start()))
        put = repl if isinstance(repl, str) else repl(match)
        out.append(put)
        length += len(put)
        last = match.end()
    moved.extend(range(length, length + len(text) - last + 1))
    return "".join(out) + text[last:], [moved[w] for w in where]
