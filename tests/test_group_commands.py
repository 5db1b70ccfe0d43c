"""`warta duplicates` and `warta stories` over a small SQLite store filled through the Grouper."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from typer.testing import CliRunner

from warta.cli import app
from warta.group import Grouper
from warta.group.listing import parse_since
from warta.record import Article
from warta.store import open_store
from warta.store.base import StoryMeta

BODY = [
    "Menteri Keuangan Purbaya Yudhi Sadewa menilai kepala daerah penting dalam menjaga inflasi di wilayahnya.",
    "Dengan mengendalikan inflasi maka popularitas kepala daerah akan meningkat, katanya dalam rapat koordinasi.",
    "Dari 38 provinsi, 37 di antaranya tercatat inflasi positif, hanya Maluku Utara yang mengalami deflasi.",
]


def _fill(db: Path) -> None:
    g = Grouper.loads(None)
    articles = [
        Article(id="b", title="Purbaya: inflasi daerah (salinan)", body=BODY + ["Simak juga video berikut ini ya."],
                outlet="Situs B", published_at="2025-10-20T12:00:00+07:00", url="https://b.example/1"),
        Article(id="a", title="Purbaya: inflasi daerah", body=BODY, outlet="Situs A",
                published_at="2025-10-20T09:00:00+07:00", url="https://a.example/1"),
        Article(id="c", title="Banjir Pantura", body=["Hujan deras membuat Jalan Pantura Kaligawe banjir setinggi lutut pagi ini."],
                outlet="Situs C", published_at="2025-10-21T07:00:00+07:00", url="https://c.example/1"),
    ]
    out = {a.id: g.add(a) for a in articles}
    for links in g.take_updates():
        out[links.id] = msgspec.structs.replace(out[links.id], duplicate_of=links.duplicate_of,
                                                syndication=links.syndication, story_id=links.story_id)
    with open_store(db) as store:
        store.upsert_articles(list(out.values()))
        store.put_stories(StoryMeta(id=s.id, title=s.title) for s in g.stories())


def test_duplicates_and_stories_commands(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    _fill(db)
    runner = CliRunner()
    result = runner.invoke(app, ["duplicates", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("syn-") and "2 articles" in lines[0]
    assert "original" in lines[1] and "Situs A" in lines[1]
    assert "duplicate" in lines[2] and "Situs B" in lines[2] and "+1/-0" in lines[2]
    as_json = json.loads(runner.invoke(app, ["duplicates", "--db", str(db), "-f", "json"]).output)
    assert [m["id"] for m in as_json[0]["members"]] == ["a", "b"]

    result = runner.invoke(app, ["stories", "--db", str(db), "--min-articles", "1", "--since", "2025-10-20"])
    assert result.exit_code == 0, result.output
    assert "first report: Situs A" in result.output and "Banjir Pantura" in result.output
    assert "no stories found" in runner.invoke(app, ["stories", "--db", str(db), "--since", "24h"]).output
    assert runner.invoke(app, ["stories", "--db", str(db), "--since", "kemarin"]).exit_code == 2
    assert runner.invoke(app, ["duplicates", "--db", str(tmp_path / "missing.db")]).exit_code == 2


def test_parse_since() -> None:
    now = datetime(2025, 10, 22, 12, 0, tzinfo=UTC)
    assert parse_since("24h", now) == "2025-10-21T12:00:00+00:00"
    assert parse_since("7d", now) == "2025-10-15T12:00:00+00:00"
    assert parse_since("2025-10-20", now) == "2025-10-20T00:00:00+07:00"
    assert parse_since(None, now) is None
