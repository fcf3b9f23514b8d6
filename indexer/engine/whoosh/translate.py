"""A query plan (`indexer.query.plan.ParsedQuery`) as whoosh queries.

What matches is the plan's boolean meaning (`strict`). For the partial
matches (`WhooshSearcher.partial`), the top-level terms are a soft AND: each
matched term adds COORD through its own matcher (`Coordinated`), so a passage
with more of the terms scores above one with fewer. Exclusions are AndNot; the
terms in headings and titles and their jieba words only add (`optional_query`).
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, NullMatcherClass, WrappingMatcher

from indexer.query.plan import ParsedQuery, Runs, Unit, syntax
from indexer.text.spellings import spellings
from indexer.text.words import words
from indexer.weights import ALIAS_BOOST, COORD, PARTIAL_BOOST


class Coordinated(wq.WrappingQuery):
    """`child`, scoring `add` more wherever it matches.

    This is how a matched top-level term is worth COORD whatever its BM25.
    A `ConstantScoreQuery(child, COORD)` beside `child` did the same with two
    matchers per term, and whoosh's ConstantScoreQuery evaluates its child in
    full up front (docs/PERFORMANCE.md: multi-term queries were the slowest).
    """

    def __init__(self, child: wq.Query, add: float = COORD):
        super().__init__(child)
        self.add = add

    def __eq__(self, other):
        return type(other) is type(self) and other.child == self.child and other.add == self.add

    def __hash__(self):
        return hash(self.child) ^ hash(self.add)

    def _rewrap(self, child):
        return Coordinated(child, self.add)

    def matcher(self, searcher, context=None):
        inner = self.child.matcher(searcher, context)
        if isinstance(inner, NullMatcherClass):
            return inner
        return _PlusMatcher(inner, self.add)


class _PlusMatcher(WrappingMatcher):
    """A matcher whose scores (and score bounds) are its child's plus `add`."""

    def __init__(self, child, add: float):
        super().__init__(child)
        self.add = add

    def copy(self):
        return _PlusMatcher(self.child.copy(), self.add)

    def _replacement(self, newchild):
        return _PlusMatcher(newchild, self.add)

    def skip_to_quality(self, minquality):
        return self.child.skip_to_quality(minquality - self.add)

    def max_quality(self):
        return self.child.max_quality() + self.add

    def block_quality(self):
        return self.child.block_quality() + self.add

    def score(self):
        return self.child.score() + self.add


class _AndNotMatcher(AndNotMatcher):
    """whoosh's AndNotMatcher checks its first match against the excluded side only
    when both sides start on the same document: when the excluded side starts
    earlier, a first match that is excluded is kept (與八代市 -兩市 kept a passage
    holding 兩市; tests/engine/test_sampled_totals.py found it). This one moves the
    excluded side up to the first match before checking it."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(wq.AndNot):
    """wq.AndNot with the first match checked (`_AndNotMatcher`)."""

    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


def _runs_query(field: str, runs: Runs) -> wq.Query:
    parts = [wq.Term(field, run[0]) if len(run) == 1 else wq.Phrase(field, list(run)) for run in runs]
    return parts[0] if len(parts) == 1 else wq.And(parts)


def unit_query(unit: Unit, field: str = "grams", alias_boost: float = ALIAS_BOOST) -> wq.Query:
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
        return AndNot(q, wq.Or(negative)) if negative else q
    raise TypeError(f"unexpected node {node!r}")


def partial_query(node, parsed: ParsedQuery, boost: float = PARTIAL_BOOST) -> wq.Query | None:
    """Some of the words of a long term or phrase, for passages that lack the whole of it."""
    if isinstance(node, syntax.Term | syntax.Phrase) and parsed.units[node.text].parts:
        return wq.Or([_runs_query("grams", runs) for runs in parsed.units[node.text].parts], boost=boost)
    return None


def to_whoosh(parsed: ParsedQuery, strict: bool = False, boosts: bool = True) -> wq.Query:
    """Soft AND over the top-level terms (each matched term adds COORD), minus
    exclusions, plus optional matches in headings, titles and jieba words.
    `strict`: every top-level term required (what matches);
    `boosts=False`: without the optional clauses, which change scores but not
    which passages match (for counting)."""
    if parsed.empty:
        return wq.NullQuery
    if strict:
        return node_query(parsed.tree, parsed)
    # a term held in the passage's heading path counts as held (a section about it)
    conjuncts = [wq.Or([node_query(n, parsed), node_query(n, parsed, "heading_grams")]) for n in parsed.conjuncts()]
    partial = [q for q in (partial_query(n, parsed) for n in parsed.conjuncts()) if q is not None]
    # Each whole term adds COORD; parts of a term only their (small) score.
    required = wq.Or([Coordinated(c) for c in conjuncts] + partial)
    exclusions = [node_query(n, parsed) for n in parsed.exclusions()]
    if exclusions:
        required = AndNot(required, wq.Or(exclusions))
    if not boosts:
        return required
    optional = optional_query(parsed)
    return wq.AndMaybe(required, optional) if optional is not None else required


def optional_query(parsed: ParsedQuery) -> wq.Query | None:
    """What adds to a passage's score without deciding whether it matches: the
    terms in headings and titles, and their jieba words."""
    optional: list[wq.Query] = []
    for unit in parsed.units.values():
        if unit.text not in parsed.terms:
            continue
        optional.append(unit_query(unit, "heading_grams"))
        optional.append(unit_query(unit, "title_grams"))
        for spelling in spellings(unit.text):
            optional.extend(wq.Term("words", w) for w in words(spelling))
    return wq.Or(optional) if optional else None
