"""A/B check of search: two commits, or two engines, on one index, in one process.

    .venv/bin/python scripts/ab_search.py --index var/bench-200k/index --base 58f5bc6 [--queries 60] [--json]
    .venv/bin/python scripts/ab_search.py --index var/bench-200k/index --engine-a whoosh --engine-b whoosh
    .venv/bin/python scripts/ab_search.py --index var/ix-whoosh --engine-a whoosh --index-b var/ix-arrays --engine-b arrays

Two commits (--base COMMIT): the `indexer` package of that commit is taken out
of git into a temporary folder as `indexer_base` (side "base") and searches
beside the installed `indexer` (side "work tree": with `pip install -e .`, the
checkout's own). The base may be from before the stage packages (the flat
layout).

Two engines (--engine-a NAME --engine-b NAME): the installed package on both
sides, as Searcher(index, engine=NAME) (names in indexer.engine.ENGINES); a
build is made for one engine, so side B searches --index-b (built with
JIAOLIU_ENGINE=B) when the engines differ. With --base too, the base searches
with engine A and the work tree with engine B.

Both sides search with the benchmark's query mix (scripts/bench.py),
alternating per query (A B, B A, …) so that whatever else the machine does
falls on both alike. Each search is timed in CPU time of this process
(`time.process_time`), which other processes disturb less than wall time. It
also counts the queries whose results differ (total, hits in order, facet
counts), so a change meant to be faster only can be seen to be so: the same
commit, or the same engine, on both sides gives 0.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench import percentiles, query_mix

from indexer.engine import ENGINES

REPO = Path(__file__).resolve().parents[1]
# `from indexer.x import y`, `from indexer import y`, `import indexer.x`, at any indent
ABSOLUTE_IMPORT = re.compile(r"^(\s*(?:from|import) )indexer\b", re.MULTILINE)


def checkout_base(commit: str, into: Path) -> None:
    """`indexer/` of `commit` as the package `indexer_base` under `into`."""
    archive = subprocess.run(["git", "archive", commit, "indexer"], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    (into / "indexer").rename(into / "indexer_base")
    for module in (into / "indexer_base").rglob("*.py"):  # absolute imports must stay inside the copy
        text = module.read_text(encoding="utf-8")
        module.write_text(ABSOLUTE_IMPORT.sub(r"\1indexer_base", text), encoding="utf-8")


def open_side(package: str, index: Path, engine: str | None, time_limit: float | None):
    """(Searcher, parse_search_request) of `package` (indexer or indexer_base)."""
    search = importlib.import_module(f"{package}.search")
    try:  # the layout since the stage packages, or the flat one before
        parse = importlib.import_module(f"{package}.query.request").parse_search_request
    except ModuleNotFoundError:
        parse = importlib.import_module(f"{package}.request").parse_search_request
    options = {"engine": engine} if engine else {}
    if package == "indexer" and time_limit:
        options["time_limit"] = time_limit
    return search.Searcher(index, **options), parse


def outcome(result) -> tuple:
    return (result.total, [h.passage_id for h in result.hits],
            {k: [(v.value, v.count) for v in vs] for k, vs in result.facets.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built index (its folder)")
    parser.add_argument("--base", help="the commit to compare the work tree with")
    parser.add_argument("--engine-a", help=f"side A's engine ({', '.join(ENGINES)}); with --base, the base's")
    parser.add_argument("--engine-b", help="side B's engine; with --base, the work tree's")
    parser.add_argument("--index-b", type=Path, help="side B's index (default: --index)")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=12)
    parser.add_argument("--time-limit", type=float, default=None,
                        help="the installed indexer's Searcher time_limit (e.g. 600: the deadline checks run, "
                             "never fire)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.base and not (args.engine_a and args.engine_b):
        parser.error("give --base COMMIT, or --engine-a NAME and --engine-b NAME, or both")
    with tempfile.TemporaryDirectory(prefix="jiaoliu-ab-") as tmp:
        if args.base:
            checkout_base(args.base, Path(tmp))
            sys.path.insert(0, tmp)  # for indexer_base; the installed indexer keeps its own name
            sides = {"base": ("indexer_base", args.engine_a, args.index),
                     "work tree": ("indexer", args.engine_b, args.index_b or args.index)}
        else:
            sides = {"A": ("indexer", args.engine_a, args.index), "B": ("indexer", args.engine_b, args.index_b or args.index)}
        engines = {}
        for name, (package, engine, index) in sides.items():
            label = f"{name} ({engine})" if engine else name
            try:
                engines[label] = open_side(package, index, engine, args.time_limit)
            except ValueError as exc:  # an unknown engine
                parser.error(str(exc))
        mix = query_mix(args.queries)
        for searcher, parse in engines.values():
            for item in query_mix(args.warm_up, seed=11):
                searcher.search(parse(item["params"]))
        times = {name: [] for name in engines}
        differ = []
        for i, item in enumerate(mix):
            outcomes = {}
            for name in (list(engines) if i % 2 == 0 else list(engines)[::-1]):
                searcher, parse = engines[name]
                started = time.process_time()
                result = searcher.search(parse(item["params"]))
                times[name].append((time.process_time() - started) * 1000)
                outcomes[name] = outcome(result)
            if len(set(map(json.dumps, outcomes.values()))) > 1:
                differ.append(item["params"])
    figures = {name: {**percentiles(samples), "mean": statistics.mean(samples)} for name, samples in times.items()}
    width = max(map(len, figures))
    for name, stats in figures.items():
        print(f"{name:{width}} p50 {stats['p50']:8.1f}  p95 {stats['p95']:8.1f}  p99 {stats['p99']:8.1f}  "
              f"mean {stats['mean']:8.1f} ms (CPU, {len(mix)} searches)")
    print(f"queries whose results differ: {len(differ)} of {len(mix)}")
    if args.json:
        print(json.dumps({"base": args.base, "engines": [args.engine_a, args.engine_b], "queries": len(mix),
                          "figures": figures, "differ": differ}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
