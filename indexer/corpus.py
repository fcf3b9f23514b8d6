"""The only module that reads corpus files: find them, get their text
(`indexer.extract`: PDF, DOCX, ODT, DOC, HTML, plain text in UTF-8, UTF-16 or
Big5), split off front matter, and hand back Reports (metadata and passages
made by the pure modules).  A file that cannot be used raises UnreadableReport
with the reason; the build skips it and goes on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from .errors import UnreadableReport
from .extract import SUFFIX_FORMATS, extract, sniff
from .metadata import extract_metadata
from .models import Report
from .passages import split_passages

REPORT_SUFFIXES = tuple(SUFFIX_FORMATS)  # .txt .md .pdf .docx .odt .doc .html .htm
# Files that describe the corpus rather than belong to it.
NOT_REPORTS = {"readme.md", "readme.txt", "license", "license.txt"}
FRONT_MATTER_KEYS = {"title", "city", "agency", "date", "period", "kind", "source", "countries"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def find_report_files(corpus_dir: Path) -> list[Path]:
    """Report files under `corpus_dir`, in a stable order; hidden files skipped."""
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() in REPORT_SUFFIXES and path.name.lower() not in NOT_REPORTS:
            files.append(path)
    return files


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """The report's id: its path in the corpus without suffix, `/` written `--`.

    >>> doc_id_for(Path("c/2024/taipei.txt"), Path("c"))
    '2024--taipei'
    """
    return "--".join(path.relative_to(corpus_dir).with_suffix("").parts)


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """(front matter, body).  Malformed YAML is an error, not silently ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise UnreadableReport(f"{name}: front matter is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise UnreadableReport(f"{name}: front matter must be a mapping of key: value lines")
    unknown = set(data) - FRONT_MATTER_KEYS
    if unknown:
        raise UnreadableReport(
            f"{name}: unknown front matter keys {sorted(unknown)}; allowed: {sorted(FRONT_MATTER_KEYS)}"
        )
    # YAML reads 2022-11-03 as a date; the metadata wants ISO strings.
    data = {k: _isoformat(v) for k, v in data.items()}
    return data, text[match.end():]


def _isoformat(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _isoformat(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_isoformat(v) for v in value]
    return value if value is None or isinstance(value, str) else str(value)


def read_bytes(path: Path, corpus_dir: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableReport(f"{path.relative_to(corpus_dir)}: cannot be read ({exc.strerror})") from None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_report(path: Path, corpus_dir: Path, data: bytes | None = None) -> Report:
    """Read one file (or its bytes, already read) into a Report, or raise
    UnreadableReport saying why."""
    name = str(path.relative_to(corpus_dir))
    if data is None:
        data = read_bytes(path, corpus_dir)
    text = extract(data, name)
    # Front matter is a plain-text convention; a document's first lines are its own.
    front, body = split_front_matter(text, name) if sniff(data, name) == "text" else ({}, text)
    if not body.strip():
        raise UnreadableReport(f"{name}: has front matter but no text")
    passages = split_passages(body)
    if not passages:
        raise UnreadableReport(f"{name}: no text to index")
    return Report(
        doc_id=doc_id_for(path, corpus_dir),
        path=name,
        body=body,
        sha256=content_hash(data),
        metadata=extract_metadata(body, front or None),
        passages=passages,
    )


def read_corpus(corpus_dir: Path) -> Iterator[tuple[Path, Report | UnreadableReport]]:
    """(path, Report) for each file, or (path, UnreadableReport) for one that failed."""
    for path in find_report_files(corpus_dir):
        try:
            yield path, read_report(path, corpus_dir)
        except UnreadableReport as exc:
            yield path, exc
