"""The fetcher and crawler against a real HTTP server on 127.0.0.1 (slow pages, errors, loops, huge pages...)."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from warta.read import read_document
from warta.sources import SourceFailure, iter_documents
from warta.sources.crawl import Frontier, crawl
from warta.sources.fetch import Fetcher

ARTICLE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{title} - Kabar Uji</title>
<link rel="canonical" href="{canonical}">
<meta property="article:published_time" content="2025-03-10T11:40:00+07:00">
</head><body><nav><a href="/">Beranda</a> <a href="/artikel/1">Satu</a> <a href="/artikel/2">Dua</a></nav>
<article><h1>{title}</h1>
<p>JAKARTA, KABARUJI - Pemerintah kota mengumumkan rencana perbaikan jalan di tiga kecamatan pada pekan depan.</p>
<p>"Kami mulai dari ruas yang paling rusak," kata Kepala Dinas Pekerjaan Umum, Budi Santoso, Senin (10/3/2025).</p>
<p>Menurut Budi, pekerjaan akan selesai dalam dua bulan jika cuaca mendukung dan anggaran cair tepat waktu.</p>
<p><a href="/artikel/{next}">Baca juga berita lain</a></p>
</article></body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>
<item><title>Satu</title><link>{base}/artikel/1?utm_source=rss</link><pubDate>Mon, 10 Mar 2025 11:40:00 +0700</pubDate></item>
<item><title>Dua</title><link>{base}/artikel/2</link></item>
<item><title>Hilang</title><link>{base}/missing</link></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - one branch per fixture URL
        path = self.path
        Handler.hits[path.split("?")[0]] += 1
        base = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        elif path.startswith("/artikel/"):
            n = path.split("/")[2].split("?")[0]
            canonical = f"{base}/artikel/1" if n == "dup" else f"{base}/artikel/{n}"
            body = ARTICLE.format(title=f"Perbaikan jalan {n}", canonical=canonical, next=int(n) + 1 if n.isdigit() else 1)
            self._send(200, body.encode())
        elif path == "/feed.xml":
            self._send(200, FEED.format(base=base).encode(), "application/rss+xml")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304, b"", headers={"ETag": '"v1"'})
            else:
                self._send(200, ARTICLE.format(title="Etag", canonical=f"{base}/etag", next=1).encode(), headers={"ETag": '"v1"'})
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"<html><body><p>late</p></body></html>")
        elif path == "/500":
            self._send(500, b"boom")
        elif path == "/flaky":
            if Handler.hits["/flaky"] < 3:
                self._send(503, b"busy", headers={"Retry-After": "0"})
            else:
                self._send(200, ARTICLE.format(title="Flaky", canonical=f"{base}/flaky", next=1).encode())
        elif path == "/loop1":
            self._send(302, b"", headers={"Location": "/loop2"})
        elif path == "/loop2":
            self._send(302, b"", headers={"Location": "/loop1"})
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(64):  # 4 MiB, no Content-Length
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/latin1":
            text = ARTICLE.format(title="Kafe déjà vu di Bogor", canonical=f"{base}/latin1", next=1)
            self._send(200, text.replace('<meta charset="utf-8">', "").encode("latin-1"))  # header says utf-8
        elif path == "/gzip":
            body = gzip.compress(ARTICLE.format(title="Gzip", canonical=f"{base}/gzip", next=1).encode())
            self._send(200, body, headers={"Content-Encoding": "gzip"})
        elif path == "/private/secret":
            self._send(200, b"<p>secret</p>")
        else:
            self._send(404, b"not here")


@pytest.fixture()
def server() -> Iterator[str]:
    Handler.hits = Counter()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetcher(**kw: object) -> Fetcher:
    options: dict[str, object] = {"delay": 0.0, "timeout": 0.5, "retries": 1, "backoff": 0.01}
    options.update(kw)
    return Fetcher(**options)  # type: ignore[arg-type]


def test_fetch_errors_are_results_not_exceptions(server: str) -> None:
    with fetcher(max_bytes=1024 * 1024) as f:
        assert f.fetch(f"{server}/nope").error == "HTTP 404"
        r500 = f.fetch(f"{server}/500")
        assert r500.error is not None and r500.error.startswith("HTTP 500") and "2 attempts" in r500.error
        assert Handler.hits["/500"] == 2  # one retry
        slow = f.fetch(f"{server}/slow")
        assert slow.error is not None and "timed out" in slow.error
        loop = f.fetch(f"{server}/loop1")
        assert loop.error is not None and "redirect loop" in loop.error
        huge = f.fetch(f"{server}/huge")
        assert huge.error is not None and "limit" in huge.error and huge.data == b""
        assert f.fetch(f"{server}/private/secret").error == "robots.txt does not allow this URL"
        assert Handler.hits["/private/secret"] == 0
        assert f.fetch("ftp://example.com/x").error == "only http(s) URLs can be fetched"


def test_retries_with_backoff_until_the_server_answers(server: str) -> None:
    with fetcher(retries=3) as f:
        result = f.fetch(f"{server}/flaky")
    assert result.ok and result.status == 200
    assert Handler.hits["/flaky"] == 3


def test_rate_limit_per_host(server: str) -> None:
    with fetcher(delay=0.3) as f:
        f.fetch(f"{server}/artikel/1")  # also loads robots.txt
        start = time.monotonic()
        f.fetch(f"{server}/artikel/2")
        f.fetch(f"{server}/artikel/3")
        elapsed = time.monotonic() - start
    assert elapsed >= 0.55  # two waits of 0.3 s (less a little clock slack)


def test_conditional_get(server: str) -> None:
    with fetcher() as f:
        first = f.fetch(f"{server}/etag")
        assert first.ok and first.etag == '"v1"'
        again = f.fetch(f"{server}/etag", etag=first.etag)
    assert again.not_modified and not again.ok and again.error is None


def test_wrong_charset_and_gzip_are_read(server: str) -> None:
    docs = [d for d in iter_documents([f"{server}/latin1", f"{server}/gzip"], fetcher=fetcher())]
    assert all(not isinstance(d, SourceFailure) for d in docs)
    latin, gz = (read_document(d) for d in docs)  # type: ignore[arg-type]
    assert latin.title == "Kafe déjà vu di Bogor"
    assert any("encoding" in w for w in latin.provenance.warnings)
    assert gz.title == "Gzip" and len(gz.body) == 3


def test_url_feed_fetches_entry_pages(server: str) -> None:
    items = list(iter_documents(f"{server}/feed.xml", fetcher=fetcher()))
    failures = [i for i in items if isinstance(i, SourceFailure)]
    docs = [i for i in items if not isinstance(i, SourceFailure)]
    assert len(docs) == 2 and len(failures) == 1 and "404" in failures[0].reason
    first = read_document(docs[0])  # type: ignore[arg-type]
    assert first.title == "Perbaikan jalan 1"
    assert first.canonical_url == f"{server}/artikel/1"
    assert first.dateline.place == "Jakarta"


def test_crawl_writes_warc_dedups_and_resumes(server: str, tmp_path: Path) -> None:
    out, state = tmp_path / "c.warc.gz", tmp_path / "c.state"
    seeds = [f"{server}/feed.xml", f"{server}/artikel/dup?utm_source=x", f"{server}/private/secret"]
    report = crawl(seeds, state=state, out=out, max_pages=2, max_depth=1, fetcher=fetcher())
    assert report.pages == 2  # stopped at the limit
    frontier = Frontier(state)
    queued = frontier.counts().get("queued", 0)
    frontier.close()
    assert queued > 0  # work left for the next run
    report2 = crawl(seeds, state=state, out=out, max_pages=50, max_depth=1, fetcher=fetcher())
    frontier = Frontier(state)
    # /artikel/dup names /artikel/1 as its canonical page: whichever came second is the duplicate
    states = {frontier.state_of(f"{server}/artikel/dup"), frontier.state_of(f"{server}/artikel/1")}
    assert states == {"done", "duplicate"}
    assert frontier.state_of(f"{server}/private/secret") == "failed"
    assert frontier.state_of(f"{server}/missing") == "failed"
    assert frontier.counts().get("queued", 0) == 0
    frontier.close()
    docs = [d for d in iter_documents(str(out)) if not isinstance(d, SourceFailure)]
    urls = [d.url for d in docs]
    assert len(urls) == len(set(urls)) == report.pages + report2.pages
    assert f"{server}/artikel/2" in urls and len({u for u in urls if "/artikel/1" in u or "/dup" in u}) == 1
    assert Handler.hits["/artikel/1"] == 1  # never fetched twice across the two runs
    titles = {read_document(d).title for d in docs}
    assert "Perbaikan jalan 2" in titles


def test_crawl_command(server: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from warta.cli import app

    out = tmp_path / "cli.warc.gz"
    result = CliRunner().invoke(app, ["crawl", f"{server}/feed.xml", "-o", str(out), "--delay", "0", "-q", "-n", "5"])
    assert result.exit_code == 0, result.output
    assert "2 page(s) written" in result.output
    assert "/missing: HTTP 404" in result.output
    docs = [d for d in iter_documents(str(out)) if not isinstance(d, SourceFailure)]
    assert len(docs) == 2
    assert (tmp_path / "cli.warc.gz.state").exists()
