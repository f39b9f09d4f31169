"""A real browser against a real server: ``policylens serve`` on a free
localhost port over the samples index, headless Chromium driven by selenium.

Skipped (with the reason) when chromium or chromedriver is absent; CI installs
them with ``make browser-deps``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request

import pytest

from conftest import REPO, free_port, policylens_cmd

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium/chromedriver not installed (make browser-deps)", allow_module_level=True)

STARTUP_SECONDS = 60
# generous: a page load waits for a state, so a slow machine only makes it slower
LOAD_SECONDS = 60


def load(browser, action) -> None:
    """Run ``action`` (a click or a submit) and wait until the NEXT page has
    loaded: the old document went stale and the new one is complete. Waiting for
    an element alone can match the old page, which is still on screen."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    action()
    wait = WebDriverWait(browser, LOAD_SECONDS)
    wait.until(EC.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


@pytest.fixture(scope="module")
def server(samples_index, tmp_path_factory):
    port = free_port()
    # PYTHONPATH: the server runs this checkout's code even when the installed
    # script belongs to another (an editable install elsewhere)
    env = dict(os.environ, POLICYLENS_DATA_DIR=str(samples_index.data_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    env.pop("POLICYLENS_ES_URL", None)
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*policylens_cmd(), "serve", "--host", "127.0.0.1", "--port",
                                 str(port)], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
    driver.set_page_load_timeout(30)
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
    assert len(heads) == 2 and "资金总额" in heads[1]
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
