"""How well jiaoliu finds copied passages, on copies made of real passages.

    .venv/bin/python scripts/copies_eval.py [--seed 1] [--grid] [--json]

Every passage of the five bundled reports and of the real files in tests/real (at least
60 characters of text) is copied four ways: exactly (spaces changed), with one sentence
replaced by a sentence of another passage, with every number changed, and with its
sentences in another order. All originals and copies are fingerprinted and paired as a
build pairs them (`indexer.ingest.copies.similar_pairs`). A copy found paired with its
original, or with another copy of it, is right; a copy paired with any other passage is
wrong, unless that passage and its original are themselves paired (copies already in the
corpus, which are counted and listed apart), or it gave the copy its new sentence (then
the copy holds a part of it: a copy too). Prints recall per kind of copy, precision,
and the pairs found among the originals. --grid tries other thresholds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

from indexer.errors import JiaoliuError
from indexer.ingest import copies
from indexer.ingest.extract import extract
from indexer.ingest.passages import split_passages

REPO = Path(__file__).resolve().parents[1]
KINDS = ("exact", "sentence changed", "numbers changed", "reordered")
_SENTENCES = re.compile(r"[^。！？；]+[。！？；]?")


def originals(corpus: Path, real: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.glob("*.txt")):
        texts += [p.text for p in split_passages(path.read_text(encoding="utf-8"))]
    for path in sorted(real.iterdir()):
        try:
            texts += [p.text for p in split_passages(extract(path.read_bytes(), path.name))]
        except JiaoliuError:
            continue
    return [t for t in dict.fromkeys(texts) if len(copies.normalised(t)) >= 60]


def copied(text: str, kind: str, other: str, rng: random.Random) -> str | None:
    sentences = [s for s in _SENTENCES.findall(text) if s.strip()]
    if kind == "exact":
        return "  ".join(text.split("\n"))
    if kind == "numbers changed":
        return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text) if re.search(r"\d", text) \
            else None
    if len(sentences) < 3:
        return None
    if kind == "sentence changed":
        others = [s for s in _SENTENCES.findall(other) if s.strip()] or [other]
        sentences[rng.randrange(len(sentences))] = rng.choice(others)
        return "".join(sentences)
    shuffled = sentences[:]
    while shuffled == sentences:
        rng.shuffle(shuffled)
    return "".join(shuffled)


def measure(texts: list[str], seed: int) -> dict:
    rng = random.Random(seed)
    made: list[tuple[int, str, str]] = []  # (original, kind, text)
    donors: dict[int, int] = {}  # a copy with a sentence changed → the passage the sentence came from
    for i, text in enumerate(texts):
        for kind in KINDS:
            donor = rng.randrange(len(texts))
            if (copy := copied(text, kind, texts[donor], rng)) is not None:
                if kind == "sentence changed":
                    donors[len(texts) + len(made)] = donor
                made.append((i, kind, copy))
    all_texts = texts + [c for _i, _k, c in made]
    prints = copies.fingerprints(all_texts)
    owners = np.concatenate([np.full(len(p), n, dtype=np.int64) for n, p in enumerate(prints)])
    hashes = np.concatenate(prints) if prints else np.zeros(0, np.uint32)
    order = np.argsort(hashes, kind="stable")
    sizes = np.array([len(p) for p in prints])
    pairs = copies.similar_pairs(hashes[order], owners[order], sizes, 0, lambda n: prints[n])
    source = {len(texts) + k: i for k, (i, _kind, _c) in enumerate(made)}
    among = {(a, b) for a, b, _s in pairs if a < len(texts) and b < len(texts)}
    linked = {i: {i} for i in range(len(texts))}
    for a, b in among:
        linked[a].add(b)
        linked[b].add(a)

    def origin(n: int) -> int:
        return source.get(n, n)

    right = wrong = 0
    wrong_pairs = []
    found_for: set[int] = set()
    for a, b, s in pairs:
        if a < len(texts) and b < len(texts):
            continue
        donated = donors.get(b) in linked[origin(a)] or donors.get(a) in linked[origin(b)]
        if origin(b) in linked[origin(a)] or donated:
            right += 1
            for n in (a, b):
                if n in source and origin(a if n == b else b) == source[n]:
                    found_for.add(n)
        else:
            wrong += 1
            wrong_pairs.append((all_texts[a][:40], all_texts[b][:40], s))
    recall = {}
    for kind in KINDS:
        ids = [len(texts) + k for k, (_i, k2, _c) in enumerate(made) if k2 == kind]
        recall[kind] = {"copies": len(ids), "found": sum(n in found_for for n in ids),
                        "recall": round(sum(n in found_for for n in ids) / len(ids), 3) if ids else None}
    return {"originals": len(texts), "copies": len(made), "pairs": len(pairs), "right": right, "wrong": wrong,
            "precision": round(right / (right + wrong), 3) if right + wrong else None, "recall": recall,
            "pairs_among_originals": len(among), "wrong_examples": wrong_pairs[:10],
            "among_examples": [(texts[a][:40], texts[b][:40]) for a, b in sorted(among)[:10]]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus")
    ap.add_argument("--real", type=Path, default=REPO / "tests" / "real" / "files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--grid", action="store_true", help="also try other thresholds")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = ap.parse_args(argv)
    texts = originals(args.corpus, args.real)
    result = measure(texts, args.seed)
    print(f"{result['originals']} passages, {result['copies']} copies made; {result['pairs']} pairs found")
    for kind, r in result["recall"].items():
        print(f"  recall, {kind:<17} {r['found']:>5} / {r['copies']:<5} {r['recall']}")
    print(f"  precision (pairs with a copy)  {result['right']} right, {result['wrong']} wrong: {result['precision']}")
    print(f"  pairs among the originals (copies already in the corpus): {result['pairs_among_originals']}")
    for a, b in result["among_examples"]:
        print(f"    {a!r} ~ {b!r}")
    for a, b, s in result["wrong_examples"]:
        print(f"  wrong: {a!r} ~ {b!r} ({s})")
    if args.grid:
        print("\nresemblance containment  precision  recall(exact, sentence, numbers, reordered)")
        for r in (0.3, 0.4, 0.5, 0.6):
            for c in (0.7, 0.8, 0.9):
                copies.RESEMBLANCE, copies.CONTAINMENT = r, c
                g = measure(texts, args.seed)
                print(f"{r:>11} {c:>11} {g['precision']!s:>10}  "
                      + ", ".join(str(g["recall"][k]["recall"]) for k in KINDS))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
