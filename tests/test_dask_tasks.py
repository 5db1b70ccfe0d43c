"""Tasks: datasets split into stripes, shards reused by a re-run, failed tasks retried then reported."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import msgspec
import pytest

import warta.cluster.tasks as tasks_module
from warta.cluster.tasks import Settings, plan_tasks
from warta.pipeline import Pipeline
from warta.pipeline_dask import DaskOptions, cluster_option
from warta.store import open_store

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Any:
    """Workers as threads of this process (so a test can make the shard writer fail)."""
    with distributed.LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
    ) as local, distributed.Client(local) as c:
        yield c


def _records(url: str) -> dict[str, Any]:
    with open_store(url) as store:
        out = {}
        for article in store.iter_articles():
            record = msgspec.to_builtins(article)
            record["provenance"].pop("fetched_at", None)
            out[article.id] = record
        return out


@pytest.fixture()
def dataset(shared_data: Path, tmp_path: Path) -> Path:
    """80 rows of the Detik set (with the repeats of rows 2 and 3) as a CSV of its own."""
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        fields = reader.fieldnames
    assert fields is not None
    path = tmp_path / "berita.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows[:78] + [rows[520], rows[523]])
    return path


def test_stripes_cover_every_row_once(dataset: Path) -> None:
    planned = plan_tasks([dataset], Settings(), block_bytes=40_000)
    assert len(planned) >= 4 and {t.stripes for t in planned} == {len(planned)}
    assert {t.order for t in planned} == {0}
    seen: list[int] = []
    for task in planned:
        seen += [i for i, _ in tasks_module._records(task, Settings())]
    assert sorted(seen) == list(range(80))


def test_dataset_in_stripes_same_as_local_and_shards_reused(dataset: Path, tmp_path: Path, client: Any) -> None:
    local_db, dask_db, again_db = (str(tmp_path / n) for n in ("local.db", "dask.db", "again.db"))
    with Pipeline(local_db, workers=1, analyze=False) as pipeline:
        local = pipeline.run([dataset])
    opts = DaskOptions(out=str(tmp_path / "out"), block_bytes=40_000, progress=False)
    with Pipeline(dask_db, analyze=False) as pipeline:
        report = pipeline.run([dataset], cluster=opts_with(opts, client))
    assert report.counts == local.counts and local.counts.read == 80 and local.counts.duplicate >= 2
    assert _records(dask_db) == _records(local_db)
    shards = sorted((tmp_path / "out/shards").iterdir())
    assert len(shards) >= 4 and (tmp_path / "out/pairs.parquet").exists()
    stamps = [s.stat().st_mtime_ns for s in shards]
    with Pipeline(again_db, analyze=False) as pipeline:  # a re-run reuses every shard
        again = pipeline.run([dataset], cluster=opts_with(opts, client))
    assert [s.stat().st_mtime_ns for s in sorted((tmp_path / "out/shards").iterdir())] == stamps
    assert again.counts == local.counts and _records(again_db) == _records(local_db)


def opts_with(opts: DaskOptions, client: Any) -> DaskOptions:
    """The options with the test's client as the cluster (its scheduler address)."""
    return msgspec.structs.replace(opts, address=client.scheduler.address)


def test_failed_task_retried_then_reported(shared_data: Path, tmp_path: Path, client: Any, monkeypatch: Any) -> None:
    real = tasks_module.write_shard
    calls: dict[str, int] = {}

    def flaky(table: Any, path: Path) -> None:
        sources = set(table.column("source").to_pylist())
        name = next((Path(s).name for s in sources if s), "")
        calls[name] = calls.get(name, 0) + 1
        if name == "antara__antara-singlepage.html" and calls[name] == 1:
            raise OSError("disk hiccup")  # fails once: the retry succeeds
        if name == "detik__detik-singlepage.html":
            raise OSError("disk full")  # fails every time: reported
        real(table, path)

    monkeypatch.setattr(tasks_module, "write_shard", flaky)
    folder = shared_data / "html/id-news-2015"
    with Pipeline(str(tmp_path / "x.db"), analyze=False, group=False) as pipeline:
        opts = DaskOptions(address=client.scheduler.address, out=str(tmp_path / "out"), retries=2, progress=False)
        report = pipeline.run([folder], cluster=opts)
    assert calls["antara__antara-singlepage.html"] == 2
    assert calls["detik__detik-singlepage.html"] == 3
    assert [f.source for f in report.failures] == [str(folder / "detik__detik-singlepage.html")]
    assert "after 3 attempts" in report.failures[0].reason and "disk full" in report.failures[0].reason
    assert report.counts.failed == 1
    assert report.counts.read == len(list(folder.glob("*.html"))) - 1


def test_cluster_option() -> None:
    assert cluster_option(None) is None
    opts = cluster_option("tcp://10.0.0.5:8786", "shards", workers=4)
    assert opts is not None and opts.address == "tcp://10.0.0.5:8786" and opts.out == "shards" and opts.workers == 4
    with pytest.raises(ValueError, match="--cluster"):
        cluster_option("bogus")
    with pytest.raises(ValueError, match="--out needs --cluster"):
        cluster_option(None, "shards")
    with pytest.raises(ValueError, match="shared"):  # a remote cluster's shards must be readable here
        cluster_option("tcp://10.0.0.5:8786")


def test_incremental_run_on_a_stored_corpus(shared_data: Path, tmp_path: Path, client: Any) -> None:
    """A Dask run on top of a store filled by an earlier run: stored documents are skipped, new
    articles are matched against the stored ones (the saved index), and the stored records end as
    the one-process runner leaves them."""
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def doc(i: int, url: str | None = None) -> Any:
        from warta.sources.document import Document

        r = rows[i]
        return Document(text=r["isi_berita"], content_type="text/plain", url=url or r["tautan"], source=f"row{i}",
                        fields={"title": r["judul"], "published": r["tanggal"], "dayfirst": "false"})

    first = [doc(i) for i in range(30)]
    # later: more rows, copies (new URLs) of rows stored by the first run, and a repeat of row 2's body
    second = first + [doc(i) for i in range(30, 60)] + [doc(3, "https://copy.example/3"), doc(12, "https://copy.example/12"), doc(523)]
    urls = {}
    for name in ("local", "dask"):
        url = urls[name] = str(tmp_path / f"{name}.db")
        with Pipeline(url, workers=1, analyze=False) as pipeline:
            pipeline.run(first)
        with Pipeline(url, analyze=False) as pipeline:
            if name == "local":
                expected = pipeline.run(second)
            else:
                got = pipeline.run(second, cluster=DaskOptions(address=client.scheduler.address, out=str(tmp_path / "out"), progress=False))
    assert got.counts == expected.counts
    # stored documents skipped; copies of stored articles found through the saved index, and the
    # stored originals re-marked (updated)
    assert expected.counts.skipped == 30 and expected.counts.duplicate >= 1 and expected.counts.updated >= 1
    assert _records(urls["dask"]) == _records(urls["local"])
