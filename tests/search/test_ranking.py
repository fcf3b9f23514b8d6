"""Ranking promises, each on a small corpus made for it."""

from __future__ import annotations

import pytest

from indexer.index.build import build_index
from indexer.ingest.prior import TOC_PRIOR, passage_prior
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

PROSE = "本市與日本熊本縣八代市往來密切，每年互訪，並共同推動觀光與產業交流，成果豐碩。"

REPORTS = {
    "a-scattered.txt": (
        "壹、目的\n\n八代市每年來訪，雙方交流密切，觀光合作成果豐碩，市民熱烈參與各項活動。"
        "另於秋季舉辦各式活動，其中以物產展最受歡迎，吸引大量人潮前往參觀選購。\n"
    ),
    "b-exact.txt": (
        "壹、過程\n\n本次參訪適逢八代物產展開幕，訪團與當地商家交流，了解地方特產的行銷方式與通路經營。\n"
    ),
    "c-toc.txt": (
        "目錄\n\n壹、熊本交流\t1\n貳、過程\t3\n參、心得\t5\n\n"
        "壹、熊本交流\n\n" + PROSE + "熊本縣的半導體聚落持續擴大，帶動周邊產業與人才培育。\n"
    ),
    "d-some-terms.txt": (
        "壹、半導體\n\n熊本推動半導體產業聚落，吸引國際大廠投資設廠，並與大學合作培育人才。\n\n"
        "貳、台積電\n\n熊本與半導體聚落之外，台積電亦擴大投資，帶動地方就業與經濟成長，成效顯著。\n"
    ),
    "e-alias.txt": (
        "壹、拜會\n\n訪團拜會日本經濟團體連合會（以下簡稱經團連），雙方就產業合作交換意見，氣氛熱絡。\n\n"
        "貳、會談\n\n經團連表示願與本市持續合作，未來將籌組企業訪團來訪，深化雙邊經貿往來。\n"
    ),
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("ranking") / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = corpus.parent / "index"
    build_index(corpus, index)
    return Searcher(index)


def _ranked(searcher, query):
    """The hits, then the partial matches, as the page lists them."""
    result = searcher.search(parse_search_request({"q": query, "per_page": "50"}))
    return [(hit.doc_id, hit.heading) for hit in (*result.hits, *result.partial)]


def test_the_whole_query_as_written_ranks_above_scattered_parts(searcher):
    assert _ranked(searcher, "八代 物產展")[0][0] == "b-exact"


def test_prose_about_a_term_ranks_above_a_table_of_contents_that_lists_it(searcher):
    ranked = _ranked(searcher, "熊本")
    toc = ranked.index(("c-toc", "目錄"))
    prose = ranked.index(("c-toc", "壹、熊本交流"))
    assert prose < toc


def test_passages_with_every_term_come_before_those_with_some(searcher):
    ranked = _ranked(searcher, "熊本 半導體 台積電")
    assert ranked[0] == ("d-some-terms", "貳、台積電")  # all three
    two = {("d-some-terms", "壹、半導體"), ("c-toc", "壹、熊本交流")}  # 熊本 and 半導體
    assert set(ranked[1:3]) == two  # still found, below the passage with all three
    assert ranked[3:] == [("c-toc", "目錄")]  # 熊本 alone, last


def test_an_alias_finds_the_other_name_a_little_lower(searcher):
    # both passages say 經團連 itself (壹 defines it: 以下簡稱經團連), so either may come first
    assert set(_ranked(searcher, "經團連")) == {("e-alias", "壹、拜會"), ("e-alias", "貳、會談")}
    full = _ranked(searcher, "日本經濟團體連合會")
    # the literal name first, then the passage that only says 經團連: lower, but above
    # the passages that share only part of the name (日本)
    assert full[:2] == [("e-alias", "壹、拜會"), ("e-alias", "貳、會談")]


@pytest.mark.parametrize(
    "text,path,low,high",
    [
        (PROSE, (), 0.99, 1.0),
        ("目錄\n壹、目的\t1\n貳、過程\t3\n參、心得\t5", ("目錄",), TOC_PRIOR, TOC_PRIOR),
        ("蔣市長與大阪府知事合影\n\n訪團於東京都廳前合影\n\n市長致詞", (), 0.35, 0.4),  # captions
        ("編號\t姓名\t職稱\n1\t黃駿逸\t秘書長\n2\t曾姿雯\t處長", (), 0.35, 0.4),  # a table of names
    ],
)
def test_passage_prior(text, path, low, high):
    assert low <= passage_prior(text, path) <= high


@pytest.mark.parametrize("engine, query, depth", [
    ("arrays", "八代", 0),           # one term as written: the engine's order is the second stage's
    ("arrays", '"八代港"', 0),
    ("arrays", "八代 -港口", 0),     # an exclusion adds no order
    ("arrays", "八代 港口", 30),     # proximity and the whole query need the second stage
    ("arrays", "FGN", 30),           # another name ranks below the name as written
    ("whoosh", "八代", 200),         # whoosh's order is BM25 alone
])
def test_the_second_stage_reorders_only_what_the_engine_cannot(engine_index_dir, engine, query, depth):
    searcher = Searcher(engine_index_dir(engine), engine=engine)
    assert searcher._rerank_depth(searcher.parse(query)) == depth


@pytest.mark.parametrize("engine", ["arrays", "whoosh"])
def test_a_name_typed_as_separate_words_finds_the_passages_that_use_its_abbreviation(engine_index_dir, engine):
    """The Taichung report defines FGN as Fukuoka Growth Next and then writes FGN alone;
    Fukuoka Growth Next typed without quotes finds those passages too, below the name."""
    searcher = Searcher(engine_index_dir(engine), engine=engine)
    result = searcher.search(parse_search_request({"q": "Fukuoka Growth Next", "per_page": "50"}))
    texts = [h.text for h in result.hits]
    only_fgn = [i for i, t in enumerate(texts) if "FGN" in t and "Fukuoka" not in t]
    named = [i for i, t in enumerate(texts) if "Fukuoka Growth Next" in t]
    assert len(only_fgn) >= 3 and named and min(named) < min(only_fgn)
    assert result.total == len(texts)
