"""The layout of an index directory, and the atomic swap between builds.

    INDEX_DIR/
      CURRENT                 name of the build being served, replaced atomically
      .lock                   held while a build runs
      build-<time>-<rand>/
        whoosh/               the passage index
        manifest.json         reports, skipped files, passage count, settings, every file's size
        catalog.json          every report's metadata, for listings
        reports/<hash>.json   one report: metadata and passages
        originals/<sha256><suffix>  each report's file exactly as indexed, for download

A build is written into a new build-* directory; only when it is complete is
CURRENT replaced (os.replace is atomic), so a crash half-way leaves the
previous build serving.  Report files are named by a hash of the doc_id,
so no id a user sends can name a path outside the build.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from indexer.errors import IndexDamaged, IndexNotFound, JiaoliuError, ReportNotFound
from indexer.models import Metadata, Passage, Period, Report

CURRENT = "CURRENT"


def current_build(index_dir: Path) -> Path:
    """The directory of the build being served; IndexNotFound if there is none."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexNotFound(
            f"no index in {index_dir}; build one with: jiaoliu index --index {index_dir}"
        ) from None
    build = index_dir / name
    if not name.startswith("build-") or not (build / "manifest.json").is_file():
        raise IndexNotFound(f"the index in {index_dir} is damaged; rebuild it with: jiaoliu index")
    return build


# Written by whoosh while a writer is open; not part of a finished build.
_NOT_CHECKED = {"manifest.json", "WRITELOCK"}


def file_sizes(build: Path) -> dict[str, int]:
    """{path inside the build: size in bytes} of every file of a finished build
    but the manifest, which records them (see `damage`)."""
    return {str(path.relative_to(build)): path.stat().st_size
            for path in sorted(build.rglob("*"))
            if path.is_file() and path.name not in _NOT_CHECKED and not path.name.startswith(".")}


def damage(build: Path, manifest: dict) -> str | None:
    """What is wrong with a build's files, or None when each is there at the size
    the manifest recorded. A truncated or removed segment made every search fail
    while the incremental build kept linking it into the next build; a size check
    is a stat per file, cheap enough for every open. (Builds from before sizes
    were recorded are not checked.)"""
    root = str(build)
    for name, size in manifest.get("files", {}).items():
        try:  # os.stat on a joined string: a tenth of pathlib's cost, over 10,000 files at 1M passages
            actual = os.stat(os.path.join(root, name)).st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes instead of {size}"
    return None


def check(build: Path, manifest: dict) -> None:
    """IndexDamaged, saying which file and how to repair it, if `damage` finds any."""
    problem = damage(build, manifest)
    if problem:
        raise IndexDamaged(f"the index in {build.parent} is damaged ({problem}); "
                           f"repair it with: jiaoliu index --index {build.parent}")


def new_build_dir(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="build-", dir=index_dir))


def publish(index_dir: Path, build: Path) -> None:
    """Make `build` the one served, then remove every other build but the previous one.

    The previous build is kept so that a reader that opened it just before the
    swap can finish its request; leftovers of crashed builds are removed.
    """
    try:
        previous = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        previous = None
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    try:
        tmp.write_text(build.name, encoding="utf-8")
        os.replace(tmp, index_dir / CURRENT)
    except BaseException:
        tmp.unlink(missing_ok=True)  # e.g. a full disk: CURRENT is unchanged
        raise
    for old in index_dir.glob("build-*"):
        if old.name not in (build.name, previous):
            shutil.rmtree(old, ignore_errors=True)


def discard(build: Path) -> None:
    shutil.rmtree(build, ignore_errors=True)


# The descriptors of the build locks this process holds. A forked process shares them,
# and with them the lock: a build killed while its workers run would keep the index
# locked until they end. So a forked process closes its copies at once.
_LOCKS: set[int] = set()


def _drop_locks_in_child() -> None:
    for fd in _LOCKS:
        os.close(fd)
    _LOCKS.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextmanager
def build_lock(index_dir: Path):
    """Only one build at a time per index directory."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JiaoliuError(f"another build of {index_dir} is running; wait for it to finish") from None
        _LOCKS.add(handle.fileno())
        try:
            yield
        finally:
            _LOCKS.discard(handle.fileno())
            fcntl.flock(handle, fcntl.LOCK_UN)


def _report_file(build: Path, doc_id: str) -> Path:
    return build / "reports" / (hashlib.sha1(doc_id.encode("utf-8")).hexdigest() + ".json")


def write_json(path: Path, data, indent: int | None = 1) -> None:
    """Write through a new file: the path may be a hard link shared with the
    build being served (see `link_tree`), which must never change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=indent), encoding="utf-8")
    os.replace(tmp, path)


def link_tree(source: Path, target: Path) -> None:
    """Copy a directory tree as hard links: instant, and safe because nothing
    here ever writes into an existing file (whoosh writes new segment files
    and a new table of contents; `write_json` replaces files)."""
    for path in source.rglob("*"):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif not path.name.endswith("WRITELOCK"):  # whoosh's lock (MAIN_WRITELOCK): each build has its own
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)


def original_name(sha256: str, path: str) -> str:
    """The name of a report's original in originals/: its content hash and suffix
    (reports with the same content share one file).

    >>> original_name("ab12", "2024/Taipei.PDF")
    'ab12.pdf'
    """
    return sha256 + Path(path).suffix.lower()


def keep_original(build: Path, source: BinaryIO, sha256: str, path: str) -> None:
    """Copy the open file `source` into the build's originals/, checking it is
    still the file that was indexed (JiaoliuError if it changed during the build).

    A copy, not a hard link: a link would share the corpus file, and an edit
    in place would change the served original under an index of the old text.
    """
    target = build / "originals" / original_name(sha256, path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    with open(tmp, "wb") as writer:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            writer.write(chunk)
    if digest.hexdigest() != sha256:
        tmp.unlink()
        raise JiaoliuError(f"{path} changed while it was being indexed; run jiaoliu index again")
    os.replace(tmp, target)


def prune_originals(build: Path, keep: set[str]) -> None:
    """Remove the originals whose names are not in `keep` (removed and changed reports)."""
    folder = build / "originals"
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in keep:
                path.unlink()


def original_file(build: Path, report: Report) -> Path:
    """The stored original of `report`; ReportNotFound if this build has none."""
    path = build / "originals" / original_name(report.sha256, report.path)
    if not path.is_file():
        raise ReportNotFound(f"the original file of {report.doc_id!r} is not in this index; "
                             "rebuild it with: jiaoliu index --force")
    return path


def remove_report(build: Path, doc_id: str) -> None:
    _report_file(build, doc_id).unlink(missing_ok=True)


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def report_to_dict(report: Report) -> dict:
    return {
        "doc_id": report.doc_id,
        "path": report.path,
        "sha256": report.sha256,
        "metadata": report.metadata.to_dict(),
        **({"moved": report.moved} if report.moved else {}),
        "passages": [
            {"passage_id": p.passage_id, "heading_path": list(p.heading_path), "text": p.text,
             "start": p.start, "end": p.end}
            for p in report.passages
        ],
    }


def report_from_dict(data: dict) -> Report:
    meta = dict(data["metadata"])
    meta["period"] = Period(**meta["period"])
    meta["countries"] = tuple(meta["countries"])
    passages = tuple(
        Passage(p["passage_id"], tuple(p["heading_path"]), p["text"], p["start"], p["end"])
        for p in data["passages"]
    )
    # The body is not stored twice: the passages hold all of its text.
    return Report(data["doc_id"], data["path"], "", data["sha256"], Metadata(**meta), passages,
                  moved=dict(data.get("moved") or {}))


def write_report(build: Path, report: Report) -> None:
    # compact: a report's file is read by the program, and indenting it took a tenth of a build
    write_json(_report_file(build, report.doc_id), report_to_dict(report), indent=None)


def read_report(build: Path, doc_id: str) -> Report:
    path = _report_file(build, doc_id)
    if not path.is_file():
        raise ReportNotFound(f"no report with id {doc_id!r}; see /api/reports for the list")
    return report_from_dict(read_json(path))
