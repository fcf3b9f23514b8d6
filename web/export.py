"""The result list as CSV or NDJSON (GET /api/search.csv, /api/search.ndjson):
its rows, its limit, and the cells and file name made safe for a spreadsheet.

Its rows are the passages that match the whole query, the ones counted in a
search's `total`, in the search's order (`Searcher.export_hits`, a page at a
time, streamed); the partial matches listed apart under 部分符合 are never
exported.

Pure functions; `web.api` serves them and `web.openapi` describes them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from indexer.models import Hit

# Rows an export holds at most (documented in the OpenAPI description and the README);
# the response's X-Total-Count says how many the search found.
EXPORT_LIMIT = 10_000
# Each row: (CSV column, JSON key).
FIELDS = (("報告", "title"), ("日期", "date"), ("日期推定", "date_inferred"), ("縣市", "city"), ("機關", "agency"),
          ("類型", "kind"), ("章節", "heading"), ("段落文字", "text"), ("段落連結", "url"), ("查詢", "query"),
          ("doc_id", "doc_id"), ("passage_id", "passage_id"))
CSV_COLUMNS = tuple(column for column, _key in FIELDS)
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"); report text is not ours to trust.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def row(hit: Hit, report: dict, query: str, root: str) -> dict:
    """One exported passage: the hit, its report's agency, kind and whether its date was
    inferred (`report`: its catalog entry), the query, and the passage link from `root`
    (`https://example.org/reports/…#…`, or `/reports/…#…` when `root` is empty)."""
    return {"title": hit.title, "date": hit.date, "date_inferred": bool(report.get("date_inferred")),
            "city": hit.city, "agency": report.get("agency") or None, "kind": report.get("kind") or None,
            "heading": hit.heading, "text": hit.text, "url": root.rstrip("/") + hit.url, "query": query,
            "doc_id": hit.doc_id, "passage_id": hit.passage_id}


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The rows as CSV, some lines at a time, after a header row.

    Starts with a byte-order mark: without it Excel reads UTF-8 as the
    system code page and Chinese comes out garbled.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([spreadsheet_safe(_cell(r[key])) for _column, key in FIELDS])
        if out.tell() > 64 * 1024:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def ndjson_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The rows as newline-delimited JSON: one object a line, keys as in FIELDS."""
    for r in rows:
        yield json.dumps(r, ensure_ascii=False) + "\n"


def _cell(value) -> str:
    if isinstance(value, bool):
        return "是" if value else ""
    return value or ""


def spreadsheet_safe(cell: str) -> str:
    """'=1+1' -> "'=1+1": a leading apostrophe makes spreadsheets show the cell as text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_filename(query: str, suffix: str = ".csv") -> str:
    """'八代 市長' -> 'jiaoliu-八代_市長.csv'; no query -> 'jiaoliu.csv'."""
    stem = re.sub(r"[^\w-]+", "_", query).strip("_")[:60]
    return f"jiaoliu-{stem}{suffix}" if stem else f"jiaoliu{suffix}"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII `filename` for old clients and the
    real name as RFC 5987 `filename*`, which browsers prefer."""
    fallback = filename if filename.isascii() else "jiaoliu" + filename[filename.rfind("."):]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
