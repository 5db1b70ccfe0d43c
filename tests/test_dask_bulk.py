"""The COPY bulk loader writes, table by table, what `upsert_articles` writes (real PostgreSQL)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest

from warta.cluster.bulk import CopyLoader
from warta.pipeline import process_document
from warta.record import Link, Syndication
from warta.sources.document import Document
from warta.store import open_store

TABLES = {
    "articles": "SELECT seq, id, url, canonical_url, domain, domain_key, outlet, outlet_key, language, title, "
    "published_at, published_ts, day, duplicate_of, story_id, group_id, body_hash, previous_body_hash, record_hash, "
    "version, record, fts::text FROM articles ORDER BY seq",
    "entities": "SELECT id, type, name, norm, articles, mentions, quotes, first_ts, last_ts, merged_into FROM entities ORDER BY id",
    "article_entities": "SELECT article_seq, entity_id, name, role, mentions, surface FROM article_entities ORDER BY 1, 2",
    "quotes": "SELECT article_seq, idx, paragraph, start_pos, end_pos, text, kind, cue, speaker_name, speaker_key, "
    "speaker_id, published_ts, fts::text FROM quotes ORDER BY article_seq, idx",
    "article_sources": "SELECT * FROM article_sources ORDER BY 1, 3",
    "related_links": "SELECT * FROM related_links ORDER BY 1, 2",
    "vocab": "SELECT word, stem FROM vocab ORDER BY word",
    "documents": "SELECT key FROM documents ORDER BY key",
    "state": "SELECT key, data FROM state ORDER BY key",
}


@pytest.fixture(scope="module")
def batches(shared_data: Path) -> tuple[list[Any], list[Any]]:
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    docs = [
        Document(text=r["isi_berita"], content_type="text/plain", url=r["tautan"],
                 fields={"title": r["judul"], "published": r["tanggal"], "dayfirst": "false"})
        for r in rows[:36]
    ]
    docs.append(Document(data=(shared_data / "seed/isubogor-2022-02-15-putin-melunak.txt").read_bytes(), source="seed"))
    articles = [process_document(d, True) for d in docs]
    assert all(not hasattr(a, "reason") for a in articles)
    first = articles[:25]
    first.append(msgspec.structs.replace(articles[3], title="Judul yang diubah"))  # the same id again, changed
    first[5] = msgspec.structs.replace(first[5], related=[Link(title="Baca juga", url="https://x.example/1")])
    # later: new ones, and stored ones re-marked by the group stage
    second = articles[25:] + [
        msgspec.structs.replace(articles[1], duplicate_of=articles[0].id, syndication=Syndication(group_id="syn-x"))
    ]
    assert sum(len(a.quotes) for a in articles) > 10 and sum(len(a.entities) for a in articles) > 50
    return first, second


def _dump(store: Any) -> dict[str, list[Any]]:
    with store._read() as tx:
        return {name: [tuple(r) for r in tx.all(sql)] for name, sql in TABLES.items()}


def test_copy_loader_writes_what_upsert_writes(pg_url: str, batches: tuple[list[Any], list[Any]]) -> None:
    first, second = batches
    sep = "&" if "?" in pg_url else "?"
    plain = open_store(f"{pg_url}{sep}schema=dask_bulk_plain_{os.getpid()}")
    bulk = open_store(f"{pg_url}{sep}schema=dask_bulk_copy_{os.getpid()}")
    try:
        loader = CopyLoader(bulk)
        expected = [
            plain.upsert_articles(first, documents=["d1", "d2"], state={"group": b"one"}),
            plain.upsert_articles(second, documents=["d3"], state={"group": b"two"}),
        ]
        got = [
            loader.upsert_articles(first, documents=["d1", "d2"], state={"group": b"one"}),
            loader.upsert_articles(second, documents=["d3"], state={"group": b"two"}),
        ]
        assert got == expected
        assert loader.copied == len({a.id for a in first}) + len(second) - 1  # repeats and stored ones went the other way
        a, b = _dump(plain), _dump(bulk)
        for table in TABLES:
            assert b[table] == a[table], table
        assert len(a["quotes"]) > 10 and len(a["vocab"]) > 500
        assert bulk.search("prabowo").total == plain.search("prabowo").total > 0
    finally:
        for store in (plain, bulk):
            store.drop()  # type: ignore[attr-defined]
            store.close()


def test_dask_run_into_postgresql_same_as_local(pg_url: str, shared_data: Path, tmp_path: Path) -> None:
    """The Dask runner loading PostgreSQL with COPY stores what the one-process runner stores."""
    import distributed

    from warta.pipeline import Pipeline
    from warta.pipeline_dask import DaskOptions

    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        fields = reader.fieldnames
    assert fields is not None
    dataset = tmp_path / "berita.csv"
    with dataset.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows[:60] + [rows[520], rows[523]])
    sep = "&" if "?" in pg_url else "?"
    urls = {name: f"{pg_url}{sep}schema=dask_run_{name}_{os.getpid()}" for name in ("local", "dask")}
    stores = {name: open_store(url) for name, url in urls.items()}
    try:
        # small batches: several writes in the background, re-marks of rows written batches ago
        with Pipeline(stores["local"], workers=1, analyze=False, batch_size=16) as pipeline:
            local = pipeline.run([dataset])
        with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None) as lc:
            opts = DaskOptions(
                address=lc.scheduler_address, out=str(tmp_path / "out"), block_bytes=20_000, progress=False,
                background_writes=True,
            )
            with Pipeline(stores["dask"], analyze=False, batch_size=16) as pipeline:
                report = pipeline.run([dataset], cluster=opts)
        run = msgspec.json.decode((tmp_path / "out/run.json").read_bytes())
        assert run["copied"] >= 55  # the bulk path was taken
        assert report.counts == local.counts
        dumps = {name: _dump(store) for name, store in stores.items()}
        for table in TABLES:
            assert dumps["dask"][table] == dumps["local"][table], table
    finally:
        for store in stores.values():
            store.drop()  # type: ignore[attr-defined]
            store.close()
