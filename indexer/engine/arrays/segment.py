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
  `values.json`, and the countries as `country_start` / `country_code`;
- `latin.txt`: the Latin and digit words of the passages' text, sorted, one a line
  (the index's own spellings of them, for suggestions: `ArraysIndex.words`).

Later builds never write into a segment: a passage deleted later is listed in
the build's deletions (`engine.py`).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from indexer.engine.arrays.tokens import gram_lists
from indexer.index.records import PassageRecord
from indexer.text.fold import fold
from indexer.text.grams import is_cjk

CODED = ("doc", "city", "year", "kind", "agency")
# The fields a passage's grams come from: its text (what matches), its heading path and
# its report's title (which only add to the score). A heading or title gram is stored as
# the field's prefix + the gram, in the same lexicon.
FIELDS = {"text": "", "heading": "h\x1f", "title": "t\x1f"}
LENGTHS = {"text": "length", "heading": "heading_length", "title": "title_length"}
_PREFIXES = tuple(p for p in FIELDS.values() if p)
LATIN = "latin.txt"  # the text's Latin and digit terms


def term_key(term: str) -> tuple[int, int]:
    """A term's (hash, check): two 64-bit halves of its BLAKE2b digest. Python's own
    hash() changes from process to process; the pair makes a collision between
    two terms of an archive's lexicon (a few million) far less likely than a disk error."""
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=16).digest()
    return int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")


class SegmentWriter:
    """Collects passages, then writes them as one segment."""

    def __init__(self):
        self._vocab: dict[str, int] = {}
        self._terms = array("i")
        self._docs = array("i")
        self._positions = array("i")
        self._columns: dict[str, list] = {name: [] for name in (*CODED, *LENGTHS.values(), "chars", "prior",
                                                                "ordinal", "span_start", "span_end", "countries")}
        self.passages = 0
        self._title: tuple[str, list[int], list[int]] = ("", [], [])  # the last title's grams, reused

    def _grams(self, text: str, prefix: str) -> tuple[list[int], list[int]]:
        """The term numbers and positions of `text`'s grams, the terms under `prefix`."""
        vocab = self._vocab
        texts, positions = gram_lists(fold(text))
        return [vocab.setdefault(prefix + t, len(vocab)) for t in texts], positions

    def _title_grams(self, title: str) -> tuple[list[int], list[int]]:
        # A report's passages come one after another and share its title.
        if self._title[0] != title:
            self._title = (title, *self._grams(title, FIELDS["title"]))
        return self._title[1], self._title[2]

    def add(self, records: Iterable[PassageRecord]) -> None:
        cols = self._columns
        for r in records:
            lengths = {}
            for field, (terms, positions) in (("text", self._grams(r.text, "")),
                                              ("heading", self._grams(r.heading, FIELDS["heading"])),
                                              ("title", self._title_grams(r.title))):
                self._terms.extend(terms)
                self._docs.extend([self.passages] * len(terms))
                self._positions.extend(positions)
                lengths[LENGTHS[field]] = len(terms)
            for name, value in (("doc", r.doc_id), ("city", r.city), ("year", r.year), ("kind", r.kind),
                                ("agency", r.agency), *lengths.items(), ("chars", len(r.text)), ("prior", r.prior),
                                ("ordinal", r.ordinal), ("countries", r.countries)):
                cols[name].append(value)
            start, end = r.span or (0, 0)
            cols["span_start"].append(start)
            cols["span_end"].append(end)
            self.passages += 1

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        keys = np.array([term_key(t) for t in self._vocab], dtype=np.uint64).reshape(-1, 2)
        by_hash = np.argsort(keys[:, 0], kind="stable")
        rank = np.empty_like(by_hash)
        rank[by_hash] = np.arange(len(by_hash))
        terms = rank[np.frombuffer(self._terms, dtype=np.int32)] if len(self._terms) else np.zeros(0, np.int64)
        docs = np.frombuffer(self._docs, dtype=np.int32)
        positions = np.frombuffer(self._positions, dtype=np.int32)
        order = np.argsort(terms, kind="stable")  # (doc, position) order kept within a term
        terms, docs, positions = terms[order], docs[order], positions[order]
        # A posting starts wherever the term or the passage changes.
        starts = np.flatnonzero(np.r_[True, (terms[1:] != terms[:-1]) | (docs[1:] != docs[:-1])]) \
            if len(terms) else np.zeros(0, np.int64)
        post_terms = terms[starts]
        term_start = np.searchsorted(post_terms, np.arange(len(keys) + 1))
        pos_type = np.uint16 if len(positions) == 0 or positions.max() < 2**16 else np.uint32
        arrays = {
            "term_hash": keys[by_hash, 0], "term_check": keys[by_hash, 1],
            "term_start": term_start.astype(np.int64),
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
        countries = sorted({c for cs in cols["countries"] for c in cs})
        code = {v: i for i, v in enumerate(countries)}
        values["country"] = countries
        arrays["country_start"] = np.cumsum([0] + [len(cs) for cs in cols["countries"]], dtype=np.int64)
        arrays["country_code"] = np.array([code[c] for cs in cols["countries"] for c in cs], dtype=np.int32)
        for name in LENGTHS.values():
            arrays[name] = np.array(cols[name], dtype=np.int32)
        arrays["prior"] = np.array(cols["prior"], dtype=np.float32)
        for name in ("chars", "ordinal", "span_start", "span_end"):
            arrays[name] = np.array(cols[name], dtype=np.int32)
        for name, data in arrays.items():
            np.save(folder / f"{name}.npy", data, allow_pickle=False)
        (folder / "values.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        latin = sorted(t for t in self._vocab if not t.startswith(_PREFIXES) and not is_cjk(t))
        (folder / LATIN).write_text("".join(f"{t}\n" for t in latin), encoding="utf-8")


class Segment:
    """A written segment, memory-mapped."""

    def __init__(self, folder: Path):
        def load(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

        self.term_hash = load("term_hash")
        self.term_check = load("term_check")
        self.term_start = load("term_start")
        self.post_doc = load("post_doc")
        self.post_pos = load("post_pos")
        self.positions = load("positions")
        self.columns = {name: load(name) for name in (*CODED, *LENGTHS.values(), "chars", "prior", "ordinal", "span_start",
                                                       "span_end", "country_start", "country_code")}
        self.values: dict[str, list[str]] = json.loads((folder / "values.json").read_text(encoding="utf-8"))
        self.passages = len(self.columns["length"])

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
