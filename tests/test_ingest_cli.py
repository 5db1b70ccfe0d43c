"""`warta ingest`, `warta search` and `warta export` on real pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warta.cli import app
from warta.record import from_json
from warta.store import open_store

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def sources(shared_data: Path) -> list[str]:
    return [str(shared_data / "seed"), str(shared_data / "html" / "id-news-2015")]


@pytest.fixture(scope="module")
def ingested(sources: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ingest") / "warta.db"
    code, _, err = run("ingest", *sources, "--db", str(db), "--workers", "2")
    assert code == 0, err
    return db


def _page_count(sources: list[str]) -> int:
    return sum(1 for s in sources for p in Path(s).iterdir() if p.suffix in (".html", ".txt"))


def test_ingest_counts_and_resume(ingested: Path, sources: list[str]) -> None:
    pages = _page_count(sources)
    store = open_store(ingested)
    try:
        assert store.count() == pages
        seed = store.search("putin peskov", limit=5)
        assert seed.hits and seed.hits[0].article.outlet == "ISU BOGOR"
        record = store.get_article(seed.hits[0].article.id)
        assert record is not None and record.entities and record.story_id  # understood and grouped
        assert store.list_entities(limit=5)
    finally:
        store.close()
    # a second run reads nothing again
    code, _, err = run("ingest", *sources, "--db", str(ingested))
    assert code == 0
    assert "0 read, 0 new" in err and f"{pages} skipped" in err
    # without resuming, everything is read again and found unchanged
    code, _, err = run("ingest", *sources, "--db", str(ingested), "--no-resume", "--workers", "1")
    assert code == 0 and f"{pages} read, 0 new, 0 updated, {pages} unchanged" in err


def test_failures_are_named_and_exit_1(tmp_path: Path, shared_data: Path) -> None:
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = tmp_path / "w.db"
    good = shared_data / "seed" / "isubogor-2022-02-15-putin-melunak.txt"
    code, _, err = run("ingest", str(good), str(broken), str(empty), str(tmp_path / "missing.html"), "--db", str(db),
                       "--no-analyze", "--workers", "1")
    assert code == 1
    assert "1 read, 1 new" in err and "3 failed" in err
    lines = [line for line in err.splitlines() if line.startswith("warta: ")]
    assert any(str(broken) in line and "gzip" in line for line in lines)
    assert any(str(empty) in line for line in lines)
    assert any("missing.html" in line and "no such file" in line for line in lines)
    assert "Traceback" not in err
    assert open_store(db).count() == 1


def test_search_cli(ingested: Path) -> None:
    code, out, _ = run("search", "putin", "--db", str(ingested), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] >= 1 and data["hits"][0]["article"]["outlet"] == "ISU BOGOR"
    assert "<mark>" in data["hits"][0]["snippet_html"]
    assert {"outlet", "day", "entity"} <= set(data["facets"])
    code, out, _ = run("search", "putin", "--db", str(ingested))
    assert code == 0 and "ISU BOGOR" in out
    for bad in ['"putin', "putin)", "foo:bar", "after:kemarin"]:
        code, out, err = run("search", bad, "--db", str(ingested))
        assert code == 2, bad
        assert err.startswith("warta: cannot read the query") and "Traceback" not in err
    code, _, err = run("search", "x", "--db", str(ingested.parent / "none.db"))
    assert code == 2 and "warta ingest" in err
    code, _, _ = run("search", "x", "--db", str(ingested), "--format", "xml")
    assert code == 2


def test_export_formats(ingested: Path, tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    store = open_store(ingested)
    ids = sorted(a.id for a in store.iter_articles())
    store.close()

    code, out, _ = run("export", "--db", str(ingested))
    assert code == 0
    records = [from_json(line) for line in out.splitlines()]
    assert sorted(r.id for r in records) == ids
    assert all(r.schema == "warta.article/1" for r in records)

    code, out, _ = run("export", "outlet:antara", "--db", str(ingested), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["outlet"] == "ANTARA" for r in rows)
    assert all(r["body"] for r in rows)

    parquet = tmp_path / "all.parquet"
    code, _, err = run("export", "--db", str(ingested), "--format", "parquet", "--out", str(parquet))
    assert code == 0 and f"{len(ids)} articles exported" in err
    frame = pd.read_parquet(parquet)
    assert sorted(frame["id"]) == ids
    assert sorted(pl.read_parquet(parquet)["id"].to_list()) == ids
    con = duckdb.connect()
    n, outlets = con.execute(f"SELECT count(*), count(DISTINCT outlet) FROM read_parquet('{parquet}')").fetchone()  # noqa: S608
    assert n == len(ids) and outlets >= 5
    seed = frame[frame["outlet"] == "ISU BOGOR"].iloc[0]
    assert "Peskov" in seed["body"] or "Preskov" in seed["body"]
    assert json.loads(seed["entities"])  # nested parts are JSON text
    assert list(seed["authors"]) == list(json.loads(json.dumps(list(seed["authors"]))))

    code, _, err = run("export", "--db", str(ingested), "--format", "parquet")
    assert code == 2 and "--out" in err
    code, _, err = run("export", '"open', "--db", str(ingested), "--format", "parquet", "--out", str(tmp_path / "x.parquet"))
    assert code == 2 and not (tmp_path / "x.parquet").exists()


@pytest.mark.postgres
def test_ingest_into_postgres_matches_sqlite(ingested: Path, sources: list[str], pg_url: str) -> None:
    url = f"{pg_url}{'&' if '?' in pg_url else '?'}schema=t_{uuid.uuid4().hex[:12]}"
    code, _, err = run("ingest", *sources, "--db", url, "--workers", "2")
    assert code == 0, err
    pg = open_store(url)
    lite = open_store(ingested)
    try:
        assert pg.count() == lite.count()
        for q in ["putin", "jakarta", '"presiden joko widodo"', "person:widodo", "outlet:antara", "korupsi OR banjir"]:
            assert {h.article.id for h in pg.search(q, limit=100).hits} == {
                h.article.id for h in lite.search(q, limit=100).hits
            }, q
        assert [e.id for e in pg.list_entities(limit=10)] == [e.id for e in lite.list_entities(limit=10)]
    finally:
        pg.drop()  # type: ignore[attr-defined]
        pg.close()
        lite.close()
