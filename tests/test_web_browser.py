"""The dashboard in a real headless Chromium: every page type on a store of real articles, links followed,
screenshots saved to test-artifacts/web/; and hostile content that must not execute (XSS)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from warta.record import Article
from warta.web import create_app
from web_support import build_store, running

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test-token-0123456789"


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Article], str]:
    return build_store(shared_data, tmp_path_factory.mktemp("webb") / "browser.db", 200)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base(corpus: tuple[list[Article], str]) -> Iterator[str]:
    with running(create_app(corpus[1])) as url:
        yield url


@pytest.fixture()
def page(browser: Any, base: str) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = ctx.new_page()
    pg.external = []  # every request that left the loopback server
    pg.errors = []
    pg.on("request", lambda r: None if r.url.startswith((base, "data:")) else pg.external.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert pg.external == [], f"requests outside warta: {pg.external}"
    assert pg.errors == [], f"script errors: {pg.errors}"
    ctx.close()


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_latest_to_article_to_entity(page: Any, base: str, corpus: tuple[list[Article], str]) -> None:
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Berita terkini"
    rows = page.locator("ol.rows > li.row")
    assert rows.count() == 30
    assert "detikcom" in rows.first.locator(".row-meta").inner_text()
    assert re.search(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) 20\d\d \d\d:\d\d WIB",
                     rows.first.inner_text())
    shot(page, "01-terkini")
    # an analysed article with quotes, reached by clicking its title on the list
    by_id = {a.id: a for a in corpus[0]}
    target = None
    for i in range(rows.count()):
        href = rows.nth(i).locator("a.row-title").get_attribute("href")
        art = by_id[href.rsplit("/", 1)[1]]
        if art.quotes and any(q.speaker.entity_id for q in art.quotes):
            target = (i, art)
            break
    assert target is not None
    rows.nth(target[0]).locator("a.row-title").click()
    art = target[1]
    page.wait_for_url(f"**/article/{art.id}")
    assert page.locator("h1.headline").inner_text() == art.title
    assert page.locator(".body > p").count() == len(art.body)
    assert page.locator(".body .ent").count() >= 3
    assert page.locator(".body .quote").count() >= 1
    assert page.locator(".quote-list > li").count() == len(art.quotes)
    original = page.locator("a.original").get_attribute("href")
    assert original == art.url
    shot(page, "02-artikel")
    speaker = page.locator(".body a.qspk").first
    name = speaker.inner_text()
    speaker.click()
    page.wait_for_url("**/entity/**")
    assert page.locator("h1").inner_text() == name
    assert page.locator("svg.chart rect.bar").count() >= 1
    assert page.locator("ol.said > li").count() >= 1
    assert page.locator(".chips a.chip").count() >= 1
    shot(page, "03-entitas")
    # co-occurring entity, then back to an article from "who said what"
    page.locator("ol.said > li .row-meta a[href^='/article/']").first.click()
    page.wait_for_url("**/article/**")
    assert page.locator("h1.headline").count() == 1


def test_search_facets_and_pages(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.fill(".searchbox input", "inflasi")
    page.press(".searchbox input", "Enter")
    page.wait_for_url("**/search?q=inflasi*")
    stats = page.locator(".page-head .stats").inner_text()
    total = int(stats.split()[0])
    assert total >= 10
    marks = page.locator(".snippet mark")
    assert marks.count() >= 5 and all("inflasi" in m.lower() for m in marks.all_inner_texts())
    page.wait_for_selector("#facets.loaded .facet")  # loaded after the hits by the page's script
    shot(page, "04-cari")
    facet = page.locator(".facet").filter(has_text="Lembaga").locator("a").first
    org = facet.inner_text()
    facet.click()
    page.wait_for_load_state()
    sub = int(page.locator(".page-head .stats").inner_text().split()[0])
    assert 0 < sub <= total
    assert f'org:"{org}"' in page.locator(".searchbox input").input_value()
    if total > 30:
        page.goto(base + "/search?q=inflasi")
        page.locator(".pager a[rel=next]").click()
        page.wait_for_url("**page=2*")
        assert page.locator("ol.rows > li").count() == min(30, total - 30)
    page.goto(base + "/search?q=" + "%22tidak%20tertutup")
    assert "Kueri tidak dapat dibaca" in page.locator(".error-box").inner_text()


def test_popular_story_outlet(page: Any, base: str) -> None:
    page.goto(base + "/terpopuler")
    page.locator(".tabs a", has_text="7 hari").click()
    page.wait_for_url("**window=7d")
    cards = page.locator(".story-card")
    assert cards.count() >= 1
    shot(page, "05-terpopuler")
    n = int(cards.first.locator(".row-meta").inner_text().split("·")[1].split()[0])
    cards.first.locator("a.row-title").click()
    page.wait_for_url("**/story/**")
    assert page.locator(".timeline > li").count() == n >= 2
    assert page.locator(".first-report a.row-title").count() == 1
    shot(page, "06-peristiwa")
    page.locator(".timeline a.outlet").first.click()
    page.wait_for_url("**/outlet/**")
    assert page.locator("h1").inner_text() == "detikcom"
    assert page.locator("svg.chart rect.bar").count() >= 2
    shot(page, "07-media")
    page.goto(base + "/outlet/ISU%20BOGOR")
    assert "TASS" in page.locator("table.counts").inner_text()


def test_english_and_docs(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.locator("a.lang").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Latest news"
    page.goto(base + "/terpopuler")  # the cookie keeps the language
    assert page.locator("nav.nav a[aria-current]").inner_text() == "Most covered"
    page.goto(base + "/entities")
    assert page.locator("table.counts tr").count() >= 50
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 10
    shot(page, "08-docs")


HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def _hostile_article() -> dict[str, Any]:
    body = [
        f"Paragraf pertama {HOSTILE} kata Budi Santoso.",
        "Teks rusak <b><i>tanpa penutup <a href='javascript:window.__xss=3'>klik</a> <svg onload=window.__xss=4>",
    ]
    at = body[0].index("Budi Santoso")
    return {
        "id": "xss0000000001",
        "url": "javascript:window.__xss=5",
        "canonical_url": "javascript:window.__xss=6",
        "outlet": '<img src=x onerror="window.__xss=7">',
        "title": f"Judul {HOSTILE}",
        "subtitle": "</title><script>window.__xss=8</script>",
        "published_at": "2025-10-22T11:00:00+07:00",
        "authors": ["<script>window.__xss=9</script>"],
        "tags": ['"><script>window.__xss=10</script>'],
        "body": body,
        "related": [{"title": "<b>baca</b>", "url": "javascript:window.__xss=11"}],
        "sources": [{"name": "<script>window.__xss=12</script>", "kind": "media", "evidence": [HOSTILE]}],
        "entities": [{"id": "e1", "name": 'Budi"><script>window.__xss=13</script>', "type": "PER",
                      "role": HOSTILE, "mentions": [{"paragraph": 0, "start": at, "end": at + 12, "text": "Budi Santoso"}]}],
        "quotes": [{"paragraph": 0, "start": 17, "end": 17 + len(HOSTILE), "text": HOSTILE, "kind": "direct",
                    "cue": "<i>kata</i>", "speaker": {"name": HOSTILE, "entity_id": "e1"}}],
        "keywords": [HOSTILE],
        "summary": HOSTILE,
        "story_id": "st-xss",
        "provenance": {"warnings": [HOSTILE]},
    }


def test_hostile_content_does_not_execute(browser: Any, tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "xss.db"), token=TOKEN)
    auth = {"authorization": f"Bearer {TOKEN}"}
    with running(app) as base:
        r = httpx.post(base + "/api/ingest", json=[_hostile_article()], headers=auth)
        assert r.status_code == 200 and r.json()["new"] == 1
        dump = f"{HOSTILE}\nJAKARTA - Isi berita {HOSTILE} lagi.\n\"<script>window.__xss=14</script>\" kata dia.\n"
        r = httpx.post(base + "/api/ingest/file", files={"file": ("dump.txt", dump.encode())}, headers=auth)
        assert r.status_code == 200 and r.json()["new"] == 1, r.json()
        dump_id = r.json()["ids"][0]
        ctx = browser.new_context()
        pg = ctx.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        ent = "per-budi-script-window-xss-13-script"
        urls = ["/", "/article/xss0000000001", f"/entity/{ent}", "/search?q=paragraf", "/search?q=isi",
                "/outlets", "/entities", "/story/st-xss", f"/article/{dump_id}"]
        outlet_link = None
        for u in urls:
            pg.goto(base + u)
            pg.wait_for_load_state("load")
            assert pg.evaluate("typeof window.__xss") == "undefined", u
            # nothing injected made it into the DOM as markup
            assert pg.locator("script:not([src='/static/warta.js'])").count() == 0, u
            assert pg.locator("[onerror], [onload], svg[onload]").count() == 0, u
            assert pg.locator("a[href^='javascript:' i]").count() == 0, u
            if u == "/outlets":
                outlet_link = pg.locator("a.outlet").first.get_attribute("href")
        pg.goto(base + "/article/xss0000000001")
        shot(pg, "09-xss-artikel")
        text = pg.locator("article").inner_text()
        assert "<script>window.__xss=1</script>" in text  # shown as text, not run
        assert pg.locator("a.original").count() == 0  # a javascript: URL is not linked
        assert outlet_link
        pg.goto(base + outlet_link)
        assert pg.locator("h1").inner_text() == '<img src=x onerror="window.__xss=7">'
        assert pg.evaluate("typeof window.__xss") == "undefined"
        assert dialogs == []
        ctx.close()
