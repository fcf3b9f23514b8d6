"""ODT (OpenDocument text, LibreOffice's own format): paragraphs, headings, tables
from content.xml, read with ElementTree; the labels of numbered lists (一、 二、 …,
drawn by the word processor from the list style) written in front of their points."""

from __future__ import annotations

from indexer.errors import UnreadableReport
from indexer.ingest.extract._zip import heading, open_zip, read_xml
from indexer.ingest.extract.numbering import label

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def extract_odt(data: bytes, name: str, max_chars: int) -> str:
    """The text of an ODT file: <text:h> as markdown headings of their outline
    level, table rows tab-separated; UnreadableReport if it is damaged or
    content.xml is larger than `max_chars` characters of text can make it."""
    with open_zip(data, name, "ODT") as archive:
        root = read_xml(archive, "content.xml", name, "ODT", max_chars)
        styles = read_xml(archive, "styles.xml", name, "ODT", max_chars, required=False)
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise UnreadableReport(f"{name}: the ODT file is damaged (no office:text in content.xml)")
    blocks: list[str] = []
    _blocks(body, blocks, _Numbering(_list_styles(root, styles)))
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _list_styles(*roots) -> dict[str, dict[int, tuple[str, str, str, int]]]:
    """{list style: {level: (num-format, prefix, suffix, start value)}} of the numbered levels."""
    styles: dict[str, dict[int, tuple[str, str, str, int]]] = {}
    for root in roots:
        for style in root.iter(f"{TEXT}list-style") if root is not None else ():
            for level in style.findall(f"{TEXT}list-level-style-number"):
                number, start = level.get(f"{TEXT}level", "1"), level.get(f"{TEXT}start-value", "1")
                styles.setdefault(style.get(f"{STYLE}name", ""), {})[int(number) if number.isdigit() else 1] = (
                    level.get(f"{STYLE}num-format", ""), level.get(f"{STYLE}num-prefix", ""),
                    level.get(f"{STYLE}num-suffix", ""), int(start) if start.isdigit() else 1)
    return styles


class _Numbering:
    """The counters of the lists being read: a list continues its style's numbering
    when it says so (text:continue-numbering, as Word's exports do), else starts again."""

    def __init__(self, styles: dict[str, dict[int, tuple[str, str, str, int]]]):
        self.styles = styles
        self.counts: dict[tuple[str, int], int] = {}
        self.stack: list[str] = []  # the style of each list entered
        self.pending: str | None = None  # the label for the next paragraph of the item

    def enter(self, element) -> None:
        style = element.get(f"{TEXT}style-name") or (self.stack[-1] if self.stack else "")
        self.stack.append(style)
        continued = element.get(f"{TEXT}continue-numbering") == "true" or element.get(f"{TEXT}continue-list")
        if len(self.stack) == 1 and not continued:
            for key in [k for k in self.counts if k[0] == style]:
                del self.counts[key]

    def leave(self) -> None:
        self.stack.pop()

    def item(self, element) -> None:
        style, level = self.stack[-1], len(self.stack)
        fmt, prefix, suffix, start = self.styles.get(style, {}).get(level, ("", "", "", 1))
        override = element.get(f"{TEXT}start-value")
        count = int(override) if override and override.isdigit() else self.counts.get((style, level), start - 1) + 1
        self.counts[style, level] = count
        for key in [k for k in self.counts if k[0] == style and k[1] > level]:
            del self.counts[key]  # a new point restarts the points under it
        drawn = label(fmt, count)
        self.pending = prefix + drawn + suffix if drawn else None

    def take(self) -> str:
        pending, self.pending = self.pending, None
        return pending or ""


def _blocks(parent, out: list[str], numbering: _Numbering) -> None:
    for element in parent:
        if element.tag == f"{TEXT}h":
            text = numbering.take() + _text(element).strip()
            level = element.get(f"{TEXT}outline-level", "1")
            out.append(heading(int(level) if level.isdigit() else 1, text) if "\n" not in text else text)
        elif element.tag == f"{TEXT}p":
            text = _text(element).strip()
            out.append(numbering.take() + text if text else text)
        elif element.tag == f"{TABLE}table":
            rows = []
            for row in element.iter(f"{TABLE}table-row"):
                cells = [" ".join(_text(cell).split()) for cell in row.findall(f"{TABLE}table-cell")]
                if any(cells):
                    rows.append("\t".join(cells))
            out.append("\n".join(rows))
        elif element.tag == f"{TEXT}list":
            numbering.enter(element)
            _blocks(element, out, numbering)
            numbering.leave()
        elif element.tag == f"{TEXT}list-item":
            numbering.item(element)
            _blocks(element, out, numbering)
            numbering.take()  # an item without text keeps its number, shows no label
        elif element.tag in (f"{TEXT}list-header", f"{TEXT}section"):
            _blocks(element, out, numbering)


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
