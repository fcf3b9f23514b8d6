"""The only module that reads corpus files: find them, get their text
(`indexer.ingest.extract`: PDF, DOCX, ODT, DOC, HTML, plain text in UTF-8, UTF-16 or
Big5), split off front matter, and hand back Reports (metadata and passages
made by the pure modules).  A file that cannot be used raises UnreadableReport
with the reason; the build skips it and goes on.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from indexer import settings
from indexer.errors import UnreadableReport
from indexer.ingest.extract import SUFFIX_FORMATS, extract, sniff
from indexer.ingest.front_matter import split_front_matter
from indexer.ingest.ids import assign_ids, plain_id
from indexer.ingest.markup import strip_conversion_markup
from indexer.ingest.metadata import extract_metadata
from indexer.ingest.passages import split_passages
from indexer.models import Report

REPORT_SUFFIXES = tuple(SUFFIX_FORMATS)  # .txt .md .pdf .docx .odt .doc .html .htm
# Files that describe the corpus rather than belong to it.
NOT_REPORTS = {"readme.md", "readme.txt", "license", "license.txt"}


def find_report_files(corpus_dir: Path) -> list[Path]:
    """Report files under `corpus_dir`, in a stable order; hidden files skipped.

    Links to files are listed like files (`open_report` refuses one that leads
    out of the corpus); linked folders, FIFOs and devices are not followed.
    """
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() in REPORT_SUFFIXES and path.name.lower() not in NOT_REPORTS:
            files.append(path)
    return files


def linked_copies(files: list[Path], corpus_dir: Path) -> dict[Path, Path]:
    """Each of `files` that is a link to another of them, mapped to that one.

    A file reached both as itself and through links is indexed once, as itself
    (or, if only links reach it, as the first link in `files`).
    """
    root = corpus_dir.resolve()
    by_target: dict[Path, list[Path]] = {}
    for path in files:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # turned into a loop of links since it was listed
            continue
        if target.is_relative_to(root):  # links out of the corpus are refused when read
            by_target.setdefault(target, []).append(path)
    copies = {}
    for paths in by_target.values():
        keep = next((p for p in paths if not p.is_symlink()), paths[0])
        copies.update({p: keep for p in paths if p != keep})
    return copies


@dataclass(frozen=True)
class CorpusFile:
    """A report file found in the corpus, and the id it gets."""

    path: Path  # on disk
    name: str  # relative to the corpus folder, as the manifest keeps it
    doc_id: str
    problem: UnreadableReport | None = None  # why it is not to be read, if so


def list_corpus(corpus_dir: Path, previous_ids: dict[str, str] | None = None) -> list[CorpusFile]:
    """Every report file with its id (`indexer.ingest.ids.assign_ids`; `previous_ids`,
    name -> id, are the ids of the build before).  A link to another corpus
    file and a name that is not UTF-8 come with their `problem`."""
    files = find_report_files(corpus_dir)
    copies = linked_copies(files, corpus_dir)
    names = {path: str(path.relative_to(corpus_dir)) for path in files}
    problems: dict[Path, UnreadableReport] = {}
    for path, name in names.items():
        shown = display_path(path, corpus_dir)
        if shown != name:
            problems[path] = UnreadableReport(f"{shown}: the file name is not valid UTF-8; rename the file")
            names[path] = shown
        elif path in copies:
            kept = names[copies[path]]
            problems[path] = UnreadableReport(f"{name}: a link to the same file as {kept}; indexed once, as {kept}")
    ids = assign_ids([name for path, name in names.items() if path not in problems], previous_ids)
    return [CorpusFile(path, names[path], ids.get(names[path], ""), problems.get(path)) for path in files]


def display_path(path: Path, corpus_dir: Path) -> str:
    """`path` relative to the corpus, with bytes of its name that are not UTF-8 written \\xNN."""
    name = str(path.relative_to(corpus_dir))
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """The report's id when no other file claims it (`indexer.ingest.ids.plain_id`).

    >>> doc_id_for(Path("c/2024/taipei.txt"), Path("c"))
    '2024--taipei'
    """
    return plain_id(str(path.relative_to(corpus_dir)))


def open_report(path: Path, corpus_dir: Path) -> BinaryIO:
    """Open a corpus file for reading; UnreadableReport for anything but a
    regular file inside the corpus folder (a link to /etc/passwd, a FIFO), or
    one larger than JIAOLIU_MAX_FILE_BYTES.

    The file is opened at its resolved path without following links, and
    where the system says what an open file is (/proc/self/fd), that is
    checked too: a folder swapped for a link in between is caught.
    """
    name = display_path(path, corpus_dir)
    root = corpus_dir.resolve()
    outside = UnreadableReport(f"{name}: a link to a file outside the corpus; not read")
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        raise UnreadableReport(f"{name}: cannot be read (a loop of links)") from None
    if not real.is_relative_to(root):
        raise outside
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableReport(f"{name}: cannot be read ({exc.strerror})") from None
    handle = os.fdopen(fd, "rb")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableReport(f"{name}: not a regular file; not read")
        try:
            opened = Path(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # no /proc: the resolved path was checked
            opened = real
        if not opened.is_relative_to(root):
            raise outside
        if info.st_size > max_file_bytes():  # checked before reading: a 4 GB file is never read
            raise _too_large(name, f"{info.st_size:,} bytes")
    except BaseException:
        handle.close()
        raise
    return handle


def max_file_bytes() -> int:
    """The JIAOLIU_MAX_FILE_BYTES setting: the largest corpus file that is read."""
    return settings.whole_number("JIAOLIU_MAX_FILE_BYTES")


def _too_large(name: str, size: str) -> UnreadableReport:
    return UnreadableReport(f"{name}: {size}, larger than the limit of {max_file_bytes():,} bytes "
                            "(JIAOLIU_MAX_FILE_BYTES); split the file or raise the setting")


def read_bytes(path: Path, corpus_dir: Path) -> bytes:
    """The bytes of a corpus file (`open_report` says which files are refused)."""
    with open_report(path, corpus_dir) as handle:
        limit = max_file_bytes()
        try:
            size = os.fstat(handle.fileno()).st_size  # at most the limit: open_report checked
            data = handle.read(size + 1)
            if len(data) > size:  # it grew since: read on, up to the limit
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise UnreadableReport(f"{display_path(path, corpus_dir)}: cannot be read ({exc.strerror})") from None
        if len(data) > limit:
            raise _too_large(display_path(path, corpus_dir), "grew while it was read")
        return data


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_report(path: Path, corpus_dir: Path, data: bytes | None = None, doc_id: str | None = None
                ) -> Report:
    """Read one file (or its bytes, already read) into a Report with `doc_id`
    (by default `doc_id_for`), or raise UnreadableReport saying why."""
    name = display_path(path, corpus_dir)
    if data is None:
        data = read_bytes(path, corpus_dir)
    text = extract(data, name)
    # Front matter is a plain-text convention; a document's first lines are its own.
    front, body = split_front_matter(text, name) if sniff(data, name) == "text" else ({}, text)
    if sniff(data, name) == "text":  # tags a conversion left in plain text (the other formats are parsed)
        body = strip_conversion_markup(body)
    if not body.strip():
        raise UnreadableReport(f"{name}: has front matter but no text")
    passages = split_passages(body)
    if not passages:
        raise UnreadableReport(f"{name}: no text to index")
    try:
        metadata = extract_metadata(body, front or None, name=Path(name).name)
    except UnreadableReport as exc:  # a front matter value: say which file
        raise UnreadableReport(f"{name}: {exc}") from None
    return Report(
        doc_id=doc_id or doc_id_for(path, corpus_dir),
        path=name,
        body=body,
        sha256=content_hash(data),
        metadata=metadata,
        passages=passages,
    )


def read_corpus(corpus_dir: Path) -> Iterator[tuple[Path, Report | UnreadableReport]]:
    """(path, Report) for each file, or (path, UnreadableReport) for one that failed."""
    for file in list_corpus(corpus_dir):
        try:
            if file.problem:
                raise file.problem
            yield file.path, read_report(file.path, corpus_dir, doc_id=file.doc_id)
        except UnreadableReport as exc:
            yield file.path, exc
