"""Compare PDF text extractors on PDFs made from the corpus's real Traditional Chinese.

    .venv/bin/python scripts/compare_pdf.py

Each corpus report is typeset into a PDF with reportlab (headings larger, tables
as cells spaced apart, long lines wrapped at the margin), once in the
non-embedded CID font MSung-Light (Adobe-CNS1, as many older government PDFs)
and once with AR PL UMing embedded as a TrueType subset (as Word exports it),
when that font is installed (Debian: fonts-arphic-uming).  Each extractor's
text is scored against the report's own text:

- chars: share of the report's characters (whitespace and markdown # aside)
  found in the output, order ignored: are the right characters decoded?
- lines in order: share of the report's lines found, in order, in the output
  (whitespace ignored): is the reading order right and nothing lost?
- headings: share of the report's markdown headings that come out as a line
  of their own;
- rows: share of table rows that come out as one line, cells tab-separated;
- seconds for all five PDFs (best of three).

docs/DESIGN.md ("Reading the files people have") records a run.
"""

from __future__ import annotations

import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

REPO = Path(__file__).resolve().parents[1]
# The PDFs are made as the tests make theirs, by tests/documents.py; tests/ is not installed.
sys.path.insert(0, str(REPO / "tests"))

from documents import make_pdf  # noqa: E402

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def pdfium_plain(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text.replace("\r\n", "\n")


def pdfium_ours(data: bytes) -> str:
    from indexer.ingest.extract.pdf import extract_pdf

    return extract_pdf(data, "report.pdf", 10**8)


def pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


EXTRACTORS = {"pypdfium2 get_text_range": pdfium_plain, "pypdfium2 + indexer/extract/pdf.py": pdfium_ours,
              "pdfminer.six extract_text": pdfminer}


def _squash(text: str) -> str:
    return re.sub(r"[\s#]+", "", text)


def _cells(line: str) -> str:
    return "\t".join(cell.strip() for cell in line.split("\t") if cell.strip())


def score(source: str, output: str) -> Counter:
    """Counts (found, of) for each measure, to be pooled over the reports."""
    want, got = Counter(_squash(source)), Counter(_squash(output))
    counts = Counter(chars=sum((want & got).values()), chars_of=sum(want.values()))
    flat, position = _squash(output), 0
    lines = [line for line in source.split("\n") if _squash(line)]
    for line in lines:
        found = flat.find(_squash(line), position)
        if found >= 0:
            counts["lines"] += 1
            position = found + len(_squash(line))
    counts["lines_of"] = len(lines)
    out_lines = {_squash(line) for line in output.split("\n")}
    headings = [line for line in lines if line.startswith("#")]
    counts["headings"] = sum(_squash(h) in out_lines for h in headings)
    counts["headings_of"] = len(headings)
    out_rows = {_cells(line) for line in output.split("\n") if "\t" in line}
    rows = [_cells(line) for line in lines if _cells(line).count("\t")]  # two cells or more
    counts["rows"] = sum(row in out_rows for row in rows)
    counts["rows_of"] = len(rows)
    return counts


def main() -> None:
    fonts = {"MSung-Light (CID, not embedded)": "MSung-Light"}
    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    if UMING.exists():
        pdfmetrics.registerFont(TTFont("UMing", str(UMING), subfontIndex=0))
        fonts["AR PL UMing (TrueType, embedded)"] = "UMing"
    reports = sorted((REPO / "corpus").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in reports]
    print(f"{len(reports)} reports, {sum(len(_squash(t)) for t in texts):,} characters")
    print("| font | extractor | chars | lines in order | headings | table rows | seconds |")
    print("|---|---|---|---|---|---|---|")
    for font_label, font in fonts.items():
        pdfs = [make_pdf(text, font=font) for text in texts]
        pages = sum(len(re.findall(rb"/Type /Page\b", pdf)) for pdf in pdfs)
        for label, extract in EXTRACTORS.items():
            best, outputs = float("inf"), []
            for _ in range(3):
                started = time.perf_counter()
                outputs = [extract(pdf) for pdf in pdfs]
                best = min(best, time.perf_counter() - started)
            total = sum((score(text, output) for text, output in zip(texts, outputs, strict=True)), Counter())
            mean = {key: total[key] / total[key + "_of"] for key in ("chars", "lines", "headings", "rows")}
            print(f"| {font_label} | {label} | {mean['chars']:.1%} | {mean['lines']:.1%} | "
                  f"{mean['headings']:.0%} | {mean['rows']:.0%} | {best:.2f} ({pages} pages) |")


if __name__ == "__main__":
    main()
