"""The engine-neutral records of a build: one per passage, with what every engine
indexes, stores and filters on (an engine decides how)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from indexer.ingest.metadata import countries_named
from indexer.ingest.partners import Partner, passage_partners
from indexer.ingest.prior import passage_prior
from indexer.models import Report
from indexer.text.dates import day_number, span

# Facets whose passages may hold several values: facet → the record's field.
LISTS = {"country": "countries", "partner": "partners"}


@dataclass(frozen=True)
class PassageRecord:
    doc_id: str
    passage_id: str
    ordinal: int  # the passage's place in its report
    title: str  # the report's
    heading: str  # the heading path, joined with ›
    text: str
    date: str | None  # the report's date, ISO at the precision given
    prior: float  # how much of the passage is prose (indexer.ingest.prior)
    city: str  # "" when none
    year: str  # the report's year, "" when undated
    kind: str
    agency: str  # "" when none
    level: str  # 中央 / 地方, "" when not stated (Metadata.level)
    countries: tuple[str, ...]
    partners: tuple[str, ...]  # the foreign partners it is about (indexer.ingest.partners)
    span: tuple[int, int] | None  # [period start … report date] as YYYYMMDD, None when undated


def report_span(report: Report) -> tuple[int, int] | None:
    """[period start … report date] as YYYYMMDD integers, or None without any date."""
    meta = report.metadata
    firsts: list[date] = []
    lasts: list[date] = []
    for iso in (meta.period.start, meta.date, meta.period.end):
        if iso:
            first, last = span(iso)
            firsts.append(first)
            lasts.append(last)
    if not firsts:
        return None
    return day_number(min(firsts).isoformat()), day_number(max(lasts).isoformat())


def report_year(report: Report) -> str:
    meta = report.metadata
    iso = meta.date or meta.period.end or meta.period.start
    return iso[:4] if iso else ""


def passage_countries(text: str, meta) -> tuple[str, ...]:
    """The countries a passage is about: those it names, else, in a trip report, where the
    trip went. Not every country its report names: a statistics report naming 37 countries
    would put all of them on every paragraph (口罩 listed 以色列 four times, named nowhere)."""
    return countries_named(text) or (tuple(meta.countries) if meta.kind == "出國報告" else ())


def passage_records(report: Report, partners: list[tuple[Partner, ...]] | None = None) -> Iterator[PassageRecord]:
    """One record per passage of `report`, in reading order; `partners`: each passage's,
    when they were found already (`reading.py`)."""
    meta = report.metadata
    if partners is None:
        partners = [passage_partners(p.text, p.heading_path) for p in report.passages]
    days = report_span(report)
    year = report_year(report)
    for ordinal, passage in enumerate(report.passages):
        yield PassageRecord(
            doc_id=report.doc_id, passage_id=passage.passage_id, ordinal=ordinal, title=meta.title,
            heading=passage.heading, text=passage.text, date=meta.date,
            prior=passage_prior(passage.text, passage.heading_path), city=meta.city or "", year=year,
            kind=meta.kind, agency=meta.agency or "", level=meta.level or "",
            countries=passage_countries(passage.text, meta),
            partners=tuple(p.name for p in partners[ordinal]),
            span=days,
        )
