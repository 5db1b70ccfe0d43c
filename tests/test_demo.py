"""`make demo` runs `warta demo`: parse and ingest the bundled examples (serving is left out here)."""

from __future__ import annotations

from pathlib import Path

from warta.demo import example_files, run_demo
from warta.store import open_store


def test_examples_cover_every_input_format() -> None:
    suffixes = {"".join(p.suffixes[-2:]) if p.name.endswith(".gz") else p.suffix for p in example_files()}
    assert {".txt", ".html", ".rss", ".warc.gz", ".jsonl"} <= suffixes


def test_demo_ingests_the_examples(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_demo(serve=False, db=db) == 0
    store = open_store(str(db))
    try:
        assert store.count() >= 7
        hits = store.search("banjir")
        assert hits.total >= 3
        titles = {hit.article.title for hit in hits.hits}
        assert "Banjir Rendam Tiga Kecamatan di Kota Sentosa, Wali Kota Minta Warga Waspada" in titles
    finally:
        store.close()
