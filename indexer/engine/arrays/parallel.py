"""Writing a build's new passages, in several processes when they are many.

Three pieces of work make a build's arrays part, each Python and numpy work for
one core: cutting the passages into grams and sorting the postings (one
segment per core: a search reads a few segments as fast as one) and writing
the whoosh store of their stored fields. They run side by side in forked
processes, which read the passages from the parent's memory instead of a pipe
(a 200k-passage build: 75 s with the store written first, docs/PERFORMANCE.md).

A large build does not wait for all its passages: every PART_PASSAGES of them
are written as a part (the store's and one segment) in the background while the
build reads on, so that no process ever holds more than a part's passages (a
segment's writer needs ≈ 10 KB a passage while it sorts) and the build's
memory stays bounded whatever the archive's size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from indexer.engine.arrays.segment import SegmentWriter
from indexer.index.forking import release_signals, signals_held
from indexer.index.records import PassageRecord

# From this many new passages on, a build writes one segment per core.
PARALLEL_FROM = 20_000
# The passages a part written during the build holds, and the segments it is cut into
# (each segment's writer ≈ 13 KB a passage: ≈ 0.65 GB).
PART_PASSAGES = 100_000
PART_SEGMENTS = 2

T = TypeVar("T")


def _child(job: Callable[[], object], conn) -> None:
    release_signals()
    try:
        result = ("ok", job())
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
        result = ("error", exc)
    try:
        conn.send(result)
    except Exception as exc:  # noqa: BLE001 - the error itself would not pickle
        conn.send(("error", RuntimeError(repr(result[1]) if result[0] == "error" else repr(exc))))
    conn.close()


class Jobs(Generic[T]):
    """Jobs started at once, each in a forked process (the parent keeps no thread, so
    it may go on forking); `wait` gives their results in order or raises the first
    job's error as the job raised it (an OSError keeps its errno: a full disk stays
    a full disk)."""

    def __init__(self, jobs: list[Callable[[], T]], forked: bool):
        self._results: list[T] | None = None
        self._running: list = []
        if not forked:
            self._results = [job() for job in jobs]
            return
        context = multiprocessing.get_context("fork")
        try:
            with signals_held():
                for job in jobs:
                    receive, send = context.Pipe(duplex=False)
                    process = context.Process(target=_child, args=(job, send), daemon=True)
                    process.start()
                    send.close()
                    self._running.append((process, receive))
        except BaseException:
            self.stop()
            raise

    def wait(self) -> list[T]:
        if self._results is not None:
            return self._results
        results, error = [], None
        try:
            for process, receive in self._running:
                try:
                    status, value = receive.recv()
                except EOFError:
                    process.join()
                    status, value = "error", RuntimeError(f"a build process died (exit code {process.exitcode})")
                receive.close()
                process.join()
                if status == "error" and error is None:
                    error = value
                results.append(value)
        finally:
            self._running = []
        if error is not None:
            raise error
        self._results = results
        return results

    def stop(self) -> None:
        """Kill the jobs still running (a build cancelled)."""
        for process, receive in self._running:
            if process.is_alive():
                process.kill()
            process.join()
            receive.close()
        self._running = []


def start(jobs: list[Callable[[], T]], passages: int) -> Jobs[T]:
    """The jobs started in forked processes when they are about PARALLEL_FROM `passages`
    or more, else run here one after another (forking costs more than a small build)."""
    cores = os.cpu_count() or 1
    return Jobs(jobs, forked=len(jobs) >= 2 and cores >= 2 and passages >= PARALLEL_FROM)


def segment_jobs(records: list[PassageRecord], folder: Path, first: int,
                 parts: int | None = None) -> tuple[list[dict], list[Callable[[], int]]]:
    """The segments `records` make in `folder`, numbered from `first` (their entries for
    segments.json), and the jobs that write them: `parts` segments, by default
    PART_SEGMENTS when they are many."""
    if not records:
        return [], []
    if parts is None:
        parts = PART_SEGMENTS if len(records) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
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
