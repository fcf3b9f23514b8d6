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

from indexer.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_builds_a_missing_index_and_answers(tmp_path):
    port = _free_port()
    index = tmp_path / "index"
    env = {**os.environ, "JIAOLIU_THREADS": "2"}
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--corpus", str(REPO / "corpus"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/search?q=%E5%85%AB%E4%BB%A3&per_page=1"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    data = json.loads(response.read())
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not answer in 90 s"
                time.sleep(0.3)
        assert data["total"] > 0
        assert (index / "CURRENT").is_file()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "building it from" in err


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name
