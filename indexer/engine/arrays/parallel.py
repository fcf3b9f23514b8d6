"""Writing a build's new passages as segments, in several processes when they are many.

Cutting a city archive's passages into grams and sorting the postings is
Python and numpy work for one core; the passages split into one segment per
core cost the same work in half the time on two (a search reads a few
segments as fast as one). The processes are forked after the passages are
collected, so they read them from the parent's memory instead of a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from indexer.engine.arrays.segment import SegmentWriter
from indexer.index.records import PassageRecord

# From this many new passages on, a build writes one segment per core.
PARALLEL_FROM = 20_000

_PENDING: list[PassageRecord] = []  # what the forked processes read


def _write(task: tuple[int, int, str]) -> int:
    start, end, folder = task
    return _write_local(_PENDING[start:end], folder)


def write_segments(records: list[PassageRecord], folder: Path, first: int) -> list[dict]:
    """Write `records` as segments of `folder`, numbered from `first`, in order; returns
    their entries for segments.json. Records of one report stay in one segment."""
    if not records:
        return []
    parts = (os.cpu_count() or 1) if len(records) >= PARALLEL_FROM else 1
    bounds = _cuts(records, parts)
    names = [f"s{first + i:05d}-{os.urandom(3).hex()}" for i in range(len(bounds) - 1)]
    tasks = [(bounds[i], bounds[i + 1], str(folder / name)) for i, name in enumerate(names)]
    if len(tasks) == 1:
        counts = [_write_local(records, tasks[0][2])]
    else:
        global _PENDING
        _PENDING = records
        try:
            with multiprocessing.get_context("fork").Pool(len(tasks)) as pool:
                counts = pool.map(_write, tasks)
        finally:
            _PENDING = []
    return [{"name": name, "passages": count} for name, count in zip(names, counts, strict=True)]


def _write_local(records: list[PassageRecord], folder: str) -> int:
    writer = SegmentWriter()
    writer.add(records)
    writer.write(Path(folder))
    return writer.passages


def _cuts(records: list[PassageRecord], parts: int) -> list[int]:
    """Where to cut `records` into `parts` runs of about equal size, between reports."""
    bounds = [0]
    for i in range(1, parts):
        at = len(records) * i // parts
        while 0 < at < len(records) and records[at].doc_id == records[at - 1].doc_id:
            at += 1
        if bounds[-1] < at < len(records):
            bounds.append(at)
    bounds.append(len(records))
    return bounds
