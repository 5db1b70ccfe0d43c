"""Rebuild warta-v1.db: a database as warta wrote it at schema version 1 (before `documents` and
`stories`). Run from the repository root: .venv/bin/python tests/data/store/make_v1_db.py
It is committed so that the migration test opens a file made by the old schema, not a fresh one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from warta.record import Article, Entity, Mention, Quote, Source, Speaker
from warta.store.sqlite import SQLiteStore

HERE = Path(__file__).parent
OUT = HERE / "warta-v1.db"


def articles() -> list[Article]:
    return [
        Article(
            id="v1-a",
            url="https://isubogor.example/putin-melunak",
            outlet="ISU BOGOR",
            language="id",
            title="Putin Akhirnya Melunak",
            published_at="2022-02-15T16:11:00+07:00",
            body=[
                "Juru Bicara Pemerintah Rusia Dmitry Peskov mengatakan Presiden Vladimir Putin bersedia berunding.",
                "\"Ukraina hanyalah bagian dari masalah,\" kata Peskov.",
            ],
            entities=[
                Entity(id="e1", name="Dmitry Peskov", type="PER", role="Juru Bicara Pemerintah Rusia",
                       mentions=[Mention(paragraph=0, start=30, end=43, text="Dmitry Peskov")]),
                Entity(id="e2", name="Vladimir Putin", type="PER",
                       mentions=[Mention(paragraph=0, start=63, end=77, text="Vladimir Putin")]),
            ],
            quotes=[Quote(paragraph=1, start=1, end=38, text="Ukraina hanyalah bagian dari masalah,", kind="direct",
                          cue="kata", speaker=Speaker(name="Peskov", entity_id="e1"))],
            sources=[Source(name="TASS", kind="news_agency")],
        ),
        Article(
            id="v1-b",
            url="https://kompas.example/harga-beras",
            outlet="Kompas.com",
            language="id",
            title="Harga beras naik di Jakarta",
            published_at="2024-03-01T08:00:00+07:00",
            body=["Harga beras di pasar Jakarta naik lagi pekan ini, kata pedagang."],
        ),
    ]


def main() -> None:
    OUT.unlink(missing_ok=True)
    store = SQLiteStore(OUT, max_version=1)
    store.upsert_articles(articles())
    store.close()
    conn = sqlite3.connect(OUT)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
