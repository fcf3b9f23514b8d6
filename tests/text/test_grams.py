"""The analysis contract: offsets, positions, phrases, and Ctrl-F certainty."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.engine.whoosh.analysis import GramTokenizer, WordTokenizer
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.text.fold import fold
from indexer.text.grams import phrase_units
from indexer.text.words import words

SAMPLES = [
    "基隆市政府111年 參訪日本八代市友好城市活動",
    "出國期間：114 年 8 月 31 日至 9 月 6 日",
    "鈴木局長亦祝福蔣市長暨訪團此行參與SusHi Tech Tokyo市長峰會能一切順利圓滿。",
    "新創基地 Fukuoka Growth Next（FGN）",
    "共計 1 萬 5 仟片、ＭＯＵ２０２５、熊本県と台中市",
]


@pytest.mark.parametrize("tokenizer", [GramTokenizer(), WordTokenizer()], ids=["grams", "words"])
@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_point_at_the_token(tokenizer, text):
    folded = fold(text)
    tokens = [(t.text, t.startchar, t.endchar) for t in tokenizer(text, chars=True, positions=True)]
    assert tokens
    for token, start, end in tokens:
        # a bigram may stretch over whitespace inside a CJK run (年 參 is the bigram 年參)
        assert "".join(folded[start:end].split()) == token and folded[start] == token[0]


@pytest.mark.parametrize("text", SAMPLES)
def test_word_positions_step_by_one(text):
    positions = [t.pos for t in WordTokenizer()(text, positions=True)]
    assert positions == list(range(len(positions)))


@pytest.mark.parametrize("text", SAMPLES)
def test_gram_positions_step_by_at_most_one_per_character(text):
    """Unigram and bigram share a position; positions never go backwards."""
    positions = [t.pos for t in GramTokenizer()(text, positions=True)]
    assert positions == sorted(positions)
    assert all(b - a <= 2 for a, b in zip(positions, positions[1:], strict=False))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("臺中市", ["臺中市"]),
        ("台中市", ["臺中市"]),  # folded before segmenting, and the dictionary folded alike
        ("國際參訪", ["國際", "參訪"]),
        ("布拉提斯拉瓦省", ["布拉提斯拉瓦省"]),  # from the user dictionary
        ("SusHi Tech", ["sushi", "tech"]),
        ("熊本縣、八代市", ["熊本縣", "八代市"]),
    ],
)
def test_jieba_words_with_the_taiwan_dictionary(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    "query,expected",
    [
        ("八代", [["八代"]]),  # the last character is implied by the bigram: one term
        ("八", [["八"]]),
        ("MOU", [["mou"]]),
        ("ＭＯＵ", [["mou"]]),
        ("30萬片", [["30", "萬片"]]),
        ("萬片30", [["萬片", "片", "30"]]),  # inside a run, the unigram keeps 30 next to 片
        ("市長 峰會", [["市長", "長峰", "峰會"]]),  # a space does not part Chinese characters
        ("八代市\t熊本", [["八代", "代市", "市", "熊本"]]),  # a tab (a table's cells) does
        ("八代市、熊本", [["八代", "代市"], ["熊本"]]),  # punctuation splits the phrase
        ("、", []),
    ],
)
def test_phrase_units(query, expected):
    assert phrase_units(query) == expected


@pytest.fixture(scope="module")
def searcher(index_dir):
    return Searcher(index_dir)


@pytest.fixture(scope="module")
def passages(searcher):
    return [(r["doc_id"], p) for r in searcher.reports() for p in searcher.report(r["doc_id"]).passages]


def _hits(searcher, query, **filters):
    request = parse_search_request({"q": query, "per_page": "100", **filters})
    result = searcher.search(request)
    found = {(h.doc_id, h.passage_id) for h in result.hits}
    page = 2
    while len(found) < result.total:  # more than 100 hits: read every page
        request = parse_search_request({"q": query, "per_page": "100", "page": str(page), **filters})
        found |= {(h.doc_id, h.passage_id) for h in searcher.search(request).hits}
        page += 1
    return found


def _ranked(searcher, query):
    result = searcher.search(parse_search_request({"q": query, "per_page": "100"}))
    return [(h.doc_id, h.passage_id) for h in result.hits]


@pytest.mark.parametrize("query", ["八代", "熊本", "八代市", "熊本縣", "FGN", "市長峰會", "台北", "臺北", "姊妹市"])
def test_a_query_finds_every_passage_containing_it_first(searcher, passages, query):
    """Ctrl-F certainty; passages found only through an alias (FGN → Fukuoka
    Growth Next) may follow, never precede."""
    want = {(doc, p.passage_id) for doc, p in passages if fold(query) in fold(p.text)}
    assert want, "the query should occur in the corpus"
    assert want <= _hits(searcher, query)
    assert set(_ranked(searcher, query)[: len(want)]) == want


def test_a_two_character_word_inside_a_longer_word_is_found(searcher, passages):
    """八代 inside 八代市: the passages that only have 八代市 are found too."""
    only_in_longer = {(d, p.passage_id) for d, p in passages if "八代市" in p.text}
    assert only_in_longer <= _hits(searcher, "八代")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_ctrl_f_certainty_over_real_passages(searcher, passages, data):
    """Any run of CJK characters (or a Latin/digit word) cut from a passage finds that passage."""
    doc_id, passage = data.draw(st.sampled_from(passages))
    text = passage.text
    start = data.draw(st.integers(0, len(text) - 1))
    length = data.draw(st.integers(1, 8))
    needle = text[start:start + length]
    # keep only a contiguous run of ideographs, or one whole Latin/digit word
    cjk = "".join(ch for ch in needle[: next((i for i, ch in enumerate(needle) if not _is_cjk(ch)),
                                               len(needle))])
    if not cjk:
        latin = [t.text for t in GramTokenizer()(text) if t.text.isascii()]
        assume(latin)
        cjk = data.draw(st.sampled_from(latin))
    assert (doc_id, passage.passage_id) in _hits(searcher, cjk), cjk


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def test_quoted_phrase_matches_as_written(searcher, passages):
    hits = _hits(searcher, '"SusHi Tech Tokyo"')
    want = {(d, p.passage_id) for d, p in passages if "sushi tech tokyo" in fold(p.text)}
    assert hits == want and want  # a phrase is one term: no partial matches


@pytest.mark.parametrize(
    "typed,written",
    [
        ("熊本县", "熊本縣"),  # simplified
        ("台中市政府经济发展局", "臺中市政府經濟發展局"),
        ("姐妹市", "姊妹市"),
        ("熊本県", "熊本縣"),  # Japanese shinjitai
        ("経済文化交流部", "経済文化交流部"),  # as written in a Japanese list, too
        ("台北", "臺北"),
        ("ＦＧＮ", "FGN"),  # full width
        ("1萬5仟片", "1 萬 5 仟片"),  # spaces inside a number
        ("iclei", "2014ICLEI"),  # letters glued to digits
    ],
)
def test_spellings_meet(searcher, passages, typed, written):
    """A spelling finds every passage that has the written form."""
    want = {(doc, p.passage_id) for doc, p in passages if written in p.text}
    assert want
    assert want <= _hits(searcher, typed)


@pytest.mark.parametrize("query,written", [
    ('"物產展等活動"', "八代物產展等\n\n活動建立良好友誼"),  # a page break cut the paragraph (Keelung report)
    ("臺中市政府經濟發展局", "臺中市政府\n經濟發展局"),  # a hard-wrapped line
    ("參訪日本", "111年 參訪日本"),  # a letter-spaced title: 年 參 is no gap either
])
def test_whitespace_inside_chinese_text_parts_nothing(searcher, passages, query, written):
    want = {(d, p.passage_id) for d, p in passages if "".join(fold(written).split()) in "".join(fold(p.text).split())}
    assert want and want <= _hits(searcher, query)
    result = searcher.search(parse_search_request({"q": query}))
    hit = next(h for h in result.hits if (h.doc_id, h.passage_id) in want)
    marked = ["".join(hit.snippet.text[s:e].split()) for s, e in hit.snippet.marks]
    assert "".join(fold(query.strip('"')).split()) in [fold(m) for m in marked]
