"""Write a synthetic corpus of N passages, for measuring speed only.

    .venv/bin/python scripts/make_scale_corpus.py --passages 200000 --out var/scale-200k [--seed 1]

The reports are made of the real corpus's own sentences, table rows and
heading titles, reshuffled under a generated cover (服務機關 <city>政府<bureau>,
派赴國家/地區, 出國期間 and 報告日期 as ROC dates) and a generated heading ladder
(壹、 › 一、 › （一）), so that metadata extraction and the passage splitter do
the work they do on real reports.  Each report has about 200 passages of
about 110 characters (200,000 passages ≈ 1,000 reports ≈ 22 M characters).

THE TEXT IS SYNTHETIC AND MEANINGLESS: it is for timing and memory
measurements, never for judging relevance, metadata or snippets.

The same source corpus, seed and size give byte-identical files; report i
depends only on (seed, i), so `report_text(...)` can also make "one more
report" for the add-one-report benchmark.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest.corpus import read_corpus
from indexer.ingest.passages import heading_rank
from indexer.text.cities import CITIES

REPO = Path(__file__).resolve().parents[1]

PASSAGES_PER_REPORT = 200
BUREAUS = (
    "秘書處", "民政局", "財政局", "教育局", "經濟發展局", "觀光旅遊局", "文化局", "交通局", "社會局",
    "勞工局", "衛生局", "環境保護局", "都市發展局", "農業局", "研究發展考核委員會", "新聞局",
    "觀光及城市行銷處", "產業發展處", "國際事務處", "消防局", "警察局", "工務局",
)
COUNTRIES = ("日本", "韓國", "美國", "新加坡", "德國", "法國", "荷蘭", "澳洲", "越南", "泰國",
             "加拿大", "英國", "菲律賓", "捷克", "斯洛伐克")
PURPOSES = ("參訪", "考察", "交流", "拜會", "出席城市論壇", "締結姊妹市", "推動觀光行銷", "參加國際會議")
_FORMAL = "零壹貳參肆伍陸柒捌玖"
_PLAIN = "零一二三四五六七八九"
# Numbering at the start of a real heading, stripped to reuse its title.
_NUMBER_PREFIX = re.compile(r"^(?:#+\s*)?(?:[壹貳貮參叁肆伍陸柒捌玖拾佰一二三四五六七八九十百]+\s*、|"
                            r"[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[.．、])\s*")
# Cover fields must appear only in the generated cover.
_FIELD = re.compile(r"出國報告名稱|服務機關|撰寫機關|派赴國家|出國地區|出國期間|報告日期")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")


@dataclass(frozen=True)
class Pools:
    """Shapes taken from the real reports."""

    sentences: tuple[str, ...]
    table_rows: tuple[str, ...]
    titles: tuple[str, ...]


def load_pools(corpus_dir: Path = REPO / "corpus") -> Pools:
    """Sentences, table rows and heading titles of the real corpus, in file order."""
    sentences: list[str] = []
    rows: list[str] = []
    titles: list[str] = []
    for _path, report in read_corpus(corpus_dir):
        if isinstance(report, Exception):
            continue
        for raw in report.body.split("\n"):
            line = raw.strip()
            if not line or _FIELD.search(line):
                continue
            if heading_rank(line) is not None:
                title = _NUMBER_PREFIX.sub("", line).strip()
                if 2 <= len(title) <= 20 and "\t" not in title:
                    titles.append(title)
            elif "\t" in line:
                if "..." not in line and "…" not in line:
                    rows.append(line)
            else:
                line = line.lstrip("#").strip()
                sentences.extend(s.strip() for s in _SENTENCE.findall(line) if len(s.strip()) >= 8)
    if not sentences or not titles:
        raise SystemExit(f"no usable text in {corpus_dir}")
    return Pools(tuple(sentences), tuple(rows), tuple(dict.fromkeys(titles)))


def numeral(n: int, digits: str) -> str:
    """1..99 as a Chinese numeral: numeral(12, _PLAIN) == '十二', numeral(20, _FORMAL) == '貳拾'."""
    ten = "拾" if digits is _FORMAL else "十"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    head = "" if tens == 1 else digits[tens]
    return head + ten + (digits[ones] if ones else "")


def _roc(year: int, month: int, day: int) -> str:
    return f"{year - 1911}年{month}月{day}日"


def _cover(rng: random.Random, number: int) -> tuple[list[str], str]:
    city = CITIES[number % len(CITIES)]
    bureau = rng.choice(BUREAUS)
    country = rng.choice(COUNTRIES)
    year, month, day = rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 20)
    length = rng.randint(2, 8)
    report_month = month + rng.randint(1, 3)
    report_year = year + (report_month - 1) // 12
    report_month = (report_month - 1) % 12 + 1
    purpose = rng.choice(PURPOSES)
    title = f"{city}政府{year - 1911}年{bureau}赴{country}{purpose}"
    lines = [
        "出國報告（出國類別：其他-參訪）",
        "",
        f"## {title}",
        "",
        f"服務機關：{city}政府{bureau}",
        f"姓名職稱：{bureau}{rng.choice(('局長', '處長', '副局長', '科長'))}等{rng.randint(2, 15)}人",
        f"派赴國家/地區：{country}",
        f"出國期間：{_roc(year, month, day)}至{month}月{day + length}日",
        f"報告日期：{_roc(report_year, report_month, rng.randint(1, 28))}",
        "",
    ]
    return lines, title


def _leaf_text(rng: random.Random, pools: Pools) -> list[str]:
    """One passage's body: a paragraph of real sentences, or now and then a table."""
    if pools.table_rows and rng.random() < 0.1:
        start = rng.randrange(len(pools.table_rows))
        return [pools.table_rows[(start + k) % len(pools.table_rows)] for k in range(rng.randint(2, 4))]
    target = rng.randint(10, 70)
    paragraph = ""
    while len(paragraph) < target:
        paragraph += rng.choice(pools.sentences)
    return [paragraph]


def report_text(number: int, passages: int, pools: Pools, seed: int = 1) -> str:
    """Report `number` of a scale corpus with `passages` passages (cover included).

    Depends only on (seed, number, passages, pools), never on the other reports.
    """
    rng = random.Random(f"jiaoliu-scale-{seed}-{number}")
    lines, _title = _cover(rng, number)
    top = mid = low = 0
    for leaf in range(max(passages - 1, 1)):
        if leaf == 0 or rng.random() < 0.08:
            top, mid, low = top + 1, 0, 0
            lines += [f"{numeral(top, _FORMAL)}、{rng.choice(pools.titles)}", ""]
        if low == 0 or rng.random() < 0.25:
            mid, low = mid + 1, 0
            lines += [f"{numeral(mid, _PLAIN)}、{rng.choice(pools.titles)}", ""]
        low += 1
        lines += [f"（{numeral(low, _PLAIN)}）{rng.choice(pools.titles)}", ""]
        lines += _leaf_text(rng, pools)
        lines.append("")
    return "\n".join(lines)


def report_sizes(passages: int) -> list[int]:
    """Passages per report: full reports of PASSAGES_PER_REPORT, then the rest."""
    full, rest = divmod(passages, PASSAGES_PER_REPORT)
    sizes = [PASSAGES_PER_REPORT] * full
    if rest or not sizes:
        sizes.append(max(rest, 2))
    return sizes


def report_name(number: int) -> str:
    return f"scale-{number:06d}.txt"


def write_corpus(out: Path, passages: int, seed: int = 1, pools: Pools | None = None) -> list[Path]:
    """Write the corpus into `out` (created; stale scale-*.txt files removed); the paths written."""
    pools = pools or load_pools()
    out.mkdir(parents=True, exist_ok=True)
    wanted = {report_name(n) for n in range(len(report_sizes(passages)))}
    for stale in out.glob("scale-*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    paths = []
    for number, size in enumerate(report_sizes(passages)):
        path = out / report_name(number)
        path.write_bytes(report_text(number, size, pools, seed).encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, required=True, help="about how many passages in all")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes (default 1)")
    args = parser.parse_args(argv)
    if args.passages < 2:
        parser.error("--passages must be at least 2")
    paths = write_corpus(args.out, args.passages, args.seed)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"wrote {len(paths)} synthetic reports ({chars:,} characters) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
