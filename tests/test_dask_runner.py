"""The Dask runner gives the same stored records as the one-process runner (LocalCluster, 2 worker processes)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import msgspec
import pytest

from warta.pipeline import Pipeline
from warta.sources.document import Document
from warta.store import open_store

distributed = pytest.importorskip("distributed")


def _detik_documents(shared_data: Path) -> list[Document]:
    """40 Detik rows, two repeats of earlier rows (same URL, same body), and two hand-made
    near copies under other URLs (a paragraph dropped; a line added), so that every path of the
    group stage runs: exact repeats, near duplicates, syndication groups, stories."""
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def doc(row: dict[str, str], body: str | None = None, url: str | None = None) -> Document:
        return Document(
            text=body if body is not None else row["isi_berita"],
            content_type="text/plain",
            url=url or row["tautan"],
            source=f"detik:{row['id']}",
            fields={"title": row["judul"], "published": row["tanggal"], "dayfirst": "false"},
        )

    docs = [doc(r) for r in rows[:40]]
    docs += [doc(rows[523]), doc(rows[520])]  # repeats of rows 2 and 3
    paras = [p for p in rows[5]["isi_berita"].split("\n") if p.strip()]
    docs.append(doc(rows[5], "\n".join(paras[:-1]), "https://copy.example/a/5"))
    docs.append(doc(rows[10], rows[10]["isi_berita"] + "\nSumber: detik.com", "https://copy.example/a/10"))
    docs.append(Document(text="", content_type="text/plain", source="empty-row"))  # no article text: a failure
    return docs


def _stored(url: str) -> dict[str, dict[str, Any]]:
    with open_store(url) as store:
        out = {}
        for article in store.iter_articles():
            record = msgspec.to_builtins(article)
            record["provenance"].pop("fetched_at", None)  # when the file was read: differs between runs
            out[article.id] = record
        return out


def _stories(url: str) -> list[Any]:
    with open_store(url) as store:
        return sorted((msgspec.to_builtins(s) for s in store.list_stories(limit=1000)), key=lambda s: s["id"])


@pytest.fixture(scope="module")
def cluster() -> Any:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, memory_limit="1GiB", dashboard_address=None
    ) as local, distributed.Client(local) as client:
        yield client


def test_same_records_as_local_runner(tmp_path: Path, shared_data: Path, cluster: Any) -> None:
    sources: list[Any] = _detik_documents(shared_data)
    sources += [shared_data / "html/id-news-2015", shared_data / "seed", tmp_path / "missing.html"]
    local_db, dask_db = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    with Pipeline(local_db, workers=1) as pipeline:
        local = pipeline.run(sources)
    with Pipeline(dask_db) as pipeline:
        report = pipeline.run(sources, cluster=cluster)
    assert report.counts == local.counts, report.failures[:3]
    assert sorted(f.source for f in report.failures) == sorted(f.source for f in local.failures)
    assert local.counts.read >= 60 and local.counts.duplicate >= 1 and local.counts.failed == 2
    a, b = _stored(local_db), _stored(dask_db)
    assert a.keys() == b.keys()
    for article_id in a:
        assert b[article_id] == a[article_id], article_id
    # the group stage really ran: copies linked to their originals, stories across articles
    assert sum(1 for r in a.values() if r["duplicate_of"]) >= 1
    assert _stories(dask_db) == _stories(local_db)
