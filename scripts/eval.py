"""Measure jiaoliu on the judged queries, next to two baselines, on the same passages.

    .venv/bin/python scripts/eval.py [--corpus corpus] [--queries tests/eval/queries.yaml]
                                     [--failures [N]] [--json] [--save DIR]

Builds the engine's index of the corpus in a temporary directory, reads every
passage back from it, turns the judged queries into judged paragraphs and the
passages that hold them (indexer.evaluate.judged_places: a hit earns each
judged paragraph once, the best of those it holds) and runs each query through
three systems:

- jiaoliu:  Searcher.search with the query's filters, 10 per page;
- textbook: whoosh in memory, jieba's ChineseAnalyzer on one TEXT field,
            whoosh's default QueryParser, the query as typed;
- grep:     passages containing every space-separated term as typed (quotes
            stripped), most occurrences first, then document order.
The baselines apply the city and date filters afterwards, on report metadata.

Prints nDCG@10, recall@10 and MRR overall and per query kind, and the number
of jiaoliu hits that break a filter (wrong city, or a report whose
[period start … report date] misses the date range).  --failures lists the
worst jiaoliu queries; --json ends the output with one JSON line; --save
writes qrels.json (judged paragraphs), holds.json (the paragraphs each passage
holds) and run-<system>.json.  See docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

from indexer.engine import ENGINES
from indexer.errors import JiaoliuError
from indexer.evaluate import (
    METRICS,
    evaluate,
    judged_places,
    report_span,
    satisfies,
    unmatched_judgments,
)
from indexer.index.build import build_index
from indexer.ingest.corpus import read_corpus
from indexer.models import passage_key
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[1]

SYSTEMS = ("jiaoliu", "textbook", "grep")
K = 10


def load_queries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class Corpus:
    """The passages and report metadata of one built index."""

    def __init__(self, searcher: Searcher, corpus_dir: Path):
        self.passages: list[tuple[str, str, str]] = []  # (key, doc_id, text), in document order
        self.spans: list[tuple[str, str, int, int]] = []  # (key, doc_id, start, end) in the report body
        self.bodies: dict[str, str] = {}
        self.headings: dict[str, str] = {}
        self.city: dict[str, str | None] = {}
        self.span: dict[str, tuple[str, str] | None] = {}
        for row in sorted(searcher.reports(), key=lambda r: r["doc_id"]):
            report = searcher.report(row["doc_id"])
            meta = report.metadata
            self.city[report.doc_id] = meta.city
            self.span[report.doc_id] = report_span(meta.period.start, meta.date, meta.period.end)
            for passage in report.passages:
                key = passage_key(report.doc_id, passage.passage_id)
                self.passages.append((key, report.doc_id, passage.text))
                self.spans.append((key, report.doc_id, passage.start, passage.end))
                self.headings[key] = passage.heading
        # the bodies as read from the files (a build keeps the passages, not the bodies)
        self.bodies = {report.doc_id: report.body for _path, report in read_corpus(corpus_dir)}
        self.text = {key: text for key, _doc, text in self.passages}
        self.doc = {key: doc for key, doc, _text in self.passages}

    def allowed(self, doc_id: str, request) -> bool:
        """Whether a report satisfies the request's city and date filters."""
        return satisfies(self.city.get(doc_id), self.span.get(doc_id), request.city,
                         request.date_from, request.date_to)


def request_for(query: dict):
    return parse_search_request({
        "q": query["query"], "city": query.get("city") or "", "from": str(query.get("from") or ""),
        "to": str(query.get("to") or ""), "per_page": str(K),
    })


def jiaoliu_run(searcher: Searcher, corpus: Corpus, queries: list[dict]):
    run, violations, errors = {}, {}, {}
    for query in queries:
        try:
            request = request_for(query)
            result = searcher.search(request)
            hits = (*result.hits, *result.partial)  # as the page lists them: partial matches follow
        except Exception as exc:  # the engine is being changed: report, never stop the evaluation
            errors[query["id"]] = f"{type(exc).__name__}: {exc}"
            run[query["id"]] = []
            continue
        run[query["id"]] = [passage_key(h.doc_id, h.passage_id) for h in hits]
        bad = [passage_key(h.doc_id, h.passage_id) for h in hits if not corpus.allowed(h.doc_id, request)]
        if bad:
            violations[query["id"]] = bad
    return run, violations, errors


def textbook_run(corpus: Corpus, queries: list[dict]) -> dict[str, list[str]]:
    """The recipe found in tutorials: jieba's ChineseAnalyzer and whoosh defaults."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    jieba.setLogLevel(60)  # silence "Building prefix dict ..." on stderr
    schema = Schema(key=ID(stored=True, unique=True), content=TEXT(analyzer=ChineseAnalyzer()))
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for key, _doc, text in corpus.passages:
        writer.add_document(key=key, content=text)
    writer.commit()
    parser = QueryParser("content", schema)
    run = {}
    with index.searcher() as searcher:
        for query in queries:
            request = request_for(query)
            results = searcher.search(parser.parse(query["query"]), limit=None)
            keys = [hit["key"] for hit in results]
            run[query["id"]] = [k for k in keys if corpus.allowed(corpus.doc[k], request)][:K]
    return run


def grep_run(corpus: Corpus, queries: list[dict]) -> dict[str, list[str]]:
    """Substring match of every term as typed; most occurrences first, then document order."""
    run = {}
    for query in queries:
        request = request_for(query)
        terms = query["query"].replace('"', " ").split()
        scored = []
        for order, (key, doc_id, text) in enumerate(corpus.passages):
            if terms and all(t in text for t in terms) and corpus.allowed(doc_id, request):
                scored.append((-sum(text.count(t) for t in terms), order, key))
        run[query["id"]] = [key for *_rank, key in sorted(scored)][:K]
    return run


def print_table(results: dict[str, dict], violations: dict, errors: dict) -> None:
    width = 9 * len(SYSTEMS)
    print((f"{'':12} {'':>3}  " + "  ".join(f"{m:<{width}}" for m in ("nDCG@10", "recall@10", "MRR"))).rstrip())
    print(f"{'kind':12} {'n':>3}  " + "  ".join("".join(f"{s:>9}" for s in SYSTEMS) for _m in METRICS))

    def row(label: str, pick) -> None:
        cells = ("".join(f"{pick(results[s])[metric]:>9.3f}" for s in SYSTEMS) for metric in METRICS)
        print(f"{label:12} {pick(results['jiaoliu'])['queries']:>3}  " + "  ".join(cells))

    row("overall", lambda r: r["overall"])
    for kind in results["jiaoliu"]["by_kind"]:
        row(kind, lambda r, kind=kind: r["by_kind"][kind])
    hits = sum(len(v) for v in violations.values())
    print(f"\nfilter violations (jiaoliu): {hits} hits in {len(violations)} queries")
    for qid, keys in violations.items():
        print(f"  {qid}: {', '.join(keys)}")
    if errors:
        print(f"jiaoliu errors: {len(errors)} queries")
        for qid, message in errors.items():
            print(f"  {qid}: {message}")


def excerpt(text: str, width: int = 36) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= width else flat[:width] + "…"


def print_failures(queries: list[dict], qrels: dict, holds: dict, run: dict, scores: dict, corpus: Corpus,
                   n: int) -> None:
    judged = [q for q in queries if q["id"] in scores]
    worst = sorted(judged, key=lambda q: (scores[q["id"]]["ndcg@10"], q["id"]))[:n]
    print(f"\nworst {len(worst)} jiaoliu queries (by nDCG@10)")
    for query in worst:
        qid, grades, ranked = query["id"], qrels[query["id"]], run[query["id"]]
        held = holds.get(qid, {})
        filters = " ".join(f"{f}={query[f]}" for f in ("city", "from", "to") if query.get(f))
        s = scores[qid]
        print(f"\n{qid} [{query['kind']}] q={query['query']!r} {filters}".rstrip())
        print(f"  nDCG@10 {s['ndcg@10']:.3f}  recall@10 {s['recall@10']:.3f}  MRR {s['mrr']:.3f}"
              f"  ({len(ranked)} hits, {len(grades)} judged paragraphs)")
        found = {place for key in ranked[:K] for place in held.get(key, ())}
        for place in sorted((p for p in grades if p not in found), key=lambda p: (-grades[p], p)):
            doc, offset = place.rsplit("@", 1)
            print(f"  missed g{grades[place]} {place}  {excerpt(corpus.bodies[doc][int(offset):])}")
        for rank, key in enumerate(ranked[:K], 1):
            if not held.get(key):
                print(f"  ranked #{rank} (holds no judged paragraph) {key}  {excerpt(corpus.text[key])}")
            elif len(held[key]) > 1:
                print(f"  ranked #{rank} holds {len(held[key])} judged paragraphs (earns one) {key}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus")
    ap.add_argument("--queries", type=Path, default=REPO / "tests" / "eval" / "queries.yaml")
    ap.add_argument("--failures", type=int, nargs="?", const=12, default=0, metavar="N",
                    help="list the N worst jiaoliu queries (default 12)")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON")
    ap.add_argument("--engine", choices=ENGINES, help="the engine to build for and search with (default: the setting's)")
    ap.add_argument("--save", type=Path, metavar="DIR", help="write qrels.json and run-<system>.json here")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    queries = load_queries(args.queries)
    kinds = {q["id"]: q["kind"] for q in queries}
    with tempfile.TemporaryDirectory(prefix="jiaoliu-eval-") as tmp:
        try:
            summary = build_index(args.corpus, Path(tmp) / "index", force=True, engine=args.engine)
        except JiaoliuError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        searcher = Searcher(Path(tmp) / "index")
        try:
            corpus = Corpus(searcher, args.corpus)
            runs = {}
            runs["jiaoliu"], violations, errors = jiaoliu_run(searcher, corpus, queries)
        finally:
            searcher.close()
    runs["textbook"] = textbook_run(corpus, queries)
    runs["grep"] = grep_run(corpus, queries)

    qrels, holds = judged_places(queries, corpus.bodies, corpus.spans)
    unmatched = unmatched_judgments(queries, corpus.bodies, corpus.spans)
    results = {name: evaluate(runs[name], qrels, kinds, holds) for name in SYSTEMS}
    seconds = time.perf_counter() - started

    print(f"{len(queries)} judged queries, {len(corpus.passages)} passages in {len(corpus.city)} reports "
          f"({summary.seconds:.1f} s to index, {seconds:.1f} s in all)\n")
    print_table(results, violations, errors)
    for qid, doc, text in unmatched:
        print(f"warning: {qid}: judgment {text!r} lies in no passage of {doc}", file=sys.stderr)
    if results["jiaoliu"]["unjudged"]:
        print(f"warning: no judged paragraph for {', '.join(results['jiaoliu']['unjudged'])}", file=sys.stderr)
    if args.failures:
        print_failures(queries, qrels, holds, runs["jiaoliu"], results["jiaoliu"]["per_query"], corpus,
                       args.failures)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / "qrels.json").write_text(json.dumps(qrels, ensure_ascii=False, indent=1), encoding="utf-8")
        (args.save / "holds.json").write_text(json.dumps({q: {k: sorted(v) for k, v in h.items()}
                                                          for q, h in holds.items()}, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
        for name in SYSTEMS:
            (args.save / f"run-{name}.json").write_text(
                json.dumps(runs[name], ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps({
            "queries": len(queries), "passages": len(corpus.passages), "seconds": round(seconds, 2),
            "systems": results,
            "filter_violations": violations, "errors": errors,
            "unmatched_judgments": [list(u) for u in unmatched],
        }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
