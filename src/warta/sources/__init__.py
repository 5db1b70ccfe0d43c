"""Sources: turn paths, URLs, feeds, WARC files and datasets into `Document`s.

The one entry point is `iter_documents`::

    from warta.sources import iter_documents, SourceFailure

    for item in iter_documents(["pages/", "crawl.warc.gz", "https://example.id/rss"],
                               columns={"title": "judul", "body": "isi_berita"}):
        if isinstance(item, SourceFailure):
            print("could not read", item.source, item.reason)
        else:
            article = warta.read.read_document(item)

What each source may be, and how it is recognised (by name first, then by content):

==============================  ==================================================================
folder                          every readable file inside it, recursively, in name order
``.html`` ``.htm`` ``.xhtml``   one HTML page (``.gz`` read transparently, for every kind)
``.txt`` ``.text``              one text dump (a page copied as text)
``.warc`` ``.warc.gz``          response records of a web archive (FastWARC); truncated records are
                                reported as `SourceFailure` and skipped, the rest are read
``.wet`` ``.wet.gz``            the plain-text conversion records of a web archive, as text dumps
``.arc`` ``.arc.gz``            the older ARC archive format (warcio)
``.rss`` ``.atom`` ``.xml``     an RSS/Atom feed (feedparser) or a (news) sitemap: one document per
                                entry, made of the entry's own text, or of its linked page when
                                fetching is on
``.csv`` ``.tsv`` ``.jsonl``    a dataset of scraped articles, one per row; ``columns`` maps warta's
``.ndjson``                     fields to its columns (``{"title": "judul", "url": "tautan",
                                "published": "tanggal", "body": "isi_berita"}``); the body goes to
                                ``Document.text`` (``text/plain``), the rest to ``Document.fields``
``http://`` ``https://``        fetched politely (robots.txt, one request per second per host, retries);
                                a feed or sitemap URL yields its entries' pages
==============================  ==================================================================

``fetch`` says whether the pages linked from feeds and sitemaps are downloaded: by default they are when
the feed itself came from the web, and not for a feed file on disk (its entries' own text is read).

Nothing raises for a bad input: each input (or record, or row) that cannot be read is yielded as a
`SourceFailure` naming it and saying why, and the others are still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from warta.sources.document import Document
from warta.sources.failure import SourceFailure

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".txt", ".text")
WARC_SUFFIXES = (".warc", ".wet", ".arc")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
DATASET_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
#: Files in a folder that are read; anything else (images, scripts, notes) is passed over.
FOLDER_SUFFIXES = PAGE_SUFFIXES + WARC_SUFFIXES + FEED_SUFFIXES + DATASET_SUFFIXES

__all__ = ["Document", "SourceFailure", "iter_documents"]


def _kind(path: Path) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".arc"):
        return "arc"
    if name.endswith((".warc", ".wet")):
        return "warc"
    if name.endswith(DATASET_SUFFIXES):
        return "dataset"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    return None


def _sniff(path: Path) -> str:
    """The kind of a file whose name does not say, from its first bytes."""
    import gzip

    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(8192)
    except (OSError, EOFError):
        return "page"  # the page reader reports the unreadable file
    from warta.sources.datasets import sniff_dataset
    from warta.sources.feeds import is_feed, is_sitemap

    if head.startswith((b"WARC/", b"\r\nWARC/")):
        return "warc"
    if is_feed(head) or is_sitemap(head):
        return "feed"
    if sniff_dataset(head):
        return "dataset"
    return "page"


def _folder_files(folder: Path) -> list[Path]:
    files = []
    for p in folder.rglob("*"):
        if p.name.startswith(".") or any(part.startswith(".") for part in p.relative_to(folder).parts[:-1]):
            continue
        if p.is_file() and p.name.lower().removesuffix(".gz").endswith(FOLDER_SUFFIXES):
            files.append(p)
    return sorted(files)


def iter_documents(
    source: str | Path | Iterable[str | Path],
    *,
    columns: dict[str, str] | None = None,
    fetch: bool | None = None,
    fetcher: object | None = None,
    max_pages: int | None = None,
) -> Iterator[Document | SourceFailure]:
    """Documents from one source or several (see the module docstring for what a source may be).

    ``fetcher`` is a `warta.sources.fetch.Fetcher` to share politeness state (one is made when a URL
    needs it); ``max_pages`` caps the pages fetched for one feed or sitemap.
    """
    sources = [source] if isinstance(source, str | Path) else list(source)
    state: dict[str, object] = {"fetcher": fetcher}
    try:
        for item in sources:
            yield from _one(str(item), columns=columns, fetch=fetch, state=state, max_pages=max_pages)
    finally:
        made = state.get("made")
        if made is not None:
            made.close()  # type: ignore[attr-defined]


def _get_fetcher(state: dict[str, object]) -> object:
    if state.get("fetcher") is None:
        from warta.sources.fetch import Fetcher

        state["fetcher"] = state["made"] = Fetcher()
    return state["fetcher"]


def _one(
    source: str, *, columns: dict[str, str] | None, fetch: bool | None, state: dict[str, object], max_pages: int | None
) -> Iterator[Document | SourceFailure]:
    if source.startswith(("http://", "https://")):
        from warta.sources.web import iter_url

        yield from iter_url(source, _get_fetcher(state), fetch=True if fetch is None else fetch, max_pages=max_pages)
        return
    if source == "-":
        from warta.sources.files import FileReadError, document_from_path

        try:
            yield document_from_path(Path("-"))
        except FileReadError as exc:
            yield SourceFailure("-", str(exc))
        return
    path = Path(source)
    if path.is_dir():
        files = _folder_files(path)
        if not files:
            yield SourceFailure(source, "folder holds no file warta can read (html, txt, warc, feeds, csv/jsonl)")
        for file in files:
            yield from _file(file, columns=columns, fetch=fetch, state=state, max_pages=max_pages)
        return
    if not path.exists():
        yield SourceFailure(source, "no such file or folder")
        return
    yield from _file(path, columns=columns, fetch=fetch, state=state, max_pages=max_pages)


def _file(
    path: Path, *, columns: dict[str, str] | None, fetch: bool | None, state: dict[str, object], max_pages: int | None
) -> Iterator[Document | SourceFailure]:
    kind = _kind(path) or _sniff(path)
    if kind == "feed" and path.name.lower().removesuffix(".gz").endswith(".xml"):
        kind = _sniff(path)  # an .xml file may be a feed, a sitemap, or a page
    try:
        if kind == "warc":
            from warta.sources.warc import iter_warc

            yield from iter_warc(path)
        elif kind == "arc":
            from warta.sources.warc import iter_arc

            yield from iter_arc(path)
        elif kind == "dataset":
            from warta.sources.datasets import iter_dataset

            yield from iter_dataset(path, columns=columns)
        elif kind == "feed":
            from warta.sources.files import FileReadError, read_bytes
            from warta.sources.web import iter_feed_bytes

            try:
                data = read_bytes(path)
            except FileReadError as exc:
                yield SourceFailure(str(path), str(exc))
                return
            fetcher = _get_fetcher(state) if fetch else None
            yield from iter_feed_bytes(data, source=str(path), base_url=None, fetcher=fetcher, max_pages=max_pages)
        else:
            from warta.sources.files import FileReadError, document_from_path

            try:
                yield document_from_path(path)
            except FileReadError as exc:
                yield SourceFailure(str(path), str(exc))
    except OSError as exc:
        yield SourceFailure(str(path), exc.strerror or str(exc))
