"""One segment of the arrays engine: the postings and columns of the passages one build added.

A segment is a folder of .npy files, written once and then only read
(memory-mapped, so a server's worker processes share them through the page
cache, and opening one costs milliseconds):

- the lexicon: each gram term's 128-bit hash, split in `term_hash` (sorted, for
  np.searchsorted) and `term_check`; `term_start[t] … term_start[t+1]` are its postings;
- the postings: `post_doc` (the passage, segment-local, ascending within a term)
  and `post_pos[p] … post_pos[p+1]`, that posting's slice of `positions`
  (the grams' positions, as `indexer.text.grams` numbers them);
- the columns, one value per passage: `length`, `heading_length`, `title_length`
  (grams in the passage's text, heading path and report title, for BM25), `chars`
  (the text's length), `prior`, `ordinal`, `span_start`/`span_end` (YYYYMMDD, 0 when
  undated), `doc` / `city` / `year` / `kind` / `agency` as codes into
  `values.json`, and each passage's list of countries and of partners
  (`records.LISTS`) as `country_start` / `country_code`, `partner_start` / `partner_code`;
- `latin.txt`: the Latin and digit words of the passages' text, sorted, one a line
  (the index's own spellings of them, for suggestions: `ArraysIndex.words`).

Later builds never write into a segment: a passage deleted later is listed in
the build's deletions (`engine.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.engine.arrays.batch import FIELD_TAGS, Classes, batch_grams
from indexer.index.records import LISTS, PassageRecord
from indexer.text.fold import fold

CODED = ("doc", "city", "year", "kind", "agency", "level")
# The fields a passage's grams come from: its text (what matches), its heading path and
# its report's title (which only add to the score). A heading or title gram is stored as
# the field's prefix + the gram, in the same lexicon.
FIELDS = {"text": "", "heading": "h\x1f", "title": "t\x1f"}
LENGTHS = {"text": "length", "heading": "heading_length", "title": "title_length"}
LATIN = "latin.txt"  # the text's Latin and digit terms


class SegmentWriter:
    """Collects passages, then writes them as one segment. Their grams are cut a batch
    of BATCH passages at a time (`batch.batch_grams`)."""

    BATCH = 2000

    def __init__(self):
        # Per gram only its key, passage and position: a word's check is kept once per
        # occurrence beside its place (`_word_at`), since words are few and the checks of
        # every gram took a third of a writer's memory while it sorts.
        self._keys: list[np.ndarray] = []
        self._word_at: list[np.ndarray] = []
        self._word_checks: list[np.ndarray] = []
        self._grams = 0
        self._docs: list[np.ndarray] = []
        self._positions: list[np.ndarray] = []
        self._latin: set[str] = set()
        self._classes = Classes()
        self._words: dict[int, dict[str, tuple[int, int]]] = {tag: {} for tag in FIELD_TAGS.values()}
        self._pending: list[PassageRecord] = []
        self._columns: dict[str, list] = {name: [] for name in (*CODED, *LENGTHS.values(), "chars", "prior",
                                                                "ordinal", "span_start", "span_end", *LISTS.values())}
        self.passages = 0

    def add(self, records: Iterable[PassageRecord]) -> None:
        for r in records:
            self._pending.append(r)
            if len(self._pending) >= self.BATCH:
                self._flush()

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        cols = self._columns
        for field, prefix in FIELDS.items():
            folded = [fold(getattr(r, field)) for r in batch]
            grams = batch_grams(folded, FIELD_TAGS[prefix], self._classes, self._words[FIELD_TAGS[prefix]])
            self._keys.append(grams.keys)
            words = np.flatnonzero(grams.checks)
            self._word_at.append(words + self._grams)
            self._word_checks.append(grams.checks[words])
            self._grams += len(grams.keys)
            self._docs.append(grams.passages + self.passages)
            self._positions.append(grams.positions)
            cols[LENGTHS[field]].extend(np.bincount(grams.passages, minlength=len(batch)).tolist())
            if field == "text":
                self._latin.update(grams.words)
        for r in batch:
            for name, value in (("doc", r.doc_id), ("city", r.city), ("year", r.year), ("kind", r.kind),
                                ("agency", r.agency), ("level", r.level), ("chars", len(r.text)), ("prior", r.prior),
                                ("ordinal", r.ordinal)):
                cols[name].append(value)
            for field in LISTS.values():
                cols[field].append(getattr(r, field))
            start, end = r.span or (0, 0)
            cols["span_start"].append(start)
            cols["span_end"].append(end)
        self.passages += len(batch)

    def write(self, folder: Path) -> None:
        self._flush()
        folder.mkdir(parents=True)
        # joined one at a time, each list dropped at once: the chunks and all four joined
        # arrays were alive together
        keys = _take_joined(self._keys, np.uint64)
        word_at, word_checks = _take_joined(self._word_at, np.int64), _take_joined(self._word_checks, np.uint64)
        docs, positions = _take_joined(self._docs, np.int32), _take_joined(self._positions, np.int32)
        word_keys, checks_of = _word_checks(keys[word_at], word_checks)
        if checks_of is None:
            # two words share 61 bits of hash: keep them apart by their checks too
            checks = np.zeros(len(keys), dtype=np.uint64)
            checks[word_at] = word_checks
            order = np.lexsort((checks, keys))
            checks = checks[order]
        else:
            order = np.argsort(keys, kind="stable")  # by term, keeping (passage, position) order
            checks = None
        del word_at, word_checks
        keys = keys[order]
        docs = docs[order]
        positions = positions[order]
        del order
        term_change = np.empty(len(keys), dtype=bool)
        if len(keys):
            term_change[0] = True
            term_change[1:] = keys[1:] != keys[:-1]
            if checks is not None:
                term_change[1:] |= checks[1:] != checks[:-1]
        starts = np.flatnonzero(term_change | np.r_[True, docs[1:] != docs[:-1]]) if len(keys) else np.zeros(0, np.int64)
        term_firsts = np.flatnonzero(term_change)
        pos_type = np.uint16 if len(positions) == 0 or positions.max() < 2**16 else np.uint32
        arrays = {
            "term_hash": keys[term_firsts],
            "term_check": checks[term_firsts] if checks is not None else _checks(keys[term_firsts], word_keys, checks_of),
            "term_start": np.r_[np.searchsorted(starts, term_firsts), len(starts)].astype(np.int64),
            "post_doc": docs[starts].astype(np.uint32),
            "post_pos": np.r_[starts, len(positions)].astype(np.uint32 if len(positions) < 2**32 else np.int64),
            "positions": positions.astype(pos_type),
        }
        values: dict[str, list[str]] = {}
        cols = self._columns
        for name in CODED:
            table = sorted(set(cols[name]))
            code = {v: i for i, v in enumerate(table)}
            arrays[name] = np.array([code[v] for v in cols[name]], dtype=np.int32)
            values[name] = table
        for facet, field in LISTS.items():
            table = sorted({c for cs in cols[field] for c in cs})
            code = {v: i for i, v in enumerate(table)}
            values[facet] = table
            arrays[f"{facet}_start"] = np.cumsum([0] + [len(cs) for cs in cols[field]], dtype=np.int64)
            arrays[f"{facet}_code"] = np.array([code[c] for cs in cols[field] for c in cs], dtype=np.int32)
        for name in LENGTHS.values():
            arrays[name] = np.array(cols[name], dtype=np.int32)
        arrays["prior"] = np.array(cols["prior"], dtype=np.float32)
        for name in ("chars", "ordinal", "span_start", "span_end"):
            arrays[name] = np.array(cols[name], dtype=np.int32)
        for name, data in arrays.items():
            np.save(folder / f"{name}.npy", data, allow_pickle=False)
        (folder / "values.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        (folder / LATIN).write_text("".join(f"{t}\n" for t in sorted(self._latin)), encoding="utf-8")




def mapped(path: Path) -> np.ndarray:
    """An .npy file memory-mapped, as a plain view of the map: numpy's memmap subclass
    costs a Python call per slice, and a search slices thousands of times."""
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every index of the ranges [start, start + length), one range after another: the
    places of a CSR column's values (postings' positions, passages' countries) for some rows.

    >>> ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    return np.repeat(np.asarray(starts, dtype=np.int64) - np.cumsum(lengths) + lengths, lengths) + \
        np.arange(int(lengths.sum()))


def _take_joined(chunks: list[np.ndarray], dtype) -> np.ndarray:
    """The chunks joined, the list emptied (so that they are freed as soon as joined)."""
    joined = np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.zeros(0, dtype=dtype)
    chunks.clear()
    return joined


def _word_checks(keys: np.ndarray, checks: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The distinct word keys (sorted) and each one's check; None for the checks when two
    words share a key (then every gram's check has to be sorted with it)."""
    order = np.lexsort((checks, keys))
    keys, checks = keys[order], checks[order]
    if not len(keys):
        return keys, checks
    first = np.r_[True, keys[1:] != keys[:-1]]
    if np.any(~first[1:] & (checks[1:] != checks[:-1])):
        return keys, None
    return keys[first], checks[first]


def _checks(term_keys: np.ndarray, word_keys: np.ndarray, word_checks: np.ndarray) -> np.ndarray:
    """Each term's check: its word's, 0 for a CJK gram (whose key is its code points)."""
    found = np.zeros(len(term_keys), dtype=np.uint64)
    if len(word_keys):
        at = np.minimum(np.searchsorted(word_keys, term_keys), len(word_keys) - 1)
        hit = word_keys[at] == term_keys
        found[hit] = word_checks[at[hit]]
    return found


class Segment:
    """A written segment, memory-mapped."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.term_hash = self._load("term_hash")
        self.term_check = self._load("term_check")
        self.term_start = self._load("term_start")
        self.post_doc = self._load("post_doc")
        self.post_pos = self._load("post_pos")
        self.positions = self._load("positions")
        self.passages = len(self._load("length"))

    def _load(self, name: str) -> np.ndarray:
        return mapped(self.folder / f"{name}.npy")

    # The columns and their value tables are read when asked for: a search reads the
    # build's columns across segments (`columns.py`), so a server never does (opening
    # 21 segments: 352 maps and 21 JSON files fewer).
    @cached_property
    def columns(self) -> dict[str, np.ndarray]:
        lists = [f"{facet}_{part}" for facet in LISTS for part in ("start", "code")]
        return {name: self._load(name) for name in (*CODED, *LENGTHS.values(), "chars", "prior", "ordinal",
                                                    "span_start", "span_end", *lists)}

    @cached_property
    def values(self) -> dict[str, list[str]]:
        return json.loads((self.folder / "values.json").read_text(encoding="utf-8"))

    def term(self, key: tuple[int, int]) -> int | None:
        """The term's number in this segment, or None if no passage here holds it."""
        hashed, check = np.uint64(key[0]), np.uint64(key[1])
        i = int(np.searchsorted(self.term_hash, hashed))
        while i < len(self.term_hash) and self.term_hash[i] == hashed:
            if self.term_check[i] == check:
                return i
            i += 1
        return None

    def postings(self, term: int) -> tuple[int, int]:
        """The term's postings: [start, end) into post_doc / post_pos."""
        return int(self.term_start[term]), int(self.term_start[term + 1])
