"""Sources: turn paths, URLs, feeds, WARC files and datasets into `Document`s."""

from warta.sources.document import Document

__all__ = ["Document"]
