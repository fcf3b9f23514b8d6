"""How much the fold and OpenCC change the corpus, and how fast they are.

    .venv/bin/python scripts/measure_fold.py [--corpus corpus]

Prints, for the whole corpus: characters changed by `indexer.text.fold.fold` (which
ones), characters OpenCC's s2t and jp2t would change if run over the reports
(why they are not), and the time each takes; then the time to convert a query.
The figures are written in docs/DESIGN.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import opencc

from indexer.ingest.corpus import find_report_files
from indexer.text.fold import fold
from indexer.text.spellings import spellings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

QUERIES = ["熊本县", "台中市政府经济发展局", "姐妹市", "株式会社", "日南駅", "経済", "SusHi Tech", "八代"]


def changes(before: str, after: str) -> Counter:
    return Counter(f"{a}→{b}" for a, b in zip(before, after, strict=True) if a != b)


def timed(fn, *args, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - started)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=CORPUS, help="default: the bundled corpus")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    text = "\n".join(p.read_text(encoding="utf-8") for p in find_report_files(corpus))
    print(f"corpus: {len(text)} characters\n")
    print("| conversion | characters changed | most common changes | time over the corpus |")
    print("|---|---|---|---|")
    folded, seconds = timed(fold, text)
    # Width, case and punctuation are not interesting here: count only ideographs.
    cjk = Counter({k: v for k, v in changes(text, folded).items() if "\u3400" <= k[0] <= "\u9fff"})
    print(f"| fold (ideographs only) | {sum(cjk.values())} | {' '.join(f'{k}×{v}' for k, v in cjk.most_common(8))} "
          f"| {seconds * 1000:.1f} ms |")
    for config in ("s2t", "jp2t"):
        converter = opencc.OpenCC(config)
        converted, seconds = timed(converter.convert, text)
        if len(converted) == len(text):
            diff = changes(text, converted)
            shown = " ".join(f"{k}×{v}" for k, v in diff.most_common(8))
            count = sum(diff.values())
        else:
            count, shown = "(length changed)", ""
        print(f"| OpenCC {config} over the reports | {count} | {shown} | {seconds * 1000:.1f} ms |")
    spellings.cache_clear()
    started = time.perf_counter()
    for query in QUERIES:
        spellings(query)
    per_query = (time.perf_counter() - started) / len(QUERIES)
    print(f"\nquery conversion (fold + s2t + jp2t, first call, {len(QUERIES)} queries): "
          f"{per_query * 1000:.2f} ms per query")


if __name__ == "__main__":
    main()
