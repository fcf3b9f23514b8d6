"""The whoosh engine: the reference implementation of `indexer.engine.protocol`.

Its part of a build is the folder `whoosh/`: one whoosh document per passage
(`schema.py`), written non-compound (whoosh copies a compound file into memory
for every reader: 11.3 GB for a server at 200k passages, docs/PERFORMANCE.md).
A run is one pass of the query over every match (`matching.py`), counted from
the facet columns read once per opened index (`columns.py`,
`indexer.engine.counting`), with every postings matcher ticking the search's
deadline (`bounded.py`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.engine import counting
from indexer.engine.deadline import Deadline, SearchTimeout
from indexer.engine.protocol import Run
from indexer.engine.whoosh import matching
from indexer.engine.whoosh.bounded import BoundedSearcher, clause_count, postings_cost
from indexer.engine.whoosh.columns import FacetColumns
from indexer.engine.whoosh.schema import ANALYSIS_VERSION, make_schema
from indexer.engine.whoosh.scoring import BM25F
from indexer.engine.whoosh.translate import AndNot, optional_query, to_whoosh
from indexer.index import store
from indexer.index.records import LISTS, PassageRecord
from indexer.models import SearchRequest, passage_key
from indexer.query.plan import ParsedQuery
from indexer.weights import RERANK_DEPTH

FOLDER = "whoosh"
# From this many new reports on (≈ 5,000 passages), a build analyses them in several processes.
PARALLEL_FROM = 40
WRITER = {"limitmb": 256, "compound": False}


class WhooshEngine:
    name = "whoosh"
    rerank_depth = RERANK_DEPTH["whoosh"]
    ranks_one_term = False  # whoosh's BM25 alone
    mapped = None  # whoosh reads its files through its own file objects
    shares_after_fork = False

    def settings(self) -> dict:
        """What this engine's part of a build depends on; a change means rebuild."""
        return {"analysis_version": ANALYSIS_VERSION, "whoosh": version("whoosh-reloaded")}

    def writer(self, build: Path, base: Path | None, reports: int) -> WhooshWriter:
        """A writer of `build`'s whoosh folder: `base`'s hard-linked (nothing here ever
        writes into an existing file), or a new index; analysing in several processes
        when `reports` new ones come (docs/PERFORMANCE.md: −29 % at 10k passages;
        below PARALLEL_FROM starting the processes costs more than it saves)."""
        folder = build / FOLDER
        if base is not None:
            store.link_tree(base / FOLDER, folder)
            ix = whoosh_index.open_dir(str(folder))
        else:
            folder.mkdir()
            ix = whoosh_index.create_in(str(folder), make_schema())
        if reports >= PARALLEL_FROM:
            writer = ix.writer(procs=os.cpu_count() or 1, multisegment=True, **WRITER, subargs=WRITER)
        else:
            writer = ix.writer(**WRITER)
        return WhooshWriter(ix, writer)

    def open(self, build: Path) -> WhooshIndex:
        return WhooshIndex(whoosh_index.open_dir(str(build / FOLDER)))


class WhooshWriter:
    def __init__(self, ix, writer):
        self._ix = ix
        self._writer = writer

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("doc_id", doc_id)

    def add(self, records: Iterable[PassageRecord]) -> None:
        for record in records:
            self._writer.add_document(**_document(record))

    def commit(self) -> None:
        self._writer.commit()
        self._ix.close()

    def cancel(self) -> None:
        self._writer.cancel()
        self._ix.close()


def _document(r: PassageRecord) -> dict:
    doc = {
        "key": passage_key(r.doc_id, r.passage_id), "doc_id": r.doc_id, "passage_id": r.passage_id,
        "ordinal": r.ordinal, "title": r.title, "heading": r.heading, "text": r.text, "date": r.date,
        "prior": r.prior, "grams": r.text, "heading_grams": r.heading, "title_grams": r.title,
        "words": r.heading + "\n" + r.text, "city": r.city, "year": r.year, "kind": r.kind,
        "agency": r.agency, "level": r.level,
        **{field: ",".join(getattr(r, field)) for field in LISTS.values()},
    }
    if r.span:
        doc["span_start"], doc["span_end"] = r.span
    return doc


class WhooshIndex:
    """One opened whoosh index; its facet columns are read once, when first needed."""

    def __init__(self, ix):
        self._ix = ix
        self._columns: FacetColumns | None = None
        self._lock = threading.Lock()

    def searcher(self) -> WhooshSearcher:
        return WhooshSearcher(self, BoundedSearcher(self._ix.reader(), fromindex=self._ix, weighting=BM25F()))

    def columns(self, reader) -> FacetColumns:
        with self._lock:
            if self._columns is None:
                self._columns = FacetColumns(reader)
            return self._columns

    def warm(self) -> None:
        with self._ix.reader() as reader:
            self.columns(reader)

    def words(self) -> Iterator[str]:
        with self._ix.reader() as reader:
            for term in reader.lexicon("words"):
                yield term.decode("utf-8") if isinstance(term, bytes) else term


class WhooshSearcher:
    """One thread's searcher over a WhooshIndex."""

    def __init__(self, index: WhooshIndex, searcher: BoundedSearcher):
        self._index = index
        self._searcher = searcher
        self._last: tuple = (None, None, None)  # (plan, ranked, queries): one search asks size, cost, run

    def _queries(self, plan: ParsedQuery, request: SearchRequest) -> tuple[wq.Query, wq.Query | None]:
        """The plan as whoosh queries (what matches, what only adds to the score),
        made once for the plan a search runs."""
        ranked = request.sort == "relevance"
        last_plan, last_ranked, queries = self._last
        if last_plan is plan and last_ranked == ranked:
            return queries
        queries = to_whoosh(plan, strict=True), optional_query(plan) if ranked else None
        self._last = (plan, ranked, queries)
        return queries

    def size(self, plan: ParsedQuery, request: SearchRequest) -> int:
        required, optional = self._queries(plan, request)
        return clause_count(required) + (clause_count(optional) if optional is not None else 0)

    def cost(self, plan: ParsedQuery, request: SearchRequest) -> int:
        return postings_cost(self._searcher.reader(), self._queries(plan, request)[0])

    def run(self, plan: ParsedQuery | None, request: SearchRequest, limit: int,
            deadline: Deadline | None = None) -> Run:
        columns = self._index.columns(self._searcher.reader())
        self._searcher.deadline = deadline
        try:
            if plan is None:
                return self._by_date(wq.Every(), columns, request, limit)
            required, optional = self._queries(plan, request)
            if request.sort != "relevance":
                return self._by_date(required, columns, request, limit)
            return self._ranked(required, optional, columns, request, limit)
        finally:
            self._searcher.deadline = None

    def partial(self, plan: ParsedQuery, request: SearchRequest, limit: int,
                deadline: Deadline | None = None) -> Run:
        """The soft AND of the plan's terms (each matched term adds COORD, so more
        terms rank first) without the passages that match all of it."""
        if not plan.has_partials:
            return Run([], 0, counting.no_counts())
        columns = self._index.columns(self._searcher.reader())
        self._searcher.deadline = deadline
        try:
            some = AndNot(to_whoosh(plan, boosts=False), to_whoosh(plan, strict=True))
            run = self._ranked(some, optional_query(plan), columns, request, limit)
            return Run(run.best, run.total, counting.no_counts(), run.complete)
        finally:
            self._searcher.deadline = None

    def _ranked(self, required: wq.Query, optional: wq.Query | None, columns: FacetColumns,
                request: SearchRequest, limit: int) -> Run:
        found = matching.run(self._searcher, required, optional,
                             counting.passes_filters(columns, request), limit)
        total, counts = counting.count(found.docnums, columns, request)
        return Run(found.best, total, counts, found.complete)

    def _by_date(self, q: wq.Query, columns: FacetColumns, request: SearchRequest, limit: int) -> Run:
        """Passages in reading order of reports by date, ordered from the facet columns
        (whoosh's sorting reads a key per matching document, far slower)."""
        docnums, complete = self._docs(q)
        kept: list[int] = []
        total, counts = counting.count(docnums, columns, request, kept)
        ordered = counting.date_order(kept, columns, newest=request.sort != "oldest")
        return Run([(0.0, d) for d in ordered[:limit]], total, counts, complete)

    def count(self, plan: ParsedQuery, request: SearchRequest, deadline: Deadline | None = None) -> int:
        columns = self._index.columns(self._searcher.reader())
        self._searcher.deadline = deadline
        try:
            docnums, _complete = self._docs(to_whoosh(plan, strict=True))
        finally:
            self._searcher.deadline = None
        return counting.count(docnums, columns, request)[0]

    def _docs(self, q: wq.Query) -> tuple[list[int], bool]:
        """The documents matching `q`, and False if the deadline stopped the run before the end."""
        docnums: list[int] = []
        try:
            docnums.extend(self._searcher.docs_for_query(q))
        except SearchTimeout:
            return docnums, False
        return docnums, True

    def stored(self, number: int) -> dict:
        return self._searcher.stored_fields(number)

    def close(self) -> None:
        self._searcher.close()
