"""A polite HTTP fetcher: robots.txt, a per-host rate limit, retries with backoff, conditional GET.

Used by URL sources, feeds and `warta crawl`. It never raises for a bad response: every outcome is a
`FetchResult` whose ``error`` says what went wrong (robots.txt forbids it, 404, a redirect loop, a page
over the size limit, a timeout after the retries...).
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from warta import __version__ as _version

USER_AGENT = (
    f"warta/{_version} (news research crawler; +https://github.com/warta-news/warta; "
    "contact: warta-crawler@users.noreply.github.com)"
)
#: Bigger responses are refused: no article page needs more.
MAX_BYTES = 16 * 1024 * 1024


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    fetched_at: str = ""
    not_modified: bool = False  # 304 to a conditional GET
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.not_modified

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";")[0].strip().lower() if value else None

    @property
    def charset(self) -> str | None:
        value = self.headers.get("content-type") or ""
        for part in value.split(";")[1:]:
            key, _, val = part.partition("=")
            if key.strip().lower() == "charset" and val.strip():
                return val.strip().strip("\"'")
        return None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Fetcher:
    """Fetch URLs politely. One instance keeps the per-host clocks and robots.txt rules.

    ``delay`` is the minimum time between two requests to one host (a robots.txt Crawl-delay that is
    longer wins, up to ``max_delay``); failed requests (timeouts, 429, 5xx) are retried ``retries``
    times after ``backoff`` * 2^n seconds (or the server's Retry-After, up to ``max_delay``).
    """

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        delay: float = 1.0,
        max_delay: float = 30.0,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = 10,
        respect_robots: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.max_delay = max_delay
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            timeout=timeout,
            follow_redirects=True,
            max_redirects=max_redirects,
            transport=transport,
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------------------------

    def _wait(self, url: str) -> None:
        host = _host_key(url)
        delay = min(max(self.delay, self._crawl_delay(host)), self.max_delay)
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else last + delay - now
            self._last[host] = max(now, (last or now) + delay) if wait > 0 else now
        if wait > 0:
            time.sleep(wait)

    def _crawl_delay(self, host: str) -> float:
        rules = self._robots.get(host)
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            value = rules.crawl_delay(self.user_agent)
            if value:
                return float(value)
        return 0.0

    def robots_verdict(self, url: str) -> str | None:
        """None when robots.txt lets us fetch ``url``, else the reason it does not."""
        if not self.respect_robots:
            return None
        host = _host_key(url)
        rules = self._robots.get(host)
        if rules is None:
            rules = self._load_robots(host)
            self._robots[host] = rules
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.user_agent, url):
            return "robots.txt does not allow this URL"
        return None

    def _load_robots(self, host: str) -> urllib.robotparser.RobotFileParser | str:
        parser = urllib.robotparser.RobotFileParser()
        robots_url = f"{host}/robots.txt"
        result = self._get(robots_url, {}, check_robots=False)
        if result.error and result.status == 0:
            return f"robots.txt could not be fetched ({result.error}); not crawling {host}"
        if result.status >= 500:
            return f"robots.txt answered HTTP {result.status}; not crawling {host} until it answers"
        if 400 <= result.status < 500:
            parser.parse([])  # no robots.txt: everything is allowed
            return parser
        parser.parse(result.data.decode("utf-8", errors="replace").splitlines())
        return parser

    # -- fetching ------------------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` politely. With ``etag``/``last_modified`` the request is conditional."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return FetchResult(url, url, error="not a valid URL", fetched_at=_now())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return FetchResult(url, url, error="only http(s) URLs can be fetched", fetched_at=_now())
        url = urlunsplit(parts)
        verdict = self.robots_verdict(url)
        if verdict:
            return FetchResult(url, url, error=verdict, fetched_at=_now())
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=True)

    def _get(self, url: str, headers: dict[str, str], *, check_robots: bool) -> FetchResult:
        attempt = 0
        while True:
            self._wait(url)
            result = self._once(url, headers)
            retry_after = _retry_after(result.headers.get("retry-after")) if result.headers else None
            transient = result.status in (408, 425, 429, 500, 502, 503, 504) or (result.status == 0 and result.error and "timed out" in result.error)
            transient = transient or (result.status == 0 and result.error is not None and result.error.startswith("connection"))
            if not transient or attempt >= self.retries:
                if attempt and result.error:
                    result.error += f" (after {attempt + 1} attempts)"
                return result
            pause = retry_after if retry_after is not None else self.backoff * (2**attempt)
            time.sleep(min(pause, self.max_delay))
            attempt += 1

    def _once(self, url: str, headers: dict[str, str]) -> FetchResult:
        fetched_at = _now()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                result = FetchResult(
                    url,
                    str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    fetched_at=fetched_at,
                )
                if response.status_code == 304:
                    result.not_modified = True
                    return result
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    result.error = f"response is {int(declared) / 1e6:.0f} MB, over the {self.max_bytes // 2**20} MiB limit"
                    return result
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        result.error = f"response is over the {self.max_bytes // 2**20} MiB limit; not read"
                        return result
                    chunks.append(chunk)
                result.data = b"".join(chunks)
                if response.status_code >= 400:
                    result.error = f"HTTP {response.status_code}"
                return result
        except httpx.TooManyRedirects:
            return FetchResult(url, url, error="redirect loop (too many redirects)", fetched_at=fetched_at)
        except httpx.TimeoutException:
            return FetchResult(url, url, error="timed out", fetched_at=fetched_at)
        except httpx.DecodingError as exc:
            return FetchResult(url, url, error=f"broken content encoding ({exc})", fetched_at=fetched_at)
        except (httpx.TransportError, OSError) as exc:
            return FetchResult(url, url, error=f"connection failed ({exc.__class__.__name__}: {exc})", fetched_at=fetched_at)
        except httpx.HTTPError as exc:  # anything else httpx can raise (invalid URL, protocol errors)
            return FetchResult(url, url, error=f"request failed ({exc.__class__.__name__}: {exc})", fetched_at=fetched_at)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
