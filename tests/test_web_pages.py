"""What every page relies on: the home page's counts, relative static URLs,
API docs served from the app's own assets (installed from npm by ``make
install``; nothing from another host), join of line-wrap breaks, and pagers."""
from __future__ import annotations

import re

import pytest

from api.render import pager
from api.routes.pages import join_wrapped


def test_home_page_counts_are_the_index_counts(client, samples_store):
    page = client.get("/").text
    stats = samples_store.stats()
    assert "built-in method" not in page
    assert (f"已收录 {stats['documents']} 篇文档、{stats['passages']} 个段落、"
            f"{stats['items']} 个抽取条目") in page


def test_static_urls_are_relative(client):
    page = client.get("/").text
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert hrefs == ["/static/style.css"]
    assert client.get(hrefs[0]).status_code == 200


@pytest.mark.parametrize("path,asset", [("/docs", "swagger-ui-bundle.js"),
                                        ("/redoc", "redoc.standalone.js")])
def test_api_docs_load_nothing_from_elsewhere(client, path, asset):
    response = client.get(path)
    page = response.text
    assert not re.search(r'(src|href)="(https?:)?//', page), page
    # and the browser may fetch nothing from another host (what a bundle names itself)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert f"/static/vendor/{asset}" in page
    r = client.get(f"/static/vendor/{asset}")
    assert r.status_code == 200 and len(r.content) > 100_000  # the real bundle (make install)


def test_the_comparison_chart_library_is_served(client):
    page = client.get("/compare", params={"by": "org", "metric": "goals"}).text
    assert '<script src="/static/vendor/echarts.min.js"' in page
    assert client.get("/static/vendor/echarts.min.js").status_code == 200


def test_line_wrap_breaks_are_hidden_without_moving_offsets():
    text = "根据区财政局工作安排，二〇二四年度预算由市财\n政局统一编制并报人大审议通过执行。\n二、项目支出\n三、其他"
    shown = join_wrapped(text)
    assert len(shown) == len(text)
    assert "市财\u200b政局" in shown  # a wrapped line: joined
    assert "项目支出\n三" in shown  # a short heading line: kept
    listed = join_wrapped("主要用于信息系统软硬件设备运维和管理的日常支出\n、资产管理系统维护\n短")
    assert "运维和管理的日常支出\u200b、资产" in listed  # a comma never starts a line


def test_pager_numbers_pages_around_the_current_one():
    p = pager(1000, 500, 10, lambda o: f"?offset={o}")
    labels = [label for label, _ in p.pages]
    assert labels == ["1", "…", "49", "50", "51", "52", "53", "…", "100"]
    assert dict(p.pages)["51"] is None  # the current page is no link
    assert p.prev == "?offset=490" and p.next == "?offset=510"
    capped = pager(1_000_000, 0, 10, lambda o: f"?offset={o}", max_offset=10_000)
    assert capped.pages[-1] == ("1001", "?offset=10000")
    beyond = pager(30, 10_000, 10, lambda o: f"?offset={o}")
    assert beyond.pages == [] and beyond.beyond[1] == "?offset=20"


def _orange_pixels(png: bytes) -> int:
    import io

    from PIL import Image

    from api.routes.pages import HERE_COLOR

    import numpy as np

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))  # not getdata(): deprecated
    return int((pixels == np.array(HERE_COLOR)).all(axis=-1).sum())


def test_a_pdf_page_is_shown_as_printed_with_the_item_outlined(client):
    fig = client.get("/api/figures", params={"kind": "money", "doc": "budget2025_shanghai_putuo_finance_bureau_dept.pdf",
                                             "limit": 1}).json()["items"][0]
    mark = f"{fig['start']}-{fig['end']}"
    page = client.get(f"/documents/{fig['doc_id']}",
                      params={"at": fig["passage"], "mark": mark}).text
    src = f"/documents/{fig['doc_id']}/page/{fig['page']}.png?mark={mark}"
    assert f'src="{src}"' in page  # beside the marked passage, open
    marked = client.get(src)
    assert marked.status_code == 200 and marked.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert _orange_pixels(marked.content) > 20  # the item's box, from its characters
    plain = client.get(f"/documents/{fig['doc_id']}/page/{fig['page']}.png")
    assert plain.status_code == 200 and _orange_pixels(plain.content) == 0


def test_a_page_image_that_cannot_be_made_says_why(client):
    docs = client.get("/api/documents", params={"limit": 50}).json()["documents"]
    pdf = next(d for d in docs if d["format"] == "pdf")
    text = next(d for d in docs if d["format"] != "pdf")
    r = client.get(f"/documents/{pdf['id']}/page/9999.png")
    assert r.status_code == 404 and "9999" in r.text
    r = client.get(f"/documents/{text['id']}/page/1.png")
    assert r.status_code == 404 and "PDF" in r.text
    assert client.get("/documents/nope/page/1.png").status_code == 404


def test_a_pdf_pages_tables_are_shown_as_tables(client):
    import html as html_lib

    docs = client.get("/api/documents", params={"limit": 50}).json()["documents"]
    pdf = next(d for d in docs if d["doc"] == "budget2025_shanghai_putuo_finance_bureau_dept.pdf")
    doc = client.get(f"/api/documents/{pdf['id']}").json()
    text = doc["text"]
    found = None
    for page in range(1, 40):
        r = client.get(f"/documents/{pdf['id']}/page/{page}/tables")
        if r.status_code == 404:
            break
        if "<table" in r.text:
            found = r.text
            break
    assert found, "no page of the budget has a table"
    cells = [html_lib.unescape(c) for c in re.findall(r"<td[^>]*>([^<]+)</td>", found)]
    numbers = [c for c in cells if re.fullmatch(r"[\d,]+\.\d\d", c)]
    assert numbers and all(n in text for n in numbers)  # the cells are the document's own
    view = client.get(f"/documents/{pdf['id']}").text
    assert f'data-tables="/documents/{pdf["id"]}/page/1/tables"' in view
