"""Helpers for the web tests: a store ingested from real articles of ../shared/data through warta's library
(read -> understand -> group -> store), and a uvicorn server on a free loopback port."""

from __future__ import annotations

import csv
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec
import uvicorn

from warta.group.grouper import Grouper
from warta.read.text import read_text
from warta.record import Article
from warta.sources.document import Document
from warta.store import StoryMeta, open_store
from warta.understand import analyze

SEED = "seed/isubogor-2022-02-15-putin-melunak.txt"


def detik_rows(shared_data: Path, n: int) -> list[dict[str, str]]:
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[:n]


def read_detik(row: dict[str, str]) -> Article:
    doc = Document(
        text=row["isi_berita"],
        content_type="text/plain",
        url=row["tautan"],
        source="detik-2025",
        fields={"title": row["judul"], "url": row["tautan"], "published": row["tanggal"], "dayfirst": "false"},
    )
    return read_text(row["isi_berita"], doc)


def read_seed(shared_data: Path) -> Article:
    text = (shared_data / SEED).read_text(encoding="utf-8")
    return read_text(text, Document(text=text, content_type="text/plain", source=SEED))


def build_articles(shared_data: Path, n_detik: int) -> list[Article]:
    """Real articles read and analysed by warta itself."""
    raw = [read_detik(r) for r in detik_rows(shared_data, n_detik)] + [read_seed(shared_data)]
    return [analyze(a) for a in raw]


def build_store(shared_data: Path, path: Path, n_detik: int) -> tuple[list[Article], str]:
    articles = build_articles(shared_data, n_detik)
    grouper = Grouper()
    grouped = {a.id: a for a in (grouper.add(a) for a in articles)}
    for links in grouper.take_updates():  # earlier articles re-marked by later ones
        if links.id in grouped:
            grouped[links.id] = msgspec.structs.replace(
                grouped[links.id], duplicate_of=links.duplicate_of, syndication=links.syndication, story_id=links.story_id
            )
    with open_store(str(path)) as store:
        store.upsert_articles(grouped.values())
        store.put_stories(StoryMeta(id=s.id, title=s.title) for s in grouper.stories())
    return list(grouped.values()), str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running(app: object) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
