"""Multi-page articles: finding the other pages, the one-page URL, merging pages into one Article."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from warta.read import read_document
from warta.read.html_pages import merge_articles, next_page_urls, read_pages, single_page_url
from warta.sources.document import Document

PAGE = """<html lang="id"><head><title>Banjir Rendam Tiga Kecamatan - Kabar Uji</title>
<meta property="article:published_time" content="2025-03-10T11:40:00+07:00">{link}</head><body>
<article><h1>Banjir Rendam Tiga Kecamatan</h1>
<p>{p1}</p><p>{p2}</p>
<div class="pagination"><a href="/berita/banjir">1</a> <a href="/berita/banjir?page=2">2</a>
<a href="/berita/banjir?page=3">3</a> <a href="/berita/banjir?page=2">Selanjutnya</a></div>
</article></body></html>"""


def page(n: int) -> str:
    link = '<link rel="next" href="/berita/banjir?page=2">' if n == 1 else ""
    return PAGE.format(
        link=link,
        p1=f"Paragraf pertama di halaman {n} yang menceritakan banjir di kota dengan panjang cukup untuk dibaca.",
        p2=f"Paragraf kedua di halaman {n} berisi kutipan warga yang mengungsi ke balai desa terdekat kemarin.",
    )


def test_next_pages_found_in_order() -> None:
    url = "https://kabar.example/berita/banjir"
    assert next_page_urls(LexborHTMLParser(page(1)), url) == [
        "https://kabar.example/berita/banjir?page=2",
        "https://kabar.example/berita/banjir?page=3",
    ]
    assert next_page_urls(LexborHTMLParser(page(2)), url + "?page=2") == ["https://kabar.example/berita/banjir?page=3"]
    art = read_document(Document(text=page(1), url=url, content_type="text/html"))
    assert any(w.startswith("multi-page: the article continues on 2 more page(s)") for w in art.provenance.warnings)


def test_single_page_url_from_profiles() -> None:
    assert single_page_url("https://nasional.kompas.com/read/2025/03/10/x?page=2") == (
        "https://nasional.kompas.com/read/2025/03/10/x?page=all"
    )
    assert single_page_url("https://news.detik.com/berita/d-1/x") == "https://news.detik.com/berita/d-1/x?single=1"
    assert single_page_url("https://unknown.example/a") is None


def test_pages_are_merged() -> None:
    url = "https://kabar.example/berita/banjir"
    docs = [Document(text=page(n), url=url + ("" if n == 1 else f"?page={n}"), content_type="text/html") for n in (1, 2, 3)]
    art = read_pages(docs)
    assert art.title == "Banjir Rendam Tiga Kecamatan"
    assert art.published_at == "2025-03-10T11:40:00+07:00"
    assert [p.split(" di halaman ")[1][0] for p in art.body] == ["1", "1", "2", "2", "3", "3"]
    assert "multi-page: 3 pages merged" in art.provenance.warnings
    again = merge_articles([art, art])  # a page read twice adds nothing
    assert again.body == art.body
