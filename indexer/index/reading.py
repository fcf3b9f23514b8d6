"""Reading the new and changed files of a build, in several processes when they are many.

Parsing a file (text extraction, metadata, passages) and learning its aliases
is Python work for one core: a city archive's thousand files took a minute
and a half of a 200k-passage build. Files are independent, so from
PARALLEL_FROM files on they are read by one forked process per core, in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.errors import UnreadableReport
from indexer.index.atlas import report_atlas, report_partners
from indexer.index.forking import release_signals, signals_held
from indexer.ingest.aliases import Alias, find_aliases
from indexer.ingest.copies import fingerprints
from indexer.ingest.corpus import read_report
from indexer.ingest.partners import Partner
from indexer.models import Report

PARALLEL_FROM = 40


@dataclass
class Read:
    """One file read: its report, the aliases its text defines, each passage's partners and
    the report's atlas entry (`atlas.py`); or why it was skipped."""

    name: str
    report: Report | None = None
    aliases: list[Alias] | None = None
    partners: list[tuple[Partner, ...]] | None = None
    atlas: dict | None = None
    fingerprints: list[np.ndarray] | None = None  # each passage's (indexer.ingest.copies)
    problem: str | None = None


def _read(task: tuple[str, Path, Path, str]) -> Read:
    name, path, corpus_dir, doc_id = task
    try:
        report = read_report(path, corpus_dir, doc_id=doc_id)
    except UnreadableReport as exc:
        return Read(name, problem=str(exc))
    partners, mentions = report_partners(report)
    return Read(name, report, find_aliases(report.body), partners, report_atlas(report, partners, mentions),
                fingerprints([p.text for p in report.passages]))


def read_all(tasks: list[tuple[str, Path, Path, str]]) -> Iterator[Read]:
    """Each task (name, path, corpus folder, doc_id) read, in order. The processes are
    gone when the iteration ends (a build forks its writers only between reads)."""
    workers = os.cpu_count() or 1
    if len(tasks) < PARALLEL_FROM or workers < 2:
        yield from map(_read, tasks)
        return
    with signals_held():
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=release_signals)
    with pool:
        yield from pool.imap(_read, tasks, chunksize=4)
