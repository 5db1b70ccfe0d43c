"""Read: a `Document` becomes an `Article` (title, dates, outlet, dateline, credits, clean body...).

`read_document` detects whether the document is an HTML page or a text dump and hands it to the
matching reader. Both readers share one cleaning code path (`warta.read.clean`).
"""

from __future__ import annotations

from warta.read.decode import decode_document, looks_like_html
from warta.record import Article
from warta.sources.document import Document


def read_document(doc: Document) -> Article:
    """Read one document into an Article. Never raises on bad content: problems go to provenance."""
    text, warnings = decode_document(doc)
    is_html = doc.content_type == "text/html" or (doc.content_type is None and looks_like_html(text))
    if doc.content_type == "text/plain":
        is_html = False
    if is_html:
        from warta.read.html import read_html

        return read_html(text, doc, warnings=warnings)
    from warta.read.text import read_text

    return read_text(text, doc, warnings=warnings)


__all__ = ["read_document"]
