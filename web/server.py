"""`jiaoliu serve`'s server: waitress threads in one worker process per core.

A search is Python under one GIL, so one process answers no faster with 8
threads than with 2 (docs/PERFORMANCE.md, load test). The parent opens the
listening socket, loads what every worker needs (dictionaries) once, and
forks the workers, which share that memory copy-on-write and all accept on
the one socket; the kernel hands each connection to one of them. A worker
that dies is replaced; Ctrl-C or SIGTERM stops them all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable

from waitress import serve as waitress_serve

# A worker that exits sooner than this after it started is failing, not crashing once.
MIN_WORKER_LIFE_S = 5.0


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def serve(make_app: Callable, host: str, port: int, threads: int, workers: int,
          warm: Callable[[], None] | None = None) -> int:
    """Serve `make_app()` on host:port until stopped; the exit status."""
    sock = listen(host, port)
    if workers <= 1 or not hasattr(os, "fork"):
        waitress_serve(make_app(), sockets=[sock], threads=threads)
        return 0
    if warm is not None:
        warm()
    children: dict[int, float] = {}  # pid → when it started
    stopping = False

    def start_worker() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            status = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                waitress_serve(make_app(), sockets=[sock], threads=threads)
                status = 0
            except KeyboardInterrupt:
                status = 0
            finally:
                os._exit(status)
        children[pid] = time.monotonic()

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start_worker()
    status = 0
    while children:
        try:
            pid, _code = os.wait()
        except ChildProcessError:
            break
        started = children.pop(pid, None)
        if stopping or started is None:
            continue
        if time.monotonic() - started < MIN_WORKER_LIFE_S:
            print(f"jiaoliu: a server worker (pid {pid}) stopped right after it started; stopping",
                  file=sys.stderr)
            status = 1
            stop(signal.SIGTERM, None)
            continue
        print(f"jiaoliu: server worker {pid} stopped; starting another", file=sys.stderr)
        start_worker()
    sock.close()
    return status
