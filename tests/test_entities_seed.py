"""The seed article through the real pipeline: every expected entity with its name, type and role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import warta
from warta.record import Article
from warta.understand.names import normalize_name

SEED = "seed/isubogor-2022-02-15-putin-melunak"


@pytest.fixture(scope="module")
def seed(shared_data: Path) -> tuple[dict, Article]:
    expected = json.loads((shared_data / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    article = warta.analyze(warta.parse(shared_data / f"{SEED}.txt"), ["entities"])
    return expected, article


def _find(article: Article, want: dict) -> object:
    names = {normalize_name(n) for n in [want["name"], *want.get("also_accepted_names", [])]}
    hits = [e for e in article.entities if normalize_name(e.name) in names]
    assert len(hits) == 1, f"{want['name']}: found {[e.name for e in hits]} among {[e.name for e in article.entities]}"
    return hits[0]


def test_every_expected_entity(seed: tuple[dict, Article]) -> None:
    expected, article = seed
    for want in expected["entities"]:
        ent = _find(article, want)
        assert ent.type == want["type"], ent
        if "role" in want:
            assert ent.role == want["role"], ent
        for alias in want.get("role_aliases", []):
            assert alias in ent.role_aliases, ent
        texts = {m.text for m in ent.mentions}
        for mention in want["mentions"]:
            assert mention in texts, (want["name"], mention, texts)


def test_mention_offsets_point_into_body(seed: tuple[dict, Article]) -> None:
    _, article = seed
    assert article.entities
    for ent in article.entities:
        for m in ent.mentions:
            assert article.body[m.paragraph][m.start : m.end] == m.text


def test_peskov_majority_form_and_variant_kept(seed: tuple[dict, Article]) -> None:
    _, article = seed
    peskov = [e for e in article.entities if e.name == "Dmitry Peskov"]
    assert len(peskov) == 1
    assert "Dmitry Preskov" in peskov[0].aliases
    assert [m.text for m in peskov[0].mentions].count("Dmitry Preskov") == 1
    assert peskov[0].id == "per-dmitry-peskov"
    assert not any(e.name == "Dmitry Preskov" for e in article.entities)


def test_roles_kept_apart_from_names(seed: tuple[dict, Article]) -> None:
    _, article = seed
    for ent in article.entities:
        if ent.type == "PER":
            assert not any(w in ent.name.split() for w in ("Presiden", "Menteri", "Juru", "Jubir")), ent.name
