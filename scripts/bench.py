"""Benchmark jiaoliu at a city archive's size, next to SQLite FTS5 and tantivy, in one run.

    .venv/bin/python scripts/bench.py --passages 10000 [--json] [--corpus-dir DIR] [--engine NAME]
                                      [--skip-http] [--skip-fts5] [--skip-tantivy] [--queries 150]
                                      [--check-totals | --no-check-totals] [--profile] [--cold-start]

Steps (each bounded in time; network on 127.0.0.1 only):
1. a synthetic corpus of N passages (scripts/make_scale_corpus.py; text for speed only),
   generated into --corpus-dir (reused when it already holds that corpus) or a temporary folder;
2. the floor: reading the corpus and segmenting every passage with the project's jieba tokenizer;
3. `build_index` in a child process (wall time, characters/s, the child's own peak RSS), index size;
4. search latency through `Searcher.search` (facets and snippets included) over a fixed query mix;
5. the same mix through HTTP against `python -m indexer serve` (server start until first answer,
   p50/p95, the server's RSS afterwards);
6. SQLite FTS5 over the same passages: jieba-segmented text with unicode61, raw text with trigram
   (build time, size, query + snippet latency, with and without the exact total and the counts);
7. tantivy (the `bench` extra: tantivy==0.27.0) over the same character grams jiaoliu matches on
   (build time, size, latency of top 10 + snippets + exact total + counts per city and year);
8. the totals checked against a Ctrl-F count over the passages' folded text (by default up to
   20,000 passages): how many searches of the mix each system counts exactly;
9. adding one report to the built index (today: a whole rebuild), and a no-change `build_index`.

Every system is timed on the same whole job: the 10 best passages with a snippet, the exact
total of matching passages, and their counts per city and per year under the request's filters.
`--engine NAME` chooses jiaoliu's engine (the library's, the build's and the server's).

With --json the last line printed is one JSON object with every figure ("systems": the
side-by-side table).
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
from collections import Counter
from pathlib import Path

import make_scale_corpus
from peak import tree

from indexer.errors import IndexNotFound
from indexer.index.store import current_build
from indexer.text.cities import CITIES

REPO = Path(__file__).resolve().parents[1]

BUILD_TIMEOUT_S = 4 * 3600
READY_TIMEOUT_S = 120
REQUEST_TIMEOUT_S = 60
WARM_UP_QUERIES = 24  # searches of another mix (another seed) each engine runs first
CHECK_TOTALS_UP_TO = 20_000  # passages: above this the Ctrl-F check is only run when asked for

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


# -- jiaoliu's engine ------------------------------------------------------------


def child_env(engine: str | None) -> dict[str, str]:
    """The environment of a child process (the build, the server): JIAOLIU_ENGINE names the
    engine when one was chosen; otherwise the child gets the library's default (or whatever
    JIAOLIU_ENGINE the caller's environment already holds)."""
    env = dict(os.environ)
    if engine:
        env["JIAOLIU_ENGINE"] = engine
    return env


def open_searcher(index: Path, engine: str | None):
    """`Searcher(index)`, with `engine=` only when one was chosen, so that the library's own
    default is what an unset --engine measures."""
    from indexer.search.searcher import Searcher

    return Searcher(index, engine=engine) if engine else Searcher(index)


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


def run_build(corpus: Path, index: Path, force: bool = False, profile: str | None = None,
              engine: str | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(corpus), str(index)]
    if force:
        cmd.append("--force")
    if profile:
        cmd += ["--child-profile", profile]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, cwd=REPO,
                          env=child_env(engine))
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - started  # with interpreter start and imports
    return figures


# -- search through the library and HTTP ------------------------------------------


def timed_loop(mix: list[dict], run, budget_s: float) -> tuple[list[float], list]:
    """Latency in ms of `run(item)` for each item, stopping once `budget_s` is spent;
    (samples, what run returned for each: a search's total, so that totals can be checked)."""
    samples, returned, began = [], [], time.perf_counter()
    for item in mix:
        started = time.perf_counter()
        returned.append(run(item))
        samples.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() - began > budget_s:
            break
    return samples, returned


def library_latency(index: Path, mix: list[dict], warm: list[dict], budget_s: float,
                    engine: str | None = None) -> tuple[dict, list[int]]:
    """(figures, each search's total) of `Searcher.search` over the mix."""
    from indexer.query.request import parse_search_request

    opened = time.perf_counter()
    searcher = open_searcher(index, engine)
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
            "search_p95_by_kind_ms": by_kind, "search_total_hits": sum(totals),
            "search_measured": len(samples)}, totals


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index: Path, corpus: Path, port: int, threads: int | None = None,
                 engine: str | None = None) -> subprocess.Popen:
    env = child_env(engine)
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


def rss_mb(pid: int) -> dict[str, float]:
    """Memory of a process and its children, in MB: VmRSS (now) and VmHWM (peak)
    summed, which counts pages the workers share with the parent once per process,
    and Pss summed (each shared page split between its sharers: the real total), also
    as Pss_Anon (the processes' own memory) and Pss_File (the index's mapped files:
    page cache the kernel can drop, as large as what the searches touched while the
    files were cached, so larger right after a build)."""
    figures = {"VmRSS": 0.0, "VmHWM": 0.0, "Pss": 0.0, "Pss_Anon": 0.0, "Pss_File": 0.0, "processes": 0}
    for member in tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] += int(value.split()[0]) / 1024
        for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Pss", "Pss_Anon", "Pss_File"):
                figures[key] += int(value.split()[0]) / 1024
        figures["processes"] += 1
    return figures


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def drop_page_cache() -> None:
    """Empty the kernel's page cache (root only), so that a start reads the index from disk,
    as after a reboot. SystemExit with why when it cannot."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as exc:
        raise SystemExit(f"bench.py: --cold-start needs root to drop the page cache ({exc})") from None


def http_latency(index: Path, corpus: Path, mix: list[dict], warm: list[dict], budget_s: float,
                 engine: str | None = None, cold: bool = False) -> dict:
    port = free_port()
    if cold:
        drop_page_cache()
    started = time.perf_counter()
    server = start_server(index, corpus, port, engine=engine)
    try:
        ready_s = wait_ready(server, port, search_path(mix[0]["params"]), started)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)

        def get(item: dict) -> int:
            conn.request("GET", search_path(item["params"]))
            response = conn.getresponse()
            response.read()
            return response.status != 200

        timed_loop(warm, get, budget_s)
        samples, failed = timed_loop(mix, get, budget_s)
        conn.close()
        stats = percentiles(samples)
        memory = rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"ready_s": ready_s, "http_p50_ms": stats["p50"], "http_p95_ms": stats["p95"],
            "http_p99_ms": stats["p99"], "http_errors": sum(failed), "http_measured": len(samples), "server_rss_mb": memory["VmRSS"],
            "server_peak_rss_mb": memory["VmHWM"], "server_pss_mb": memory["Pss"],
            "server_pss_anon_mb": memory["Pss_Anon"], "server_pss_file_mb": memory["Pss_File"],
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


def request_filters(item: dict) -> tuple[str | None, int | None, int | None]:
    """(city, first day, last day) of a search's request, days as YYYYMMDD numbers: the
    filters every system applies alike."""
    from indexer.query.request import parse_search_request
    from indexer.text.dates import day_number

    request = parse_search_request(item["params"])
    return (request.city[0] if request.city else None), day_number(request.date_from), day_number(request.date_to)


def passes_filters(row: dict, city: str | None, day_from: int | None, day_to: int | None) -> bool:
    """jiaoliu's filter rule (indexer.engine.counting): the city is the one asked for; the
    report's [period start … report date] overlaps the dates asked for, and a report
    without any date (span_end 0) passes no date filter."""
    if city and row["city"] != city:
        return False
    if day_from or day_to:
        if not row["span_end"]:
            return False
        if day_to and row["span_start"] > day_to:
            return False
        if day_from and row["span_end"] < day_from:
            return False
    return True


def _filters(item: dict) -> tuple[list[str], list]:
    """`passes_filters` as WHERE clauses on the UNINDEXED columns."""
    city, day_from, day_to = request_filters(item)
    clauses, args = [], []
    if city:
        clauses.append("city = ?")
        args.append(city)
    if day_from or day_to:
        clauses.append("span_end > 0")
    if day_to:
        clauses.append("span_start <= ?")
        args.append(day_to)
    if day_from:
        clauses.append("span_end >= ?")
        args.append(day_from)
    return clauses, args


def fts5_search(db: sqlite3.Connection, item: dict, tokenizer: str, facets: bool) -> int:
    """Top 10 by bm25 with snippet(); with `facets`, the whole job every system is timed on:
    also the exact total and the counts per city and per year (one GROUP BY under the same
    filters), and that total is returned; without, the number of rows of the top 10."""
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
    if not facets:
        return len(rows)
    facet_args = args[1:] if match is None else args
    groups = db.execute(f"SELECT city, year, count(*) FROM p WHERE {' AND '.join(where)} GROUP BY city, year",
                        facet_args).fetchall()
    by_city, by_year = Counter(), Counter()
    for city, year, n in groups:
        by_city[city] += n
        if year:  # like jiaoliu's facets, a passage without a year is in no year's count
            by_year[year] += n
    return sum(by_city.values())


def fts5_baseline(rows: list[dict], mix: list[dict], warm: list[dict], work: Path, tokenizer: str,
                  budget_s: float) -> tuple[dict, list[int]]:
    """(figures, each search's total). `_p*_ms`: top 10 + snippets alone; `_facets_p*_ms`: the
    whole job (also the total and the counts), the figures to compare with the other systems."""
    name = {"unicode61": "fts5_jieba", "trigram": "fts5_trigram"}[tokenizer]
    path = work / f"{name}.db"
    db, build_s = fts5_build(rows, path, tokenizer)
    figures = {f"{name}_build_s": build_s, f"{name}_mb": path.stat().st_size / 2**20}
    totals: list[int] = []
    for facets in (False, True):
        for item in warm:
            fts5_search(db, item, tokenizer, facets)
        samples, returned = timed_loop(mix, lambda item: fts5_search(db, item, tokenizer, facets), budget_s)  # noqa: B023
        stats = percentiles(samples)
        suffix = "_facets" if facets else ""
        figures.update({f"{name}{suffix}_p50_ms": stats["p50"], f"{name}{suffix}_p95_ms": stats["p95"],
                        f"{name}{suffix}_p99_ms": stats["p99"]})
        if facets:
            totals = returned
            figures[f"{name}_total_hits"] = sum(totals)
    db.close()
    path.unlink()
    return figures, totals


# -- tantivy over the same character grams ----------------------------------------------
#
# tantivy (the Rust engine, through its official Python bindings) is given each passage's
# grams, `grams(fold(text))`, as a PreTokenizedString: every token carries its own position,
# so a unigram and the bigram that starts at the same character share one, punctuation
# moves the position on by one and whitespace does not, exactly as in jiaoliu's `grams`
# field; the binding's own tokenizers never run on it. A query term is `phrase_units(term)`:
# a run of one unit is a term query, a longer run a phrase query (consecutive positions),
# and a term split into several runs (by punctuation) needs every run. So tantivy matches
# what jiaoliu's grams field matches. What differs, on purpose: the ranking is tantivy's
# plain BM25 over grams (field norms count unigrams and bigrams alike), without jiaoliu's
# soft AND, long terms found by their words, aliases, heading and title boosts or rerank;
# its AND is strict, so its totals are the strict boolean ones.

# Buckets a terms aggregation may return: more than there are cities or years, so that no
# count is cut off and each is exact.
TANTIVY_FACETS = {"city": {"terms": {"field": "city", "size": 10_000}},
                  "year": {"terms": {"field": "year", "size": 10_000}}}


def tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    # Pre-tokenised, so "raw" only names a tokenizer that never runs on this field.
    builder.add_text_field("grams", tokenizer_name="raw", index_option="position")
    builder.add_bytes_field("text", stored=True)  # stored, not indexed: for the snippets
    # Filters (term and range queries) and facets (terms aggregations over fast fields).
    builder.add_text_field("city", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("year", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("span_start", indexed=True, fast=True)
    builder.add_integer_field("span_end", indexed=True, fast=True)
    return builder.build()


def tantivy_document(row: dict):
    import tantivy

    from indexer.text.fold import fold
    from indexer.text.grams import grams

    tokens = [tantivy.Token(g.text, g.pos, g.start, g.end) for g in grams(fold(row["text"]))]
    doc = tantivy.Document()
    doc.add_pre_tokenized_text("grams", tantivy.PreTokenizedString(row["text"], tokens))
    doc.add_bytes("text", row["text"].encode("utf-8"))
    doc.add_text("city", row["city"])
    if row["year"]:  # like jiaoliu's facets, a passage without a year is in no year's count
        doc.add_text("year", row["year"])
    doc.add_integer("span_start", row["span_start"])
    doc.add_integer("span_end", row["span_end"])
    return doc


def tantivy_build(rows: list[dict], folder: Path):
    """(index, schema, seconds): every passage's grams made in Python and indexed, from the
    passages in memory like the FTS5 baselines, committed and merged as tantivy sees fit."""
    import tantivy

    started = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    schema = tantivy_schema()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer()  # tantivy's defaults: 128 MB of buffer, its own number of threads
    for row in rows:
        writer.add_document(tantivy_document(row))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema, time.perf_counter() - started


def tantivy_term(schema, term: str):
    """A query term as jiaoliu's grams field matches it: every run of `phrase_units(term)`."""
    import tantivy

    from indexer.text.grams import phrase_units

    runs = [tantivy.Query.term_query(schema, "grams", run[0]) if len(run) == 1
            else tantivy.Query.phrase_query(schema, "grams", run) for run in phrase_units(term)]
    if not runs:  # punctuation only: nothing to find
        return tantivy.Query.empty_query()
    return runs[0] if len(runs) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in runs])


def tantivy_filters(schema, item: dict) -> list:
    """`passes_filters` as tantivy queries: the city a term, the dates ranges over fast fields."""
    import tantivy

    city, day_from, day_to = request_filters(item)
    filters = []
    if city:
        filters.append(tantivy.Query.term_query(schema, "city", city))
    if day_from or day_to:  # a report without a date (span_end 0) passes no date filter
        filters.append(tantivy.Query.range_query(schema, "span_end", tantivy.FieldType.Integer,
                                                 lower_bound=max(day_from or 0, 1)))
    if day_to:
        filters.append(tantivy.Query.range_query(schema, "span_start", tantivy.FieldType.Integer,
                                                 upper_bound=day_to))
    return filters


def tantivy_query(schema, item: dict):
    """The search's terms combined by its mode (and, or, not, phrase), under its filters."""
    import tantivy

    must, should, must_not = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
    terms = [tantivy_term(schema, t) for t in item["terms"]]
    if item["mode"] == "or":
        clauses = [(should, q) for q in terms]
    elif item["mode"] == "not":
        clauses = [(must, terms[0])] + [(must_not, q) for q in terms[1:]]
    else:
        clauses = [(must, q) for q in terms]
    query = terms[0] if len(terms) == 1 else tantivy.Query.boolean_query(clauses)
    filters = tantivy_filters(schema, item)
    if not filters:
        return query
    # The text query nested whole, so that its Should clauses (OR) stay required next to
    # the filters; a filter scores 0.0, so it decides without moving the ranking.
    return tantivy.Query.boolean_query([(must, query)] + [(must, tantivy.Query.const_score_query(f, 0.0))
                                                           for f in filters])


def first_match_window(text: str, patterns: list, width: int = 160) -> str:
    """A snippet: `width` characters from just before the first match of a positive term."""
    from indexer.text.fold import fold

    folded = fold(text)  # same length as the text: offsets carry over
    starts = [m.start() for p in patterns if (m := p.search(folded))]
    start = max(0, min(starts, default=0) - width // 4)
    return text[start:start + width]


def tantivy_search(searcher, schema, item: dict) -> int:
    """The whole job: top 10 by BM25 with their stored text and a snippet, the exact total
    (count=True), and counts per city and per year (terms aggregations over fast fields,
    a second pass over the matches); returns the total. Measured at 5,000 passages: asking
    the aggregation for the total too (value_count) and the search for none costs the same."""
    from indexer.text.grams import phrase_units, run_pattern

    query = tantivy_query(schema, item)
    found = searcher.search(query, 10, count=True)
    positive = item["terms"][:1] if item["mode"] == "not" else item["terms"]
    patterns = [run_pattern(tuple(run)) for term in positive for run in phrase_units(term)]
    snippets = []
    for _score, address in found.hits:
        text = searcher.doc(address).get_first("text").decode("utf-8")
        snippets.append(first_match_window(text, patterns))
    facets = searcher.aggregate(query, TANTIVY_FACETS)
    by_city = {b["key"]: b["doc_count"] for b in facets["city"]["buckets"]}
    by_year = {b["key"]: b["doc_count"] for b in facets["year"]["buckets"]}
    del snippets, by_city, by_year  # made, as a results page would; nothing here shows them
    return found.count


def tantivy_latency(index, schema, mix: list[dict], warm: list[dict], budget_s: float) -> tuple[dict, list[int]]:
    searcher = index.searcher()
    for item in warm:
        tantivy_search(searcher, schema, item)
    samples, totals = timed_loop(mix, lambda item: tantivy_search(searcher, schema, item), budget_s)
    stats = percentiles(samples)
    return {"tantivy_p50_ms": stats["p50"], "tantivy_p95_ms": stats["p95"], "tantivy_p99_ms": stats["p99"],
            "tantivy_total_hits": sum(totals), "tantivy_segments": searcher.num_segments}, totals


def tantivy_baseline(rows: list[dict], mix: list[dict], warm: list[dict], work: Path,
                     budget_s: float) -> tuple[dict, list[int]]:
    """(figures, each search's total) of tantivy over the same passages and mix."""
    from importlib.metadata import version

    folder = work / "tantivy"
    index, schema, build_s = tantivy_build(rows, folder)
    figures = {"tantivy_build_s": build_s, "tantivy_mb": dir_mb(folder), "tantivy_version": version("tantivy")}
    latency, totals = tantivy_latency(index, schema, mix, warm, budget_s)
    figures.update(latency)
    shutil.rmtree(folder, ignore_errors=True)
    return figures, totals


def tantivy_available() -> str | None:
    """None if tantivy can be imported, else why not (said before anything is measured)."""
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:
        return f"tantivy is not installed ({exc}): install the `bench` extra (tantivy==0.27.0), or pass --skip-tantivy"
    return None


# -- totals against Ctrl-F ------------------------------------------------------------------


def ctrl_f_totals(rows: list[dict], mix: list[dict]) -> list[int]:
    """For each search of the mix, the passages a Ctrl-F over their folded text finds: a term
    is found where every run of `phrase_units(term)` matches its `run_pattern` (what jiaoliu's
    grams field and TextMatcher find), the terms combined by the mode, the filters applied."""
    from indexer.text.fold import fold
    from indexer.text.grams import phrase_units, run_pattern

    folded = [fold(row["text"]) for row in rows]
    found_by_term: dict[str, set[int]] = {}

    def having(term: str) -> set[int]:
        if term not in found_by_term:
            patterns = [run_pattern(tuple(run)) for run in phrase_units(term)]
            found_by_term[term] = {i for i, text in enumerate(folded)
                                   if patterns and all(p.search(text) for p in patterns)}
        return found_by_term[term]

    totals = []
    for item in mix:
        sets = [having(term) for term in item["terms"]]
        if item["mode"] == "or":
            found = set().union(*sets)
        elif item["mode"] == "not":
            found = sets[0].difference(*sets[1:])
        else:
            found = set.intersection(*sets)
        city, day_from, day_to = request_filters(item)
        totals.append(sum(passes_filters(rows[i], city, day_from, day_to) for i in found))
    return totals


def check_totals(totals: dict[str, list[int]], expected: list[int], mix: list[dict]) -> dict[str, str]:
    """{system: "equal/compared"}; a few of each system's differences go to stderr. A loop
    cut short by --budget has fewer totals: only those are compared."""
    checked = {}
    for name, got in totals.items():
        pairs = list(zip(mix, got, expected, strict=False))
        differ = [(item, g, e) for item, g, e in pairs if g != e]
        checked[name] = f"{len(pairs) - len(differ)}/{len(pairs)}"
        if differ:
            kinds = Counter(item["kind"] for item, _g, _e in differ)
            examples = "; ".join(f"{item['params']} {g} (Ctrl-F {e})" for item, g, e in differ[:3])
            print(f"  totals ≠ Ctrl-F, {name}: {len(differ)} searches ({dict(kinds)}), e.g. {examples}",
                  file=sys.stderr)
    return checked


# -- adding one report ----------------------------------------------------------------


def add_one(corpus: Path, index: Path, passages: int, seed: int, engine: str | None = None) -> dict:
    """Copy one more generated report into the corpus, rebuild, and take it out again."""
    pools = make_scale_corpus.load_pools()
    number = len(make_scale_corpus.report_sizes(passages))
    extra = corpus / make_scale_corpus.report_name(number)
    extra.write_bytes(make_scale_corpus.report_text(number, make_scale_corpus.PASSAGES_PER_REPORT, pools, seed)
                      .encode("utf-8"))
    try:
        figures = run_build(corpus, index, engine=engine)
    finally:
        extra.unlink()
    return {"add_one_s": figures["wall_s"], "add_one_process_s": figures["process_s"],
            "add_one_peak_rss_mb": figures["peak_rss_mb"]}


# -- profile ---------------------------------------------------------------------------


def profile(corpus: Path, index: Path, mix: list[dict], work: Path, engine: str | None = None) -> None:
    """cProfile of a forced rebuild (in the child) and of the search mix; top functions printed."""
    import cProfile
    import pstats

    from indexer.query.request import parse_search_request

    build_prof = work / "build.prof"
    run_build(corpus, index, force=True, profile=str(build_prof), engine=engine)
    searcher = open_searcher(index, engine)
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


# Each system of the side-by-side table: (name, build figure, size figure, latency figures'
# prefix). FTS5's are its whole-job (`_facets`) figures, what every other system does.
SYSTEMS = (("jiaoliu", "build_s", "index_mb", "search"),
           ("jiaoliu_http", None, None, "http"),
           ("fts5_jieba", "fts5_jieba_build_s", "fts5_jieba_mb", "fts5_jieba_facets"),
           ("fts5_trigram", "fts5_trigram_build_s", "fts5_trigram_mb", "fts5_trigram_facets"),
           ("tantivy", "tantivy_build_s", "tantivy_mb", "tantivy"))


def systems_table(figures: dict, checked: dict[str, str]) -> dict[str, dict]:
    """{system: build s, index MB, p50/p95/p99 ms, totals = Ctrl-F} for each system measured."""
    table = {}
    for name, build, size, prefix in SYSTEMS:
        if f"{prefix}_p50_ms" not in figures:
            continue
        table[name] = {"build_s": figures.get(build), "mb": figures.get(size),
                       **{p: figures[f"{prefix}_{p}_ms"] for p in ("p50", "p95", "p99")},
                       "totals_ctrl_f": checked.get(name)}
    return table


def print_systems(table: dict[str, dict], engine: str) -> None:
    def cell(value, width: int) -> str:
        if value is None:
            return f"{'–':>{width}}"
        return f"{value:>{width}}" if isinstance(value, str) else f"{value:>{width},.1f}"

    print(f"\n  {'system':<22} {'build s':>8} {'MB':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'totals = Ctrl-F':>16}")
    for name, row in table.items():
        label = name.replace("_http", " HTTP") + (f" ({engine})" if name.startswith("jiaoliu") else "")
        print(f"  {label:<22} {cell(row['build_s'], 8)} {cell(row['mb'], 7)} {cell(row['p50'], 8)} "
              f"{cell(row['p95'], 8)} {cell(row['p99'], 8)} {cell(row['totals_ctrl_f'], 16)}")
    print("  (jiaoliu's build reads the report files; the others index the passages already in memory.\n"
          "   Every search: top 10 with snippets, exact total, counts per city and per year.)")


def main(argv: list[str] | None = None) -> int:
    from indexer.engine import ENGINES  # the engines there are now, read when the options are made

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
    parser.add_argument("--engine", choices=ENGINES,
                        help="jiaoliu's engine (Searcher(engine=), JIAOLIU_ENGINE for the build and the server; "
                             "default: the library's)")
    parser.add_argument("--check-totals", action=argparse.BooleanOptionalAction,
                        help=f"compare each system's totals with a Ctrl-F count over the passages "
                             f"(default: on up to {CHECK_TOTALS_UP_TO:,} passages)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse the index already built in --work (its build figures are not measured)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--cold-start", action="store_true",
                        help="empty the page cache (root) before starting the server, so ready_s is a cold start")
    parser.add_argument("--skip-fts5", action="store_true")
    parser.add_argument("--skip-tantivy", action="store_true")
    parser.add_argument("--skip-add", action="store_true", help="skip the add-one-report rebuild")
    parser.add_argument("--skip-floor", action="store_true",
                        help="with --skip-build, --skip-fts5 and --skip-tantivy: do not read and segment "
                             "the corpus (its size then comes from the index's manifest; no totals check)")
    parser.add_argument("--profile", action="store_true", help="also cProfile a build and the search mix")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of every figure")
    parser.add_argument("--child-build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.skip_floor and not (args.skip_build and args.skip_fts5 and args.skip_tantivy):
        parser.error("--skip-floor needs --skip-build, --skip-fts5 and --skip-tantivy (all use the passages read)")
    if args.child_build:
        child_build(*args.child_build, force=args.force, profile=args.child_profile)
        return 0
    if not args.skip_tantivy and (missing := tantivy_available()):
        parser.error(missing)

    def step(name: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)

    own_work = args.work is None
    work = args.work or Path(tempfile.mkdtemp(prefix="jiaoliu-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    index = work / "index"
    mix = query_mix(args.queries)
    warm = query_mix(args.warm_up, seed=99)  # another mix, so that no engine sees a query twice
    corpus = None
    totals: dict[str, list[int]] = {}  # system → each search's total, for the Ctrl-F check
    checked: dict[str, str] = {}
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
            built = run_build(corpus, index, engine=args.engine)
            figures.update({"build_s": built["wall_s"], "build_process_s": built["process_s"],
                            "build_chars_per_s": chars / built["wall_s"], "build_peak_rss_mb": built["peak_rss_mb"],
                            "build_workers_peak_rss_mb": built["workers_peak_rss_mb"],
                            "build_vs_floor": built["wall_s"] / floor["segment_only_s"]})
        figures["index_mb"] = dir_mb(index)
        step("search through the library")
        library, totals["jiaoliu"] = library_latency(index, mix, warm, args.budget, args.engine)
        figures.update(library)
        if not args.skip_http:
            step("search through HTTP")
            figures.update(http_latency(index, corpus, mix, warm, args.budget, args.engine, cold=args.cold_start))
            figures["ready_cold_cache"] = args.cold_start
        if not args.skip_fts5:
            for tokenizer in ("unicode61", "trigram"):
                step(f"SQLite FTS5 {tokenizer}")
                baseline, totals[{"unicode61": "fts5_jieba", "trigram": "fts5_trigram"}[tokenizer]] = \
                    fts5_baseline(rows, mix, warm, work, tokenizer, args.budget)
                figures.update(baseline)
            if "build_s" in figures:
                figures["build_vs_fts5_jieba"] = figures["build_s"] / figures["fts5_jieba_build_s"]
            figures["search_p95_vs_fts5_jieba"] = figures["search_p95_ms"] / figures["fts5_jieba_p95_ms"]
            figures["search_p95_vs_fts5_jieba_facets"] = figures["search_p95_ms"] / figures["fts5_jieba_facets_p95_ms"]
        if not args.skip_tantivy:
            step("tantivy over the same grams")
            baseline, totals["tantivy"] = tantivy_baseline(rows, mix, warm, work, args.budget)
            figures.update(baseline)
            figures["search_p95_vs_tantivy"] = figures["search_p95_ms"] / figures["tantivy_p95_ms"]
        check = args.check_totals if args.check_totals is not None else figures["passages"] <= CHECK_TOTALS_UP_TO
        if check and rows:
            step("totals against a Ctrl-F count")
            checked = check_totals(totals, ctrl_f_totals(rows, mix), mix)
            figures.update({f"{name}_totals_ctrl_f": value for name, value in checked.items()})
        elif check:
            step("totals not checked: --skip-floor read no passages")
        del rows
        if not args.skip_add:
            step("no-change build_index, then add one report")
            figures["noop_build_s"] = run_build(corpus, index, engine=args.engine)["wall_s"]
            figures.update(add_one(corpus, index, args.passages, args.seed, args.engine))
        if args.profile:
            step("profiling")
            profile(corpus, index, mix, work, args.engine)
        figures.update({"engine": args.engine or "default", "queries": len(mix), "sqlite": sqlite3.sqlite_version,
                        "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")})
    finally:
        if own_work and not args.profile:
            shutil.rmtree(work, ignore_errors=True)
        if args.corpus_dir is None and corpus is not None:
            shutil.rmtree(corpus, ignore_errors=True)
    size = f"{figures['passages']:,} passages" + (f", {figures['chars']:,} characters" if "chars" in figures else "")
    print(f"jiaoliu benchmark, {size} (synthetic text, for speed only)")
    print_table(figures)
    systems = systems_table(figures, checked)
    print_systems(systems, args.engine or "default")
    if args.json:
        print(json.dumps({**figures, "systems": systems}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
