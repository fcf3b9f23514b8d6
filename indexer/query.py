"""From a query string to a whoosh query, and back to the characters it matched.

The query language (spaces = AND, OR, -exclude, "phrase", parentheses) is
parsed by `syntax.py`.  Each term or phrase becomes a `Unit` that must occur
in a passage as written, after the fold: a run of character grams at
consecutive positions (Ctrl-F semantics), in any of its spellings (as typed,
simplified → traditional, Japanese → traditional) or, within the reports that
define it, under an alias learned from the text (經團連 ↔ 日本經濟團體連合會).

Top-level terms are a soft AND: a passage with every term scores above one
with fewer, but one with some of them is still found (see `ranking.py`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from whoosh import query as wq

from . import syntax
from .aliases_index import AliasTable
from .analysis import phrase_units, run_pattern, words
from .convert import spellings
from .normalize import fold
from .synonyms import other_forms

Runs = tuple[tuple[str, ...], ...]  # gram runs that must all occur (punctuation splits a term)
COORD = 1000.0  # per matched top-level term: more terms always outrank a better score


@dataclass(frozen=True)
class Unit:
    """A term or phrase of the query, with every form that counts as a match.

    `forms` are its spellings (as typed, simplified → traditional, Japanese →
    traditional); `alias_forms` are other names for it, each valid in some
    reports (learned aliases) or in all (`docs` None: thesaurus, ROC years);
    `parts` are the jieba words of a long term, which let a passage that has
    only some of them be found, ranked below every passage with the term.
    """

    text: str
    forms: tuple[Runs, ...]
    alias_forms: tuple[tuple[str, Runs, frozenset[str] | None], ...] = ()
    parts: tuple[Runs, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.forms


@dataclass(frozen=True)
class ParsedQuery:
    tree: syntax.Node | None
    units: dict[str, Unit]  # by text, for every Term/Phrase in the tree
    notice: str | None = None

    @property
    def empty(self) -> bool:
        return self.tree is None

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(syntax.positive_terms(self.tree))

    def conjuncts(self) -> list[syntax.Node]:
        """The top-level positive terms, each counted once in the soft AND."""
        if isinstance(self.tree, syntax.And):
            return [n for n in self.tree.nodes if not isinstance(n, syntax.Not)]
        return [] if self.tree is None else [self.tree]

    def exclusions(self) -> list[syntax.Node]:
        if isinstance(self.tree, syntax.And):
            return [n.node for n in self.tree.nodes if isinstance(n, syntax.Not)]
        return []


_EMPTY_NOTICE = "查詢中沒有可搜尋的文字。 The query has nothing to search for (only punctuation)."


def _runs(text: str) -> Runs:
    return tuple(tuple(run) for run in phrase_units(text))


# A term this long that jieba cuts into words may be found by its words too.
PARTIAL_MIN_CHARS = 4


def make_unit(text: str, aliases: AliasTable | None = None, phrase: bool = False) -> Unit:
    spelled = spellings(text)
    forms = tuple(f for f in dict.fromkeys(_runs(s) for s in spelled) if f)
    if not forms:
        return Unit(text, ())
    others: dict[str, frozenset[str] | None] = {}
    for spelling in spelled:
        if aliases is not None:
            for alias, docs in aliases.expand(spelling):
                others[alias] = docs if others.get(alias, frozenset()) is not None else None
        for other in other_forms(spelling):
            others[other] = None
    alias_forms = tuple((alias, _runs(alias), docs) for alias, docs in others.items() if _runs(alias))
    parts: tuple[Runs, ...] = ()
    folded = spelled[-1]
    if not phrase and len(folded) >= PARTIAL_MIN_CHARS and len(forms[-1]) == 1:
        pieces = [w for w in words(folded) if len(w) >= 2]
        if len(pieces) >= 2:
            parts = tuple(dict.fromkeys(_runs(w) for w in pieces))
    return Unit(text, forms, alias_forms, parts)


def parse_query(text: str, aliases: AliasTable | None = None) -> ParsedQuery:
    """Parse a query string; malformed syntax falls back to a literal search with a notice.

    >>> parse_query('八代 "SusHi Tech"').units["SusHi Tech"].forms
    ((('sushi', 'tech'),),)
    """
    parsed = syntax.parse(text)
    units: dict[str, Unit] = {}

    def prune(node):
        """Drop terms with nothing searchable in them (only punctuation)."""
        if isinstance(node, syntax.Term | syntax.Phrase):
            unit = units.setdefault(node.text, make_unit(node.text, aliases, isinstance(node, syntax.Phrase)))
            return None if unit.empty else node
        if isinstance(node, syntax.Not):
            inner = prune(node.node)
            return None if inner is None else syntax.Not(inner)
        kept = tuple(n for n in map(prune, node.nodes) if n is not None)
        if isinstance(node, syntax.And):  # a (b -c) is a b -c: exclusions then reach the top
            kept = tuple(g for n in kept for g in (n.nodes if isinstance(n, syntax.And) else (n,)))
        else:  # an alternative left with only exclusions would match nearly everything
            kept = tuple(n for n in kept if not _only_exclusions(n))
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        return type(node)(kept)

    tree = prune(parsed.tree) if parsed.tree is not None else None
    if tree is not None and _only_exclusions(tree):
        tree = None  # only exclusions left once unsearchable terms were dropped
    notice = parsed.notice
    if tree is None and text.strip() and notice is None:
        notice = _EMPTY_NOTICE
    return ParsedQuery(tree, units, notice)


def _only_exclusions(node) -> bool:
    return isinstance(node, syntax.Not) or (
        isinstance(node, syntax.And) and all(isinstance(n, syntax.Not) for n in node.nodes))


# -- to whoosh --------------------------------------------------------------

def _runs_query(field: str, runs: Runs) -> wq.Query:
    parts = [wq.Term(field, run[0]) if len(run) == 1 else wq.Phrase(field, list(run)) for run in runs]
    return parts[0] if len(parts) == 1 else wq.And(parts)


def unit_query(unit: Unit, field: str = "grams", alias_boost: float = 0.8) -> wq.Query:
    """The unit in any spelling, or any of its other names where they hold."""
    alternatives = [_runs_query(field, runs) for runs in unit.forms]
    for _alias, runs, docs in unit.alias_forms:
        q = _runs_query(field, runs)
        if docs is not None:
            in_docs = wq.Or([wq.Term("doc_id", d) for d in sorted(docs)])
            q = wq.And([q, wq.ConstantScoreQuery(in_docs, 0.0)])
        alternatives.append(q.with_boost(alias_boost))
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def node_query(node, parsed: ParsedQuery, field: str = "grams") -> wq.Query:
    """Strict boolean meaning of a node (used below the top level)."""
    if isinstance(node, syntax.Term | syntax.Phrase):
        return unit_query(parsed.units[node.text], field)
    if isinstance(node, syntax.Or):
        return wq.Or([node_query(n, parsed, field) for n in node.nodes])
    if isinstance(node, syntax.And):
        positive = [node_query(n, parsed, field) for n in node.nodes if not isinstance(n, syntax.Not)]
        negative = [node_query(n.node, parsed, field) for n in node.nodes if isinstance(n, syntax.Not)]
        q = wq.And(positive) if len(positive) > 1 else positive[0]
        return wq.AndNot(q, wq.Or(negative)) if negative else q
    raise TypeError(f"unexpected node {node!r}")


def partial_query(node, parsed: ParsedQuery, boost: float = 0.3) -> wq.Query | None:
    """Some of the words of a long term, for passages that lack the whole term."""
    if isinstance(node, syntax.Term) and parsed.units[node.text].parts:
        return wq.Or([_runs_query("grams", runs) for runs in parsed.units[node.text].parts], boost=boost)
    return None


def to_whoosh(parsed: ParsedQuery, strict: bool = False, boosts: bool = True) -> wq.Query:
    """Soft AND over the top-level terms (each matched term adds COORD), minus
    exclusions, plus optional matches in headings, titles and jieba words.
    `strict`: every top-level term required (for results in date order);
    `boosts=False`: without the optional clauses, which change scores but not
    which passages match (for counting)."""
    if parsed.empty:
        return wq.NullQuery
    if strict:
        return node_query(parsed.tree, parsed)
    conjuncts = [node_query(n, parsed) for n in parsed.conjuncts()]
    partial = [q for q in (partial_query(n, parsed) for n in parsed.conjuncts()) if q is not None]
    # Each whole term adds COORD; parts of a term only their (small) score.
    required = wq.Or([wq.ConstantScoreQuery(c, COORD) for c in conjuncts] + conjuncts + partial)
    exclusions = [node_query(n, parsed) for n in parsed.exclusions()]
    if exclusions:
        required = wq.AndNot(required, wq.Or(exclusions))
    if not boosts:
        return required
    optional: list[wq.Query] = []
    for unit in parsed.units.values():
        if unit.text not in parsed.terms:
            continue
        optional.append(unit_query(unit, "heading_grams"))
        optional.append(unit_query(unit, "title_grams"))
        for spelling in spellings(unit.text):
            optional.extend(wq.Term("words", w) for w in words(spelling))
    return wq.AndMaybe(required, wq.Or(optional)) if optional else required


# -- back to the text -------------------------------------------------------

class TextMatcher:
    """Where a query's units occur in one text (the same matches the index made)."""

    def __init__(self, text: str):
        self.folded = fold(text)

    def run_spans(self, run: tuple[str, ...]) -> list[tuple[int, int]]:
        return [m.span() for m in run_pattern(run).finditer(self.folded)]

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
                return 1.0 if literal else 0.9
            if unit.parts:
                found = self.part_spans(unit)
                return 0.5 * sum(map(bool, found)) / len(found)
            return 0.0
        if isinstance(node, syntax.Not):
            return 0.0 if self.satisfies(node.node, parsed, doc_id) else 1.0
        values = [self.satisfies(n, parsed, doc_id) for n in node.nodes]
        return min(values) if isinstance(node, syntax.And) else max(values)


def match_spans(text: str, parsed: ParsedQuery, doc_id: str | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` where a positive term of the query matches, merged and sorted.

    Highlights agree with hits: 台 in the query marks 臺 in the text, 经济 marks
    經濟, and an alias marks the name it stands for.
    """
    if parsed.empty:
        return []
    matcher = TextMatcher(text)
    spans: list[tuple[int, int]] = []
    for term in parsed.terms:
        literal, via_alias = matcher.unit_spans(parsed.units[term], doc_id)
        spans.extend(literal + via_alias)
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
