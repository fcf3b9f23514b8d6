"""Reading one XML part out of a ZIP-based document (DOCX, ODT), with limits."""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree import ElementTree

from ..errors import UnreadableReport

# An XML part this large (uncompressed) holds far more markup than any report;
# the limit keeps a ZIP bomb from filling memory.
MAX_PART_BYTES = 200 * 2**20


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableReport(f"{name}: the {kind} file is damaged ({exc})") from None


def read_xml(archive: zipfile.ZipFile, part: str, name: str, kind: str, required: bool = True):
    """The parsed XML root of `part`, None when an optional part is missing."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        if required:
            raise UnreadableReport(f"{name}: the {kind} file is damaged (no {part})") from None
        return None
    if info.file_size > MAX_PART_BYTES:
        raise UnreadableReport(f"{name}: the {kind} file's {part} is {info.file_size:,} bytes unpacked; "
                               "too large to be a report")
    try:
        return ElementTree.fromstring(archive.read(part))
    # RuntimeError: an encrypted member; zlib.error: a corrupt compressed stream.
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error,
            ElementTree.ParseError) as exc:
        raise UnreadableReport(f"{name}: the {kind} file is damaged ({part}: {exc})") from None


def heading(level: int, text: str) -> str:
    """A heading line the passage splitter reads: ``## 壹、目的`` (levels 1–6)."""
    return "#" * min(max(level, 1), 6) + " " + text
