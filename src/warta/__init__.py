"""warta: Indonesian online news into a clean record of who said what, where, when, and who copied whom.

The public API::

    import warta
    article = warta.parse("page.html", url="https://...")     # read one page or dump
    article = warta.analyze(article)                          # entities, quotes, sources, keywords
    store = warta.open_store("warta.db")                      # or "postgresql://..."
    warta.Pipeline(store=store).run(["dumps/", "feed.xml"])   # sources -> read -> understand -> group -> store
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.record import SCHEMA_ID, Article
from warta.understand import analyze

if TYPE_CHECKING:
    from warta.pipeline import Pipeline
    from warta.store import Store

__version__ = "0.1.0"


def parse(source: str | Path | bytes, *, url: str | None = None, content_type: str | None = None) -> Article:
    """Read one HTML page or text dump (a path, or the raw bytes) into an Article."""
    from warta.read import read_document
    from warta.sources.document import Document
    from warta.sources.files import document_from_path

    if isinstance(source, bytes):
        doc = Document(data=source, url=url, content_type=content_type)
    else:
        doc = document_from_path(Path(source), url=url)
        if content_type:
            doc.content_type = content_type
    return read_document(doc)


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating as needed) a store: a SQLite path or a ``postgresql://`` URL."""
    from warta.store import open_store as _open

    return _open(url)


def __getattr__(name: str) -> Any:
    if name == "Pipeline":
        from warta.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)


__all__ = ["SCHEMA_ID", "Article", "Pipeline", "__version__", "analyze", "open_store", "parse"]
