"""A damaged index is named as such everywhere and repaired by `jiaoliu index`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.errors import IndexDamaged
from indexer.index import store
from indexer.index.build import build_index
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher
from web import create_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("keelung-2022-yatsushiro-visit.txt", "taipei-2024-sushi-tech-tokyo.txt"):
        shutil.copy(REPO / "corpus" / name, corpus / name)
    index = tmp_path / "index"
    build_index(corpus, index)
    return corpus, index


def _engine_folder(index: Path) -> Path:
    """The folder of the build's engine (each engine's folder is named after it)."""
    build = store.current_build(index)
    return build / store.read_json(build / "manifest.json")["settings"]["engine"]


def _largest_segment_file(index: Path) -> Path:
    files = [p for p in _engine_folder(index).rglob("*") if p.is_file()]
    return max(files, key=lambda p: p.stat().st_size)


def _truncate(index: Path) -> Path:
    victim = _largest_segment_file(index)
    os.truncate(victim, 1000)  # what `truncate -s 1000` does
    return victim


def _remove(index: Path) -> Path:
    victim = _largest_segment_file(index)
    victim.unlink()
    return victim


@pytest.mark.parametrize("spoil", [_truncate, _remove])
def test_opening_a_damaged_index_says_which_file_and_how_to_repair(built, spoil):
    _corpus, index = built
    victim = spoil(index)
    with pytest.raises(IndexDamaged, match=f"{victim.name}.*jiaoliu index"):
        Searcher(index)


def test_the_api_answers_a_damaged_index_with_one_clear_message_and_no_server_path(built):
    _corpus, index = built
    _truncate(index)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    api = client.get("/api/search", query_string={"q": "八代"})
    assert api.status_code == 503
    assert "damaged" in api.json["error"] and "jiaoliu index" in api.json["error"]
    assert str(index.parent) not in api.json["error"]
    page = client.get("/", query_string={"q": "八代"})
    assert page.status_code == 503 and "損壞" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)


def test_the_cli_search_names_the_damage(built, capsys):
    _corpus, index = built
    victim = _truncate(index)
    assert main(["search", "八代", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and victim.name in err


@pytest.mark.parametrize("spoil", [_truncate, _remove])
def test_index_rebuilds_a_damaged_build_instead_of_linking_it(built, spoil, capsys):
    corpus, index = built
    expected = Searcher(index).search(parse_search_request({"q": "八代"})).total
    victim = spoil(index)
    assert main(["index", "--corpus", str(corpus), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "damaged" in out and victim.name in out and "up to date" not in out
    assert Searcher(index).search(parse_search_request({"q": "八代"})).total == expected
    # Repaired: the next run has nothing to do.
    summary = build_index(corpus, index)
    assert summary.up_to_date and not summary.repaired


def test_a_running_searcher_keeps_serving_when_the_next_build_is_damaged(built):
    corpus, index = built
    searcher = Searcher(index)
    before = searcher.search(parse_search_request({"q": "八代"})).total
    (corpus / "keelung-2022-yatsushiro-visit.txt").unlink()
    build_index(corpus, index, force=True)  # files of its own (an incremental build shares them)
    _truncate(index)
    assert not searcher.refresh()
    assert searcher.search(parse_search_request({"q": "八代"})).total == before


def test_a_file_damaged_under_a_running_searcher_is_named_not_a_crash(built):
    _corpus, index = built
    searcher = Searcher(index)
    _truncate(index)
    with pytest.raises(IndexDamaged, match="has 1000 bytes"):
        searcher.search(parse_search_request({"q": "八代"}))


def test_every_file_of_a_build_is_recorded_with_its_size(built):
    _corpus, index = built
    build = store.current_build(index)
    manifest = store.read_json(build / "manifest.json")
    assert manifest["files"] == store.file_sizes(build)
    assert any(name.startswith(manifest["settings"]["engine"] + "/") for name in manifest["files"])
    assert store.damage(build, manifest) is None


def test_a_build_for_another_engine_is_served_by_its_own_and_rebuilt_for_the_setting(built, monkeypatch):
    corpus, index = built  # built for the default engine, arrays
    expected = Searcher(index).search(parse_search_request({"q": "八代"})).total
    with pytest.raises(IndexDamaged, match="built for the arrays engine, not whoosh.*JIAOLIU_ENGINE=whoosh"):
        Searcher(index, engine="whoosh")
    monkeypatch.setenv("JIAOLIU_ENGINE", "whoosh")
    assert Searcher(index).search(parse_search_request({"q": "八代"})).total == expected  # served as built
    summary = build_index(corpus, index)  # the setting changed: rebuilt from scratch for it
    assert not summary.up_to_date and summary.indexed
    assert Searcher(index, engine="whoosh").search(parse_search_request({"q": "八代"})).total == expected
