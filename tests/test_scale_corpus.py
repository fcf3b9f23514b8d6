"""The synthetic scale corpus (scripts/make_scale_corpus.py): deterministic, and
shaped so that the real pipeline reads it like reports (passages, cities, dates)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from indexer.index.build import build_index
from indexer.index.store import current_build
from indexer.text.cities import CITIES

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_scale_corpus.py"


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("make_scale_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes(scale, tmp_path):
    scale.write_corpus(tmp_path / "a", 700, seed=3)
    scale.write_corpus(tmp_path / "b", 700, seed=3)
    scale.write_corpus(tmp_path / "c", 700, seed=4)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_the_command_line_writes_the_same_corpus(scale, tmp_path):
    assert scale.main(["--passages", "300", "--out", str(tmp_path / "cli"), "--seed", "3"]) == 0
    scale.write_corpus(tmp_path / "lib", 300, seed=3)
    assert _contents(tmp_path / "cli") == _contents(tmp_path / "lib")


def test_a_small_corpus_indexes_into_about_the_requested_passages(scale, tmp_path):
    wanted = 500
    paths = scale.write_corpus(tmp_path / "corpus", wanted)
    summary = build_index(tmp_path / "corpus", tmp_path / "index")
    assert not summary.skipped
    assert len(summary.indexed) == len(paths) == 3
    assert abs(summary.passages - wanted) <= wanted * 0.25

    build = current_build(tmp_path / "index")
    catalog = json.loads((build / "catalog.json").read_text(encoding="utf-8"))
    for entry in catalog:
        assert entry["city"] in CITIES
        assert entry["agency"].startswith(entry["city"] + "政府")
        assert entry["kind"] == "出國報告"
        assert entry["date"] and not entry["date_inferred"]
        assert entry["period"]["start"] <= entry["period"]["end"] <= entry["date"]
    assert len({entry["city"] for entry in catalog}) == len(catalog)  # cities vary


@pytest.mark.parametrize("n,expected", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (31, "三十一")])
def test_plain_numerals(scale, n, expected):
    assert scale.numeral(n, scale._PLAIN) == expected


@pytest.mark.parametrize("n,expected", [(3, "參"), (10, "拾"), (11, "拾壹"), (20, "貳拾")])
def test_formal_numerals(scale, n, expected):
    assert scale.numeral(n, scale._FORMAL) == expected
