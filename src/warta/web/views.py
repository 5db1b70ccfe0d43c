"""What the pages and the JSON API show: view records, and the read/write interface they need.

The web knows the store only through `WebStore` (reads) and `WebWriter` (writes). `warta.web.queries`
adapts `warta.store.Store` (SQLite or PostgreSQL) to it; a JSONL file of Articles is loaded into a
temporary SQLite store. Every view is a msgspec Struct, so the JSON API is the view itself.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import msgspec

from warta.record import Article, Entity
from warta.sources.document import Document
from warta.store.base import entity_key

#: the marks around matched words in `ArticleCard.snippet` (private-use characters, never HTML)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


def gid(e: Entity) -> str:
    """The store-wide id of an article's entity (an article's own ``Entity.id`` is local to it)."""
    return entity_key(e.type, e.name)


def speaker_gid(a: Article, local_id: str | None) -> str | None:
    """The store-wide id of a quote's speaker, from the article's entity it points at."""
    if not local_id:
        return None
    for e in a.entities:
        if e.id == local_id:
            return gid(e)
    return None


class QueryError(ValueError):
    """A malformed search query: the message says what is wrong, for the user."""


class ArticleCard(msgspec.Struct, kw_only=True):
    """One article in a list: enough to show a line and link to it."""

    id: str
    title: str | None = None
    outlet: str | None = None
    domain: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = None
    #: a search snippet: plain text where the matched words are wrapped in U+E000 ... U+E001
    #: (private-use marks, never HTML: the page escapes the text and turns the marks into <mark>)
    snippet: str | None = None


class Count(msgspec.Struct, kw_only=True):
    """A value with how often it occurs (facets, wire sources, outlets)."""

    value: str
    count: int
    label: str | None = None


class DayCount(msgspec.Struct, kw_only=True):
    day: str  # YYYY-MM-DD
    count: int


class SearchResult(msgspec.Struct, kw_only=True):
    query: str
    total: int
    offset: int
    limit: int
    sort: str = "relevance"
    hits: list[ArticleCard] = msgspec.field(default_factory=list)
    #: facet name (outlet, day, person, org, place) -> counts, most frequent first
    facets: dict[str, list[Count]] = msgspec.field(default_factory=dict)


class StoryCard(msgspec.Struct, kw_only=True):
    id: str
    title: str | None = None
    n_articles: int = 0
    n_outlets: int = 0
    outlets: list[str] = msgspec.field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    first_article: ArticleCard | None = None


class StoryView(msgspec.Struct, kw_only=True):
    story: StoryCard
    #: the timeline: every article of the story, oldest first
    articles: list[ArticleCard] = msgspec.field(default_factory=list)
    #: ids of articles that copy another one of the story (duplicates, syndicated copies)
    copies: list[str] = msgspec.field(default_factory=list)
    entities: list[EntityRef] = msgspec.field(default_factory=list)


class EntityRef(msgspec.Struct, kw_only=True):
    id: str
    name: str
    type: str | None = None
    count: int = 0


class QuoteView(msgspec.Struct, kw_only=True):
    """One statement with the article it was read from."""

    article: ArticleCard
    paragraph: int
    text: str
    kind: str
    cue: str | None = None
    speaker_name: str | None = None
    speaker_id: str | None = None


class MergeRecord(msgspec.Struct, kw_only=True):
    """One entry of the alias audit trail: why two names were taken for one entity."""

    id: str
    kept: str
    merged: str
    reason: str | None = None
    at: str | None = None
    by: str | None = None
    undone: bool = False


class EntityView(msgspec.Struct, kw_only=True):
    id: str
    name: str
    type: str | None = None
    role: str | None = None
    aliases: list[str] = msgspec.field(default_factory=list)
    roles: list[str] = msgspec.field(default_factory=list)
    n_articles: int = 0
    n_mentions: int = 0
    n_quotes: int = 0
    #: "who said what": statements this entity made, newest first
    quotes: list[QuoteView] = msgspec.field(default_factory=list)
    #: articles mentioning it, per day
    trend: list[DayCount] = msgspec.field(default_factory=list)
    cooccurring: list[EntityRef] = msgspec.field(default_factory=list)
    articles: list[ArticleCard] = msgspec.field(default_factory=list)
    merges: list[MergeRecord] = msgspec.field(default_factory=list)


class OutletView(msgspec.Struct, kw_only=True):
    name: str
    domains: list[str] = msgspec.field(default_factory=list)
    n_articles: int = 0
    first_published: str | None = None
    last_published: str | None = None
    volume: list[DayCount] = msgspec.field(default_factory=list)
    #: cited sources of kind news_agency (and other media) it relies on, with article counts
    wire_sources: list[Count] = msgspec.field(default_factory=list)
    #: how many of its articles are copies of an earlier piece by another outlet
    n_copies: int = 0
    latest: list[ArticleCard] = msgspec.field(default_factory=list)


class ArticleView(msgspec.Struct, kw_only=True):
    article: Article
    story: StoryCard | None = None
    related: list[ArticleCard] = msgspec.field(default_factory=list)
    #: the article this one duplicates, when it is a duplicate
    duplicate_of: ArticleCard | None = None
    #: other articles that duplicate this one
    duplicates: list[ArticleCard] = msgspec.field(default_factory=list)
    #: the other members of its syndication group (copies of one piece), oldest first
    syndication: list[ArticleCard] = msgspec.field(default_factory=list)


class Stats(msgspec.Struct, kw_only=True):
    """Counts for the page header; None where the backend cannot count cheaply."""

    articles: int = 0
    outlets: int | None = None
    stories: int | None = None
    entities: int | None = None
    newest: str | None = None
    oldest: str | None = None
    backend: str = ""


class IngestReport(msgspec.Struct, kw_only=True):
    read: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    failed: int = 0
    ids: list[str] = msgspec.field(default_factory=list)
    errors: list[str] = msgspec.field(default_factory=list)


@runtime_checkable
class WebStore(Protocol):
    """The read side the pages and the API need. Lists are bounded by the caller's ``limit``."""

    def stats(self) -> Stats: ...

    def latest(self, *, limit: int, offset: int = 0, outlet: str | None = None) -> list[ArticleCard]: ...

    def article(self, article_id: str) -> ArticleView | None: ...

    def search(
        self, query: str, *, limit: int, offset: int = 0, sort: str = "relevance", facets: bool = True
    ) -> SearchResult:
        """Run a query of the store's query language; raise `QueryError` when it is malformed.
        ``facets`` False skips the counts by outlet, day and entity (the costly part on a large store)."""
        ...

    def popular(self, *, hours: int, limit: int) -> list[StoryCard]:
        """Stories ranked by how many outlets covered them in the ``hours`` up to the newest article."""
        ...

    def story(self, story_id: str) -> StoryView | None: ...

    def entity(self, entity_id: str, *, limit: int) -> EntityView | None: ...

    def entities(self, *, query: str | None, limit: int, offset: int = 0) -> list[EntityRef]: ...

    def quotes(self, *, speaker: str | None, limit: int, offset: int = 0) -> list[QuoteView]: ...

    def outlet(self, name: str, *, limit: int) -> OutletView | None: ...

    def outlets(self, *, limit: int) -> list[Count]: ...


@runtime_checkable
class WebWriter(Protocol):
    """The write side, reachable only with the operator's token."""

    def ingest_articles(self, articles: list[Article]) -> IngestReport: ...

    def ingest_documents(self, docs: list[Document]) -> IngestReport:
        """Read, analyse (and group, where the backend can) raw documents, then store them."""
        ...

    def merge_entities(self, keep: str, merge: str, *, reason: str | None, by: str | None) -> MergeRecord: ...

    def unmerge(self, merge_id: str, *, by: str | None) -> MergeRecord: ...

