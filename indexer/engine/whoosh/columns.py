"""Each passage's facet and filter values, read from whoosh's column stores once per opened index."""

from __future__ import annotations

from indexer.index.records import LISTS

_COLUMNS = ("city", "year", "kind", "agency", "level", *LISTS.values(), "span_start", "span_end", "doc_id", "ordinal")


class FacetColumns:
    """Each document's facet values, as lists indexed by document number."""

    def __init__(self, reader):
        self.values: dict[str, list] = {}
        for field in _COLUMNS:
            column = reader.column_reader(field)
            intern: dict = {}  # the same few cities and agencies, stored once
            self.values[field] = [intern.setdefault(v, v) for v in column]
        for field in LISTS.values():
            self.values[field] = [tuple(c for c in v.split(",") if c) for v in self.values[field]]
