"""Every passage's filter and facet values across a build's segments.

A segment codes its cities, years, kinds, agencies and reports as numbers into
its own tables (`segment.py`); here they are re-coded into tables shared by all
segments and concatenated, so that a filter is one comparison over a column and
a facet one bincount (a few bytes a passage: 12 MB at 200k passages).

A build writes them beside its segments (`save`, in `columns/`) and a server
maps them (`load`): working them out from 21 segments took 0.37 s of opening a
1M-passage index, and mapped they are page cache the workers share.
"""

from __future__ import annotations

import bisect
import json
import shutil
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.engine.arrays.segment import CODED, LENGTHS, Segment, mapped, ranges
from indexer.index.records import LISTS

TABLES = "tables.json"
_SAVED_CODES = (*CODED, *LENGTHS.values(), "chars", "ordinal", "span_start", "span_end")


class ValueLists:
    """Each passage's list of values of one facet (its countries, its partners), codes into
    the facet's table: passage i's are `code[start[i]:start[i + 1]]`. When every passage's
    list is its report's (a trip's destinations), also per report: `report_count`, `report_code`."""

    def __init__(self, start: np.ndarray, code: np.ndarray, report_count: np.ndarray | None = None,
                 report_code: np.ndarray | None = None):
        self.start, self.code = start, code
        self.report_count, self.report_code = report_count, report_code

    @cached_property
    def first(self) -> tuple[np.ndarray, np.ndarray]:
        """(each passage's first code, -1 for none; whether it holds more than one): most
        passages hold at most one, so a facet counts their codes with one gather and only
        the few others through their lists. Worked out once."""
        lengths = np.diff(np.asarray(self.start))
        starts = np.asarray(self.start)[:-1]
        first = np.full(len(lengths), -1, dtype=np.int32)
        some = lengths > 0
        first[some] = np.asarray(self.code)[starts[some]]
        return first, lengths > 1

    def counts(self, docs: np.ndarray, size: int) -> np.ndarray:
        """How many of the passages `docs` (ascending) hold each code."""
        first, several = self.first
        codes = first[docs]
        tally = np.bincount(codes[codes >= 0], minlength=size)
        more = docs[several[docs]]
        if len(more):
            starts = np.asarray(self.start)[more] + 1
            lengths = np.asarray(self.start)[more + 1] - starts
            tally += np.bincount(np.asarray(self.code)[ranges(starts, lengths)], minlength=size)
        return tally

    def passages(self, code: int) -> np.ndarray:
        """The passages whose list holds `code`."""
        at = np.flatnonzero(self.code == code)
        return np.searchsorted(self.start, at, side="right") - 1


class Columns:
    """Every passage's filter and facet values across segments, codes into tables shared by all."""

    def __init__(self, segments: list[Segment]):
        self.tables: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        self.lists: dict[str, ValueLists] = {}
        for name in (*CODED, *LISTS):
            table = sorted({v for s in segments for v in s.values[name]})
            self.tables[name] = table
            index = {v: i for i, v in enumerate(table)}
            if name in LISTS:
                self.lists[name] = _joined_lists(name, index, segments)
                continue
            self.codes[name] = _concat([np.array([index[v] for v in s.values[name]], dtype=np.int32)[
                np.asarray(s.columns[name])] if s.passages else np.zeros(0, np.int32) for s in segments])
        for name in (*LENGTHS.values(), "chars", "ordinal", "span_start", "span_end"):
            self.codes[name] = _concat([np.asarray(s.columns[name]) for s in segments])
        self._by_report()
        # the tables as arrays, to name a facet's counts in one step
        self.names = {name: np.array(table, dtype=object) for name, table in self.tables.items()}
        self.prior = _concat([np.asarray(s.columns["prior"]) for s in segments]).astype(np.float32)

    def _by_report(self) -> None:
        """Each facet whose value is its report's (the same on every passage of a report) as
        a column per report: a facet's counts are then summed from the matches per report,
        one gather of the matches for all five facets instead of one each (the country
        facet's lists were the dearest). A facet that differs within a report stays per passage."""
        doc = self.codes["doc"]
        first = self.first_passages
        self.by_report: dict[str, np.ndarray] = {}
        for name in ("city", "year", "kind", "agency", "level"):
            per_report = self.codes[name][first] if len(doc) else np.zeros(0, np.int32)
            if np.array_equal(per_report[doc], self.codes[name]):
                self.by_report[name] = per_report
        for lists in self.lists.values():
            lengths = np.diff(lists.start)
            if not len(doc):
                continue
            mine = lengths[first]
            same = np.array_equal(mine[doc], lengths)
            codes = lists.code[ranges(lists.start[first], mine)]
            if same:  # then every passage's list must be its report's
                starts = np.r_[0, np.cumsum(mine)]
                same = np.array_equal(codes[ranges(starts[doc], lengths)], lists.code)
            if same:
                lists.report_count, lists.report_code = mine, codes

    def save(self, folder: Path) -> None:
        """Write the columns into `folder`, replacing what is there (files hard-linked
        from the build before are unlinked, never written into)."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, array in self._arrays().items():
            np.save(folder / f"{name}.npy", array, allow_pickle=False)
        meta = {"tables": self.tables, "by_report": sorted(self.by_report), "passages": len(self.codes["doc"]),
                "report_lists": sorted(name for name, lists in self.lists.items() if lists.report_code is not None)}
        (folder / TABLES).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, segments: list[Segment]) -> Columns:
        """The columns a build wrote, mapped; worked out from `segments` when the build
        has none (one made before they were written). ValueError if they do not fit."""
        if not (folder / TABLES).is_file():
            return cls(segments)
        meta = json.loads((folder / TABLES).read_text(encoding="utf-8"))
        passages = sum(s.passages for s in segments)
        if meta["passages"] != passages:
            raise ValueError(f"the columns hold {meta['passages']} passages, the segments {passages}")

        def load(name: str) -> np.ndarray:
            return mapped(folder / f"{name}.npy")

        self = cls.__new__(cls)
        self.tables = meta["tables"]
        self.codes = {name: load(f"code.{name}") for name in _SAVED_CODES}
        self.lists = {name: ValueLists(load(f"{name}_start"), load(f"{name}_code"),
                                       *((load(f"report_{name}_count"), load(f"report_{name}_code"))
                                         if name in meta["report_lists"] else ()))
                      for name in LISTS}
        self.prior = load("prior")
        self.by_report = {name: load(f"by_report.{name}") for name in meta["by_report"]}
        self.names = {name: np.array(table, dtype=object) for name, table in self.tables.items()}
        return self

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {f"code.{name}": self.codes[name] for name in _SAVED_CODES}
        arrays |= {"prior": self.prior}
        arrays |= {f"by_report.{name}": column for name, column in self.by_report.items()}
        for name, lists in self.lists.items():
            arrays |= {f"{name}_start": lists.start, f"{name}_code": lists.code}
            if lists.report_code is not None:
                arrays |= {f"report_{name}_count": lists.report_count, f"report_{name}_code": lists.report_code}
        return arrays

    def code(self, name: str, value: str) -> int:
        table = self.tables[name]
        i = bisect.bisect_left(table, value)
        return i if i < len(table) and table[i] == value else -1

    @cached_property
    def first_passages(self) -> np.ndarray:
        """Each report's first passage (0 for a report with none)."""
        doc = np.asarray(self.codes["doc"])
        first = np.zeros(len(self.tables["doc"]), dtype=np.int64)
        first[doc[::-1]] = np.arange(len(doc) - 1, -1, -1)
        return first

    @cached_property
    def report_first_years(self) -> np.ndarray | None:
        """Each report's first year of its time (period start, or report date; 0 undated),
        None if some report's passages differ in it."""
        doc = np.asarray(self.codes["doc"])
        years = np.where(np.asarray(self.codes["span_end"]) > 0, np.asarray(self.codes["span_start"]) // 10000,
                         0).astype(np.int64)
        mine = years[self.first_passages] if len(doc) else np.zeros(0, np.int64)
        return mine if np.array_equal(mine[doc], years) else None


def _joined_lists(name: str, index: dict[str, int], segments: list[Segment]) -> ValueLists:
    """One facet's lists across segments, codes into the shared table (`index`)."""
    starts, codes, base = [], [], 0
    for s in segments:
        lut = np.array([index[v] for v in s.values[name]], dtype=np.int32)
        start = np.asarray(s.columns[f"{name}_start"])
        starts.append(start[:-1] + base)
        codes.append(lut[np.asarray(s.columns[f"{name}_code"])] if len(lut) else np.zeros(0, np.int32))
        base += int(start[-1])
    return ValueLists(np.r_[_concat(starts).astype(np.int64), base], _concat(codes))


def _concat(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.zeros(0, np.int32)
