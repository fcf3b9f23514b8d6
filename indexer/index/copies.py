"""A build's copies: each passage's fingerprint (`indexer.ingest.copies`) and the pairs of
passages that are copies of each other, kept in the build's `copies/` folder and carried
from build to build: a build drops the passages of removed and changed reports, adds the
new ones' fingerprints, and looks for the copies of the new passages only (adding a report
costs its own passages, against an index of every passage's sampled hashes).

Files (numpy, written once per build):
- keys.json: [doc_id, passage_id] of each fingerprinted passage, by number;
- start.npy, hash.npy: passage n's sampled hashes are hash[start[n]:start[n + 1]], sorted;
- index_hash.npy, index_owner.npy: every sampled hash and its passage, sorted by hash;
- pairs.npy (int32, n × 2, a < b) and similarity.npy (float32): the copies found;
- paired.json: {number: [doc_id, passage_id]} of the passages in a pair, what a server reads
  (keys.json is 6 MB at 200k passages, 0.24 s of the first search; the paired few are not).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.engine.arrays.segment import ranges
from indexer.ingest.copies import similar_pairs

COPIES = "copies"
PAIRED = "paired.json"


@dataclass
class CopyIndex:
    keys: list[tuple[str, str]]
    start: np.ndarray  # int64, len(keys) + 1
    hashes: np.ndarray  # uint32
    index_hash: np.ndarray  # uint32, sorted
    index_owner: np.ndarray  # int32
    pairs: np.ndarray  # int32, (m, 2)
    similarity: np.ndarray  # float32, (m,)

    @classmethod
    def empty(cls) -> CopyIndex:
        return cls([], np.zeros(1, np.int64), np.zeros(0, np.uint32), np.zeros(0, np.uint32),
                   np.zeros(0, np.int32), np.zeros((0, 2), np.int32), np.zeros(0, np.float32))

    @classmethod
    def load(cls, folder: Path) -> CopyIndex:
        def load(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", allow_pickle=False)

        keys = [tuple(k) for k in json.loads((folder / "keys.json").read_text(encoding="utf-8"))]
        return cls(keys, load("start"), load("hash"), load("index_hash"), load("index_owner"),
                   load("pairs").reshape(-1, 2), load("similarity"))

    def save(self, folder: Path) -> None:
        folder.mkdir()
        (folder / "keys.json").write_text(json.dumps(self.keys, ensure_ascii=False), encoding="utf-8")
        paired = {int(n): self.keys[n] for n in np.unique(self.pairs)}
        (folder / PAIRED).write_text(json.dumps(paired, ensure_ascii=False), encoding="utf-8")
        for name, array in (("start", self.start), ("hash", self.hashes), ("index_hash", self.index_hash),
                            ("index_owner", self.index_owner), ("pairs", self.pairs),
                            ("similarity", self.similarity)):
            np.save(folder / f"{name}.npy", array, allow_pickle=False)

    def fingerprint(self, n: int) -> np.ndarray:
        return self.hashes[self.start[n] : self.start[n + 1]]

    def without(self, docs: set[str]) -> CopyIndex:
        """The index without the passages of `docs`, renumbered."""
        alive = np.array([doc not in docs for doc, _p in self.keys], dtype=bool)
        if alive.all():
            return self
        number = np.cumsum(alive) - 1
        lengths = np.diff(self.start)[alive]
        kept = alive[self.index_owner] if len(self.index_owner) else np.zeros(0, bool)
        both = alive[self.pairs[:, 0]] & alive[self.pairs[:, 1]] if len(self.pairs) else np.zeros(0, bool)
        return CopyIndex(
            [k for k, a in zip(self.keys, alive, strict=True) if a],
            np.r_[0, np.cumsum(lengths)].astype(np.int64),
            self.hashes[ranges(self.start[:-1][alive], lengths)],
            self.index_hash[kept], number[self.index_owner[kept]].astype(np.int32),
            number[self.pairs[both]].astype(np.int32).reshape(-1, 2), self.similarity[both])

    def add(self, passages: list[tuple[str, str, np.ndarray]]) -> int:
        """Add `passages` (doc_id, passage_id, fingerprint) and find their copies; returns how
        many pairs were found."""
        first = len(self.keys)
        prints = [p for _d, _i, p in passages if len(p)]
        self.keys += [(d, i) for d, i, p in passages if len(p)]
        if not prints:
            return 0
        sizes = np.array([len(p) for p in prints], dtype=np.int64)
        self.start = np.r_[self.start, self.start[-1] + np.cumsum(sizes)].astype(np.int64)
        new_hashes = np.concatenate(prints).astype(np.uint32)
        self.hashes = np.concatenate([self.hashes, new_hashes])
        owners = np.repeat(np.arange(first, first + len(prints), dtype=np.int32), sizes)
        order = np.argsort(new_hashes, kind="stable")
        at = np.searchsorted(self.index_hash, new_hashes[order], side="right")
        self.index_hash = np.insert(self.index_hash, at, new_hashes[order])
        self.index_owner = np.insert(self.index_owner, at, owners[order])
        found = similar_pairs(self.index_hash, self.index_owner, np.diff(self.start), first, self.fingerprint)
        if found:
            self.pairs = np.concatenate([self.pairs, np.array([(a, b) for a, b, _s in found], dtype=np.int32)])
            self.similarity = np.concatenate([self.similarity, np.array([s for _a, _b, s in found], np.float32)])
        return len(found)


def update_copies(base: Path | None, build: Path, gone: set[str],
                  passages: list[tuple[str, str, np.ndarray]]) -> CopyIndex:
    """Write `build`'s copies: the base build's without the reports `gone` (removed or
    changed), plus `passages` (doc_id, passage_id, fingerprint) of the reports read anew."""
    folder = base / COPIES if base is not None else None
    index = CopyIndex.load(folder) if folder is not None and (folder / "keys.json").is_file() else CopyIndex.empty()
    index = index.without(gone)
    index.add(passages)
    index.save(build / COPIES)
    return index
