"""PDF: the text layer, rebuilt into lines, paragraphs, headings and table rows.

pdfium (through pypdfium2) gives each character with its box and font size;
from those this module rebuilds what the passage splitter reads:

- lines, in the order the page draws them; a line that runs to the right
  margin continues in the next (CJK prose wraps without a space);
- a blank line where the gap to the next line is wider than the leading;
- a markdown heading (``## 壹、目的``) for a short line set larger than the body;
- a tab where a line has a gap of more than a character and a half, as
  between table cells.

A PDF whose pages carry no text (a scan) is refused: indexing it would give a
report that no search can find.  docs/DESIGN.md has the measurements that
chose pdfium over pdfminer.six.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.errors import UnreadableReport

CELL_GAP = 1.5  # a gap wider than this many font sizes separates table cells
PARAGRAPH_GAP = 1.75  # a baseline step wider than this many font sizes starts a paragraph
HEADING_SCALE = 1.2  # a line this much larger than the body text is a heading...
HEADING_MAX_CHARS = 60  # ...when it is short
MIN_CHARS_PER_PAGE = 5  # fewer (page numbers, a logo's letters) means a scan


@dataclass
class _Line:
    text: str
    left: float
    right: float
    baseline: float
    size: float
    cells: bool = False


def extract_pdf(data: bytes, name: str, max_chars: int) -> str:
    """The text of a PDF, or UnreadableReport (encrypted, damaged, scanned,
    or more than `max_chars` characters: reading stops there)."""
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableReport(f"{name}: the PDF is truncated (no end-of-file marker); download it again")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableReport(f"{name}: the PDF is encrypted (it needs a password)") from None
        raise UnreadableReport(f"{name}: the PDF is damaged ({exc})") from None
    too_long = UnreadableReport(f"{name}: more text than the limit of {max_chars:,} (JIAOLIU_MAX_TEXT_CHARS); "
                                "split the file or raise the setting")
    try:
        pages, chars = [], 0
        for page in document:
            try:
                lines = _page_lines(page, max_chars - chars)
            finally:
                page.close()
            if lines is None:
                raise too_long
            pages.append(lines)
            chars += sum(len(line.text) for line in lines)
            if chars > max_chars:
                raise too_long
    finally:
        document.close()
    letters = sum(len("".join(line.text.split())) for lines in pages for line in lines)
    if letters < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise UnreadableReport(f"{name}: no text layer; scanned? OCR is not supported "
                               f"({letters} characters of text on {len(pages)} pages)")
    return _layout(pages)


def _page_lines(page, budget: int) -> list[_Line] | None:
    """The page's characters grouped into lines (drawing order), cells tab-separated;
    None as soon as the page has more than `budget` characters of text (a page
    can hold millions: it is not read to its end)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        lines: list[_Line] = []
        current: list[tuple[str, float, float, float, float, float]] = []
        visible = 0  # characters sure to be in the text, whatever the layout
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE, 0xFFFF) or chr(code) in "\r\n":
                continue
            char = chr(code)
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                if char == " " and current:  # a word space the PDF left implicit
                    current.append((" ", *current[-1][1:]))
                continue
            if char.isprintable() and not char.isspace():
                visible += 1
                if visible > budget:
                    return None
            left, bottom, right, top = textpage.get_charbox(i)
            size = pdfium_c.FPDFText_GetFontSize(raw, i) or (top - bottom)
            if current and _new_line(current, left, bottom, top, size):
                lines.append(_line(current))
                current = []
            current.append((char, left, bottom, right, top, size))
        if current:
            lines.append(_line(current))
        return [line for line in lines if line.text.strip()]
    finally:
        textpage.close()


def _new_line(current, left, bottom, top, size) -> bool:
    _, _, last_bottom, last_right, last_top, last_size = current[-1]
    if current[-1][0] == " " and len(current) > 1:
        _, _, last_bottom, last_right, last_top, last_size = current[-2]
    middle, last_middle = (bottom + top) / 2, (last_bottom + last_top) / 2
    off_line = abs(middle - last_middle) > max(size, last_size) * 0.6
    went_back = left < last_right - 2 * max(size, last_size)
    return off_line or went_back


def _line(chars) -> _Line:
    parts, cells = [], False
    previous_right = None
    for char, left, _bottom, right, _top, size in chars:
        if char == " ":
            parts.append(" ")
            continue
        if previous_right is not None and left - previous_right > CELL_GAP * size:
            while parts and parts[-1] == " ":
                parts.pop()
            parts.append("\t")
            cells = True
        parts.append(char)
        previous_right = right
    sizes = Counter(round(c[5] * 2) / 2 for c in chars if c[0] != " ")
    boxes = [c for c in chars if c[0] != " "] or chars
    return _Line(text="".join(parts).strip(), left=min(c[1] for c in boxes), right=max(c[3] for c in boxes),
                 baseline=min(c[2] for c in boxes), size=sizes.most_common(1)[0][0] if sizes else 0.0,
                 cells=cells)


def _layout(pages: list[list[_Line]]) -> str:
    """The lines of all pages as report text: paragraphs, headings, wrapped lines joined."""
    sizes = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({s for s in sizes if s >= body * HEADING_SCALE}, reverse=True)
    # One heading size reads as the sections (##, like 壹、); with several the largest is the title.
    levels = {s: n + (1 if len(heading_sizes) > 1 else 2) for n, s in enumerate(heading_sizes)}
    out: list[str] = []
    previous: _Line | None = None
    margin = 0.0
    for lines in pages:
        last_margin, margin = margin, max((line.right for line in lines if not line.cells), default=0)
        for n, line in enumerate(lines):
            level = levels.get(line.size) if len(line.text) <= HEADING_MAX_CHARS and not line.cells else None
            if level:
                out += ["", "#" * min(level, 6) + " " + line.text, ""]
                previous = None
                continue
            if previous is not None:
                # A paragraph goes on across a page break when the page's last line was full.
                step = previous.baseline - line.baseline if n else 0.0
                if step > PARAGRAPH_GAP * max(line.size, previous.size) or step < 0:
                    out.append("")
                elif _wraps(previous, line, margin if n else last_margin):
                    joint = " " if out[-1][-1:].isascii() and line.text[:1].isascii() else ""
                    out[-1] += joint + line.text
                    previous = line
                    continue
                elif not n:
                    out.append("")
            out.append(line.text)
            previous = line
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def _wraps(previous: _Line, line: _Line, margin: float) -> bool:
    """Whether `line` continues `previous`, which ran to the right margin."""
    return (not previous.cells and not line.cells and abs(previous.size - line.size) < 0.6
            and previous.right >= margin - 1.5 * previous.size)
