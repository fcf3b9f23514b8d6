"""From a query string to the plan a search runs: its terms, each with every form that counts.

The query language (spaces = AND, OR, -exclude, "phrase", parentheses) is
parsed by `syntax.py`.  Each term or phrase becomes a `Unit` that must occur
in a passage as written, after the fold: a run of character grams at
consecutive positions (Ctrl-F semantics), in any of its spellings (as typed,
simplified → traditional, Japanese → traditional) or, within the reports that
define it, under an alias learned from the text (經團連 ↔ 日本經濟團體連合會).

A passage matches when it holds every top-level term and none of the excluded
ones; one that holds only some of them (in its text or its heading path, or
some of the words of a long term, `Unit.parts`) is a partial match, found and
counted apart (`indexer.engine.protocol`).
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.query import syntax
from indexer.query.aliases import AliasTable
from indexer.query.synonyms import other_forms, place_names
from indexer.text.fold import fold
from indexer.text.grams import phrase_units
from indexer.text.spellings import spellings
from indexer.text.words import words

Runs = tuple[tuple[str, ...], ...]  # gram runs that must all occur (punctuation splits a term)


@dataclass(frozen=True)
class Unit:
    """A term or phrase of the query, with every form that counts as a match.

    `forms` are its spellings (as typed, simplified → traditional, Japanese →
    traditional); `alias_forms` are other names for it, each valid in some
    reports (learned aliases) or in all (`docs` None: thesaurus, ROC years);
    `parts` are the jieba words of a long term or phrase, which let a passage
    that has only some of them be found among the partial matches (a phrase
    stays whole for the total: its words are never a full match).
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

    @property
    def has_partials(self) -> bool:
        """Whether a passage can match some of the query without matching all of it: any
        query with a positive term (a passage whose heading path holds a term it lacks,
        another of several terms, the words of a long term or phrase)."""
        return bool(self.conjuncts())

    def exclusions(self) -> list[syntax.Node]:
        if isinstance(self.tree, syntax.And):
            return [n.node for n in self.tree.nodes if isinstance(n, syntax.Not)]
        return []


_EMPTY_NOTICE = "查詢中沒有可搜尋的文字（只有標點符號）。"


def _runs(text: str) -> Runs:
    return tuple(tuple(run) for run in phrase_units(text))


# A term this long that jieba cuts into words may be found by its words too.
PARTIAL_MIN_CHARS = 4


# At most this many other names a term gets from names inside it (促參法施行細則).
MAX_INNER_ALIASES = 8
# The most words typed apart that are looked up together as one name (`_named`).
MAX_NAME_WORDS = 6
INNER_ALIAS_CHARS = (3, 8)  # the lengths of the names looked for inside a term


def _inner_aliases(spelling: str, aliases: AliasTable) -> list[tuple[str, frozenset[str]]]:
    """The term with a name inside it written as the reports that define it do:
    促參法施行細則 → 促進民間參與公共建設法施行細則 where 促參法 stands for 促進民間參與公共建設法,
    in those reports only. The whole term's own aliases are `aliases.expand`'s."""
    found: list[tuple[str, frozenset[str]]] = []
    low, high = INNER_ALIAS_CHARS
    for size in range(min(high, len(spelling) - 1), low - 1, -1):
        for start in range(len(spelling) - size + 1):
            inner = spelling[start:start + size]
            for alias, docs in aliases.expand(inner):
                found.append((spelling[:start] + alias + spelling[start + size:], docs))
                if len(found) >= MAX_INNER_ALIASES:
                    return found
    return found


def make_unit(text: str, aliases: AliasTable | None = None) -> Unit:
    spelled = spellings(text)
    forms = tuple(f for f in dict.fromkeys(_runs(s) for s in spelled) if f)
    if not forms:
        return Unit(text, ())
    others: dict[str, frozenset[str] | None] = {}
    for spelling in spelled:
        if aliases is not None:
            for alias, docs in [*aliases.expand(spelling), *_inner_aliases(spelling, aliases)]:
                others[alias] = docs if others.get(alias, frozenset()) is not None else None
        for other in other_forms(spelling):
            others[other] = None
    alias_forms = tuple((alias, _runs(alias), docs) for alias, docs in others.items() if _runs(alias))
    parts: tuple[Runs, ...] = ()
    folded = spelled[-1]
    if len(folded) >= PARTIAL_MIN_CHARS and len(forms[-1]) == 1:
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
    if aliases is not None and parsed.tree is not None:
        parsed = syntax.ParsedSyntax(_named(parsed.tree, aliases), parsed.notice)
    units: dict[str, Unit] = {}

    def prune(node):
        """Drop terms with nothing searchable in them (only punctuation)."""
        if isinstance(node, syntax.Term | syntax.Phrase):
            unit = units.setdefault(node.text, make_unit(node.text, aliases))
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


def _named(node, aliases: AliasTable):
    """`node` with every run of two or more words typed one after another that together
    are a name the reports gave another name to (Fukuoka Growth Next, defined as FGN),
    or a place the gazetteer knows (Rio de Janeiro → 里約), also met as that name: (Fukuoka Growth Next) OR "Fukuoka Growth Next" with its
    aliases. An alias is learned for a whole name, and a query's words are terms apart.

    >>> table = AliasTable([{"short": "FGN", "full": "Fukuoka Growth Next", "kind": "abbreviation", "doc_id": "t"}])
    >>> _named(syntax.parse("新創 Fukuoka Growth Next").tree, table).nodes[1].nodes[1]
    Phrase(text='Fukuoka Growth Next')
    """
    if isinstance(node, syntax.Not):
        return syntax.Not(_named(node.node, aliases))
    if isinstance(node, syntax.Or):
        return syntax.Or(tuple(_named(n, aliases) for n in node.nodes))
    if not isinstance(node, syntax.And):
        return node
    nodes, out, i = node.nodes, [], 0
    while i < len(nodes):
        end = i
        while end < len(nodes) and isinstance(nodes[end], syntax.Term):
            end += 1
        for j in range(min(end, i + MAX_NAME_WORDS), i + 1, -1):  # the longest name first
            name = " ".join(n.text for n in nodes[i:j])
            if aliases.expand(fold(name)) or place_names(fold(name)):
                out.append(syntax.Or((syntax.And(nodes[i:j]), syntax.Phrase(name))))
                i = j
                break
        else:
            out.append(_named(nodes[i], aliases))
            i += 1
    return out[0] if len(out) == 1 else syntax.And(tuple(out))


def _only_exclusions(node) -> bool:
    return isinstance(node, syntax.Not) or (
        isinstance(node, syntax.And) and all(isinstance(n, syntax.Not) for n in node.nodes))
