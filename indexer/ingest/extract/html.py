"""HTML pages: the main text, without navigation, scripts, styles, headers and footers.

When the page marks its content (<main>, else <article>), only that is read.
<h1>–<h6> become markdown headings of their level, <table> rows tab-separated
lines, block elements paragraphs.  The charset comes from a byte-order mark,
else <meta charset> (or http-equiv), else the same detection as plain text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from indexer.errors import UnreadableReport
from indexer.ingest.extract._zip import heading
from indexer.ingest.extract.text import decode_text, text_encoding

# Never text of the report: page furniture and code.
_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
         "button", "select", "svg", "iframe", "object", "head", "title", "menu", "dialog"}
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
          "pre", "figure", "figcaption", "address", "table", "caption", "hr", "body", "center"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def extract_html(data: bytes, name: str) -> str:
    """The report text of an HTML page, or UnreadableReport if it holds none."""
    page = _decode(data, name)
    for container in ("main", "article", None):
        reader = _Reader(container)
        reader.feed(page)
        reader.close()
        if container is None or reader.found:
            break
    text = reader.text()
    if not text.strip():
        raise UnreadableReport(f"{name}: the HTML page has no text outside navigation and scripts")
    return text


def _declared_codec(data: bytes) -> str | None:
    """The codec a page's <meta charset> (or http-equiv) names, when there is no byte-order
    mark: cp950 for any Big5 (pages that say big5 are written in its Windows superset);
    None for none, an unknown one, or UTF-16 (which a declaration cannot be read in)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    declared = _META_CHARSET.search(data[:4096])
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")).name if declared else None
    except LookupError:
        return None
    if codec in ("big5", "cp950", "big5hkscs"):
        return "cp950"
    return None if codec is None or codec.startswith("utf-16") else codec


def html_encoding(data: bytes) -> str:
    """The charset, as HTTP names it, that `_decode` reads a page in."""
    codec = _declared_codec(data)
    if codec is not None:
        try:
            data.decode(codec)
            return "big5" if codec == "cp950" else codec
        except UnicodeDecodeError:
            pass  # as _decode: detect instead
    return text_encoding(data)


def _decode(data: bytes, name: str) -> str:
    codec = _declared_codec(data)
    if codec is not None:
        try:
            return data.decode(codec).replace("\r\n", "\n")
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; detect instead
    return decode_text(data, name)


class _Reader(HTMLParser):
    """Collects text blocks; inside `container` only when one is given."""

    def __init__(self, container: str | None):
        super().__init__(convert_charrefs=True)
        self.container = container
        self.found = False
        self.depth_in = 0 if container is None else None  # open containers; None outside
        self.skipping = 0
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.heading_level = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.rows: list[str] = []

    # --- tags ---------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and self._reading():
                (self.cell if self.cell is not None else self.current).append("\n")
            return
        if self.container and tag == self.container:
            self.found = True
            self.depth_in = (self.depth_in or 0) + 1
        if not self._inside():
            return
        hidden = any(k == "hidden" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        if tag in _SKIP or hidden or self.skipping:
            self.skipping += 1
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.heading_level = int(tag[1])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in _BLOCK and self.row is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _VOID or not self._inside():
            return
        if self.skipping:
            self.skipping -= 1
        elif re.fullmatch(r"h[1-6]", tag):
            text = " ".join("".join(self.current).split())
            self.current = []
            if text:
                self._end_table()
                self.blocks.append(heading(self.heading_level or int(tag[1]), text))
            self.heading_level = 0
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.rows.append("\t".join(self.row))
            self.row = None
        elif tag == "table":
            self._end_table()
        elif tag in _BLOCK and self.row is None:
            self._flush()
        if self.container and tag == self.container and self.depth_in:
            self.depth_in -= 1

    def handle_data(self, data):
        if self._reading():
            (self.cell if self.cell is not None else self.current).append(data)

    # --- state --------------------------------------------------------------

    def _inside(self) -> bool:
        return self.depth_in is not None and (self.container is None or self.depth_in > 0)

    def _reading(self) -> bool:
        return self._inside() and not self.skipping

    def _flush(self) -> None:
        lines = [" ".join(line.split()) for line in "".join(self.current).split("\n")]
        text = "\n".join(line for line in lines if line)
        self.current = []
        if text:
            self._end_table()
            self.blocks.append(text)

    def _end_table(self) -> None:
        if self.rows:
            self.blocks.append("\n".join(self.rows))
            self.rows = []

    def text(self) -> str:
        self._flush()
        self._end_table()
        return "\n\n".join(self.blocks) + "\n"
