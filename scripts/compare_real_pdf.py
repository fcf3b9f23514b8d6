"""How whole the phrases of real PDFs come out of jiaoliu, against pdfminer.six's reading.

    .venv/bin/pip install -e '.[compare]'
    .venv/bin/python scripts/compare_real_pdf.py [folder ...]     # default: tests/real/files

pdfminer.six reads each PDF independently of pdfium (jiaoliu's reader). From its text:

- in-line phrases: every run of 8 CJK characters inside one of its lines (spaces between
  CJK characters dropped, as letter spacing is layout): the share found in jiaoliu's text
  as written, so as a phrase search sees it. What jiaoliu loses or splits (a header
  spliced into a sentence, a space left between characters) shows here.
- wrapped lines: where a line ends in a CJK character and the next begins with one (a
  wrapped sentence, or a paragraph's end), the 4 characters either side joined: the share
  found in jiaoliu's text. Lines joined back into their sentence show here; a paragraph's
  end is never joined, so 100 % is not the aim.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from pdfminer.high_level import extract_text

from indexer.errors import UnreadableReport
from indexer.ingest.extract import _COMPATIBILITY_IDEOGRAPHS, extract

REPO = Path(__file__).resolve().parents[1]
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACED = re.compile(f"(?<=[{CJK}])\\s+(?=[{CJK}])")
_RUN = re.compile(f"[{CJK}]{{8,}}")
WINDOW = 8


def windows(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for run in _RUN.findall(_SPACED.sub("", line)):
            found += [run[i:i + WINDOW] for i in range(0, len(run) - WINDOW + 1, WINDOW)]
    return found


def joins(lines: list[str]) -> list[str]:
    found = []
    cleaned = [_SPACED.sub("", line.strip()) for line in lines if line.strip()]
    for line, following in zip(cleaned, cleaned[1:], strict=False):
        tail, head = re.search(f"[{CJK}]{{4}}$", line), re.match(f"[{CJK}]{{4}}", following)
        if tail and head:
            found.append(tail.group() + head.group())
    return found


def share(needles: list[str], text: str) -> tuple[int, int]:
    return sum(needle in text for needle in needles), len(needles)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [REPO / "tests" / "real" / "files"]
    pdfs = sorted(p for folder in folders for p in folder.glob("*.pdf"))
    totals = [0, 0, 0, 0]
    print(f"{'file':48} {'in-line phrases':>18} {'wrapped lines':>16}")
    for pdf in pdfs:
        data = pdf.read_bytes()
        # the characters as people type them, as jiaoliu reads them (錄 U+F93F → 錄)
        reference = extract_text(io.BytesIO(data)).translate(_COMPATIBILITY_IDEOGRAPHS).splitlines()
        try:
            ours = extract(data, pdf.name)
        except UnreadableReport as exc:  # counted as nothing kept
            print(f"{pdf.name[:48]:48} not read: {exc}")
            ours = ""
        kept, inline = share(windows(reference), ours)
        joined, wraps = share(joins(reference), ours)
        totals = [totals[0] + kept, totals[1] + inline, totals[2] + joined, totals[3] + wraps]
        print(f"{pdf.name[:48]:48} {kept:>7}/{inline:<5} {kept / max(inline, 1):5.1%} "
              f"{joined:>5}/{wraps:<5} {joined / max(wraps, 1):5.1%}")
    print(f"{'all':48} {totals[0]:>7}/{totals[1]:<5} {totals[0] / max(totals[1], 1):5.1%} "
          f"{totals[2]:>5}/{totals[3]:<5} {totals[2] / max(totals[3], 1):5.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
