"""Passage text to safe HTML, and a table of contents for a report page.

Pure functions, no Flask: the views hand in `Passage`s and get strings and dicts back.

>>> render_text("壹、目的\\n\\n<b>交流</b>")
'<h2>壹、目的</h2>\\n<p>&lt;b&gt;交流&lt;/b&gt;</p>'

Document text never becomes markup: every line is HTML-escaped before markdown
sees it, and markdown's own ways of emitting tags from plain text (raw HTML,
links, images, reference definitions) are switched off, so a report cannot
smuggle in ``<script>`` or a ``javascript:`` link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import markdown
from markdown.extensions import Extension

from indexer.ingest.passages import continues_across_break, heading_rank, heading_title, is_table_row
from indexer.models import Passage

_HEADER_CELL_MAX = 12  # a header cell is a label ("日期", "服務機關"), not a caption


class Outline:
    """The headings seen so far in a report, read in order: a heading's depth among the
    headings around it (1 outermost), so that heading levels never skip one (a report
    whose first heading is 一、 gets <h2> for it, not <h3>)."""

    def __init__(self):
        self._ranks: list[int] = []  # the enclosing headings' ranks, strictly increasing

    def depth(self, rank: int) -> int:
        while self._ranks and self._ranks[-1] >= rank:
            self._ranks.pop()
        self._ranks.append(rank)
        return len(self._ranks)


def render_passage(passage: Passage, outline: Outline | None = None) -> str:
    """The passage's text as HTML (headings, paragraphs, lists, tables); with the report's
    `outline` (passages rendered in order), its headings nest as the report's do."""
    return render_text(passage.text, outline)


def render_text(text: str, outline: Outline | None = None) -> str:
    """Report text as HTML: tab-separated runs become <table>, the rest goes through markdown.

    >>> render_text("日期\\t地點\\n9/2\\t福岡")
    '<table tabindex="0">\\n<thead><tr><th>日期</th><th>地點</th></tr></thead>\\n<tbody><tr><td>9/2</td><td>福岡</td></tr></tbody>\\n</table>'
    """
    parts: list[str] = []
    for kind, lines in _segments(text.split("\n")):
        parts.append(_table(lines) if kind == "table" else _markdown(lines, outline))
    return "\n".join(part for part in parts if part)


def render_toc(passages: Iterable[Passage]) -> list[dict]:
    """One entry per heading line, in order, linking to the passage that holds it.

    `level` is the heading's depth among the headings around it (1 outermost),
    ready for indenting.  Headings in the middle of a passage (a title merged into
    the cover, say) are listed too, so the contents miss nothing.

    >>> from indexer.ingest.passages import split_passages
    >>> [(e["text"], e["level"]) for e in render_toc(split_passages("壹、目的\\n\\n甲。\\n\\n一、心得\\n\\n乙。"))]
    [('壹、目的', 1), ('一、心得', 2)]
    """
    toc: list[dict] = []
    outline = Outline()
    for passage in passages:
        for line in passage.text.split("\n"):
            rank = heading_rank(line)
            if rank is not None:
                toc.append({"text": heading_title(line), "level": outline.depth(rank),
                            "passage_id": passage.passage_id})
    return toc


# --- internals -------------------------------------------------------------


def _segments(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Alternate runs of ("text", lines) and ("table", rows); a table spans blank lines."""
    segments: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        if is_table_row(line):
            kind = "table"
        elif not line.strip() and segments and segments[-1][0] == "table" and _row_follows(lines, i):
            continue  # a page break inside a table
        else:
            kind = "text"
        if segments and segments[-1][0] == kind:
            segments[-1][1].append(line)
        else:
            segments.append((kind, [line]))
    return segments


def _row_follows(lines: list[str], i: int) -> bool:
    for line in lines[i + 1 :]:
        if line.strip():
            return is_table_row(line)
    return False


def _rejoined(lines: list[str]) -> list[str]:
    """`lines` with each paragraph a page break cut in two made one again (its two
    halves on one line, so that markdown neither ends the paragraph nor breaks the line).

    >>> _rejoined(["並透過每年雙方互訪、八代物產展等", "", "活動建立良好友誼。"])
    ['並透過每年雙方互訪、八代物產展等活動建立良好友誼。']
    """
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[list[str]] = []
    for block in filter(None, blocks):
        if out and continues_across_break(out[-1][-1], "\n".join(block)):
            out[-1][-1] = out[-1][-1].rstrip() + block[0].strip()
            out[-1].extend(block[1:])
        else:
            out.append(block)
    return [line for n, block in enumerate(out) for line in ([""] if n else []) + block]


def _markdown_source(lines: list[str], outline: Outline | None = None) -> str:
    out: list[str] = []
    for line in _rejoined(lines):
        rank = heading_rank(line)
        if rank is not None:
            # h2 … h6 by depth in the report (h2 … h5 by rank alone); h1 is the report's title
            level = min(outline.depth(rank), 5) + 1 if outline else min(max(rank, 1), 4) + 1
            out += ["", "#" * level + " " + _literal(html.escape(heading_title(line), quote=False), bullet=False), ""]
            continue
        # Leading spaces would make an indented code block; every character markdown
        # would read as inline markup (30*40*50, __init__, `x`, C:\\temp, ---) is escaped,
        # so that the page shows the characters of the file; a bulleted item stays one.
        # A bullet starts a list only at a block's start or after another (markdown's rule).
        opens = not out or not out[-1] or bool(_LIST_MARKER.match(out[-1]))
        out.append(_literal(html.escape(line.strip(), quote=False), bullet=opens))
    return "\n".join(out)


# A bulleted item's marker is structure (the bullet stands for it); a numbered item
# keeps its number as written (markdown would renumber it), escaped like the rest.
_LIST_MARKER = re.compile(r"[-*+][ \t]+(?=\S)")
# markdown's escapable characters (Markdown.ESCAPED_CHARS; > is &gt; by then, and no
# entity html.escape writes without quotes holds one of them)
_INLINE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def _literal(text: str, bullet: bool = True) -> str:
    """A line of text for markdown that it renders as these characters (a bulleted item as
    one, when `bullet`)."""
    marker = _LIST_MARKER.match(text) if bullet else None
    head = marker.group() if marker else ""
    return head + _INLINE.sub(r"\\\1", text[len(head):])


def _markdown(lines: list[str], outline: Outline | None = None) -> str:
    source = _markdown_source(lines, outline)
    if not source.strip():
        return ""
    # A fresh converter per call: markdown.Markdown keeps state between conversions.
    converter = markdown.Markdown(extensions=[_NoMarkupFromText(), "nl2br", "sane_lists"])
    return converter.convert(source)


class _NoMarkupFromText(Extension):
    """Turn off every markdown feature that turns plain text into tags or URLs."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        for name in ("html", "link", "image_link", "image_reference", "reference",
                     "short_reference", "short_image_ref", "autolink", "automail"):
            md.inlinePatterns.deregister(name)
        for name in ("reference", "setextheader", "code"):
            md.parser.blockprocessors.deregister(name)


def _table(lines: list[str]) -> str:
    rows = [[cell.strip() for cell in line.rstrip().split("\t")] for line in lines if line.strip()]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    head = rows[0] if len(rows) > 1 and _looks_like_header(rows[0]) else None
    body = rows[1:] if head else rows

    def row_html(row: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in row) + "</tr>"

    parts = ['<table tabindex="0">']  # a wide table scrolls: the keyboard must reach it
    if head:
        parts.append("<thead>" + row_html(head, "th") + "</thead>")
    parts.append("<tbody>" + "".join(row_html(row, "td") for row in body) + "</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def _looks_like_header(row: list[str]) -> bool:
    """Short labels, at least two, none blank (a header cell must name its column),
    no digits (a data row has a date, a count or a 編號)."""
    cells = [cell for cell in row if cell]
    return (
        len(cells) >= 2
        and len(cells) == len(row)
        and all(len(cell) <= _HEADER_CELL_MAX for cell in cells)
        and not any(char.isdigit() for cell in cells for char in cell)
    )
