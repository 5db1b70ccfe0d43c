"""`iter_documents`: folders, pages, archives, feeds, sitemaps and datasets become Documents or SourceFailures."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from warta.read import read_document
from warta.sources import Document, SourceFailure, iter_documents
from warta.sources.datasets import parse_columns

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PAGE = (Path(__file__).parent / "data" / "html" / "isubogor-like.html").read_bytes()


def split(items: list[Document | SourceFailure]) -> tuple[list[Document], list[SourceFailure]]:
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, SourceFailure)]
    assert len(docs) + len(fails) == len(items)
    return docs, fails


def _warc(records: list[tuple[str, str, bytes]], *, gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for kind, url, payload in records:
        if kind == "response":
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1252")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
        else:
            rec = writer.create_warc_record(url, kind, payload=io.BytesIO(payload), warc_content_type="text/plain")
        writer.write_record(rec)
    return out.getvalue()


def test_folder_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.html").write_bytes(PAGE)
    (tmp_path / "a" / "b" / "two.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "a" / "b" / "three.txt").write_text("Judul\n\nJAKARTA - Isi berita yang panjang sekali.\n", encoding="utf-8")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.html").write_bytes(PAGE)
    docs, fails = split(list(iter_documents(tmp_path)))
    assert not fails
    assert sorted(Path(d.source or "").name for d in docs) == ["one.html", "three.txt", "two.html.gz"]
    by_name = {Path(d.source or "").name: d for d in docs}
    assert read_document(by_name["two.html.gz"]).title == read_document(by_name["one.html"]).title  # .gz read


def test_missing_and_empty_inputs(tmp_path: Path) -> None:
    docs, fails = split(list(iter_documents([str(tmp_path / "nope.html"), str(tmp_path)])))
    assert not docs
    assert [f.reason for f in fails] == [
        "no such file or folder",
        "folder holds no file warta can read (html, txt, warc, feeds, csv/jsonl)",
    ]


def test_example_warc_feed_and_dataset() -> None:
    docs, fails = split(list(iter_documents([str(EXAMPLES / "warc" / "contoh.warc.gz")])))
    assert len(docs) == 2 and not fails
    assert docs[0].url and docs[0].url.startswith("https://kabarsentosa.example/")
    assert docs[0].encoding == "utf-8" and docs[0].content_type == "text/html"
    feed_docs, feed_fails = split(list(iter_documents(str(EXAMPLES / "feeds" / "kabarsentosa.rss"))))
    assert len(feed_docs) == 2 and not feed_fails
    first = read_document(feed_docs[0])
    assert first.title == "Harga Cabai di Pasar Induk Sentosa Turun"
    assert first.published_at == "2025-03-11T07:30:00+07:00"
    assert first.authors == ["Lina Marlina"] and first.tags == ["Ekonomi"]
    assert len(first.body) == 3
    rows, row_fails = split(list(iter_documents(str(EXAMPLES / "datasets" / "contoh.jsonl"))))
    assert len(rows) == 3 and not row_fails
    art = read_document(rows[0])
    assert art.title == "Pemkot Sentosa Siapkan Anggaran Darurat Bencana"
    assert not any("SCROLL" in p for p in art.body)


def test_warc_records_truncation_and_wet(tmp_path: Path) -> None:
    big = b"<html><body><p>" + "Caf\xe9 di Bogor ramai. ".encode("cp1252") * 50 + b"</p></body></html>"
    data = _warc([("response", "http://x.test/1", big), ("metadata", "http://x.test/m", b"meta"),
                  ("response", "http://x.test/2", big)], gz=False)
    path = tmp_path / "t.warc"
    path.write_bytes(data[:-200])  # the second page is cut short
    docs, fails = split(list(iter_documents(str(path))))
    assert [d.url for d in docs] == ["http://x.test/1"]
    assert len(fails) == 1 and "truncated" in fails[0].reason and "x.test/2" in fails[0].source
    art = read_document(docs[0])
    assert "Café di Bogor ramai." in art.body[0]  # charset from the HTTP header (windows-1252)
    wet = tmp_path / "t.wet.gz"
    wet.write_bytes(_warc([("conversion", "http://x.test/3", b"Judul\nJAKARTA - Isi teks.\n")]))
    wet_docs, _ = split(list(iter_documents(str(wet))))
    assert len(wet_docs) == 1 and wet_docs[0].content_type == "text/plain" and wet_docs[0].url == "http://x.test/3"


def test_sitemap_file_without_fetching(tmp_path: Path) -> None:
    sitemap = tmp_path / "news.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.id/a</loc>'
        "<news:news><news:title>A</news:title><news:publication_date>2025-03-10T10:00:00+07:00</news:publication_date>"
        "</news:news></url></urlset>",
        encoding="utf-8",
    )
    docs, fails = split(list(iter_documents(str(sitemap))))
    assert not docs and len(fails) == 1 and "fetching is off" in fails[0].reason


def test_dataset_columns_and_errors(tmp_path: Path) -> None:
    assert parse_columns("title=judul, body=isi") == {"title": "judul", "body": "isi"}
    with pytest.raises(ValueError, match="field=column"):
        parse_columns("judul")
    csv_path = tmp_path / "d.csv"
    csv_path.write_text("judul,isi,tanggal\nA,Isi pertama yang panjang.,21/10/2025 20:43\nB,,22/10/2025 10:00\n", encoding="utf-8")
    docs, fails = split(list(iter_documents(str(csv_path), columns={"title": "judul", "body": "isi", "published": "tanggal", "url": "link"})))
    assert len(docs) == 1 and docs[0].fields["title"] == "A" and docs[0].fields["dayfirst"] == "true"
    reasons = " ".join(f.reason for f in fails)
    assert "column(s) not in the dataset: link" in reasons and "empty body" in reasons
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x", "body": "Isi."}\nnot json\n[1]\n', encoding="utf-8")
    docs, fails = split(list(iter_documents(str(bad))))
    assert len(docs) == 1 and len(fails) == 2


def test_detik_dataset(shared_data: Path) -> None:
    """The Detik set as scraped: 1,000 rows, month-first dates, boilerplate in the bodies."""
    path = shared_data / "text" / "detik-2025" / "data_berita.csv"
    columns = parse_columns("title=judul,url=tautan,published=tanggal,body=isi_berita")
    docs, fails = split(list(iter_documents(str(path), columns=columns)))
    assert len(docs) + len(fails) == 1000 and len(docs) >= 990
    assert all(d.fields["dayfirst"] == "false" and d.content_type == "text/plain" for d in docs)
    art = read_document(docs[0])
    assert art.title == "Presiden Banggakan Inflasi 2%, Ini Cara Kemendagri Jaga Stabilitas Harga"
    assert art.published_at == "2025-10-21T20:43:00+07:00"
    assert art.url and art.url.startswith("https://news.detik.com/")
    assert not any("SCROLL TO CONTINUE" in p for d in docs[:50] for p in read_document(d).body)


def test_bad_gzip_file_is_a_failure(tmp_path: Path) -> None:
    broken = tmp_path / "x.html.gz"
    broken.write_bytes(gzip.compress(PAGE)[:40])
    docs, fails = split(list(iter_documents(str(broken))))
    assert not docs and "gzip" in fails[0].reason
    assert json.dumps([f.reason for f in fails])
