"""URLs as sources: a page, a feed or a sitemap fetched with the polite `Fetcher`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warta.sources.document import Document
from warta.sources.failure import SourceFailure
from warta.sources.feeds import (
    entry_document,
    entry_fields,
    is_feed,
    is_sitemap,
    parse_feed,
    parse_sitemap,
)

#: Pages fetched for one feed or sitemap unless told otherwise.
DEFAULT_MAX_PAGES = 500
#: How deep sitemap indexes are followed.
MAX_SITEMAP_DEPTH = 3


def result_document(result: Any, *, fields: dict[str, str] | None = None) -> Document:
    """A `Document` from a successful `FetchResult`."""
    ctype = result.content_type
    return Document(
        data=result.data,
        url=result.final_url,
        source=result.url,
        fetched_at=result.fetched_at,
        content_type="text/html" if ctype and "html" in ctype else None,
        encoding=result.charset,
        fields=dict(fields or {}),
    )


def fetch_article(fetcher: Any, url: str, **kw: Any) -> Any:
    """Fetch a page, asking for the whole article on one page when its outlet offers that ("?page=all")."""
    from warta.read.html_pages import single_page_url

    whole = single_page_url(url)
    if whole and whole != url:
        result = fetcher.fetch(whole, **kw)
        if not result.error:
            return result
    return fetcher.fetch(url, **kw)


def iter_url(url: str, fetcher: Any, *, fetch: bool = True, max_pages: int | None = None) -> Iterator[Document | SourceFailure]:
    result = fetch_article(fetcher, url)
    if result.error or result.not_modified:
        yield SourceFailure(url, result.error or "not modified")
        return
    data = result.data
    if is_feed(data) or is_sitemap(data):
        yield from iter_feed_bytes(
            data, source=url, base_url=result.final_url, fetcher=fetcher if fetch else None, max_pages=max_pages
        )
        return
    yield result_document(result)


def iter_feed_bytes(
    data: bytes,
    *,
    source: str,
    base_url: str | None,
    fetcher: Any | None,
    max_pages: int | None = None,
    depth: int = 0,
) -> Iterator[Document | SourceFailure]:
    """Documents of a feed or sitemap: each entry's page when ``fetcher`` is given, else the entry itself."""
    limit = DEFAULT_MAX_PAGES if max_pages is None else max_pages
    if is_sitemap(data):
        entries, children, warnings = parse_sitemap(data)
        for warning in warnings:
            yield SourceFailure(source, warning)
        if fetcher is None:
            if entries or children:
                yield SourceFailure(
                    source,
                    f"sitemap lists {len(entries)} page(s) and {len(children)} sitemap(s); fetching is off "
                    "(give the sitemap's URL, or use `warta crawl`)",
                )
            return
        if depth < MAX_SITEMAP_DEPTH:
            for child in children:
                result = fetcher.fetch(child)
                if result.error or result.not_modified:
                    yield SourceFailure(child, result.error or "not modified")
                    continue
                yield from iter_feed_bytes(
                    result.data, source=child, base_url=result.final_url, fetcher=fetcher, max_pages=max_pages, depth=depth + 1
                )
    else:
        entries, warnings = parse_feed(data, base_url=base_url)
        for warning in warnings:
            yield SourceFailure(source, warning)
    if len(entries) > limit:
        yield SourceFailure(source, f"{len(entries)} entries; only the first {limit} were read")
        entries = entries[:limit]
    for index, entry in enumerate(entries, 1):
        where = f"{source}#{index}"
        if fetcher is not None and entry.url:
            result = fetch_article(fetcher, entry.url)
            if not result.error and not result.not_modified:
                yield result_document(result, fields=_carry(entry_fields(entry)))
                continue
            doc = entry_document(entry, source=where)
            if doc is None:
                yield SourceFailure(entry.url, result.error or "not modified")
                continue
            yield doc  # the page could not be fetched; the entry's own text is better than nothing
            continue
        doc = entry_document(entry, source=where)
        if doc is None:
            yield SourceFailure(where, "feed entry has no text and its page is not fetched")
            continue
        yield doc


def _carry(fields: dict[str, str]) -> dict[str, str]:
    """What a fetched page keeps from its feed entry: only fallbacks, under names the reader knows."""
    out = {}
    if "published" in fields:
        out["feed_published"] = fields["published"]
    if "title" in fields:
        out["feed_title"] = fields["title"]
    if "author" in fields:
        out["feed_author"] = fields["author"]
    if "tags" in fields:
        out["feed_tags"] = fields["tags"]
    return out
