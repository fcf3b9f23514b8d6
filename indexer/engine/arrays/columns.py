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
    list is its report's (a trip's destinations), also per report: `report_count`, `report_code`.

    The distinct lists (`distinct`: each passage's list's number, and each list's codes)
    count a facet: passages sharing a list ([宮崎縣], [八代市, 熊本縣]) are tallied together,
    then each list's tally goes to its codes: one gather per search, however long the lists
    (walking every matching passage's list cost a partner facet 3 ms at 200k passages)."""

    def __init__(self, start: np.ndarray, code: np.ndarray, report_count: np.ndarray | None = None,
                 report_code: np.ndarray | None = None, distinct: tuple | None = None):
        self.start, self.code = start, code
        self.report_count, self.report_code = report_count, report_code
        if distinct is not None:
            self.distinct = distinct

    @cached_property
    def distinct(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(each passage's list's number, where each distinct list starts, their codes)."""
        return distinct_lists(np.asarray(self.start), np.asarray(self.code))

    def counts(self, docs: np.ndarray, size: int) -> np.ndarray:
        """How many of the passages `docs` (ascending) hold each code."""
        number, starts, codes = self.distinct
        per_list = np.bincount(number[docs], minlength=len(starts) - 1)
        return np.bincount(codes, weights=np.repeat(per_list, np.diff(starts)), minlength=size).astype(np.int64)

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
                                         if name in meta["report_lists"] else (None, None)),
                                       distinct=tuple(load(f"{name}_{part}") for part in ("list", "list_start",
                                                                                           "list_code")))
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
            number, starts, codes = lists.distinct
            arrays |= {f"{name}_list": number, f"{name}_list_start": starts, f"{name}_list_code": codes}
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


DISTINCT_WIDTH = 8  # lists longer than this are each their own (never deduplicated)


def distinct_lists(start: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each row's list's number, where each distinct list starts, their codes) of the lists
    `code[start[i]:start[i + 1]]`, the same list once.

    >>> number, starts, codes = distinct_lists(np.array([0, 1, 3, 4, 4]), np.array([5, 5, 7, 5]))
    >>> number.tolist(), [codes[a:b].tolist() for a, b in zip(starts[:-1], starts[1:])]
    ([1, 2, 1, 0], [[], [5], [5, 7]])
    """
    lengths = np.diff(start)
    rows = len(lengths)
    width = int(min(DISTINCT_WIDTH, lengths.max())) if rows else 0
    # each row: its length, its first `width` codes (-1 after its end), and for a longer list
    # its own row number, so that it matches no other
    table = np.full((rows, width + 2), -1, dtype=np.int64)
    table[:, 0] = lengths
    for k in range(width):
        some = lengths > k
        table[some, k + 1] = code[start[:-1][some] + k]
    long = lengths > width
    table[long, width + 1] = np.flatnonzero(long)
    unique, first_row, number = np.unique(table, axis=0, return_index=True, return_inverse=True)
    sizes = unique[:, 0]
    codes = code[ranges(start[:-1][first_row], sizes)] if len(first_row) else np.zeros(0, code.dtype)
    return number.ravel().astype(np.int32), np.r_[0, np.cumsum(sizes)].astype(np.int64), codes.astype(np.int32)


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
