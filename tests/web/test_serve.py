"""`jiaoliu serve`: a real waitress server, building the index first when there is none."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.settings import SETTINGS

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SEARCH = "/api/search?q=%E5%85%AB%E4%BB%A3&per_page=1"  # q=八代


def _serve(index: Path, port: int, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--corpus", str(REPO / "corpus"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )


def _first_answer(server: subprocess.Popen, url: str, deadline_s: float = 90) -> dict:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, f"the server did not answer in {deadline_s} s"
            time.sleep(0.3)


def test_serve_builds_a_missing_index_and_answers(tmp_path):
    port = _free_port()
    index = tmp_path / "index"
    server = _serve(index, port, JIAOLIU_THREADS="2")
    try:
        data = _first_answer(server, f"http://127.0.0.1:{port}{SEARCH}")
        assert data["total"] > 0
        assert (index / "CURRENT").is_file()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "building it from" in err


@pytest.fixture(scope="module")
def served(index_dir):
    """`jiaoliu serve` with two workers over the shared index: its port."""
    port = _free_port()
    server = _serve(index_dir, port, JIAOLIU_WORKERS="2", JIAOLIU_THREADS="2")
    try:
        _first_answer(server, f"http://127.0.0.1:{port}{SEARCH}")
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_idle_connections_do_not_lock_out_a_search(served):
    # 300 clients that connect and send half a request line, then wait: with
    # waitress's default of 100 connections per worker, 200 locked out everyone.
    idle: list[socket.socket] = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", served), timeout=10)
            sock.sendall(b"GET /api/search?q=")
            idle.append(sock)
        for _ in range(3):
            # Queued behind the 300 in the listening socket's backlog: it is
            # answered only if the workers accepted every one of them.
            with urllib.request.urlopen(f"http://127.0.0.1:{served}{SEARCH}", timeout=10) as response:
                assert json.loads(response.read())["total"] > 0
            time.sleep(1)
    finally:
        for sock in idle:
            sock.close()


def _status_line(port: int, target: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return sock.makefile("rb").readline().strip()


def test_a_url_must_be_percent_encoded(served):
    # waitress parses the request line as ASCII and has no option to accept
    # raw UTF-8 (`curl 'http://…/api/search?q=八代'`); browsers always encode.
    assert _status_line(served, "/api/search?q=八代".encode()) == b"HTTP/1.1 400 Bad Request"
    assert _status_line(served, SEARCH.encode()) == b"HTTP/1.1 200 OK"


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc")
@pytest.mark.parametrize("engine, inherited", [("arrays", True), ("whoosh", False)])
def test_workers_inherit_the_index_only_when_the_engine_reads_through_maps(engine_index_dir, engine, inherited):
    # The arrays engine is opened once in the parent and its workers share it (ready
    # after the fork, one copy of the columns); whoosh reads through file offsets,
    # which forked processes would share, so each of its workers opens its own.
    port = _free_port()
    server = _serve(engine_index_dir(engine), port, JIAOLIU_WORKERS="2", JIAOLIU_THREADS="2",
                    JIAOLIU_ENGINE=engine)
    try:
        data = _first_answer(server, f"http://127.0.0.1:{port}{SEARCH}")
        assert data["total"] > 0
        opened_in_parent = "/arrays/" in _maps(server.pid) or "/whoosh/" in _maps(server.pid)
        assert opened_in_parent == inherited
        workers = [int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        assert len(workers) == 2
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err


def test_serve_rebuilds_a_damaged_index_and_says_why(tmp_path):
    from indexer.index.build import build_index

    index = tmp_path / "index"
    build_index(REPO / "corpus", index)
    build = index / (index / "CURRENT").read_text().strip()
    (build / "catalog.json").write_text("[", encoding="utf-8")
    port = _free_port()
    server = _serve(index, port, JIAOLIU_WORKERS="2", JIAOLIU_THREADS="2")
    try:
        assert _first_answer(server, f"http://127.0.0.1:{port}{SEARCH}")["total"] > 0
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "catalog.json has 1 bytes instead of" in err and "building it from" in err


def test_waitress_queue_notes_are_not_printed(monkeypatch):
    """"Task queue depth is 1" on every request that waits for a thread: silenced."""
    import logging

    from web import server

    monkeypatch.setattr(server, "waitress_serve", lambda *args, **kwargs: None)
    logger = logging.getLogger("waitress.queue")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    server._waitress(None, None, threads=1)
    assert not logger.isEnabledFor(logging.WARNING) and logger.isEnabledFor(logging.ERROR)
