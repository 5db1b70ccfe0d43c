"""The `Document`: what the sources stage hands to the readers."""

from __future__ import annotations

import msgspec


class Document(msgspec.Struct, kw_only=True):
    """Raw bytes (or already-decoded text) of one page or dump, with where it came from.

    ``content_type`` is a hint: ``text/html``, ``text/plain`` (a text dump), or ``None`` to let the
    reader detect it. ``encoding`` is the charset declared by the transport (HTTP header, WARC), if any.
    ``fields`` carries already-split columns from a dataset row (title, published, ...).
    """

    data: bytes | None = None
    text: str | None = None
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    fields: dict[str, str] = msgspec.field(default_factory=dict)
