"""The pages in a real Chromium: search, filter, sort, page, open a hit, step through
matches, copy a passage link, and read it all on a phone.

Screenshots go to test-artifacts/ (git-ignored) so a person can look at what the test saw.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    # In CI a missing browser must fail the run, not quietly skip it.
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing (install Debian's chromium, or run scripts/test which does)",
    ),
]


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run"],
    )


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page(permissions=(), origin=None, **options):
        context = browser.new_context(locale="zh-TW", **options)
        if permissions:
            context.grant_permissions(list(permissions), origin=origin)
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


def screenshot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def results_count(page) -> int:
    """The number the results heading says (「…」共 42 筆)."""
    return int(re.search(r"共 ([\d,]+) 筆", page.locator("#results-heading").inner_text()).group(1).replace(",", ""))


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_search_filter_sort_page_and_chart(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.get_by_label("關鍵字").fill("國際")
    page.get_by_role("button", name="搜尋").click()
    page.wait_for_url("**/?q=*")
    assert "筆" in page.locator("#results-heading").inner_text()

    page.get_by_role("navigation", name="排序").get_by_role("link", name="最新").click()
    page.wait_for_url("**sort=newest*")
    dates = page.locator(".hit-meta time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)

    page.get_by_role("navigation", name="分頁").get_by_role("link", name="下一頁").click()
    page.wait_for_url("**page=2*")
    assert params(page)["sort"] == "newest"
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"

    city = page.locator(".facet-city a", has_text="高雄市")
    city.click()
    page.wait_for_url("**city=*")
    assert params(page)["city"] == "高雄市" and "page" not in params(page)
    assert page.locator(".facet-city a[aria-current=true]").inner_text().startswith("✓ 高雄市")
    assert page.get_by_role("combobox", name="縣市").input_value() == "高雄市"

    # A ROC range typed in the form; the sort chosen by a link survives the submit.
    page.get_by_role("textbox", name="起", exact=True).fill("111/1/1")
    page.get_by_role("textbox", name="迄", exact=True).fill("111/12/31")
    page.get_by_role("button", name="搜尋").click()
    page.wait_for_url("**from=111*")
    assert params(page)["sort"] == "newest" and params(page)["city"] == "高雄市"
    assert page.locator(".hit").count() > 0
    assert page.get_by_role("textbox", name="起", exact=True).get_attribute("aria-invalid") is None

    # Back to all years, then one bar of the chart.
    page.goto(base_url + "/?q=國際")
    bars = page.locator(".year-chart a")
    assert bars.count() == page.locator(".facet-year li").count() > 1
    bar = page.locator(".year-chart a[aria-label^='2022 年']")
    screenshot(page, "search.png")
    bar.click()
    page.wait_for_url("**from=2022*")
    assert (params(page)["from"], params(page)["to"]) == ("2022", "2022")
    assert {d[:4] for d in page.locator(".hit-meta time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))")} <= {"2022"}
    assert page.locator(".year-chart a[aria-current=true]").count() == 1
    assert page.errors == []


def test_the_chart_counts_what_the_page_lists_inside_the_dates(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=口罩&from=109年&to=110年")
    heading = page.locator("#results-heading").inner_text()
    total = int(heading.split("共 ")[1].split(" 筆")[0])
    labels = page.locator(".year-chart a").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    bars = {label.split(" 年")[0]: int(label.split("：")[1].split(" 筆")[0]) for label in labels}
    assert bars and set(bars) <= {"2020", "2021"} and sum(bars.values()) == total
    assert "報告期間" in page.locator(".year-chart figcaption").inner_text()
    screenshot(page, "chart-inside-dates.png")
    assert page.errors == []


def test_an_english_name_finds_what_the_reports_write_in_chinese(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=Kumamoto")
    assert page.locator(".hit").count() > 0
    assert "熊本" in page.locator(".hit .snippet mark").all_inner_texts()
    screenshot(page, "english-name.png")
    page.goto(base_url + "/?q=札幌")  # nothing: what the collection holds instead
    assert page.get_by_role("heading", name="本站收錄 5 份報告").is_visible()
    screenshot(page, "nothing-found.png")
    assert page.errors == []


def test_results_follow_what_is_typed_and_the_keys_move_through_them(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=八代&city=基隆市")
    box = page.get_by_label("關鍵字")
    box.fill("")
    box.type("熊本 半導體", delay=20)
    # (wait_for_function would eval a string, which the page's CSP forbids)
    page.locator("#results-heading", has_text="熊本 半導體").wait_for()
    assert params(page) == {"q": "熊本 半導體", "city": "基隆市"}  # the URL follows, filters kept
    assert page.locator("#results-live").inner_text().startswith("「熊本 半導體」共")
    assert box.evaluate("el => el === document.activeElement")  # typing goes on undisturbed
    screenshot(page, "typed.png")
    # the page it became is the page the server makes for that URL
    typed = page.locator("#results-heading").inner_text()
    page.reload()
    assert page.locator("#results-heading").inner_text() == typed

    page.goto(base_url + "/?q=熊本")
    page.locator("body").click(position={"x": 5, "y": 400})
    page.keyboard.press("j")
    first = page.locator(".hit-title a").first
    assert first.evaluate("el => el === document.activeElement")
    page.keyboard.press("j")
    assert page.locator(".hit-title a").nth(1).evaluate("el => el === document.activeElement")
    page.keyboard.press("k")
    assert first.evaluate("el => el === document.activeElement")
    page.keyboard.press("/")
    assert box.evaluate("el => el === document.activeElement")

    # a skip link leads to the results: the first hit a few Tab presses away
    page.goto(base_url + "/?q=熊本")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到搜尋結果"
    page.keyboard.press("Enter")
    presses = 0
    while presses < 12 and not page.evaluate("document.activeElement.closest('.hit-title') !== null"):
        page.keyboard.press("Tab")
        presses += 1
    assert page.evaluate("document.activeElement.closest('.hit-title') !== null"), presses
    assert page.errors == []


def test_the_csv_download_holds_every_passage_with_its_text(base_url, new_page):
    import csv
    import io

    page = new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(base_url + "/?q=熊本 半導體")
    total = int(page.locator("#results-heading").inner_text().split("共 ")[1].split(" 筆")[0])
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == total > 10  # every page's passages, not this page's
    assert all("熊本" in row["段落文字"] and "半導體" in row["段落文字"] for row in rows)
    assert {row["查詢"] for row in rows} == {"熊本 半導體"}
    assert page.errors == []


def test_two_cities_chosen_from_the_facet_are_searched_together(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=熊本")
    alone = {}
    for city in ("臺中市", "高雄市"):
        alone[city] = int(page.locator(".facet-city a", has_text=city).locator(".count").inner_text())
    page.locator(".facet-city a", has_text="臺中市").click()
    page.wait_for_url("**city=*")
    page.locator(".facet-city a", has_text="高雄市").click()
    page.wait_for_url("**city=*city=*")
    chosen = page.locator(".facet-city a[aria-current=true]")
    assert sorted(t.split()[1] for t in chosen.all_inner_texts()) == ["臺中市", "高雄市"]
    total = sum(alone.values())
    assert page.locator("#results-heading").inner_text().startswith(f"「熊本」共 {total} 筆")
    assert page.get_by_role("combobox", name="縣市").input_value() == ""  # says 已選 2 個縣市
    # both cities among the hits, and a new query typed in the form keeps them
    page.goto(page.url + "&per_page=100")
    cities = set(page.locator(".hit-meta span:first-child").all_inner_texts())
    assert cities == {"臺中市", "高雄市"}
    page.get_by_label("關鍵字").fill("熊本 半導體")
    page.get_by_role("button", name="搜尋").click()
    page.wait_for_url("**q=%E7%86%8A%E6%9C%AC+%E5%8D%8A%E5%B0%8E%E9%AB%94*")
    assert page.locator(".facet-city a[aria-current=true]").count() == 2
    screenshot(page, "two-cities.png")
    assert page.errors == []


def test_open_a_hit_and_step_through_matches(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=八代")
    first = page.locator(".hit").first
    assert first.locator(".snippet mark").first.inner_text() == "八代"
    first.locator(".hit-title a").click()
    page.wait_for_url("**/reports/**")
    fragment = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    target = page.locator(".passage:target")
    assert target.count() == 1 and target.get_attribute("id") == fragment
    # Highlighted: the :target rule gives it a background other than the page's.
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    assert "八代" in target.locator("mark").all_inner_texts()
    in_view = target.evaluate("el => { const r = el.getBoundingClientRect(); "
                              "return r.top < innerHeight && r.bottom > 0; }")
    assert in_view

    counter = page.locator("#match-counter")
    assert page.locator("#match-nav").is_visible()
    start, total = counter.inner_text().split(" / ")
    assert int(total) == page.locator("#report-body mark").count() > 1
    screenshot(page, "report.png")

    page.get_by_role("button", name="下一個").click()
    assert counter.inner_text() == f"{int(start) % int(total) + 1} / {total}"
    focused = page.evaluate("document.activeElement.tagName + ':' + "
                            "[...document.querySelectorAll('#report-body mark')].indexOf(document.activeElement)")
    assert focused == f"MARK:{int(start) % int(total)}"
    # Then the keyboard: N steps on, P steps back.
    page.keyboard.press("n")
    assert counter.inner_text() == f"{(int(start) + 1) % int(total) + 1} / {total}"
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert counter.inner_text() == f"{int(start)} / {total}"  # back where it began
    assert page.evaluate("document.activeElement.classList.contains('current')")
    assert page.errors == []


def test_after_a_click_in_the_text_n_goes_to_the_next_match_from_there(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/reports/keelung-2022-yatsushiro-visit?q=八代")
    marks = page.locator("#report-body mark")
    total = marks.count()
    assert total > 10
    # a paragraph well into the report, holding a match further on: click its text
    passage = page.locator(".passage", has=page.locator("mark")).nth(6)
    passage.scroll_into_view_if_needed()
    passage.locator("p").first.click(position={"x": 2, "y": 2})
    assert page.evaluate("document.activeElement.id") in ("main", "")  # the click left focus on <main>
    page.keyboard.press("n")
    index = page.evaluate("[...document.querySelectorAll('#report-body mark')].indexOf(document.activeElement)")
    first_in_passage = marks.evaluate_all(
        "(all, id) => all.findIndex(m => m.closest('.passage').id === id)", passage.get_attribute("id"))
    assert index == first_in_passage > 0  # not match 1: the first after the place clicked
    assert page.locator("#match-counter").inner_text() == f"{index + 1} / {total}"
    page.keyboard.press("n")
    assert page.locator("#match-counter").inner_text() == f"{index + 2} / {total}"
    assert page.errors == []


def test_cite_a_passage_and_print(base_url, new_page):
    page = new_page(permissions=["clipboard-read", "clipboard-write"], origin=base_url,
                    viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/reports/keelung-2022-yatsushiro-visit?q=八代")
    passage = page.locator(".passage", has=page.locator("mark")).nth(2)
    passage.get_by_role("button", name="引用").click()
    cited = page.evaluate("navigator.clipboard.readText()")
    heading = passage.get_attribute("data-heading")
    assert cited == (f"基隆市政府（2022年11月3日）。〈{heading}〉，《基隆市政府111年參訪日本八代市友好城市活動》。"
                     f"{base_url}/reports/keelung-2022-yatsushiro-visit#{passage.get_attribute('id')}")
    page.locator("#copy-status", has_text="已複製引用").wait_for(state="attached")  # said aloud
    screenshot(page, "cited.png")
    # the contents stay in view while the report scrolls, beside lines of 35–45 characters
    page.mouse.wheel(0, 3000)
    toc = page.locator(".toc").bounding_box()
    assert 0 <= toc["y"] < 900
    chars = page.locator(".report-body").evaluate(
        "el => el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize)")
    assert 35 <= chars <= 45
    page.emulate_media(media="print")
    assert not page.locator(".toc").is_visible() and not page.locator(".site-header").is_visible()
    assert page.errors == []


def test_copy_a_passage_link(base_url, new_page):
    page = new_page(permissions=["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto(base_url + "/reports/keelung-2022-yatsushiro-visit?q=八代")
    passage = page.locator(".passage").nth(2)
    passage_id = passage.get_attribute("id")
    link = passage.get_by_role("link", name="複製這一段的連結")
    link.focus()
    page.keyboard.press("Enter")
    page.locator("#copy-status", has_text="已複製").wait_for(state="attached")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base_url}/reports/keelung-2022-yatsushiro-visit#{passage_id}"
    assert "copied" in link.get_attribute("class")
    assert page.errors == []


def test_errors_are_shown_next_to_their_field(base_url, new_page):
    page = new_page()
    page.goto(base_url + "/")
    page.get_by_label("關鍵字").fill("八代")
    page.get_by_role("textbox", name="迄", exact=True).fill("abc")
    page.get_by_role("button", name="搜尋").click()
    error = page.locator("#to-error")
    error.wait_for()
    assert "abc" in error.inner_text()
    to_field = page.get_by_role("textbox", name="迄", exact=True)
    assert to_field.input_value() == "abc" and to_field.get_attribute("aria-invalid") == "true"
    assert "to-error" in to_field.get_attribute("aria-describedby")
    assert page.locator("#from-error").count() == 0
    # The page still works: correct the field and search again.
    to_field.fill("111年")
    page.get_by_role("button", name="搜尋").click()
    page.locator(".hit").first.wait_for()


def test_empty_page_shows_the_collection(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/")
    assert "份報告" in page.locator(".collection-size").inner_text()
    page.locator(".count-list a", has_text="基隆市").click()
    page.wait_for_url("**city=*")
    assert page.locator(".hit").count() > 0
    page.go_back()
    screenshot(page, "empty.png", full_page=True)
    assert page.errors == []


def test_phone_width_has_no_horizontal_scroll(base_url, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(base_url + "/?q=國際")
    page.locator(".hit").first.wait_for()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "mobile-search.png")
    for path in ["/", "/?q=八代&from=abc", "/?q=國際&country=日本&kind=出國報告&sort=oldest", "/?q=八代 港口 締結"]:
        response = page.goto(base_url + path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375, path
        if response.status == 400:
            page.errors.clear()  # Chromium logs the expected 400 as a console error
    # Every report, including the ones with wide tables.
    links = page.evaluate("[...document.querySelectorAll('.hit-title a')].map(a => a.href)")
    page.goto(base_url + "/")
    links += page.evaluate("[...document.querySelectorAll('.report-list a')].map(a => a.href)")
    for link in dict.fromkeys(links):
        page.goto(link)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, link
    page.goto(base_url + "/?q=八代")
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/reports/**")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "mobile-report.png")
    assert page.errors == []


# Every control a finger must hit, on the search page. The chart's bars are excepted: each
# does what its year's facet link does (WCAG 2.5.8's "equivalent"), and they shrink with the
# screen when the years are many.
TAP_TARGETS = "a:not(.year-chart a), button, input, select, summary"


def _small_targets(page) -> list[str]:
    return page.evaluate(f"""() => [...document.querySelectorAll('{TAP_TARGETS}')]
        .filter(e => {{ const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
                         && getComputedStyle(e).visibility !== 'hidden' && (r.height < 44 || r.width < 44); }})
        .map(e => e.outerHTML.slice(0, 80))""")


def test_a_phone_shows_results_first_and_every_target_is_big_enough(base_url, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(base_url + "/?q=熊本")
    first = page.locator(".hit").first.bounding_box()
    assert first["y"] + 60 <= 740  # its title and meta line on the first screen
    assert _small_targets(page) == []
    # the facets come after the hits, reached by the 篩選 link
    assert page.locator("#facets").bounding_box()["y"] > page.locator(".hit").last.bounding_box()["y"]
    page.get_by_role("link", name="篩選", exact=True).click()
    assert page.evaluate("location.hash") == "#facets"
    # a facet tap keeps the reader at the results
    page.locator(".facet-city a", has_text="基隆市").click()
    page.wait_for_url("**city=*")
    assert page.evaluate("location.hash") == "#results-heading"
    heading = page.locator("#results-heading").bounding_box()
    assert -2 <= heading["y"] < 740 / 2
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "mobile-search.png")
    assert page.errors == []


def test_partial_matches_on_a_phone(base_url, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(base_url + "/?q=熊本 台積電")
    assert page.locator("#results-heading").inner_text() == "「熊本 台積電」共 3 筆"
    section = page.get_by_role("region", name="部分符合")
    heading = section.get_by_role("heading", name="部分符合", level=3)
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert "另有 33 段只含部分字詞，不計入上方的 3 筆" in section.locator(".partial-note").inner_text()
    cards = section.locator(".partial-hit")
    labels = section.locator(".hit-missing")
    assert cards.count() == labels.count() == 10
    assert set(labels.all_inner_texts()) <= {"缺少：台積電", "缺少：熊本"}
    # Every card's title is a heading one level below the section's, and its
    # label sits inside the screen, readable: no smaller than the meta line.
    assert section.get_by_role("heading", level=4).count() == 10
    label = labels.first
    label.scroll_into_view_if_needed()
    assert label.is_visible()
    box = label.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert label.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 14
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(page, "mobile-partial.png")
    # A partial card leads to its passage, with the term it has marked there.
    lacking = cards.filter(has=page.locator(".hit-missing", has_text="缺少：台積電")).first
    assert lacking.locator(".snippet mark").first.inner_text() == "熊本"
    lacking.locator(".hit-title a").click()
    page.wait_for_url("**/reports/**")
    assert "熊本" in page.locator(".passage:target mark").all_inner_texts()
    assert page.errors == []


@pytest.mark.parametrize("fragment", ["%", "%E5%85", "%zz"])
def test_a_malformed_fragment_leaves_the_match_navigation_working(base_url, new_page, fragment):
    page = new_page()
    page.goto(base_url + "/reports/keelung-2022-yatsushiro-visit?q=八代#" + fragment)
    counter = page.locator("#match-counter")
    assert page.locator("#match-nav").is_visible()
    page.get_by_role("button", name="下一個").click()
    assert counter.inner_text().startswith("1 / ")
    assert page.errors == []


def test_the_atlas_partners_their_agreements_and_a_timeline_that_lands_highlighted(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/")
    page.get_by_role("navigation", name="網站").get_by_role("link", name="交流對象").click()
    page.wait_for_url("**/partners")
    row = page.locator(".partners-table tbody tr", has=page.get_by_role("link", name="八代市", exact=True))
    assert "基隆市" in row.inner_text() and "友好城市（締結 2018-04-19）" in row.inner_text()
    # The matrix: Keelung × Yatsushiro is drawn, filled (an agreement), and searches that pair.
    cell = page.locator("svg.matrix a[aria-label^='基隆市 × 八代市']")
    assert cell.count() == 1 and "agreed" in cell.locator("circle").get_attribute("class")
    screenshot(page, "partners.png")

    row.get_by_role("link", name="八代市", exact=True).click()
    page.wait_for_url("**/partners/*")
    assert page.locator("h1").inner_text() == "八代市"
    agreements = page.locator(".agreements").inner_text()
    assert "友好城市" in agreements and "2018-04-19" in agreements and "姊妹港" in agreements
    entries = page.locator(".timeline-entry")
    dates = entries.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert entries.count() == 20 and dates == sorted(dates, reverse=True)
    screenshot(page, "partner.png")
    written = entries.first.locator(".snippet mark").first.inner_text()
    entries.first.locator(".hit-title a").click()
    page.wait_for_url("**/reports/**")
    target = page.locator(".passage:target")
    assert target.count() == 1 and written in target.locator("mark").all_inner_texts()
    assert page.errors == []


def test_the_partner_facet_narrows_a_search(base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?q=友好")
    total = results_count(page)
    facet = page.locator(".facet-partner a", has_text="八代市")
    facet.first.click()
    page.wait_for_url("**partner=*")
    assert params(page)["partner"] == "八代市"
    narrowed = results_count(page)
    assert 0 < narrowed < total
    titles = set(page.locator(".hit-meta, .hit-title").all_inner_texts())
    assert any("基隆" in t for t in titles)
    chip = page.get_by_role("link", name=re.compile("交流對象.*八代市"))
    assert chip.count() >= 1
    assert page.errors == []


def test_the_atlas_on_a_phone(base_url, new_page):
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    for path in ("/partners", "/partners/八代市", "/partners?sort=name&country=日本"):
        page.goto(base_url + path)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375, path
    screenshot(page, "mobile-partners.png")
    assert page.errors == []


def test_a_copied_passage_is_marked_in_both_reports(copies_base_url, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(copies_base_url + "/?q=扶輪社")
    notes = page.locator(".copies-note a")
    assert notes.count() == 2 and notes.first.inner_text() == "亦見於 1 份報告"
    notes.first.click()
    page.wait_for_url("**/copies/**")
    assert page.locator("mark.diff").count() > 0
    screenshot(page, "copies.png")
    for doc in ("keelung-2023-copy", "keelung-2022-yatsushiro-visit"):
        page.goto(copies_base_url + f"/reports/{doc}")
        note = page.locator(".passage .copies-note")
        assert note.count() == 1 and note.is_visible(), doc
    # folded: one hit stands for both
    page.goto(copies_base_url + "/?q=扶輪社")
    page.get_by_role("link", name="合併相同內容").click()
    page.wait_for_url("**copies=fold*")
    assert page.locator(".copies-note", has_text="本頁合併 1 段相同內容").count() == 1
    assert page.errors == []
