"""How well jiaoliu finds the foreign partners, against partners judged by reading.

    .venv/bin/python scripts/partners_eval.py [--judged tests/eval/partners.yaml] [--errors] [--json]

The judged list (tests/eval/partners.yaml) names, for each paragraph of the five
bundled reports that is about an exchange with a partner, the partners it is about,
and for the real files of tests/real the partners of each whole file. Three measures,
each precision / recall / F1 over (place, partner) pairs:

- paragraph: `partners_in` over each paragraph of a bundled report (every paragraph:
  one the judgment does not list holds no partner);
- passage: `passage_partners` over each passage (what the partner facet and filter
  use), against the partners of the judged paragraphs it holds;
- real file: `partners_in` over each whole real file, as extracted for indexing.

--errors lists every pair found and not judged, and judged and not found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from indexer.errors import JiaoliuError
from indexer.evaluate import paragraphs
from indexer.ingest.extract import extract
from indexer.ingest.partners import partners_in, passage_partners
from indexer.ingest.passages import split_passages

REPO = Path(__file__).resolve().parents[1]


def score(found: set, judged: set) -> dict:
    hits = len(found & judged)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(judged) if judged else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"found": len(found), "judged": len(judged), "right": hits,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def paragraph_truth(body: str, judgments: list[dict]) -> dict[tuple[int, int], set[str]]:
    """Each paragraph of `body` with the partners judged for it (most have none)."""
    truth: dict[tuple[int, int], set[str]] = {span: set() for span in paragraphs(body)}
    for judgment in judgments:
        at = body.find(judgment["text"])
        if at < 0:
            raise SystemExit(f"judged text not in its report: {judgment['text']!r}")
        span = next(span for span in truth if span[0] <= at < span[1])
        truth[span] |= set(judgment["partners"])
    return truth


def measure(judged: dict, corpus: Path, real: Path) -> tuple[dict, dict]:
    found: dict[str, set] = {"paragraph": set(), "passage": set(), "real file": set()}
    truth: dict[str, set] = {name: set() for name in found}
    for doc_id, judgments in judged["bundled"].items():
        body = (corpus / f"{doc_id}.txt").read_text(encoding="utf-8")
        by_paragraph = paragraph_truth(body, judgments)
        for (start, end), partners in by_paragraph.items():
            place = f"{doc_id}@{start}"
            truth["paragraph"] |= {(place, p) for p in partners}
            found["paragraph"] |= {(place, p.name) for p in partners_in(body[start:end])}
        for passage in split_passages(body):
            place = f"{doc_id}#{passage.passage_id}"
            held = set().union(*(partners for (start, end), partners in by_paragraph.items()
                                 if passage.start <= start < passage.end))
            truth["passage"] |= {(place, p) for p in held}
            found["passage"] |= {(place, p.name) for p in passage_partners(passage.text, passage.heading_path)}
    for name, partners in judged["real"].items():
        path = real / name
        try:
            text = extract(path.read_bytes(), name)
        except JiaoliuError as exc:
            print(f"warning: {name}: {exc}", file=sys.stderr)
            continue
        truth["real file"] |= {(name, p) for p in partners}
        found["real file"] |= {(name, p.name) for p in partners_in(text)}
    return found, truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judged", type=Path, default=REPO / "tests" / "eval" / "partners.yaml")
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus")
    ap.add_argument("--real", type=Path, default=REPO / "tests" / "real" / "files")
    ap.add_argument("--errors", action="store_true", help="list what was found and not judged, and the reverse")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = ap.parse_args(argv)
    judged = yaml.safe_load(args.judged.read_text(encoding="utf-8"))
    found, truth = measure(judged, args.corpus, args.real)
    results = {name: score(found[name], truth[name]) for name in found}
    print(f"{'measure':<12}{'found':>7}{'judged':>8}{'right':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name, r in results.items():
        print(f"{name:<12}{r['found']:>7}{r['judged']:>8}{r['right']:>7}{r['precision']:>11.3f}"
              f"{r['recall']:>8.3f}{r['f1']:>7.3f}")
    if args.errors:
        for name in found:
            print(f"\n{name}: found, not judged")
            for place, partner in sorted(found[name] - truth[name]):
                print(f"  {place}  {partner}")
            print(f"{name}: judged, not found")
            for place, partner in sorted(truth[name] - found[name]):
                print(f"  {place}  {partner}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
