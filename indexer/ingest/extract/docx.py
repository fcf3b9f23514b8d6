"""DOCX (Word 2007 and later): paragraphs, headings and tables from word/document.xml.

Headings are paragraphs whose style is a heading ("Heading 2", "標題 2", or any
style with an outline level, which Word keeps whatever the style's name in the
user's language) or that carry an outline level themselves; they become
markdown headings of their level.  Table rows become tab-separated lines.
Read with ElementTree rather than python-docx: the reading needed is a walk
over two XML parts, and python-docx would bring lxml and still not expose
outline levels.
"""

from __future__ import annotations

import re

from indexer.errors import UnreadableReport
from indexer.ingest.extract._zip import heading, open_zip, read_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"(?:heading|標題|标题)\s*(\d)$", re.I)


def extract_docx(data: bytes, name: str, max_chars: int) -> str:
    """The text of a DOCX file, or UnreadableReport if it is damaged or its
    parts are larger than `max_chars` characters of text can make them."""
    with open_zip(data, name, "DOCX") as archive:
        styles = _style_levels(read_xml(archive, "word/styles.xml", name, "DOCX", max_chars, required=False))
        root = read_xml(archive, "word/document.xml", name, "DOCX", max_chars)
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableReport(f"{name}: the DOCX file is damaged (no document body)")
    blocks: list[str] = []
    for element in body:
        if element.tag == f"{W}p":
            blocks.append(_paragraph(element, styles))
        elif element.tag == f"{W}tbl":
            blocks.append(_table(element))
        elif element.tag == f"{W}sdt":  # a content control (a cover page, a generated TOC)
            blocks += [_paragraph(p, styles) for p in element.iter(f"{W}p")]
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _style_levels(styles) -> dict[str, int]:
    """Heading level (1 outermost) of each paragraph style id that is a heading."""
    if styles is None:
        return {}
    levels, based_on = {}, {}
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        name = style.find(f"{W}name")
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        match = _HEADING_NAME.match(name.get(f"{W}val", "")) if name is not None else None
        if outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val")) < 9:
            levels[style_id] = int(outline.get(f"{W}val")) + 1
        elif match:
            levels[style_id] = int(match.group(1))
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based_on[style_id] = parent.get(f"{W}val", "")
    for style_id, parent in based_on.items():  # a style based on a heading is one
        seen = set()
        while style_id not in levels and parent in based_on and parent not in seen:
            seen.add(parent)
            parent = based_on[parent]
        if style_id not in levels and parent in levels:
            levels[style_id] = levels[parent]
    return levels


def _paragraph(p, styles: dict[str, int]) -> str:
    text = _text(p).strip()
    if not text:
        return ""
    level = None
    outline = p.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val")) < 9:
        level = int(outline.get(f"{W}val")) + 1
    else:
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None:
            level = styles.get(style.get(f"{W}val", ""))
    return heading(level, text) if level and "\n" not in text else text


def _text(element) -> str:
    """Runs' text in order; <w:br/> as a line break, <w:tab/> as a space (a tab means a table row)."""
    parts = []
    for node in element.iter():
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag == f"{W}delText":  # deleted in tracked changes: not the text
            continue
    return "".join(parts)


def _table(tbl) -> str:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        cells = [" ".join(_text(tc).split()) for tc in tr.findall(f"{W}tc")]
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)
