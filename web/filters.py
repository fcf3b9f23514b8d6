"""The templates' filters: pure functions, put on an app by `register_filters`.

    {{ hit.date | roc }}  ->  民國111年11月3日
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

from flask import Flask

from indexer.models import FacetValue
from indexer.text.dates import roc_form

from . import present

KIND_LABELS = {"other": "其他"}
FACET_SHOWN = 6  # values shown before "更多"; the rest fold into a <details>


def with_query(url: str, query: str, search: str = "") -> str:
    """`/reports/a#p` -> `/reports/a?q=八代#p`, so the report page can mark the terms;
    with `search` (the search's whole query string) the link carries it all, so that the
    report's 回到搜尋 leads back to the same filters, order and page.

    >>> with_query("/reports/a#p", "八代", "q=%E5%85%AB%E4%BB%A3&city=%E5%9F%BA%E9%9A%86%E5%B8%82&page=2")
    '/reports/a?q=%E5%85%AB%E4%BB%A3&city=%E5%9F%BA%E9%9A%86%E5%B8%82&page=2#p'
    """
    if not query and not search:
        return url
    path, hash_, fragment = url.partition("#")
    return path + "?" + (search or urlencode({"q": query})) + hash_ + fragment


def roc(iso: str | None) -> str:
    """The ROC form of an ISO date ('2022-11-03' -> '民國111年11月3日'; see text.dates.roc_form)."""
    return roc_form(iso)


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def web_link(source: str | None) -> str | None:
    """The source as a link target only when it is an http(s) URL: front matter
    is free text, and a `javascript:` source must stay text."""
    if source and urlsplit(source.strip()).scheme in ("http", "https"):
        return source.strip()
    return None


def facet_split(values: Sequence[FacetValue], shown: int = FACET_SHOWN) -> tuple[list, list]:
    """(values to show, values folded under "更多"); a selected value is always shown,
    so it can be unselected without opening anything."""
    head = list(values[:shown])
    tail = []
    for value in values[shown:]:
        (head if value.selected else tail).append(value)
    return head, tail


# How an inferred date was found (`Metadata.date_evidence`, written for logs and the
# API), said in Chinese for the page's 推定 note: (start of the evidence, Chinese).
_EVIDENCE = (
    ("no report date stated; end of the period covered ", "未載明報告日期，取報告所述期間的最後一天"),
    ("no report date stated; latest date in the text ", "未載明報告日期，取內文中最晚的日期"),
    ("no date stated; the file's name ", "未載明日期，取自檔名"),
)


def evidence_zh(evidence: str | None) -> str:
    """Why a date is marked 推定, in Chinese.

    >>> evidence_zh("no date stated; the file's name (1120301公告.pdf)")
    '未載明日期，取自檔名（1120301公告.pdf）'
    """
    for start, chinese in _EVIDENCE:
        if evidence and evidence.startswith(start):
            rest = evidence[len(start):].strip()
            return chinese + (f"（{rest[1:-1]}）" if rest.startswith("(") and rest.endswith(")") else rest)
    return "未載明報告日期，依內容推定" + (f"（{evidence}）" if evidence else "")


def register_filters(app: Flask) -> None:
    """Make the filters available to `app`'s templates under their names."""
    app.jinja_env.filters.update(
        with_query=with_query,
        roc=roc,
        snippet_html=present.snippet_html,
        kind_label=kind_label,
        web_link=web_link,
        facet_split=facet_split,
        evidence_zh=evidence_zh,
    )
