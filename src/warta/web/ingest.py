"""Ingest from the web API: an uploaded page or dump, or a URL fetched once, goes through the pipeline."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import httpx

from warta.record import Article
from warta.sources.document import Document
from warta.web.render import safe_href
from warta.web.views import IngestReport, WebWriter

MAX_FETCH = 8 * 1024 * 1024
USER_AGENT = "warta (+https://warta.invalid; one page on an operator's request)"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_and_analyze(doc: Document) -> tuple[Article | None, str | None]:
    """The article read from ``doc`` and analysed; or None with the reason it could not be read."""
    try:
        from warta.read import read_document

        article = read_document(doc)
    except ImportError as exc:
        return None, f"the reader is not available in this build: {exc}"
    except Exception as exc:  # a reader bug must not take the server down: report it
        return None, f"could not read {doc.source or doc.url or 'upload'}: {type(exc).__name__}: {exc}"
    try:
        from warta.understand import analyze

        article = analyze(article)
    except Exception as exc:
        article.provenance.warnings.append(f"analysis failed: {type(exc).__name__}: {exc}")
    return article, None


def ingest_bytes(writer: WebWriter, data: bytes, *, url: str | None, name: str | None) -> IngestReport:
    """One uploaded file (HTML page or text dump; gzip is unpacked)."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            return IngestReport(read=1, failed=1, errors=[f"{name}: broken gzip: {exc}"])
    doc = Document(data=data, url=url, source=f"upload:{name}" if name else "upload", fetched_at=_now())
    return writer.ingest_documents([doc])


def ingest_url(writer: WebWriter, url: str) -> IngestReport:
    """Fetch one http(s) page (bounded in size and time) and ingest it."""
    if safe_href(url) is None:
        return IngestReport(read=1, failed=1, errors=[f"{url!r}: only http and https URLs can be fetched"])
    try:
        with httpx.stream("GET", url, timeout=20, follow_redirects=True, headers={"user-agent": USER_AGENT}) as r:
            r.raise_for_status()
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > MAX_FETCH:
                    return IngestReport(read=1, failed=1, errors=[f"{url}: larger than {MAX_FETCH} bytes"])
                chunks.append(chunk)
            content_type = r.headers.get("content-type", "").split(";")[0].strip() or None
            final = str(r.url)
            encoding = r.charset_encoding
    except httpx.HTTPError as exc:
        return IngestReport(read=1, failed=1, errors=[f"{url}: {type(exc).__name__}: {exc}"])
    doc = Document(
        data=b"".join(chunks),
        url=final,
        source=url,
        fetched_at=_now(),
        content_type=content_type if content_type in ("text/html", "text/plain") else None,
        encoding=encoding,
    )
    return writer.ingest_documents([doc])
