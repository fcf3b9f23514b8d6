"""Report ids: distinct for files that would share one, stable across builds, safe in URLs and headers."""

from __future__ import annotations

import pytest

from indexer.ingest.ids import assign_ids, plain_id, safe_text


@pytest.mark.parametrize("path,expected", [
    ("2024/taipei.txt", "2024--taipei"),
    ("臺北市 訪日報告.pdf", "臺北市 訪日報告"),  # Chinese and spaces kept (URLs percent-encode them)
    ("a\nb.txt", "a-b"),
    ("a\tb\rc.txt", "a-b-c"),
    ("x\u202etxt.exe.txt", "x-txt.exe"),  # the right-to-left override that disguises names
    ("a\u2028b.md", "a-b"),
    ("bad\udcff.txt", "bad-"),  # a byte that is not UTF-8
    ("x.tar.gz.txt", "x.tar.gz"),
])
def test_plain_ids(path, expected):
    assert plain_id(path) == expected


def test_safe_text_keeps_what_is_printable():
    assert safe_text("基隆 八代 (2022)") == "基隆 八代 (2022)"


@pytest.mark.parametrize("paths,expected", [
    (["a/b.txt", "a--b.txt"], {"a--b.txt": "a--b", "a/b.txt": "a--b--txt"}),
    (["x.txt", "x.TXT"], {"x.TXT": "x", "x.txt": "x--txt"}),
    (["x.pdf", "x.docx"], {"x.docx": "x", "x.pdf": "x--pdf"}),
    (["a\nb.txt", "a-b.txt"], {"a\nb.txt": "a-b", "a-b.txt": "a-b--txt"}),
    # A file whose own name is another's suffixed id keeps its plain id
    # (5a21cf18: the start of the SHA-1 of "x.pdf").
    (["x.pdf", "x.docx", "x--pdf.txt"], {"x--pdf.txt": "x--pdf", "x.docx": "x", "x.pdf": "x--5a21cf18"}),
])
def test_files_with_one_plain_id_get_distinct_ids(paths, expected):
    assert assign_ids(paths) == expected
    assert assign_ids(list(reversed(paths))) == expected  # the listing order does not matter


def test_the_file_that_held_an_id_keeps_it_when_another_claims_it():
    previous = {"x.pdf": "x"}
    assert assign_ids(["x.docx", "x.pdf"], previous) == {"x.docx": "x--docx", "x.pdf": "x"}
    # and a suffixed id stays when the file that held the plain one goes
    assert assign_ids(["x.docx"], {"x.docx": "x--docx"}) == {"x.docx": "x--docx"}


def test_a_previous_id_that_is_no_longer_the_files_own_is_replaced():
    # Built before ids dropped control characters, or renamed by hand in a manifest.
    assert assign_ids(["a\nb.txt"], {"a\nb.txt": "a\nb"}) == {"a\nb.txt": "a-b"}
    assert assign_ids(["x.txt"], {"x.txt": "y"}) == {"x.txt": "x"}


def test_ids_are_distinct_whatever_the_names():
    # Every preferred id of x.pdf is taken by a file named after it.
    paths = ["x.pdf", "x.txt", "x--pdf.txt", "x--5a21cf18.txt", "x.docx", "x--docx.txt"]
    ids = assign_ids(paths)
    assert len(set(ids.values())) == len(paths)
    assert ids["x.pdf"] == "x--5a21cf18-2"
