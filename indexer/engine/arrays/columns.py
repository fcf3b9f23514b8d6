"""Every passage's filter and facet values across a build's segments, in memory.

A segment codes its cities, years, kinds, agencies and reports as numbers into
its own tables (`segment.py`); here they are re-coded into tables shared by all
segments and concatenated, so that a filter is one comparison over a column and
a facet one bincount (a few bytes a passage: 12 MB at 200k passages).
"""

from __future__ import annotations

import bisect

import numpy as np

from indexer.engine.arrays.segment import CODED, LENGTHS, Segment


class Columns:
    """Every passage's filter and facet values across segments, codes into tables shared by all."""

    def __init__(self, segments: list[Segment]):
        self.tables: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        for name in (*CODED, "country"):
            table = sorted({v for s in segments for v in s.values[name]})
            self.tables[name] = table
            index = {v: i for i, v in enumerate(table)}
            if name == "country":
                continue
            self.codes[name] = _concat([np.array([index[v] for v in s.values[name]], dtype=np.int32)[
                np.asarray(s.columns[name])] if s.passages else np.zeros(0, np.int32) for s in segments])
        index = {v: i for i, v in enumerate(self.tables["country"])}
        starts, codes, base = [], [], 0
        for s in segments:
            lut = np.array([index[v] for v in s.values["country"]], dtype=np.int32)
            start = np.asarray(s.columns["country_start"])
            starts.append(start[:-1] + base)
            codes.append(lut[np.asarray(s.columns["country_code"])] if len(lut) else np.zeros(0, np.int32))
            base += int(start[-1])
        self.country_start = np.r_[_concat(starts).astype(np.int64), base]
        self.country_code = _concat(codes)
        for name in (*LENGTHS.values(), "chars", "ordinal", "span_start", "span_end"):
            self.codes[name] = _concat([np.asarray(s.columns[name]) for s in segments])
        # the tables as arrays, to name a facet's counts in one step
        self.names = {name: np.array(table, dtype=object) for name, table in self.tables.items()}
        self.prior = _concat([np.asarray(s.columns["prior"]) for s in segments]).astype(np.float32)

    def code(self, name: str, value: str) -> int:
        table = self.tables[name]
        i = bisect.bisect_left(table, value)
        return i if i < len(table) and table[i] == value else -1

    def country_passages(self, code: int) -> np.ndarray:
        at = np.flatnonzero(self.country_code == code)
        return np.searchsorted(self.country_start, at, side="right") - 1


def _concat(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.zeros(0, np.int32)
