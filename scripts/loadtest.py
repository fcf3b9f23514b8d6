"""A bounded load test of a running `jiaoliu serve` on this machine.

    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 [--clients 50] [--seconds 60]
                                         [--queries 150] [--json]

Each of N client threads sends the benchmark's query mix (scripts/bench.py,
each client starting at a different place in it) to /api/search over its own
keep-alive connection, one request at a time, until T seconds have passed;
then it prints requests, errors, latency percentiles and throughput.  Only
loopback addresses are accepted, and every request has a timeout, so the
test always ends by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

from bench import percentiles, query_mix, search_path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT_S = 30


def client(host: str, port: int, paths: list[str], offset: int, deadline: float, out: dict) -> None:
    """Send requests until `deadline`; record latencies (ms) and errors into `out`."""
    samples, errors, kinds = [], 0, {}
    conn = None
    n = offset
    while time.perf_counter() < deadline:
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
                kinds[f"HTTP {response.status}"] = kinds.get(f"HTTP {response.status}", 0) + 1
        except (OSError, http.client.HTTPException) as exc:
            errors += 1
            kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
            if conn is not None:
                conn.close()
            conn = None
        samples.append((time.perf_counter() - started) * 1000)
    if conn is not None:
        conn.close()
    out.update(samples=samples, errors=errors, kinds=kinds)


def run(url: str, clients: int, seconds: float, queries: int) -> dict:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing to load-test {parts.hostname!r}: only 127.0.0.1 / localhost")
    paths = [search_path(item["params"]) for item in query_mix(queries)]
    results = [{} for _ in range(clients)]
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=client, daemon=True,
                                args=(parts.hostname, parts.port or 80, paths, i * 7, deadline, results[i]))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT_S + 5)
    elapsed = time.perf_counter() - started
    samples = [s for r in results for s in r.get("samples", ())]
    kinds: dict[str, int] = {}
    for r in results:
        for kind, n in r.get("kinds", {}).items():
            kinds[kind] = kinds.get(kind, 0) + n
    stats = percentiles(samples) if samples else {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    return {"clients": clients, "seconds": elapsed, "requests": len(samples),
            "errors": sum(r.get("errors", 0) for r in results), "error_kinds": kinds,
            "p50_ms": stats["p50"], "p95_ms": stats["p95"], "p99_ms": stats["p99"],
            "max_ms": max(samples, default=0.0), "requests_per_s": len(samples) / elapsed,
            "unfinished_clients": sum(t.is_alive() for t in threads)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (loopback only)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default 60)")
    parser.add_argument("--queries", type=int, default=150, help="size of the query mix (default 150)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 3600:
        parser.error("--clients must be 1–500 and --seconds 0–3600")
    figures = run(args.url, args.clients, args.seconds, args.queries)
    print(f"{figures['clients']} clients for {figures['seconds']:.1f} s against {args.url}: "
          f"{figures['requests']} requests, {figures['errors']} errors {figures['error_kinds'] or ''}")
    print(f"  latency p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
          f"p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms; "
          f"{figures['requests_per_s']:.1f} requests/s")
    if args.json:
        print(json.dumps(figures))
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
