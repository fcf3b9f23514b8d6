"""Report text out of the files people have: PDF, DOCX, ODT, legacy DOC, HTML, plain text.

    extract(data, "2024/taipei.pdf") -> "出國報告 …\\n\\n## 壹、目的\\n\\n…"

The format is found from the content (`sniff`), not the file name alone, so a
PDF saved as .txt is still read as a PDF and a binary file renamed .txt is
refused.  Every extractor emits text in the form the passage splitter reads:
paragraphs separated by a blank line, headings as markdown ``#`` lines of
their level, table rows as tab-separated lines.  Anything that cannot give
such text raises UnreadableReport with the reason.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import PurePath

from indexer import settings
from indexer.errors import UnreadableReport
from indexer.ingest.extract.text import decode_text

# Bumped when extraction changes what text a file gives: builds made before re-extract.
EXTRACT_VERSION = 3  # 2: conversion tags out of plain text (ingest/markup.py); 3: PDF layout, list labels
# Suffix -> the format a file with that name should hold.
SUFFIX_FORMATS = {".txt": "text", ".md": "text", ".pdf": "pdf", ".docx": "docx", ".odt": "odt",
                  ".doc": "doc", ".html": "html", ".htm": "html"}
FORMAT_NAMES = {"text": "text", "pdf": "PDF", "docx": "DOCX", "odt": "ODT", "doc": "Word .doc",
                "html": "HTML"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Other files people keep beside reports, named so the refusal says what they are.
_OTHER = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"{\\rtf", "an RTF document (save it as DOCX)"), (b"\x1f\x8b", "a gzip archive"),
          (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"))
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def max_chars() -> int:
    """The JIAOLIU_MAX_TEXT_CHARS setting: the most text one report may have."""
    return int(settings.get("JIAOLIU_MAX_TEXT_CHARS"))


def sniff(data: bytes, name: str) -> str:
    """The format of a file's content: pdf, docx, odt, doc, html or text.

    Raises UnreadableReport for content that is none of them (an image, an
    archive, a spreadsheet), saying what it looks like.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, name)
    if data.startswith(OLE2):
        return "doc"
    for magic, what in _OTHER:
        if data.startswith(magic):
            raise UnreadableReport(f"{name}: {what}, not a report")
    text_head = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(text_head) or (_suffix_format(name) == "html" and text_head.lstrip()[:1] == b"<"):
        return "html"
    return "text"


def _sniff_zip(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # a few bytes, even from a ZIP bomb
                    mimetype = member.read(len(ODT_MIMETYPE) + 80).strip()
                if mimetype == ODT_MIMETYPE:
                    return "odt"
                raise UnreadableReport(f"{name}: an OpenDocument file of another kind "
                                       f"({mimetype.decode('ascii', 'replace')}), not a text document")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        # A damaged archive: trust its name, so the DOCX reader can say what is wrong.
        if _suffix_format(name) in ("docx", "odt"):
            return _suffix_format(name)
        raise UnreadableReport(f"{name}: a damaged ZIP archive, not a report") from None
    raise UnreadableReport(f"{name}: a ZIP archive, not a DOCX or ODT document")


def _suffix_format(name: str) -> str | None:
    return SUFFIX_FORMATS.get(PurePath(name).suffix.lower())


_COMPATIBILITY_IDEOGRAPHS = {
    cp: unicodedata.normalize("NFC", chr(cp)) for cp in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20))
    if unicodedata.normalize("NFC", chr(cp)) != chr(cp)}


def extract(data: bytes, name: str) -> str:
    """The report text of a file's bytes (`name` is used in messages and as a hint).

    Raises UnreadableReport: empty, unknown or damaged format, no text layer,
    text that would be mojibake, or more text than JIAOLIU_MAX_TEXT_CHARS.
    """
    if not data.strip():
        raise UnreadableReport(f"{name}: the file is empty")
    limit = max_chars()
    fmt = sniff(data, name)
    expected = _suffix_format(name)
    if expected in ("pdf", "docx", "odt", "doc") and fmt != expected:
        raise UnreadableReport(f"{name}: named {PurePath(name).suffix} but it is not a "
                               f"{FORMAT_NAMES[expected]} file (its content reads as {FORMAT_NAMES[fmt]})")
    if fmt == "text":
        if _CONTROL_BYTES.search(data[:4096]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnreadableReport(f"{name}: looks like a binary file (it contains control bytes), not text")
        if len(data) > 4 * limit:  # even at 4 bytes a character it is too long
            raise _too_long(name, limit)
    text = _EXTRACTORS[fmt](data, name, limit)
    if fmt != "text":  # stray control characters of a document's text runs (plain text refuses them)
        text = _CONTROL_CHARS.sub("", text.replace("\x0c", "\n").replace("\x0b", "\n"))
    # 錄 U+F93F, 不 U+F967: CJK compatibility ideographs some PDF fonts map their glyphs to,
    # the same characters as 錄 and 不 (canonically equal) but unequal to what people type.
    text = text.translate(_COMPATIBILITY_IDEOGRAPHS)
    if len(text) > limit:
        raise _too_long(name, limit, len(text))
    if not text.strip():
        raise UnreadableReport(f"{name}: no text to index")
    return text


def _too_long(name: str, limit: int, length: int | None = None) -> UnreadableReport:
    size = f"{length:,} characters of text, more" if length else "more text"
    return UnreadableReport(f"{name}: {size} than the limit of {limit:,} (JIAOLIU_MAX_TEXT_CHARS); "
                            "split the file or raise the setting")


def _pdf(data, name, limit):
    from indexer.ingest.extract.pdf import extract_pdf  # pdfium loads only when a PDF comes

    return extract_pdf(data, name, limit)


def _docx(data, name, limit):
    from indexer.ingest.extract.docx import extract_docx

    return extract_docx(data, name, limit)


def _odt(data, name, limit):
    from indexer.ingest.extract.odt import extract_odt

    return extract_odt(data, name, limit)


def _doc(data, name, limit):
    from indexer.ingest.extract.doc import extract_doc

    return extract_doc(data, name, limit)


def _html(data, name, limit):
    from indexer.ingest.extract.html import extract_html

    return extract_html(data, name)


_EXTRACTORS = {"text": lambda data, name, limit: decode_text(data, name), "pdf": _pdf, "docx": _docx,
               "odt": _odt, "doc": _doc, "html": _html}
