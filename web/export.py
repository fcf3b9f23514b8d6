"""The result list as CSV (GET /api/search.csv): its columns, its limit, and
the cells and file name made safe for a spreadsheet.

Its rows are the passages that match the whole query, the ones counted in a
search's `total` (`Searcher.export` takes a result's `hits`); the partial matches
listed apart under 部分符合 are never exported.

Pure functions; `web.api` serves them and `web.openapi` describes them.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from indexer.models import Hit

EXPORT_LIMIT = 1000
CSV_COLUMNS = ("報告", "日期", "縣市", "章節", "段落連結", "doc_id", "passage_id")
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); report text is not ours to trust.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hits_csv(hits: list[Hit], root: str) -> str:
    """The hits as CSV with a header row, each passage link `root` + hit.url
    (`https://example.org/reports/…#…`, or `/reports/…#…` when `root` is empty).

    Starts with a byte-order mark: without it Excel reads UTF-8 as the
    system code page and Chinese comes out garbled.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    base = root.rstrip("/")
    for hit in hits:
        row = (hit.title, hit.date, hit.city, hit.heading, base + hit.url, hit.doc_id, hit.passage_id)
        writer.writerow([spreadsheet_safe(cell or "") for cell in row])
    return out.getvalue()


def spreadsheet_safe(cell: str) -> str:
    """'=1+1' -> "'=1+1": a leading apostrophe makes spreadsheets show the cell as text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_filename(query: str) -> str:
    """'八代 市長' -> 'jiaoliu-八代_市長.csv'; no query -> 'jiaoliu.csv'."""
    stem = re.sub(r"[^\w-]+", "_", query).strip("_")[:60]
    return f"jiaoliu-{stem}.csv" if stem else "jiaoliu.csv"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII `filename` for old clients and the
    real name as RFC 5987 `filename*`, which browsers prefer."""
    fallback = filename if filename.isascii() else "jiaoliu.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
