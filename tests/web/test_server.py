"""web/server.py: worker processes sharing one listening socket, replaced
when one dies, all stopped by SIGTERM; a worker that cannot start stops the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need fork")

APP = """
import os, sys
from flask import Flask
import web.server
from web.server import listen, serve

web.server.MIN_WORKER_LIFE_S = float(os.environ.get("MIN_LIFE", "5"))

def make_app():
    if os.environ.get("FAIL_WORKER"):
        raise SystemExit("cannot open the index")
    app = Flask("t")
    app.get("/")(lambda: str(os.getpid()))
    return app

sys.exit(serve(make_app, listen("127.0.0.1", int(sys.argv[1])), threads=2, workers=int(sys.argv[2])))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(port: int, workers: int, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", APP, str(port), str(workers)],
                            stderr=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, **env})


def _pid_answering(port: int, deadline_s: float = 30) -> int:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return int(response.read())
        except OSError:
            assert time.monotonic() < deadline, "no answer"
            time.sleep(0.1)


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return {int(p) for p in f.read().split()}


def _workers(server: subprocess.Popen, count: int) -> set[int]:
    """The server's worker pids, once it has `count` of them."""
    deadline = time.monotonic() + 30
    while len(_children(server.pid)) < count:
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    return _children(server.pid)


def test_workers_share_the_socket_are_replaced_and_stop_together():
    port = _free_port()
    server = _start(port, 2)
    try:
        _pid_answering(port)
        workers = _workers(server, 2)
        answered = {_pid_answering(port) for _ in range(40)}
        assert answered <= workers and answered  # every answer comes from a worker

        # A worker that dies (after it had been up a while) is replaced.
        time.sleep(5.5)
        victim = next(iter(workers))
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            now = _children(server.pid)
            if victim not in now and len(now) == 2:
                break
            assert time.monotonic() < deadline, now
            time.sleep(0.1)
        assert _pid_answering(port) in now
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "starting another" in err
    for pid in workers | now:
        assert not os.path.exists(f"/proc/{pid}")  # stopped and reaped


def test_a_worker_that_cannot_start_stops_the_server_with_a_reason():
    port = _free_port()
    server = _start(port, 2, FAIL_WORKER="1")
    _, err = server.communicate(timeout=60)
    assert server.returncode == 1
    assert "stopped right after it started" in err


def test_one_worker_serves_in_the_process_itself():
    port = _free_port()
    server = _start(port, 1)
    try:
        assert _pid_answering(port) == server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("attempt", range(4))
def test_a_stop_during_a_worker_restart_stops_every_worker(attempt):
    port = _free_port()
    server = _start(port, 2, MIN_LIFE="0")
    try:
        _pid_answering(port)
        first = _workers(server, 2)
        # Kill a worker and stop the server at once: the parent may be starting
        # the replacement just as the stop arrives.
        os.kill(next(iter(first)), signal.SIGKILL)
        time.sleep(0.002 * attempt)
        seen = first | _children(server.pid)
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    time.sleep(0.5)
    assert not [pid for pid in seen if _alive(pid)]
    assert not [pid for pid in _processes_with_arg(str(port)) if _alive(pid)]


def _processes_with_arg(arg: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if arg.encode() in args:
                found.append(int(entry.name))
    return found


def test_the_connection_limit_fits_the_open_file_limit():
    # Past the open-file limit accept() fails and waitress would spin on it.
    import resource

    import web.server as server

    limit = server.connection_limit()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert 10 <= limit <= server.CONNECTION_LIMIT
    assert soft == resource.RLIM_INFINITY or limit + server._SPARE_FILES <= soft
    if hard == resource.RLIM_INFINITY or hard >= server.CONNECTION_LIMIT + server._SPARE_FILES:
        assert limit == server.CONNECTION_LIMIT
