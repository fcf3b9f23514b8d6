"""Whoosh tokenizers for the indexed views of a passage, over the shared text rules.

- `GramTokenizer` (fields `grams`, `heading_grams`, `title_grams`: matching and
  phrases): the character grams of `indexer.text.grams`.
- `WordTokenizer` (field `words`, for ranking): jieba words (`indexer.text.words`).

Both fold the value first, so `fold(text)[t.startchar:t.endchar] == t.text`,
and positions step by one per token.

>>> [t.text for t in GramTokenizer()("八代市 MOU")]
['八', '八代', '代', '代市', '市', 'mou']
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from indexer.text.fold import fold
from indexer.text.grams import grams
from indexer.text.words import word_spans


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
    the jieba.Tokenizer itself is shared per process (`indexer.text.words.get_tokenizer`),
    and is given the text in bounded pieces (`indexer.text.words.segment`).
    """

    def __init__(self, dictionary: str = "taiwan", hmm: bool = True):
        self.dictionary = dictionary
        self.hmm = hmm

    def _spans(self, folded):
        for pos, (word, start, end) in enumerate(word_spans(folded, self.dictionary, self.hmm)):
            yield word, pos, start, end
