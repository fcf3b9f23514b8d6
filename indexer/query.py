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

from dataclasses import dataclass

from whoosh import query as wq
from whoosh.matching import NullMatcherClass, WrappingMatcher

from . import syntax
from .aliases_index import AliasTable
from .analysis import phrase_units, words
from .convert import spellings
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
    required = wq.Or([Coordinated(c) for c in conjuncts] + partial)
    exclusions = [node_query(n, parsed) for n in parsed.exclusions()]
    if exclusions:
        required = wq.AndNot(required, wq.Or(exclusions))
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
