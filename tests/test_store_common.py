"""Shared helpers of the store tests: a fresh store of each backend, and small hand-made articles.

(No tests here; the other tests/test_store_*, test_search_* and test_ingest_* files import it.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from warta.record import Article, Entity, Link, Mention, Quote, Source, Speaker, Syndication
from warta.store import Store, open_store

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def fresh_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A new, empty store: a SQLite file in tmp_path, or a new schema in the test PostgreSQL."""
    if kind == "sqlite":
        store = open_store(tmp_path / "warta.db")
        yield store
        store.close()
        return
    pg_url = request.getfixturevalue("pg_url")
    sep = "&" if "?" in pg_url else "?"
    store = open_store(f"{pg_url}{sep}schema=t_{uuid.uuid4().hex[:12]}")
    try:
        yield store
    finally:
        store.drop()  # type: ignore[attr-defined]
        store.close()


def mention(text: str, body: list[str], paragraph: int = 0) -> Mention:
    start = body[paragraph].index(text)
    return Mention(paragraph=paragraph, start=start, end=start + len(text), text=text)


def peskov_article(**changes: object) -> Article:
    body = [
        "MOSKOW - Juru Bicara Pemerintah Rusia Dmitry Peskov mengatakan kebijakannya tidak berubah.",
        "\"Kami tidak akan mundur dari perundingan,\" kata Peskov kepada wartawan di Moskow.",
        "Presiden Vladimir Putin dijadwalkan bertemu Presiden Joko Widodo pekan depan.",
    ]
    article = Article(
        id="art-peskov",
        url="https://isubogor.example/2022/putin-melunak",
        canonical_url="https://isubogor.example/2022/putin-melunak",
        domain="isubogor.example",
        outlet="ISU BOGOR",
        language="id",
        title="Putin Akhirnya Melunak, Jubir Rusia Bicara",
        published_at="2022-02-15T16:11:00+07:00",
        body=body,
        entities=[
            Entity(id="e1", name="Dmitry Peskov", type="PER", role="Juru Bicara Pemerintah Rusia",
                   mentions=[mention("Dmitry Peskov", body), mention("Peskov", body, 1)]),
            Entity(id="e2", name="Vladimir Putin", type="PER", mentions=[mention("Vladimir Putin", body, 2)]),
            Entity(id="e3", name="Moskow", type="LOC", mentions=[mention("MOSKOW", body)]),
            Entity(id="e4", name="Joko Widodo", type="PER", mentions=[mention("Joko Widodo", body, 2)]),
        ],
        quotes=[
            Quote(paragraph=1, start=1, end=41, text="Kami tidak akan mundur dari perundingan,", kind="direct",
                  cue="kata", speaker=Speaker(name="Peskov", entity_id="e1")),
        ],
        sources=[Source(name="TASS", kind="news_agency", evidence=["dilansir dari TASS"])],
        related=[Link(title="Harga beras naik", url="https://kompas.example/beras")],
        story_id="story-rusia",
    )
    return msgspec_replace(article, **changes)


def beras_article(**changes: object) -> Article:
    body = [
        "JAKARTA, KOMPAS.com - Harga beras di pasar Jakarta naik lagi pekan ini.",
        "Menteri Perdagangan mengatakan pasokan beras cukup hingga akhir tahun.",
        "Presiden Joko Widodo meminta harga pangan dijaga.",
    ]
    article = Article(
        id="art-beras",
        url="https://kompas.example/beras",
        domain="kompas.example",
        outlet="Kompas.com",
        language="id",
        title="Harga beras naik di Jakarta",
        published_at="2024-03-01T08:00:00+07:00",
        body=body,
        entities=[
            Entity(id="e1", name="Joko Widodo", type="PER", role="Presiden", mentions=[mention("Joko Widodo", body, 2)]),
            Entity(id="e2", name="Jakarta", type="LOC", mentions=[mention("Jakarta", body)]),
            Entity(id="e3", name="Kementerian Perdagangan", type="ORG"),
        ],
        quotes=[
            Quote(paragraph=1, start=0, end=70, text="pasokan beras cukup hingga akhir tahun", kind="indirect",
                  cue="mengatakan", speaker=Speaker(name="Menteri Perdagangan")),
        ],
        story_id="story-beras",
    )
    return msgspec_replace(article, **changes)


def copy_article(**changes: object) -> Article:
    """A later rewrite of the Peskov piece by another outlet, in the same story."""
    article = peskov_article(
        id="art-copy",
        url="https://tribun.example/putin",
        canonical_url="https://tribun.example/putin",
        domain="tribun.example",
        outlet="Tribunnews",
        title="Jubir Kremlin: Rusia tidak akan mundur",
        published_at="2022-02-16T09:00:00+07:00",
        duplicate_of="art-peskov",
        syndication=Syndication(group_id="syn-1", original_id="art-peskov", wire_source="TASS"),
        entities=[Entity(id="x1", name="Dmitri Peskov", type="PER", mentions=[])],
        quotes=[Quote(paragraph=1, start=1, end=41, text="Kami tidak akan mundur dari perundingan,", kind="direct",
                      cue="kata", speaker=Speaker(name="Dmitri Peskov", entity_id="x1"))],
        related=[],
    )
    return msgspec_replace(article, **changes)


def english_article() -> Article:
    return Article(
        id="art-en",
        url="https://tempo.example/en/fire",
        outlet="TEMPO.CO",
        language="en",
        title="Peatland fires spread in Riau",
        published_at="2015-11-04",
        body=["Peatland fires spread across Riau, officials said on Wednesday."],
    )


def corpus() -> list[Article]:
    return [peskov_article(), beras_article(), copy_article(), english_article()]


def msgspec_replace(article: Article, **changes: object) -> Article:
    import msgspec

    return msgspec.structs.replace(article, **changes) if changes else article
