"""PDF: the text layer, rebuilt into lines, paragraphs, headings and table rows.

pdfium (through pypdfium2) gives each character with its box and font size;
from those this module rebuilds what the passage splitter reads:

- lines, in the order the page draws them; a line that runs to the right
  margin continues in the next (CJK prose wraps without a space);
- a blank line where the gap to the next line is wider than the leading;
- a markdown heading (``## 壹、目的``) for a short line set larger than the body;
- a tab where a line has a gap of more than a character and a half, as
  between table cells;
- without what the layout, not the author, put there: running headers and
  footers and page numbers (a line at a page's edge that recurs on many pages,
  or holds only a number), a 公文's binding-line column (裝 / 訂 / 線 and dots),
  and spaces between CJK characters (letter-spaced names and table cells:
  卓 榮 泰 → 卓榮泰);
- wrapped lines joined however wide the line spacing (a double-spaced 公文):
  a paragraph starts where the step between lines is wider than the page's
  usual step.

A PDF whose pages carry no text (a scan) is refused: indexing it would give a
report that no search can find.  docs/DESIGN.md has the measurements that
chose pdfium over pdfminer.six.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.errors import UnreadableReport

CELL_GAP = 1.5  # a gap wider than this many font sizes separates table cells
PARAGRAPH_GAP = 1.75  # a baseline step wider than this many font sizes starts a paragraph
HEADING_SCALE = 1.2  # a line this much larger than the body text is a heading...
HEADING_MAX_CHARS = 60  # ...when it is short
HEADING_SHARE = 0.2  # ...and its size sets less than this share of the text
MIN_CHARS_PER_PAGE = 5  # fewer (page numbers, a logo's letters) means a scan
MIN_FONT_SIZE = 1.5  # a smaller font size is a unit font scaled by the text matrix
EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be running headers
RUNNING_SHARE = 0.1  # a line at the edge of at least this share of the pages (and 3) runs:
# a header on odd pages only, a chapter's thumb tab on its pages
STEP_SLACK = 1.3  # a step this much wider than the document's usual line step starts a paragraph

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^[-–—\s(（]*(?:第\s*)?\d{1,4}(?:\s*頁)?(?:\s*[/，,]?\s*共\s*\d{1,4}\s*頁)?"
                          r"(?:\s*/\s*\d{1,4})?[-–—\s)）]*$")
_CONTENTS_LINE = re.compile(r"(?:\.{3,}|…{2,}|．{3,}|·{3,})\s*\d{1,4}$")  # 第一章 ……… 12
# 承辦人：林亞璇, 檔號：: a 公文's fields in large type are fields, not headings (壹、目的： is one)
_FIELD_LINE = re.compile(r"^(?![壹貳參肆伍陸柒捌玖拾一二三四五六七八九十]+、|[（(]?\d+[.．、)）])[^：:]{1,12}[：:]")
_ALL_CJK = re.compile(f"[{_CJK}]+")
_BINDING = frozenset(".．·…裝訂線")
LETTER_SPACED_MAX = 16  # a line of at most this many characters, one per cell, is letter-spaced
MARGIN_SHARE = 0.8  # the right margin: where this share of a page's lines end (a stamp may stick out)


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
        end = data.rfind(b"%%EOF")
        if end < 0:
            raise UnreadableReport(f"{name}: the PDF is truncated (no end-of-file marker); download it again")
        data = data[:end + 5]  # a web page a download script appended after the PDF's end
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
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if size <= MIN_FONT_SIZE:  # a font of size 1 scaled by the text matrix: the glyph's box tells
                size = (top - bottom) or (current[-1][5] if current else 0.0)
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
    text = _SPACE_BETWEEN_CJK.sub("", "".join(parts).strip())
    pieces = text.split("\t")
    if cells and len(text) - len(pieces) + 1 <= LETTER_SPACED_MAX and all(_ALL_CJK.fullmatch(p) for p in pieces) \
            and 2 * sum(len(p) == 1 for p in pieces) >= len(pieces):
        text, cells = "".join(pieces), False  # a letter-spaced title (行\t政\t院), not cells
    return _Line(text=text, left=min(c[1] for c in boxes), right=max(c[3] for c in boxes),
                 baseline=min(c[2] for c in boxes), size=sizes.most_common(1)[0][0] if sizes else 0.0,
                 cells=cells)


def _without_layout(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without their running headers and footers, page numbers and
    binding-line marks."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    def edges(lines: list[_Line]) -> list[_Line]:
        return lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > 2 * EDGE_LINES else lines

    pages = [[line for line in lines if not (len(line.text) == 1 and line.text in _BINDING)]
             if _has_binding_line(lines) else lines for lines in pages]
    seen = Counter(k for lines in pages for k in {key(line) for line in edges(lines)})
    running = {k for k, n in seen.items() if n >= max(3, RUNNING_SHARE * len(pages))}
    kept = []
    for lines in pages:
        edge = {id(line) for line in edges(lines)}
        kept.append([line for line in lines
                     if not (id(line) in edge and (key(line) in running or _PAGE_NUMBER.match(line.text)))])
    return kept


def _has_binding_line(lines: list[_Line]) -> bool:
    """A 公文's binding line: 裝, 訂 and 線 each alone on a line, or a column of marks."""
    marks = [line.text for line in lines if len(line.text) == 1 and line.text in _BINDING]
    return {"裝", "訂", "線"} <= set(marks) or len(marks) >= 5


def _right_margin(lines: list[_Line]) -> float:
    rights = sorted(line.right for line in lines if not line.cells)
    return rights[int(MARGIN_SHARE * (len(rights) - 1))] if rights else 0.0


def _usual_step(pages: list[list[_Line]], body: float) -> float:
    """The most common step between the baselines of consecutive body-text lines."""
    steps = Counter(round(previous.baseline - line.baseline, 0)
                    for lines in pages for previous, line in zip(lines, lines[1:], strict=False)
                    if abs(line.size - body) < 0.6 and 0 < previous.baseline - line.baseline < 4 * body)
    return steps.most_common(1)[0][0] if steps else 0.0


def _layout(pages: list[list[_Line]]) -> str:
    """The lines of all pages as report text: paragraphs, headings, wrapped lines joined."""
    pages = _without_layout(pages)
    sizes = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    usual = _usual_step(pages, body)
    # A larger size that sets much of the text is another part's body (a letter above its
    # attachment in small type), not headings.
    total = sum(sizes.values())
    heading_sizes = sorted({s for s in sizes if s >= body * HEADING_SCALE and sizes[s] < HEADING_SHARE * total},
                           reverse=True)
    # One heading size reads as the sections (##, like 壹、); with several the largest is the title.
    levels = {s: n + (1 if len(heading_sizes) > 1 else 2) for n, s in enumerate(heading_sizes)}
    out: list[str] = []
    previous: _Line | None = None
    margin = 0.0
    for lines in pages:
        last_margin, margin = margin, _right_margin(lines)
        for n, line in enumerate(lines):
            level = (levels.get(line.size) if len(line.text) <= HEADING_MAX_CHARS and not line.cells
                     and not _FIELD_LINE.match(line.text) else None)
            if level and previous is not None and n and abs(previous.size - line.size) < 0.6 \
                    and 0 < previous.baseline - line.baseline <= PARAGRAPH_GAP * line.size \
                    and _wraps(previous, line, margin):
                level = None  # the rest of a line of that size that ran to the margin (…辛亥路3 / 段15號)
            if level:
                out += ["", "#" * min(level, 6) + " " + line.text, ""]
                previous = None
                continue
            if previous is not None:
                # A paragraph goes on across a page break when the page's last line was full.
                step = previous.baseline - line.baseline if n else 0.0
                if step > max(PARAGRAPH_GAP * max(line.size, previous.size), STEP_SLACK * usual) or step < 0:
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
    """Whether `line` continues `previous`, which ran to the right margin (a contents
    line's page number at the margin ends its line)."""
    return (not previous.cells and not line.cells and abs(previous.size - line.size) < 0.6
            and previous.right >= margin - 1.5 * previous.size and not _CONTENTS_LINE.search(previous.text))
