"""DOCX (Word 2007 and later): paragraphs, headings and tables from word/document.xml.

Headings are paragraphs whose style is a heading ("Heading 2", "標題 2", or any
style with an outline level, which Word keeps whatever the style's name in the
user's language) or that carry an outline level themselves; they become
markdown headings of their level.  Table rows become tab-separated lines.
Numbered paragraphs (word/numbering.xml: 一、, （二）, 3.1) get the label Word
draws in front of them.
Read with ElementTree rather than python-docx: the reading needed is a walk
over two XML parts, and python-docx would bring lxml and still not expose
outline levels.
"""

from __future__ import annotations

import re

from indexer.errors import UnreadableReport
from indexer.ingest.extract._zip import heading, open_zip, read_xml
from indexer.ingest.extract.numbering import label

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"(?:heading|標題|标题)\s*(\d)$", re.I)


def extract_docx(data: bytes, name: str, max_chars: int) -> str:
    """The text of a DOCX file, or UnreadableReport if it is damaged or its
    parts are larger than `max_chars` characters of text can make them."""
    with open_zip(data, name, "DOCX") as archive:
        style_xml = read_xml(archive, "word/styles.xml", name, "DOCX", max_chars, required=False)
        numbering = _Numbering(read_xml(archive, "word/numbering.xml", name, "DOCX", max_chars, required=False),
                               style_xml)
        styles = _style_levels(style_xml)
        root = read_xml(archive, "word/document.xml", name, "DOCX", max_chars)
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableReport(f"{name}: the DOCX file is damaged (no document body)")
    blocks: list[str] = []
    for element in body:
        if element.tag == f"{W}p":
            blocks.append(_paragraph(element, styles, numbering))
        elif element.tag == f"{W}tbl":
            blocks.append(_table(element))
        elif element.tag == f"{W}sdt":  # a content control (a cover page, a generated TOC)
            blocks += [_paragraph(p, styles, numbering) for p in element.iter(f"{W}p")]
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


class _Numbering:
    """Word's numbering: each num points to an abstract definition whose levels give
    a format (numFmt), a start and a text with placeholders (lvlText "%1、", "（%2）");
    paragraphs of nums that share a definition count on together."""

    def __init__(self, numbering, styles):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id → level → (fmt, text, start)
        self.abstract: dict[str, str] = {}  # num id → abstract id
        self.starts: dict[tuple[str, int], int] = {}  # (num id, level) → its startOverride
        self.style_num: dict[str, tuple[str, int]] = {}  # paragraph style → (num id, level)
        self.counts: dict[str, dict[int, int]] = {}  # abstract id → level → count
        self.started: set[str] = set()  # nums whose start overrides were applied
        for definition in numbering.iter(f"{W}abstractNum") if numbering is not None else ():
            levels = self.levels.setdefault(definition.get(f"{W}abstractNumId", ""), {})
            for lvl in definition.findall(f"{W}lvl"):
                start = lvl.find(f"{W}start")
                levels[_int(lvl.get(f"{W}ilvl"))] = (_val(lvl.find(f"{W}numFmt")), _val(lvl.find(f"{W}lvlText")),
                                                     _int(_val(start), 1))
        for num in numbering.iter(f"{W}num") if numbering is not None else ():
            num_id = num.get(f"{W}numId", "")
            self.abstract[num_id] = _val(num.find(f"{W}abstractNumId"))
            for override in num.findall(f"{W}lvlOverride"):
                if (start := override.find(f"{W}startOverride")) is not None:
                    self.starts[num_id, _int(override.get(f"{W}ilvl"))] = _int(_val(start), 1)
        for style in styles.iter(f"{W}style") if styles is not None else ():
            if (num_pr := style.find(f"{W}pPr/{W}numPr")) is not None:
                self.style_num[style.get(f"{W}styleId", "")] = (_val(num_pr.find(f"{W}numId")),
                                                                  _int(_val(num_pr.find(f"{W}ilvl"))))

    def label(self, p) -> str:
        """The label Word draws for paragraph `p` (counting it), or ""."""
        num_pr = p.find(f"{W}pPr/{W}numPr")
        style = p.find(f"{W}pPr/{W}pStyle")
        num_id, level = self.style_num.get(_val(style), ("", 0)) if style is not None else ("", 0)
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId")) or num_id
            level = _int(_val(num_pr.find(f"{W}ilvl")), level)
        abstract = self.abstract.get(num_id)
        levels = self.levels.get(abstract or "", {})
        if num_id in ("", "0") or level not in levels:
            return ""
        counts = self.counts.setdefault(abstract, {})
        if num_id not in self.started:  # a num that restarts its list (startOverride)
            self.started.add(num_id)
            for (overridden, at), start in self.starts.items():
                if overridden == num_id:
                    counts[at] = start - 1
        counts[level] = counts.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        fmt, text, _start = levels[level]
        if fmt in ("bullet", "none", ""):
            return ""
        drawn = re.sub(r"%(\d)", lambda m: self._drawn(abstract, levels, _int(m.group(1)) - 1), text)
        return drawn if drawn.strip() else ""

    def _drawn(self, abstract: str, levels: dict, level: int) -> str:
        fmt, _text, start = levels.get(level, ("decimal", "", 1))
        return label(fmt, self.counts[abstract].get(level, start))


def _val(element) -> str:
    return element.get(f"{W}val", "") if element is not None else ""


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value and value.isdigit() else default


def _paragraph(p, styles: dict[str, int], numbering: _Numbering | None = None) -> str:
    drawn = numbering.label(p) if numbering is not None else ""  # an empty point still counts
    text = _text(p).strip()
    if not text:
        return ""
    text = drawn + text
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
