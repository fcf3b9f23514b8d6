"""Search a built index: the one entry point the CLI and the web layer use.

>>> searcher = Searcher("var/index")                     # doctest: +SKIP
>>> result = searcher.search(parse_search_request({"q": "八代"}))  # doctest: +SKIP
>>> result.to_dict()["hits"][0]["url"]                    # doctest: +SKIP
'/reports/keelung-2022-yatsushiro-visit#p-…'
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.engine.whoosh import matching
from indexer.engine.whoosh.bounded import BoundedSearcher, clause_count, postings_cost
from indexer.engine.whoosh.columns import FacetColumns
from indexer.engine.whoosh.scoring import BM25F
from indexer.engine.whoosh.translate import optional_query, to_whoosh
from indexer.errors import IndexDamaged, IndexNotFound, ReportNotFound
from indexer.index import store
from indexer.models import FacetValue, Hit, Report, SearchRequest, SearchResult
from indexer.query.aliases import AliasTable
from indexer.query.plan import ParsedQuery, parse_query
from indexer.query.request import query_string
from indexer.search import facets
from indexer.search.budget import GATED_POSTINGS, Deadline, LongGate, SearchTimeout, check_size
from indexer.search.rank import Candidate, rerank
from indexer.search.spans import mark, match_spans, snippet
from indexer.search.suggest import Lexicon, suggestions

# Whoosh's best this many are reordered by ranking.rerank; pages beyond keep whoosh's order.
RERANK_DEPTH = 200


class Searcher:
    """Answers searches from the build currently served in `index_dir`.

    Reopens the index when a new build is published (`refresh`); whoosh
    searchers are not shared between threads, so each thread gets its own.
    `time_limit`: seconds a search may run before it answers with what it has
    (None: no limit); with a limit, long searches also take turns (budget.py).
    """

    def __init__(self, index_dir: str | Path, time_limit: float | None = None):
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self._gate = LongGate()
        self._local = threading.local()
        self._lock = threading.RLock()
        self._columns: dict = {}  # opened whoosh index → its FacetColumns
        self._open_searchers: set = set()  # every thread's whoosh searcher, to close them all
        self._open(store.current_build(self.index_dir))

    def _open(self, build: Path) -> None:
        """Open `build`; IndexDamaged (saying how to repair it) if its files are not
        those its manifest lists, or cannot be read."""
        try:
            manifest: dict = store.read_json(build / "manifest.json")
            store.check(build, manifest)
            index = whoosh_index.open_dir(str(build / "whoosh"))
            catalog: list[dict] = store.read_json(build / "catalog.json")
        except IndexDamaged:
            raise
        except Exception as exc:  # whoosh raises several kinds for a damaged index
            raise IndexDamaged(f"the index in {self.index_dir} cannot be opened ({type(exc).__name__}: "
                               f"{exc}); repair it with: jiaoliu index --index {self.index_dir}") from exc
        self.build = build
        self.index = index
        self.catalog = catalog
        self._by_id = {entry["doc_id"]: entry for entry in self.catalog}
        self.manifest = manifest
        alias_file = build / "aliases.json"
        self.aliases = AliasTable(store.read_json(alias_file) if alias_file.is_file() else [])
        self.lexicon = Lexicon(index)

    def warm(self) -> None:
        """Read what the first search would (the facet columns: about a second at 200k
        passages), so that a server's first answers are as quick as the rest."""
        self._facet_columns(self._whoosh())

    def refresh(self) -> bool:
        """Switch to a newer build if one was published; True if it did."""
        try:
            build = store.current_build(self.index_dir)
        except IndexNotFound:
            return False  # keep serving what is open
        if build == self.build:
            return False
        with self._lock:
            if build != self.build:
                try:
                    self._open(build)
                except IndexDamaged:
                    return False  # keep serving what is open; `jiaoliu index` repairs the new one
        return True

    def _whoosh(self):
        cached = getattr(self._local, "searcher", None)
        if cached is None or cached[0] is not self.index:
            with self._lock:
                if cached is not None:
                    cached[1].close()
                    self._open_searchers.discard(cached[1])
                searcher = BoundedSearcher(self.index.reader(), fromindex=self.index, weighting=BM25F())
                cached = (self.index, searcher)
                self._open_searchers.add(cached[1])
            self._local.searcher = cached
        return cached[1]

    def close(self) -> None:
        """Close every thread's whoosh searcher (their open segment files)."""
        with self._lock:
            for searcher in self._open_searchers:
                searcher.close()
            self._open_searchers.clear()
        self._local = threading.local()

    def __del__(self):
        # Segment files are plain open files: close them with the Searcher,
        # whichever threads opened them.
        if getattr(self, "_open_searchers", None):
            # At interpreter exit the modules close() uses may be gone already
            # (contextlib among them, hence no contextlib.suppress).
            try:  # noqa: SIM105
                self.close()
            except Exception:
                pass

    # -- searching ---------------------------------------------------------

    def _raise_if_damaged(self, exc: Exception) -> None:
        """IndexDamaged from `exc` if the files being served have changed on disk
        (a segment truncated or removed under a running server)."""
        problem = store.damage(self.build, self.manifest)
        if problem:
            raise IndexDamaged(f"the index in {self.index_dir} is damaged ({problem}); "
                               f"repair it with: jiaoliu index --index {self.index_dir}") from exc

    def parse(self, query: str) -> ParsedQuery:
        return parse_query(query, self.aliases)

    def search(self, request: SearchRequest) -> SearchResult:
        """The request's page of hits, exact total and facets; BadRequest for a
        query too large to run. A search stopped by the time limit is `complete=False`."""
        parsed = self.parse(request.query)
        searcher = self._whoosh()
        notices = (parsed.notice,) if parsed.notice else ()
        if request.query and parsed.empty:
            _total, facet_values = self._count(searcher, wq.NullQuery, request)
            return SearchResult(request, 0, (), facet_values, notices)
        if parsed.empty:
            return self._by_date(searcher, request, wq.Every(), self.parse(""))
        if request.sort != "relevance":
            # In date order there are no tiers to keep apart: only passages with every term.
            required, optional = to_whoosh(parsed, strict=True), None
        else:
            required, optional = to_whoosh(parsed, boosts=False), optional_query(parsed)
        check_size(len(parsed.units), clause_count(required) + (clause_count(optional) if optional else 0))
        deadline = None
        if self.time_limit:
            gated = postings_cost(searcher.reader(), required) > GATED_POSTINGS
            deadline = Deadline(self.time_limit, self._gate if gated else None)
        searcher.deadline = deadline
        try:
            if request.sort != "relevance":
                result = self._by_date(searcher, request, required, parsed, notices)
            else:
                result = self._ranked(searcher, request, parsed, required, optional, notices)
        except Exception as exc:
            self._raise_if_damaged(exc)
            raise
        finally:
            searcher.deadline = None
            if deadline is not None:
                deadline.close()
        if not result.complete:
            result = replace(result, notices=(*result.notices, _incomplete_notice(self.time_limit, result.total)))
        return result

    def _ranked(self, searcher, request: SearchRequest, parsed: ParsedQuery, required: wq.Query,
                optional: wq.Query | None, notices: tuple[str, ...]) -> SearchResult:
        wanted = request.page * request.per_page
        columns = self._facet_columns(searcher)
        found = matching.run(searcher, required, optional,
                             facets.passes_filters(columns, request), max(RERANK_DEPTH, wanted))
        start = (request.page - 1) * request.per_page
        if start < RERANK_DEPTH:
            ranked = rerank([Candidate(searcher.stored_fields(d), s) for s, d in found.best[:RERANK_DEPTH]], parsed)
            ranked += [Candidate(searcher.stored_fields(d), s) for s, d in found.best[RERANK_DEPTH:wanted]]
            ranked = ranked[start:wanted]
        else:  # a page past the reranked head: only its own passages are read
            ranked = [Candidate(searcher.stored_fields(d), s) for s, d in found.best[start:wanted]]
        hits = tuple(self._hit(c.fields, c.final or c.score, parsed) for c in ranked)
        total, counts = facets.count(found.docnums, columns, request)
        hints = ()
        if total == 0 and found.complete:
            hints = suggestions(request, parsed, self.lexicon, lambda r: self._total(searcher, r))
        return SearchResult(request, total, hits, self._facet_values(counts, request), notices, hints,
                            complete=found.complete)

    def export(self, request: SearchRequest, limit: int = 1000) -> list[Hit]:
        """The first `limit` hits of a search in its order, from one run of it (for CSV)."""
        return list(self.search(replace(request, page=1, per_page=limit)).hits)

    def _total(self, searcher, request: SearchRequest) -> int:
        """How many passages another request would find (for suggestions)."""
        parsed = self.parse(request.query)
        if parsed.empty:
            return 0
        return self._count(searcher, to_whoosh(parsed, boosts=False), request)[0]

    def _count(self, searcher, q: wq.Query, request: SearchRequest
               ) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
        """The total and the facets, from one run of `q` (see facets.py); as far
        as the deadline lets it run."""
        docnums = _docs(searcher, q)[0] if q is not wq.NullQuery else ()
        total, counts = facets.count(docnums, self._facet_columns(searcher), request)
        return total, self._facet_values(counts, request)

    def _facet_columns(self, searcher) -> FacetColumns:
        """Every document's facet values, read once per opened index: the index of
        this thread's whoosh searcher, which may be the previous one just after a
        refresh."""
        index = self._local.searcher[0]
        with self._lock:
            columns = self._columns.get(index)
            if columns is None:
                columns = FacetColumns(searcher.reader())
                # Keep the values of the index being served and of the one before it.
                self._columns = {i: c for i, c in self._columns.items() if i is self.index}
                self._columns[index] = columns
        return columns

    def _by_date(self, searcher, request: SearchRequest, q: wq.Query, parsed: ParsedQuery,
                 notices: tuple[str, ...] = ()) -> SearchResult:
        """Passages matching `q` and the filters, in reading order of reports by date:
        newest first unless the request asks for oldest. Ordered from the facet
        columns: whoosh's sorting reads a key per matching document, far slower."""
        kept: list[int] = []
        docnums, complete = _docs(searcher, q)
        total, counts = facets.count(docnums, self._facet_columns(searcher), request, kept)
        ordered = facets.date_order(kept, self._facet_columns(searcher), newest=request.sort != "oldest")
        start = (request.page - 1) * request.per_page
        page = ordered[start : start + request.per_page]
        hits = tuple(self._hit(searcher.stored_fields(doc), 0.0, parsed) for doc in page)
        return SearchResult(request, total, hits, self._facet_values(counts, request), notices,
                            complete=complete)

    def _hit(self, fields: dict, score: float, parsed: ParsedQuery) -> Hit:
        text = fields["text"]
        return Hit(
            doc_id=fields["doc_id"],
            passage_id=fields["passage_id"],
            title=fields["title"],
            city=fields.get("city") or None,
            date=fields.get("date"),
            heading=fields["heading"],
            text=text,
            snippet=snippet(text, match_spans(text, parsed, fields["doc_id"])),
            score=score,
        )

    def _facet_values(self, counts, request: SearchRequest) -> dict[str, tuple[FacetValue, ...]]:
        """Facet counts as values ready to render, each with the link that toggles it."""
        def values(name: str, chosen: str | None) -> tuple[FacetValue, ...]:
            found = dict(counts[name])
            if chosen and chosen not in found:
                found[chosen] = 0  # keep a chosen value visible, so it can be unchosen
            return tuple(
                FacetValue(value, n, value == chosen,
                           query_string(request, page=None, **{name: None if value == chosen else value}))
                for value, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
            )

        years = []
        for year, n in sorted(counts["year"].items(), reverse=True):
            selected = request.date_from == f"{year}-01-01" and request.date_to == f"{year}-12-31"
            change = {"from": None, "to": None} if selected else {"from": year, "to": year}
            years.append(FacetValue(year, n, selected, query_string(request, page=None, **change)))
        return {
            "city": values("city", request.city),
            "year": tuple(years),
            "kind": values("kind", request.kind),
            "agency": values("agency", request.agency),
            "country": values("country", request.country),
        }

    # -- reports -----------------------------------------------------------

    def reports(self) -> list[dict]:
        """Every report: doc_id, title, city, date, kind; newest first."""
        rows = [{k: e[k] for k in ("doc_id", "title", "city", "date", "kind")} for e in self.catalog]
        return sorted(rows, key=lambda r: (r["date"] or "", r["doc_id"]), reverse=True)

    def collection(self, latest: int = 5) -> dict:
        """What the index holds, for the empty search page: counts of reports
        and passages, reports per city and per year (most first / newest
        first), and the latest reports."""
        reports = self.reports()
        by_city = Counter(r["city"] or "不明" for r in reports)
        by_year = Counter((r["date"] or "")[:4] or "不明" for r in reports)
        return {
            "reports": len(reports),
            "passages": self.manifest["passages"],
            "by_city": [{"value": k, "count": n} for k, n in sorted(by_city.items(), key=lambda kv: (-kv[1], kv[0]))],
            "by_year": [{"value": k, "count": n} for k, n in sorted(by_year.items(), reverse=True)],
            "latest": reports[:latest],
        }

    def report(self, doc_id: str) -> Report:
        """The report with that id (metadata and passages); ReportNotFound otherwise."""
        if doc_id not in self._by_id:
            raise ReportNotFound(f"no report with id {doc_id!r}; see /api/reports for the list")
        return store.read_report(self.build, doc_id)

    def mark(self, text: str, query: str, doc_id: str | None = None) -> str:
        """Escaped HTML of `text` with the query's matches in <mark>."""
        return mark(text, match_spans(text, self.parse(query), doc_id))


def _docs(searcher, q: wq.Query) -> tuple[list[int], bool]:
    """The documents matching `q`, and False if the deadline stopped the run before the end."""
    docnums: list[int] = []
    try:
        docnums.extend(searcher.docs_for_query(q))
    except SearchTimeout:
        return docnums, False
    return docnums, True


def _incomplete_notice(seconds: float | None, found: int) -> str:
    return (f"搜尋超過 {seconds:g} 秒，只列出至目前找到的結果（至少 {found} 筆）。"
            f"The search stopped after {seconds:g} s: these are the matches found so far "
            f"(at least {found}); narrow the query for complete results.")
