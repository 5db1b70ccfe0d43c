"""`warta crawl`: a polite crawler that writes what it fetches to a WARC file.

* Politeness comes from `warta.sources.fetch.Fetcher`: robots.txt (and its Crawl-delay), at most one
  request per ``delay`` seconds per host, retries with exponential backoff on timeouts, 429 and 5xx, a user
  agent that names the project and a contact, a size limit per response.
* The frontier is a SQLite file (``--state``): every URL with its depth, state, HTTP status, ETag and
  Last-Modified. Stop the crawl at any moment (Ctrl-C, kill) and run the same command again: it carries on
  with the queued URLs. Seeds that are feeds or sitemaps are polled again on every run with a conditional
  GET (If-None-Match / If-Modified-Since), so a re-run only downloads what changed.
* Canonical-URL dedup: tracking parameters are removed before a URL is queued, and a page whose
  ``<link rel=canonical>`` names a page already crawled is recorded as a duplicate and not written.
* Pages go to a WARC file (``--out``, gzip, appended to) that `warta ingest` reads.
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from warta.read.html_meta import clean_url, join_url
from warta.sources.feeds import is_feed, is_sitemap, parse_feed, parse_sitemap
from warta.sources.fetch import Fetcher, FetchResult
from warta.sources.web import fetch_article

#: Links to these are never pages.
_NOT_PAGES = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".pdf", ".zip", ".mp3", ".mp4",
    ".avi", ".mov", ".woff", ".woff2", ".ttf", ".xlsx", ".docx", ".pptx", ".gz", ".rar", ".exe", ".apk",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    depth INTEGER NOT NULL,
    kind TEXT NOT NULL,            -- seed, page, feed, sitemap
    state TEXT NOT NULL,           -- queued, done, failed, duplicate, unchanged
    added REAL NOT NULL,
    fetched_at TEXT,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    canonical TEXT,
    error TEXT,
    written INTEGER NOT NULL DEFAULT 0  -- 1 once the page is in the WARC file
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(state, depth, added);
CREATE TABLE IF NOT EXISTS canonicals (canonical TEXT PRIMARY KEY, url TEXT NOT NULL);
"""


class Frontier:
    """The crawl's state in a SQLite file: what is queued, what was fetched, with what validators."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(_SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def add(self, url: str, *, depth: int, kind: str) -> bool:
        """Queue ``url`` unless it is known already; True when it was added."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls(url, depth, kind, state, added) VALUES (?, ?, ?, 'queued', ?)",
            (url, depth, kind, time.time()),
        )
        self.db.commit()
        return cur.rowcount > 0

    def requeue(self, url: str) -> None:
        """Queue a known URL again (a seed polled on every run); its validators are kept."""
        self.db.execute("UPDATE urls SET state = 'queued', added = ? WHERE url = ?", (time.time(), url))
        self.db.commit()

    def next(self) -> tuple[str, int, str, str | None, str | None] | None:
        """(url, depth, kind, etag, last_modified) of the next queued URL, shallowest first."""
        row = self.db.execute(
            "SELECT url, depth, kind, etag, last_modified FROM urls WHERE state = 'queued' ORDER BY depth, added LIMIT 1"
        ).fetchone()
        return tuple(row) if row else None  # type: ignore[return-value]

    def done(self, url: str, state: str, result: FetchResult | None = None, *, canonical: str | None = None) -> None:
        if result is None:
            self.db.execute("UPDATE urls SET state = ?, error = NULL WHERE url = ?", (state, url))
        else:
            self.db.execute(
                "UPDATE urls SET state = ?, fetched_at = ?, status = ?, etag = COALESCE(?, etag), "
                "last_modified = COALESCE(?, last_modified), canonical = COALESCE(?, canonical), error = ? WHERE url = ?",
                (state, result.fetched_at, result.status, result.etag, result.last_modified, canonical, result.error, url),
            )
        self.db.commit()

    def claim_canonical(self, canonical: str, url: str) -> str | None:
        """Record that ``url`` is the page for ``canonical``; returns the other URL when one had it first."""
        row = self.db.execute("SELECT url FROM canonicals WHERE canonical = ?", (canonical,)).fetchone()
        if row and row[0] != url:
            return str(row[0])
        self.db.execute("INSERT OR IGNORE INTO canonicals(canonical, url) VALUES (?, ?)", (canonical, url))
        self.db.commit()
        return None

    def counts(self) -> dict[str, int]:
        return {state: n for state, n in self.db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state")}

    def failures(self, limit: int = 50) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT url, error FROM urls WHERE state = 'failed' ORDER BY added LIMIT ?", (limit,))
        return [(u, e or "") for u, e in rows]

    def mark_written(self, url: str) -> None:
        self.db.execute("UPDATE urls SET written = 1 WHERE url = ?", (url,))
        self.db.commit()

    def was_written(self, url: str) -> bool:
        row = self.db.execute("SELECT written FROM urls WHERE url = ?", (url,)).fetchone()
        return bool(row and row[0])

    def state_of(self, url: str) -> str | None:
        row = self.db.execute("SELECT state FROM urls WHERE url = ?", (url,)).fetchone()
        return str(row[0]) if row else None


@dataclass
class CrawlReport:
    pages: int = 0  # pages written to the WARC file
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    feeds: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


class WarcOut:
    """Append response records to a gzipped WARC file (warcio)."""

    def __init__(self, path: str | Path) -> None:
        from warcio.warcwriter import WARCWriter

        self._handle = Path(path).open("ab")  # noqa: SIM115 - held open for the whole crawl, closed by close()
        self._writer = WARCWriter(self._handle, gzip=True)

    def write(self, result: FetchResult) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        # The body is stored decoded, so the transfer headers that described the wire form must go.
        drop = {"content-encoding", "transfer-encoding", "content-length"}
        headers = [(k, v) for k, v in result.headers.items() if k not in drop]
        headers.append(("Content-Length", str(len(result.data))))
        http = StatusAndHeaders(f"{result.status} OK", headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            result.final_url, "response", payload=io.BytesIO(result.data), http_headers=http,
            warc_headers_dict={"WARC-Date": result.fetched_at.replace("+00:00", "Z")},
        )
        self._writer.write_record(record)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def _same_site(a: str, b: str) -> bool:
    try:
        ha = (urlsplit(a).hostname or "").removeprefix("www.")
        hb = (urlsplit(b).hostname or "").removeprefix("www.")
    except ValueError:
        return False
    return ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)


def _links(result: FetchResult) -> tuple[list[str], str | None]:
    """(links on the page, its canonical URL) from an HTML response."""
    from selectolax.lexbor import LexborHTMLParser

    text = result.data[:4_000_000].decode(result.charset or "utf-8", errors="replace")
    parser = LexborHTMLParser(text)
    canonical = None
    node = parser.css_first('link[rel="canonical"]')
    if node is not None and node.attributes.get("href"):
        canonical = clean_url(join_url(result.final_url, node.attributes["href"] or ""))
    links = []
    for a in parser.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        joined = join_url(result.final_url, href)
        if joined:
            links.append(joined)
    return links, canonical


def crawl(
    seeds: Iterable[str],
    *,
    state: str | Path,
    out: str | Path,
    max_pages: int = 100,
    max_depth: int = 1,
    same_site: bool = True,
    fetcher: Fetcher | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> CrawlReport:
    """Crawl from ``seeds`` until ``max_pages`` pages are written or nothing is left to fetch."""
    frontier = Frontier(state)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    warc = WarcOut(out)
    report = CrawlReport()
    seed_list = []
    try:
        for seed in seeds:
            url = clean_url(seed)
            if url is None:
                report.failed += 1
                report.failures.append((seed, "not an http(s) URL"))
                continue
            seed_list.append(url)
            if not frontier.add(url, depth=0, kind="seed"):
                frontier.requeue(url)  # seeds (front pages, feeds, sitemaps) are polled on every run
        while report.pages < max_pages:
            item = frontier.next()
            if item is None:
                break
            url, depth, kind, etag, last_modified = item
            result = fetch_article(fetcher, url, etag=etag, last_modified=last_modified)
            if result.not_modified:
                frontier.done(url, "unchanged", result)
                report.unchanged += 1
                _say(progress, "unchanged", url)
                continue
            if result.error:
                frontier.done(url, "failed", result)
                report.failed += 1
                report.failures.append((url, result.error))
                _say(progress, "failed", f"{url}: {result.error}")
                continue
            data = result.data
            if is_feed(data) or is_sitemap(data):
                report.feeds += 1
                if is_sitemap(data):
                    entries, children, _warnings = parse_sitemap(data)
                    for child in children:
                        c = clean_url(child)
                        if c and not frontier.add(c, depth=depth, kind="sitemap") and kind == "seed":
                            frontier.requeue(c)
                else:
                    entries, _warnings = parse_feed(data, base_url=result.final_url)
                for entry in entries:
                    target = clean_url(entry.url)
                    if target:
                        frontier.add(target, depth=depth + 1, kind="page")
                frontier.done(url, "done", result)
                _say(progress, "feed", f"{url}: {len(entries)} entries")
                continue
            ctype = result.content_type or ""
            if ctype and "html" not in ctype and "xml" not in ctype and not ctype.startswith("text/"):
                result.error = f"not a page ({ctype})"
                frontier.done(url, "failed", result)
                report.failed += 1
                report.failures.append((url, result.error))
                continue
            links, canonical = _links(result)
            canonical = canonical or clean_url(result.final_url)
            if canonical:
                first = frontier.claim_canonical(canonical, url)
                if first is not None:
                    frontier.done(url, "duplicate", result, canonical=canonical)
                    report.duplicates += 1
                    _say(progress, "duplicate", f"{url} = {first}")
                    continue
            if frontier.was_written(url):  # a seed page polled again: only its new links matter
                report.unchanged += 1
                frontier.done(url, "done", result, canonical=canonical)
            else:
                warc.write(result)
                report.pages += 1
                frontier.done(url, "done", result, canonical=canonical)
                frontier.mark_written(url)
                _say(progress, "page", url)
            if depth < max_depth:
                for link in links:
                    target = clean_url(link)
                    if not target or target.lower().split("?")[0].endswith(_NOT_PAGES):
                        continue
                    if same_site and not any(_same_site(target, s) for s in seed_list + [url]):
                        continue
                    frontier.add(target, depth=depth + 1, kind="page")
        report.failures = frontier.failures() or report.failures
        return report
    finally:
        warc.close()
        frontier.close()
        if own_fetcher:
            fetcher.close()


def _say(progress: Callable[[str, str], None] | None, what: str, detail: str) -> None:
    if progress is not None:
        progress(what, detail)
