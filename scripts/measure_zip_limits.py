"""What a DOCX's document.xml costs to read, and what the limits on a part let through.

    .venv/bin/python scripts/measure_zip_limits.py [--mb 50]

Each case runs in a fresh process (its peak memory is its own): a Word-like
document.xml (runs with fonts and sizes, five runs a paragraph), and two ZIP
bombs of the same unpacked size: one text node of 市, and empty paragraphs.
Prints the XML's bytes and elements per character of text, the seconds to
extract and the process's peak memory (max RSS, which includes the XML and
the .docx built in memory first).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RUN = ('<w:r><w:rPr><w:rFonts w:ascii="標楷體" w:eastAsia="標楷體" w:hAnsi="標楷體"/><w:sz w:val="28"/>'
       '</w:rPr><w:t>高雄市政府國際事務</w:t></w:r>')


def document_xml(kind: str, size: int) -> bytes:
    if kind == "text":
        body = f"<w:p><w:r><w:t>{'市' * (size // 3)}</w:t></w:r></w:p>"
    elif kind == "empty":
        body = "<w:p/>" * (size // 6)
    else:
        paragraph = "<w:p>" + RUN * 5 + "</w:p>"
        body = paragraph * (size // len(paragraph.encode()))
    return f"<w:document {WORD}><w:body>{body}</w:body></w:document>".encode()


def measure(kind: str, size: int) -> dict:
    from indexer.errors import UnreadableReport
    from indexer.ingest.extract import extract

    xml = document_xml(kind, size)
    # Counted from the bytes: a parse here would add its own memory to the figure.
    chars = sum(len(t.decode()) for t in re.findall(rb"<w:t>([^<]*)</w:t>", xml))
    elements = xml.count(b"<") - xml.count(b"</")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    started = time.perf_counter()
    try:
        outcome = f"{len(extract(out.getvalue(), 'm.docx')):,} characters read"
    except UnreadableReport as exc:
        outcome = str(exc).split(": ", 1)[1][:90]
    return {"kind": kind, "xml_mb": round(len(xml) / 2**20), "docx_kb": round(len(out.getvalue()) / 1024),
            "bytes_per_char": round(len(xml) / chars, 1) if chars else None,
            "elements_per_char": round(elements / chars, 2) if chars else None,
            "seconds": round(time.perf_counter() - started, 2),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=50, help="unpacked size of each document.xml")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.mb * 2**20), ensure_ascii=False))
        return
    for kind in ("word", "text", "empty"):
        done = subprocess.run([sys.executable, __file__, "--mb", str(args.mb), "--one", kind],
                              capture_output=True, text=True, check=True)
        print(done.stdout.strip())


if __name__ == "__main__":
    main()
