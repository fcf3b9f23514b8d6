"""A passage's character grams as plain lists, for building postings fast.

The same grams, at the same positions, as `indexer.text.grams.grams`
(tests/engine/test_arrays_engine.py checks it on the corpus and generated text),
without making an object per gram: that generator costs about 1 µs a gram, and
a city archive holds tens of millions of them.
"""

from __future__ import annotations

from indexer.text.grams import _PIECES


def gram_lists(folded: str) -> tuple[list[str], list[int]]:
    """(grams, positions) of `folded`, in the order `grams()` yields them.

    >>> gram_lists("熊本縣、fgn")
    (['熊', '熊本', '本', '本縣', '縣', 'fgn'], [0, 0, 1, 1, 2, 4])
    """
    texts: list[str] = []
    positions: list[int] = []
    pos = 0
    for piece in _PIECES.finditer(folded):
        kind = piece.lastgroup
        if kind == "cjk":
            run = piece.group()
            n = len(run)
            for i in range(n - 1):
                texts.append(run[i])
                texts.append(run[i : i + 2])
                positions.append(pos + i)
                positions.append(pos + i)
            texts.append(run[-1])
            positions.append(pos + n - 1)
            pos += n
        elif kind == "word":
            texts.append(piece.group())
            positions.append(pos)
            pos += 1
        elif kind == "other":
            pos += 1
    return texts, positions
