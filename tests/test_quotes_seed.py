"""The seed page through the real pipeline: its 8 statements by Dmitry Peskov, and nothing invented."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import warta
from warta.record import Article
from warta.understand import analyze

SEED = "seed/isubogor-2022-02-15-putin-melunak"


def _expected(shared_data: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((shared_data / f"{SEED}.expected.json").read_text(encoding="utf-8"))


def _check_quotes(article: Article, expected: dict) -> None:  # type: ignore[type-arg]
    assert article.body == expected["body"], "the reader's body differs from the expected one"
    optional = {q["paragraph"] for q in expected["quotes_optional"]}
    wanted = {(q["paragraph"], q["text"]): q for q in expected["quotes"]}
    got = {(q.paragraph, q.text): q for q in article.quotes}
    missing = [k for k in wanted if k not in got]
    assert not missing, f"quotes not found: {missing}"
    invented = [k for k in got if k not in wanted and k[0] not in optional]
    assert not invented, f"quotes invented: {invented}"
    for key, exp in wanted.items():
        q = got[key]
        assert q.kind == exp["kind"], key
        assert q.cue == exp["cue"], key
        assert q.speaker.name == exp["speaker"], key
        m = q.speaker.mention
        assert m is not None and m.text == exp["speaker_mention"], key
        para = article.body[q.paragraph]
        assert para[q.start : q.end] == q.text
        span = para[m.start : m.end]
        assert span == m.text or (m.text == "-nya" and span == "nya"), (span, m.text)


def test_seed_quotes_without_entities(shared_data: Path) -> None:
    """Degraded mode: no entity component, speakers resolved among themselves ("Preskov" -> "Peskov")."""
    article = analyze(warta.parse(shared_data / f"{SEED}.txt"), components=["sources", "quotes"])
    _check_quotes(article, _expected(shared_data))


def test_seed_quotes_full_pipeline(shared_data: Path) -> None:
    if importlib.util.find_spec("warta.understand.entities") is None:
        pytest.skip("warta.understand.entities has not landed yet")
    article = warta.analyze(warta.parse(shared_data / f"{SEED}.txt"))
    _check_quotes(article, _expected(shared_data))
    peskov = [e for e in article.entities if e.name == "Dmitry Peskov"]
    if peskov:
        assert all(
            q.speaker.entity_id == peskov[0].id for q in article.quotes if q.speaker.name == "Dmitry Peskov"
        )


def test_seed_source_tass(shared_data: Path) -> None:
    article = analyze(warta.parse(shared_data / f"{SEED}.txt"), components=["sources"])
    tass = [s for s in article.sources if s.name == "TASS"]
    assert len(tass) == 1, article.sources
    assert tass[0].kind == "news_agency"
    assert "dilansir dari TASS" in tass[0].evidence
    assert "Sumber: TASS" in tass[0].evidence
    assert [s.name for s in article.sources] == ["TASS"], article.sources
