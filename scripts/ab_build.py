"""A/B of a build: the same corpus built by an earlier commit and by the work tree, in turns.

    .venv/bin/python scripts/ab_build.py --corpus DIR --base COMMIT [--runs 2] [--json]

Each build runs in a process of its own into a fresh folder (wall time of the whole
`build_index`, reading processes and forked parts included); the two sides alternate,
run after run, so that a machine's slower minutes fall on both. The base commit's
`indexer/` is taken out of git as `indexer_base` (`ab_search.checkout_base`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ab_search import checkout_base  # noqa: E402  (a script beside this one)

BUILD = "import sys; sys.path.insert(0, {where!r}); from {package}.index.build import build_index; " \
        "build_index({corpus!r}, {index!r})"


def build_seconds(package: str, where: str, corpus: Path, index: Path) -> float:
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BUILD.format(where=where, package=package, corpus=str(corpus),
                                                        index=str(index))], check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--base", required=True, help="the commit to compare the work tree with")
    ap.add_argument("--runs", type=int, default=2, help="builds per side (default 2)")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = ap.parse_args(argv)
    times: dict[str, list[float]] = {"base": [], "work tree": []}
    with tempfile.TemporaryDirectory(prefix="jiaoliu-ab-build-") as tmp:
        checkout_base(args.base, Path(tmp))
        for run in range(args.runs):
            for side, package, where in (("base", "indexer_base", tmp), ("work tree", "indexer", "")):
                seconds = build_seconds(package, where, args.corpus, Path(tmp) / "index")
                times[side].append(seconds)
                print(f"run {run + 1}  {side:<9} {seconds:6.1f} s", flush=True)
    base, work = statistics.median(times["base"]), statistics.median(times["work tree"])
    print(f"median: base {base:.1f} s, work tree {work:.1f} s ({(work / base - 1) * 100:+.0f} %)")
    if args.json:
        print(json.dumps({"base": args.base, "runs": times, "base_s": base, "work_tree_s": work,
                          "change": work / base - 1}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
