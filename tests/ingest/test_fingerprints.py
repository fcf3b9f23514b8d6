"""Fingerprints and the pairs of copies they find (indexer/ingest/copies.py)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from indexer.ingest.copies import MIN_CHARS, containment, fingerprints, normalised, resemblance, similar_pairs

KEELUNG = ("104年4月25日，在基隆市各分區扶輪社的協助下，八代市中村博生市長、橋本幸一議長及八代南扶輪社上原治會長等一行共17人"
           "參訪團蒞臨基隆拜會本市林市長，雙方就市港建設及城市發展的議題進行交流。同年8月，八代港與基隆港正式簽訂為姊妹港。"
           "隔年105年1月，八代市首次在基隆舉辦八代物產展，6月更組團參加本市建港130週年活動。")
TAICHUNG = ("宮崎縣以其豐富的自然資源、溫暖氣候及農林畜產業聞名，臺中市與日本宮崎縣於 2024 年 12 月 12 日正式締結為姊妹市，"
            "雙方在觀光、農產、文化及產業等領域具備廣大合作潛力。此次參訪，張峯源局長特別率團拜會副知事佐藤弘之。")


def pairs(texts: list[str]) -> set[tuple[int, int]]:
    prints = fingerprints(texts)
    owners = np.concatenate([np.full(len(p), n, dtype=np.int64) for n, p in enumerate(prints)])
    hashes = np.concatenate(prints)
    order = np.argsort(hashes, kind="stable")
    found = similar_pairs(hashes[order], owners[order], np.array([len(p) for p in prints]), 0, lambda n: prints[n])
    return {(a, b) for a, b, _s in found}


@pytest.mark.parametrize("copy", [
    KEELUNG,  # exact
    "  " + KEELUNG.replace("，", "，\n"),  # lines and spaces changed
    KEELUNG.replace("104", "109").replace("17", "23").replace("130", "131"),  # numbers changed
    "".join(reversed([s + "。" for s in KEELUNG.split("。") if s])),  # sentences in another order
    KEELUNG.replace("同年8月，八代港與基隆港正式簽訂為姊妹港。", "同年10月，兩市市長互贈紀念品並合影留念。"),  # a sentence changed
    KEELUNG.replace("。", "。\n\n", 1),  # a page break in it
    "一、緣起\n\n" + KEELUNG + "此後雙方每年互訪。",  # inside a longer passage
    KEELUNG.replace("八代", "八代"),  # full-width and folding aside: the same
])
def test_a_copy_is_found(copy):
    assert (0, 1) in pairs([KEELUNG, copy])


def test_passages_on_another_subject_are_not_copies():
    assert pairs([KEELUNG, TAICHUNG]) == set()


def test_a_short_passage_has_no_fingerprint():
    assert [len(p) for p in fingerprints(["一、緣起", "甲" * (MIN_CHARS - 1), ""])] == [0, 0, 0]
    assert resemblance(np.zeros(0, np.uint32), fingerprints([KEELUNG])[0]) == 0.0
    assert containment(np.zeros(0, np.uint32), np.zeros(0, np.uint32)) == 0.0


def test_fingerprints_are_the_same_in_every_process():
    """A build compares passages fingerprinted in other processes and builds: no seeded hash."""
    code = ("from indexer.ingest.copies import fingerprints; import sys; "
            f"sys.stdout.write(','.join(map(str, fingerprints([{KEELUNG!r}])[0].tolist())))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2)}
    assert runs == {",".join(map(str, fingerprints([KEELUNG])[0].tolist()))}


def test_one_batch_fingerprints_each_text_as_alone():
    texts = [KEELUNG, "", TAICHUNG, "短", KEELUNG * 3]
    batch = fingerprints(texts)
    for text, found in zip(texts, batch, strict=True):
        assert np.array_equal(found, fingerprints([text])[0])


@pytest.mark.parametrize("text,kept", [
    ("107年 4月，本市與ＭＯＵ 2015！", "0年0月本市與mou0"),
    ("<p>台中</p>", "p臺中p"),
    ("\x00\ufeff", ""),
])
def test_what_a_copy_keeps(text, kept):
    assert normalised(text) == kept


@pytest.mark.parametrize("texts", [
    ["市" * 200_000],  # one character, endlessly: one shingle
    ["八代市與基隆市" * 30_000, "八代市與基隆市" * 30_000],
    [str(n) * 50 for n in range(2000)],  # digits only: all one 0
])
def test_hostile_texts(texts):
    prints = fingerprints(texts)
    assert len(prints) == len(texts) and all(p.dtype == np.uint32 for p in prints)
    pairs(texts)  # a shingle most passages share makes no candidate: bounded pairs
