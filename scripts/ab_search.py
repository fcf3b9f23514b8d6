"""Search speed of the work tree against an earlier commit, in one process.

    .venv/bin/python scripts/ab_search.py --index var/bench-200k/index --base 58f5bc6 [--queries 60] [--json]

The `indexer` package of `--base` is taken out of git into a temporary folder
as `indexer_base`, and both versions search the same index with the
benchmark's query mix (scripts/bench.py), alternating per query (A B, B A, …)
so that whatever else the machine does falls on both alike. Each search is
timed in CPU time of this process (`time.process_time`), which other
processes disturb less than wall time. It also counts the queries whose
results differ (total, hits in order, facet counts), so a change meant to
be faster only can be seen to be so.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

from bench import percentiles, query_mix  # noqa: E402


def checkout_base(commit: str, into: Path) -> None:
    """`indexer/` of `commit` as the package `indexer_base` under `into`."""
    archive = subprocess.run(["git", "archive", commit, "indexer"], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    (into / "indexer").rename(into / "indexer_base")
    for module in (into / "indexer_base").rglob("*.py"):  # absolute imports must stay inside the copy
        text = module.read_text(encoding="utf-8")
        module.write_text(text.replace("from indexer.", "from indexer_base.").replace("import indexer.",
                                                                                      "import indexer_base."),
                          encoding="utf-8")


def outcome(result) -> tuple:
    return (result.total, [h.passage_id for h in result.hits],
            {k: [(v.value, v.count) for v in vs] for k, vs in result.facets.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built index (its folder)")
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=12)
    parser.add_argument("--time-limit", type=float, default=None,
                        help="the work tree's Searcher time_limit (e.g. 600: the deadline checks run, never fire)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jiaoliu-ab-") as tmp:
        checkout_base(args.base, Path(tmp))
        sys.path.insert(0, tmp)
        engines = {}
        for name, package in (("base", "indexer_base"), ("work tree", "indexer")):
            search = importlib.import_module(f"{package}.search")
            try:  # the layout since the stage packages, or the flat one before
                parse = importlib.import_module(f"{package}.query.request").parse_search_request
            except ModuleNotFoundError:
                parse = importlib.import_module(f"{package}.request").parse_search_request
            options = {"time_limit": args.time_limit} if package == "indexer" and args.time_limit else {}
            engines[name] = (search.Searcher(args.index, **options), parse)
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
    for name, stats in figures.items():
        print(f"{name:10} p50 {stats['p50']:8.1f}  p95 {stats['p95']:8.1f}  p99 {stats['p99']:8.1f}  "
              f"mean {stats['mean']:8.1f} ms (CPU, {len(mix)} searches)")
    print(f"queries whose results differ: {len(differ)} of {len(mix)}")
    if args.json:
        print(json.dumps({"base": args.base, "queries": len(mix), "figures": figures, "differ": differ},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
