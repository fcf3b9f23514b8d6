"""Copies for the pages: which passages are copies of which (clusters of the pairs a build
found, `indexer.index.copies`), each cluster with its earliest report, and the differences
between two copies, character by character. Plain data; made once per build."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.index.copies import COPIES, PAIRED

MAX_LISTED = 20  # copies listed on a hit or beside a passage; the rest are counted
# Longer texts are set side by side without marks: comparing two repetitive texts of
# 3,000 characters character by character took 0.85 s, of 1,600 about 0.1 s.
DIFF_CHARS = 1600


@dataclass(frozen=True)
class CopyRef:
    """One copy of a passage, with its report's metadata."""

    doc_id: str
    passage_id: str
    title: str
    city: str | None
    date: str | None

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "passage_id": self.passage_id, "title": self.title, "city": self.city,
                "date": self.date}


class Copies:
    """Clusters of copies (every passage linked to another by a pair is in its cluster)."""

    def __init__(self, keys: dict[int, tuple[str, str]], pairs: np.ndarray, reports: dict[str, dict]):
        """`keys`: the (doc_id, passage_id) of each passage number in `pairs`."""
        parent = {n: n for n in keys}

        def root(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for a, b in pairs.tolist():
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[int, list[int]] = {}
        for n in {int(x) for x in pairs.ravel().tolist()}:
            members.setdefault(root(n), []).append(n)
        self._reports = reports
        self.clusters: list[list[tuple[str, str]]] = []
        self.cluster_of: dict[tuple[str, str], int] = {}
        for group in members.values():
            refs = sorted((keys[n] for n in group), key=lambda k: (self._date(k[0]), k))
            for key in refs:
                self.cluster_of[key] = len(self.clusters)
            self.clusters.append(refs)
        # most copies first, then the earliest
        self.order = sorted(range(len(self.clusters)),
                            key=lambda c: (-len(self.clusters[c]), self._date(self.clusters[c][0][0])))

    @classmethod
    def load(cls, build: Path, reports: dict[str, dict]) -> Copies:
        """The copies of `build` (none for a build made before copies were found)."""
        folder = build / COPIES
        if not (folder / PAIRED).is_file():
            return cls({}, np.zeros((0, 2), np.int32), reports)
        keys = {int(n): tuple(k) for n, k in json.loads((folder / PAIRED).read_text(encoding="utf-8")).items()}
        return cls(keys, np.load(folder / "pairs.npy", allow_pickle=False).reshape(-1, 2), reports)

    def _date(self, doc_id: str) -> str:
        return self._reports.get(doc_id, {}).get("date") or "9999"

    def ref(self, key: tuple[str, str]) -> CopyRef:
        meta = self._reports.get(key[0], {})
        return CopyRef(key[0], key[1], meta.get("title") or key[0], meta.get("city"), meta.get("date"))

    def members(self, doc_id: str, passage_id: str) -> list[tuple[str, str]]:
        """The other copies of a passage, earliest report first (none when it has none)."""
        cluster = self.cluster_of.get((doc_id, passage_id))
        return [] if cluster is None else [k for k in self.clusters[cluster] if k != (doc_id, passage_id)]

    def others(self, doc_id: str, passage_id: str) -> tuple[int, tuple[CopyRef, ...]]:
        """(in how many reports the other copies of this passage stand — its own included when it
        repeats itself —, the first MAX_LISTED of them, earliest first)."""
        others = self.members(doc_id, passage_id)
        return len({d for d, _p in others}), tuple(self.ref(k) for k in others[:MAX_LISTED])

    def page(self, page: int, per_page: int) -> list[dict]:
        """A page of clusters, most copies first: each with its earliest report's passage."""
        rows = []
        for c in self.order[(page - 1) * per_page : page * per_page]:
            refs = [self.ref(k) for k in self.clusters[c]]
            rows.append({"size": len(refs), "reports": len({r.doc_id for r in refs}),
                         "earliest": refs[0].to_dict(), "members": [r.to_dict() for r in refs]})
        return rows


def differences(text: str, other: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """The stretches of `text` that `other` does not have, and of `other` that `text` does not:
    what to mark when two copies are shown side by side (character by character; whitespace
    does not count as a difference). None when either is longer than DIFF_CHARS.

    >>> differences("107年締結友好城市", "108年締結友好城市")
    ([(2, 3)], [(2, 3)])
    """
    if len(text) > DIFF_CHARS or len(other) > DIFF_CHARS:
        return None
    a, b = _visible(text), _visible(other)
    matcher = difflib.SequenceMatcher(None, [text[i] for i in a], [other[i] for i in b], autojunk=False)
    mine, theirs = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            mine.append((a[i1], a[i2 - 1] + 1))
        if j2 > j1:
            theirs.append((b[j1], b[j2 - 1] + 1))
    return mine, theirs


def _visible(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if not char.isspace()]
