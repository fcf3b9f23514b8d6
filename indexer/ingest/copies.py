"""Fingerprints of passages, to find the ones a report copied from another (or from itself).

A passage's fingerprint is a sample of the hashes of its 5-character shingles, taken of
its text reduced to what a copy keeps: folded, without whitespace or punctuation, every
run of digits one 0 (a copy that updates a number or a date is still a copy). The same
shingle always hashes the same, in any process and any build, and only hashes whose two
top bits are 0 are kept (about one shingle in four): two passages' samples then share
about as large a part of themselves as their whole shingle sets do (the "mod-m" sample of
Broder's resemblance), so comparing samples compares texts.

A report's passages are hashed at once, as arrays: no Python step per character.

>>> a, b, c = fingerprints(["本市與日本八代市於107年4月19日締結為友好城市，雙方每年互訪並舉辦物產展。",
...                           "本市與日本八代市於108年5月1日締結為友好城市，雙方每年互訪並舉辦物產展！",
...                           "臺中市與宮崎縣於2024年12月12日締結姊妹市，雙方在觀光與林業上往來密切。"])
>>> resemblance(a, b), resemblance(a, c) < 0.2
(1.0, True)
"""

from __future__ import annotations

import re

import numpy as np

from indexer.text.fold import fold

SHINGLE = 5  # characters: a Chinese clause's worth, shorter than any sentence a copy keeps
MIN_CHARS = 30  # a passage shorter than this (a heading, a caption) copies nothing worth telling
_KEEP = re.compile(r"[^\W_]+")  # letters, digits, Chinese characters: what a copy keeps
_DIGITS = re.compile(r"\d+")
_SEPARATOR = 0  # between passages in a batch: no shingle spans two
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def normalised(text: str) -> str:
    """What a copy keeps of a text.

    >>> normalised("107年 4月，本市與ＭＯＵ 2015！")
    '0年0月本市與mou0'
    """
    return _DIGITS.sub("0", "".join(_KEEP.findall(fold(text))))


def fingerprints(texts: list[str]) -> list[np.ndarray]:
    """Each text's fingerprint: its sampled shingle hashes, sorted, unique, as uint32; empty
    for a text shorter than MIN_CHARS once normalised."""
    kept = [normalised(t) for t in texts]
    joined = "\x00".join(kept) + "\x00"
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - SHINGLE + 1
    if n <= 0:
        return [np.zeros(0, np.uint32) for _ in texts]
    # A polynomial hash of each window of SHINGLE code points, mixed so that every bit counts.
    h = np.zeros(n, dtype=np.uint64)
    for j in range(SHINGLE):
        h = h * np.uint64(1_000_003) + cps[j : j + n]
    h ^= h >> np.uint64(29)
    h *= _MULTIPLIER
    h ^= h >> np.uint64(32)
    # no shingle crosses a separator
    separators = np.flatnonzero(cps == _SEPARATOR)
    crossing = np.zeros(n + SHINGLE, dtype=np.int64)
    np.add.at(crossing, np.clip(separators - SHINGLE + 1, 0, None), 1)
    np.add.at(crossing, separators + 1, -1)
    clean = np.cumsum(crossing)[:n] == 0
    sampled = clean & ((h >> np.uint64(62)) == 0)
    starts = np.r_[0, np.cumsum([len(k) + 1 for k in kept])]
    where = np.flatnonzero(sampled)
    owner = np.searchsorted(starts, where, side="right") - 1
    values = (h[where] >> np.uint64(32)).astype(np.uint32)
    bounds = np.searchsorted(owner, np.arange(len(texts) + 1))
    return [np.unique(values[bounds[i] : bounds[i + 1]]) if len(kept[i]) >= MIN_CHARS else np.zeros(0, np.uint32)
            for i in range(len(texts))]


def resemblance(a: np.ndarray, b: np.ndarray) -> float:
    """How much of two fingerprints is shared: |a ∩ b| / |a ∪ b| (0 when either is empty)."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """How much of the smaller fingerprint the larger holds (a paragraph copied into a longer one)."""
    if not len(a) or not len(b):
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


# Two passages are copies when their fingerprints resemble each other this much, or the
# smaller one is this much inside the larger (a paragraph copied into a longer passage);
# chosen by scripts/copies_eval.py (docs/DESIGN.md, "Copied passages").
RESEMBLANCE = 0.4
CONTAINMENT = 0.8
MIN_SAMPLES = 6  # a fingerprint smaller than this is too little to tell a copy by
COMMON = 32  # a shingle more passages share than this is boilerplate: it makes no candidate


def similar_pairs(hashes: np.ndarray, owners: np.ndarray, sizes: np.ndarray, new_from: int,
                  fingerprint) -> list[tuple[int, int, float]]:
    """The pairs of copies (a < b, similarity) among the passages of an index, where b is
    one of the passages numbered `new_from` or more: only those are looked for, so adding a
    report costs its own passages. `hashes` / `owners`: every sampled hash and its passage,
    sorted by hash; `sizes`: each passage's fingerprint size; `fingerprint(n)`: passage
    n's fingerprint, for the exact check of a candidate."""
    new = np.flatnonzero(owners >= new_from)
    if not len(new):
        return []
    lo = np.searchsorted(hashes, hashes[new], side="left")
    hi = np.searchsorted(hashes, hashes[new], side="right")
    usable = (hi - lo) <= COMMON
    new, lo, hi = new[usable], lo[usable], hi[usable]
    counts = hi - lo
    mine = np.repeat(owners[new], counts).astype(np.int64)
    theirs = owners[np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))].astype(np.int64)
    # each pair once: the other is older, or the same age and numbered lower
    keep = (theirs < new_from) | (theirs < mine)
    a, b = np.minimum(mine, theirs)[keep], np.maximum(mine, theirs)[keep]
    if not len(a):
        return []
    keys, shared = np.unique(a << 32 | b, return_counts=True)
    first, second = keys >> 32, keys & 0xFFFFFFFF
    smaller = np.minimum(sizes[first], sizes[second])
    likely = (smaller >= MIN_SAMPLES) & (shared >= np.maximum(3, 0.4 * smaller))
    found = []
    for x, y in zip(first[likely].tolist(), second[likely].tolist(), strict=True):
        fx, fy = fingerprint(x), fingerprint(y)
        similarity = resemblance(fx, fy)
        if similarity >= RESEMBLANCE or containment(fx, fy) >= CONTAINMENT:
            found.append((x, y, round(similarity, 3)))
    return found

# What a build's copies depend on: a change re-reads every report (index/build.py).
COPIES_SIGNATURE = f"{SHINGLE}:{MIN_CHARS}:{RESEMBLANCE}:{CONTAINMENT}:{MIN_SAMPLES}:{COMMON}:1"
