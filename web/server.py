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
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


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
        """Fork a worker; called with SIGTERM and SIGINT blocked (see below)."""
        pid = os.fork()
        if pid == 0:  # the worker: its own signal handling, then the signals it was sent
            status = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
                waitress_serve(make_app(), sockets=[sock], threads=threads)
                status = 0
            except KeyboardInterrupt:
                status = 0
            finally:
                os._exit(status)
        children[pid] = time.monotonic()
        if stopping:  # a stop handled since the decision to start it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGTERM)

    # A stop must reach every worker, also one being started as it comes (a
    # worker left running after a stop was seen under load). The signals stay
    # blocked outside os.wait(), so a new worker resets its handlers before any
    # reaches it, and start_worker() stops a worker started after a stop.
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start_worker()
    status = 0
    while children:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        try:
            pid, _code = os.wait()
        except ChildProcessError:
            break
        finally:
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
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
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    sock.close()
    return status
