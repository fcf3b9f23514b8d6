"""The query language: every construct, every malformed form, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.query.syntax import (
    EXCLUSIONS_ONLY,
    And,
    Not,
    Or,
    ParsedSyntax,
    Phrase,
    Term,
    literal,
    parse,
    positive_terms,
    to_text,
)

T, P = Term, Phrase


def A(*nodes):
    return And(tuple(nodes))


def O(*nodes):  # noqa: E743
    return Or(tuple(nodes))


@pytest.mark.parametrize(
    "query,tree",
    [
        ("", None),
        (" \u3000\t\n", None),
        ("熊本", T("熊本")),
        ("熊本 八代", A(T("熊本"), T("八代"))),
        ("熊本\u3000八代", A(T("熊本"), T("八代"))),  # full-width space
        ("SusHi Tech", A(T("SusHi"), T("Tech"))),  # text as typed: folding comes later
        ("熊本 OR 八代", O(T("熊本"), T("八代"))),
        ("熊本 | 八代 ｜ 基隆", O(T("熊本"), T("八代"), T("基隆"))),
        ("熊本|八代", T("熊本|八代")),  # | is OR only as a word of its own
        ("熊本 or 八代", A(T("熊本"), T("or"), T("八代"))),  # only capital OR
        ("ORIGAMI ORB", A(T("ORIGAMI"), T("ORB"))),  # OR only as a whole word
        ("熊本 -八代", A(T("熊本"), Not(T("八代")))),
        ("COVID-19 疫情", A(T("COVID-19"), T("疫情"))),  # "-" inside a word is text
        ('熊本 -"友好城市"', A(T("熊本"), Not(P("友好城市")))),
        ("熊本 -(八代 OR 基隆)", A(T("熊本"), Not(O(T("八代"), T("基隆"))))),
        ('"SusHi Tech"', P("SusHi Tech")),
        ('" 成松 由紀夫 "', P("成松 由紀夫")),  # outer spaces stripped, inner kept
        ("＂八代市＂", P("八代市")),
        ("“八代市” 熊本", A(P("八代市"), T("熊本"))),
        ('"OR"', P("OR")),  # the word OR itself
        ('"a (b) -c"', P("a (b) -c")),  # syntax inside quotes is text
        ('熊本"八代"基隆', A(T("熊本"), P("八代"), T("基隆"))),  # quotes split words
        ("「八王子祭」 活動", A(T("「八王子祭」"), T("活動"))),  # 「」 are ordinary characters
        ("『姊妹市』", T("『姊妹市』")),
        ("(熊本 OR 八代) 姊妹市", A(O(T("熊本"), T("八代")), T("姊妹市"))),
        ("（熊本 OR 八代）姊妹市", A(O(T("熊本"), T("八代")), T("姊妹市"))),
        ("日本經濟團體連合會（經團連）", A(T("日本經濟團體連合會"), T("經團連"))),
        ("((熊本))", T("熊本")),
        ("a (b c)", A(T("a"), A(T("b"), T("c")))),  # grouping kept
        ("a b OR c", O(A(T("a"), T("b")), T("c"))),  # AND binds tighter than OR
        ("a OR b c", O(T("a"), A(T("b"), T("c")))),
        ("a -b OR c", O(A(T("a"), Not(T("b"))), T("c"))),  # NOT binds tightest
        ("-b a", A(Not(T("b")), T("a"))),
        ("a (-b -c)", A(T("a"), A(Not(T("b")), Not(T("c"))))),
        ('a "b"-c', A(T("a"), P("b"), Not(T("c")))),
    ],
)
def test_well_formed(query, tree):
    assert parse(query) == ParsedSyntax(tree, None)


@pytest.mark.parametrize(
    "query,problem,tree",
    [
        ('"友好城市', "引號不成對", T("友好城市")),
        ('熊本 "SusHi Tech', "引號不成對", A(T("熊本"), T("SusHi"), T("Tech"))),
        ("八代市”", "引號不成對", T("八代市")),
        ("“八代市", "引號不成對", T("八代市")),
        ('熊本 ""', "引號內沒有內容", T("熊本")),
        ("熊本 “ ”", "引號內沒有內容", T("熊本")),
        ("(熊本 八代", "括號不成對", A(T("熊本"), T("八代"))),
        ("熊本 八代)", "括號不成對", A(T("熊本"), T("八代"))),
        ("）熊本（", "括號不成對", T("熊本")),
        ("熊本 (", "括號不成對", T("熊本")),
        ("熊本 ()", "括號內沒有內容", T("熊本")),
        ("熊本 -", "後面要緊接", T("熊本")),
        ("熊本 - 八代", "後面要緊接", A(T("熊本"), T("八代"))),
        ("熊本 --八代", "後面要緊接", A(T("熊本"), T("八代"))),
        ("熊本 -OR 八代", "後面要緊接", A(T("熊本"), T("八代"))),
        ("熊本 (-) 八代", "後面要緊接", A(T("熊本"), T("八代"))),
        ("熊本 OR OR 八代", "「OR」要放在兩個搜尋條件之間", A(T("熊本"), T("八代"))),
        ("OR 熊本", "「OR」要放在兩個搜尋條件之間", T("熊本")),
        ("熊本 OR", "「OR」要放在兩個搜尋條件之間", T("熊本")),
        ("熊本 ｜", "「OR」要放在兩個搜尋條件之間", T("熊本")),
        ("(OR 熊本)", "「OR」要放在兩個搜尋條件之間", T("熊本")),
        ("(熊本 OR) 八代", "「OR」要放在兩個搜尋條件之間", A(T("熊本"), T("八代"))),
        ("OR", "「OR」要放在兩個搜尋條件之間", None),
        ("-", "後面要緊接", None),
        ("(", "括號不成對", None),
        ("(" * 40 + "熊本" + ")" * 40, "括號層數過多", T("熊本")),
    ],
)
def test_malformed_falls_back_to_a_literal_search(query, problem, tree):
    parsed = parse(query)
    assert parsed.tree == tree
    assert problem in parsed.notice
    assert "逐字搜尋" in parsed.notice  # the Chinese half says the words were searched as written


@pytest.mark.parametrize(
    "query",
    ["-熊本", "-熊本 -八代", '-"友好城市"', "-(熊本 OR 八代)", "熊本 OR -八代", "熊本 -(-八代)", "(-a -b) OR c"],
)
def test_nothing_positive_to_search(query):
    # Searching these words literally would find exactly what was excluded.
    assert parse(query) == ParsedSyntax(None, EXCLUSIONS_ONLY)


def test_a_group_of_exclusions_beside_a_term_is_fine():
    assert parse("熊本 (-a -b)").notice is None


@pytest.mark.parametrize(
    "query,terms",
    [
        ("熊本 -八代", ["熊本"]),
        ('熊本 OR "姊妹 市" -(基隆 OR 熊本)', ["熊本", "姊妹 市"]),
        ("a a b", ["a", "b"]),
        ("", []),
    ],
)
def test_positive_terms(query, terms):
    assert positive_terms(parse(query).tree) == terms


@pytest.mark.parametrize(
    "query,text",
    [
        ("熊本\u3000 八代", "熊本 八代"),
        ("熊本 | 八代 ｜ 基隆", "熊本 OR 八代 OR 基隆"),
        ("（a OR b）（c d）", "(a OR b) (c d)"),
        ("(a OR b) OR c", "(a OR b) OR c"),
        ("(a b) OR c", "a b OR c"),
        ("“八代 市” -(a) -(a b)", '"八代 市" -a -(a b)'),
        ("", ""),
    ],
)
def test_to_text(query, text):
    assert to_text(parse(query).tree) == text


def test_literal_keeps_the_words_and_drops_the_syntax():
    assert literal('-熊本 OR "八代（市） |') == A(T("熊本"), T("八代"), T("市"))
    assert literal(" -- OR ") is None


# Property tests.  Term text: anything a word can hold, including "-" and | inside it.
_CHARS = st.sampled_from(list("熊本八代臺台aZ19-|｜「」『』、。OR"))
_term = st.builds(
    Term, st.text(_CHARS, min_size=1, max_size=4).filter(lambda s: s[0] != "-" and s not in {"OR", "|", "｜"})
)
_phrase = st.builds(
    Phrase,
    st.text(st.sampled_from(list("熊本 \u3000aZ-()（）OR|")), min_size=1, max_size=6)
    .map(str.strip)
    .filter(bool),
)


def _and(children: list, first):
    return And((first, *children))


# Trees parse can produce: every And, Or and excluded node says what to find.
_positive = st.deferred(
    lambda: st.one_of(
        _term,
        _phrase,
        st.builds(_and, st.lists(_any, min_size=1, max_size=3), _positive).flatmap(
            lambda t: st.permutations(t.nodes).map(lambda ns: And(tuple(ns)))
        ),
        st.lists(_positive, min_size=2, max_size=3).map(lambda ns: Or(tuple(ns))),
    )
)
_negative = st.one_of(
    st.builds(Not, _positive),
    st.lists(st.builds(Not, _positive), min_size=2, max_size=3).map(lambda ns: And(tuple(ns))),
)
_any = st.one_of(_positive, _negative)


@given(_positive)
def test_round_trip(tree):
    assert parse(to_text(tree)) == ParsedSyntax(tree, None)


_SYNTAXY = st.lists(
    st.sampled_from(
        ["熊本", "a", "OR", "or", "|", "｜", "-", '"', "＂", "“", "”", "(", ")", "（", "）",
         "「", "」", " ", "\u3000", "\t", "-熊本", "COVID-19"]
    )
).map("".join)


@given(st.one_of(st.text(), _SYNTAXY))
def test_any_string_parses_to_something_searchable(query):
    parsed = parse(query)
    if parsed.tree is not None:
        # What was searched for is itself a well-formed query, with something to find.
        assert parse(to_text(parsed.tree)) == ParsedSyntax(parsed.tree, None)
        assert positive_terms(parsed.tree)
    elif parsed.notice is None:
        assert not query.split()
