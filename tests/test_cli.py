"""The `jiaoliu` command: exit codes and output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "args,code,out,err",
    [
        (["search", "八代"], 0, "keelung-2022-yatsushiro-visit", ""),
        (["search", "八代", "--city", "台中"], 0, "0 passages", ""),
        (["search", "熊本", "--from", "111/1/1", "--to", "111/12/31"], 0, "passages match", ""),
        (["search", "八代", "--city", "東京"], 2, "", "not a Taiwanese city"),
        (["search", "八代", "--from", "2022-13-40"], 2, "", "jiaoliu: error:"),
        (["search", "八代", "--limit", "0"], 2, "", "per_page"),
        (["search", "   "], 2, "", "empty"),
        (["search", "姊妹市", "--kind", "施政報告", "--sort", "oldest"], 0, "kaohsiung-2014", ""),
        (["search", "熊本", "--country", "日本", "--agency", "基隆市政府"], 0, "keelung", ""),
        (["search", "八伐市"], 0, "try: 八代市", ""),
        (["search", '"八代', "--limit", "1"], 0, "passages match", "Malformed query"),
        (["search", "八代", "--sort", "best"], 2, "", "sort must be one of"),
    ],
)
def test_search(index_dir, capsys, args, code, out, err):
    assert main([*args, "--index", str(index_dir)]) == code
    captured = capsys.readouterr()
    assert out in captured.out
    assert err in captured.err


def test_search_json_is_the_api_shape(index_dir, capsys):
    assert main(["search", "FGN", "--json", "--index", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "total", "page", "per_page", "hits", "facets", "notices", "suggestions",
                         "complete"}
    assert data["hits"][0]["url"].startswith("/reports/taichung-2025-kyushu-startup-exchange#")


def test_search_without_an_index_says_how_to_build_one(tmp_path, capsys):
    assert main(["search", "八代", "--index", str(tmp_path / "none")]) == 1
    assert "jiaoliu index" in capsys.readouterr().err


def test_index_prints_progress_and_a_summary(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text((REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\xfa" + b"\x00" * 3)
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    captured = capsys.readouterr()
    assert "2/2 reading bad.txt" in captured.err
    assert "indexed 1 reports" in captured.out
    assert "indexed a.txt\n" in captured.out
    assert "skipped bad.txt: starts with a UTF-16 byte-order mark" in captured.out  # the name once
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and "unchanged a.txt" in out


def test_index_summary_is_one_line_per_file_whatever_the_names(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt").read_text(encoding="utf-8")
    (corpus / "a\nb.txt").write_text(text, encoding="utf-8")
    (corpus / "c\x1b[2Jd.txt").write_text(text, encoding="utf-8")  # would clear the terminal
    (corpus / "e\rf.md").write_text("---\ndate: 2023-13-45\n---\n本文\n", encoding="utf-8")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[:3] == ["indexed a\\nb.txt", "indexed c\\x1b[2Jd.txt",
                         lines[2].split(":")[0] + ": front matter: date: 「2023-13-45」不是存在的日期 (no such date); "
                         + lines[2].split("; ", 1)[1]]
    assert lines[2].startswith("skipped e\\rf.md: ")
    assert len(lines) == 4 and lines[3].startswith("indexed 2 reports")
    assert "\x1b" not in captured.err.replace("\r\x1b[K", "") and "a\\nb.txt" in captured.err


def test_index_of_a_missing_corpus_fails_clearly(tmp_path, capsys):
    assert main(["index", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "ix")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_python_dash_m_indexer_works(index_dir):
    done = subprocess.run([sys.executable, "-m", "indexer", "search", "SusHi Tech", "--index", str(index_dir)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "taipei-2024-sushi-tech-tokyo" in done.stdout


@pytest.mark.parametrize("name,value", [("JIAOLIU_WORKERS", "two"), ("JIAOLIU_WORKERS", "0"),
                                        ("JIAOLIU_THREADS", "-1"), ("JIAOLIU_THREADS", "2.5")])
def test_serve_refuses_a_bad_process_or_thread_count(index_dir, monkeypatch, capsys, name, value):
    monkeypatch.setenv(name, value)
    assert main(["serve", "--index", str(index_dir), "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{name} must be a whole number of at least 1" in err and repr(value) in err
