"""jieba is given bounded pieces: the same words as the whole text, in linear time."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import indexer.text.words
from indexer.engine.whoosh.analysis import WordTokenizer
from indexer.text.fold import fold
from indexer.text.words import get_tokenizer, pieces, segment


def test_doctests():
    assert doctest.testmod(indexer.text.words).failed == 0


@pytest.mark.parametrize(
    "text,size,expected",
    [
        ("", 5, []),
        ("八代市", 5, [(0, 3)]),
        ("八代市熊本", 5, [(0, 5)]),  # exactly `size`: one piece
        ("八代市、熊本縣", 5, [(0, 4), (4, 7)]),  # cut after the 、, not inside 熊本縣
        ("八代市熊本、縣", 5, [(0, 5), (5, 7)]),  # the 、 starts the next piece
        ("八代、市熊本縣", 5, [(0, 3), (3, 7)]),  # the block 市熊本縣 runs across the limit
        ("八代 市熊本縣長", 5, [(0, 3), (3, 8)]),  # a space is a cut as good as punctuation
        ("市" * 12, 5, [(0, 5), (5, 10), (10, 12)]),  # one block: cut every `size` characters
        ("、" * 7, 5, [(0, 5), (5, 7)]),  # no block at all
        ("ab、cdefghij", 5, [(0, 3), (3, 8), (8, 11)]),  # Latin letters are one block with jieba
    ],
)
def test_pieces(text, size, expected):
    assert list(pieces(text, size)) == expected


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="八代市熊本縣國際參訪的臺鄉、。 \nab1", max_size=60), size=st.integers(1, 12))
def test_pieces_cover_the_text_in_bounded_steps(text, size):
    spans = list(pieces(text, size))
    ends = [0] + [end for _, end in spans]
    assert [start for start, _ in spans] == ends[:-1]  # consecutive, from 0
    assert ends[-1] == len(text)
    assert all(0 < e - s <= size for s, e in spans)


@settings(max_examples=200, deadline=None)
@given(sentences=st.lists(st.sampled_from(
    ["八代市", "熊本縣", "國際參訪", "臺中市政府經濟發展局", "SusHi Tech", "2014ICLEI", "的", "市長峰會"]), max_size=30),
    glue=st.sampled_from(["", "、", "。", " ", "\n", "，"]))
def test_pieces_change_no_word_of_normal_text(sentences, glue):
    """Where no block is longer than a piece, the words are those of one jieba call."""
    text = fold(glue.join(sentences))
    assume(all(len(block) <= 20 for block in indexer.text.words._BLOCK.findall(text)))
    assert list(segment(text, size=20)) == list(get_tokenizer().tokenize(text))


@pytest.mark.parametrize("run", ["市" * 3000, ("的臺鄉" * 1000)[:3000], "八代市、" * 750])
def test_word_tokens_keep_their_contract_across_pieces(run):
    """Offsets point at the token and positions step by one, across piece cuts."""
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in WordTokenizer()(run, positions=True, chars=True)]
    assert "".join(text for text, *_ in tokens) == fold(run).replace("、", "")
    assert [pos for _, pos, _, _ in tokens] == list(range(len(tokens)))
    for text, _, start, end in tokens:
        assert fold(run)[start:end] == text


def test_the_dictionary_read_from_its_cache_is_the_one_jieba_builds(tmp_path, monkeypatch):
    """The tokenizer's dictionary read from the cache in one piece (`words._initialize`)
    is the one jieba builds from the file and the one its own initialize reads back; a
    damaged cache is built again."""
    import jieba

    from indexer.text import words

    monkeypatch.setenv("JIAOLIU_CACHE", str(tmp_path))
    monkeypatch.setattr(words, "_tokenizers", {})
    built = words.get_tokenizer()  # no cache yet: jieba builds and writes it
    cache = tmp_path / built.cache_file
    assert cache.is_file()
    monkeypatch.setattr(words, "_tokenizers", {})
    read = words.get_tokenizer()
    assert read is not built and read.initialized
    assert read.FREQ == built.FREQ and read.total == built.total
    theirs = jieba.Tokenizer(dictionary=built.dictionary)
    theirs.tmp_dir, theirs.cache_file = built.tmp_dir, built.cache_file
    theirs.initialize()
    assert theirs.FREQ == read.FREQ
    text = "基隆市與八代市締結友好城市，臺中市政府經濟發展局率團參訪熊本縣"
    assert list(read.cut(text, HMM=False)) == list(theirs.cut(text, HMM=False))
    cache.write_bytes(b"\x00damaged")
    monkeypatch.setattr(words, "_tokenizers", {})
    assert words.get_tokenizer().FREQ == built.FREQ


def test_jieba_is_imported_without_pkg_resources_and_still_finds_its_model():
    import subprocess
    import sys

    code = ("import sys\n"
            "from indexer.text.words import segment\n"
            "assert 'pkg_resources' not in sys.modules, 'pkg_resources was imported'\n"
            "print(' '.join(w for w, _a, _b in segment('臺中市政府經濟發展局在阿里山開會')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == [w for w, _a, _b in segment("臺中市政府經濟發展局在阿里山開會")]
    assert out.stdout.split()[:3] == ["臺中市", "政府", "經濟發展局"]
