"""The Article record: warta's public format.

Every stage passes these typed records along. They are msgspec Structs, immutable by
convention: a stage returns a new record with ``msgspec.structs.replace`` instead of
mutating the one it was given. The JSON form (``to_json``) is the project's public format
and ``article_schema()`` gives its JSON Schema, versioned by ``SCHEMA_ID``.

Offsets (``Mention.start``/``end``, ``Quote.start``/``end``) are character offsets into
``Article.body[paragraph]``.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

import msgspec

SCHEMA_ID = "warta.article/1"

SourceKind = Literal["news_agency", "media", "social", "official", "other"]
EntityType = Literal["PER", "ORG", "LOC"]
QuoteKind = Literal["direct", "indirect"]


class Dateline(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Place and outlet read off the first paragraph ("JAKARTA, KOMPAS.com -")."""

    place: str | None = None
    outlet: str | None = None


class Image(msgspec.Struct, kw_only=True):
    url: str | None = None
    caption: str | None = None
    credit: str | None = None


class Link(msgspec.Struct, kw_only=True):
    """A related article ("Baca Juga: ...") with its URL when the page gave one."""

    title: str
    url: str | None = None


class Source(msgspec.Struct, kw_only=True):
    """A source the article cites: a wire agency, another outlet, a social post, an official."""

    name: str
    kind: SourceKind = "other"
    evidence: list[str] = msgspec.field(default_factory=list)


class Mention(msgspec.Struct, kw_only=True):
    """A span of ``body[paragraph]``. ``text`` is the surface form; for a clitic such as
    "Menurutnya" the span covers "nya" and ``text`` is written "-nya"."""

    paragraph: int
    start: int
    end: int
    text: str


class Entity(msgspec.Struct, kw_only=True):
    id: str
    name: str
    type: EntityType
    role: str | None = None
    role_aliases: list[str] = msgspec.field(default_factory=list)
    aliases: list[str] = msgspec.field(default_factory=list)
    mentions: list[Mention] = msgspec.field(default_factory=list)


class Speaker(msgspec.Struct, kw_only=True):
    name: str | None = None
    entity_id: str | None = None
    mention: Mention | None = None


class Quote(msgspec.Struct, kw_only=True):
    paragraph: int
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None = None
    speaker: Speaker = msgspec.field(default_factory=Speaker)


class Syndication(msgspec.Struct, kw_only=True):
    """Where this article stands in a group of copies of one piece."""

    group_id: str
    original_id: str | None = None
    is_original: bool = False
    wire_source: str | None = None
    added: list[str] = msgspec.field(default_factory=list)
    removed: list[str] = msgspec.field(default_factory=list)


class Provenance(msgspec.Struct, kw_only=True):
    reader: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    warnings: list[str] = msgspec.field(default_factory=list)


class Article(msgspec.Struct, kw_only=True):
    """One news article, as warta reads it. See ../shared/DESIGN.md for each field."""

    schema: str = SCHEMA_ID
    id: str = ""
    url: str | None = None
    canonical_url: str | None = None
    domain: str | None = None
    outlet: str | None = None
    language: str | None = None
    title: str | None = None
    subtitle: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    dateline: Dateline = msgspec.field(default_factory=Dateline)
    authors: list[str] = msgspec.field(default_factory=list)
    editors: list[str] = msgspec.field(default_factory=list)
    image: Image | None = None
    body: list[str] = msgspec.field(default_factory=list)
    related: list[Link] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    sources: list[Source] = msgspec.field(default_factory=list)
    entities: list[Entity] = msgspec.field(default_factory=list)
    quotes: list[Quote] = msgspec.field(default_factory=list)
    keywords: list[str] = msgspec.field(default_factory=list)
    summary: str | None = None
    duplicate_of: str | None = None
    syndication: Syndication | None = None
    story_id: str | None = None
    provenance: Provenance = msgspec.field(default_factory=Provenance)


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Article)


def make_id(
    canonical_url: str | None,
    outlet: str | None = None,
    title: str | None = None,
    published_at: str | None = None,
) -> str:
    """Stable article id: hash of the canonical URL, else of outlet + title + published_at."""
    key = canonical_url or "\x1f".join([outlet or "", title or "", published_at or ""])
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


def to_json(article: Article) -> bytes:
    return _encoder.encode(article)


def to_dict(article: Article) -> dict[str, Any]:
    result: dict[str, Any] = msgspec.to_builtins(article)
    return result


def from_json(data: bytes | str) -> Article:
    return _decoder.decode(data)


def from_dict(data: dict[str, Any]) -> Article:
    return msgspec.convert(data, Article)


def article_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the Article record, generated from the code."""
    schema: dict[str, Any] = msgspec.json.schema(Article)
    schema["$id"] = f"https://warta.invalid/schema/{SCHEMA_ID}.json"
    schema["title"] = SCHEMA_ID
    return schema
