"""Time reading and indexing one file against its size, stage by stage.

    nice .venv/bin/python scripts/bench_file_size.py [--sizes 100000,400000,800000] [--keep DIR]

Three kinds of file, each at every size (characters):
- `report`: the bundled corpus's sentences reshuffled into paragraphs under numbered headings;
- `council`: council-minutes-like text without blank lines: speakers, members and officials named
  by surname + title (陳議員, 王局長) between hard-wrapped lines of the corpus's sentences,
  which is what alias learning has most to do with;
- `run`: one character repeated (市市市…), the pathological case.

THE TEXT IS SYNTHETIC AND MEANINGLESS: it is for timing only.  Stages, in CPU seconds
of this one process (steady on a shared machine, where wall time is not): extract
(bytes → text), passages, metadata, aliases, index (jieba + character grams + whoosh,
written into a temporary folder).  The table is printed; --keep writes the files.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from make_scale_corpus import load_pools, numeral

from indexer.engine import get_engine
from indexer.index.records import passage_records
from indexer.ingest.aliases import find_aliases
from indexer.ingest.corpus import content_hash
from indexer.ingest.extract import extract
from indexer.ingest.metadata import extract_metadata
from indexer.ingest.passages import split_passages
from indexer.models import Report
from indexer.text.words import get_tokenizer

REPO = Path(__file__).resolve().parents[1]

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余趙盧梁顏柯翁魏孫戴"
GIVEN = "志明俊傑淑芬美玲建宏家豪怡君雅婷宗翰文雄國華秀英麗華振興德福惠美佳穎冠宇承恩"
TITLES = ("議員", "局長", "處長", "副市長", "主委", "秘書長")


def report_text(size: int, rng: random.Random, sentences, titles) -> str:
    lines: list[str] = []
    top = 0
    while sum(map(len, lines)) + len(lines) < size:
        if not lines or rng.random() < 0.1:
            top += 1
            lines += [f"{numeral(top % 99 + 1, '零一二三四五六七八九')}、{rng.choice(titles)}", ""]
        lines += ["".join(rng.choice(sentences) for _ in range(rng.randint(2, 8))), ""]
    return "\n".join(lines)[:size]


def _people(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(surname, given name, title) of a council's cast."""
    return [(rng.choice(SURNAMES), "".join(rng.sample(GIVEN, 2)), rng.choice(TITLES)) for _ in range(count)]


def council_text(size: int, rng: random.Random, sentences) -> str:
    """Minutes as a council site publishes them: no blank line anywhere."""
    people = _people(rng, 200)
    lines = ["新北市議會第1屆第4次定期會會議紀錄", "時　　間：中華民國101年11月6日10時6分"]
    while sum(map(len, lines)) + len(lines) < size:
        surname, given, title = rng.choice(people)
        # A member is announced in full (陳議員志明), then spoken of by surname + title.
        lines.append(f"{surname}{title}{given}：" if title == "議員" else f"{title}{surname}{given}：")
        text = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 6)))
        other = rng.choice(people)
        text += f"請{other[0]}{other[2]}說明。"
        lines += ["　　" + text[i : i + 24] for i in range(0, len(text), 24)]
    return "\n".join(lines)[:size]


def make_files(sizes: list[int], seed: int = 1) -> dict[tuple[str, int], str]:
    pools = load_pools()
    texts = {}
    for size in sizes:
        texts["report", size] = report_text(size, random.Random(f"{seed}-r-{size}"), pools.sentences, pools.titles)
        texts["council", size] = council_text(size, random.Random(f"{seed}-c-{size}"), pools.sentences)
        texts["run", size] = "市" * size
    return texts


def time_stages(name: str, data: bytes, scratch: Path) -> dict[str, float]:
    """CPU seconds per stage of reading and indexing one file, as `build_index` does them."""
    times: dict[str, float] = {}

    def timed(stage, work):
        started = time.process_time()
        result = work()
        times[stage] = time.process_time() - started
        return result

    body = timed("extract", lambda: extract(data, name))
    passages = timed("passages", lambda: split_passages(body))
    metadata = timed("metadata", lambda: extract_metadata(body, None))
    timed("aliases", lambda: find_aliases(body))
    report = Report(doc_id=Path(name).stem, path=name, body=body, sha256=content_hash(data),
                    metadata=metadata, passages=passages)

    def index():
        build = Path(tempfile.mkdtemp(dir=scratch))
        writer = get_engine().writer(build, None, 0)  # one process, as a small build runs
        writer.add(passage_records(report))
        writer.commit()

    timed("index", index)
    times["passage count"] = len(passages)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,400000,800000", help="characters, comma-separated")
    parser.add_argument("--keep", type=Path, help="also write the generated files into this folder")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = make_files(sizes)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for (kind, size), text in texts.items():
            (args.keep / f"{kind}-{size}.txt").write_text(text, encoding="utf-8")
    get_tokenizer()  # the dictionary loads once per process: not part of the first file's figures
    stages = ("extract", "passages", "metadata", "aliases", "index")
    print(f"| file | characters | passages | {' | '.join(stages)} | total | µs per character |")
    print("|---|---:|---:|" + "---:|" * (len(stages) + 2))
    with tempfile.TemporaryDirectory() as scratch:
        for (kind, size), text in texts.items():
            times = time_stages(f"{kind}-{size}.txt", text.encode("utf-8"), Path(scratch))
            total = sum(times[s] for s in stages)
            cells = " | ".join(f"{times[s]:.2f}" for s in stages)
            print(f"| {kind} | {len(text):,} | {times['passage count']:,} | {cells} | {total:.1f} | "
                  f"{total / len(text) * 1e6:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
