"""Merge suggestions across a store, and `warta entities` list / show / merge / undo / suggest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import warta
from warta.cli import app
from warta.record import Article
from warta.understand import analyze
from warta.understand.aliases import candidate_pairs, pair_evidence, score, suggest_merges

BODIES = [
    "Juru Bicara Pemerintah Rusia Dmitry Peskov mengatakan Presiden Rusia Vladimir Putin siap berunding dengan NATO di Moskow.",
    "Juru Bicara Pemerintah Rusia Dmitry Peskov menyebut Presiden Rusia Vladimir Putin tidak akan menyerang Ukraina.",
    "Juru Bicara Pemerintah Rusia Dmitry Preskov mengatakan NATO harus mundur. Presiden Rusia Vladimir Putin setuju.",
    "Pejabat di Moscow mengatakan Putin akan bertemu NATO di Ukraina.",
]


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "w.db")
    arts = [
        analyze(Article(id=f"a{i}", title=f"t{i}", published_at=f"2022-02-1{i}T10:00:00+07:00", body=[b]), ["entities"])
        for i, b in enumerate(BODIES)
    ]
    with warta.open_store(path) as store:
        store.upsert_articles(arts)
    return path


class Row:
    def __init__(self, id: str, name: str, type: str, articles: int = 1, roles: list[str] | None = None) -> None:
        self.id, self.name, self.type, self.articles, self.roles = id, name, type, articles, roles or []


def test_pair_evidence_reasons() -> None:
    ev = pair_evidence(Row("a", "Dmitry Peskov", "PER", roles=["Juru Bicara"]), Row("b", "Dmitry Preskov", "PER", roles=["Juru Bicara"]))
    assert ev["edit_distance"] == 1 and ev["shared_given_name"] == "dmitry" and ev["same_role"] == "Juru Bicara"
    assert score(ev) >= 1.0
    ex = pair_evidence(Row("a", "Moskow", "LOC"), Row("b", "Moscow", "LOC"))
    assert ex["exonym"] == "Moskow"
    assert pair_evidence(Row("a", "Joko Widodo", "PER"), Row("b", "Joko Susilo", "PER")) == {}
    pairs = candidate_pairs([Row("1", "KPK", "ORG"), Row("2", "Komisi Pemberantasan Korupsi", "ORG"), Row("3", "KPK", "LOC")])
    assert [(a.id, b.id) for a, b in pairs] == [("1", "2")]


def test_suggest_merges_on_a_store(db: str) -> None:
    with warta.open_store(db) as store:
        sugg = suggest_merges(store)
    pairs = {(s.merge, s.keep) for s in sugg}
    assert ("per-dmitry-preskov", "per-dmitry-peskov") in pairs  # the majority form is kept
    assert ("per-putin", "per-vladimir-putin") in pairs
    best = next(s for s in sugg if s.merge == "per-dmitry-preskov")
    assert "edit distance 1" in best.reason and best.evidence["same_role"] == "Juru Bicara Pemerintah Rusia"


def test_cli_list_merge_show_undo(db: str) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["entities", "list", "--db", db, "--type", "PER", "--format", "json"])
    assert out.exit_code == 0, out.output
    ids = [r["id"] for r in json.loads(out.output)]
    assert "per-dmitry-peskov" in ids and "per-dmitry-preskov" in ids

    out = runner.invoke(app, ["entities", "suggest", "--db", db, "--apply"])
    assert out.exit_code == 0 and "Dmitry Preskov (per-dmitry-preskov) -> Dmitry Peskov" in out.output

    out = runner.invoke(app, ["entities", "show", "per-dmitry-preskov", "--db", db, "--format", "json"])
    data = json.loads(out.output)
    assert data["entity"]["id"] == "per-dmitry-peskov" and data["entity"]["articles"] == 3
    merge_id = data["merges"][0]["id"]
    assert "edit distance" in data["merges"][0]["reason"]

    out = runner.invoke(app, ["entities", "undo", str(merge_id), "--db", db])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["entities", "show", "per-dmitry-preskov", "--db", db, "--format", "json"])
    assert json.loads(out.output)["entity"]["id"] == "per-dmitry-preskov"

    out = runner.invoke(app, ["entities", "merge", "per-dmitry-peskov", "per-dmitry-preskov", "--db", db, "--reason", "same man"])
    assert out.exit_code == 0 and "per-dmitry-preskov -> per-dmitry-peskov" in out.output
    out = runner.invoke(app, ["entities", "history", "--db", db])
    assert "same man" in out.output

    out = runner.invoke(app, ["entities", "show", "per-nobody", "--db", db])
    assert out.exit_code == 1


def test_same_role_alone_is_no_suggestion(tmp_path: Path) -> None:
    bodies = [
        "Presiden Joko Widodo bertemu Gubernur Joko Anwar di Jakarta.",
        "Presiden Joko Anwar dan Presiden Joko Widodo berbicara di Jakarta.",
    ]
    path = str(tmp_path / "r.db")
    arts = [analyze(Article(id=f"r{i}", title="t", published_at="2022-02-10T10:00:00+07:00", body=[b]), ["entities"]) for i, b in enumerate(bodies)]
    with warta.open_store(path) as store:
        store.upsert_articles(arts)
        sugg = suggest_merges(store)
    assert not [s for s in sugg if {s.keep, s.merge} == {"per-joko-widodo", "per-joko-anwar"}]


def test_acronym_evidence() -> None:
    ev = pair_evidence(Row("a", "LKPP", "ORG"), Row("b", "Lembaga Kebijakan Pengadaan Pemerintah", "ORG"))
    assert ev["acronym"] == "LKPP" and score({**ev, "co_occurrence": 0.5}) >= 0.8
    assert "acronym" not in pair_evidence(Row("a", "LKPP", "ORG"), Row("b", "Lembaga Kajian Publik", "ORG"))
    pairs = candidate_pairs([Row("1", "LKPP", "ORG"), Row("2", "Lembaga Kebijakan Pengadaan Pemerintah", "ORG")])
    assert len(pairs) == 1
