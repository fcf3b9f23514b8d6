"""Compaction: a build's segments rewritten without the deleted passages, a few at a time.

Every incremental build adds a segment (`segment.py`) and lists the passages it
deleted (`engine.py`); a search then looks each gram up in every segment and
reads the deleted passages' postings only to mask them out, and BM25 still
counts them in its document frequencies. So when a build's commit finds more
than MAX_SEGMENTS segments (beyond two per 100k passages), or more than
DELETED_SHARE of the passages deleted, it compacts (`groups`): runs of
neighbouring segments are each rewritten as one segment of their live passages,
in order, of at most MERGED_PASSAGES; a segment holding no deleted passage
stays as it is (and takes no other when it holds half of that or more). A merge holds its run's arrays in memory
(≈ 7 KB a passage), so a compaction's memory is bounded by MERGED_PASSAGES
whatever the archive's size: merging everything as one took 7.4 GB at 1M
passages (docs/PERFORMANCE.md).

- the segments' arrays are merged with numpy, never re-tokenised: the lexicons
  joined on the terms' (hash, check) keys, every posting of a live passage
  renumbered and put in its term's place (after the term's postings in the
  segments before: each term's passages stay ascending), its positions copied
  behind it; the columns and their value tables re-coded over the live
  passages. The result is array for array what `SegmentWriter` writes for the
  same passages (tests/engine/test_arrays_engine.py);
- the whoosh store is written anew from the live passages' stored fields in the
  same order (one segment, whoosh's NO_MERGE), so whoosh's document numbers stay
  the segments' numbers; the store's live documents are checked against the
  arrays' passage by passage (same places, same reports) before anything is replaced.
  The runs' merges and the store's rewrite run side by side (`parallel.start`).

Re-deriving the segment from the stored fields through `SegmentWriter` would
also do, but costs what indexing every passage again costs: at 20k passages
5.4 s against 0.4 s for the merge; the store's rewrite costs 1.5 s either way
(scripts/bench_compaction.py).

Only the build being written changes: the old segments' folders and deletion
lists are hard links into the build being served, and are only unlinked here.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.fields import Schema

from indexer.engine.arrays import parallel
from indexer.engine.arrays.segment import CODED, LATIN, LENGTHS, Segment, ranges
from indexer.index.records import LISTS

# More segments than this beyond one per part of a large build (parallel.PART_PASSAGES),
# or more than this share of the passages deleted: compact.
MAX_SEGMENTS = 8
DELETED_SHARE = 0.25
# The live passages a compaction writes as one segment, at most (a part's segment's size).
MERGED_PASSAGES = parallel.PART_PASSAGES // parallel.PART_SEGMENTS
# Postings gathered at a time (bounds the int64 index arrays of the position copy).
_CHUNK = 1 << 18


def deleted(folder: Path, name: str) -> np.ndarray:
    """The deleted passages of segment `name` (segment-local numbers)."""
    path = folder / "deleted" / f"{name}.npy"
    return np.load(path, allow_pickle=False) if path.is_file() else np.zeros(0, np.uint32)


def due(folder: Path, segments: list[dict]) -> bool:
    """Whether the build's segments should be compacted (see the module's docstring)."""
    total = sum(entry["passages"] for entry in segments)
    if len(segments) > MAX_SEGMENTS + parallel.PART_SEGMENTS * (total // parallel.PART_PASSAGES):
        return True
    gone = sum(len(deleted(folder, entry["name"])) for entry in segments)
    return gone > DELETED_SHARE * total


def groups(passages: list[int], gone: list[int]) -> list[list[int]]:
    """The runs of neighbouring segments a compaction writes as one each, by their
    places: each run's live passages at most MERGED_PASSAGES (a segment larger alone
    is a run of its own); a segment without deleted passages that holds half of that
    or more takes no other. `passages`/`gone`: each segment's passages and deleted ones."""
    runs: list[list[int]] = []
    held = 0  # live passages of the last run
    for i, (total, deleted_here) in enumerate(zip(passages, gone, strict=True)):
        live = total - deleted_here
        last = runs[-1] if runs else None
        full = last is not None and _clean(last, gone) and passages[last[0]] >= MERGED_PASSAGES // 2
        if last is not None and held + live <= MERGED_PASSAGES and not full:
            last.append(i)
            held += live
        else:
            runs.append([i])
            held = live
    return runs


def _clean(run: list[int], gone: list[int]) -> bool:
    """Whether a run is one segment without deleted passages: it stays as it is."""
    return len(run) == 1 and not gone[run[0]]


def compact(folder: Path, segments: list[dict], schema: Schema) -> list[dict]:
    """Rewrite the arrays folder `folder` (its segments, deletions and whoosh store)
    without its deleted passages, in runs of segments (`groups`); returns the new
    segments.json entries."""
    opened = [Segment(folder / entry["name"]) for entry in segments]
    lives = []
    for entry, segment in zip(segments, opened, strict=True):
        live = np.ones(segment.passages, dtype=bool)
        live[deleted(folder, entry["name"]).astype(np.int64)] = False
        lives.append(live)
    passages = [entry["passages"] for entry in segments]
    gone = [len(live) - int(live.sum()) for live in lives]
    number = 1 + max((int(entry["name"][1:].split("-")[0]) for entry in segments), default=0)
    result: list[dict] = []
    merges = []  # (target, its segments, their lives)
    for run in groups(passages, gone):
        if _clean(run, gone):
            result.append(segments[run[0]])
            continue
        live = sum(passages[i] - gone[i] for i in run)
        if not live:
            continue
        name = f"s{number:05d}-{os.urandom(3).hex()}"
        number += 1
        result.append({"name": name, "passages": live})
        merges.append((folder / name, [opened[i] for i in run], [lives[i] for i in run]))
    doc_ids = [d for segment, live in zip(opened, lives, strict=True)
               for d in np.asarray(segment.values["doc"], dtype=object)[np.asarray(segment.columns["doc"])[live]]]
    new_store = folder / f"store-{os.urandom(3).hex()}"
    # Two processes: the store's rewrite, and the runs' merges one after another
    # (one run's arrays in memory at a time).
    parallel.start([lambda: _write_store(folder / "store", new_store, schema, lives, doc_ids),
                    lambda: [_write_segment(*merge) for merge in merges]], sum(passages)).wait()
    # Everything new is written: the old files go (from this build only).
    shutil.rmtree(folder / "store")
    os.rename(new_store, folder / "store")
    kept = {entry["name"] for entry in result}
    for entry in segments:
        if entry["name"] not in kept:
            shutil.rmtree(folder / entry["name"])
    shutil.rmtree(folder / "deleted")
    (folder / "deleted").mkdir()
    return result


def _write_segment(target: Path, segments: list[Segment], lives: list[np.ndarray]) -> int:
    """Write the live passages of `segments` as one segment into `target`; returns how many."""
    arrays = _postings(segments, lives)
    values: dict[str, list[str]] = {}
    for name in CODED:
        used = [np.unique(np.asarray(s.columns[name])[live]) for s, live in zip(segments, lives, strict=True)]
        table = sorted({s.values[name][i] for s, codes in zip(segments, used, strict=True) for i in codes})
        index = {v: i for i, v in enumerate(table)}
        arrays[name] = _concat([_lookup(s.values[name], index)[np.asarray(s.columns[name])[live]]
                                for s, live in zip(segments, lives, strict=True)], np.int32)
        values[name] = table
    for facet in LISTS:
        arrays.update(_lists(facet, segments, lives, values))
    for name, dtype in [*((n, np.int32) for n in LENGTHS.values()), ("chars", np.int32), ("prior", np.float32),
                        ("ordinal", np.int32), ("span_start", np.int32), ("span_end", np.int32)]:
        arrays[name] = _concat([np.asarray(s.columns[name])[live] for s, live in zip(segments, lives, strict=True)],
                               dtype)
    target.mkdir()
    for name, data in arrays.items():
        np.save(target / f"{name}.npy", data, allow_pickle=False)
    (target / "values.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    # the Latin words of every segment (a deleted passage's too: suggestions count before they offer)
    latin = sorted({w for s in segments for w in (s.folder / LATIN).read_text(encoding="utf-8").split()})
    (target / LATIN).write_text("".join(f"{w}\n" for w in latin), encoding="utf-8")
    return len(arrays["doc"])


def _postings(segments: list[Segment], lives: list[np.ndarray]) -> dict[str, np.ndarray]:
    """The merged lexicon and postings of the live passages.

    No sort of the postings: a segment's lexicon is in hash order, as the merged one
    is, so each segment's postings come in merged term order already. A posting goes
    to its term's first place, plus the term's postings in the segments before, plus
    its rank among the term's postings in its own segment; its positions likewise.
    A first pass counts each term's postings and positions; the second places them,
    one segment and _CHUNK postings at a time (memory: the output, a segment's live
    postings' terms and numbers, a few arrays of one number per term)."""
    hashes = _concat([np.asarray(s.term_hash) for s in segments], np.uint64)
    checks = _concat([np.asarray(s.term_check) for s in segments], np.uint64)
    order = np.lexsort((checks, hashes))
    hashes, checks = hashes[order], checks[order]
    first = np.r_[True, (hashes[1:] != hashes[:-1]) | (checks[1:] != checks[:-1])] if len(order) else order > 0
    merged = np.empty(len(order), np.int32 if len(order) < 2**31 else np.int64)  # segment term → merged term
    merged[order] = np.cumsum(first) - 1
    terms = int(first.sum())
    bases = np.cumsum([0] + [len(s.term_hash) for s in segments])

    def live_postings(i: int) -> tuple[np.ndarray, np.ndarray]:
        """Segment i's postings of live passages in merged term order: (their merged terms,
        their numbers in the segment)."""
        segment, mine = segments[i], merged[bases[i]:bases[i + 1]]
        post_term = np.repeat(mine, np.diff(np.asarray(segment.term_start)))
        kept = np.flatnonzero(lives[i][np.asarray(segment.post_doc)])
        if np.any(mine[1:] <= mine[:-1]):  # two terms of one 64-bit hash, their checks the other way round
            kept = kept[np.argsort(post_term[kept], kind="stable")]
        return post_term[kept], kept

    def chunks(i: int, term: np.ndarray, kept: np.ndarray):
        """(first, terms, posting numbers, sizes) of _CHUNK postings at a time; sizes: positions per posting."""
        bounds = np.asarray(segments[i].post_pos, dtype=np.int64)
        for at in range(0, len(kept), _CHUNK):
            numbers = kept[at:at + _CHUNK]
            yield at, term[at:at + _CHUNK], numbers, bounds[numbers + 1] - bounds[numbers]

    def tally(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Segment i's (terms, posting numbers) of live postings, and per merged term how many
        of them and how many positions they hold."""
        term, kept = live_postings(i)
        sizes = np.zeros(terms, np.int64)
        for _at, chunk_terms, _numbers, chunk_sizes in chunks(i, term, kept):
            sizes += np.bincount(chunk_terms, weights=chunk_sizes, minlength=terms).astype(np.int64)
        return term, kept, np.bincount(term, minlength=terms), sizes

    per_term = np.zeros(terms, np.int64)  # postings of each merged term
    per_term_sizes = np.zeros(terms, np.int64)  # and their positions
    for i in range(len(segments)):
        _term, _kept, counts, sizes = tally(i)
        per_term += counts
        per_term_sizes += sizes
    post_doc = np.empty(int(per_term.sum()), np.uint32)
    post_pos = np.empty(len(post_doc) + 1, np.int64)
    post_pos[-1] = per_term_sizes.sum()
    positions = np.empty(int(post_pos[-1]), np.uint32)
    # where each term's postings (positions) start, then also after those of the segments before
    post_before = np.cumsum(per_term) - per_term
    pos_before = np.cumsum(per_term_sizes) - per_term_sizes
    passage_base = 0
    for i, segment in enumerate(segments):
        term, kept, counts, sizes = tally(i)
        # a posting's place: this at its term, plus its rank in the segment's postings
        post_shift = post_before - (np.cumsum(counts) - counts)
        pos_shift = pos_before - (np.cumsum(sizes) - sizes)
        renumber = np.cumsum(lives[i], dtype=np.int64) - 1 + passage_base
        docs, source = np.asarray(segment.post_doc), np.asarray(segment.positions)
        bounds = np.asarray(segment.post_pos, dtype=np.int64)  # stored uint32: int64 keeps sums integral
        done = 0  # positions of the segment's postings placed so far
        for at, chunk_terms, numbers, chunk_sizes in chunks(i, term, kept):
            place = at + np.arange(len(numbers)) + post_shift[chunk_terms]
            post_doc[place] = renumber[docs[numbers]]
            ends = np.cumsum(chunk_sizes)
            starts = done + ends - chunk_sizes + pos_shift[chunk_terms]
            post_pos[place] = starts
            done += int(ends[-1])
            ramp = np.arange(int(ends[-1])) - np.repeat(ends - chunk_sizes, chunk_sizes)
            positions[np.repeat(starts, chunk_sizes) + ramp] = source[np.repeat(bounds[numbers], chunk_sizes) + ramp]
        post_before += counts
        pos_before += sizes
        passage_base += int(lives[i].sum())
    held = per_term > 0  # the merged terms some live passage still holds
    pos_type = np.uint16 if len(positions) == 0 or positions.max() < 2**16 else np.uint32
    return {
        "term_hash": hashes[first][held], "term_check": checks[first][held],
        "term_start": np.r_[0, np.cumsum(per_term[held])].astype(np.int64),
        "post_doc": post_doc,
        "post_pos": post_pos.astype(np.uint32 if post_pos[-1] < 2**32 else np.int64),
        "positions": positions.astype(pos_type, copy=False),
    }


def _lists(facet: str, segments: list[Segment], lives: list[np.ndarray], values: dict) -> dict[str, np.ndarray]:
    """{facet}_start / {facet}_code of the live passages (their countries, their partners),
    codes into one sorted table (put in `values`)."""
    picked = []
    for s, live in zip(segments, lives, strict=True):
        start = np.asarray(s.columns[f"{facet}_start"])
        lengths = np.diff(start)[live]
        picked.append((s, lengths, np.asarray(s.columns[f"{facet}_code"])[ranges(start[:-1][live], lengths)]))
    table = sorted({s.values[facet][c] for s, _l, codes in picked for c in np.unique(codes)})
    index = {v: i for i, v in enumerate(table)}
    values[facet] = table
    lengths = _concat([lengths for _s, lengths, _c in picked], np.int64)
    return {f"{facet}_start": np.r_[0, np.cumsum(lengths)].astype(np.int64),
            f"{facet}_code": _concat([_lookup(s.values[facet], index)[codes] for s, _l, codes in picked],
                                     np.int32)}


def _lookup(values: list[str], index: dict[str, int]) -> np.ndarray:
    """A segment's codes → the merged table's (-1: a value no live passage has)."""
    return np.array([index.get(v, -1) for v in values], dtype=np.int32)


def _concat(chunks: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(chunks).astype(dtype, copy=False) if chunks else np.zeros(0, dtype)


def _write_store(old: Path, target: Path, schema: Schema, lives: list[np.ndarray], doc_ids: list[str]) -> None:
    """A new whoosh store at `target` of the live passages' stored fields, in order.
    ValueError, before anything is replaced, if the old store's live documents are not
    the arrays' live passages (same numbers, same reports)."""
    live = _concat(lives, bool)
    source = whoosh_index.open_dir(str(old))
    try:
        with source.reader() as reader:
            if reader.doc_count_all() != len(live):
                raise ValueError(f"the store holds {reader.doc_count_all()} passages, the arrays {len(live)}")
            target.mkdir()
            ix = whoosh_index.create_in(str(target), schema)
            writer = ix.writer()
            try:
                place = 0
                for number in range(len(live)):
                    if reader.is_deleted(number) != (not live[number]):
                        raise ValueError(f"passage {number} is deleted in the store or the arrays, not both")
                    if not live[number]:
                        continue
                    fields = reader.stored_fields(number)
                    if fields["doc_id"] != doc_ids[place]:
                        raise ValueError(f"passage {number} is of {fields['doc_id']!r} in the store, "
                                         f"of {doc_ids[place]!r} in the arrays")
                    writer.add_document(**fields)
                    place += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=writing.NO_MERGE)
            ix.close()
    finally:
        source.close()
