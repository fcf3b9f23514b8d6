"""Query strings, match spans and snippets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.engine.whoosh.translate import to_whoosh
from indexer.query.aliases import AliasTable
from indexer.query.plan import parse_query
from indexer.search.spans import match_spans, snippet
from web.present import marked as mark
from web.present import snippet_html


@pytest.mark.parametrize(
    "query,terms,forms",
    [
        ("八代", ("八代",), {"八代": ((("八代",),),)}),
        ("八代  熊本", ("八代", "熊本"), {"八代": ((("八代",),),), "熊本": ((("熊本",),),)}),
        ('"SusHi Tech" MOU', ("SusHi Tech", "MOU"), {"SusHi Tech": ((("sushi", "tech"),),), "MOU": ((("mou",),),)}),
        ("熊本县", ("熊本县",), {"熊本县": ((("熊本", "本县"),), (("熊本", "本縣"),))}),  # + s2t
        ("八代市、熊本", ("八代市、熊本",), {"八代市、熊本": ((("八代", "代市"), ("熊本",)),)}),
    ],
)
def test_parse_query(query, terms, forms):
    parsed = parse_query(query)
    assert parsed.terms == terms
    assert {text: unit.forms for text, unit in parsed.units.items()} == forms


@pytest.mark.parametrize(
    "query,notice",
    [
        ('"unclosed', "引號不成對"),
        ("、。", "沒有可搜尋的文字"),
        ("-八代", "只有排除條件"),
        ("八代 OR", "OR"),
        ("", None),
        ("八代 -熊本", None),
    ],
)
def test_malformed_or_empty_queries_give_a_notice(query, notice):
    parsed = parse_query(query)
    assert (parsed.notice is None) == (notice is None)
    if notice:
        assert notice in parsed.notice


@pytest.mark.parametrize(
    "text,query,marked",
    [
        ("基隆市與八代市締結友好城市", "八代", "基隆市與<mark>八代</mark>市締結友好城市"),
        ("臺中市政府經濟發展局", "台中", "<mark>臺中</mark>市政府經濟發展局"),  # marks what the text says
        ("簽署ＭＯＵ。", "mou", "簽署<mark>ＭＯＵ</mark>。"),
        ("成松由紀夫議長", '"成松 由紀夫"', "<mark>成松由紀夫</mark>議長"),
        ("成松 由紀夫議長", '"成松 由紀夫"', "<mark>成松 由紀夫</mark>議長"),
        ("八代市、熊本縣", "市熊", "八代市、熊本縣"),  # never across punctuation
        ("<b>八代</b>", "八代", "&lt;b&gt;<mark>八代</mark>&lt;/b&gt;"),
        # a long term the text lacks: the words that found it as a partial match
        ("以視訊方式召開會議", "視訊會議", "以<mark>視訊</mark>方式召開<mark>會議</mark>"),
        ("本次會議", "視訊會議", "本次<mark>會議</mark>"),
        ("視訊會議後另開會議", "視訊會議", "<mark>視訊會議</mark>後另開會議"),  # the term itself: only it
        ("熊本視訊會議與會議", "熊本 視訊會議", "<mark>熊本視訊會議</mark>與會議"),
    ],
)
def test_marks_land_on_the_original_characters(text, query, marked):
    assert mark(text, match_spans(text, parse_query(query))) == marked


def test_snippet_is_a_window_around_the_first_match_without_markdown_marks():
    text = "### 三、與八代市的緣起\n\n" + "前文" * 100 + "八代港"
    html = snippet_html(snippet(text, match_spans(text, parse_query("八代港")), width=40))
    assert html.startswith("…") and html.endswith("<mark>八代港</mark>")
    head = snippet_html(snippet(text, match_spans(text, parse_query("緣起")), width=40))
    assert head.startswith("三、與八代市的<mark>緣起</mark>") and "#" not in head


@pytest.mark.parametrize("before", [0, 5, 12, 35, 39, 41, 60])
def test_the_first_match_is_inside_the_snippet_wherever_it_stands(before):
    """A match a little way past the window's width (in a text a little longer than it)
    is not lost by starting the window at the text's start."""
    text = "甲" * before + "乙" * (36 - min(before, 36)) + "八代港" + "丙" * 3
    cut = snippet(text, match_spans(text, parse_query("八代港")), width=40)
    assert [cut.text[s:e] for s, e in cut.marks] == ["八代港"]


def test_snippet_never_cuts_a_match_in_two():
    text = "甲" * 30 + "SusHi Tech Tokyo" + "乙" * 30
    html = snippet_html(snippet(text, match_spans(text, parse_query('"SusHi Tech Tokyo"')), width=20))
    assert "<mark>SusHi Tech Tokyo</mark>" in html


@pytest.mark.parametrize("text,query", [
    ("## 六、參訪過程\n八代港\t是重要港口", "八代港"),
    ("甲\n\n  乙 八代市　與\t\t熊本縣", "熊本縣"),
    ("# 目錄\n" + "前文\n" * 60 + "締結姊妹市", "姊妹市"),
])
def test_snippet_marks_point_at_the_matched_words_after_flattening(text, query):
    parsed = parse_query(query)
    cut = snippet(text, match_spans(text, parsed), width=40)
    assert cut.marks and all(cut.text[s:e] == query for s, e in cut.marks)
    assert "\n" not in cut.text and "\t" not in cut.text and "#" not in cut.text


@pytest.mark.parametrize(
    "query,conjuncts,exclusions",
    [
        ("熊本 (-八代 -基隆)", 1, 2),
        ("熊本 (宮崎 -八代)", 2, 1),
        ("熊本 OR 宮崎", 1, 0),
        ("(熊本 OR 宮崎) 姊妹市 -八代", 2, 1),
    ],
)
def test_nested_and_groups_are_flattened(query, conjuncts, exclusions):
    parsed = parse_query(query)
    assert (len(parsed.conjuncts()), len(parsed.exclusions())) == (conjuncts, exclusions)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('八代熊本 市"“”()（）-OR|｜、。aZ１'))) | st.text())
def test_any_string_becomes_a_query_and_its_highlights(text):
    parsed = parse_query(text)
    to_whoosh(parsed)
    spans = match_spans("熊本縣八代市與基隆市 OR 友好", parsed)
    assert all(0 <= s < e <= len("熊本縣八代市與基隆市 OR 友好") for s, e in spans)


@pytest.mark.parametrize("query", ["(、 -八代) OR 熊本", "熊本 OR (。 -(八代 宮崎))", "-、 八代", "(、) 八代"])
def test_terms_with_nothing_searchable_never_leave_a_bare_exclusion(query):
    parsed = parse_query(query)
    to_whoosh(parsed)
    assert parsed.terms


@pytest.mark.parametrize(
    "query,alias",
    [
        ("日南駅", "日南車站"),  # thesaurus, inside a longer term
        ("宮崎県庁", "宮崎縣政府"),
        ("MOU", "合作備忘錄"),
        ("2018", "107年"),  # Gregorian ↔ ROC years
        ("107年", "2018"),
    ],
)
def test_other_names_are_searched_too(query, alias):
    assert alias in {a for a, _runs, _docs in parse_query(query).units[query].alias_forms}


@pytest.mark.parametrize(
    "query,parts",
    [
        ("臺中市政府經濟發展局", {"臺中市", "經濟發展局"}),
        ('"臺中市政府經濟發展局"', {"臺中市", "經濟發展局"}),  # a phrase's words: partial matches only
        ("八代", set()),
    ],
)
def test_long_terms_can_also_be_found_by_their_words(query, parts):
    unit = next(iter(parse_query(query).units.values()))
    words = {"".join(u[0] for u in run[:-1]) + run[-1] for runs in unit.parts for run in runs}
    assert parts <= words and bool(words) == bool(parts)


def test_a_name_defined_inside_a_term_expands_it_in_the_reports_that_define_it():
    from indexer.query.aliases import AliasTable

    table = AliasTable([{"short": "促參法", "full": "促進民間參與公共建設法", "kind": "abbreviation", "doc_id": "kcg"}])
    unit = parse_query('"促參法施行細則"', table).units["促參法施行細則"]
    assert [(alias, docs) for alias, _runs, docs in unit.alias_forms] == [
        ("促進民間參與公共建設法施行細則", frozenset({"kcg"}))]
    # a term that holds no defined name gets nothing; the name alone gets its own alias only
    assert parse_query("施行細則", table).units["施行細則"].alias_forms == ()
    assert [a for a, _r, _d in parse_query("促參法", table).units["促參法"].alias_forms] == ["促進民間參與公共建設法"]


def test_names_inside_a_term_give_a_bounded_number_of_other_names():
    from indexer.query.aliases import AliasTable
    from indexer.query.plan import MAX_INNER_ALIASES

    table = AliasTable([{"short": f"{c}{c}{c}", "full": f"全名{c}", "kind": "abbreviation", "doc_id": "d"}
                        for c in "甲乙丙丁戊己庚辛壬癸"])
    term = "".join(f"{c}{c}{c}" for c in "甲乙丙丁戊己庚辛壬癸")
    assert len(parse_query(term, table).units[term].alias_forms) == MAX_INNER_ALIASES


_FGN = AliasTable([{"short": "FGN", "full": "Fukuoka Growth Next", "kind": "abbreviation", "doc_id": "t"}])


@pytest.mark.parametrize(
    "query,named",
    [
        ("Fukuoka Growth Next", {"Fukuoka Growth Next"}),
        ("新創 fukuoka growth next 基地", {"fukuoka growth next"}),  # inside a longer query, any case
        ("Fukuoka Growth", set()),  # not the whole name
        ('"Fukuoka Growth" Next', set()),  # a phrase is the user's own grouping
        ("Fukuoka OR Growth Next", set()),
        ("-Fukuoka Growth Next", set()),
    ],
)
def test_words_typed_apart_that_make_a_defined_name_also_meet_its_other_name(query, named):
    parsed = parse_query(query, _FGN)
    phrases = {text for text, unit in parsed.units.items()
               if any(alias == "FGN" for alias, _runs, _docs in unit.alias_forms)}
    assert phrases == named


@pytest.mark.parametrize("query,other", [
    ("Kumamoto", "熊本"),  # romanised, as a visitor types it
    ("kumamoto", "熊本"),
    ("ＫＵＭＡＭＯＴＯ", "熊本"),  # full width
    ("TSMC", "臺積電"),
    ("Vancouver", "溫哥華"),
    ("Taichung", "臺中"),
    ("Bratislava", "布拉提斯拉瓦"),
])
def test_english_and_romanised_names_meet_the_chinese_ones(query, other):
    from indexer.query.aliases import AliasTable

    unit = next(iter(parse_query(query, AliasTable([])).units.values()))
    assert other in {alias for alias, _runs, docs in unit.alias_forms if docs is None}


def test_a_name_of_several_words_is_looked_up_whole():
    from indexer.query.aliases import AliasTable

    parsed = parse_query("Rio de Janeiro 交流", AliasTable([]))
    assert {a for a, _r, _d in parsed.units["Rio de Janeiro"].alias_forms} == {"里約熱內盧", "里約"}
    # a word that is only part of a name is not the name
    assert not parse_query("Rio", AliasTable([])).units["Rio"].alias_forms


def test_the_gazetteer_pairs_a_latin_name_with_chinese_ones():
    from indexer.text.fold import fold
    from indexer.text.places import GAZETTEER

    seen = set()
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        latin, tab, written = line.partition("\t")
        assert tab and latin.strip() and written.split(), line
        assert latin.isascii() and not any(w.isascii() for w in written.split()), line
        assert fold(latin) not in seen, f"{latin} twice"
        seen.add(fold(latin))


def test_a_chinese_name_gets_no_latin_one():
    """One way only: 熊本 searched as written, alone (its ranking needs no second stage)."""
    from indexer.query.aliases import AliasTable

    assert not parse_query("熊本", AliasTable([])).units["熊本"].alias_forms
