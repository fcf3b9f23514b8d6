"""axe-core, through Playwright in a real Chromium, finds no violation of any impact
(minor and moderate included) on the pages, on a wide screen and on a phone.

axe is injected with page.evaluate (a DevTools call, which the page's CSP does
not govern), so the app is tested with its real headers.
"""

from __future__ import annotations

import pytest
from test_browser import CHROMIUM, launch, pytestmark  # noqa: F401  (same skip rules)

PAGES = {
    "empty": "/",
    "results": "/?q=國際",
    "filtered": "/?q=國際&city=高雄市&from=2022&to=2022&sort=newest&per_page=20",
    "no hits": "/?q=熊本&city=花蓮縣",
    "partial matches": "/?q=熊本 半導體",
    "no full match": "/?q=八代 港口 締結",
    "error": "/?q=八代&from=abc&to=111/13/1",
    "report": "/reports/keelung-2022-yatsushiro-visit?q=八代#p-",
    "report without query": "/reports/kaohsiung-2022-pandemic-city-diplomacy",
    "partners": "/partners",
    "partners of a country": "/partners?sort=name&country=日本",
    "partner": "/partners/八代市",
    "partner filter": "/?q=友好&partner=八代市",
    "copies folded": "/?q=熊本&copies=fold&per_page=50",
    "copies": "/reports/taichung-2025-kyushu-startup-exchange/copies/p-fd0cc5c9",
}


WIDTHS = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=WIDTHS)
def page(browser, request):
    context = browser.new_context(locale="zh-TW", viewport=WIDTHS[request.param])
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(page, base_url, axe, name):
    path = PAGES[name]
    if path.endswith("#p-"):
        # Land on a real passage, as a hit link does.
        page.goto(base_url + path[:-3])
        path = path[:-3] + "#" + page.locator(".passage mark").first.evaluate(
            "el => el.closest('.passage').id")
    page.goto(base_url + path)
    results = axe.run(page)
    violations = results.response["violations"]
    for violation in violations:
        print(f"{name}: {violation['impact']} {violation['id']}: {violation['help']} "
              f"({len(violation['nodes'])} nodes)")
    found = [(v["impact"], v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == []
