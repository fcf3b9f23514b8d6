"""The arrays engine's own pieces (indexer/engine/arrays), on the bundled corpus.

- batch.py: `batch_grams` makes exactly the grams of `indexer.text.grams`, on every
  passage, heading and title of the corpus and on generated hostile text;
- incremental builds (one segment per build, deletion lists, the whoosh store
  committed without merging) search exactly like a build from scratch of the same
  corpus, through reports added, changed, removed, renamed and brought back, with
  compaction never, sometimes or at every build (merge.py); every passage's stored
  fields are those of its place in the segments;
- the build being served is never written into by the next one, nor by one that
  fails half-way (whoosh's write lock released, so the next build runs);
- a build whose store and segments disagree is refused as damaged;
- compaction writes what a build from scratch writes, array for array.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import math
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import indexer.engine.arrays.evaluate as evaluate_module
import indexer.index.build as build_module
from indexer.engine.arrays import batch as batch_module
from indexer.engine.arrays import merge
from indexer.engine.arrays.batch import Classes, batch_grams, term_key
from indexer.engine.arrays.columns import Columns
from indexer.engine.arrays.engine import ArraysEngine
from indexer.engine.arrays.segment import Segment, SegmentWriter
from indexer.errors import DiskFull, IndexDamaged
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.records import passage_records
from indexer.ingest.corpus import read_corpus
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from indexer.text.fold import fold
from indexer.text.grams import grams

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
KEELUNG = "keelung-2022-yatsushiro-visit.txt"
TAIPEI = "taipei-2024-sushi-tech-tokyo.txt"
KAOHSIUNG_2014 = "kaohsiung-2014-h2-international-affairs.txt"
KAOHSIUNG_2022 = "kaohsiung-2022-pandemic-city-diplomacy.txt"
TAICHUNG = "taichung-2025-kyushu-startup-exchange.txt"

# --- batch.py ----------------------------------------------------------------------


def _reference(text: str) -> list[tuple[int, int, int]]:
    """(key, check, position) of each gram `indexer.text.grams` makes, sorted."""
    return sorted((*term_key(g.text), g.pos) for g in grams(fold(text)))


def _batched(texts: list[str]) -> list[list[tuple[int, int, int]]]:
    """The same, per text, from one batch of all of them."""
    found = batch_grams([fold(t) for t in texts], 0, Classes(), {})
    per_text: list[list] = [[] for _ in texts]
    for key, check, passage, pos in zip(found.keys.tolist(), found.checks.tolist(), found.passages.tolist(),
                                        found.positions.tolist(), strict=True):
        per_text[passage].append((key, check, pos))
    return [sorted(grams_of) for grams_of in per_text]


def _lists(text: str) -> list[tuple[int, int, int]]:
    return _batched([text])[0]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_batch_grams_are_the_grams_of_every_passage_heading_and_title(path):
    [(_path, report)] = [(p, r) for p, r in read_corpus(CORPUS) if p == path]
    texts = [report.metadata.title, *(t for p in report.passages for t in (p.text, p.heading))]
    assert len(texts) > 3
    assert _batched(texts) == [_reference(text) for text in texts]  # one batch: nothing spans two texts


@pytest.mark.parametrize("text", [
    "",
    " \t\n\u3000",  # whitespace only, an ideographic space among it
    "八代市",
    "八",  # one character: a unigram, no bigram
    "熊本縣、fgn",
    "2014ICLEI與ＭＯＵ",  # digits against letters, full width
    "「友好城市」。。",  # punctuation moves the position on
    "114 年 與 114年",  # whitespace does not
    "さくら市とソウル特別市",  # kana and hangul are CJK runs
    "𠀋𡈽𨑕",  # astral ideographs: one position each
    "a_b-c.d",  # underscore is not a letter
    "é café naïve",  # combining marks and Latin letters
    "臺\u0301灣",  # a combining mark inside a CJK run
    "1,234.5％",
])
def test_batch_grams_are_the_grams_of_hostile_text(text):
    assert _lists(text) == _reference(text)


_CHARACTERS = st.sampled_from(["八", "代", "市", "臺", "灣", "さ", "ク", "한", "국", "𠀋", "a", "Z", "é", "7", "0", " ",
                           "\u3000", "\n", "、", "。", "-", "_", "Ａ", "１", "\u0301", "⺀", "\ufeff", "!"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_CHARACTERS, st.text(max_size=3)), max_size=40).map("".join))
def test_batch_grams_are_the_grams_of_generated_text(text):
    assert _lists(text) == _reference(text)


# --- incremental builds against builds from scratch --------------------------------

APPENDED = "\n\n附記：八代市與基隆市將續辦港口交流，並邀請熊本縣觀光團來訪。\n"
APPENDED_AGAIN = "\n\n再記：雙方同意明年於八代港舉辦市長會談。\n"

# Each step changes the corpus, then a build runs: (what happens, [(action, name, what)]).
STEPS = [
    ("two reports", [("add", "keelung.txt", KEELUNG), ("add", "taipei.txt", TAIPEI)]),
    ("one added", [("add", "kaohsiung-2014.txt", KAOHSIUNG_2014)]),
    ("one changed", [("append", "keelung.txt", APPENDED)]),
    ("one removed", [("remove", "taipei.txt", None)]),
    ("one renamed", [("rename", "kaohsiung-2014.txt", "2014/kaohsiung-h2.txt")]),
    ("two added, one changed again", [("add", "taichung.txt", TAICHUNG), ("add", "kaohsiung-2022.txt", KAOHSIUNG_2022),
                                      ("append", "keelung.txt", APPENDED_AGAIN)]),
    ("the removed one back", [("add", "taipei.txt", TAIPEI)]),
]

QUERIES = [
    {"q": "八代"},  # inside 八代市 and 八代港
    {"q": "代市"},
    {"q": "八代市"},
    {"q": "熊本"},
    {"q": "臺"},
    {"q": '"姊妹市"'},
    {"q": '"市長峰會"'},
    {"q": "港口交流"},  # in the appended paragraph only
    {"q": "八代 交流"},  # AND, with partial matches
    {"q": "高雄 OR 臺中"},
    {"q": "交流 -疫情"},
    {"q": "(臺中 OR 高雄) 日本 -疫情"},
    {"q": "台中"},  # 臺 in the text
    {"q": "111年"},  # the other calendar's year
    {"q": "sushi tech"},
    {"q": "視訊會議"},  # a long term: its words are partial matches
    {"q": "熊本 半導體"},
    {"q": "交流", "city": "基隆市"},
    {"q": "日本", "from": "2020-01-01", "to": "2023-12-31"},
    {"q": "訪問", "kind": "出國報告"},
    {"q": "城市", "country": "韓國"},
    {"q": "交流", "sort": "newest"},
    {"q": "市", "sort": "oldest"},
    {"q": "八代", "sort": "newest", "city": "基隆市"},
    {},  # every passage
    {"sort": "oldest", "city": "高雄市"},
]

# Compaction: never, at every build with more than one segment (as one segment, or in
# runs of at most 60 passages), every other one, or as shipped: (MAX_SEGMENTS,
# DELETED_SHARE, MERGED_PASSAGES).
MODES = {"never": (10**9, 1.0, merge.MERGED_PASSAGES), "every build": (1, 1.0, merge.MERGED_PASSAGES),
         "every build, in runs": (1, 1.0, 60), "every other build": (2, 1.0, merge.MERGED_PASSAGES),
         "as shipped": (merge.MAX_SEGMENTS, merge.DELETED_SHARE, merge.MERGED_PASSAGES)}


@pytest.fixture(autouse=True)
def no_suggestions(monkeypatch):
    """Other spellings for a search that finds nothing are not what is compared here,
    and cost about a second each."""
    monkeypatch.setattr("indexer.search.searcher.suggestions", lambda *args, **kwargs: ())


def _apply(corpus: Path, changes) -> None:
    for action, name, what in changes:
        path = corpus / name
        if action == "add":
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(CORPUS / what, path)
        elif action == "append":
            path.write_text(path.read_text(encoding="utf-8") + what, encoding="utf-8")
        elif action == "remove":
            path.unlink()
        else:
            (corpus / what).parent.mkdir(parents=True, exist_ok=True)
            path.rename(corpus / what)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """fresh(i): an index built from scratch of the corpus as it is after step i."""
    built: dict[int, Path] = {}

    def get(i: int) -> Path:
        if i not in built:
            work = tmp_path_factory.mktemp(f"fresh-{i}")
            for _what, changes in STEPS[: i + 1]:
                _apply(work / "corpus", changes)
            built[i] = work / "index"
            build_index(work / "corpus", built[i], engine="arrays")
        return built[i]

    return get


def _answers(searcher: Searcher) -> dict:
    """Every query's total, facets, hits (all pages; in order for a date order),
    partial matches (how many, and which) and the stored passages of its hits."""
    engine = searcher.index.searcher()
    answers = {}
    for params in QUERIES:
        request = parse_search_request({**params, "per_page": "100"})
        result = searcher.search(request)
        hits = list(result.hits)
        for page in range(2, math.ceil(result.total / 100) + 1):
            hits += searcher.search(replace(request, page=page)).hits
        keys = [(h.doc_id, h.passage_id) for h in hits]
        assert len(keys) == len(set(keys)) == result.total, params
        plan = searcher.parse(request.query)
        partial = engine.partial(plan, request, limit=100_000) if request.query else None
        answers[json.dumps(params, ensure_ascii=False)] = {
            "total": result.total,
            "facets": {name: [v.to_dict() for v in values] for name, values in result.facets.items()},
            "hits": keys if request.sort != "relevance" else sorted(keys),
            "partial_total": result.partial_total,
            "partial": sorted((engine.stored(n)["doc_id"], engine.stored(n)["passage_id"]) for _s, n in partial.best)
            if partial else [],
            "texts": {f"{h.doc_id}#{h.passage_id}": (h.heading, h.text) for h in hits},
        }
    engine.close()
    return answers


def _check_stored(index: Path) -> None:
    """Every passage number's stored fields are its report's passage, and the segments'
    columns at that number name the same report and place."""
    searcher = Searcher(index, engine="arrays")
    engine = searcher.index.searcher()
    columns = searcher.index.columns
    run = engine.run(None, parse_search_request({}), limit=10**6)
    assert run.total == searcher.manifest["passages"] == len(run.best)
    reports = {}
    for _s, number in run.best:
        fields = engine.stored(number)
        assert fields == engine._store.stored_fields(number)  # read directly = read through whoosh
        doc_id = fields["doc_id"]
        if doc_id not in reports:
            reports[doc_id] = {r.passage_id: r for r in passage_records(searcher.report(doc_id))}
        record = reports[doc_id][fields["passage_id"]]
        assert (fields["text"], fields["heading"], fields["title"], fields["ordinal"]) == (
            record.text, record.heading, record.title, record.ordinal)
        assert columns.tables["doc"][columns.codes["doc"][number]] == doc_id
        assert columns.codes["ordinal"][number] == record.ordinal
    engine.close()


def _steps(tmp_path: Path, monkeypatch, mode: str):
    """Run STEPS as incremental builds of one index under the compaction `mode`;
    yields (step number, index, the build served before this step's) after each."""
    monkeypatch.setattr(merge, "MAX_SEGMENTS", MODES[mode][0])
    monkeypatch.setattr(merge, "DELETED_SHARE", MODES[mode][1])
    monkeypatch.setattr(merge, "MERGED_PASSAGES", MODES[mode][2])
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    for i, (_what, changes) in enumerate(STEPS):
        before = store.current_build(index) if i else None
        _apply(corpus, changes)
        summary = build_index(corpus, index, engine="arrays")
        assert not summary.up_to_date and (summary.indexed or summary.removed)
        yield i, index, before


def _segments(index: Path) -> list[dict]:
    return store.read_json(store.current_build(index) / "arrays" / "segments.json")


@pytest.mark.parametrize("mode", MODES)
def test_incremental_builds_search_like_a_build_from_scratch(tmp_path, monkeypatch, fresh, mode):
    shapes = []
    previous = None
    for i, index, _before in _steps(tmp_path, monkeypatch, mode):
        got, expected = _answers(Searcher(index, engine="arrays")), _answers(Searcher(fresh(i), engine="arrays"))
        for query in expected:
            assert got[query] == expected[query], (STEPS[i][0], query)
        _check_stored(index)
        _check_columns(index, tmp_path)
        if STEPS[i][0] == "one changed":  # the appended paragraph is found
            assert expected['{"q": "港口交流"}']["total"] > previous['{"q": "港口交流"}']["total"]
        previous = expected
        segments = _segments(index)
        deleted = sum(len(merge.deleted(store.current_build(index) / "arrays", s["name"])) for s in segments)
        shapes.append((len(segments), deleted))
    if mode == "never":  # a segment per build that added passages, and deletion lists, were searched
        assert shapes[-1][0] == len(STEPS) - 1 and shapes[-1][1] > 0
    elif mode == "every build":
        assert {segments for segments, _deleted in shapes} == {1}
    elif mode == "every build, in runs":
        assert max(shapes)[0] > 1 and {deleted for _segments, deleted in shapes} == {0}
    else:
        assert max(shapes)[0] > 1 and min(shapes)[0] == 1


def _check_columns(index: Path, tmp_path: Path) -> None:
    """The columns a build wrote are the columns worked out from its segments (which a
    build without them gets)."""
    folder = store.current_build(index) / "arrays"
    segments = [Segment(folder / entry["name"]) for entry in _segments(index)]
    saved = Columns.load(folder / "columns", segments)
    computed = Columns.load(tmp_path / "no-columns", segments)
    assert saved.tables == computed.tables and saved.names.keys() == computed.names.keys()
    assert saved._arrays().keys() == computed._arrays().keys()
    for name, array in computed._arrays().items():
        np.testing.assert_array_equal(saved._arrays()[name], array, err_msg=name)
        assert saved._arrays()[name].dtype == array.dtype


def _files(build: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(build)): (p.stat().st_ino, hashlib.sha1(p.read_bytes()).hexdigest())
            for p in sorted(build.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mode", ["never", "every build"])
def test_the_build_served_is_untouched_by_the_next(tmp_path, monkeypatch, mode):
    opened = None  # (searcher on the build served, its files, its answers) before each build
    for _i, index, before in _steps(tmp_path, monkeypatch, mode):
        if opened is not None:
            searcher, files, answers = opened
            assert searcher.build == before != store.current_build(index)
            assert _files(before) == files  # the same inodes, the same bytes
            assert _answers(searcher) == answers  # a searcher opened before answers as it did
        searcher = Searcher(index, engine="arrays")
        opened = searcher, _files(searcher.build), _answers(searcher)


# --- interrupted builds ----------------------------------------------------------


def _explode_on_taichung(monkeypatch):
    real = build_module.passage_records

    def records(report, partners=None):
        if report.doc_id == "taichung":
            raise KeyboardInterrupt  # Ctrl-C while the passages are added
        return real(report, partners)

    monkeypatch.setattr(build_module, "passage_records", records)


def _disk_full(monkeypatch):
    def write(self, folder):
        folder.mkdir(parents=True)
        (folder / "term_hash.npy").write_bytes(b"\x93NUMPY")  # half a file
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "write", write)


def _after(name: str, exc: BaseException):
    """Breaks merge.<name> after it has done its work."""

    def breaking(monkeypatch):
        real = getattr(merge, name)

        def broken(*args, **kwargs):
            real(*args, **kwargs)
            raise exc

        monkeypatch.setattr(merge, "MAX_SEGMENTS", 1)
        monkeypatch.setattr(merge, name, broken)

    return breaking


INTERRUPTIONS = {
    "while adding passages": (_explode_on_taichung, KeyboardInterrupt),
    "writing the segment": (_disk_full, DiskFull),
    "merging the segments": (_after("_write_segment", MemoryError()), MemoryError),
    "rewriting the store": (_after("_write_store", KeyboardInterrupt()), KeyboardInterrupt),
}


@pytest.fixture
def served(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """An index of two reports over two segments, one passage list deleted."""
    monkeypatch.setattr(merge, "MAX_SEGMENTS", 10**9)
    monkeypatch.setattr(merge, "DELETED_SHARE", 1.0)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _apply(corpus, STEPS[0][1])
    build_index(corpus, index, engine="arrays")
    _apply(corpus, [("append", "taipei.txt", APPENDED)])
    build_index(corpus, index, engine="arrays")
    assert len(_segments(index)) == 2
    return corpus, index


def _write_locks() -> list[str]:
    """The whoosh write locks this process holds open."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            held.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return [name for name in held if "WRITELOCK" in name]


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
def test_a_build_that_fails_half_way_leaves_the_build_served_intact(served, monkeypatch, tmp_path, interruption):
    corpus, index = served
    build = store.current_build(index)
    files, answers = _files(build), _answers(Searcher(index, engine="arrays"))
    builds = sorted(p.name for p in index.glob("build-*"))
    _apply(corpus, [("add", "taichung.txt", TAICHUNG), ("remove", "keelung.txt", None)])
    breaking, error = INTERRUPTIONS[interruption]
    gc.disable()  # what the failed build left open must be closed by it, not by the collector
    try:
        with monkeypatch.context() as patched:
            breaking(patched)
            with pytest.raises(error):
                build_index(corpus, index, engine="arrays")
            assert not _write_locks()  # released by the failed build, not left to the collector
        assert store.current_build(index) == build and _files(build) == files
        assert _answers(Searcher(index, engine="arrays")) == answers
        assert sorted(p.name for p in index.glob("build-*")) == builds  # the half build is gone
        build_index(corpus, index, engine="arrays")  # the next build, in the same process
    finally:
        gc.enable()
    build_index(corpus, tmp_path / "fresh", engine="arrays")
    assert _answers(Searcher(index, engine="arrays")) == _answers(Searcher(tmp_path / "fresh", engine="arrays"))


def test_a_cancelled_writer_leaves_its_base_intact(served, tmp_path):
    _corpus, index = served
    base = store.current_build(index)
    files, answers = _files(base), _answers(Searcher(index, engine="arrays"))
    [(_path, report)] = [(p, r) for p, r in read_corpus(CORPUS) if p.name == TAICHUNG]
    for attempt in range(2):
        build = tmp_path / f"build-{attempt}"
        build.mkdir()
        writer = ArraysEngine().writer(build, base, 1)
        writer.delete("keelung")
        writer.add(passage_records(report))
        writer.cancel()
        shutil.rmtree(build)
    assert _files(base) == files and _answers(Searcher(index, engine="arrays")) == answers


# --- damaged builds --------------------------------------------------------------


def _listing(index: Path) -> Path:
    return store.current_build(index) / "arrays" / "segments.json"


def _recount(index: Path) -> None:
    """A count one off in segments.json, the file's size unchanged (so only the engine can tell)."""
    text = _listing(index).read_text(encoding="utf-8")
    n = int(re.search(r'"passages": (\d+)', text).group(1))
    other = n + 1 if len(str(n + 1)) == len(str(n)) else n - 1
    _listing(index).write_text(text.replace(f'"passages": {n}', f'"passages": {other}', 1), encoding="utf-8")


def _drop_last_segment(index: Path) -> None:
    store.write_json(_listing(index), store.read_json(_listing(index))[:-1])


def _forget_deletions(index: Path) -> None:
    for path in (_listing(index).parent / "deleted").iterdir():
        path.unlink()


def _resize_manifest(index: Path) -> None:
    """The manifest made to list the files as they now are (past the size check)."""
    build = store.current_build(index)
    manifest = store.read_json(build / "manifest.json")
    store.write_json(build / "manifest.json", {**manifest, "files": store.file_sizes(build)})


@pytest.mark.parametrize("spoil,message", [
    (_recount, r"segment s\d+-\w+ holds \d+ passages, not \d+"),
    (_drop_last_segment, r"the columns hold \d+ passages, the segments \d+"),
    (_forget_deletions, r"the store holds \d+ passages not deleted, the arrays \d+"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_build_whose_store_and_segments_disagree_is_damaged(served, spoil, message):
    _corpus, index = served
    spoil(index)
    _resize_manifest(index)
    with pytest.raises(IndexDamaged, match=f"cannot be opened.*{message}.*jiaoliu index"):
        Searcher(index, engine="arrays")


def test_a_segments_listing_edited_to_another_size_is_named(served):
    _corpus, index = served
    store.write_json(_listing(index), [{**e, "passages": e["passages"] + 1000} for e in _segments(index)])
    with pytest.raises(IndexDamaged, match="segments.json has"):
        Searcher(index, engine="arrays")


# --- compaction ------------------------------------------------------------------


def _write_deleted(folder: Path, name: str, count: int) -> None:
    (folder / "deleted").mkdir(exist_ok=True)
    np.save(folder / "deleted" / f"{name}.npy", np.arange(count, dtype=np.uint32))


@pytest.mark.parametrize("passages,deleted,due", [
    ([100], [0], False),
    ([100], [25], False),  # a quarter: not more
    ([100], [26], True),
    ([60, 40], [20, 6], True),  # 26 of 100, across segments
    ([10] * 8, [0] * 8, False),
    ([10] * 9, [0] * 9, True),  # more than MAX_SEGMENTS
    ([], [], False),
])
def test_compaction_is_due_past_max_segments_or_a_quarter_deleted(tmp_path, monkeypatch, passages, deleted, due):
    monkeypatch.setattr(merge, "MAX_SEGMENTS", 8)
    monkeypatch.setattr(merge, "DELETED_SHARE", 0.25)
    segments = [{"name": f"s{i:05d}-abcdef", "passages": n} for i, n in enumerate(passages, 1)]
    for entry, count in zip(segments, deleted, strict=True):
        if count:
            _write_deleted(tmp_path, entry["name"], count)
    assert merge.due(tmp_path, segments) is due


@pytest.mark.parametrize("passages,gone,runs", [
    ([], [], []),
    ([10, 10, 10], [0, 0, 0], [[0, 1, 2]]),  # small segments: one run
    ([60, 50, 10], [0, 0, 0], [[0], [1], [2]]),  # clean and half a merge or more: kept
    ([60, 10, 10], [20, 0, 0], [[0, 1, 2]]),  # 40 live after deletions: merged with the next
    ([30, 30, 30, 30], [0, 0, 0, 0], [[0, 1, 2], [3]]),  # under half a merge: merged
    ([20, 20, 20, 20, 20], [0, 0, 0, 0, 0], [[0, 1, 2, 3, 4]]),  # 100: at most MERGED_PASSAGES
    ([20, 20, 20, 20, 20, 20], [0] * 6, [[0, 1, 2, 3, 4], [5]]),
    ([300, 10], [1, 0], [[0], [1]]),  # larger than a merge: alone
    ([50, 50], [50, 0], [[0, 1]]),  # nothing live left in the first
])
def test_compaction_merges_runs_of_neighbouring_segments(monkeypatch, passages, gone, runs):
    monkeypatch.setattr(merge, "MERGED_PASSAGES", 100)
    assert merge.groups(passages, gone) == runs


def _compacted(tmp_path: Path, monkeypatch, merged: int | None = None, forked: bool = False) -> Path:
    """An index through every step without compaction, then compacted by one more build
    (in runs of at most `merged` passages; `forked`: the store's rewrite and the merges
    side by side in forked processes, as in a large build)."""
    index = list(_steps(tmp_path, monkeypatch, "never"))[-1][1]
    assert len(_segments(index)) == len(STEPS) - 1
    (tmp_path / "before.json").write_text(json.dumps(_segments(index)))
    monkeypatch.setattr(merge, "MAX_SEGMENTS", 1)
    if merged:
        monkeypatch.setattr(merge, "MERGED_PASSAGES", merged)
    if forked:
        monkeypatch.setattr(merge.parallel, "PARALLEL_FROM", 1)
        monkeypatch.setattr(merge.parallel.os, "cpu_count", lambda: 2)
    _apply(tmp_path / "corpus", [("remove", "kaohsiung-2022.txt", None)])
    build_index(tmp_path / "corpus", index, engine="arrays")
    return index


MERGED_PASSAGES = merge.MERGED_PASSAGES  # as shipped


@pytest.mark.parametrize("chunk,merged,forked", [
    (merge._CHUNK, MERGED_PASSAGES, False), (7, MERGED_PASSAGES, False), (merge._CHUNK, 60, False),
    (merge._CHUNK, 60, True),
], ids=["one chunk", "chunks of 7 postings", "runs of 60 passages", "runs of 60 passages in forked processes"])
def test_compaction_writes_what_a_build_from_scratch_writes(tmp_path, monkeypatch, chunk, merged, forked):
    monkeypatch.setattr(merge, "_CHUNK", chunk)
    index = _compacted(tmp_path, monkeypatch, merged, forked)
    folder = store.current_build(index) / "arrays"
    entries = _segments(index)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(e["name"] for e in entries), "columns", "deleted",
                                                               "segments.json", "store"])
    assert not list((folder / "deleted").iterdir())
    # The same passages, in the compacted order, written by a SegmentWriter, segment by segment.
    searcher = Searcher(index, engine="arrays")
    engine = searcher.index.searcher()
    assert searcher.index.postings.passages == sum(e["passages"] for e in entries) == searcher.manifest["passages"]
    records = {(r.doc_id, r.passage_id): r for doc in searcher.catalog
               for r in passage_records(searcher.report(doc["doc_id"]))}
    assert (len(entries) == 1) is (merged == MERGED_PASSAGES)
    offset = 0
    for entry in entries:
        writer = SegmentWriter()
        writer.add(records[engine.stored(n)["doc_id"], engine.stored(n)["passage_id"]]
                   for n in range(offset, offset + entry["passages"]))
        offset += entry["passages"]
        writer.write(tmp_path / "expected" / entry["name"])
        merged_segment, expected = Segment(folder / entry["name"]), Segment(tmp_path / "expected" / entry["name"])
        for name in ("term_hash", "term_check", "term_start", "post_doc", "post_pos", "positions"):
            a, b = getattr(merged_segment, name), getattr(expected, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        for name, column in expected.columns.items():
            assert merged_segment.columns[name].dtype == column.dtype, name
            assert np.array_equal(merged_segment.columns[name], column), name
        assert merged_segment.values == expected.values
    engine.close()
    if merged != MERGED_PASSAGES:
        # runs: the first segments (fewer than 60 live), the one with a report removed (more) alone,
        # and the last build's segment, without deletions, kept as it was
        before = json.loads((tmp_path / "before.json").read_text())
        first, alone, last = (e["passages"] for e in entries)
        assert first <= merged < first + alone and last == before[-1]["passages"]
        assert entries[-1] == before[-1] and entries[0]["name"] not in {e["name"] for e in before}


def test_after_compaction_the_scores_are_a_fresh_builds(tmp_path, monkeypatch):
    """Deleted passages no longer count in BM25's frequencies and lengths (before
    compaction they do, in both engines: whoosh counts its deleted documents too)."""
    index = _compacted(tmp_path, monkeypatch)
    _apply(tmp_path / "expected", [c for _w, changes in STEPS for c in changes])
    _apply(tmp_path / "expected", [("remove", "kaohsiung-2022.txt", None)])
    build_index(tmp_path / "expected", tmp_path / "expected-index", engine="arrays")
    scores = []
    for folder in (index, tmp_path / "expected-index"):
        searcher = Searcher(folder, engine="arrays")
        engine = searcher.index.searcher()
        found = {}
        for query in ("八代", "熊本 半導體", "交流 -疫情", "高雄 OR 臺中", "視訊會議"):
            request = parse_search_request({"q": query})
            for score, n in engine.run(searcher.parse(query), request, limit=10**6).best:
                found[query, engine.stored(n)["doc_id"], engine.stored(n)["passage_id"]] = score
        scores.append(found)
        engine.close()
    assert scores[0].keys() == scores[1].keys()
    assert scores[0] == pytest.approx(scores[1], rel=1e-5)


@pytest.mark.parametrize("checks", [(1, 2), (2, 1)])
def test_two_terms_of_one_hash_are_told_apart_before_and_after_compaction(tmp_path, monkeypatch, fresh, checks):
    """The words sushi and tokyo made to share their 61-bit hash; one of the two orders
    of their checks goes against the order a segment lists them in (the merge's rarely
    taken path). CJK grams are keyed by their code points and never share a key."""
    # answered first, with the real keys
    expected = [_answers(Searcher(fresh(i), engine="arrays")) for i in range(len(STEPS))]
    real = batch_module.word_key
    first = real("sushi", 0)[0]

    def key(word: str, tag: int) -> tuple[int, int]:
        if word in ("sushi", "tokyo") and tag == 0:
            return first, checks[word == "tokyo"]
        return real(word, tag)

    monkeypatch.setattr(batch_module, "word_key", key)
    for i, index, _before in _steps(tmp_path, monkeypatch, "every other build"):
        assert _answers(Searcher(index, engine="arrays")) == expected[i], i
        for entry in _segments(index):
            segment = Segment(store.current_build(index) / "arrays" / entry["name"])
            if segment.term(term_key("sushi")) is not None:
                assert segment.term(term_key("sushi")) != segment.term(term_key("tokyo"))


def test_out_of_time_while_ranking_every_match_is_still_counted(engine_index_dir, monkeypatch):
    """A deadline that passes after the matching (the ranking is the rest of the work):
    the exact total and facets, the first passages in date order, marked incomplete."""
    from indexer.engine.deadline import SearchTimeout

    searcher = Searcher(engine_index_dir("arrays"), time_limit=30)
    request = parse_search_request({"q": "八代"})
    whole = searcher.search(request)

    def out_of_time(*_args, **_kwargs):
        raise SearchTimeout

    monkeypatch.setattr(evaluate_module.Evaluator, "relevance", out_of_time)
    cut = searcher.search(request)
    assert not cut.complete and cut.total == whole.total > 0 and cut.facets == whole.facets
    assert {(h.doc_id, h.passage_id) for h in cut.hits} <= {
        (h.doc_id, h.passage_id) for h in searcher.export(parse_search_request({"q": "八代", "sort": "newest"}))}
    assert len(cut.hits) == min(10, whole.total)


@pytest.mark.parametrize("params", [
    {"q": "八代"}, {"q": "交流"}, {"q": "交流", "city": "臺中市"}, {"q": "市", "country": "日本"},
    {"q": "合作", "kind": "出國報告", "from": "2019-01-01"}, {},
])
def test_facets_summed_per_report_are_the_facets_counted_per_passage(engine_index_dir, params):
    """Facets whose value is the report's are summed from the matches per report; the
    same counts as tallying every matching passage (the way a facet that differs within
    a report is counted)."""
    searcher = Searcher(engine_index_dir("arrays"), engine="arrays")
    columns = searcher.index.columns
    assert set(columns.by_report) == {"city", "year", "kind", "agency", "level"}
    # a passage's countries and partners are its own (records.passage_countries, passage_partners)
    assert all(lists.report_code is None for lists in columns.lists.values())
    request = parse_search_request(params)
    summed = searcher.search(request)
    columns.by_report = {}
    counted = searcher.search(request)
    assert summed.facets == counted.facets and summed.total == counted.total
    assert sum(v.count for v in summed.facets["city"]) > 0


CACHED_QUERIES = ["八代", "八代市 港口", "港口交流", '"友好交流協定"', "姊妹市 OR 友好城市", "交流 -八代",
                  "合作備忘錄", "熊本縣 半導體", "視訊會議"]


@pytest.mark.parametrize("room", [10**9, 2], ids=["room for all", "room for two"])
def test_cached_term_matches_answer_as_found_anew(engine_index_dir, monkeypatch, room):
    """Every term kept (CACHE_FROM_POSTINGS 0), asked twice in turn, with room for all of
    them or for two (each search then evicts others): the same answers as without a cache."""
    def answers(searcher: Searcher) -> list:
        found = []
        for query in CACHED_QUERIES + CACHED_QUERIES[::-1]:
            result = searcher.search(parse_search_request({"q": query, "per_page": "100"}))
            found.append((query, result.total, [(h.doc_id, h.passage_id, round(h.score, 6)) for h in result.hits],
                          result.partial_total, result.facets))
        return found

    monkeypatch.setattr(evaluate_module, "CACHE_FROM_POSTINGS", 10**12)
    uncached = answers(Searcher(engine_index_dir("arrays"), engine="arrays"))
    monkeypatch.setattr(evaluate_module, "CACHE_FROM_POSTINGS", 0)
    monkeypatch.setattr(evaluate_module, "CACHE_BYTES", room)
    searcher = Searcher(engine_index_dir("arrays"), engine="arrays")
    cache = searcher.index.postings.masks
    assert answers(searcher) == uncached
    assert 0 < len(cache._masks) <= (10**9 if room > 2 else 1)
    assert all(len(packed) == (searcher.index.postings.passages + 7) // 8 for packed in cache._masks.values())


@pytest.mark.parametrize("query", ["八代 港口 締結", '"友好城市活動"', "株式会社"])
def test_many_partial_matches_score_the_likeliest_and_count_them_all(engine_index_dir, monkeypatch, query):
    """With more partial matches than PARTIAL_SCORED only the likeliest are scored (most of
    the query's pieces, then most prose): the count is every one of them, and the best
    hold as many of the terms as the best of all of them do."""
    from indexer.engine.arrays import engine as engine_module
    from indexer.weights import COORD

    searcher = Searcher(engine_index_dir("arrays"), engine="arrays")
    engine = searcher.index.searcher()
    plan, request = searcher.parse(query), parse_search_request({"q": query})
    everything = engine.partial(plan, request, limit=3)
    monkeypatch.setattr(engine_module, "PARTIAL_SCORED", 3)
    bounded = engine.partial(plan, request, limit=3)
    assert everything.total == bounded.total > 3
    assert len(bounded.best) == 3
    assert [s // COORD for s, _n in bounded.best] == [s // COORD for s, _n in everything.best]
    engine.close()


@pytest.mark.parametrize("params", [{"q": "口罩"}, {"q": "交流", "from": "2021", "to": "2024"}, {"city": "高雄市"}])
def test_years_counted_per_report_are_the_years_counted_per_passage(engine_index_dir, monkeypatch, params):
    searcher = Searcher(engine_index_dir("arrays"), engine="arrays")
    request = parse_search_request(params)
    per_report = searcher.search(request).facets["year"]
    assert searcher.index.report_first_years() is not None
    monkeypatch.setattr(type(searcher.index), "report_first_years", lambda self: None)
    assert searcher.search(request).facets["year"] == per_report


@pytest.mark.parametrize("facet", ["country", "partner"])
@pytest.mark.parametrize("params", [{"q": "口罩"}, {"q": "交流", "city": "高雄市"}, {}])
def test_lists_counted_from_each_passages_first_and_others_are_its_list(engine_index_dir, params, facet):
    """A list facet's fast count (first code, then the passages holding several) is the
    count over every passage's whole list."""
    searcher = Searcher(engine_index_dir("arrays"), engine="arrays")
    lists = searcher.index.columns.lists[facet]
    docs = np.flatnonzero(searcher.index.postings.live)
    size = len(searcher.index.columns.tables[facet])
    starts = np.asarray(lists.start)[docs]
    lengths = np.asarray(lists.start)[docs + 1] - starts
    from indexer.engine.arrays.segment import ranges

    expected = np.bincount(np.asarray(lists.code)[ranges(starts, lengths)], minlength=size)
    assert np.array_equal(lists.counts(docs, size), expected)
    assert (np.diff(np.asarray(lists.start)) > 1).any()  # some passage names several
