"""Writing a build's new passages, in several processes when they are many.

Three pieces of work make a build's arrays part, each Python and numpy work for
one core: cutting the passages into grams and sorting the postings (one
segment per core: a search reads a few segments as fast as one) and writing
the whoosh store of their stored fields. They run side by side in forked
processes, which read the passages from the parent's memory instead of a pipe
(a 200k-passage build: 75 s with the store written first, docs/PERFORMANCE.md).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from indexer.engine.arrays.segment import SegmentWriter
from indexer.index.records import PassageRecord

# From this many new passages on, a build writes one segment per core.
PARALLEL_FROM = 20_000
# A segment's writer holds about 22 KB a passage while it sorts (2.2 GB for 100k): larger
# builds write more segments than cores, two at a time.
MAX_SEGMENT_PASSAGES = 250_000

T = TypeVar("T")
_JOBS: list[Callable[[], object]] = []  # what the forked processes run, by number


def _run(number: int) -> object:
    return _JOBS[number]()


def run_forked(jobs: list[Callable[[], T]], passages: int) -> list[T]:
    """Each job's result, in order; the jobs run in forked processes (one per core)
    when they are about PARALLEL_FROM `passages` or more, else here one after another
    (forking costs more than a small build)."""
    cores = os.cpu_count() or 1
    if len(jobs) < 2 or cores < 2 or passages < PARALLEL_FROM:
        return [job() for job in jobs]
    global _JOBS
    _JOBS = list(jobs)
    try:
        with multiprocessing.get_context("fork").Pool(min(cores, len(jobs))) as pool:
            return pool.map(_run, range(len(jobs)), chunksize=1)
    finally:
        _JOBS = []


def segment_jobs(records: list[PassageRecord], folder: Path, first: int) -> tuple[list[dict], list[Callable[[], int]]]:
    """The segments `records` make in `folder`, numbered from `first` (their entries for
    segments.json, the passage counts still to fill in), and the jobs that write them."""
    if not records:
        return [], []
    parts = (os.cpu_count() or 1) if len(records) >= PARALLEL_FROM else 1
    parts = max(parts, -(-len(records) // MAX_SEGMENT_PASSAGES))
    bounds = _cuts(records, parts)
    entries, jobs = [], []
    for i in range(len(bounds) - 1):
        name = f"s{first + i:05d}-{os.urandom(3).hex()}"
        entries.append({"name": name, "passages": bounds[i + 1] - bounds[i]})
        jobs.append(lambda start=bounds[i], end=bounds[i + 1], target=folder / name: _write(records[start:end], target))
    return entries, jobs


def _write(records: list[PassageRecord], folder: Path) -> int:
    writer = SegmentWriter()
    writer.add(records)
    writer.write(folder)
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
