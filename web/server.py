"""`jiaoliu serve`'s server: waitress threads in one worker process per core.

A search is Python under one GIL, so one process answers no faster with 8
threads than with 2 (docs/PERFORMANCE.md, load test). The parent opens the
listening socket, loads what every worker needs (dictionaries, and the
opened index when its engine reads through memory maps only) once, and
forks the workers, which share that memory copy-on-write and all accept on
the one socket; the kernel hands each connection to one of them. A worker
that dies is replaced; Ctrl-C or SIGTERM stops them all.

Idle and half-sent connections cost waitress one file descriptor each and no
thread (it reads a whole request before a thread sees it), so each worker
accepts many (CONNECTION_LIMIT) and closes those idle for CHANNEL_TIMEOUT_S.
In public, a reverse proxy in front absorbs slow clients (README, "Limits
and deployment"; docs/DESIGN.md compares this with gunicorn).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import resource
import signal
import socket
import sys
import time
from collections.abc import Callable

from waitress import serve as waitress_serve

# A worker that exits sooner than this after it started is failing, not crashing once.
MIN_WORKER_LIFE_S = 5.0
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}

# Open connections per worker. waitress's default, 100, let 200 idle
# connections (half-sent requests) lock every user out of two workers.
CONNECTION_LIMIT = 1000
# A connection with no request in progress and nothing received for this long
# is closed (waitress's default is 120 s); checked every CLEANUP_INTERVAL_S.
CHANNEL_TIMEOUT_S = 15
CLEANUP_INTERVAL_S = 5
# File descriptors kept for the index, logs and the like, beyond connections.
_SPARE_FILES = 200


def listen(host: str, port: int) -> socket.socket:
    """The listening socket; OSError if the address is taken or not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def connection_limit() -> int:
    """CONNECTION_LIMIT, or less if this process may not open that many files.

    Raises the soft limit on open files to the hard one first (often 1024 →
    524288): past it accept() fails and waitress would spin retrying it.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CONNECTION_LIMIT + _SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return CONNECTION_LIMIT
    return max(10, min(CONNECTION_LIMIT, soft - _SPARE_FILES))


def _waitress(app, sock: socket.socket, threads: int) -> None:
    # "Task queue depth is N": waitress's note each time a request waits for a thread,
    # which under any load floods the console and says nothing an operator acts on.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress_serve(app, sockets=[sock], threads=threads, connection_limit=connection_limit(),
                   channel_timeout=CHANNEL_TIMEOUT_S, cleanup_interval=CLEANUP_INTERVAL_S,
                   # poll(): select() cannot watch a descriptor numbered 1024 or more.
                   asyncore_use_poll=True)


def serve(make_app: Callable, sock: socket.socket, threads: int, workers: int,
          warm: Callable[[], None] | None = None) -> int:
    """Serve `make_app()` on the listening `sock` (see `listen`) until stopped; the exit status."""
    if workers <= 1 or not hasattr(os, "fork"):
        _waitress(make_app(), sock, threads)
        return 0
    if warm is not None:
        warm()
    # What the parent loaded is never collected: out of the collector's sight, the
    # workers' collections do not write to (and so copy) the pages that hold it.
    gc.freeze()
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
                _waitress(make_app(), sock, threads)
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
