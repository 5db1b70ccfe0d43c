"""The text reader generalises: whole-page dumps (inscriptis text of each id-news-2015 page, navigation included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.text_read import id_news_scores


@pytest.fixture(scope="module", params=["inscriptis", "html2text"])
def scores(shared_data: Path, request: pytest.FixtureRequest) -> list[dict[str, object]]:
    """Plain-text dumps (inscriptis) and Markdown dumps (html2text) of the same pages."""
    return id_news_scores(shared_data, converter=request.param)


def test_every_title_and_publication_day(scores: list[dict[str, object]]) -> None:
    assert [s["page"] for s in scores if not s["title_ok"]] == []
    assert [s["page"] for s in scores if not s["day_ok"]] == []


def test_body_token_f1(scores: list[dict[str, object]]) -> None:
    f1 = {str(s["page"]): float(s["f1"]) for s in scores}  # type: ignore[arg-type]
    assert sum(f1.values()) / len(f1) >= 0.92
    # Two pages stay below 0.9 (see docs/BENCHMARKS.md): a Detik photo page whose silver body is one sentence,
    # and a Liputan6 photo gallery whose silver body is its captions. Every other page must reach 0.9.
    below = sorted(page for page, value in f1.items() if value < 0.9)
    assert len(below) <= 2, below
    assert all(value >= 0.95 for page, value in f1.items() if page.startswith(("antara", "kompas", "okezone")))
