"""Character grams: the unit of matching, shared by the index and the query.

Every CJK character is a unigram and every pair of neighbouring CJK
characters a bigram, both at the character's position; each run of letters
and each run of digits is one token (2014ICLEI is 2014 + iclei). Any string of
CJK characters then matches as a phrase of bigrams, which gives Ctrl-F
certainty: 八代 is found inside 八代市.

Grams are taken of `fold(text)`, which has the same length as the text, so a
gram's `start`/`end` are offsets into the original text and highlights land on
the original characters. Positions step by one per character, unlike jieba's
own ChineseAnalyzer, which stores character offsets as positions and so breaks
phrase queries. Punctuation moves the position on by one, so that a phrase
never matches across 、 or 。; whitespace does not, so "114 年" and "114年"
match alike.

>>> [g.text for g in grams(fold("八代市 MOU"))]
['八', '八代', '代', '代市', '市', 'mou']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from indexer.text.fold import fold

_CJK = (
    "\u3040-\u30ff"  # kana: Japanese names and clippings
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\uac00-\ud7af"  # hangul
    "\U00020000-\U0003134f"
)
# One CJK character, as a regex (what makes unigrams and bigrams).
CJK_CHAR = f"[{_CJK}]"
# Letters and digits are separate words (2014ICLEI → 2014, iclei), so each can be searched.
_ALL_CJK = re.compile(rf"[{_CJK}]+")
# Whitespace inside a CJK run (a page break, a hard-wrapped line, a letter-spaced title)
# does not part its characters: Chinese writes no spaces, so 等\n\n活 is the bigram 等活.
# A tab does: it parts a table's cells.
_IN_RUN_SPACE = r"[^\S\t]+"
_PIECES = re.compile(rf"(?P<cjk>[{_CJK}]+(?:{_IN_RUN_SPACE}[{_CJK}]+)*)|(?P<word>[^\W\d{_CJK}_]+|\d+)|(?P<space>\s+)|(?P<other>.)", re.S)


# That whitespace, where it stands (what a text reads as without it: 捷克布爾 / 諾市 is 布爾諾市).
CJK_GAP = re.compile(rf"(?<=[{_CJK}]){_IN_RUN_SPACE}(?=[{_CJK}])")


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
            chars = [i for i, char in enumerate(run) if not char.isspace()]
            for n, i in enumerate(chars):
                yield Gram(run[i], pos, start + i, start + i + 1)
                if n + 1 < len(chars):
                    j = chars[n + 1]
                    yield Gram(run[i] + run[j], pos, start + i, start + j + 1)
                pos += 1
        elif kind == "word":
            yield Gram(piece.group(), pos, start, piece.end())
            pos += 1
        elif kind == "other":
            pos += 1


def is_cjk(text: str) -> bool:
    """Whether `text` is one run of CJK characters (what makes unigrams and bigrams).

    >>> is_cjk("八代市"), is_cjk("iclei"), is_cjk("2014")
    (True, False, False)
    """
    return bool(_ALL_CJK.fullmatch(text))


def latin_words(folded: str) -> list[str]:
    """The Latin and digit words of folded text, as the grams have them.

    >>> latin_words("2014iclei減災 cities’")
    ['2014', 'iclei', 'cities']
    """
    return [piece.group() for piece in _PIECES.finditer(folded) if piece.lastgroup == "word"]


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


_IN_RUN = r"[^\S\t]*"  # between the two characters of a bigram


@lru_cache(maxsize=4096)
def run_pattern(run: tuple[str, ...]) -> re.Pattern:
    r"""A regex over folded text that matches exactly where the index matches a run.

    Neighbouring characters of a bigram may be parted by whitespace but not a tab
    (as `grams` reads them); other neighbours by any whitespace (which takes no
    position); a Latin or digit word must not touch another letter or digit (the
    tokenizer would have made one longer word of them).

    >>> print(run_pattern(("市長", "長", "峰會")).pattern)
    市[^\S\t]*長\s*峰[^\S\t]*會
    """
    parts: list[str] = []
    for i, unit in enumerate(run):
        last = i == len(run) - 1
        if _ALL_CJK.fullmatch(unit):
            head = unit if last or len(unit) == 1 else unit[0]
            parts.append(_IN_RUN.join(map(re.escape, head)))
            touching = len(unit) == 2 and not last  # the next unit starts with this bigram's 2nd char
        else:
            edge = r"\d" if unit[0].isdigit() else rf"[^\W\d_{_CJK}]"
            parts.append(rf"(?<!{edge}){re.escape(unit)}(?!{edge})")
            touching = False
        if not last:
            parts.append(_IN_RUN if touching else r"\s*")
    return re.compile("".join(parts))
