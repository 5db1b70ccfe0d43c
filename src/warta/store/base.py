"""The store interface: what every backend (SQLite, PostgreSQL) offers, and the records it returns.

Other stages and the web app code against `Store` only. Results are msgspec Structs, so they turn
into JSON for the API with ``msgspec.to_builtins`` and stay typed in Python.

Conventions:

- Entity ids across the store are *global keys*: ``"per-vladimir-putin"`` (type + the canonical name
  normalised by `entity_key`), so one person is one row whatever article named them. An article's own
  entity ids (``Entity.id`` in the record) are local to that article.
- A merge (``merge_entities(keep, merge, ...)``) points ``merge`` (and whatever was already merged
  into it) at ``keep``; every query resolves merged entities to the one they were merged into. Each
  merge is audited (reason, evidence, who/when) and can be undone.
- Times returned are ISO 8601 strings; ``published_ts`` is seconds since the epoch (UTC), used to sort.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import msgspec

from warta.record import Article, EntityType

SortOrder = Literal["relevance", "date"]


class StoreError(Exception):
    """A store could not be opened or used (bad URL, unreachable server, newer schema than this warta)."""


class NotFound(StoreError, KeyError):
    """An id (article, entity, merge) that the store does not have."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class QueryError(ValueError):
    """A malformed search query. ``str(exc)`` is a message for the user; ``position`` points into the query."""

    def __init__(self, message: str, position: int | None = None, query: str | None = None) -> None:
        self.message = message
        self.position = position
        self.query = query
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.query is not None and self.position is not None:
            return f"{self.message}\n  {self.query}\n  {' ' * self.position}^"
        return self.message


class UpsertCounts(msgspec.Struct, kw_only=True):
    """What `Store.upsert_articles` did: each article is exactly one of new, updated or unchanged."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            new=self.new + other.new, updated=self.updated + other.updated, unchanged=self.unchanged + other.unchanged
        )


class ArticleSummary(msgspec.Struct, kw_only=True):
    """One row of a list (latest, related, story timeline): enough to show a line and link to it."""

    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = None


class ArticleMeta(msgspec.Struct, kw_only=True):
    """Store bookkeeping of one article: when it was first stored, changed, and its body hashes."""

    id: str
    first_seen: str
    updated_at: str
    version: int
    body_hash: str
    previous_body_hash: str | None = None


class Highlight(msgspec.Struct, frozen=True):
    """A ``[start, end)`` character span of a snippet that matched the query."""

    start: int
    end: int


class SearchHit(msgspec.Struct, kw_only=True):
    """One search result. ``snippet`` is plain text (untrusted: escape it); ``highlights`` are spans
    into it. `snippet_html` gives the escaped HTML with ``<mark>`` around the matches."""

    article: ArticleSummary
    score: float = 0.0
    snippet: str = ""
    highlights: list[Highlight] = msgspec.field(default_factory=list)

    def snippet_html(self) -> str:
        from html import escape

        out: list[str] = []
        pos = 0
        for h in self.highlights:
            out.append(escape(self.snippet[pos : h.start]))
            out.append("<mark>" + escape(self.snippet[h.start : h.end]) + "</mark>")
            pos = h.end
        out.append(escape(self.snippet[pos:]))
        return "".join(out)


class FacetCount(msgspec.Struct, kw_only=True):
    """A facet value with the number of matching articles; ``key`` is the entity id for entity facets."""

    value: str
    count: int
    key: str | None = None
    type: str | None = None


class Facets(msgspec.Struct, kw_only=True):
    """Counts over the matching articles. On a very large result they are counted over the most
    recently stored ``counted`` matches only (``counted`` < the result's total)."""

    counted: int = 0
    outlet: list[FacetCount] = msgspec.field(default_factory=list)
    day: list[FacetCount] = msgspec.field(default_factory=list)
    entity: list[FacetCount] = msgspec.field(default_factory=list)


class SearchResult(msgspec.Struct, kw_only=True):
    """One page of hits. ``total`` is exact unless ``total_exact`` is False: then at least that many
    articles match (counting stops there on very large results)."""

    query: str
    total: int
    total_exact: bool = True
    hits: list[SearchHit] = msgspec.field(default_factory=list)
    facets: Facets | None = None
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0


class OutletStats(msgspec.Struct, kw_only=True):
    """An outlet with its volume: total articles, articles per day, and the wire sources it cites."""

    name: str
    articles: int
    first_published: str | None = None
    last_published: str | None = None
    per_day: list[FacetCount] = msgspec.field(default_factory=list)
    wire_sources: list[FacetCount] = msgspec.field(default_factory=list)


class EntityRecord(msgspec.Struct, kw_only=True):
    """An entity across the store. ``merged_into`` is set when this row is an alias of another."""

    id: str
    name: str
    type: str
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    roles: list[str] = msgspec.field(default_factory=list)
    merged_into: str | None = None


class EntityMention(msgspec.Struct, kw_only=True):
    """An entity in one article: the name as written there, its role, and how often it appears."""

    entity_id: str
    article: ArticleSummary
    name: str
    role: str | None = None
    mentions: int = 0


class QuoteRecord(msgspec.Struct, kw_only=True):
    """Who said what: one quote with its article, speaker (global entity id when resolved) and cue."""

    article: ArticleSummary
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    kind: str
    cue: str | None = None
    speaker_name: str | None = None
    speaker_id: str | None = None


class CoEntity(msgspec.Struct, kw_only=True):
    """An entity seen in the same articles as another, with the number of shared articles."""

    entity: EntityRecord
    articles: int


class Alias(msgspec.Struct, kw_only=True):
    """Another name of an entity: a merged entity (with the merge that made it one) or a surface form."""

    name: str
    entity_id: str | None = None
    merge_id: int | None = None
    kind: Literal["merged", "surface"] = "surface"


class MergeRecord(msgspec.Struct, kw_only=True):
    """The audit trail of one merge: kept entity, merged entity, why, and whether it was undone."""

    id: int
    keep: str
    merge: str
    reason: str
    evidence: dict[str, Any] = msgspec.field(default_factory=dict)
    created_at: str = ""
    undone_at: str | None = None
    moved: list[str] = msgspec.field(default_factory=list)


class StoryMeta(msgspec.Struct, kw_only=True):
    """What the group stage knows about a story beyond its articles (its title, a summary)."""

    id: str
    title: str | None = None
    summary: str | None = None


class StoryRecord(msgspec.Struct, kw_only=True):
    """A story: articles about one event across outlets, its first report and timeline."""

    id: str
    title: str | None = None
    summary: str | None = None
    articles: int = 0
    outlets: list[str] = msgspec.field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    first_article: ArticleSummary | None = None
    timeline: list[ArticleSummary] = msgspec.field(default_factory=list)


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str) -> str:
    """A name folded for matching: NFKD, accents dropped, lower case, punctuation to single spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub(" ", folded).strip()


def entity_key(type: str, name: str) -> str:
    """The global id of an entity across the store: ``per-vladimir-putin`` for (PER, "Vladimir Putin")."""
    slug = normalize_name(name).replace(" ", "-")
    if not slug:
        # A name with no Latin letters or digits: fall back to a stable hash of it.
        import hashlib

        slug = "x" + hashlib.blake2b(name.encode("utf-8"), digest_size=6).hexdigest()
    return f"{type.lower()}-{slug}"


class Store(ABC):
    """A place where articles live and are searched. Open one with `warta.store.open_store`.

    Every method is safe to call with untrusted strings (all SQL is parameterised). A store is
    used from one thread at a time unless a backend says otherwise; `close` it when done (it is
    also a context manager).
    """

    url: str

    # -- life cycle -------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def schema_version(self) -> int:
        """The version of the database schema (after migrations ran on open)."""

    # -- articles ---------------------------------------------------------------------------
    @abstractmethod
    def upsert_articles(
        self,
        articles: Iterable[Article],
        *,
        documents: Sequence[str] = (),
        state: Mapping[str, bytes] | None = None,
    ) -> UpsertCounts:
        """Insert or update articles by id, in one transaction.

        The same article twice is one row (``unchanged``); a changed article is ``updated`` and keeps
        its history (``updated_at``, ``previous_body_hash``, ``version``). ``documents`` are keys of
        source documents to mark as done and ``state`` is written with `put_state`, both in the same
        transaction, so that a run killed at any point resumes without loss or duplicates.
        """

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored records of these ids (missing ones left out), in the order given."""

    @abstractmethod
    def article_meta(self, article_id: str) -> ArticleMeta | None:
        """When an article was first stored and last changed, with its current and previous body hash."""

    @abstractmethod
    def find_by_url(self, url: str) -> ArticleSummary | None:
        """The article stored under this URL or canonical URL."""

    @abstractmethod
    def latest(self, limit: int = 20, offset: int = 0, outlet: str | None = None) -> list[ArticleSummary]:
        """Most recently published articles first (undated ones last)."""

    @abstractmethod
    def count(self) -> int:
        """Number of stored articles."""

    @abstractmethod
    def iter_articles(self, query: str | None = None, batch_size: int = 500) -> Iterable[Article]:
        """Every article (or every article matching ``query``), for exports and re-processing."""

    # -- search -----------------------------------------------------------------------------
    @abstractmethod
    def search(
        self,
        query: str,
        sort: SortOrder = "relevance",
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
    ) -> SearchResult:
        """Full-text search with the query language of `warta.store.query` (raises `QueryError`)."""

    # -- outlets ----------------------------------------------------------------------------
    @abstractmethod
    def outlets(self, days: int | None = None) -> list[OutletStats]:
        """Every outlet with its volume per day (the last ``days`` days when given) and wire sources."""

    # -- entities ---------------------------------------------------------------------------
    @abstractmethod
    def list_entities(
        self, type: EntityType | None = None, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        """Entities (merged ones folded into the entity they were merged into), most articles first.
        ``q`` matches the start of any word of the name, case- and accent-insensitively."""

    @abstractmethod
    def get_entity(self, entity_id: str) -> EntityRecord | None:
        """The entity; for a merged id, the entity it was merged into."""

    @abstractmethod
    def entity_mentions(self, entity_id: str, limit: int = 50, offset: int = 0) -> list[EntityMention]:
        """Articles naming the entity (or anything merged into it), newest first."""

    @abstractmethod
    def entity_quotes(self, entity_id: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        """Who said what: quotes spoken by the entity, newest first."""

    @abstractmethod
    def co_entities(self, entity_id: str, limit: int = 20) -> list[CoEntity]:
        """Entities that appear in the same articles, most shared articles first."""

    @abstractmethod
    def entity_trend(self, entity_id: str) -> list[FacetCount]:
        """Articles naming the entity per day (``value`` = YYYY-MM-DD)."""

    @abstractmethod
    def merge_entities(self, keep: str, merge: str, reason: str, evidence: Mapping[str, Any] | None = None) -> int:
        """Fold entity ``merge`` into ``keep``; returns the merge id (for `undo_merge`)."""

    @abstractmethod
    def undo_merge(self, merge_id: int) -> None:
        """Undo a merge: the entities it moved point where they pointed before."""

    @abstractmethod
    def aliases(self, entity_id: str) -> list[Alias]:
        """Other names of the entity: entities merged into it and surface forms seen in articles."""

    @abstractmethod
    def merges(self, entity_id: str | None = None) -> list[MergeRecord]:
        """The merge audit trail (of one entity, kept or merged, or all), newest first."""

    # -- quotes -----------------------------------------------------------------------------
    @abstractmethod
    def quotes(self, article_id: str) -> list[QuoteRecord]:
        """The quotes of one article with speakers resolved to global entity ids."""

    # -- stories and links ------------------------------------------------------------------
    @abstractmethod
    def put_stories(self, stories: Iterable[StoryMeta]) -> None:
        """Store story titles and summaries computed by the group stage."""

    @abstractmethod
    def list_stories(self, since: str | None = None, limit: int = 50, offset: int = 0) -> list[StoryRecord]:
        """Stories with an article published at or after ``since`` (ISO), most outlets first."""

    @abstractmethod
    def get_story(self, story_id: str) -> StoryRecord | None:
        """A story with its timeline (every article, oldest first)."""

    @abstractmethod
    def related(self, article_id: str, limit: int = 20) -> list[ArticleSummary]:
        """Articles related to this one: its "Baca juga" links found in the store, copies (duplicate
        and syndication), and others of the same story."""

    # -- state for other stages --------------------------------------------------------------
    @abstractmethod
    def get_state(self, key: str) -> bytes | None:
        """A blob saved by a stage (e.g. the group stage's index under ``"group"``)."""

    @abstractmethod
    def put_state(self, key: str, data: bytes) -> None: ...

    @abstractmethod
    def seen_documents(self, keys: Sequence[str]) -> set[str]:
        """Which of these source-document keys were already stored (for resumable ingests)."""
