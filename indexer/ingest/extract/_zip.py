"""Reading one XML part out of a ZIP-based document (DOCX, ODT), with limits.

A ZIP bomb (a 50 KB .docx whose document.xml unpacks to gigabytes, or to
millions of empty paragraphs) is refused while it is unpacked: the part is
parsed as it streams, and unpacking stops at the first limit passed.  Each
limit follows JIAOLIU_MAX_TEXT_CHARS (docs/DESIGN.md, "Limits on a file and
on a DOCX or ODT part", has the measurements):

- characters of text: twice the text limit (the part also holds deleted
  revisions and field codes that are not the report's text);
- XML elements: two per character of text (Word writes about 0.6);
- unpacked bytes: 64 per character of text (Word writes about 18).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree import ElementTree

from indexer.errors import UnreadableReport

TEXT_SLACK = 2
ELEMENTS_PER_CHAR = 2
BYTES_PER_CHAR = 64
# Floors, so that a small JIAOLIU_MAX_TEXT_CHARS still reads a short document's markup.
MIN_ELEMENTS = 100_000
MIN_BYTES = 4 * 2**20
CHUNK = 2**20


class _TooLarge(Exception):
    """Raised inside the parser to stop unpacking; carries the reason."""


class _CountingBuilder(ElementTree.TreeBuilder):
    """A TreeBuilder that stops the parse once the part holds too many elements or characters."""

    def __init__(self, max_elements: int, max_text: int) -> None:
        super().__init__()
        self.max_elements, self.max_text = max_elements, max_text
        self.elements = self.text = 0

    def start(self, tag, attrs):
        self.elements += 1
        if self.elements > self.max_elements:
            raise _TooLarge(f"more than {self.max_elements:,} XML elements")
        return super().start(tag, attrs)

    def data(self, data):
        self.text += len(data)
        if self.text > self.max_text:
            raise _TooLarge(f"more than {self.max_text:,} characters")
        return super().data(data)


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableReport(f"{name}: the {kind} file is damaged ({exc})") from None


def read_xml(archive: zipfile.ZipFile, part: str, name: str, kind: str, max_chars: int,
             required: bool = True):
    """The parsed XML root of `part`, None when an optional part is missing.

    UnreadableReport when the part is damaged, or larger than a document of
    `max_chars` characters of text can be (then it is not unpacked further).
    """
    try:
        info = archive.getinfo(part)
    except KeyError:
        if required:
            raise UnreadableReport(f"{name}: the {kind} file is damaged (no {part})") from None
        return None
    max_bytes = max(MIN_BYTES, BYTES_PER_CHAR * max_chars)
    too_large = (f"{name}: the {kind} file's {part} unpacks to {{}}; too large for a report of at most "
                 f"{max_chars:,} characters (JIAOLIU_MAX_TEXT_CHARS): a damaged file or a ZIP bomb")
    if info.file_size > max_bytes:  # unpacking stops at the stated size, so this bounds the bytes
        raise UnreadableReport(too_large.format(f"{info.file_size:,} bytes"))
    builder = _CountingBuilder(max(MIN_ELEMENTS, ELEMENTS_PER_CHAR * max_chars), TEXT_SLACK * max_chars)
    parser = ElementTree.XMLParser(target=builder)
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                parser.feed(chunk)
        return parser.close()
    except _TooLarge as exc:
        raise UnreadableReport(too_large.format(exc)) from None
    # RuntimeError: an encrypted member; zlib.error: a corrupt compressed stream.
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error,
            ElementTree.ParseError) as exc:
        raise UnreadableReport(f"{name}: the {kind} file is damaged ({part}: {exc})") from None


def heading(level: int, text: str) -> str:
    """A heading line the passage splitter reads: ``## 壹、目的`` (levels 1–6)."""
    return "#" * min(max(level, 1), 6) + " " + text
