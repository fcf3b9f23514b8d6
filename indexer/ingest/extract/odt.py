"""ODT (OpenDocument text, LibreOffice's own format): paragraphs, headings, tables
from content.xml, read with ElementTree."""

from __future__ import annotations

from indexer.errors import UnreadableReport
from indexer.ingest.extract._zip import heading, open_zip, read_xml

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def extract_odt(data: bytes, name: str, max_chars: int) -> str:
    """The text of an ODT file: <text:h> as markdown headings of their outline
    level, table rows tab-separated; UnreadableReport if it is damaged or
    content.xml is larger than `max_chars` characters of text can make it."""
    with open_zip(data, name, "ODT") as archive:
        root = read_xml(archive, "content.xml", name, "ODT", max_chars)
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise UnreadableReport(f"{name}: the ODT file is damaged (no office:text in content.xml)")
    blocks: list[str] = []
    _blocks(body, blocks)
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _blocks(parent, out: list[str]) -> None:
    for element in parent:
        if element.tag == f"{TEXT}h":
            text = _text(element).strip()
            level = element.get(f"{TEXT}outline-level", "1")
            out.append(heading(int(level) if level.isdigit() else 1, text) if "\n" not in text else text)
        elif element.tag == f"{TEXT}p":
            out.append(_text(element).strip())
        elif element.tag == f"{TABLE}table":
            rows = []
            for row in element.iter(f"{TABLE}table-row"):
                cells = [" ".join(_text(cell).split()) for cell in row.findall(f"{TABLE}table-cell")]
                if any(cells):
                    rows.append("\t".join(cells))
            out.append("\n".join(rows))
        elif element.tag in (f"{TEXT}list", f"{TEXT}list-item", f"{TEXT}section"):
            _blocks(element, out)


def _text(element) -> str:
    """Text of a paragraph: spans inline, <text:s c="3"/> spaces, <text:line-break/> a newline."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{TEXT}s":
            count = child.get(f"{TEXT}c", "1")
            parts.append(" " * (int(count) if count.isdigit() else 1))
        elif tag == f"{TEXT}tab":
            parts.append(" ")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag in (f"{OFFICE}annotation", f"{TEXT}note"):  # comments and footnotes: not the text
            pass
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
