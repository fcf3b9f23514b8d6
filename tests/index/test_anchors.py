"""Links into a report outlive a new cut: an id of an earlier build lands on the passage
that holds its place now, in the build, on the report page and in a real browser."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import indexer.index.build as build_module
import indexer.ingest.corpus as corpus_module
from indexer.index.anchors import moved_anchors
from indexer.index.build import build_index
from indexer.models import Passage
from indexer.search.searcher import Searcher

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
REPORT = "keelung-2022-yatsushiro-visit"


def _p(pid: str, start: int, end: int) -> Passage:
    return Passage(pid, (), "", start, end)


@pytest.mark.parametrize("now, before, moved_before, expected", [
    # a section cut into paragraphs: its id lands on the first
    ([_p("a", 0, 10), _p("b", 12, 30)], [_p("s", 0, 30)], {}, {"s": "a"}),
    # a second section starting inside the second paragraph's place
    ([_p("a", 0, 10), _p("b", 12, 30)], [_p("s", 0, 11), _p("t", 15, 30)], {}, {"s": "a", "t": "b"}),
    # unchanged ids stay themselves (nothing to move)
    ([_p("a", 0, 10)], [_p("a", 0, 10)], {}, {}),
    # ids moved in an earlier build follow their target, or stay if it is still there
    ([_p("a", 0, 10), _p("b", 12, 30)], [_p("s", 0, 30)], {"old": "s", "older": "gone", "kept": "s"},
     {"s": "a", "old": "a", "kept": "a"}),
    ([_p("a", 0, 10)], [_p("a", 0, 10)], {"old": "a"}, {"old": "a"}),
    # a place before the first passage (a cover line that became part of it)
    ([_p("a", 5, 10)], [_p("s", 0, 10)], {}, {"s": "a"}),
    ([], [_p("s", 0, 10)], {}, {}),
])
def test_moved_anchors(now, before, moved_before, expected):
    assert moved_anchors(now, before, moved_before) == expected


@pytest.fixture(scope="module")
def recut(tmp_path_factory):
    """An index of the bundled reports cut as one passage each (version 1), then cut
    anew by the real cut (its version differs, so the build is made from scratch)."""
    index = tmp_path_factory.mktemp("recut") / "index"
    real_split, real_version = corpus_module.split_passages, build_module.PASSAGES_VERSION
    try:
        corpus_module.split_passages = lambda body: (Passage("p-whole", ("全文",), body, 0, len(body)),)
        build_module.PASSAGES_VERSION = 1
        build_index(CORPUS, index)
    finally:
        corpus_module.split_passages, build_module.PASSAGES_VERSION = real_split, real_version
    assert Searcher(index).report(REPORT).passages[0].passage_id == "p-whole"
    build_index(CORPUS, index)
    return index


def test_a_report_cut_anew_keeps_its_old_ids_landing(recut):
    report = Searcher(recut).report(REPORT)
    assert len(report.passages) > 10
    assert report.moved == {"p-whole": report.passages[0].passage_id}
    # the next build (nothing changed) keeps them; a change to the report carries them on
    build_index(CORPUS, recut)
    assert Searcher(recut).report(REPORT).moved == report.moved


def test_the_report_page_lists_where_old_ids_land(recut):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(recut), "CORPUS_DIR": str(CORPUS)}).test_client()
    page = client.get(f"/reports/{REPORT}").get_data(as_text=True)
    first = Searcher(recut).report(REPORT).passages[0].passage_id
    assert f'<script type="application/json" id="moved-anchors">{{"p-whole": "{first}"}}</script>' in page


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium") and not os.environ.get("CI"),
                    reason="/usr/bin/chromium is missing")
def test_a_link_to_an_old_id_lands_on_its_passage_in_a_browser(recut):
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from web import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(recut), "CORPUS_DIR": str(CORPUS)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    first = Searcher(recut).report(REPORT).passages[0].passage_id
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--no-first-run"])
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"http://127.0.0.1:{server.server_port}/reports/{REPORT}#p-whole")
            page.wait_for_function(f"window.location.hash === '#{first}'")
            assert page.locator(".passage:target").get_attribute("id") == first
            assert errors == []
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
