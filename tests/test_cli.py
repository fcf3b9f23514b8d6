"""The `jiaoliu` command: exit codes and output."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.query.request import parse_search_request

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
        (["search", '"八代', "--limit", "1"], 0, "passages match", "查詢語法有誤"),
        (["search", "八代", "--sort", "best"], 2, "", "sort must be one of"),
        (["search", "友好", "--partner", "八代市"], 0, "keelung-2022", ""),
        (["search", "友好", "--partner", "八代市", "--partner", "宮崎縣"], 0, "taichung-2025", ""),
        (["partners"], 0, "八代市 · 日本 · ", ""),
        (["partners", "--country", "韓國", "--sort", "name"], 0, "釜山市 · 韓國", ""),
        (["partners", "八代市"], 0, "友好城市 締結 2018-04-19 · 基隆市", ""),
        (["partners", "八代市", "--page", "2"], 0, "\n21. ", ""),
        (["partners", "不存在市"], 1, "", "no partner named"),
        (["partners", "--sort", "size"], 2, "", "sort must be one of"),
        (["partners", "八代市", "--page", "0"], 2, "", "page"),
    ],
)
def test_search(index_dir, capsys, args, code, out, err):
    assert main([*args, "--index", str(index_dir)]) == code
    captured = capsys.readouterr()
    assert out in captured.out
    assert err in captured.err


def test_partners_json_is_the_api_shape(index_dir, capsys):
    assert main(["partners", "--json", "--index", str(index_dir)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == len(listed["partners"]) and listed["partners"][0]["passages"] > 0
    assert main(["partners", "八代市", "--json", "--index", str(index_dir)]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["partner"]["name"] == "八代市" and len(one["timeline"]) == 20 and one["total"] > 20


def test_search_json_is_the_api_shape(index_dir, capsys):
    assert main(["search", "FGN", "--json", "--index", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "total", "page", "per_page", "hits", "facets", "notices", "suggestions",
                         "complete", "partial_total", "partial"}
    assert data["hits"][0]["url"].startswith("/reports/taichung-2025-kyushu-startup-exchange#")


# The partial step shares the search's time limit with the spelling suggestions;
# these tests read what is printed, so they run without the limit.
@pytest.mark.parametrize("args, shown, absent", [
    (["熊本 半導體", "--limit", "20"], ["12 passages match '熊本 半導體'\n",
                     "\n部分符合: 26 passages hold only some of the words (not counted in the 12 above); the best 20\n",
                     "   缺少：半導體\n"], ["no passage holds every word"]),
    (["八代 港口 締結"], ["0 passages match '八代 港口 締結'\nno passage holds every word; those holding some of "
                       "them follow under 部分符合\n",
                       "\n部分符合: 46 passages hold only some of the words (not counted in the total); the best 10\n",
                       "   缺少：港口\n"], []),
    (["熊本 半導體", "--limit", "5", "--page", "3"],
     ["(page 3)", "not counted in the 12 above); the best 5\n"], []),
    (["八代"], ["32 passages match '八代'\n"], ["部分符合", "缺少"]),
    (["熊本 半導體", "--limit", "5"], ["12 passages match"], ["部分符合", "缺少"]),  # not the last page
    (["熊本 半導體", "--limit", "12"],  # a last page the full matches fill
     ["12 passages match", "部分符合: 26 passages hold only some of the words (not counted in the 12 above); "
                           "the best 12\n"], []),
    # the words typed apart are the query, as if quoted together; more pages are said
    (["熊本", "半導體"], ["12 passages match '熊本 半導體'\n",
                      "\nshown: 1–10 of 12 (page 1 of 2); more with --page 2 or --limit 100\n"], []),
    (["熊本", "半導體", "--page", "2"], ["(page 2)", "部分符合"], ["shown:"]),  # the last page: no hint
    (["熊本", "半導體", "--limit", "5", "--page", "2"], ["shown: 6–10 of 12 (page 2 of 3); more with --page 3"], []),
    (['"SusHi Tech"', "Tokyo"], ["passages match '\"SusHi Tech\" Tokyo'"], []),
])
def test_search_lists_partial_matches_after_the_full_ones(index_dir, capsys, monkeypatch, args, shown, absent):
    monkeypatch.setenv("JIAOLIU_SEARCH_SECONDS", "0")
    assert main(["search", *args, "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    for text in shown:
        assert text in out
    for text in absent:
        assert text not in out
    if "部分符合:" in out:
        full, partial = out.split("\n部分符合:")
        assert "缺少" not in full and partial.count("缺少：") == partial.count("/reports/") > 0


def test_search_json_has_the_partial_matches(index_dir, capsys, monkeypatch):
    monkeypatch.setenv("JIAOLIU_SEARCH_SECONDS", "0")
    assert main(["search", "熊本 半導體", "--json", "--limit", "20", "--index", str(index_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["partial_total"], len(data["partial"])) == (12, 26, 20)
    assert all(hit["missing"] == [] for hit in data["hits"])
    assert {tuple(hit["missing"]) for hit in data["partial"]} <= {("半導體",), ("熊本",)}
    for hit in data["partial"]:
        assert "snippet" not in hit and {"snippet_text", "snippet_marks", "missing"} <= set(hit)


def test_search_help_says_what_is_counted(capsys):
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Count and list the passages that hold every word of QUERY" in out
    assert "only some of the words follow under 部分符合" in out and "are not counted" in out


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
    assert "2/2 indexing bad.txt" in captured.err
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(index_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", "serve", "--index", str(index_dir), *args],
                          capture_output=True, text=True, timeout=120)


def test_serve_on_a_port_in_use_says_so_and_exits(index_dir):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = _serve(index_dir, "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"jiaoliu: error: port {port} on 127.0.0.1 is already in use (another jiaoliu serve?); "
        "stop that program or pass another --port"]


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", ""])
def test_serve_refuses_a_port_out_of_range(index_dir, port):
    done = _serve(index_dir, "--host", "127.0.0.1", "--port", port)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"jiaoliu: error: the port must be a whole number from 1 to 65535, not {port!r}; "
        "pass --port or set JIAOLIU_PORT"]


def test_serve_on_an_address_not_of_this_machine_says_so(index_dir):
    done = _serve(index_dir, "--host", "192.0.2.1", "--port", str(_free_port()))  # TEST-NET-1
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "jiaoliu: error: cannot listen on 192.0.2.1: not an address of this machine; "
        "pass --host 127.0.0.1 or 0.0.0.0"]


def test_a_full_disk_during_a_build_changes_nothing(tmp_path, corpus_dir, capsys, monkeypatch):
    from indexer.index import store
    from indexer.search.searcher import Searcher

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_dir, corpus)
    assert main(["index", "--corpus", str(corpus), "--index", str(index)]) == 0
    served = (index / "CURRENT").read_text()
    (corpus / "new.md").write_text("---\ntitle: 新報告\ncity: 臺南市\n---\n\n與日本熊本縣交流。\n", encoding="utf-8")
    capsys.readouterr()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store, "write_report", full)
    assert main(["index", "--corpus", str(corpus), "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if not line.startswith("[")] == [
        f"jiaoliu: error: the disk holding {index} is full; nothing changed (the previous build, if any, "
        "is still served). Free some space and run jiaoliu index again"]
    assert (index / "CURRENT").read_text() == served
    assert sorted(p.name for p in index.glob("build-*")) == [served]  # the half-written build is gone
    searcher = Searcher(index)
    try:
        assert searcher.search(parse_search_request({"q": "八代"})).total > 0
        assert "new" not in {r["doc_id"] for r in searcher.reports()} and len(searcher.reports()) == 5
    finally:
        searcher.close()


def test_the_library_hands_over_spans_not_html(index_dir, capsys):
    assert main(["search", "八代", "--json", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "<mark>" not in out
    for hit in json.loads(out)["hits"]:
        assert hit["snippet_marks"]
        assert all(hit["snippet_text"][s:e] == "八代" for s, e in hit["snippet_marks"])


def test_a_terminal_gets_reverse_video_and_a_pipe_brackets():
    from indexer.cli import terminal_snippet
    from indexer.models import Snippet

    cut = Snippet("與八代市\x1b締結", ((1, 3),))
    assert terminal_snippet(cut, colour=False) == "與【八代】市\\x1b締結"
    assert terminal_snippet(cut, colour=True) == "與\x1b[7m八代\x1b[0m市\\x1b締結"


def test_an_unknown_engine_setting_is_named_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JIAOLIU_ENGINE", "lucene")
    assert main(["index", "--corpus", str(tmp_path), "--index", str(tmp_path / "index")]) == 1
    err = capsys.readouterr().err
    assert "unknown engine 'lucene'" in err and "arrays, whoosh" in err and "Traceback" not in err


@pytest.mark.parametrize("env,base", [
    ({}, "http://127.0.0.1:8000"),  # where `jiaoliu serve` listens by default
    ({"JIAOLIU_HOST": "0.0.0.0", "JIAOLIU_PORT": "8080"}, "http://127.0.0.1:8080"),
    ({"JIAOLIU_PUBLIC_URL": "https://jiaoliu.example.org/"}, "https://jiaoliu.example.org"),
])
def test_search_prints_absolute_links(index_dir, capsys, monkeypatch, env, base):
    for name in ("JIAOLIU_PUBLIC_URL", "JIAOLIU_HOST", "JIAOLIU_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["search", "八代", "--index", str(index_dir)]) == 0
    links = [line.strip() for line in capsys.readouterr().out.splitlines() if "/reports/" in line]
    assert links and all(link.startswith(base + "/reports/") for link in links)
