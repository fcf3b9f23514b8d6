"""Report files in other formats, made from a report's text: DOCX (python-docx),
ODT (zipfile), HTML and PDF (reportlab). Used by the tests (through conftest)
and by scripts/compare_pdf.py, so that extraction is checked and measured on
files that another program wrote.
"""

from __future__ import annotations

# The text's markdown headings become the format's headings, tab-separated lines
# its tables, blank-line-separated blocks its paragraphs (lines kept as line breaks).


def _blocks(text: str):
    """("heading", level, title) / ("table", rows) / ("para", lines) in order."""
    import re

    blocks, para, rows = [], [], []

    def flush():
        nonlocal para, rows
        if para:
            blocks.append(("para", para))
        if rows:
            blocks.append(("table", rows))
        para, rows = [], []

    for line in text.split("\n"):
        heading = re.fullmatch(r"(#{1,6})\s+(\S.*)", line.strip())
        if heading:
            flush()
            blocks.append(("heading", len(heading.group(1)), heading.group(2).strip()))
        elif "\t" in line.strip():
            if para:
                flush()
            rows.append(line.strip().split("\t"))
        elif not line.strip():
            flush()
        else:
            if rows:
                flush()
            para.append(line.strip())
    flush()
    return blocks


def make_docx(text: str) -> bytes:
    """A DOCX written by python-docx: Heading N styles, tables, line breaks."""
    import io

    import docx

    document = docx.Document()
    for block in _blocks(text):
        if block[0] == "heading":
            document.add_heading(block[2], level=block[1])
        elif block[0] == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for row, cells in zip(table.rows, rows, strict=False):
                for cell, value in zip(row.cells, cells, strict=False):
                    cell.text = value
        else:
            run = document.add_paragraph().add_run()
            for n, line in enumerate(block[1]):
                if n:
                    run.add_break()
                run.add_text(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(text: str) -> bytes:
    """A minimal valid ODT (mimetype first and stored, content.xml, manifest)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    body = []
    for block in _blocks(text):
        if block[0] == "heading":
            body.append(f'<text:h text:outline-level="{block[1]}">{escape(block[2])}</text:h>')
        elif block[0] == "table":
            rows = "".join("<table:table-row>" + "".join(
                f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row)
                + "</table:table-row>" for row in block[1])
            body.append(f"<table:table>{rows}</table:table>")
        else:
            body.append("<text:p>" + "<text:line-break/>".join(escape(line) for line in block[1]) + "</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">'
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def make_html(text: str, charset: str = "utf-8") -> bytes:
    """A city-portal page: the report in <main>, with navigation, scripts, styles,
    a header and a footer around it that must not be indexed."""
    from html import escape

    body = []
    for block in _blocks(text):
        if block[0] == "heading":
            body.append(f"<h{block[1]}>{escape(block[2])}</h{block[1]}>")
        elif block[0] == "table":
            body.append("<table>" + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                                            for row in block[1]) + "</table>")
        else:
            body.append("<p>" + "<br>\n".join(escape(line) for line in block[1]) + "</p>")
    page = (f'<!DOCTYPE html>\n<html lang="zh-Hant"><head><meta charset="{charset}"><title>市政府 出國報告</title>'
            "<style>body{font-family:sans-serif}/* 導覽樣式 */</style>"
            "<script>var 追蹤 = '八代市姊妹市 script';</script></head><body>"
            "<header><a href='/'>臺北市政府全球資訊網</a> 八代 header</header>"
            "<nav><ul><li><a href='/a'>首頁</a></li><li>姊妹市 選單</li></ul></nav>"
            "<main>" + "\n".join(body) + "</main>"
            "<aside>相關連結 八代</aside><footer>版權所有 姊妹市 footer</footer>"
            "<script src='/x.js'></script></body></html>")
    return page.encode(charset)


def make_pdf(text: str, images: int = 0, font: str = "MSung-Light") -> bytes:
    """A PDF typeset by reportlab: headings 14 pt, body 10.5 pt wrapped at the
    margin, table rows as cells spaced apart; `images` pages of incompressible
    photo-like data appended, for size. `font`: the CID font MSung-Light (not
    embedded), or the name of a font the caller registered with reportlab."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if font == "MSung-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    margin, y = 60, height - 60

    def draw(cells, size):
        nonlocal y
        if y < margin:
            pdf.showPage()
            y = height - margin
        pdf.setFont(font, size)
        x = margin
        for cell in cells:
            pdf.drawString(x, y, cell)
            x += pdfmetrics.stringWidth(cell, font, size) + 2 * size
        y -= size * 1.5

    for block in _blocks(text):
        if block[0] == "heading":
            y -= 6
            draw([block[2]], 14)
        elif block[0] == "table":
            for cells in block[1]:
                size = 9.0
                while size > 3 and sum(pdfmetrics.stringWidth(c, font, size) + 2 * size for c in cells) > \
                        width - 2 * margin:
                    size -= 0.5
                draw(cells, size)
        else:
            y -= 6
            for line in block[1]:
                current = ""
                for char in line:
                    if pdfmetrics.stringWidth(current + char, font, 10.5) > width - 2 * margin:
                        draw([current], 10.5)
                        current = ""
                    current += char
                draw([current], 10.5)
    from reportlab import rl_config

    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams: the size is the photos' own
    try:
        for n in range(images):
            pdf.showPage()
            pdf.drawImage(ImageReader(io.BytesIO(_noise_jpeg(n))), 50, 50, width=480, height=480)
        pdf.save()
    finally:
        rl_config.useA85 = a85
    return out.getvalue()


def _noise_jpeg(seed: int) -> bytes:
    """A 6 MB JPEG of noise (a different one per seed: reportlab stores equal images once)."""
    import io
    import random

    from PIL import Image

    noise = random.Random(seed).randbytes(1600 * 1600 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (1600, 1600), noise).save(out, "JPEG", quality=100)
    return out.getvalue()
