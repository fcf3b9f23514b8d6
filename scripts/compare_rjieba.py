"""rjieba (jieba-rs) against jieba with the project's dictionary: same tokens? how much faster?

    .venv/bin/pip install rjieba==0.2.2      # not a dependency of the project
    .venv/bin/python scripts/compare_rjieba.py corpus [more corpus folders …]

Loads the folded Taiwan dictionary that indexer/text/words.py gives jieba into
an empty rjieba.Jieba (word, frequency, tag), then segments every passage's
folded text with both, with the HMM for unknown words off and on, and prints
the time each took and the share of passages cut identically (with the first
difference found).
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

from indexer.ingest.corpus import read_corpus
from indexer.text.fold import fold
from indexer.text.words import folded_dictionary, get_tokenizer, taiwan_dictionary

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def load_rjieba(dictionary: Path):
    try:
        import rjieba
    except ImportError:
        raise SystemExit("rjieba is not installed: .venv/bin/pip install rjieba==0.2.2") from None
    segmenter = rjieba.Jieba.empty()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            segmenter.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None,
                               parts[2] if len(parts) > 2 else None)
    return segmenter


def main(folders: list[str]) -> int:
    started = time.perf_counter()
    fast = load_rjieba(folded_dictionary(taiwan_dictionary()))
    print(f"rjieba: dictionary loaded in {time.perf_counter() - started:.2f} s")
    reference = get_tokenizer("taiwan")
    reference.tokenize("臺北")  # load before timing
    texts = [fold(p.text) for folder in folders for _path, report in read_corpus(Path(folder))
             if hasattr(report, "passages") for p in report.passages]
    print(f"{len(texts)} passages, {sum(map(len, texts)):,} characters")
    for hmm in (False, True):
        started = time.perf_counter()
        expected = [list(reference.tokenize(text, HMM=hmm)) for text in texts]
        jieba_s = time.perf_counter() - started
        started = time.perf_counter()
        got = [[tuple(t) for t in fast.tokenize(text, "default", hmm)] for text in texts]
        rjieba_s = time.perf_counter() - started
        same = sum(a == b for a, b in zip(expected, got, strict=True))
        print(f"HMM {'on ' if hmm else 'off'}: jieba {jieba_s:.2f} s, rjieba {rjieba_s:.2f} s "
              f"({jieba_s / rjieba_s:.1f}× faster); identical tokens in {same}/{len(texts)} passages "
              f"({same / len(texts):.1%})")
        for a, b in zip(expected, got, strict=True):
            if a != b:
                wa, wb = [w for w, *_ in a], [w for w, *_ in b]
                ops = difflib.SequenceMatcher(None, wa, wb).get_opcodes()
                print("  first difference (jieba → rjieba):",
                      [(wa[i1:i2], wb[j1:j2]) for op, i1, i2, j1, j2 in ops if op != "equal"][:3])
                break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(CORPUS)]))
