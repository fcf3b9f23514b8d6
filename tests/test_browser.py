"""The pages in a real Chromium: search 八代, open the first hit, land on the highlighted passage.

Screenshots go to test-artifacts/ (git-ignored) so a person can look at what the test saw.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    # In CI a missing browser must fail the run, not quietly skip it.
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing (install Debian's chromium, or run scripts/test which does)",
    ),
]


@pytest.fixture(scope="module")
def base_url(app):
    """The app served over real HTTP on a free port, for as long as the module runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="zh-TW", **options)
        contexts.append(context)
        page = context.new_page()
        # Any script error or CSP violation on our pages is a bug.
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_search_then_open_the_first_hit(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.get_by_label("關鍵字").fill("八代")
    page.get_by_role("button", name="搜尋").click()
    page.wait_for_url("**/?q=*")
    first = page.locator(".hit").first
    first.wait_for()
    assert "筆" in page.locator("#results-heading").inner_text()
    assert first.locator(".snippet mark").first.inner_text() == "八代"
    screenshot(page, "search.png")

    first.locator(".hit-title a").click()
    page.wait_for_url("**/reports/**")
    fragment = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    target = page.locator(".passage:target")
    assert target.count() == 1
    assert target.get_attribute("id") == fragment
    # Highlighted: the :target rule gives it a background other than the page's.
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    assert "八代" in target.locator("mark").all_inner_texts()
    assert target.is_visible()
    in_view = target.evaluate("el => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }")
    assert in_view
    screenshot(page, "report.png")
    assert page.errors == []


def test_phone_width_has_no_horizontal_scroll(base_url, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(base_url + "/?q=八代")
    page.locator(".hit").first.wait_for()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "mobile.png")
    # Every report, including the ones with wide tables.
    links = page.evaluate("[...document.querySelectorAll('.hit-title a')].map(a => a.href)")
    page.goto(base_url + "/")
    links += page.evaluate("[...document.querySelectorAll('.report-list a')].map(a => a.href)")
    for link in dict.fromkeys(links):
        page.goto(link)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, link
    screenshot(page, "mobile-report.png")
    assert page.errors == []


def test_search_errors_are_shown_next_to_the_form(base_url, new_page):
    page = new_page()
    page.goto(base_url + "/")
    page.get_by_label("關鍵字").fill("八代")
    page.get_by_label("起").fill("abc")
    page.get_by_role("button", name="搜尋").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "abc" in alert.inner_text()
    assert page.get_by_label("起").input_value() == "abc"
