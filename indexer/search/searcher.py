"""Search a built index: the one entry point the CLI and the web layer use.

>>> searcher = Searcher("var/index")                     # doctest: +SKIP
>>> result = searcher.search(parse_search_request({"q": "八代"}))  # doctest: +SKIP
>>> result.to_dict()["hits"][0]["url"]                    # doctest: +SKIP
'/reports/keelung-2022-yatsushiro-visit#p-…'

The Searcher owns a build (its store files: catalog, reports, aliases) and the
engine's index of it, and talks to the engine through `indexer.engine.protocol`
only: the engine runs the plan (best N, exact total, facet counts, date
order); the Searcher reranks the best of them, makes the hits and the facet
values, and suggests other spellings when nothing is found.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from indexer.engine import get_engine
from indexer.engine.counting import no_counts
from indexer.engine.deadline import GATED_POSTINGS, Deadline, LongGate
from indexer.engine.protocol import EngineIndex, EngineSearcher, Run
from indexer.errors import IndexDamaged, IndexNotFound, PartnerNotFound, ReportNotFound
from indexer.index import store
from indexer.index.atlas import ATLAS
from indexer.models import Hit, Report, SearchRequest, SearchResult, plain_text
from indexer.query import syntax
from indexer.query.aliases import AliasTable
from indexer.query.limits import check_size
from indexer.query.plan import ParsedQuery, parse_query
from indexer.search.atlas import Atlas, PartnerSummary, timeline_entry
from indexer.search.copies import Copies
from indexer.search.facets import facet_values
from indexer.search.rank import Candidate, rerank
from indexer.search.spans import TextMatcher, match_spans, snippet
from indexer.search.suggest import Lexicon, Probe, suggestions
from indexer.text.words import get_tokenizer
from indexer.weights import MATCH_ALIAS

# How often a search checks the sizes of the files the engine memory-maps (_check_mapped).
MAPPED_CHECK_SECONDS = 0.5
# Hits an export makes at a time (a search's page, the API's largest).
EXPORT_PAGE = 100


FOLD_DEPTH = 2000  # ranks before a page whose copies it leaves out (Searcher._folded)

class Searcher:
    """Answers searches from the build currently served in `index_dir`.

    Reopens the index when a new build is published (`refresh`); engine
    searchers are not shared between threads, so each thread gets its own.
    `engine`: the engine the build must have been made for (None: whichever it
    was, so a server keeps serving its build until `jiaoliu index` rebuilds it
    for another JIAOLIU_ENGINE).
    `time_limit`: seconds a search may run before it answers with what it has
    (None: no limit); with a limit, long searches also take turns for the
    `gate`'s slot (`indexer.engine.deadline`; by default one per Searcher).
    """

    def __init__(self, index_dir: str | Path, time_limit: float | None = None, engine: str | None = None,
                 gate: LongGate | None = None):
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self._engine_name = engine
        self._gate = gate or LongGate()
        self._local = threading.local()
        self._lock = threading.RLock()
        self._open_searchers: set = set()  # every thread's engine searcher, to close them all
        self._open(store.current_build(self.index_dir))

    def _open(self, build: Path) -> None:
        """Open `build`; IndexDamaged (saying how to repair it) if its files are not
        those its manifest lists, or cannot be read."""
        try:
            manifest: dict = store.read_json(build / "manifest.json")
            store.check(build, manifest)
            built_for = manifest.get("settings", {}).get("engine", "whoosh")
            if self._engine_name not in (None, built_for):
                raise IndexDamaged(f"the index in {self.index_dir} was built for the {built_for} engine, not "
                                   f"{self._engine_name}; rebuild it with: JIAOLIU_ENGINE={self._engine_name} "
                                   f"jiaoliu index --index {self.index_dir}")
            engine = get_engine(built_for)
            index = engine.open(build)
            catalog: list[dict] = store.read_json(build / "catalog.json")
        except IndexDamaged:
            raise
        except Exception as exc:  # an engine raises several kinds for a damaged index
            raise IndexDamaged(f"the index in {self.index_dir} cannot be opened ({type(exc).__name__}: "
                               f"{exc}); repair it with: jiaoliu index --index {self.index_dir}") from exc
        self.build = build
        self.engine = engine
        self._mapped_checked = -math.inf
        # the manifest's part that _check_mapped reads before searches
        self._mapped_files = {"files": {name: size for name, size in manifest.get("files", {}).items()
                                        if engine.mapped and name.startswith(engine.mapped)}}
        self.index: EngineIndex = index
        self.catalog = catalog
        self._by_id = {entry["doc_id"]: entry for entry in self.catalog}
        self.manifest = manifest
        alias_file = build / "aliases.json"
        self.aliases = AliasTable(store.read_json(alias_file) if alias_file.is_file() else [])
        self.lexicon = Lexicon(index.words)
        self._collections: dict[int, dict] = {}  # collection(latest), made once per build
        self._atlas: Atlas | None = None  # atlas(), made once per build
        self._copies: Copies | None = None  # copies(), made once per build

    def warm(self) -> None:
        """Read what the first search would (the facet columns: about a second at 200k
        passages; jieba's dictionary, which long terms and spellings use: about a
        second), so that a server's first answers are as quick as the rest."""
        self.index.warm()
        get_tokenizer()

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

    def _searcher(self) -> EngineSearcher:
        """This thread's engine searcher over the index being served."""
        cached = getattr(self._local, "searcher", None)
        if cached is None or cached[0] is not self.index:
            with self._lock:
                if cached is not None:
                    cached[1].close()
                    self._open_searchers.discard(cached[1])
                cached = (self.index, self.index.searcher())
                self._open_searchers.add(cached[1])
            self._local.searcher = cached
        return cached[1]

    def close(self) -> None:
        """Close every thread's engine searcher (their open files)."""
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

    def parse(self, query: str) -> ParsedQuery:
        return parse_query(query, self.aliases)

    def search(self, request: SearchRequest) -> SearchResult:
        """The request's page of hits, exact total and facets; BadRequest for a
        query too large to run. A search stopped by the time limit is `complete=False`."""
        parsed = self.parse(request.query)
        self._check_mapped()
        engine = self._searcher()
        notices = (parsed.notice,) if parsed.notice else ()
        if request.query and parsed.empty:  # nothing to search for: nothing found
            return SearchResult(request, 0, (), facet_values(no_counts(), request), notices)
        plan = None if parsed.empty else parsed
        deadline = None
        if plan is not None:
            check_size(len(parsed.units), engine.size(plan, request))
            if self.time_limit:
                gated = engine.cost(plan, request) > GATED_POSTINGS
                deadline = Deadline(self.time_limit, self._gate if gated else None)
        wanted = request.page * request.per_page
        try:
            if plan is None or request.sort != "relevance":
                run = engine.run(plan, request, wanted, deadline)
            else:
                run = engine.run(plan, request, max(self._rerank_depth(plan), wanted), deadline)
            result = self._result(engine, request, parsed, run, notices, deadline)
            # On the last page of the full matches, a full one too (page 1 when there are none), or past it.
            if plan is not None and run.complete and run.total <= wanted and plan.has_partials:
                result = self._with_partial(engine, request, plan, result, deadline)
        except Exception as exc:
            self._raise_if_damaged(exc)
            raise
        finally:
            if deadline is not None:
                deadline.close()
        if not run.complete:
            result = replace(result, notices=(*result.notices, _incomplete_notice(self.time_limit, result.total)))
        return result

    def _result(self, engine: EngineSearcher, request: SearchRequest, parsed: ParsedQuery, run: Run,
                notices: tuple[str, ...], deadline: Deadline | None) -> SearchResult:
        start, wanted = (request.page - 1) * request.per_page, request.page * request.per_page
        if parsed.empty or request.sort != "relevance":
            ranked = [Candidate(engine.stored(n), 0.0) for _s, n in run.best[start:wanted]]
        elif start < (depth := self._rerank_depth(parsed)):
            ranked = rerank([Candidate(engine.stored(n), s) for s, n in run.best[:depth]], parsed)
            ranked += [Candidate(engine.stored(n), s) for s, n in run.best[depth:wanted]]
            ranked = ranked[start:wanted]
        else:  # a page past the reranked head: only its own passages are read
            ranked = [Candidate(engine.stored(n), s) for s, n in run.best[start:wanted]]
        if request.fold_copies:
            ranked = self._folded(engine, parsed, run, request, ranked)
        hits = tuple(self._hit(c.fields, c.final or c.score, parsed, c.matcher) for c in ranked)
        if request.fold_copies:
            hits = tuple(replace(h, folded=c.folded) for h, c in zip(hits, ranked, strict=True))
        hints = ()
        if run.total == 0 and run.complete and not parsed.empty:
            def count(changed: SearchRequest) -> int:
                return self._total(engine, changed, deadline)

            hints = suggestions(request, parsed, self.lexicon, count, Probe(engine, count, deadline))
        return SearchResult(request, run.total, hits, facet_values(run.counts, request), notices, hints,
                            complete=run.complete)

    def _rerank_depth(self, parsed: ParsedQuery) -> int:
        """How many of the engine's best the second stage reorders: none for one term as
        written when the engine already ranks by the second stage's relevance for it
        (proximity and the whole query need two terms; tiers, another name)."""
        if self.engine.ranks_one_term and len(parsed.terms) == 1 and not parsed.units[parsed.terms[0]].alias_forms:
            return 0
        return self.engine.rerank_depth

    def _with_partial(self, engine: EngineSearcher, request: SearchRequest, plan: ParsedQuery,
                      result: SearchResult, deadline: Deadline | None) -> SearchResult:
        """`result` with the best passages that match only some of the query (a page of
        them, ranked like hits, each saying what it lacks and what only its heading path
        holds) and how many there are."""
        found = engine.partial(plan, request, max(self.engine.rerank_depth, request.per_page), deadline)
        ranked = rerank([Candidate(engine.stored(n), s) for s, n in found.best], plan)[:request.per_page]
        hits = []
        for cand in ranked:
            matcher, doc_id = cand.matcher or TextMatcher(cand.fields["text"]), cand.fields["doc_id"]
            heading = TextMatcher(cand.fields["heading"])
            lacking = [node for node in plan.conjuncts() if matcher.satisfies(node, plan, doc_id) < MATCH_ALIAS]
            held_above = [node for node in lacking if heading.satisfies(node, plan, doc_id) >= MATCH_ALIAS]
            hit = self._hit(cand.fields, cand.final or cand.score, plan, matcher)
            hits.append(replace(hit, missing=tuple(syntax.to_text(n) for n in lacking if n not in held_above),
                                in_heading=tuple(syntax.to_text(n) for n in held_above)))
        return replace(result, partial=tuple(hits), partial_total=found.total,
                       complete=result.complete and found.complete)

    def _check_mapped(self) -> None:
        """IndexDamaged if a file the engine memory-maps has changed size since the build:
        reading a truncated mapped file kills the process (SIGBUS), which no except
        clause catches. A stat per file (1.5 ms for a 200k-passage build's 60 files, a
        tenth of a search), so at most every MAPPED_CHECK_SECONDS."""
        now = time.monotonic()
        if self.engine.mapped and now >= self._mapped_checked + MAPPED_CHECK_SECONDS:
            self._mapped_checked = now
            problem = store.damage(self.build, self._mapped_files)
            if problem:
                raise self._damaged(problem)

    def _raise_if_damaged(self, exc: Exception) -> None:
        """IndexDamaged from `exc` if the files being served have changed on disk
        (a segment truncated or removed under a running server)."""
        problem = store.damage(self.build, self.manifest)
        if problem:
            raise self._damaged(problem) from exc

    def _damaged(self, problem: str) -> IndexDamaged:
        return IndexDamaged(f"the index in {self.index_dir} is damaged ({problem}); "
                            f"repair it with: jiaoliu index --index {self.index_dir}")

    def export_hits(self, request: SearchRequest, limit: int) -> tuple[int, Iterator[Hit]]:
        """(how many passages the search finds, its first `limit` hits in its order, made a
        page of EXPORT_PAGE at a time as they are read): an export streams them instead of
        holding thousands of hits with their texts."""
        first = self.search(replace(request, page=1, per_page=EXPORT_PAGE))

        def hits() -> Iterator[Hit]:
            wanted = min(limit, first.total)
            result, page, sent = first, 1, 0
            while True:
                yield from result.hits[:wanted - sent]
                sent += min(len(result.hits), wanted - sent)
                if sent >= wanted or not result.hits:
                    return
                page += 1
                result = self.search(replace(request, page=page, per_page=EXPORT_PAGE))

        return first.total, hits()

    def export(self, request: SearchRequest, limit: int = 1000) -> list[Hit]:
        """The first `limit` hits of a search in its order."""
        return list(self.export_hits(request, limit)[1])

    def _total(self, engine: EngineSearcher, request: SearchRequest, deadline: Deadline | None) -> int:
        """How many passages another request would find (for suggestions), within the deadline."""
        parsed = self.parse(request.query)
        if parsed.empty:
            return 0
        return engine.count(parsed, request, deadline)

    def _hit(self, fields: dict, score: float, parsed: ParsedQuery, matcher: TextMatcher | None = None) -> Hit:
        text = fields["text"]
        return Hit(
            doc_id=fields["doc_id"],
            passage_id=fields["passage_id"],
            title=fields["title"],
            city=fields.get("city") or None,
            level=self._by_id.get(fields["doc_id"], {}).get("level"),
            date=fields.get("date"),
            heading=fields["heading"],
            text=plain_text(text),
            snippet=snippet(text, match_spans(text, parsed, fields["doc_id"], matcher)),
            score=score,
            **dict(zip(("copy_count", "copies"), self.copies().others(fields["doc_id"], fields["passage_id"]),
                       strict=True)),
        )

    def _folded(self, engine: EngineSearcher, parsed: ParsedQuery, run: Run, request: SearchRequest,
                page: list[Candidate]) -> list[Candidate]:
        """This page without the passages that are copies of one ranked higher (on this page or
        an earlier one); each kept hit counts the copies folded into it here (`Candidate.folded`)."""
        copies = self.copies()
        start = (request.page - 1) * request.per_page
        cluster = copies.cluster_of.get
        # the clusters of the passages ranked before this page (the order the pages show them in)
        before = set()
        # (the passages of at most FOLD_DEPTH earlier ranks are read: a deep page folds what
        # it holds against those, not against every rank before it)
        for _s, n in run.best[max(0, start - FOLD_DEPTH):start]:
            fields = engine.stored(n)
            before.add(cluster((fields["doc_id"], fields["passage_id"])))
        kept: list[Candidate] = []
        first: dict[int, Candidate] = {}
        for candidate in page:
            c = cluster((candidate.fields["doc_id"], candidate.fields["passage_id"]))
            if c is None:
                kept.append(candidate)
            elif c in before:
                continue  # shown on an earlier page
            elif c in first:
                first[c].folded += 1
            else:
                first[c] = candidate
                kept.append(candidate)
        return kept

    # -- reports -----------------------------------------------------------

    def reports_by_id(self) -> dict[str, dict]:
        """Each report's catalog entry (its metadata) by doc_id."""
        return self._by_id

    def reports(self) -> list[dict]:
        """Every report: doc_id, title, city, level, date, kind; newest first."""
        rows = [{k: e.get(k) for k in ("doc_id", "title", "city", "level", "date", "kind")} for e in self.catalog]
        return sorted(rows, key=lambda r: (r["date"] or "", r["doc_id"]), reverse=True)

    def collection(self, latest: int = 5) -> dict:
        """What the index holds, for the empty search page and the city drop-down: counts
        of reports and passages, reports per city, per year and per kind (most first /
        newest first / most first), and the latest reports. Made once per build (every search page asks)."""
        cached = self._collections.get(latest)
        if cached is None:
            cached = self._collections[latest] = self._collection(latest)
        return cached

    def _collection(self, latest: int) -> dict:
        reports = self.reports()
        by_city = Counter(r["city"] or "不明" for r in reports)
        by_year = Counter((r["date"] or "")[:4] or "不明" for r in reports)
        by_kind = Counter(r["kind"] or "不明" for r in reports)
        return {
            "reports": len(reports),
            "passages": self.manifest["passages"],
            "by_city": [{"value": k, "count": n} for k, n in sorted(by_city.items(), key=lambda kv: (-kv[1], kv[0]))],
            "by_year": [{"value": k, "count": n} for k, n in sorted(by_year.items(), reverse=True)],
            "by_kind": [{"value": k, "count": n} for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))],
            "latest": reports[:latest],
        }

    def atlas(self) -> Atlas:
        """Who deals with whom: the build's partners and agreements (`indexer.search.atlas`),
        summed up on first use (a build made before partners were found has none)."""
        with self._lock:
            if self._atlas is None:
                path = self.build / ATLAS
                self._atlas = Atlas(store.read_json(path) if path.is_file() else [])
            return self._atlas

    def copies(self) -> Copies:
        """Which passages are copies of which (`indexer.search.copies`), read on first use."""
        with self._lock:
            if self._copies is None:
                self._copies = Copies.load(self.build, self._by_id)
            return self._copies

    def partner_timeline(self, name: str, page: int = 1, per_page: int = 20) -> tuple[PartnerSummary, list]:
        """The partner called `name` and a page of its timeline (TimelineEntry, newest first);
        PartnerNotFound if the index holds no passage about it."""
        partner = self.atlas().partners.get(name)
        if partner is None:
            raise PartnerNotFound(f"no partner named {name!r}; see /api/partners for the list")
        mentions = partner.mentions[(page - 1) * per_page : page * per_page]
        reports: dict[str, dict] = {}
        entries = []
        for mention in mentions:
            if mention.doc_id not in reports:
                report = self.report(mention.doc_id)
                reports[mention.doc_id] = {p.passage_id: p for p in report.passages}
            passage = reports[mention.doc_id].get(mention.passage_id)
            if passage is not None:
                entries.append(timeline_entry(mention, passage, name))
        return partner, entries

    def report(self, doc_id: str) -> Report:
        """The report with that id (metadata and passages); ReportNotFound otherwise."""
        if doc_id not in self._by_id:
            raise ReportNotFound(f"no report with id {doc_id!r}; see /api/reports for the list")
        return store.read_report(self.build, doc_id)

    def original(self, doc_id: str) -> tuple[Report, Path]:
        """The report with that id and its file exactly as it was indexed;
        ReportNotFound if there is no such report or this build holds no copy of its file."""
        report = self.report(doc_id)
        return report, store.original_file(self.build, report)

    def matcher(self, query: str, doc_id: str | None = None) -> Callable[[str], list[tuple[int, int]]]:
        """text → where the query matches in it (the same matches the index made),
        merged and sorted; the query is parsed once for all the texts of a page."""
        parsed = self.parse(query)
        return lambda text: match_spans(text, parsed, doc_id)


def _incomplete_notice(seconds: float | None, found: int) -> str:
    return f"搜尋超過 {seconds:g} 秒，只列出至目前找到的結果（至少 {found} 筆）；縮小查詢範圍可得完整結果。"
