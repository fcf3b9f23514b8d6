"""The `jiaoliu` command: a thin layer over the library.

    jiaoliu index  [--corpus DIR] [--index DIR] [--force]
    jiaoliu search WORDS… [--city C]… [--from D] [--to D] [--kind K]… [--level L]… [--agency A]… [--country C]…
                         [--partner P]…
                         [--sort relevance|newest|oldest] [--limit N] [--page N] [--json]
    jiaoliu partners [NAME] [--country C] [--sort passages|name|country|cities|latest] [--page N] [--json]
    jiaoliu serve  [--index DIR] [--corpus DIR] [--host H] [--port P]

Errors are one line on stderr starting with "jiaoliu: error:", and exit
code 2 for a bad request, 1 for anything else that went wrong.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from indexer import settings
from indexer.errors import BadRequest, IndexDamaged, IndexNotFound, JiaoliuError
from indexer.ingest.ids import safe_text
from indexer.models import Hit, Snippet
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

if TYPE_CHECKING:
    from indexer.index.build import BuildSummary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jiaoliu", description="Search Taiwanese city governments' "
                                     "reports on international and sister-city exchanges.")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build or update the index from the corpus")
    index.add_argument("--corpus", default=settings.get("JIAOLIU_CORPUS"), help="folder of reports")
    index.add_argument("--index", default=settings.get("JIAOLIU_INDEX"), help="index folder")
    index.add_argument("--force", action="store_true", help="rebuild even if nothing changed")

    search = sub.add_parser(
        "search", help="search the index",
        description="Count and list the passages that hold every word of QUERY (in any of its spellings); "
                    "on the last page, the passages that hold only some of the words follow under 部分符合, "
                    "each with what it lacks (缺少：…), and are not counted.")
    search.add_argument("query", nargs="+", help='words, all of which a passage must hold to be counted '
                        '(jiaoliu search 熊本 半導體); OR between words for either, -word to exclude, '
                        '\'"a phrase"\' quoted for the shell')
    # A filter given several times keeps any of its values (--city 臺中 --city 基隆).
    search.add_argument("--city", action="append", default=[], help="臺北市, 台中, 高雄 …; again for another")
    search.add_argument("--from", dest="date_from", default="", help="2022-09-02, 2022, 111/9/2, 民國111年 …")
    search.add_argument("--to", dest="date_to", default="", help="same forms as --from")
    search.add_argument("--kind", action="append", default=[], help="出國報告, 施政報告, 統計分析報告, 會議紀錄, 議事錄, 公文, "
                                                  "新聞稿, 計畫, 法規, 逐字稿 or other")
    search.add_argument("--level", action="append", default=[], help="中央 (central government) or 地方 (a city's or county's)")
    search.add_argument("--agency", action="append", default=[], help="the agency, as the reports name it")
    search.add_argument("--country", action="append", default=[], help="a destination country, e.g. 日本")
    search.add_argument("--partner", action="append", default=[], help="a foreign partner, e.g. 八代市 "
                        "(jiaoliu partners lists them)")
    search.add_argument("--sort", default="relevance", help="relevance (default), newest or oldest")
    search.add_argument("--limit", type=int, default=10, help="hits per page, 1–100 (default 10)")
    search.add_argument("--page", type=int, default=1, help="page of hits, from 1")
    search.add_argument("--json", action="store_true", help="print the same JSON as /api/search, partial "
                        "matches in `partial` (without the HTML `snippet`)")
    search.add_argument("--index", default=settings.get("JIAOLIU_INDEX"), help="index folder")

    partners = sub.add_parser(
        "partners", help="the foreign partners the reports deal with, or one partner's agreements and timeline",
        description="Without NAME: every partner, with its country, the Taiwanese cities that deal with it, its "
                    "passages, years and agreements. With NAME: its agreements, then its passages newest first.")
    partners.add_argument("name", nargs="?", default="", help="a partner, e.g. 八代市")
    partners.add_argument("--country", default="", help="only the partners in this country, e.g. 日本")
    partners.add_argument("--sort", default="passages", help="passages (default), name, country, cities or latest")
    partners.add_argument("--page", type=int, default=1, help="page of a partner's timeline, from 1")
    partners.add_argument("--json", action="store_true", help="print the same JSON as /api/partners[/NAME]")
    partners.add_argument("--index", default=settings.get("JIAOLIU_INDEX"), help="index folder")

    serve = sub.add_parser("serve", help="run the web app (builds the index first if there is none)")
    serve.add_argument("--index", default=settings.get("JIAOLIU_INDEX"), help="index folder")
    serve.add_argument("--corpus", default=settings.get("JIAOLIU_CORPUS"), help="folder of reports")
    serve.add_argument("--host", default=settings.get("JIAOLIU_HOST"))
    serve.add_argument("--port", default=settings.get("JIAOLIU_PORT"), help="1–65535")
    return parser


def printable(text: str) -> str:
    """`text` with control and format characters written as Python escapes, for a terminal.

    >>> print(printable("indexed a\\nb.txt"))
    indexed a\\nb.txt
    """
    return "".join(ch.encode("unicode_escape").decode("ascii") if safe_text(ch) != ch else ch for ch in text)


def _progress(done: int, total: int, what: str) -> None:
    """One line redrawn in place: a bar, the count and what is being done."""
    width = 20
    filled = width * done // max(total, 1)
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done == total else ""
    line = f"[{bar}] {done}/{total} {printable(what)}"
    if sys.stderr.isatty():
        print(f"\r\x1b[K{line[:150]}", end=end, file=sys.stderr, flush=True)
    elif done == total or done % max(1, total // 10) == 0:  # a log gets every tenth, not every file
        print(line, file=sys.stderr, flush=True)


# Beyond this many, unchanged files are counted rather than listed.
LIST_UNCHANGED = 20


def _print_summary(summary: BuildSummary, index_dir: str) -> None:
    """Each file's fate (indexed, removed, skipped with why, unchanged), then the totals."""
    def path(doc_id: str) -> str:
        return summary.paths.get(doc_id, doc_id)

    lines = [(path(d), f"indexed {path(d)}") for d in summary.indexed]
    lines += [(path(d), f"removed {path(d)}") for d in summary.removed]
    for file, reason in summary.skipped:
        # Reasons name the file themselves ("a.pdf: the PDF is encrypted").
        lines.append((file, f"skipped {file}: {reason.removeprefix(file + ': ')}"))
    if len(summary.unchanged) <= LIST_UNCHANGED:
        lines += [(path(d), f"unchanged {path(d)}") for d in summary.unchanged]
    for _, line in sorted(lines):
        print(printable(line))  # a file name with a newline stays on its line
    if summary.repaired:
        print(f"the index being served was damaged ({printable(summary.repaired)}); rebuilt it from the corpus")
    if summary.up_to_date:
        print(f"index in {index_dir} is up to date ({summary.passages} passages); nothing to do")
    else:
        print(f"indexed {len(summary.indexed)} reports (new or changed), kept {len(summary.unchanged)} "
              f"unchanged, removed {len(summary.removed)}, skipped {len(summary.skipped)}; "
              f"{summary.passages} passages in all, in {summary.seconds:.1f} s into {index_dir}")


def cmd_index(args) -> int:
    from indexer.index.build import build_index

    summary = build_index(args.corpus, args.index, progress=_progress, force=args.force)
    _print_summary(summary, args.index)
    return 0


def terminal_snippet(snippet: Snippet, colour: bool) -> str:
    """A snippet for the terminal: its matches in reverse video on a terminal,
    between 【 】 in a file or pipe (no escape codes where they would be garbage)."""
    before, after = ("\x1b[7m", "\x1b[0m") if colour else ("【", "】")
    out, last = [], 0
    for start, end in snippet.marks:  # report text is escaped, never sent raw to the terminal
        out += [printable(snippet.text[last:start]), before, printable(snippet.text[start:end]), after]
        last = end
    out.append(printable(snippet.text[last:]))
    return "".join(out)


def cmd_search(args) -> int:
    request = parse_search_request({
        "q": " ".join(args.query), "city": args.city, "from": args.date_from, "to": args.date_to,
        "kind": args.kind, "level": args.level, "agency": args.agency, "country": args.country,
        "partner": args.partner, "sort": args.sort,
        "page": str(args.page), "per_page": str(args.limit),
    })
    if not request.query:
        raise BadRequest("the query is empty; give some words to search for")
    result = Searcher(args.index, time_limit=settings.seconds("JIAOLIU_SEARCH_SECONDS")).search(request)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    for notice in result.notices:
        print(f"note: {notice}", file=sys.stderr)
    print(f"{result.total} passages match {request.query!r}" + (f" (page {request.page})" if request.page > 1
                                                                  else ""))
    if not result.total and result.partial:
        print("no passage holds every word; those holding some of them follow under 部分符合")
    for hint in result.suggestions:
        print(f"  try: {hint.text} ({hint.total} passages)")
    base = _base_url()
    for n, hit in enumerate(result.hits, (request.page - 1) * request.per_page + 1):
        _print_hit(n, hit, base)
    if request.page < result.pages:
        shown = f"{(request.page - 1) * request.per_page + 1}–{(request.page - 1) * request.per_page + len(result.hits)}"
        print(f"\nshown: {shown} of {result.total} (page {request.page} of {result.pages}); "
              f"more with --page {request.page + 1}" + ("" if request.per_page >= 100 else " or --limit 100"))
    if result.partial:
        counted = f"the {result.total} above" if result.total else "the total"
        shown = f"; the best {len(result.partial)}" if result.partial_total > len(result.partial) else ""
        print(f"\n部分符合: {result.partial_total} passages hold only some of the words "
              f"(not counted in {counted}){shown}")
        for n, hit in enumerate(result.partial, 1):
            _print_hit(n, hit, base)
    return 0


def cmd_partners(args) -> int:
    from indexer.query.request import TIMELINE_PER_PAGE, parse_atlas_request
    from indexer.search.atlas import STATE_LABELS

    params = parse_atlas_request({"sort": args.sort, "country": args.country, "page": str(args.page)})
    searcher = Searcher(args.index)
    base = _base_url()
    if not args.name:
        rows = searcher.atlas().summaries(params["sort"], params["country"])
        if args.json:
            print(json.dumps({"total": len(rows), "partners": [p.to_dict() for p in rows]}, ensure_ascii=False,
                             indent=2))
            return 0
        print(f"{len(rows)} partners" + (f" in {params['country']}" if params["country"] else ""))
        for p in rows:
            first, last = p.years
            years = f"{first}–{last}" if first and last != first else (first or "?")
            cities = "、".join(f"{c} {n}" for c, n in p.cities.most_common())
            agreed = "；".join(f"{a.kind} {STATE_LABELS[a.state]} {a.date or ''}".rstrip() for a in p.agreements)
            print(f"{printable(p.name)} · {p.country} · {p.passages} passages · {years} · {printable(cities)}"
                  + (f"\n   協定：{printable(agreed)}" if agreed else ""))
        return 0
    partner, entries = searcher.partner_timeline(args.name, params["page"], TIMELINE_PER_PAGE)
    if args.json:
        print(json.dumps({"partner": partner.to_dict(), "page": params["page"], "total": partner.passages,
                          "timeline": [e.to_dict() for e in entries]}, ensure_ascii=False, indent=2))
        return 0
    print(f"{printable(partner.name)} · {partner.country} · {partner.passages} passages in {partner.reports} reports")
    for a in partner.agreements:
        print(f"  {a.kind} {STATE_LABELS[a.state]} {a.date or '日期不明'} · {a.city}: {printable(a.sentence)}")
        print(f"   {base}/reports/{a.doc_id}#{a.passage_id}")
    for n, e in enumerate(entries, (params["page"] - 1) * TIMELINE_PER_PAGE + 1):
        m = e.mention
        print(f"\n{n}. {printable(m.title)} · {m.city} · {m.date or '?'}")
        print(f"   {terminal_snippet(e.snippet, colour=sys.stdout.isatty())}")
        print(f"   {base}/reports/{m.doc_id}?q={quote(e.written)}#{m.passage_id}")
    pages = -(-partner.passages // TIMELINE_PER_PAGE)
    if params["page"] < pages:
        print(f"\npage {params['page']} of {pages}; more with --page {params['page'] + 1}")
    return 0


def _base_url() -> str:
    """Where the links printed lead: JIAOLIU_PUBLIC_URL, or else where `jiaoliu serve`
    listens by the same settings (JIAOLIU_HOST, JIAOLIU_PORT)."""
    public = settings.get("JIAOLIU_PUBLIC_URL").rstrip("/")
    if public:
        return public
    host = settings.get("JIAOLIU_HOST")
    host = f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("0.0.0.0", "") else host)
    return f"http://{host}:{settings.get('JIAOLIU_PORT')}"


def _print_hit(n: int, hit: Hit, base: str) -> None:
    print(f"\n{n}. {printable(hit.title)} · {hit.city or '?'} · {hit.date or '?'}")
    if hit.missing:
        print(f"   缺少：{printable('、'.join(hit.missing))}")
    if hit.in_heading:
        print(f"   見於章節標題：{printable('、'.join(hit.in_heading))}")
    if hit.heading:
        print(f"   {printable(hit.heading)}")
    print(f"   {terminal_snippet(hit.snippet, colour=sys.stdout.isatty())}")
    print(f"   {base}{hit.url}")


def cmd_serve(args) -> int:
    from web import close_searcher, create_app, open_searcher, warm_up
    from web.server import listen, serve

    port = _port(args.port)
    workers = settings.whole_number("JIAOLIU_WORKERS", when_empty=os.cpu_count() or 1)
    threads = settings.whole_number("JIAOLIU_THREADS")
    config = {"INDEX_DIR": str(Path(args.index).resolve()), "CORPUS_DIR": str(Path(args.corpus).resolve())}
    app = create_app(config)
    try:
        searcher = open_searcher(app)
    except IndexNotFound as exc:  # IndexDamaged too: the build repairs it
        why = str(exc) if isinstance(exc, IndexDamaged) else f"no index in {args.index} yet"
        print(f"{why}; building it from {args.corpus}", file=sys.stderr)
        from indexer.index.build import build_index  # only now: a server with an index starts without it

        _print_summary(build_index(args.corpus, args.index, progress=_progress), args.index)
        searcher = open_searcher(app)
    try:
        sock = listen(args.host, port)
    except OSError as exc:
        raise JiaoliuError(_cannot_listen(args.host, port, exc)) from None
    print(f"serving on http://{args.host}:{port}/ with {workers} worker process(es) (Ctrl-C stops)",
          file=sys.stderr)
    if workers <= 1 or searcher.engine.shares_after_fork:
        # The workers inherit the opened index: ready as soon as they are forked, and
        # what opening read (columns, catalog, aliases) is one copy shared by all.
        return serve(lambda: app, sock, threads=threads, workers=workers, warm=_load_dictionaries)
    # An engine reading through file offsets: each worker opens the index itself.
    close_searcher(app)
    return serve(lambda: warm_up(create_app(config)), sock, threads=threads, workers=workers, warm=_load_dictionaries)


def _port(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 65535:
        raise BadRequest(f"the port must be a whole number from 1 to 65535, not {value!r}; "
                         "pass --port or set JIAOLIU_PORT")
    return int(value)


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    """What stopped `serve` from listening on host:port, and what to do about it."""
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another jiaoliu serve?); "
                "stop that program or pass another --port")
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; ports below 1024 need root, pass --port 1024 or above"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"cannot listen on {host}: not an address of this machine; pass --host 127.0.0.1 or 0.0.0.0"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}; check --host and --port"


def _load_dictionaries() -> None:
    """Load the segmentation and conversion dictionaries before the workers
    fork, so that they share one copy and answer their first search at once."""
    from indexer.text.spellings import spellings
    from indexer.text.words import words

    words("臺北市")
    spellings("台北")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = {"index": cmd_index, "search": cmd_search, "partners": cmd_partners, "serve": cmd_serve}[args.command]
    try:
        return command(args)
    except BadRequest as exc:
        print(f"jiaoliu: error: {exc}", file=sys.stderr)
        return 2
    except JiaoliuError as exc:
        print(f"jiaoliu: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\njiaoliu: interrupted; the previous index (if any) is still being served", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
