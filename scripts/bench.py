"""Benchmark jiaoliu at a city archive's size, next to SQLite FTS5 baselines, in one run.

    .venv/bin/python scripts/bench.py --passages 10000 [--json] [--corpus-dir DIR]
                                      [--skip-http] [--skip-fts5] [--queries 150] [--profile]

Steps (each bounded in time; network on 127.0.0.1 only):
1. a synthetic corpus of N passages (scripts/make_scale_corpus.py; text for speed only),
   generated into --corpus-dir (reused when it already holds that corpus) or a temporary folder;
2. the floor: reading the corpus and segmenting every passage with the project's jieba tokenizer;
3. `build_index` in a child process (wall time, characters/s, the child's own peak RSS), index size;
4. search latency through `Searcher.search` (facets and snippets included) over a fixed query mix;
5. the same mix through HTTP against `python -m indexer serve` (server start until first answer,
   p50/p95, the server's RSS afterwards);
6. SQLite FTS5 over the same passages: jieba-segmented text with unicode61, raw text with trigram
   (build time, size, query + snippet latency);
7. adding one report to the built index (today: a whole rebuild), and a no-change `build_index`.

With --json the last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import make_scale_corpus

from indexer.errors import IndexNotFound
from indexer.index.store import current_build
from indexer.text.cities import CITIES

REPO = Path(__file__).resolve().parents[1]

BUILD_TIMEOUT_S = 4 * 3600
READY_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 60
WARM_UP_QUERIES = 24  # searches of another mix (another seed) each engine runs first

# The query mix: (kind, terms, mode); the query string is made from terms and mode.
TWO_CHAR = ["八代", "熊本", "姊妹", "宮崎", "福岡", "外交", "新創", "臺中", "觀光", "疫情", "大阪", "釜山"]
WORDS = ["姊妹市", "友好城市", "合作備忘錄", "市長峰會", "八代市", "熊本縣", "半導體", "視訊會議",
         "經濟發展局", "城市外交", "姊妹港", "新創基地", "觀光客", "留學生"]
MULTI = [("八代", "港口"), ("姊妹市", "締結"), ("新創", "福岡"), ("疫情", "視訊會議"), ("觀光", "行銷", "日本"),
         ("市長", "交流"), ("熊本", "半導體"), ("宮崎", "木材"), ("留學生", "觀光客")]
ALTERNATIVES = [("八代", "熊本"), ("姊妹市", "友好城市"), ("大阪", "福岡")]
EXCLUSIONS = [("姊妹市", "高雄"), ("新創", "福岡")]
PHRASES = ["友好城市活動", "亞太城市高峰會", "簽署合作備忘錄", "城市外交", "觀光交流協定"]
YEARS = [("2014", "2016"), ("2018", "2020"), ("111年", "111年"), ("2022", "2025"), ("2024", "2024")]


def query_mix(count: int = 150, seed: int = 7) -> list[dict]:
    """A deterministic list of searches: {"params": URL params, "terms": [...], "mode": ...}.

    Kinds in turn: 2-character words, words, multi-term (AND, OR, exclusion),
    quoted phrases, city-filtered and date-filtered.
    """
    rng = random.Random(seed)
    mix = []
    for i in range(count):
        kind = ("two", "word", "multi", "phrase", "city", "date")[i % 6]
        params: dict[str, str] = {}
        if kind == "two":
            terms, mode = [rng.choice(TWO_CHAR)], "and"
        elif kind == "word":
            terms, mode = [rng.choice(WORDS)], "and"
        elif kind == "multi":
            pick = rng.random()
            if pick < 0.6:
                terms, mode = list(rng.choice(MULTI)), "and"
            elif pick < 0.8:
                terms, mode = list(rng.choice(ALTERNATIVES)), "or"
            else:
                terms, mode = list(rng.choice(EXCLUSIONS)), "not"
        elif kind == "phrase":
            terms, mode = [rng.choice(PHRASES)], "phrase"
        elif kind == "city":
            terms, mode = [rng.choice(TWO_CHAR + WORDS)], "and"
            params["city"] = rng.choice(CITIES)
        else:
            terms, mode = [rng.choice(TWO_CHAR + WORDS)], "and"
            params["from"], params["to"] = rng.choice(YEARS)
        if mode == "phrase":
            q = f'"{terms[0]}"'
        elif mode == "or":
            q = " OR ".join(terms)
        elif mode == "not":
            q = f"{terms[0]} -{terms[1]}"
        else:
            q = " ".join(terms)
        mix.append({"kind": kind, "params": {"q": q, **params}, "terms": terms, "mode": mode})
    return mix


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """Nearest-rank p50/p95/p99 and the mean of a non-empty list."""
    ordered = sorted(samples_ms)

    def at(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": at(50), "p95": at(95), "p99": at(99), "mean": statistics.fmean(ordered)}


def manifest_passages(index: Path) -> int:
    return json.loads((current_build(index) / "manifest.json").read_text(encoding="utf-8"))["passages"]


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# -- corpus and floor --------------------------------------------------------


def prepare_corpus(passages: int, corpus_dir: Path | None, seed: int) -> tuple[Path, float]:
    """The corpus folder (generated unless it already holds this size and seed) and generation time."""
    folder = corpus_dir or Path(tempfile.mkdtemp(prefix="jiaoliu-scale-"))
    stamp = folder / ".scale-corpus"
    wanted = f"passages={passages} seed={seed}"
    if stamp.is_file() and stamp.read_text() == wanted:
        return folder, 0.0
    started = time.perf_counter()
    make_scale_corpus.write_corpus(folder, passages, seed)
    stamp.write_text(wanted)  # hidden file: find_report_files skips it
    return folder, time.perf_counter() - started


def read_passages(corpus: Path) -> list[dict]:
    """Every passage with what the baselines need (text, heading, city, span, year)."""
    from indexer.index.records import report_span, report_year
    from indexer.ingest.corpus import read_corpus

    rows = []
    for _path, report in read_corpus(corpus):
        if isinstance(report, Exception):
            continue
        span = report_span(report) or (0, 0)
        for p in report.passages:
            rows.append({"text": p.text, "heading": p.heading, "city": report.metadata.city or "",
                         "span_start": span[0], "span_end": span[1], "year": report_year(report)})
    return rows


def segment_floor(corpus: Path) -> tuple[dict, list[dict]]:
    """Read the corpus, then segment heading + text of every passage as the words field does."""
    from indexer.text.fold import fold
    from indexer.text.words import get_tokenizer

    started = time.perf_counter()
    rows = read_passages(corpus)
    read_s = time.perf_counter() - started
    loaded = time.perf_counter()
    tokenizer = get_tokenizer()
    load_s = time.perf_counter() - loaded
    segmenting = time.perf_counter()
    for row in rows:
        for _ in tokenizer.tokenize(fold(row["heading"] + "\n" + row["text"]), HMM=True):
            pass
    jieba_s = time.perf_counter() - segmenting
    return {"read_s": read_s, "jieba_load_s": load_s, "jieba_s": jieba_s,
            "segment_only_s": read_s + jieba_s}, rows


# -- build in a child process --------------------------------------------------


def child_build(corpus: str, index: str, force: bool, profile: str | None) -> None:
    """Runs in the child: build, then print the build's own figures as JSON."""
    from indexer.index.build import build_index

    started = time.perf_counter()
    if profile:
        import cProfile

        summary = None

        def run():
            nonlocal summary
            summary = build_index(corpus, index, force=force)

        cProfile.runctx("run()", globals(), {"run": run}, profile)
    else:
        summary = build_index(corpus, index, force=force)
    wall = time.perf_counter() - started
    print(json.dumps({"wall_s": wall, "passages": summary.passages, "reports": len(summary.indexed),
                      "up_to_date": summary.up_to_date, "build": summary.build,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      # the largest of the writer's worker processes, if it started any
                      "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def run_build(corpus: Path, index: Path, force: bool = False, profile: str | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(corpus), str(index)]
    if force:
        cmd.append("--force")
    if profile:
        cmd += ["--child-profile", profile]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - started  # with interpreter start and imports
    return figures


# -- search through the library and HTTP ------------------------------------------


def timed_loop(mix: list[dict], run, budget_s: float) -> tuple[list[float], int]:
    """Latency in ms of `run(item)` for each item, stopping once `budget_s` is spent;
    (samples, sum of what run returned)."""
    samples, total, began = [], 0, time.perf_counter()
    for item in mix:
        started = time.perf_counter()
        total += run(item)
        samples.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() - began > budget_s:
            break
    return samples, total


def library_latency(index: Path, mix: list[dict], warm: list[dict], budget_s: float) -> dict:
    from indexer.query.request import parse_search_request
    from indexer.search.searcher import Searcher

    opened = time.perf_counter()
    searcher = Searcher(index)
    open_s = time.perf_counter() - opened
    first = time.perf_counter()
    searcher.search(parse_search_request(mix[0]["params"]))
    first_ms = (time.perf_counter() - first) * 1000
    for item in warm:  # OpenCC, jieba, per-thread searcher
        searcher.search(parse_search_request(item["params"]))
    samples, totals = timed_loop(mix, lambda item: searcher.search(parse_search_request(item["params"])).total,
                                 budget_s)
    stats = percentiles(samples)
    by_kind = {}
    for kind in dict.fromkeys(item["kind"] for item in mix):
        by_kind[kind] = percentiles([s for s, item in zip(samples, mix, strict=True) if item["kind"] == kind])["p95"]
    searcher.close()
    return {"search_open_s": open_s, "search_first_ms": first_ms, "search_p50_ms": stats["p50"],
            "search_p95_ms": stats["p95"], "search_p99_ms": stats["p99"], "search_mean_ms": stats["mean"],
            "search_p95_by_kind_ms": by_kind, "search_total_hits": totals, "search_measured": len(samples)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index: Path, corpus: Path, port: int, threads: int | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    if threads:
        env["JIAOLIU_THREADS"] = str(threads)
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--corpus", str(corpus),
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def search_path(params: dict) -> str:
    return "/api/search?" + urllib.parse.urlencode(params)


def wait_ready(server: subprocess.Popen, port: int, path: str, started: float) -> float:
    """Seconds from `started` until the server answers `path` with 200."""
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode}): {server.stderr.read()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"the server did not answer within {READY_TIMEOUT_S} s")


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (the server's worker processes)."""
    pids, i = [pid], 0
    while i < len(pids):
        for task in Path(f"/proc/{pids[i]}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
        i += 1
    return pids


def rss_mb(pid: int) -> dict[str, float]:
    """Memory of a process and its children, in MB: VmRSS (now) and VmHWM (peak)
    summed, which counts pages the workers share with the parent once per process,
    and Pss summed (each shared page split between its sharers: the real total)."""
    figures = {"VmRSS": 0.0, "VmHWM": 0.0, "Pss": 0.0, "processes": 0}
    for member in _tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] += int(value.split()[0]) / 1024
        for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                figures["Pss"] += int(line.split()[1]) / 1024
        figures["processes"] += 1
    return figures


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def http_latency(index: Path, corpus: Path, mix: list[dict], warm: list[dict], budget_s: float) -> dict:
    port = free_port()
    started = time.perf_counter()
    server = start_server(index, corpus, port)
    try:
        ready_s = wait_ready(server, port, search_path(mix[0]["params"]), started)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)

        def get(item: dict) -> int:
            conn.request("GET", search_path(item["params"]))
            response = conn.getresponse()
            response.read()
            return response.status != 200

        timed_loop(warm, get, budget_s)
        samples, errors = timed_loop(mix, get, budget_s)
        conn.close()
        stats = percentiles(samples)
        memory = rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"ready_s": ready_s, "http_p50_ms": stats["p50"], "http_p95_ms": stats["p95"],
            "http_p99_ms": stats["p99"], "http_errors": errors, "http_measured": len(samples), "server_rss_mb": memory["VmRSS"],
            "server_peak_rss_mb": memory["VmHWM"], "server_pss_mb": memory["Pss"],
            "server_processes": memory["processes"]}


# -- SQLite FTS5 baselines --------------------------------------------------------


def _fts_db(path: Path, tokenizer: str) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(f"CREATE VIRTUAL TABLE p USING fts5(body, city UNINDEXED, year UNINDEXED, "
               f"span_start UNINDEXED, span_end UNINDEXED, tokenize='{tokenizer}')")
    return db


def fts5_build(rows: list[dict], path: Path, tokenizer: str) -> tuple[sqlite3.Connection, float]:
    """Index the text of every passage (what the `grams` field matches); for unicode61, its
    jieba words (the project's tokenizer, folded, punctuation dropped) joined by spaces."""
    from indexer.text.words import words

    started = time.perf_counter()
    db = _fts_db(path, tokenizer)
    if tokenizer == "unicode61":
        bodies = (" ".join(words(r["text"])) for r in rows)
    else:
        bodies = (r["text"] for r in rows)
    with db:
        db.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?)",
                       ((b, r["city"], r["year"], r["span_start"], r["span_end"]) for b, r in zip(bodies, rows, strict=True)))
        db.execute("INSERT INTO p(p) VALUES ('optimize')")
    return db, time.perf_counter() - started


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_query(item: dict, tokenizer: str) -> tuple[str | None, list[str], list]:
    """(MATCH expression or None, extra WHERE clauses, their parameters) for one search.

    jieba: each term segmented like the index, its words as a phrase.  trigram:
    a term of 3+ characters is a MATCH phrase; a shorter one, which trigram
    cannot index, is `instr(body, term) > 0`, a scan of the table (SQLite
    3.40's `body LIKE '%外交%'` on a trigram table returns no rows at all).
    """
    from indexer.text.words import words

    terms, mode = item["terms"], item["mode"]
    if tokenizer == "unicode61":
        phrases = [_quoted(" ".join(words(t))) for t in terms]
        op = {"or": " OR ", "not": " NOT "}.get(mode, " AND ")
        return op.join(phrases), [], []
    long = [t for t in terms if len(t) >= 3]
    if len(long) == len(terms):
        op = {"or": " OR ", "not": " NOT "}.get(mode, " AND ")
        return op.join(_quoted(t) for t in terms), [], []
    if mode == "or":
        return None, ["(" + " OR ".join("instr(body, ?) > 0" for _ in terms) + ")"], list(terms)
    if mode == "not":
        positive, negative = terms
        if len(positive) >= 3:
            return _quoted(positive), ["instr(body, ?) = 0"], [negative]
        return None, ["instr(body, ?) > 0", "instr(body, ?) = 0"], [positive, negative]
    short = [t for t in terms if len(t) < 3]
    match = " AND ".join(_quoted(t) for t in long) or None
    return match, ["instr(body, ?) > 0" for _ in short], short


def _filters(item: dict) -> tuple[list[str], list]:
    from indexer.query.request import parse_search_request

    request = parse_search_request(item["params"])
    clauses, args = [], []
    if request.city:
        clauses.append("city = ?")
        args.append(request.city)
    if request.date_to:
        clauses.append("span_start <= ?")
        args.append(int(request.date_to.replace("-", "")))
    if request.date_from:
        clauses.append("span_end >= ?")
        args.append(int(request.date_from.replace("-", "")))
    return clauses, args


def fts5_search(db: sqlite3.Connection, item: dict, tokenizer: str, facets: bool) -> int:
    """Top 10 by bm25 with snippet(); with `facets`, also the total and counts per city and year."""
    match, where, args = fts5_query(item, tokenizer)
    more, more_args = _filters(item)
    where, args = where + more, args + more_args
    if match is not None:
        where, args = ["p MATCH ?"] + where, [match] + args
        select = "snippet(p, 0, '<mark>', '</mark>', '…', 24)"
        order = "ORDER BY rank"
    else:  # a scan: no full-text query, so no snippet(); cut a window around the term
        select = "substr(body, max(1, instr(body, ?) - 20), 64)"
        args = [item["terms"][0]] + args
        order = "ORDER BY rowid"
    sql = f"SELECT rowid, {select} FROM p WHERE {' AND '.join(where)} {order} LIMIT 10"
    rows = db.execute(sql, args).fetchall()
    if facets:
        facet_args = args[1:] if match is None else args
        groups = db.execute(f"SELECT city, year, count(*) FROM p WHERE {' AND '.join(where)} GROUP BY city, year",
                            facet_args).fetchall()
        return sum(n for _c, _y, n in groups)
    return len(rows)


def fts5_baseline(rows: list[dict], mix: list[dict], warm: list[dict], work: Path, tokenizer: str,
                  budget_s: float) -> dict:
    name = {"unicode61": "fts5_jieba", "trigram": "fts5_trigram"}[tokenizer]
    path = work / f"{name}.db"
    db, build_s = fts5_build(rows, path, tokenizer)
    figures = {f"{name}_build_s": build_s, f"{name}_mb": path.stat().st_size / 2**20}
    for facets in (False, True):
        for item in warm:
            fts5_search(db, item, tokenizer, facets)
        samples, totals = timed_loop(mix, lambda item: fts5_search(db, item, tokenizer, facets), budget_s)  # noqa: B023
        stats = percentiles(samples)
        suffix = "_facets" if facets else ""
        figures.update({f"{name}{suffix}_p50_ms": stats["p50"], f"{name}{suffix}_p95_ms": stats["p95"],
                        f"{name}{suffix}_p99_ms": stats["p99"]})
        if facets:
            figures[f"{name}_total_hits"] = totals
    db.close()
    path.unlink()
    return figures


# -- adding one report ----------------------------------------------------------------


def add_one(corpus: Path, index: Path, passages: int, seed: int) -> dict:
    """Copy one more generated report into the corpus, rebuild, and take it out again."""
    pools = make_scale_corpus.load_pools()
    number = len(make_scale_corpus.report_sizes(passages))
    extra = corpus / make_scale_corpus.report_name(number)
    extra.write_bytes(make_scale_corpus.report_text(number, make_scale_corpus.PASSAGES_PER_REPORT, pools, seed)
                      .encode("utf-8"))
    try:
        figures = run_build(corpus, index)
    finally:
        extra.unlink()
    return {"add_one_s": figures["wall_s"], "add_one_process_s": figures["process_s"],
            "add_one_peak_rss_mb": figures["peak_rss_mb"]}


# -- profile ---------------------------------------------------------------------------


def profile(corpus: Path, index: Path, mix: list[dict], work: Path) -> None:
    """cProfile of a forced rebuild (in the child) and of the search mix; top functions printed."""
    import cProfile
    import pstats

    from indexer.query.request import parse_search_request
    from indexer.search.searcher import Searcher

    build_prof = work / "build.prof"
    run_build(corpus, index, force=True, profile=str(build_prof))
    searcher = Searcher(index)
    for item in mix:
        searcher.search(parse_search_request(item["params"]))
    search_prof = work / "search.prof"
    profiler = cProfile.Profile()
    profiler.enable()
    for item in mix:
        searcher.search(parse_search_request(item["params"]))
    profiler.disable()
    profiler.dump_stats(search_prof)
    for title, path in (("build", build_prof), ("search mix", search_prof)):
        print(f"\n== cProfile: {title} ({path}) ==", file=sys.stderr)
        stats = pstats.Stats(str(path), stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(25)


# -- report ------------------------------------------------------------------------------

TARGETS_200K = {"build_s": "≤ 90 s", "search_p95_ms": "≤ 30 ms and ≤ 1.5× fts5_jieba_facets_p95_ms",
                "add_one_s": "≤ 3 s", "ready_s": "≤ 3 s", "server_rss_mb": "≤ 1536 MB (at 1M)"}


def print_table(figures: dict) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:.1f}" for k, v in value.items())
        elif isinstance(value, float):
            value = f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
        target = TARGETS_200K.get(key, "")
        print(f"  {key:<28} {value!s:>16}   {('target at 200k: ' + target) if target else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=10000, help="size of the synthetic corpus (default 10000)")
    parser.add_argument("--corpus-dir", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--work", type=Path, help="folder for the index and FTS5 files (default: temporary)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=150, help="searches in the query mix (default 150)")
    parser.add_argument("--budget", type=float, default=900,
                        help="seconds at most per latency loop; the rest of the mix is skipped (default 900)")
    parser.add_argument("--warm-up", type=int, default=WARM_UP_QUERIES,
                        help=f"searches of another mix run first by each engine (default {WARM_UP_QUERIES})")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse the index already built in --work (its build figures are not measured)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-fts5", action="store_true")
    parser.add_argument("--skip-add", action="store_true", help="skip the add-one-report rebuild")
    parser.add_argument("--skip-floor", action="store_true",
                        help="with --skip-build and --skip-fts5: do not read and segment the corpus "
                             "(its size then comes from the index's manifest)")
    parser.add_argument("--profile", action="store_true", help="also cProfile a build and the search mix")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of every figure")
    parser.add_argument("--child-build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.skip_floor and not (args.skip_build and args.skip_fts5):
        parser.error("--skip-floor needs --skip-build and --skip-fts5 (both use the segmented corpus)")
    if args.child_build:
        child_build(*args.child_build, force=args.force, profile=args.child_profile)
        return 0

    def step(name: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)

    own_work = args.work is None
    work = args.work or Path(tempfile.mkdtemp(prefix="jiaoliu-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    index = work / "index"
    mix = query_mix(args.queries)
    warm = query_mix(args.warm_up, seed=99)  # another mix, so that no engine sees a query twice
    corpus = None
    try:
        if args.skip_build:
            try:
                current_build(index)
            except IndexNotFound as exc:
                raise SystemExit(f"--skip-build: {exc}; or run once without --skip-build (and with --work)") from None
        step(f"corpus of {args.passages} passages")
        corpus, generate_s = prepare_corpus(args.passages, args.corpus_dir, args.seed)
        if args.skip_floor:
            rows = []
            figures = {"passages": manifest_passages(index), "reports": len(list(corpus.glob("*.txt"))),
                       "generate_s": generate_s}
        else:
            step("segment-only floor")
            floor, rows = segment_floor(corpus)
            chars = sum(len(r["text"]) for r in rows)
            figures = {"passages": len(rows), "chars": chars, "reports": len(list(corpus.glob("*.txt"))),
                       "generate_s": generate_s, **floor}
        if not args.skip_build:
            step("build_index (child process)")
            shutil.rmtree(index, ignore_errors=True)
            built = run_build(corpus, index)
            figures.update({"build_s": built["wall_s"], "build_process_s": built["process_s"],
                            "build_chars_per_s": chars / built["wall_s"], "build_peak_rss_mb": built["peak_rss_mb"],
                            "build_workers_peak_rss_mb": built["workers_peak_rss_mb"],
                            "build_vs_floor": built["wall_s"] / floor["segment_only_s"]})
        figures["index_mb"] = dir_mb(index)
        step("search through the library")
        figures.update(library_latency(index, mix, warm, args.budget))
        if not args.skip_http:
            step("search through HTTP")
            figures.update(http_latency(index, corpus, mix, warm, args.budget))
        if not args.skip_fts5:
            for tokenizer in ("unicode61", "trigram"):
                step(f"SQLite FTS5 {tokenizer}")
                figures.update(fts5_baseline(rows, mix, warm, work, tokenizer, args.budget))
            if "build_s" in figures:
                figures["build_vs_fts5_jieba"] = figures["build_s"] / figures["fts5_jieba_build_s"]
            figures["search_p95_vs_fts5_jieba"] = figures["search_p95_ms"] / figures["fts5_jieba_p95_ms"]
            figures["search_p95_vs_fts5_jieba_facets"] = figures["search_p95_ms"] / figures["fts5_jieba_facets_p95_ms"]
        del rows
        if not args.skip_add:
            step("no-change build_index, then add one report")
            figures["noop_build_s"] = run_build(corpus, index)["wall_s"]
            figures.update(add_one(corpus, index, args.passages, args.seed))
        if args.profile:
            step("profiling")
            profile(corpus, index, mix, work)
        figures.update({"queries": len(mix), "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(),
                        "date": time.strftime("%Y-%m-%d")})
    finally:
        if own_work and not args.profile:
            shutil.rmtree(work, ignore_errors=True)
        if args.corpus_dir is None and corpus is not None:
            shutil.rmtree(corpus, ignore_errors=True)
    size = f"{figures['passages']:,} passages" + (f", {figures['chars']:,} characters" if "chars" in figures else "")
    print(f"jiaoliu benchmark, {size} (synthetic text, for speed only)")
    print_table(figures)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
