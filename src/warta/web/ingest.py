"""Ingest from the web API: one uploaded page or dump goes through read -> understand into the store."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from warta.record import Article
from warta.sources.document import Document
from warta.web.views import IngestReport, WebWriter


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
    except ImportError as exc:
        article.provenance.warnings.append(f"not analysed: {exc}")
    except Exception as exc:
        article.provenance.warnings.append(f"analysis failed: {type(exc).__name__}: {exc}")
    return article, None


def ingest_bytes(writer: WebWriter, data: bytes, *, url: str | None, name: str | None) -> IngestReport:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            return IngestReport(read=1, failed=1, errors=[f"{name}: broken gzip: {exc}"])
    doc = Document(
        data=data, url=url, source=f"upload:{name}" if name else "upload", fetched_at=datetime.now(UTC).isoformat()
    )
    article, error = read_and_analyze(doc)
    if article is None:
        return IngestReport(read=1, failed=1, errors=[error or "unreadable"])
    return writer.ingest_articles([article])
