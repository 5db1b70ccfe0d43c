"""A `warta ingest` killed with SIGKILL midway, then run again, ends with exactly what an uninterrupted
run stores: no article lost, none twice, the group stage's state in step with the rows."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warta.group import Grouper
from warta.store import open_store

ROWS = 400
COLUMNS = "title=judul,url=tautan,published=tanggal,body=isi_berita"
WARTA = str(Path(sys.executable).with_name("warta"))


@pytest.fixture(scope="module")
def dataset(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first ROWS rows of the Detik dump (tests only: no license to ship it)."""
    src = shared_data / "text" / "detik-2025" / "data_berita.csv"
    out = tmp_path_factory.mktemp("detik") / "detik.csv"
    with src.open(encoding="utf-8", newline="") as fin, out.open("w", encoding="utf-8", newline="") as fout:
        reader = csv.reader(fin)
        writer = csv.writer(fout)
        for i, row in enumerate(reader):
            if i > ROWS:
                break
            writer.writerow(row)
    return out


def ingest_args(dataset: Path, db: Path) -> list[str]:
    return [WARTA, "ingest", str(dataset), "--db", str(db), "--columns", COLUMNS, "--no-analyze",
            "--batch-size", "20", "-q"]


def stored(db: Path) -> dict[str, str | None]:
    store = open_store(db)
    try:
        return {a.id: a.duplicate_of for a in store.iter_articles()}
    finally:
        store.close()


def count_rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigkill_midway_then_rerun(dataset: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    done = subprocess.run([*ingest_args(dataset, reference), "--workers", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = stored(reference)
    assert len(expected) > 300  # the dump repeats some rows: fewer articles than rows

    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [*ingest_args(dataset, db), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its worker processes die with it
    )
    deadline = time.monotonic() + 120
    while count_rows(db) < 60 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    partial = count_rows(db)
    assert 0 < partial < len(expected)

    again = subprocess.run([*ingest_args(dataset, db), "--workers", "2"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "skipped" in again.stderr

    got = stored(db)
    assert got.keys() == expected.keys()  # nothing lost, nothing extra
    assert got == expected  # the same duplicates found as by the uninterrupted run
    store = open_store(db)
    try:
        assert store.count() == len(expected)
        grouper = Grouper.loads(store.get_state("group"))
        assert sorted(grouper.ids) == sorted(expected)  # the group index knows every stored article once
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == ROWS
            assert conn.execute("SELECT count(*) FROM (SELECT id FROM articles GROUP BY id HAVING count(*) > 1)").fetchone()[0] == 0
    finally:
        store.close()
