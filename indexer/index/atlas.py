"""A build's atlas: for each report, the partners of each passage and the agreements it
states, worked out when the report is read (`reading.py`, in the reading processes) and
kept in `atlas.json` beside the catalog, so that an unchanged report is never read again
for it. `indexer.search.atlas` sums it up for the pages."""

from __future__ import annotations

from indexer.ingest.agreements import find_agreements
from indexer.ingest.partners import Mention, Partner, default_gazetteer, passage_partners
from indexer.models import Report

ATLAS = "atlas.json"


def report_partners(report: Report) -> tuple[list[tuple[Partner, ...]], list[list[Mention]]]:
    """Each passage's partners, and the places its text names them, in order."""
    gazetteer = default_gazetteer()
    mentions = [gazetteer.mentions(p.text) for p in report.passages]
    return [passage_partners(p.text, p.heading_path, mentions=m) for p, m in zip(report.passages, mentions,
                                                                                 strict=True)], mentions


def report_atlas(report: Report, partners: list[tuple[Partner, ...]], mentions: list[list[Mention]] | None = None
                 ) -> dict:
    """The report's entry in atlas.json: its metadata for the pages, [passage_id, [partner, …]]
    for each passage with partners, each partner's country and kind, and the agreements."""
    meta = report.metadata
    known = {p.name: [p.country, p.kind] for found in partners for p in found}
    agreements = []
    year = int(meta.date[:4]) if meta.date else None
    for n, (passage, found) in enumerate(zip(report.passages, partners, strict=True)):
        for agreement in find_agreements(passage.text, found, year, mentions[n] if mentions else None):
            known.update({p.name: [p.country, p.kind] for p in agreement.partners})
            agreements.append({"passage_id": passage.passage_id, **agreement.to_dict()})
    return {
        "doc_id": report.doc_id, "title": meta.title, "city": meta.city or "", "level": meta.level or "",
        "date": meta.date,
        "passages": [[p.passage_id, [x.name for x in found]]
                     for p, found in zip(report.passages, partners, strict=True) if found],
        "partners": known, "agreements": agreements,
    }
