"""A real browser against a real server: ``policylens serve`` on a free
localhost port over the samples index, headless Chromium driven by selenium.

Skipped (with the reason) when chromium or chromedriver is absent; CI installs
them with ``make browser-deps``.
"""
from __future__ import annotations

import os
import shutil
import urllib.request

import pytest

from conftest import REPO, policylens_cmd, start_server

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium/chromedriver not installed (make browser-deps)", allow_module_level=True)

# generous: a page load waits for a state, so a slow machine only makes it slower
LOAD_SECONDS = 60


def load(browser, action) -> None:
    """Run ``action`` (a click or a submit) and wait until the NEXT page has
    loaded. The old page is marked with a window property before the action;
    the new page is the one without the mark whose document is complete.
    Waiting for an element alone can match the old page, which is still on
    screen; holding an element of the old page across the navigation can fail
    with errors other than "stale" while Chromium swaps the documents
    ("Node with given id does not belong to the document"), so no element
    handle is kept: each poll asks the current page afresh, and a poll that
    lands mid-swap is simply retried."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.__policylensOldPage = true;")
    action()

    def next_page_complete(driver) -> bool:
        try:
            return bool(driver.execute_script(
                "return window.__policylensOldPage !== true"
                " && document.readyState === 'complete';"))
        except WebDriverException:  # the documents are being swapped: ask again
            return False

    WebDriverWait(browser, LOAD_SECONDS).until(next_page_complete)


@pytest.fixture(scope="module")
def server(samples_index, tmp_path_factory):
    # PYTHONPATH: the server runs this checkout's code even when the installed
    # script belongs to another (an editable install elsewhere)
    env = dict(os.environ, POLICYLENS_DATA_DIR=str(samples_index.data_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    env.pop("POLICYLENS_ES_URL", None)
    running = start_server(env, tmp_path_factory.mktemp("serve") / "serve.log", policylens_cmd())
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(LOAD_SECONDS)  # a hang guard, as generous as the waits
    yield driver
    driver.quit()


def test_type_query_submit_and_see_highlighted_results(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("第三方机构")
    load(browser, browser.find_element(By.ID, "submit").click)
    assert "q=" in browser.current_url
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    texts = [h.text for h in hits]
    assert any("yantai_daily_budget_performance_2023.txt" in t and "20家" in t for t in texts)
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit mark")]
    assert marks and all(m in "第三方机构" or "第三方" in m for m in marks)
    # follow the hit to the document view: the passage is there with the query marked
    link = next(h for h in hits if "20家" in h.text).find_element(By.CSS_SELECTOR, "a.doc")
    load(browser, link.click)
    assert browser.find_elements(By.CSS_SELECTOR, ".doc-text .it-match")
    assert browser.find_elements(By.CSS_SELECTOR, ".doc-text .it-figure")


def test_a_question_shows_how_it_was_understood_its_answer_and_more_from_the_document(server, browser):
    """Issue 12 on the page: 理解为 with the region, the answer sentence marked
    inside the first passage, and the link to the rest of that document."""
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.ID, "q").send_keys("烟台市第三方机构有多少家")
    load(browser, browser.find_element(By.ID, "submit").click)
    understood = browser.find_element(By.ID, "understood").text
    assert "理解为" in understood and "地区 烟台市" in understood and "问句" in understood
    first = browser.find_elements(By.CSS_SELECTOR, "li.hit")[0]
    answer = first.find_element(By.CSS_SELECTOR, ".passage .answer")
    assert "20家" in answer.text and answer.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    more = first.find_element(By.CSS_SELECTOR, "a.more")
    assert "more from this document" in more.text
    load(browser, more.click)
    assert "/documents/" in browser.current_url
    assert len(browser.find_elements(By.CSS_SELECTOR, ".doc-text .it-match")) > 1


def test_script_in_query_is_shown_not_run(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/?q=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E")
    assert browser.execute_script("return window.pwned === undefined")
    assert "<script>window.pwned=1</script>" in browser.find_element(By.ID, "q").get_attribute("value")


def test_compare_then_follow_a_cell_to_its_items_and_their_passage(server, browser):
    """A reporter's path: compare regions on money, click a total, see the
    figures behind it, open one in its document."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/compare")
    Select(browser.find_element(By.ID, "by")).select_by_value("region")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=metric]"):
        if box.is_selected() != (box.get_attribute("value") == "money"):
            box.click()
    load(browser, browser.find_element(By.ID, "submit").click)
    assert "by=region" in browser.current_url
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#compare thead th")]
    # one money column per fiscal role (search.compare.MONEY_ROLES), budgeted first;
    # never economic aggregates
    assert len(heads) >= 2 and heads[1].startswith("预算安排"), heads
    fiscal = ("预算安排", "支出", "收入", "压减节约", "债务", "转移支付", "投资")  # measures.tsv
    assert all(h.startswith(fiscal) for h in heads[1:]), heads
    assert not any("经济" in h or "economic" in h for h in heads), heads
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#compare tbody tr")
               if r.find_element(By.CSS_SELECTOR, "th").text == "烟台市")
    cell = row.find_element(By.CSS_SELECTOR, "td a")
    count = int(cell.get_attribute("title").split()[1])
    load(browser, cell.click)
    assert "/items/figure" in browser.current_url
    assert int(browser.find_element(By.ID, "total").text) == count
    regions = {tr.find_elements(By.TAG_NAME, "td")[-3].text
               for tr in browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr")}
    assert regions == {"烟台市"}
    load(browser, browser.find_element(By.CSS_SELECTOR, "a.source").click)
    anchor = browser.current_url.rsplit("#", 1)[1]
    passage = browser.find_element(By.ID, anchor)
    assert passage.find_elements(By.CSS_SELECTOR, ".it-figure")


# ---- the three users' tasks, each in at most 3 clicks from the home page -------------
# Screenshots of every step go to test-artifacts/browser/ (git-ignored) to look at.

ARTIFACTS = REPO / "test-artifacts" / "browser"
MAX_CLICKS = 3


class Session:
    """Counts the user's clicks (page loads) and screenshots each step."""

    def __init__(self, browser, server: str, name: str) -> None:
        self.browser, self.server, self.name, self.clicks = browser, server, name, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 1000)
        browser.get(server + "/")

    def click(self, element) -> None:
        self.clicks += 1
        load(self.browser, element.click)

    def shot(self, step: str) -> None:
        self.browser.save_screenshot(str(ARTIFACTS / f"{self.name}-{step}.png"))

    def done(self) -> None:
        assert self.clicks <= MAX_CLICKS, f"{self.name}: {self.clicks} clicks"


def api_json(server: str, path: str, **params) -> dict:
    import json
    from urllib.parse import urlencode

    with urllib.request.urlopen(f"{server}{path}?{urlencode(params)}", timeout=60) as r:
        return json.loads(r.read().decode("utf-8"))


def wait_for(browser, condition, seconds: float = LOAD_SECONDS):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(condition)


def test_researcher_searches_filters_by_shanghai_and_year_and_opens_a_hit(server, browser):
    from selenium.webdriver.common.by import By

    s = Session(browser, server, "researcher")
    browser.find_element(By.ID, "q").send_keys("预算")
    browser.find_element(By.NAME, "region").send_keys("上海市")
    browser.find_element(By.ID, "year").send_keys("2025")
    s.click(browser.find_element(By.ID, "submit"))
    s.shot("1-results")
    total = int(browser.find_element(By.ID, "total").text)
    expected = api_json(server, "/api/search", q="预算", region="上海市", year=2025)["total"]
    assert total == expected > 0
    metas = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit .meta")]
    assert metas and all("普陀区" in m and "2025" in m for m in metas)  # 上海市 took in 普陀区
    assert "上海市" in browser.find_element(By.CSS_SELECTOR, "p.note").text
    hit = browser.find_element(By.CSS_SELECTOR, "li.hit a.doc")
    anchor = hit.get_attribute("href").rsplit("#", 1)[1]
    s.click(hit)
    wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "body[data-scrolled]"))
    s.shot("2-document")
    current = browser.find_element(By.CSS_SELECTOR, ".para.current")
    assert current.get_attribute("id") == anchor and current.find_elements(By.CSS_SELECTOR, ".it-match")
    # the marked passage is on screen, below the sticky header
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", current)
    head = browser.execute_script(
        "return document.getElementById('doc-head').getBoundingClientRect().bottom")
    assert head <= top < browser.execute_script("return window.innerHeight")
    assert browser.find_element(By.ID, "back").get_attribute("href").startswith(server + "/?")
    # a PDF: the page as printed is open beside the passage, its tables loaded
    wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#page-image .tables[data-ready]"))
    image = browser.find_element(By.CSS_SELECTOR, "#page-image img")
    wait_for(browser, lambda d: d.execute_script("return arguments[0].complete", image))
    assert browser.execute_script("return arguments[0].naturalWidth", image) > 300
    s.shot("3-page-image")
    s.done()


def test_reviewer_lists_one_departments_vague_goals_then_the_comparison_chart(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    org = "上海市普陀区财政局"
    s = Session(browser, server, "reviewer")
    s.click(browser.find_element(By.LINK_TEXT, "目标 Goals"))
    Select(browser.find_element(By.ID, "in-vague")).select_by_value("true")
    browser.find_element(By.NAME, "org").send_keys(org)
    s.click(browser.find_element(By.ID, "submit"))
    s.shot("1-vague-goals")
    expected = api_json(server, "/api/goals", org=org, vague="true")["total"]
    assert int(browser.find_element(By.ID, "total").text) == expected > 0
    rows = browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr")
    assert len(rows) == expected and all(r.get_attribute("class") == "vague" for r in rows)
    for r in rows:
        cells = {td.get_attribute("data-label"): td.text for td in r.find_elements(By.TAG_NAME, "td")}
        assert cells["单位 org"] == org and cells["原因 reasons"]
    s.click(browser.find_element(By.LINK_TEXT, "比较 Compare"))
    chart = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#chart[data-ready]"))
    s.shot("2-comparison-chart")
    bars = int(chart.get_attribute("data-bars"))
    table_rows = browser.find_elements(By.CSS_SELECTOR, "#compare tbody tr")
    assert 0 < bars <= len(table_rows)
    assert chart.find_elements(By.CSS_SELECTOR, "svg path")
    s.done()


def test_reporter_finds_funding_over_100_million_in_a_city_with_sentences_and_csv(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    s = Session(browser, server, "reporter")
    s.click(browser.find_element(By.LINK_TEXT, "数字 Figures"))
    Select(browser.find_element(By.ID, "in-kind")).select_by_value("money")
    browser.find_element(By.ID, "in-min").send_keys("1亿元")
    browser.find_element(By.NAME, "region").send_keys("上海市")
    s.click(browser.find_element(By.ID, "submit"))
    s.shot("1-figures")
    expected = api_json(server, "/api/figures", kind="money", min="1亿元", region="上海市")["total"]
    assert int(browser.find_element(By.ID, "total").text) == expected > 0
    for r in browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr"):
        amount = r.find_element(By.CSS_SELECTOR, "td[data-label^='金额']").text
        assert amount.endswith("亿元") and float(amount.split("亿元")[0].replace(",", "")) >= 1
        sentence = r.find_element(By.CSS_SELECTOR, "td.sentence")
        assert sentence.find_elements(By.TAG_NAME, "mark")  # the figure marked in its sentence
        assert r.find_element(By.CSS_SELECTOR, "td[data-label^='地区']").text == "普陀区"
    browser.find_element(By.ID, "csv").click()  # click 3: the export (stays on the page)
    s.clicks += 1
    status = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#csv-progress[data-rows]"))
    s.shot("2-csv-exported")
    assert int(status.get_attribute("data-rows")) == expected
    s.done()


def test_a_chart_bar_leads_to_the_items_of_its_cell(server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 1000)
    browser.get(server + "/compare?by=region&metric=goals")
    chart = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#chart[data-ready]"))
    # rows are sorted largest first; the chart draws the groups that have a name (and a link)
    cell = browser.find_element(By.CSS_SELECTOR, "#compare tbody td a")
    count = int(cell.get_attribute("title").split()[1])
    bars = [p for p in chart.find_elements(By.CSS_SELECTOR, "svg path")
            if (p.get_attribute("fill") or "").lower() == "#2f6fd0"]
    assert bars
    widest = max(bars, key=lambda p: p.size["width"])
    load(browser, lambda: ActionChains(browser).move_to_element(widest).click().perform())
    assert "/items/goal" in browser.current_url
    assert int(browser.find_element(By.ID, "total").text) == count


@pytest.mark.parametrize("width", [390])
def test_tables_fit_a_phone_screen(server, browser, width):
    browser.set_window_size(width, 900)
    browser.get(server + "/items/figure?kind=money")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "phone-figures.png"))
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= width


@pytest.mark.parametrize("path,selector", [("/docs", ".opblock"), ("/redoc", "h1")])
def test_api_docs_render_from_the_apps_own_assets(server, browser, path, selector):
    from selenium.webdriver.common.by import By

    # every request the page's content security policy refused, recorded from the start
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__blocked = []; document.addEventListener('securitypolicyviolation',"
        " function (e) { window.__blocked.push(e.blockedURI); });")})
    try:
        browser.get(server + path)
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, selector))
        asked = browser.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        blocked = browser.execute_script("return window.__blocked")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                {"identifier": script["identifier"]})
    local = [u for u in asked if u.startswith(server + "/")]
    assert any(u.endswith(".js") for u in local)  # the bundle came from the app
    # anything else a bundle asks for (ReDoc's logo) is refused by the browser
    assert all(u in blocked for u in asked if u not in local), (asked, blocked)
