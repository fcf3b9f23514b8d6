"""Many passages' character grams at once, as numpy arrays of 64-bit term keys.

The same grams at the same positions as `indexer.text.grams.grams` (tests/engine/
test_arrays_engine.py holds them equal on the corpus and on generated text), but
computed over a batch of passages with array operations instead of a Python
step per character: a 200k-passage build spent half its time cutting grams and
looking them up in a dictionary one by one.

A term's key: two bits for the field (text, heading, title), one bit for a
Latin/digit word, then for a CJK gram its one or two code points (exact: two
grams never share a key), for a word 61 bits of its BLAKE2b hash (with 64 more
kept beside it to check).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from indexer.text.grams import _ALL_CJK

FIELD_TAGS = {"": 0, "h\x1f": 1, "t\x1f": 2}  # the prefixes of segment.FIELDS
_WORD = np.uint64(1 << 61)
_HASH_BITS = (1 << 61) - 1
# character classes, as indexer.text.grams's pattern reads them
OTHER, SPACE, CJK, LETTER, DIGIT, TAB = range(6)  # a tab takes no position, but parts a bigram
_SEPARATOR = "\x00"  # between passages: an "other" character, so nothing spans two


def _char_class(char: str) -> int:
    if _ALL_CJK.fullmatch(char):
        return CJK
    if char == "\t":
        return TAB
    if char.isspace():
        return SPACE
    if char.isdecimal():
        return DIGIT
    if char.isalnum():  # re's \w without \d and "_"
        return LETTER
    return OTHER


@dataclass
class Classes:
    """Each code point's class, looked up once per distinct code point."""

    known: dict[int, int] = field(default_factory=dict)

    def of(self, cps: np.ndarray) -> np.ndarray:
        distinct = np.unique(cps)
        values = np.fromiter((self._one(int(cp)) for cp in distinct), dtype=np.uint8, count=len(distinct))
        return values[np.searchsorted(distinct, cps)]

    def _one(self, cp: int) -> int:
        found = self.known.get(cp)
        if found is None:
            found = self.known[cp] = _char_class(chr(cp))
        return found


def word_key(word: str, tag: int) -> tuple[int, int]:
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return ((tag << 62) | (1 << 61) | (int.from_bytes(digest[:8], "little") & _HASH_BITS),
            int.from_bytes(digest[8:], "little"))


def gram_key(gram: str, tag: int) -> tuple[int, int] | None:
    """The key of a CJK unigram or bigram, None for anything else."""
    if not 1 <= len(gram) <= 2 or not _ALL_CJK.fullmatch(gram):
        return None
    second = ord(gram[1]) if len(gram) == 2 else 0
    return (tag << 62) | (ord(gram[0]) << 21) | second, 0


def term_key(term: str) -> tuple[int, int]:
    """(key, check) of a term as the lexicon stores it: a field prefix, then a gram or word."""
    tag = 0
    for prefix, value in FIELD_TAGS.items():
        if prefix and term.startswith(prefix):
            term, tag = term[len(prefix):], value
            break
    return gram_key(term, tag) or word_key(term, tag)


@dataclass
class Grams:
    """A batch's grams: each one's key, check, passage (0-based in the batch) and position."""

    keys: np.ndarray  # uint64
    checks: np.ndarray  # uint64, 0 for CJK grams
    passages: np.ndarray  # int32
    positions: np.ndarray  # int32
    words: dict[str, tuple[int, int]]  # the batch's Latin/digit words and their keys


def batch_grams(folded: list[str], tag: int, classes: Classes, words: dict[str, tuple[int, int]]) -> Grams:
    """The grams of each folded text of `folded`, keyed for field `tag`; `words` caches
    the field's word keys across batches (and gets this batch's)."""
    joined = _SEPARATOR.join(folded) + _SEPARATOR
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = classes.of(cps)
    word_char = (cls == LETTER) | (cls == DIGIT)
    previous = np.empty_like(cls)
    previous[0] = OTHER
    previous[1:] = cls[:-1]
    word_start = word_char & (cls != previous)  # a letter after a digit starts a new word
    steps = (cls == CJK) | (cls == OTHER) | word_start  # whitespace and a word's rest take no position
    counted = np.cumsum(steps, dtype=np.int64)
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    firsts = np.zeros(len(folded), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=firsts[1:])
    passage = np.repeat(np.arange(len(folded), dtype=np.int32), lengths + 1)
    position = counted - 1 - (counted[firsts] - steps[firsts])[passage]

    cjk = np.flatnonzero(cls == CJK)
    # A bigram pairs a CJK character with the next one past any whitespace but a tab.
    seen = np.flatnonzero(cls != SPACE)
    after = seen[np.searchsorted(seen, cjk, side="right")]  # the separator ends every text: in range
    paired = cls[after] == CJK
    pairs, seconds = cjk[paired], after[paired]
    base = np.uint64(tag << 62)
    uni = base | (cps[cjk].astype(np.uint64) << np.uint64(21))
    bi = base | (cps[pairs].astype(np.uint64) << np.uint64(21)) | cps[seconds].astype(np.uint64)

    starts = np.flatnonzero(word_start)
    changes = np.flatnonzero(cls[1:] != cls[:-1]) + 1
    ends = changes[np.searchsorted(changes, starts, side="right")]
    texts = [joined[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    found = []
    for text in texts:
        key = words.get(text)
        if key is None:
            key = words[text] = word_key(text, tag)
        found.append(key)
    word_keys = np.array(found, dtype=np.uint64).reshape(-1, 2)

    chosen = np.concatenate([cjk, pairs, starts])
    return Grams(
        keys=np.concatenate([uni, bi, word_keys[:, 0]]),
        checks=np.concatenate([np.zeros(len(cjk) + len(pairs), dtype=np.uint64), word_keys[:, 1]]),
        passages=passage[chosen],
        positions=position[chosen].astype(np.int32),
        words={t: words[t] for t in texts},
    )
