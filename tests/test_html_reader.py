"""The HTML reader: metadata, extraction, cleaning, on a hand-written page and on real pages."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from warta.read import read_document
from warta.read.html_extract import extract_text
from warta.read.html_meta import choose_title, clean_url, read_meta, strip_site_name, to_iso
from warta.record import to_json
from warta.sources.document import Document
from warta.sources.files import document_from_path

HERE = Path(__file__).parent / "data" / "html"


def _f1(truth: str, pred: str) -> float:
    t, p = Counter(re.findall(r"\w+", truth)), Counter(re.findall(r"\w+", pred))
    tp = sum((t & p).values())
    if not tp:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(t.values())
    return 2 * prec * rec / (prec + rec)


def test_isubogor_like_page_every_field() -> None:
    art = read_document(document_from_path(HERE / "isubogor-like.html"))
    assert art.provenance.reader == "html"
    assert art.title == "Kremlin Bantah Tuduhan Sabotase, Peskov: Tidak Berdasar"
    assert art.canonical_url == "https://isubogor.pikiran-rakyat.com/internasional/pr-123/kremlin-bantah-tuduhan?page=2"
    assert art.domain == "isubogor.pikiran-rakyat.com"
    assert art.outlet == "ISU BOGOR"
    assert art.language == "id"
    assert art.published_at == "2025-03-10T14:05:00+07:00"
    assert art.updated_at == "2025-03-10T15:00:00+07:00"
    assert art.dateline.outlet == "ISU BOGOR"
    assert art.authors == ["Rizky Pratama"]
    assert art.editors == ["Siti Rahma"]
    assert art.image is not None and art.image.url and art.image.url.endswith("peskov.jpg")
    assert art.body[0].startswith("Kremlin membantah tuduhan")  # dateline removed
    assert len(art.body) == 4
    text = " ".join(art.body)
    for furniture in ("ADVERTISEMENT", "Baca Juga", "Editor:", "Komentar", "Copyright", "Beranda", "Home"):
        assert furniture not in text
    related = {r.title: r.url for r in art.related}
    assert related["Rusia Uji Coba Rudal Baru di Laut Barents"] == (
        "https://isubogor.pikiran-rakyat.com/internasional/pr-100/rusia-uji-rudal"
    )
    assert related["NATO Tingkatkan Patroli di Laut Baltik Setelah Insiden Kabel"].startswith("https://isubogor")
    assert art.tags[:2] == ["Rusia", "Kremlin"]
    assert any("json-ld" in w for w in art.provenance.warnings)  # the broken block is reported
    assert art.id and json.loads(to_json(art))["schema"] == "warta.article/1"


def test_parse_command_json(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from warta.cli import app

    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress((HERE / "isubogor-like.html").read_bytes()))
    result = CliRunner().invoke(app, ["parse", str(page), "--url", "https://isubogor.pikiran-rakyat.com/x/y", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["url"] == "https://isubogor.pikiran-rakyat.com/x/y"
    assert data["title"].startswith("Kremlin Bantah")


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02\xff" * 100, b"<html>", b"<html><body></body></html>", b"<p>" * 5000, "<p>é</p>".encode("latin-1")],
)
def test_bad_input_gives_warnings_not_crashes(data: bytes) -> None:
    art = read_document(Document(data=data, content_type="text/html"))
    assert art.provenance.warnings  # something is always said about a page with no article


def test_deeply_nested_page() -> None:
    html = "<html><body>" + "<div>" * 5000 + "<p>Teks berita yang cukup panjang untuk dibaca.</p>" + "</div>" * 5000
    art = read_document(Document(text=html, content_type="text/html"))
    assert art.body == ["Teks berita yang cukup panjang untuk dibaca."]


def test_metadata_helpers() -> None:
    assert to_iso("2025-03-10T07:05:00Z", default_offset=None) == "2025-03-10T07:05:00+00:00"
    assert to_iso("2025-03-10 14:05:00", default_offset="+07:00") == "2025-03-10T14:05:00+07:00"
    assert to_iso("2025-03-10", default_offset="+07:00") == "2025-03-10"
    assert to_iso("2025-02-30", default_offset=None) is None
    assert to_iso("Senin", default_offset=None) is None
    assert clean_url("https://Example.com/a?utm_medium=x&id=3#top") == "https://example.com/a?id=3"
    assert clean_url("javascript:void(0)") is None
    assert strip_site_name("Judul Berita Hari Ini | Kompas.com", ["Kompas.com"]) == "Judul Berita Hari Ini"
    from selectolax.lexbor import LexborHTMLParser

    meta = read_meta(LexborHTMLParser("<title>Judul Panjang Sekali - Situs</title><h1>Logo</h1><h1>Judul Panjang Sekali</h1>"))
    assert choose_title(meta, ["Situs"]) == "Judul Panjang Sekali"


def test_id_news_2015_real_pages(shared_data: Path) -> None:
    """18 real Indonesian pages (Antara, Detik, Kompas, Liputan6, Okezone, Tempo): titles, dates, bodies."""
    base = shared_data / "html" / "id-news-2015"
    expected = json.loads((base / "expected.json").read_text(encoding="utf-8"))
    titles = days = 0
    f1s = []
    for item in expected:
        art = read_document(document_from_path(base / item["fixture"], url=item["url"]))
        titles += art.title == item["title"]
        day = datetime.fromtimestamp(item["date"] / 1000, UTC).date().isoformat()
        days += bool(art.published_at) and art.published_at[:10] == day  # type: ignore[index]
        f1s.append(_f1(item["content"], " ".join(art.body)))
        assert art.outlet, item["fixture"]
        assert art.language in ("id", "en"), item["fixture"]
    assert titles >= 17
    assert days >= 17
    assert sum(f1s) / len(f1s) >= 0.93
    # One page is a photo gallery whose "body" is a repeated caption: warta reads no article there.
    assert sum(f >= 0.85 for f in f1s) >= 17


def test_scrapinghub_sample_accuracy(shared_data: Path) -> None:
    """A regression guard on 60 pages of the ScrapingHub benchmark (the full set is in bench/extraction.py)."""
    base = shared_data / "html" / "scrapinghub-aeb"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for key in sorted(truth)[:60]:
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        scores.append(_f1(truth[key]["articleBody"], extract_text(html)))
    assert sum(scores) / len(scores) >= 0.93


def test_urls_that_urllib_cannot_parse() -> None:
    """Found by bench/fuzz.py: "http://[x" makes urljoin/urlsplit raise; the reader must not."""
    html = (
        '<html><head><link rel="canonical" href="http://[x/a"><link rel="next" href="/p?page=2"></head><body>'
        '<p>Paragraf berita yang cukup panjang untuk dibaca. <a href="http://[y">tautan</a></p>'
        '<a href="?page=2">2</a></body></html>'
    )
    for url in ("http://[bad", None):
        art = read_document(Document(text=html, url=url, content_type="text/html"))
        assert art.body and art.body[0].startswith("Paragraf berita")


def test_h1_site_suffix_and_utc_day_off_the_url() -> None:
    page = (
        '<html><head><meta property="og:site_name" content="Artlyst">'
        '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
        "<title>Pilihan Kritikus: Pameran Terbaik 2025 - Artlyst</title></head><body>"
        "<h1>Pilihan Kritikus: Pameran Terbaik 2025 – Artlyst</h1>"
        "<p>Paragraf pertama berita ini cukup panjang untuk dibaca sebagai isi artikel.</p></body></html>"
    )
    art = read_document(Document(text=page, url="https://blog.example.org/2025/12/18/pilihan", content_type="text/html"))
    assert art.title == "Pilihan Kritikus: Pameran Terbaik 2025"
    assert art.published_at == "2025-12-18"  # the page's local day, as in its URL
    far = read_document(Document(text=page, url="https://blog.example.org/2025/12/10/pilihan", content_type="text/html"))
    assert far.published_at == "2025-12-19T02:41:41+00:00"  # a URL date far off is not a time-zone slip
