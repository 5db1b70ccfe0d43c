"""The store stage: articles, entities, quotes and stories in SQLite (default) or PostgreSQL, with search.

    from warta.store import open_store
    store = open_store()                      # SQLite file in the user's data directory
    store = open_store("news.db")             # a SQLite file
    store = open_store("postgresql://user@host/db")
"""

from __future__ import annotations

from pathlib import Path

from warta.store.base import (
    Alias,
    ArticleSummary,
    CoEntity,
    EntityMention,
    EntityRecord,
    FacetCount,
    Facets,
    MergeRecord,
    NotFound,
    OutletStats,
    QueryError,
    QuoteRecord,
    SearchHit,
    SearchResult,
    Store,
    StoreError,
    StoryMeta,
    StoryRecord,
    UpsertCounts,
    entity_key,
)


def default_db_path() -> Path:
    """The default SQLite file: ``warta.db`` in the user's data directory (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("warta", appauthor=False) / "warta.db"


def open_store(url: str | Path | None = None) -> Store:
    """Open a store, creating it and running migrations as needed.

    ``None``: the default SQLite file (`default_db_path`); a path: a SQLite file;
    ``postgresql://...`` (or ``postgres://``): a PostgreSQL database. A ``schema=NAME`` query parameter
    on a PostgreSQL URL keeps warta's tables in that schema (created if missing).
    """
    if url is None:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = path
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from warta.store.postgres import PostgresStore

        return PostgresStore(text)
    if "://" in text and not text.startswith("sqlite://"):
        raise StoreError(f"unsupported store URL {text!r}: give a SQLite file path or a postgresql:// URL")
    from warta.store.sqlite import SQLiteStore

    return SQLiteStore(text.removeprefix("sqlite://"))


__all__ = [
    "Alias",
    "ArticleSummary",
    "CoEntity",
    "EntityMention",
    "EntityRecord",
    "FacetCount",
    "Facets",
    "MergeRecord",
    "NotFound",
    "OutletStats",
    "QueryError",
    "QuoteRecord",
    "SearchHit",
    "SearchResult",
    "Store",
    "StoreError",
    "StoryMeta",
    "StoryRecord",
    "UpsertCounts",
    "default_db_path",
    "entity_key",
    "open_store",
]
