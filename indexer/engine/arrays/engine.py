"""The arrays engine behind `indexer.engine.protocol`.

Its part of a build is the folder `arrays/`:
- `segments.json`: the segments in order, each the passages one build added
  (`segment.py`); a passage's number is its segment's offset plus its place in it;
- `deleted/<segment>.npy`: the passages of that segment deleted since (replaced
  or removed reports), written anew by every build (segments are hard-linked
  from the build before and never written into);
- `store/`: a whoosh index of the passages' stored fields only, written with
  whoosh's NO_MERGE so that its document numbers are the segments' numbers
  (whoosh numbers deleted documents too until it merges, and it never merges here).

When the segments pile up (one per build) or too many of their passages are
deleted, a build's commit rewrites them and the store as one (`merge.py`).
"""

from __future__ import annotations

import bisect
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.fields import ID, STORED, Schema

from indexer.engine.arrays import merge, parallel
from indexer.engine.arrays.columns import Columns
from indexer.engine.arrays.evaluate import Evaluator, Postings
from indexer.engine.arrays.segment import LATIN, LENGTHS, Segment
from indexer.engine.arrays.stored import StoredColumn
from indexer.engine.counting import FACET_FILTERS, no_counts
from indexer.engine.deadline import Deadline, SearchTimeout
from indexer.engine.protocol import Run
from indexer.index import store
from indexer.index.records import LISTS, PassageRecord
from indexer.models import SearchRequest
from indexer.query.plan import ParsedQuery
from indexer.text.dates import day_number
from indexer.weights import RERANK_DEPTH

FOLDER = "arrays"
# Partial matches scored at most, when more hold some of the query (`_likeliest`).
PARTIAL_SCORED = 2_000
COLUMNS = "columns"  # the build's columns across segments (`columns.py`)
# Bump when what a segment holds or how it is read changes.
ARRAYS_VERSION = "7"  # 4: the level column; 5: bigrams across whitespace in a CJK run; 6: partners; 7: distinct lists
_STORED = ("passage_id", "ordinal", "title", "heading", "text", "date", "prior", "city", "year", "kind",
           "agency", "level", *LISTS.values())


def _store_schema() -> Schema:
    return Schema(doc_id=ID(stored=True), **{name: STORED() for name in _STORED})


class ArraysEngine:
    name = "arrays"
    rerank_depth = RERANK_DEPTH["arrays"]
    ranks_one_term = True  # BM25, prior, heading and density: rank.py's relevance for one term
    mapped = FOLDER + "/"
    shares_after_fork = True  # arrays and stored fields mapped; the store's segments opened per thread

    def settings(self) -> dict:
        return {"arrays_version": ARRAYS_VERSION, "numpy": version("numpy"),
                "whoosh": version("whoosh-reloaded")}

    def writer(self, build: Path, base: Path | None, reports: int) -> ArraysWriter:
        folder = build / FOLDER
        if base is not None:
            store.link_tree(base / FOLDER, folder)
            ix = whoosh_index.open_dir(str(folder / "store"))
        else:
            (folder / "store").mkdir(parents=True)
            ix = whoosh_index.create_in(str(folder / "store"), _store_schema())
        return ArraysWriter(folder, ix)

    def open(self, build: Path) -> ArraysIndex:
        return ArraysIndex(build / FOLDER)


class ArraysWriter:
    """Collects a build's deletions and new passages and writes them, the store and the
    segments side by side (`parallel.py`): a part at a time in the background as they
    come when they are many, the rest at `commit`. Deletions come before additions."""

    def __init__(self, folder: Path, ix):
        self._folder = folder
        self._ix = ix
        self._listing = folder / "segments.json"
        self._segments: list[dict] = store.read_json(self._listing) if self._listing.is_file() else []
        self._records: list[PassageRecord] = []
        self._deleted: set[str] = set()
        self._deletions_written = False
        self._part: tuple[list[dict], parallel.Jobs] | None = None  # a part being written

    def delete(self, doc_id: str) -> None:
        if self._deletions_written:
            raise RuntimeError("a build deletes reports before it adds any")
        self._deleted.add(doc_id)

    def add(self, records: Iterable[PassageRecord]) -> None:
        self._records.extend(records)
        if len(self._records) >= parallel.PART_PASSAGES:
            self._finish_part()
            self._part = self._start_part()

    def commit(self) -> None:
        try:
            self._finish_part()
            self._part = self._start_part()
            self._finish_part()
        finally:
            self._ix.close()
        segments = self._segments
        if merge.due(self._folder, segments):
            segments = merge.compact(self._folder, segments, _store_schema())
        Columns([Segment(self._folder / entry["name"]) for entry in segments]).save(self._folder / COLUMNS)
        store.write_json(self._listing, segments)

    def cancel(self) -> None:
        if self._part is not None:
            self._part[1].stop()
            self._part = None
        self._ix.close()

    def _start_part(self) -> tuple[list[dict], parallel.Jobs]:
        """Start writing the passages collected so far: the store's part and the
        segments'; the first part also writes the deletions."""
        records, self._records = self._records, []
        deleted = set() if self._deletions_written else self._deleted
        if not self._deletions_written:
            deleted_dir = self._folder / "deleted"
            deleted_dir.mkdir(exist_ok=True)
            for entry in self._segments:
                _write_deleted(deleted_dir, entry["name"], self._folder / entry["name"], self._deleted)
            self._deletions_written = True
        entries, jobs = parallel.segment_jobs(records, self._folder, len(self._segments) + 1)
        return entries, parallel.start([lambda: self._write_store(records, deleted), *jobs], len(records))

    def _finish_part(self) -> None:
        """Wait for the part being written; its segments then join the build's."""
        if self._part is not None:
            entries, jobs = self._part
            self._part = None
            written = jobs.wait()[1:]  # the store's count first
            if written != [entry["passages"] for entry in entries]:
                raise RuntimeError(f"segments written with {written} passages, not {entries}")
            self._segments += entries

    def _write_store(self, records: list[PassageRecord], deleted: set[str]) -> int:
        """The store's deletions and new passages, committed without merging (its numbers
        must stay the segments'); cancelled on any error, so that its lock is released."""
        writer = self._ix.writer()
        try:
            for doc_id in sorted(deleted):
                writer.delete_by_term("doc_id", doc_id)
            for r in records:
                writer.add_document(doc_id=r.doc_id, passage_id=r.passage_id, ordinal=r.ordinal, title=r.title,
                                    heading=r.heading, text=r.text, date=r.date, prior=r.prior, city=r.city,
                                    year=r.year, kind=r.kind, agency=r.agency, level=r.level,
                                    **{field: ",".join(getattr(r, field)) for field in LISTS.values()})
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.NO_MERGE)
        return len(records)


def _write_deleted(deleted_dir: Path, name: str, folder: Path, doc_ids: set[str]) -> None:
    """The segment's deleted passages: those deleted before, and the passages of `doc_ids`.
    Written through a new file: the old one is a hard link into the build being served."""
    if not doc_ids:
        return
    path = deleted_dir / f"{name}.npy"
    before = merge.deleted(deleted_dir.parent, name)
    segment = Segment(folder)
    codes = [i for i, d in enumerate(segment.values["doc"]) if d in doc_ids]
    now = np.flatnonzero(np.isin(segment.columns["doc"], codes)).astype(np.uint32)
    merged = np.union1d(before, now).astype(np.uint32)
    if len(merged) == len(before):
        return
    tmp = path.with_name(f".{name}.{os.getpid()}.tmp.npy")
    np.save(tmp, merged, allow_pickle=False)
    os.replace(tmp, path)


class ArraysIndex:
    def __init__(self, folder: Path):
        listing = store.read_json(folder / "segments.json")
        self.segments = [Segment(folder / entry["name"]) for entry in listing]
        for entry, segment in zip(listing, self.segments, strict=True):
            if segment.passages != entry["passages"]:
                raise ValueError(f"segment {entry['name']} holds {segment.passages} passages, "
                                 f"not {entry['passages']}")
        self.columns = Columns.load(folder / COLUMNS, self.segments)
        live = np.ones(sum(s.passages for s in self.segments), dtype=bool)
        offset = 0
        for entry, segment in zip(listing, self.segments, strict=True):
            live[offset + merge.deleted(folder, entry["name"]).astype(np.int64)] = False
            offset += segment.passages
        self.postings = Postings(self.segments, live, self.columns.codes["doc"], self.columns.tables["doc"],
                                 {field: self.columns.codes[name] for field, name in LENGTHS.items()},
                                 self.columns.prior, self.columns.codes["chars"])
        self._store = whoosh_index.open_dir(str(folder / "store"))
        if self._store.doc_count_all() != len(live):
            raise ValueError(f"the store holds {self._store.doc_count_all()} passages, the arrays {len(live)}")
        if self._store.doc_count() != int(live.sum()):
            raise ValueError(f"the store holds {self._store.doc_count()} passages not deleted, "
                             f"the arrays {int(live.sum())}")
        self._filters: dict[tuple, dict[str, np.ndarray]] = {}
        self._lock = threading.Lock()

    def searcher(self) -> ArraysSearcher:
        return ArraysSearcher(self, self._store.searcher())

    def words(self) -> Iterator[str]:
        """The Latin and digit words of every segment's text (the engine keeps no jieba
        words; suggestions find CJK spellings in the passages themselves)."""
        for segment in self.segments:
            with open(segment.folder / LATIN, encoding="utf-8") as lines:
                for line in lines:
                    if word := line.rstrip("\n"):
                        yield word

    def warm(self) -> None:
        """Nothing to read ahead: the columns are read when the index opens, and the
        postings are mapped (the page cache, shared by the workers, warms them)."""

    def report_first_years(self) -> np.ndarray | None:
        """Each report's first year (`Columns.report_first_years`), for the year facet."""
        return self.columns.report_first_years

    def filters(self, request: SearchRequest) -> dict[str, np.ndarray]:
        """{facet: mask of the passages its filter keeps}, for the filters the request sets."""
        key = (request.city, request.kind, request.agency, request.level, request.country, request.partner,
               request.date_from, request.date_to)
        with self._lock:
            cached = self._filters.get(key)
        if cached is not None:
            return cached
        cols = self.columns
        masks: dict[str, np.ndarray] = {}
        for facet in ("city", "kind", "agency", "level"):
            values = getattr(request, facet)
            if values:
                masks[facet] = np.isin(cols.codes[facet], [cols.code(facet, v) for v in values])
        for facet in LISTS:
            if values := getattr(request, facet):
                mask = np.zeros(len(self.postings.live), dtype=bool)
                for value in values:
                    mask[cols.lists[facet].passages(cols.code(facet, value))] = True
                masks[facet] = mask
        day_from, day_to = day_number(request.date_from), day_number(request.date_to)
        if day_from or day_to:
            end = cols.codes["span_end"]
            mask = end > 0
            if day_to is not None:
                mask &= cols.codes["span_start"] <= day_to
            if day_from is not None:
                mask &= end >= day_from
            masks["year"] = mask
        with self._lock:
            # a mask is a byte per passage: keep about 32 MB of them (16 requests of 5 filters at 400k)
            if len(self._filters) >= max(4, 32_000_000 // (5 * max(1, len(self.postings.live)))):
                self._filters.clear()
            self._filters[key] = masks
        return masks


class ArraysSearcher:
    def __init__(self, index: ArraysIndex, store_searcher):
        self._index = index
        self._store = store_searcher
        # Each store segment's stored fields, read from the mapped files (stored.py):
        # whoosh's own reader copies the column into every process and costs 27 µs a
        # passage against 12 (a search reads 30); tests compare the two readings.
        leaves = store_searcher.reader().leaf_readers()
        self._stored_starts = [offset for _reader, offset in leaves]
        self._stored_columns = [StoredColumn(reader) for reader, _offset in leaves]

    def size(self, plan: ParsedQuery, request: SearchRequest) -> int:
        """Gram runs the plan reads: every spelling and other name of every term, and a
        long term's words."""
        return sum(sum(len(runs) for runs in unit.forms) + sum(len(r) for _a, r, _d in unit.alias_forms)
                   + sum(len(runs) for runs in unit.parts) for unit in plan.units.values())

    def cost(self, plan: ParsedQuery, request: SearchRequest) -> int:
        grams = {g for unit in plan.units.values()
                 for runs in (*unit.forms, *(r for _a, r, _d in unit.alias_forms), *unit.parts)
                 for run in runs for g in run}
        return sum(self._index.postings.frequency(g) for g in grams)

    def _counts(self, match: np.ndarray, masks: dict[str, np.ndarray], date_from: str | None
                ) -> tuple[np.ndarray, dict[str, Counter]]:
        """(the matches that pass every filter, {facet: counts under every filter but its own;
        the year's under all of them, each passage in `counting.passage_year`}).
        Facets whose filters are the same (all of them, without any filter) share one selection."""
        cols = self._index.columns
        chosen: dict[frozenset, np.ndarray] = {}

        def selected(names: frozenset) -> np.ndarray:
            if names not in chosen:
                kept = match
                for name in names:
                    kept = kept & masks[name]
                chosen[names] = np.flatnonzero(kept)
            return chosen[names]

        per_report: dict[frozenset, np.ndarray] = {}

        def reports(names: frozenset) -> np.ndarray:
            """How many of the selected matches each report holds."""
            if names not in per_report:
                per_report[names] = np.bincount(cols.codes["doc"][selected(names)], minlength=len(cols.tables["doc"]))
            return per_report[names]

        counts: dict[str, Counter] = {}
        for facet in FACET_FILTERS:
            if facet == "year":
                every = frozenset(masks)
                counts[facet] = self._years(selected(every), lambda every=every: reports(every), date_from)
                continue
            names = frozenset(masks) - {facet}
            size = len(cols.tables[facet])
            if facet in cols.by_report:
                tally = np.bincount(cols.by_report[facet], weights=reports(names), minlength=size)
            elif facet in LISTS and cols.lists[facet].report_code is not None:
                lists = cols.lists[facet]
                weights = np.repeat(reports(names), lists.report_count)
                tally = np.bincount(lists.report_code, weights=weights, minlength=size)
            elif facet in LISTS:
                tally = cols.lists[facet].counts(selected(names), size)
            else:
                tally = np.bincount(cols.codes[facet][selected(names)], minlength=size)
            held = np.flatnonzero(tally)
            found = Counter(dict(zip(cols.names[facet][held].tolist(), tally[held].astype(np.int64).tolist(),
                                     strict=True)))
            found.pop("", None)  # no value
            counts[facet] = found
        return selected(frozenset(masks)), counts

    def _years(self, docs: np.ndarray, per_report, date_from: str | None) -> Counter:
        """How many of `docs` count in each year (`counting.passage_year`, vectorised): from
        the matches per report (`per_report()`) when a report's passages share its time, as
        they do, else passage by passage."""
        first_years = self._index.report_first_years()
        if first_years is not None:
            years, weights = first_years, per_report()
        else:
            codes = self._index.columns.codes
            years, weights = np.where(codes["span_end"][docs] > 0, codes["span_start"][docs] // 10000, 0), None
        if date_from:
            years = np.where(years > 0, np.maximum(years, int(date_from[:4])), 0)
        tally = np.bincount(years, weights=weights) if len(years) else np.zeros(0, np.int64)
        tally[:1] = 0  # undated
        held = np.flatnonzero(tally)
        return Counter(dict(zip(map(str, held.tolist()), tally[held].astype(np.int64).tolist(), strict=True)))

    def run(self, plan: ParsedQuery | None, request: SearchRequest, limit: int,
            deadline: Deadline | None = None) -> Run:
        """Out of time while matching: nothing found (`complete` False); out of time while
        ranking: every match counted, the first `limit` in date order instead."""
        masks = self._index.filters(request)
        if plan is None:
            evaluator, match = None, self._index.postings.live
        else:
            evaluator = Evaluator(self._index.postings, plan, deadline)
            try:
                match = evaluator.full()
            except SearchTimeout:
                return Run([], 0, no_counts(), complete=False)
        docs, counts = self._counts(match, masks, request.date_from)
        if evaluator is not None and request.sort == "relevance":
            try:
                return Run(_best(*evaluator.relevance(docs), docs, limit), len(docs), counts)
            except SearchTimeout:
                dated = self._date_order(docs, newest=True)[:limit]
                return Run([(0.0, int(d)) for d in dated], len(docs), counts, complete=False)
        dated = self._date_order(docs, request.sort != "oldest")[:limit]
        return Run([(0.0, int(d)) for d in dated], len(docs), counts)

    def partial(self, plan: ParsedQuery, request: SearchRequest, limit: int,
                deadline: Deadline | None = None) -> Run:
        if not plan.has_partials:
            return Run([], 0, no_counts())
        try:
            evaluator = Evaluator(self._index.postings, plan, deadline)
            some, held, pieces = evaluator.partial(evaluator.full())
            for mask in self._index.filters(request).values():
                some &= mask
            docs = np.flatnonzero(some)
            scored = _likeliest(docs, pieces, self._index.columns.prior, max(limit, PARTIAL_SCORED))
            return Run(_best(*evaluator.relevance(scored, held), scored, limit), len(docs), no_counts())
        except SearchTimeout:
            return Run([], 0, no_counts(), complete=False)

    def count(self, plan: ParsedQuery, request: SearchRequest, deadline: Deadline | None = None) -> int:
        try:
            match = Evaluator(self._index.postings, plan, deadline).full()
        except SearchTimeout:
            return 0
        for mask in self._index.filters(request).values():
            match = match & mask
        return int(match.sum())

    def _date_order(self, docs: np.ndarray, newest: bool) -> np.ndarray:
        """Passages by their reports' dates (newest or oldest first), each report's in
        reading order, undated reports last."""
        codes = self._index.columns.codes
        end = codes["span_end"][docs].astype(np.int64)
        order = np.lexsort((codes["ordinal"][docs], codes["doc"][docs], -end if newest else end, end == 0))
        return docs[order]

    def stored(self, number: int) -> dict:
        at = bisect.bisect_right(self._stored_starts, number) - 1
        return self._stored_columns[at][number - self._stored_starts[at]]

    def close(self) -> None:
        self._store.close()


def _likeliest(docs: np.ndarray, pieces: np.ndarray, prior: np.ndarray, count: int) -> np.ndarray:
    """The `count` of `docs` (ascending) most likely to rank first among partial matches:
    most of the query's pieces held, then most prose; all of them when they are fewer.
    Scoring every partial match cost a search up to 10 ms at 200k passages (a phrase
    with one full match and 62,000 passages holding one of its words)."""
    if len(docs) <= count:
        return docs
    key = pieces[docs].astype(np.float32) + np.asarray(prior, dtype=np.float32)[docs] / 2
    return np.sort(docs[np.argpartition(-key, count - 1)[:count]])


def _best(order: np.ndarray, scores: np.ndarray, docs: np.ndarray, limit: int) -> list[tuple[float, int]]:
    """(score, passage) of the best `limit` by `order`, best first, ties by passage number."""
    if len(docs) > limit:
        top = np.argpartition(-order, limit - 1)[:limit] if limit else np.zeros(0, np.int64)
        # the limit-th value may be shared beyond the cut: take every tie, then cut in order
        threshold = order[top].min() if len(top) else np.inf
        top = np.flatnonzero(order >= threshold)
    else:
        top = np.arange(len(docs))
    ranked = top[np.lexsort((docs[top], -order[top]))][:limit]
    return [(float(scores[i]), int(docs[i])) for i in ranked]
