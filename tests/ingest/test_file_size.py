"""A file's size costs time in proportion to it: a run of one character, a
council record without blank lines, alias learning over a long text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[2]


def test_a_million_character_run_of_one_character_is_indexed(tmp_path):
    """jieba's cost grew with the square of such a run (hours for this file),
    holding the build lock all along.  The build runs in a process of its own so
    that a regression fails here, after a generous wait, instead of hanging."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "run.txt").write_text("市" * 1_000_000, encoding="utf-8")
    (corpus / "mixed.txt").write_text(("的臺鄉" * 100_000)[:300_000], encoding="utf-8")
    index = tmp_path / "index"
    script = ("import json, sys; from indexer.index.build import build_index; "
              "s = build_index(sys.argv[1], sys.argv[2]); print(json.dumps([s.indexed, s.passages]))")
    done = subprocess.run([sys.executable, "-c", script, str(corpus), str(index)], cwd=REPO,
                          capture_output=True, text=True, timeout=900, check=True)
    indexed, passages = json.loads(done.stdout)
    assert sorted(indexed) == ["mixed", "run"]
    assert passages >= 1_300_000 // 3000  # passages of a readable size, not one each
    result = Searcher(index).search(parse_search_request({"q": "臺鄉的"}))
    assert {hit.doc_id for hit in result.hits} == {"mixed"}


@pytest.mark.parametrize(
    "make",
    [
        "council_text(800_000, random.Random(1), load_pools().sentences)",
        # A title whose every surname reference follows a character that precedes the surname
        # elsewhere too: each mention of 市長 re-read every 張市長 (minutes at 200,000 characters).
        "('乙張市長。張大明市長。乙張三。' * 20_000)[:200_000]",
        "('張大明市長乙張市長乙張，' * 20_000)[:200_000]",
    ],
    ids=["council", "reference-everywhere", "reference-glued"],
)
def test_alias_learning_of_a_long_text_finishes(make):
    """find_aliases counted each candidate name in the whole text (165,881 counts,
    150 s for a real 797,000-character council record); now about a second here.
    The timeout only keeps a regression from hanging the suite; what grows with
    the text is checked by counting, below."""
    script = ("import sys; sys.path.insert(0, 'scripts'); import random; "
              "from bench_file_size import council_text, load_pools; from indexer.ingest.aliases import find_aliases; "
              f"text = {make}; print(len(text), len(find_aliases(text)))")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=600, check=True)
    size, aliases = map(int, done.stdout.split())
    assert size >= 200_000
    if make.startswith("council"):
        assert aliases > 20  # the council's members and officials, by surname + title


class _Watched(str):
    """A text that counts the whole-text scans made on it (slices are plain str)."""

    scans = 0

    def count(self, *args):
        _Watched.scans += 1
        return super().count(*args)

    def find(self, *args):
        _Watched.scans += 1
        return super().find(*args)

    def __contains__(self, item):
        _Watched.scans += 1
        return super().__contains__(item)


def _council(size: int) -> str:
    import random

    sys.path.insert(0, str(REPO / "scripts"))
    from bench_file_size import council_text, load_pools

    return council_text(size, random.Random(1), load_pools().sentences)


@pytest.mark.parametrize("make", [
    lambda size: ("乙張市長。張大明市長。乙張三。" * 20_000)[:size],
    lambda size: ("張大明市長乙張市長乙張，" * 20_000)[:size],
    _council,
], ids=["reference-everywhere", "reference-glued", "council"])
def test_alias_learning_never_scans_the_whole_text_per_name(make):
    """The quadratic version scanned the whole text once per candidate name; a
    fixed number of whole-text scans, whatever the text's size, is linear."""
    from indexer.ingest.aliases import find_aliases

    scans = []
    for size in (20_000, 80_000):
        _Watched.scans = 0
        find_aliases(_Watched(make(size)))
        scans.append(_Watched.scans)
    assert scans[0] == scans[1] <= 10, scans
