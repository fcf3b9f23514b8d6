"""How jiaoliu reads a folder of real files: metadata against their truth, queries by rank.

    .venv/bin/python scripts/real_files.py [--set tests/real] [--verbose] [--json]

The set is a folder with `files/`, `truth.json` and `queries.json` (tests/real/README.md).
Indexes `files/` in a temporary folder, then prints per file each aspect of its
metadata that is wrong (with what was read), per query the rank of its file among the
reports of the hits (1 = first), and the totals: aspects right, queries whose file
comes first, and in the first three. --verbose prints what was read of every file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from indexer.evaluate_files import aspects, right
from indexer.index.build import build_index
from indexer.ingest.corpus import doc_id_for, read_corpus
from indexer.models import Report
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[1]


def rank(searcher: Searcher, query: str, doc_id: str) -> int | None:
    """The place of `doc_id` among the reports of the query's first 50 hits."""
    result = searcher.search(parse_search_request({"q": query, "per_page": "50"}))
    reports = list(dict.fromkeys(hit.doc_id for hit in result.hits))
    return reports.index(doc_id) + 1 if doc_id in reports else None


def measure(folder: Path, verbose: bool = False) -> dict:
    files = folder / "files"
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    queries = json.loads((folder / "queries.json").read_text(encoding="utf-8"))
    reports = {path.name: report for path, report in read_corpus(files)}
    checked = wrong = 0
    for entry in truth:
        report = reports.get(entry["file"])
        if not isinstance(report, Report):
            print(f"{entry['file']}: not read ({report})")
            continue
        metadata = report.metadata
        if verbose:
            print(f"{entry['file']}: {metadata.title!r} · {metadata.city} · {metadata.date} · {metadata.kind} · "
                  f"{metadata.agency} ({metadata.city_evidence}; {metadata.date_evidence})")
        for aspect in aspects(entry):
            checked += 1
            if not right(metadata, aspect, entry):
                wrong += 1
                value = {"title": metadata.title, "city": metadata.city, "date": metadata.date,
                         "kind": metadata.kind, "agency": metadata.agency}[aspect]
                print(f"  wrong {aspect} of {entry['file']}: {value!r} (truth: {entry})")
    ranks = []
    with tempfile.TemporaryDirectory() as work:
        build_index(files, Path(work) / "index")
        searcher = Searcher(Path(work) / "index")
        for item in queries:
            place = rank(searcher, item["query"], doc_id_for(files / item["file"], files))
            ranks.append(place)
            if place != 1:
                print(f"  query {item['query']!r}: {item['file']} is {'not found' if place is None else f'#{place}'}")
    first = sum(r == 1 for r in ranks)
    top3 = sum(r is not None and r <= 3 for r in ranks)
    return {"files": len(truth), "aspects": checked, "aspects_right": checked - wrong,
            "queries": len(ranks), "first": first, "top3": top3}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=REPO / "tests" / "real", help="the folder of the set")
    parser.add_argument("--verbose", action="store_true", help="print what was read of every file")
    parser.add_argument("--json", action="store_true", help="end with the totals as one JSON line")
    args = parser.parse_args(argv)
    totals = measure(args.set, args.verbose)
    print(f"{totals['files']} files: metadata {totals['aspects_right']}/{totals['aspects']} right; "
          f"{totals['queries']} queries: file first {totals['first']}, in the first three {totals['top3']}")
    if args.json:
        print(json.dumps(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
