"""Copies kept from build to build: found for the new passages only, dropped with their reports."""

from __future__ import annotations

import shutil

from indexer.index import store
from indexer.index.build import build_index
from indexer.index.copies import COPIES, CopyIndex
from indexer.search.searcher import Searcher


def pair_keys(index) -> set[frozenset]:
    copies = CopyIndex.load(store.current_build(index) / COPIES)
    return {frozenset((copies.keys[a], copies.keys[b])) for a, b in copies.pairs.tolist()}


def across(pairs: set[frozenset]) -> set[frozenset]:
    return {p for p in pairs if len({doc for doc, _p in p}) == 2}


def test_a_copying_report_is_paired_with_the_report_it_copies(copies_index_dir):
    pairs = across(pair_keys(copies_index_dir))
    assert pairs and all({doc for doc, _p in p} == {"keelung-2023-copy", "keelung-2022-yatsushiro-visit"}
                         for p in pairs)
    copies = Searcher(copies_index_dir).copies()
    [(doc, passage)] = [k for p in pairs for k in p if k[0] == "keelung-2023-copy"]
    count, refs = copies.others(doc, passage)
    assert count == 1 and refs[0].doc_id == "keelung-2022-yatsushiro-visit"
    # the earliest report first in its cluster
    assert copies.page(1, 20)[0]["earliest"]["doc_id"] in ("keelung-2022-yatsushiro-visit",
                                                             "taichung-2025-kyushu-startup-exchange")


def test_adding_changing_and_removing_a_report_keeps_the_copies_a_build_from_scratch_finds(copies_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(copies_corpus, corpus)
    copy = (corpus / "keelung-2023-copy.txt").read_text(encoding="utf-8")
    (corpus / "keelung-2023-copy.txt").unlink()
    build_index(corpus, tmp_path / "index")
    assert not across(pair_keys(tmp_path / "index"))

    def same_as_from_scratch() -> set[frozenset]:
        shutil.rmtree(tmp_path / "scratch", ignore_errors=True)
        build_index(corpus, tmp_path / "scratch")
        assert pair_keys(tmp_path / "index") == pair_keys(tmp_path / "scratch")
        return pair_keys(tmp_path / "index")

    (corpus / "keelung-2023-copy.txt").write_text(copy, encoding="utf-8")  # added
    build_index(corpus, tmp_path / "index")
    assert across(same_as_from_scratch())
    (corpus / "keelung-2023-copy.txt").write_text(copy.split("貳、")[0], encoding="utf-8")  # changed
    build_index(corpus, tmp_path / "index")
    assert across(same_as_from_scratch())
    (corpus / "keelung-2023-copy.txt").unlink()  # removed
    build_index(corpus, tmp_path / "index")
    assert not across(same_as_from_scratch())
