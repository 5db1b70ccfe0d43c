"""Opening a database made by an older warta upgrades it in place, keeping everything in it."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from test_store_common import beras_article
from warta.store import StoreError, open_store
from warta.store.migrations import LATEST, POSTGRES, SQLITE

OLD_DB = Path(__file__).parent / "data" / "store" / "warta-v1.db"


def test_v1_sqlite_database_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(OLD_DB, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    store = open_store(db)
    try:
        assert store.schema_version() == LATEST >= 3
        assert store.count() == 2
        old = store.get_article("v1-a")
        assert old is not None and old.title == "Putin Akhirnya Melunak"
        # what the old version indexed is still found, by the new query features too
        assert [h.article.id for h in store.search("ukraina").hits] == ["v1-a"]
        assert [h.article.id for h in store.search("said:masalah by:peskov").hits] == ["v1-a"]
        assert [h.article.id for h in store.search("beru*").hits] == ["v1-a"]  # vocabulary backfilled
        assert store.get_entity("per-dmitry-peskov") is not None
        # the tables added since work
        store.upsert_articles([beras_article()], documents=["k1"])
        assert store.seen_documents(["k1"]) == {"k1"}
        assert store.count() == 3
    finally:
        store.close()
    # opening again does nothing more
    again = open_store(db)
    assert again.schema_version() == LATEST and again.count() == 3
    again.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer than this warta"):
        open_store(db)


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a warta database"):
        open_store(junk)
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing" / "x.db")
    with pytest.raises(StoreError, match="unsupported"):
        open_store("mysql://localhost/db")


def test_both_backends_have_the_same_migrations() -> None:
    assert len(SQLITE) == len(POSTGRES) == LATEST


@pytest.mark.postgres
def test_postgres_upgrade_from_v1(pg_url: str) -> None:
    from warta.store.postgres import PostgresStore

    url = f"{pg_url}{'&' if '?' in pg_url else '?'}schema=t_{uuid.uuid4().hex[:12]}"
    old = PostgresStore(url, max_version=1)
    try:
        assert old.schema_version() == 1
        old.upsert_articles([beras_article()])
        old.close()
        store = open_store(url)
        assert store.schema_version() == LATEST
        assert [h.article.id for h in store.search("pasok*").hits] == ["art-beras"]
        store.upsert_articles([beras_article()], documents=["k"])
        assert store.seen_documents(["k"]) == {"k"}
        store.drop()  # type: ignore[attr-defined]
        store.close()
    finally:
        old.close()


@pytest.mark.postgres
def test_postgres_unreachable_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
