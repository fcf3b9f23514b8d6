"""Idle and slow connections against a web server, and a normal search meanwhile.

    nice .venv/bin/python scripts/connections.py --index /tmp/index --server jiaoliu --idle 300 --seconds 60
    nice .venv/bin/python scripts/connections.py --index /tmp/index --server gunicorn --slow 20 --seconds 40

Starts the server on a free port of 127.0.0.1 (`jiaoliu serve`, or gunicorn
with gthread workers over the same app, if it is installed), both with 2
worker processes of 2 threads. Then, for --seconds (at most 120):

- `--idle N` connections each send half a request line and wait; one the
  server closes is opened again, as an attacker would;
- `--slow N` clients each send a whole search request one byte per second;
- `--attack N` clients each send the slowest query `scripts/attack.py` builds
  (the index's 32 most common characters joined by OR), one after another;
- a probe sends a normal search (q=八代) every half second on a new
  connection, with a 5 s timeout, and records how long the answer took.

Prints the probe's answers, failures and latency, how often the server closed
an idle connection, and how many slow requests were answered; then stops
everything. The figures are in docs/DESIGN.md ("Connections: our manager or gunicorn").
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEARCH = "/api/search?q=%E5%85%AB%E4%BB%A3&per_page=1"  # q=八代
HALF_REQUEST = b"GET /api/search?q="
# Short, so that a slow client finishes one within a run (33 bytes, 33 s).
WHOLE_REQUEST = b"GET /api/search?q=a HTTP/1.0\r\n\r\n"
PROBE_TIMEOUT_S = 5
MAX_SECONDS = 120
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, index: str, port: int, log, threads: int) -> subprocess.Popen:
    env = {**os.environ, "JIAOLIU_INDEX": index, "JIAOLIU_CORPUS": str(REPO / "corpus"),
           "JIAOLIU_WORKERS": str(WORKERS), "JIAOLIU_THREADS": str(threads)}
    if kind == "jiaoliu":
        command = [sys.executable, "-m", "indexer", "serve", "--index", index,
                   "--host", "127.0.0.1", "--port", str(port)]
    else:  # gunicorn's defaults otherwise: 1000 connections a worker, keep-alive 2 s, timeout 30 s
        command = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(WORKERS),
                   "--threads", str(threads), "--preload", "--bind", f"127.0.0.1:{port}",
                   "--log-level", "warning", "web:create_app()"]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)


def search_ms(port: int) -> float:
    """One normal search on a new connection: its latency in ms; raises on failure."""
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{SEARCH}", timeout=PROBE_TIMEOUT_S) as response:
        json.loads(response.read())
    return (time.perf_counter() - started) * 1000


def wait_until_up(server: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            search_ms(port)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"the server did not start: {log.read().decode()[-2000:]}") from None
            time.sleep(0.3)


def probe(port: int, deadline: float, out: dict) -> None:
    samples, failures = [], {}
    while time.monotonic() < deadline:
        try:
            samples.append(search_ms(port))
        except OSError as exc:
            kind = type(getattr(exc, "reason", exc)).__name__
            failures[kind] = failures.get(kind, 0) + 1
        time.sleep(0.5)
    out.update(samples=samples, failures=failures)


class Crowd:
    """The idle and slow connections, driven from one thread with a selector."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.closed_by_server = 0
        self.lifetimes: list[float] = []
        self.slow_answered = 0
        self.refused = 0

    def open(self, kind: str) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            if kind == "idle":
                sock.sendall(HALF_REQUEST)
        except OSError:
            self.refused += 1
            return
        sock.setblocking(False)
        # kind, when opened, bytes of the request sent so far
        self.selector.register(sock, selectors.EVENT_READ, [kind, time.monotonic(), 0])

    def run(self, idle: int, slow: int, deadline: float) -> None:
        for _ in range(idle):
            self.open("idle")
        for _ in range(slow):
            self.open("slow")
        next_byte = time.monotonic() + 1
        while time.monotonic() < deadline:
            for key, _ in self.selector.select(timeout=0.2):
                self.readable(key)
            if time.monotonic() >= next_byte:
                next_byte += 1
                for key in list(self.selector.get_map().values()):
                    if key.data[0] == "slow" and key.data[2] < len(WHOLE_REQUEST):
                        try:
                            key.fileobj.send(WHOLE_REQUEST[key.data[2]:key.data[2] + 1])
                            key.data[2] += 1
                        except OSError:
                            self.drop(key, closed=True)
        for key in list(self.selector.get_map().values()):
            self.drop(key, closed=False)

    def readable(self, key) -> None:
        kind, opened, _ = key.data
        try:
            data = key.fileobj.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if kind == "slow" and data[:12] in (b"HTTP/1.0 200", b"HTTP/1.1 200"):
            self.slow_answered += 1
        if not data or kind == "slow":
            self.drop(key, closed=kind == "idle")
            self.open(kind)  # keep the crowd the same size

    def drop(self, key, closed: bool) -> None:
        if closed:
            self.closed_by_server += 1
            self.lifetimes.append(time.monotonic() - key.data[1])
        self.selector.unregister(key.fileobj)
        key.fileobj.close()


def attacker(port: int, path: str, deadline: float, out: list) -> None:
    """Send `path` again and again until `deadline`; record (status, ms) of each."""
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        out.append((status, (time.perf_counter() - started) * 1000))


def attack_path(index: str) -> str:
    from attack import common_characters

    return "/api/search?" + urllib.parse.urlencode({"q": " OR ".join(common_characters(Path(index))[:32])})


def measure(kind: str, index: str, idle: int, slow: int, seconds: float, attack: int = 0,
            threads: int = 2) -> dict:
    port = free_port()
    attacked: list[tuple[int, float]] = []
    # A file, not a pipe: a server that logs much would block on a full pipe.
    with tempfile.TemporaryFile() as log:
        server = start_server(kind, index, port, log, threads)
        try:
            wait_until_up(server, port, log)
            deadline = time.monotonic() + seconds
            probed: dict = {}
            prober = threading.Thread(target=probe, args=(port, deadline, probed), daemon=True)
            prober.start()
            path = attack_path(index) if attack else ""
            attackers = [threading.Thread(target=attacker, args=(port, path, deadline, attacked), daemon=True)
                         for _ in range(attack)]
            for thread in attackers:
                thread.start()
            crowd = Crowd(port)
            crowd.run(idle, slow, deadline)
            prober.join(timeout=PROBE_TIMEOUT_S + 5)
            for thread in attackers:
                thread.join(timeout=65)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    samples = sorted(probed["samples"])
    return {
        "server": kind, "idle": idle, "slow": slow, "seconds": seconds,
        "probes_answered": len(samples), "probes_failed": sum(probed["failures"].values()),
        "failures": probed["failures"],
        "p50_ms": samples[len(samples) // 2] if samples else None,
        "max_ms": samples[-1] if samples else None,
        "idle_closed_by_server": crowd.closed_by_server,
        "idle_shortest_life_s": min(crowd.lifetimes, default=None),
        "slow_answered": crowd.slow_answered, "connections_refused": crowd.refused,
        "attack": attack, "threads": threads,
        "attack_statuses": {str(s): sum(1 for t, _ in attacked if t == s) for s in {t for t, _ in attacked}},
        "attack_max_ms": max((ms for _, ms in attacked), default=None),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a built index (jiaoliu index --index DIR)")
    parser.add_argument("--server", choices=("jiaoliu", "gunicorn"), default="jiaoliu")
    parser.add_argument("--idle", type=int, default=300, help="idle half-sent connections (default 300)")
    parser.add_argument("--slow", type=int, default=0, help="clients sending one byte a second (default 0)")
    parser.add_argument("--seconds", type=float, default=60, help=f"how long (default 60, at most {MAX_SECONDS})")
    parser.add_argument("--attack", type=int, default=0, help="clients sending the slowest query (default 0)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker, both servers (default 2)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.idle <= 2000 or not 0 <= args.slow <= 500 \
            or not 0 <= args.attack <= 16 or not 1 <= args.threads <= 32:
        parser.error(f"--seconds must be 0–{MAX_SECONDS}, --idle 0–2000, --slow 0–500, --attack 0–16, "
                     "--threads 1–32")

    figures = measure(args.server, args.index, args.idle, args.slow, args.seconds, args.attack, args.threads)
    print(f"{args.server}: {args.idle} idle + {args.slow} slow connections for {args.seconds:.0f} s")
    print(f"  searches meanwhile: {figures['probes_answered']} answered, {figures['probes_failed']} failed "
          f"{figures['failures'] or ''}; p50 {figures['p50_ms'] or 0:.0f} ms, max {figures['max_ms'] or 0:.0f} ms")
    print(f"  idle connections closed by the server: {figures['idle_closed_by_server']}"
          + (f" (the first after {figures['idle_shortest_life_s']:.0f} s)" if figures['idle_shortest_life_s'] else "")
          + f"; slow requests answered: {figures['slow_answered']}; "
          f"connections refused: {figures['connections_refused']}")
    if args.attack:
        print(f"  {args.attack} clients sending the slowest query: {figures['attack_statuses']}, "
              f"max {figures['attack_max_ms'] or 0:.0f} ms")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
