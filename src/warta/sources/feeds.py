"""RSS/Atom feeds (feedparser) and sitemaps, including Google News sitemaps.

A feed entry carries a title, a link, a date, authors, tags and often the article's text (``content`` or
``description``). `entry_document` turns an entry into a `Document` of its own (an HTML fragment with the
entry's fields), for when the linked pages are not fetched; when they are, the entry's fields ride along
with the page (``Document.fields``) so that a page without a date still gets the feed's date.
"""

from __future__ import annotations

import email.utils
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from warta.sources.document import Document

_XML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?xml-stylesheet[^>]*>\s*)*<([A-Za-z_][\w:.-]*)", re.S)


@dataclass
class FeedEntry:
    url: str | None
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    content_html: str | None = None


def xml_root(data: bytes) -> str | None:
    """The root element's local name of an XML document ("rss", "feed", "urlset", ...), or None."""
    m = _XML_HEAD.match(data[:4096].lstrip(b"\xef\xbb\xbf"))
    if not m:
        return None
    return m.group(1).decode("ascii", "replace").split(":")[-1].lower()


def is_feed(data: bytes) -> bool:
    return xml_root(data) in ("rss", "feed", "rdf")


def is_sitemap(data: bytes) -> bool:
    return xml_root(data) in ("urlset", "sitemapindex")


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is not None:
        return when.isoformat()
    from warta.read.html_meta import to_iso

    return to_iso(value, default_offset=None)


_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$|^\s*(?P<name2>[^<(@]+?)\s*[<(]\s*\S+@\S+\s*[>)]\s*$")


def _authors(entry: dict[str, object]) -> list[str]:
    """Authors of an entry; "mail@host (Name)" and "Name <mail@host>" give Name, a bare address nothing."""
    raw = entry.get("author")
    values = [raw] if isinstance(raw, str) and raw.strip() else []
    if not values:
        for a in entry.get("authors") or []:  # type: ignore[attr-defined]
            if isinstance(a, dict) and a.get("name"):
                values.append(a["name"])
    names = []
    for value in values:
        m = _EMAIL_NAME.match(value)
        if m:
            value = m.group("name") or m.group("name2") or ""
        elif "@" in value:
            continue
        value = value.strip()
        if value:
            names.append(value)
    return names


_HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")


def parse_feed(data: bytes, *, base_url: str | None = None) -> tuple[list[FeedEntry], list[str]]:
    """Entries of an RSS/Atom feed, and warnings (a feed that is not well-formed is still read)."""
    import feedparser

    headers = {"content-type": "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(data, response_headers=headers)
    warnings = []
    if parsed.get("bozo") and not parsed.entries:
        warnings.append(f"feed: not a readable feed ({parsed.get('bozo_exception')})")
    elif parsed.get("bozo") and type(parsed.get("bozo_exception")).__name__ not in _HARMLESS:
        warnings.append(f"feed: not well-formed XML ({parsed.get('bozo_exception')}); read what could be read")
    entries = []
    for e in parsed.entries:
        authors = _authors(e)
        content = None
        if e.get("content"):
            content = max((c.get("value") or "" for c in e["content"]), key=len) or None
        summary = e.get("summary")
        if not content or (summary and len(summary) > len(content)):
            content = summary or content
        entries.append(
            FeedEntry(
                url=(e.get("link") or "").strip() or None,
                title=html.unescape((e.get("title") or "").strip()) or None,
                published=_iso(e.get("published") or e.get("updated") or e.get("dc_date")),
                authors=authors,
                tags=[t.get("term", "").strip() for t in e.get("tags") or [] if (t.get("term") or "").strip()],
                content_html=content,
            )
        )
    return entries, warnings


def parse_sitemap(data: bytes) -> tuple[list[FeedEntry], list[str], list[str]]:
    """(page entries, child sitemap URLs, warnings) of a sitemap or sitemap index (news: tags read)."""
    from lxml import etree

    warnings: list[str] = []
    try:
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        return [], [], [f"sitemap: not readable XML ({exc})"]
    if root is None:
        return [], [], ["sitemap: empty document"]
    entries: list[FeedEntry] = []
    children: list[str] = []

    def local(tag: object) -> str:
        return str(tag).rsplit("}", 1)[-1].lower()

    for node in root:
        kind = local(node.tag)
        loc = next((c.text.strip() for c in node if local(c.tag) == "loc" and c.text), None)
        if not loc:
            continue
        if kind == "sitemap":
            children.append(loc)
            continue
        if kind != "url":
            continue
        entry = FeedEntry(url=loc)
        for c in node.iter():
            name = local(c.tag)
            text = (c.text or "").strip()
            if not text:
                continue
            if name == "title" and entry.title is None:
                entry.title = html.unescape(text)
            elif name == "publication_date" or (name == "lastmod" and entry.published is None):
                entry.published = _iso(text)
            elif name == "keywords":
                entry.tags = [k.strip() for k in text.split(",") if k.strip()]
        entries.append(entry)
    return entries, children, warnings


def entry_fields(entry: FeedEntry) -> dict[str, str]:
    fields: dict[str, str] = {}
    if entry.title:
        fields["title"] = entry.title
    if entry.published:
        fields["published"] = entry.published
    if entry.authors:
        fields["author"] = ", ".join(entry.authors)
    if entry.tags:
        fields["tags"] = ", ".join(entry.tags)
    if entry.url:
        fields["url"] = entry.url
    return fields


def entry_document(entry: FeedEntry, *, source: str) -> Document | None:
    """A `Document` made of the entry itself (its text as an HTML fragment), or None when it has no text."""
    if not entry.content_html or not entry.content_html.strip():
        return None
    body = entry.content_html
    if "<" not in body:  # plain text: one paragraph per line
        body = "".join(f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line.strip())
    title = html.escape(entry.title or "")
    page = f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>{body}</article></body></html>"
    return Document(
        text=page,
        url=entry.url,
        source=source,
        fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        content_type="text/html",
        fields=entry_fields(entry),
    )
