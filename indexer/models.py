"""The plain data every stage of the pipeline hands to the next.

corpus file -> Report(Metadata, [Passage]) -> index -> SearchResult([Hit], facets) -> HTML / JSON

Dates are ISO 8601 strings at the precision the text gives them: "2022-11-03",
"2022-08" or "2022". `indexer.text.dates.span` turns one into its first and last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

HEADING_SEPARATOR = " › "
# What a report is; "other" for anything the extraction cannot place.
LEVELS = ("中央", "地方")  # who wrote a report: a central-government body, a city's or county's
KINDS = ("出國報告", "施政報告", "統計分析報告", "會議紀錄", "議事錄", "公文", "新聞稿", "計畫", "法規", "逐字稿", "other")


@dataclass(frozen=True)
class Period:
    """The time a report covers (出國期間, or the half-year of a 施政報告)."""

    start: str | None = None
    end: str | None = None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Metadata:
    """What is known about a report, extracted from its text or its front matter.

    `city_evidence` and `date_evidence` say, in a few words, how the value was
    decided (e.g. "服務機關：基隆市政府", "mayor 陳菊 → 高雄市"), so that a wrong
    guess can be traced.  `date_inferred` is True when the text states no report
    date and `date` is the best-supported date found in its contents.
    """

    title: str
    city: str | None = None
    city_evidence: str = ""
    agency: str | None = None
    kind: str = "other"  # one of KINDS
    date: str | None = None
    date_inferred: bool = False
    date_evidence: str = ""
    period: Period = field(default_factory=Period)
    countries: tuple[str, ...] = ()
    source: str | None = None
    # who wrote it: 中央 (a central-government body; no city), 地方 (a city's or county's), None (not stated)
    level: str | None = None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "city": self.city,
            "level": self.level,
            "city_evidence": self.city_evidence,
            "agency": self.agency,
            "kind": self.kind,
            "date": self.date,
            "date_inferred": self.date_inferred,
            "date_evidence": self.date_evidence,
            "period": self.period.to_dict(),
            "countries": list(self.countries),
            "source": self.source,
        }


# Markdown heading marks (### 三、…) are markup, not words: the structure is the heading path.
HEADING_MARK = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")


def plain_text(text: str) -> str:
    """`text` without markdown heading marks.

    >>> plain_text("## 六、參訪過程\\n\\n#5 號碼 與 C# 不變")
    '六、參訪過程\\n\\n#5 號碼 與 C# 不變'
    """
    return HEADING_MARK.sub("", text) if "#" in text else text


@dataclass(frozen=True)
class Passage:
    """A span of a report a reader would want to land on.

    `text` is exactly `body[start:end]` of the report body it came from, so a
    passage can always be located again; `passage_id` is its HTML anchor and
    stays the same when the same report is indexed again.
    """

    passage_id: str
    heading_path: tuple[str, ...]
    text: str
    start: int
    end: int

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)

    @property
    def plain(self) -> str:
        """The text as read: without the markdown marks of its heading lines (## 六、參訪過程)."""
        return plain_text(self.text)

    def to_dict(self) -> dict:
        return {"passage_id": self.passage_id, "heading": self.heading, "text": self.plain}


@dataclass(frozen=True)
class Report:
    """One report file, read, described and cut into passages."""

    doc_id: str
    path: str
    body: str  # the text after any front matter
    sha256: str
    metadata: Metadata
    passages: tuple[Passage, ...]
    # ids the report's passages had in earlier builds → the passage that holds that
    # place now (a section's id → its first paragraph), so that old links still land
    moved: dict[str, str] = field(default_factory=dict, compare=False)


def report_url(doc_id: str, passage_id: str | None = None) -> str:
    """`/reports/<doc_id>#<passage_id>`, percent-encoded where ids are not ASCII."""
    url = "/reports/" + quote(doc_id, safe="")
    if passage_id:
        url += "#" + quote(passage_id, safe="")
    return url


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False
    toggle_url: str = ""

    def to_dict(self) -> dict:
        return {"value": self.value, "count": self.count, "selected": self.selected,
                "toggle_url": self.toggle_url}


def passage_key(doc_id: str, passage_id: str) -> str:
    """A passage's one name across the project: in an engine, in runs and judgments,
    and (as its URL's fragment) on the report page. Passage ids hold no "#".

    >>> passage_key("keelung-2022-yatsushiro-visit", "p-2e5e87b9")
    'keelung-2022-yatsushiro-visit#p-2e5e87b9'
    """
    return f"{doc_id}#{passage_id}"


Span = tuple[int, int]  # [start, end) of characters


@dataclass(frozen=True)
class Snippet:
    """A window of a passage's text to show in a list of hits: `text` (line breaks
    flattened, Markdown heading marks dropped, "…" where it was cut) and `marks`,
    the spans of `text` where the query matched. Data, not HTML: the web app and
    the CLI each mark it their own way."""

    text: str
    marks: tuple[Span, ...] = ()


@dataclass(frozen=True, order=True)
class Partner:
    """A foreign place Taiwanese cities deal with (indexer.ingest.partners)."""

    name: str  # as the reports write it in full: 八代市, 熊本縣
    country: str  # 日本; "" when no report says
    kind: str  # city / prefecture / province / state / region


@dataclass(frozen=True)
class Mention:
    """Where a text names a partner."""

    partner: Partner
    start: int  # offsets into the text the mention was found in
    end: int


@dataclass(frozen=True)
class Hit:
    doc_id: str
    passage_id: str
    title: str
    city: str | None
    date: str | None
    heading: str
    text: str
    snippet: Snippet
    score: float
    missing: tuple[str, ...] = ()  # a partial match's top-level terms that it lacks, as typed
    in_heading: tuple[str, ...] = ()  # those its text lacks and its heading path holds
    level: str | None = None  # the report's: 中央 / 地方 / None (Metadata.level)
    copy_count: int = 0  # in how many reports other copies of it stand (indexer.search.copies)
    copies: tuple = ()  # the first of those copies (CopyRef), earliest first
    folded: int = 0  # with copies folded: how many of its copies this hit stands for on the page

    @property
    def url(self) -> str:
        return report_url(self.doc_id, self.passage_id)

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "title": self.title,
            "city": self.city,
            "level": self.level,
            "date": self.date,
            "heading": self.heading,
            "text": self.text,
            "snippet_text": self.snippet.text,
            "snippet_marks": [list(span) for span in self.snippet.marks],
            "url": self.url,
            "score": round(self.score, 4),
            "missing": list(self.missing),
            "in_heading": list(self.in_heading),
            "copy_count": self.copy_count,
            "copies": [c.to_dict() for c in self.copies],
            "folded": self.folded,
        }


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: build one with `indexer.query.request.parse_search_request`.

    A filter holds the values chosen for it: a passage passes with any one of them
    (OR within a facet), and must pass every filter set (AND across facets); ()
    is no filter."""

    query: str = ""
    city: tuple[str, ...] = ()  # official names, e.g. ("臺中市", "基隆市")
    date_from: str | None = None  # ISO day, inclusive
    date_to: str | None = None  # ISO day, inclusive
    page: int = 1
    per_page: int = 10
    kind: tuple[str, ...] = ()  # 出國報告 / 施政報告 / 統計分析報告 / other
    agency: tuple[str, ...] = ()
    country: tuple[str, ...] = ()  # destination countries, e.g. ("日本",)
    partner: tuple[str, ...] = ()  # foreign partners, e.g. ("八代市",) (indexer.ingest.partners)
    level: tuple[str, ...] = ()  # 中央 or 地方 (Metadata.level)
    sort: str = "relevance"  # or "newest", "oldest"
    fold_copies: bool = False  # a passage copied from one listed higher is folded into it


@dataclass(frozen=True)
class Suggestion:
    """Something to try when a search found nothing: another spelling, or fewer filters."""

    kind: str  # "spelling" or "drop_filter"
    text: str  # what to show, e.g. 八代市 or 不限縣市 (any city)
    url: str  # query string of the search page with the change made
    total: int  # how many passages that search finds

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "url": self.url, "total": self.total}


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    notices: tuple[str, ...] = ()  # e.g. malformed syntax searched literally
    suggestions: tuple[Suggestion, ...] = ()
    complete: bool = True  # False: stopped by the time limit; total and hits are what was found
    # On the last page of the full matches (or when there are none): the best passages
    # that match only some of the query, and how many match so; never in `total` or facets.
    partial: tuple[Hit, ...] = ()
    partial_total: int = 0

    def grouped(self) -> list[tuple[Hit, list[Hit]]]:
        """This page's hits grouped by report, in the order each report first appears:
        (best hit, the report's other hits on this page)."""
        groups: dict[str, tuple[Hit, list[Hit]]] = {}
        for hit in self.hits:
            if hit.doc_id in groups:
                groups[hit.doc_id][1].append(hit)
            else:
                groups[hit.doc_id] = (hit, [])
        return list(groups.values())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_dict(self) -> dict:
        return {
            "query": self.request.query,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "notices": list(self.notices),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "complete": self.complete,
            "partial_total": self.partial_total,
            "partial": [hit.to_dict() for hit in self.partial],
        }
