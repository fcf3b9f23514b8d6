"""The atlas of who deals with whom, summed up from a build's atlas.json (`indexer.index.atlas`):
every partner with its country, the Taiwanese cities that deal with it, its passages, the
years they cover and its agreements; and one partner's timeline, newest first.

Plain data for the pages and the API (HTML is web/'s). Made once per build.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from indexer.ingest.partners import default_gazetteer
from indexer.models import Passage, Snippet
from indexer.search.spans import snippet

UNKNOWN_CITY = "不明"
CENTRAL = "中央"  # the Taiwanese side of a central-government report's exchanges
STATE_LABELS = {"signed": "締結", "renewed": "續約", "anniversary": "週年", "negotiating": "洽談中"}


@dataclass(frozen=True)
class AgreementEntry:
    """One agreement a report states, between a Taiwanese city and a partner."""

    city: str
    partner: str
    kind: str
    state: str
    date: str | None
    sentence: str
    doc_id: str
    passage_id: str
    also: int = 0  # how many more passages state it again

    def to_dict(self) -> dict:
        return {"city": self.city, "partner": self.partner, "kind": self.kind, "state": self.state,
                "state_label": STATE_LABELS[self.state], "date": self.date, "sentence": self.sentence,
                "doc_id": self.doc_id, "passage_id": self.passage_id, "also": self.also}


@dataclass(frozen=True)
class Mention:
    """A passage about a partner, with its report's metadata."""

    doc_id: str
    passage_id: str
    title: str
    city: str
    date: str | None


@dataclass
class PartnerSummary:
    name: str
    country: str
    kind: str
    cities: Counter = field(default_factory=Counter)  # Taiwanese city → passages
    mentions: list[Mention] = field(default_factory=list)
    agreements: list[AgreementEntry] = field(default_factory=list)

    @property
    def passages(self) -> int:
        return len(self.mentions)

    @property
    def reports(self) -> int:
        return len({m.doc_id for m in self.mentions})

    @property
    def years(self) -> tuple[str | None, str | None]:
        years = sorted(m.date[:4] for m in self.mentions if m.date)
        return (years[0], years[-1]) if years else (None, None)

    def to_dict(self) -> dict:
        first, last = self.years
        return {"name": self.name, "country": self.country, "kind": self.kind,
                "cities": [{"city": c, "passages": n} for c, n in _most(self.cities)],
                "passages": self.passages, "reports": self.reports, "first_year": first, "last_year": last,
                "agreements": [a.to_dict() for a in self.agreements]}


class Atlas:
    """Every partner of a build, from its atlas entries (one per report)."""

    def __init__(self, entries: list[dict]):
        self.partners: dict[str, PartnerSummary] = {}
        stated: dict[tuple, list[AgreementEntry]] = defaultdict(list)
        for entry in entries:
            city = entry.get("city") or (CENTRAL if entry.get("level") == "中央" else UNKNOWN_CITY)
            for name, (country, kind) in entry["partners"].items():
                known = self.partners.setdefault(name, PartnerSummary(name, country, kind))
                if not known.country and country:  # a report that names its country says it
                    known.country = country
            for passage_id, names in entry["passages"]:
                mention = Mention(entry["doc_id"], passage_id, entry["title"], city, entry.get("date"))
                for name in names:
                    self.partners[name].mentions.append(mention)
                    self.partners[name].cities[city] += 1
            for a in entry["agreements"]:
                for name in a["partners"]:
                    stated[(city, name, a["kind"], a["state"])].append(AgreementEntry(
                        city, name, a["kind"], a["state"], a["date"], a["sentence"], entry["doc_id"],
                        a["passage_id"]))
        for (_city, name, _kind, _state), said in stated.items():
            self.partners[name].agreements.extend(_distinct(said))
        for partner in self.partners.values():
            partner.mentions.sort(key=lambda m: (m.date or "", m.doc_id), reverse=True)
            partner.agreements.sort(key=lambda a: (a.date or "9999", a.city, a.kind))

    def summaries(self, sort: str = "passages", country: str | None = None) -> list[PartnerSummary]:
        """Every partner (of `country`, when given), most passages first or as `sort` says."""
        rows = [p for p in self.partners.values() if country in (None, p.country)]
        keys = {  # one for each of indexer.query.request.ATLAS_SORTS
            "passages": lambda p: (-p.passages, p.name),
            "name": lambda p: p.name,
            "country": lambda p: (p.country, -p.passages, p.name),
            "cities": lambda p: (-len(p.cities), -p.passages, p.name),
            "latest": lambda p: (-(int(p.years[1] or 0)), -p.passages, p.name),
        }
        return sorted(rows, key=keys[sort])

    def countries(self) -> list[tuple[str, int]]:
        """(country, partners), most partners first ("" for the partners no report gives one)."""
        return _most(Counter(p.country for p in self.partners.values()))

    def matrix(self, most: int = 30) -> dict:
        """The Taiwanese cities × the `most` partners with the most passages: passages of each pair."""
        partners = self.summaries()[:most]
        cities = _most(Counter(c for p in partners for c in p.cities.elements()))
        return {"cities": [c for c, _n in cities], "partners": [p.name for p in partners],
                "countries": [p.country for p in partners],
                "counts": [[p.cities.get(c, 0) for p in partners] for c, _n in cities],
                "agreed": [[any(a.city == c and a.state != "negotiating" for a in p.agreements) for p in partners]
                           for c, _n in cities]}


def _distinct(said: list[AgreementEntry]) -> list[AgreementEntry]:
    """The agreements of one city, partner, kind and state, each date once: an undated
    statement is dropped when a dated one exists, a date kept at its most precise (2018
    is 2018-04-19 when a passage says so); each keeps the first passage that says it."""
    dates: list[str] = []
    for date in sorted({a.date for a in said if a.date}, key=len, reverse=True):
        if not any(d.startswith(date) for d in dates):
            dates.append(date)
    if not dates:
        return [replace(said[0], also=len(said) - 1)]
    kept = []
    for date in dates:
        group = [a for a in said if a.date and date.startswith(a.date)]
        first = next(a for a in group if a.date == date)
        kept.append(replace(first, also=len(group) - 1))
    return kept


def _most(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class TimelineEntry:
    """A passage about a partner, for its timeline: the report, the passage's heading, a
    window of its text around the partner's name, and the form the text writes it in
    (what a link highlights: 八代 where the passage says 八代港)."""

    mention: Mention
    heading: str
    snippet: Snippet
    written: str

    def to_dict(self) -> dict:
        m = self.mention
        return {"doc_id": m.doc_id, "passage_id": m.passage_id, "title": m.title, "city": m.city,
                "date": m.date, "heading": self.heading, "text": self.snippet.text,
                "marks": [list(span) for span in self.snippet.marks], "written": self.written}


def timeline_entry(mention: Mention, passage: Passage, name: str) -> TimelineEntry:
    """`mention`'s entry: its passage's text around the first place naming `name`."""
    spans = [(m.start, m.end) for m in default_gazetteer().mentions(passage.text) if m.partner.name == name]
    written = passage.text[spans[0][0]:spans[0][1]] if spans else name
    return TimelineEntry(mention, passage.heading, snippet(passage.text, spans, width=120), " ".join(written.split()))
