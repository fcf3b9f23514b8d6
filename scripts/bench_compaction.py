"""Time adding one report to an arrays build, with and without a compaction.

    .venv/bin/python scripts/bench_compaction.py --passages 20000 --work /tmp/compaction [--repeat 3]

Makes a synthetic corpus of about --passages passages (scripts/make_scale_corpus.py)
and builds it from scratch once; then, from a copy of that build each time, adds
one more generated report (200 passages) and runs the incremental build twice
over: without compaction (merge.MAX_SEGMENTS and DELETED_SHARE out of reach) and
with one forced (MAX_SEGMENTS 1: the old segment and the new one merged, the
store rewritten). Wall seconds of `build_index` in this process (no interpreter
start), the best of --repeat, and of the compaction alone. Also times the other
way to compact (re-deriving the segment from the store's stored fields through
SegmentWriter) for comparison. THE TEXT IS SYNTHETIC: for timing only.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import make_scale_corpus

from indexer.engine.arrays import merge
from indexer.engine.arrays.segment import SegmentWriter
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.records import PassageRecord


def _timed(name: str, spent: dict[str, float]):
    """merge.<name>, adding its seconds to spent[name]."""
    real = getattr(merge, name)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return timed


def _rederive(index: Path) -> float:
    """Seconds to re-tokenise every stored passage of the served build through SegmentWriter."""
    from whoosh import index as whoosh_index

    build = store.current_build(index)
    started = time.perf_counter()
    writer = SegmentWriter()
    ix = whoosh_index.open_dir(str(build / "arrays" / "store"))
    with ix.reader() as reader:
        records = []
        for _n, f in reader.iter_docs():
            records.append(PassageRecord(
                doc_id=f["doc_id"], passage_id=f["passage_id"], ordinal=f["ordinal"], title=f["title"],
                heading=f["heading"], text=f["text"], date=f.get("date"), prior=f["prior"], city=f["city"],
                year=f["year"], kind=f["kind"], agency=f["agency"], level=f.get("level", ""),
                countries=tuple(c for c in f["countries"].split(",") if c), span=None))
        writer.add(records)
    out = build.parent / "rederived"
    shutil.rmtree(out, ignore_errors=True)
    writer.write(out)
    seconds = time.perf_counter() - started
    shutil.rmtree(out)
    ix.close()
    return seconds


PARTS = ("compact", "_write_segment", "_write_store")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=20000)
    parser.add_argument("--work", type=Path, required=True, help="folder for the corpus and the indexes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    corpus, base = args.work / "corpus", args.work / "base"
    if not corpus.is_dir():
        make_scale_corpus.write_corpus(corpus, args.passages, args.seed)
    if not base.is_dir():
        started = time.perf_counter()
        summary = build_index(corpus, base, engine="arrays")
        print(f"from scratch: {summary.passages:,} passages in {time.perf_counter() - started:.2f} s")
    pools = make_scale_corpus.load_pools()
    number = len(make_scale_corpus.report_sizes(args.passages))
    extra = corpus / make_scale_corpus.report_name(number)
    text = make_scale_corpus.report_text(number, make_scale_corpus.PASSAGES_PER_REPORT, pools, args.seed)
    figures: dict[str, list[float]] = {"add_s": [], "add_compact_s": [], "compact": [], "_write_segment": [],
                                       "_write_store": []}
    extra.write_text(text, encoding="utf-8")
    try:
        for _ in range(args.repeat):
            for forced in (False, True):
                run = args.work / "run"
                shutil.rmtree(run, ignore_errors=True)
                shutil.copytree(base, run, symlinks=True)
                spent: dict[str, float] = {}
                saved = {name: getattr(merge, name) for name in ("MAX_SEGMENTS", "DELETED_SHARE", *PARTS)}
                merge.MAX_SEGMENTS, merge.DELETED_SHARE = (1, 1.0) if forced else (10**9, 1.0)
                for name in PARTS:
                    setattr(merge, name, _timed(name, spent))
                try:
                    started = time.perf_counter()
                    build_index(corpus, run, engine="arrays")
                    seconds = time.perf_counter() - started
                finally:
                    for name, value in saved.items():
                        setattr(merge, name, value)
                segments = store.read_json(store.current_build(run) / "arrays" / "segments.json")
                assert len(segments) == (1 if forced else 2), segments
                figures["add_compact_s" if forced else "add_s"].append(seconds)
                for name, value in spent.items():
                    figures[name].append(value)
        rederive = min(_rederive(args.work / "run") for _ in range(args.repeat))
    finally:
        extra.unlink()
        shutil.rmtree(args.work / "run", ignore_errors=True)
    print(f"add one report (200 passages) to {args.passages:,}: "
          f"{min(figures['add_s']):.2f} s without compaction, {min(figures['add_compact_s']):.2f} s with one "
          f"(the compaction {min(figures['compact']):.2f} s: the segments' merge "
          f"{min(figures['_write_segment']):.2f} s, the store's rewrite {min(figures['_write_store']):.2f} s); "
          f"re-deriving the segment through SegmentWriter instead: {rederive:.2f} s "
          f"(best of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
