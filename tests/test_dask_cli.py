"""`warta ingest SOURCE... --cluster local --out DIR`: the command line of the Dask runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from warta.cli import app
from warta.store import open_store


def test_ingest_on_a_local_cluster(shared_data: Path, tmp_path: Path) -> None:
    db, out = tmp_path / "news.db", tmp_path / "run"
    pages = shared_data / "html/id-news-2015"
    missing = tmp_path / "missing.html"
    args = ["ingest", str(pages), str(missing), "--db", str(db), "--cluster", "local", "--workers", "1", "--out", str(out),
            "--no-analyze", "--quiet"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # one input could not be read: named, the rest stored
    assert str(missing) in result.output and "no such file" in result.output
    n_pages = len(list(pages.glob("*.html")))
    with open_store(str(db)) as store:
        assert store.count() == n_pages
    run = json.loads((out / "run.json").read_text())
    assert run["workers"] == 1 and run["articles"] == n_pages and run["tasks"] == n_pages + 1
    assert len(list((out / "shards").glob("*.parquet"))) == n_pages + 1
    # again: every document is already stored (skipped), the shards are reused
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1 and f"{n_pages} skipped" in again.output
    assert json.loads((out / "run.json").read_text())["cached_tasks"] == n_pages  # not the missing file: it may appear


def test_bad_cluster_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--cluster", "bogus"])
    assert result.exit_code == 2 and "tcp://HOST:8786" in result.output
