"""Whoosh tokenizers for the two indexed views of a passage.

- `GramTokenizer` (field `grams`, for matching and phrases): every CJK
  character as a unigram and every pair of neighbouring CJK characters as a
  bigram, both at the character's position; each run of letters and each
  run of digits as one token (2014ICLEI is 2014 + iclei).  Any string of CJK characters then matches as a phrase of bigrams,
  which gives Ctrl-F certainty: 八代 is found inside 八代市.
- `WordTokenizer` (field `words`, for ranking): jieba words.

Both run on `normalize.fold(text)`, which has the same length as the text, so
`fold(text)[t.startchar:t.endchar] == t.text` and highlights land on the
original characters.  Positions step by one per token (per character for
grams), unlike jieba's own ChineseAnalyzer, which stores character offsets as
positions and so breaks phrase queries.

Punctuation moves the position on by one, so that a phrase never matches
across 、 or 。; whitespace does not, so "114 年" and "114年" match alike.

>>> [t.text for t in GramTokenizer()("八代市 MOU")]
['八', '八代', '代', '代市', '市', 'mou']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer

from .normalize import fold
from .segmenter import segment

_CJK = (
    "\u3040-\u30ff"  # kana: Japanese names and clippings
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\uac00-\ud7af"  # hangul
    "\U00020000-\U0003134f"
)
# Letters and digits are separate words (2014ICLEI → 2014, iclei), so each can be searched.
_ALL_CJK = re.compile(rf"[{_CJK}]+")
_PIECES = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W\d{_CJK}_]+|\d+)|(?P<space>\s+)|(?P<other>.)", re.S)


@dataclass(frozen=True)
class Gram:
    """A matching unit: `text` at character `start` of the folded text."""

    text: str
    pos: int
    start: int
    end: int


def grams(folded: str) -> Iterator[Gram]:
    """Unigrams and bigrams of CJK runs, Latin/digit words, with positions.

    >>> [(g.text, g.pos) for g in grams("熊本縣、fgn")]
    [('熊', 0), ('熊本', 0), ('本', 1), ('本縣', 1), ('縣', 2), ('fgn', 4)]
    """
    pos = 0
    for piece in _PIECES.finditer(folded):
        kind, start = piece.lastgroup, piece.start()
        if kind == "cjk":
            run = piece.group()
            for i, char in enumerate(run):
                yield Gram(char, pos, start + i, start + i + 1)
                if i + 1 < len(run):
                    yield Gram(run[i : i + 2], pos, start + i, start + i + 2)
                pos += 1
        elif kind == "word":
            yield Gram(piece.group(), pos, start, piece.end())
            pos += 1
        elif kind == "other":
            pos += 1


def phrase_units(query: str) -> list[list[str]]:
    """The terms a query string must match, as runs of consecutive positions.

    Each run is a phrase: per position, the bigram that starts there if there
    is one, else the unigram or word.  The last character of a run is left
    out when the bigram before it already holds it: a bigram at position p
    means its second character is at p + 1, so 八代 is the single term 八代,
    not a phrase that has to read positions.  Punctuation splits runs, since
    the index never has a phrase across it.

    >>> phrase_units("八代市")
    [['八代', '代市']]
    >>> phrase_units("30萬片")
    [['30', '萬片']]
    """
    by_pos: dict[int, str] = {}
    for gram in grams(fold(query)):
        current = by_pos.get(gram.pos)
        if current is None or len(gram.text) > len(current):
            by_pos[gram.pos] = gram.text
    runs: list[list[str]] = []
    last = None
    for pos in sorted(by_pos):
        if last is None or pos != last + 1:
            runs.append([])
        runs[-1].append(by_pos[pos])
        last = pos
    for run in runs:
        if len(run) > 1 and len(run[-1]) == 1 and len(run[-2]) == 2 and run[-2][1] == run[-1]:
            run.pop()
    return runs


@lru_cache(maxsize=4096)
def run_pattern(run: tuple[str, ...]) -> re.Pattern:
    """A regex over folded text that matches exactly where the index matches a run.

    Neighbouring characters of a bigram must touch; other neighbours may be
    separated by whitespace (which takes no position); a Latin or digit word
    must not touch another letter or digit (the tokenizer would have made one
    longer word of them).

    >>> run_pattern(("市長", "長", "峰會")).pattern
    '市長\\s*峰會'
    """
    parts: list[str] = []
    for i, unit in enumerate(run):
        last = i == len(run) - 1
        if _ALL_CJK.fullmatch(unit):
            parts.append(re.escape(unit if last or len(unit) == 1 else unit[0]))
            touching = len(unit) == 2 and not last  # the next unit starts with this bigram's 2nd char
        else:
            edge = r"\d" if unit[0].isdigit() else rf"[^\W\d_{_CJK}]"
            parts.append(rf"(?<!{edge}){re.escape(unit)}(?!{edge})")
            touching = False
        if not last:
            parts.append("" if touching else r"\s*")
    return re.compile("".join(parts))


class _FoldingTokenizer(Tokenizer):
    """Shared whoosh plumbing: fold the value, then emit `_spans`."""

    def _spans(self, folded: str) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded = fold(value)
        for text, pos, start, end in self._spans(folded):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class GramTokenizer(_FoldingTokenizer):
    """CJK unigrams + bigrams and Latin/digit words (see `grams`)."""

    def _spans(self, folded):
        for gram in grams(folded):
            yield gram.text, gram.pos, gram.start, gram.end


class WordTokenizer(_FoldingTokenizer):
    """jieba words of the folded text, one position per word, punctuation dropped.

    Holds only the dictionary's name, so whoosh can pickle it into the schema;
    the jieba.Tokenizer itself is shared per process (`segmenter.get_tokenizer`),
    and is given the text in bounded pieces (`segmenter.segment`).
    """

    def __init__(self, dictionary: str = "taiwan", hmm: bool = True):
        self.dictionary = dictionary
        self.hmm = hmm

    def _spans(self, folded):
        pos = 0
        for word, start, end in segment(folded, self.dictionary, self.hmm):
            if not any(ch.isalnum() for ch in word):  # spaces and punctuation
                continue
            yield word, pos, start, end
            pos += 1


def words(text: str, dictionary: str = "taiwan") -> list[str]:
    """jieba words of a string as the index sees them (folded, no punctuation)."""
    return [t.text for t in WordTokenizer(dictionary)(text)]
