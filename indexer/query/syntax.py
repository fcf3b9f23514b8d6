"""The user's query language, parsed into a small tree.  Pure: no folding, no whoosh.

    熊本 八代              both (AND: terms side by side)
    熊本 OR 八代           either; also `|` or `｜` standing alone as a word
    熊本 -八代             exclude a term, a "phrase" or a -(group)
    "友好 城市"            an exact phrase; also ＂…＂ and “…”
    (熊本 OR 八代) 姊妹市   parentheses group; also （…）

NOT binds tightest, then AND, then OR: `a b OR c` is `(a b) OR c`.  Any
Unicode whitespace separates words, the full-width space U+3000 included.
`OR` is a keyword only in capitals and standing alone; `or`, `AND` and `NOT`
are ordinary words.  A `-` excludes only at the start of a word, so COVID-19
is one term.  「」 and 『』 are ordinary characters: Chinese uses them as
everyday quotation marks around names (「八王子祭」), not as search syntax.

Malformed syntax never raises: the query falls back to a literal search with a
bilingual notice (see `literal`).  A well-formed query with nothing positive
to search (only exclusions, or an OR alternative that only excludes) gives no
tree and a notice, since searching its words literally would find exactly
what the user asked to exclude.

>>> to_text(parse('熊本 -"友好城市" OR （八代 | 基隆）').tree)
'熊本 -"友好城市" OR (八代 OR 基隆)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OR_WORDS = frozenset({"OR", "|", "｜"})
_SYNTAX = re.compile(r'["＂“”()（）]')
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r'|(?P<phrase>["＂“][^"＂”]*["＂”])'
    r'|(?P<quote>["＂“”])'  # reached only by a quote that is never closed, or a stray ”
    r"|(?P<open>[(（])|(?P<close>[)）])"
    r"|(?P<lone>-(?=\s|$))"  # "熊本 - 八代": a dash, not an exclusion
    r"|(?P<not>-)"  # the scanner only ever stands at the start of a word
    r'|(?P<word>[^\s()（）"＂“”]+)'
)
_MAX_DEPTH = 32  # nesting a person types is shallow; a limit keeps recursion far from Python's

_PROBLEMS = {
    "quotes": "引號不成對",
    "empty_quotes": "引號內沒有內容",
    "parens": "括號不成對",
    "empty_parens": "括號內沒有內容",
    "deep": "括號層數過多",
    "minus": "「-」後面要緊接要排除的詞、片語或括號",
    "or": "「OR」要放在兩個搜尋條件之間",
}
EXCLUSIONS_ONLY = (
    "只有排除條件（-），沒有要搜尋的詞；OR 的每一邊也都需要要搜尋的詞。"
)


@dataclass(frozen=True)
class Term:
    text: str  # one word as typed: no whitespace, brackets or quotes; never starts with "-"


@dataclass(frozen=True)
class Phrase:
    text: str  # as typed between the quotes, outer whitespace stripped


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]  # two or more, nesting kept as the user grouped it


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]  # two or more


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True)
class ParsedSyntax:
    tree: Node | None  # None: nothing to search
    notice: str | None = None  # for the user, when the query was not taken as written


class _Malformed(Exception):
    def __init__(self, problem: str):
        self.problem = problem


def parse(query: str) -> ParsedSyntax:
    """The query's tree, or a literal fallback with a notice; never raises.

    >>> parse("熊本 -八代")
    ParsedSyntax(tree=And(nodes=(Term(text='熊本'), Not(node=Term(text='八代')))), notice=None)
    >>> parse('"友好城市').notice
    '查詢語法有誤（引號不成對），已改為逐字搜尋。'
    """
    try:
        tokens = _tokens(query)
        tree = _Parser(tokens).parse() if tokens else None
    except _Malformed as bad:
        notice = f"查詢語法有誤（{_PROBLEMS[bad.problem]}），已改為逐字搜尋。"
        return ParsedSyntax(literal(query), notice)
    if tree is not None and not (_positive(tree) and _searchable(tree)):
        return ParsedSyntax(None, EXCLUSIONS_ONLY)
    return ParsedSyntax(tree)


def literal(query: str) -> Node | None:
    """The fallback: every word must occur, the syntax read as separators.

    Quotes and brackets split words, leading "-" are dropped from each word,
    and the words OR, | and ｜ are dropped (search "OR" in quotes for the word).

    >>> to_text(literal('-熊本 OR "八代（市'))
    '熊本 八代 市'
    """
    words = (w.lstrip("-") for w in _SYNTAX.sub(" ", query).split())
    terms = tuple(Term(w) for w in words if w and w not in _OR_WORDS)
    return None if not terms else terms[0] if len(terms) == 1 else And(terms)


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens = []
    for m in _TOKEN.finditer(query):  # every character matches one alternative
        kind, text = m.lastgroup, m.group()
        if kind == "space":
            continue
        if kind in ("quote", "lone"):
            raise _Malformed("quotes" if kind == "quote" else "minus")
        if kind == "phrase":
            text = text[1:-1].strip()
            if not text:
                raise _Malformed("empty_quotes")
        elif kind == "word" and text in _OR_WORDS:
            kind = "or"
        tokens.append((kind, text))
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)*;  and := unary+;  unary := -primary | primary."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self, offset: int = 0) -> str | None:
        i = self.i + offset
        return self.tokens[i][0] if 0 <= i < len(self.tokens) else None

    def parse(self) -> Node:
        tree = self.or_()
        if self.peek() is not None:  # only a ")" stops the top level early
            raise _Malformed("parens")
        return tree

    def or_(self) -> Node:
        nodes = [self.and_()]
        while self.peek() == "or":
            self.i += 1
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_(self) -> Node:
        nodes = []
        while self.peek() not in (None, "or", "close"):
            nodes.append(self.unary())
        if not nodes:  # next to an OR, between "(" and ")", or at a bracket that does not pair
            if "or" in (self.peek(), self.peek(-1)):
                raise _Malformed("or")
            raise _Malformed("empty_parens" if (self.peek(-1), self.peek()) == ("open", "close") else "parens")
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self) -> Node:
        if self.peek() != "not":
            return self.primary()
        self.i += 1
        if self.peek() not in ("word", "phrase", "open"):
            raise _Malformed("minus")
        return Not(self.primary())

    def primary(self) -> Node:
        kind, text = self.tokens[self.i]
        self.i += 1
        if kind == "word":
            return Term(text)
        if kind == "phrase":
            return Phrase(text)
        self.depth += 1  # kind == "open": and_ stops before "or", "close" and the end
        if self.depth > _MAX_DEPTH:
            raise _Malformed("deep")
        node = self.or_()
        if self.peek() != "close":
            raise _Malformed("parens")
        self.i += 1
        self.depth -= 1
        return node


def _positive(node: Node) -> bool:
    """Whether the node says what to find, rather than only what to leave out."""
    if isinstance(node, And):
        return any(_positive(n) for n in node.nodes)
    if isinstance(node, Or):
        return all(_positive(n) for n in node.nodes)
    return not isinstance(node, Not)


def _searchable(node: Node) -> bool:
    """Every OR alternative and everything excluded must be positive too:
    `a OR -b` would match nearly every passage, and `-(-b)` is a riddle."""
    children = node.nodes if isinstance(node, And | Or) else (node.node,) if isinstance(node, Not) else ()
    checked = children if isinstance(node, Or | Not) else ()
    return all(map(_positive, checked)) and all(map(_searchable, children))


def positive_terms(tree: Node | None) -> list[str]:
    """Texts of the terms and phrases not under a Not, first occurrence first: what to highlight.

    >>> positive_terms(parse('熊本 -八代 OR "姊妹 市" 熊本').tree)
    ['熊本', '姊妹 市']
    """
    found: dict[str, None] = {}

    def walk(node: Node | None) -> None:
        if isinstance(node, Term | Phrase):
            found.setdefault(node.text)
        elif isinstance(node, And | Or):
            for child in node.nodes:
                walk(child)

    walk(tree)
    return list(found)


def to_text(tree: Node | None) -> str:
    """The canonical query string for a tree; `parse(to_text(t)).tree == t` for every tree parse makes.

    >>> to_text(parse("（熊本  ｜ 八代）  -(a b)").tree)
    '(熊本 OR 八代) -(a b)'
    """
    if tree is None:
        return ""
    if isinstance(tree, Term):
        return tree.text
    if isinstance(tree, Phrase):
        return f'"{tree.text}"'
    if isinstance(tree, Not):
        inner = to_text(tree.node)
        return "-" + (inner if isinstance(tree.node, Term | Phrase) else f"({inner})")
    if isinstance(tree, And):  # nested And is bracketed too, so the grouping survives
        return " ".join(f"({to_text(n)})" if isinstance(n, And | Or) else to_text(n) for n in tree.nodes)
    return " OR ".join(f"({to_text(n)})" if isinstance(n, Or) else to_text(n) for n in tree.nodes)
