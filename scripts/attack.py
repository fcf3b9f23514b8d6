"""The worst queries the API allows, measured against a running server, next to SQLite FTS5.

    .venv/bin/python scripts/attack.py --index var/scale-200k-index --corpus var/scale-200k \
        [--seconds 30] [--runs 3] [--threads N] [--fts5 DIR] [--json]

Steps (network on 127.0.0.1 only; every phase bounded in time):
1. the most common single characters of the index (its one-character grams by passages);
2. attack queries within the API's limits (200 characters, 32 terms): common characters
   joined by OR, spaced (a soft AND of many terms), nested `(a b) OR (c d) …`, a long phrase
   of common characters, an exclusion of a common character, the same in date order, and the
   CSV export of the first; plus queries over the limits, which must be refused with a 400;
3. each attack, and each cheap search, alone through `jiaoliu serve` (`--runs` times):
   status, latency, `complete`;
4. under attack: 4 clients send the attacks in turn for `--seconds` while one client sends
   cheap searches and /api/reports; the cheap requests' latency and every status;
5. with `--fts5 DIR`: the same attack shapes on SQLite FTS5 over jieba words (the bench's
   baseline, built into DIR once), one run each, without any limit.

Goal (issue 10, 2 cores, 200k passages): no request over 2 s, and a cheap request's p95
under 1 s while the 4 clients attack. With --json the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench import (
    free_port,
    fts5_build,
    fts5_search,
    percentiles,
    read_passages,
    start_server,
    stop_server,
    wait_ready,
)

REQUEST_TIMEOUT_S = 60
ATTACK_CLIENTS = 4
# Searches that are short alone (0.05-0.3 s at 200k synthetic passages, where most words are
# frequent); "alone" in the output gives each one's time without the attack.
CHEAP = [{"q": "八代"}, {"q": "八代 港口"}, {"q": '"SusHi Tech Tokyo"'}, {"q": "姊妹港"},
         {"q": "口罩", "city": "高雄市"}, {"q": "熊本", "sort": "newest"}]


def common_characters(index: Path, count: int = 40) -> list[str]:
    """The `count` ideographs found in the most passages (read from the build's reports,
    so it works on every engine's build)."""
    from collections import Counter

    from indexer.index import store

    build = store.current_build(index)
    passages: Counter = Counter()
    for entry in store.read_json(build / "catalog.json"):
        for passage in store.read_report(build, entry["doc_id"]).passages:
            passages.update({c for c in passage.text if "\u4e00" <= c <= "\u9fff"})
    return [c for c, _n in passages.most_common(count)]


def attacks(chars: list[str]) -> list[dict]:
    """Queries built to be slow, within the limits; each with its FTS5 shape."""
    c32 = chars[:32]
    pairs = [f"({a} {b})" for a, b in zip(c32[0::2], c32[1::2], strict=True)]
    phrase = '"' + "".join((chars * 10)[:196]) + '"'
    items = [
        ("32 characters OR", {"q": " OR ".join(c32)}, {"terms": c32, "mode": "or"}),
        ("32 spaced characters", {"q": " ".join(c32)}, {"terms": c32, "mode": "and"}),
        ("16 nested pairs OR", {"q": " OR ".join(pairs)}, {"terms": c32, "mode": "or"}),
        ("196-character phrase", {"q": phrase}, {"terms": [phrase.strip('"')], "mode": "and"}),
        ("common minus common", {"q": f"{chars[0]} -{chars[1]}"}, {"terms": chars[:2], "mode": "not"}),
        ("32 characters, newest", {"q": " ".join(c32), "sort": "newest"}, {"terms": c32, "mode": "and"}),
        ("32 characters OR, page 1000", {"q": " OR ".join(c32), "page": "1000", "per_page": "100"}, None),
    ]
    return [{"name": n, "params": p, "fts5": f} for n, p, f in items]


def over_limits(chars: list[str]) -> list[dict]:
    return [
        {"name": "40 characters OR", "params": {"q": " OR ".join(chars[:40])}},
        {"name": "100 spaced characters", "params": {"q": " ".join((chars * 3)[:100])}},
        {"name": "201 characters", "params": {"q": "市" * 201}},
    ]


def get(port: int, path: str) -> tuple[int, float, dict | None]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status, body = 0, b""
    finally:
        conn.close()
    ms = (time.perf_counter() - started) * 1000
    data = None
    if body[:1] == b"{":
        data = json.loads(body)
    return status, ms, data


def path_for(params: dict, csv: bool = False) -> str:
    return ("/api/search.csv?" if csv else "/api/search?") + urllib.parse.urlencode(params)


def alone(port: int, items: list[dict], runs: int) -> list[dict]:
    rows = []
    for item in items:
        for csv in (False, True) if item["name"] == "32 characters OR" else (False,):
            results = [get(port, path_for(item["params"], csv)) for _ in range(runs)]
            rows.append({
                "name": item["name"] + (" (CSV)" if csv else ""),
                "statuses": sorted({s for s, _ms, _d in results}),
                "max_ms": max(ms for _s, ms, _d in results),
                "complete": sorted({d.get("complete") for _s, _ms, d in results if d and "complete" in d}),
                "total": max((d.get("total", 0) for _s, _ms, d in results if d), default=None),
            })
    return rows


def under_attack(port: int, items: list[dict], seconds: float) -> dict:
    stop = time.perf_counter() + seconds
    attack_paths = [path_for(i["params"]) for i in items]
    cheap_paths = [path_for(p) for p in CHEAP] + ["/api/reports"]
    attack_out: list[tuple[int, float]] = []
    cheap_out: list[tuple[int, float]] = []
    lock = threading.Lock()

    def loop(paths: list[str], offset: int, out: list) -> None:
        n = offset
        while time.perf_counter() < stop:
            status, ms, _data = get(port, paths[n % len(paths)])
            n += 1
            with lock:
                out.append((status, ms))

    threads = [threading.Thread(target=loop, args=(attack_paths, i, attack_out), daemon=True)
               for i in range(ATTACK_CLIENTS)]
    threads.append(threading.Thread(target=loop, args=(cheap_paths, 0, cheap_out), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT_S + 5)

    def summary(out):
        statuses: dict[str, int] = {}
        for status, _ms in out:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        stats = percentiles([ms for _s, ms in out]) if out else {}
        return {"requests": len(out), "statuses": statuses, "p50_ms": stats.get("p50"),
                "p95_ms": stats.get("p95"), "max_ms": max((ms for _s, ms in out), default=0.0)}

    return {"seconds": seconds, "attack": summary(attack_out), "cheap": summary(cheap_out)}


def fts5(corpus: Path, work: Path, items: list[dict]) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "attack-fts5-jieba.db"
    import sqlite3

    build_s = None
    if not db_path.exists():
        _db, build_s = fts5_build(read_passages(corpus), db_path, "unicode61")
        _db.close()
    db = sqlite3.connect(db_path)
    rows = []
    for item in items:
        if item["fts5"] is None:
            continue
        shape = {**item["fts5"], "params": {}}
        started = time.perf_counter()
        total = fts5_search(db, shape, "unicode61", facets=True)
        rows.append({"name": item["name"], "ms": (time.perf_counter() - started) * 1000, "total": total})
    db.close()
    return {"build_s": build_s, "queries": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built index (jiaoliu index)")
    parser.add_argument("--corpus", type=Path, required=True, help="its corpus (for the server and FTS5)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the under-attack phase")
    parser.add_argument("--runs", type=int, default=3, help="runs of each attack alone")
    parser.add_argument("--fts5", type=Path, help="folder for the FTS5 baseline (built once)")
    parser.add_argument("--threads", type=int, help="JIAOLIU_THREADS for the server (default: the setting's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    chars = common_characters(args.index)
    items = attacks(chars)
    figures: dict = {"characters": "".join(chars[:32])}
    port = free_port()
    server = start_server(args.index, args.corpus, port, threads=args.threads)
    try:
        figures["ready_s"] = wait_ready(server, port, "/api/search?q=" + urllib.parse.quote("八代"),
                                        time.perf_counter())
        figures["refused"] = [{"name": i["name"], "status": get(port, path_for(i["params"]))[0]}
                              for i in over_limits(chars)]
        figures["alone"] = alone(port, items, args.runs)
        figures["cheap_alone"] = alone(port, [{"name": "cheap: " + " ".join(p.values()), "params": p}
                                             for p in CHEAP], args.runs)
        figures["under_attack"] = under_attack(port, items, args.seconds)
    finally:
        stop_server(server)
    if args.fts5:
        figures["fts5"] = fts5(args.corpus, args.fts5, items)

    print(f"common characters: {figures['characters']}")
    for row in figures["refused"]:
        print(f"over the limits  {row['name']:<32} HTTP {row['status']}")
    for row in figures["alone"] + figures["cheap_alone"]:
        print(f"alone            {row['name']:<32} HTTP {row['statuses']} max {row['max_ms']:8.0f} ms "
              f"complete {row['complete']} total {row['total']}")
    ua = figures["under_attack"]
    for side in ("attack", "cheap"):
        s = ua[side]
        print(f"under attack     {side:<32} {s['requests']} requests {s['statuses']} "
              f"p50 {s['p50_ms'] or 0:.0f} p95 {s['p95_ms'] or 0:.0f} max {s['max_ms']:.0f} ms")
    for row in figures.get("fts5", {}).get("queries", []):
        print(f"FTS5+jieba       {row['name']:<32} {row['ms']:8.0f} ms total {row['total']}")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
