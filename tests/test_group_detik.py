"""The group stage on the real Detik 2025 corpus against the hand labels in tests/data/group/."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.group import detik_articles, gold_pairs, gold_stories, predicted_pairs, run_grouper

from warta.group.evaluate import bcubed, pair_scores


@pytest.fixture(scope="module")
def grouped(shared_data: Path):  # type: ignore[no-untyped-def]
    articles = detik_articles(shared_data)
    grouper, out = run_grouper(articles)
    return articles, grouper, out


def test_repeated_rows_collapse_to_909_articles(grouped) -> None:  # type: ignore[no-untyped-def]
    articles, grouper, out = grouped
    assert len(articles) == 1000
    assert len(grouper.exact_of) == 91
    originals = {a.id for _, a in out if not (a.duplicate_of and grouper.exact_of.get(grouper.doc_of[a.id]) is not None)}
    assert len(originals) == 909
    # with the reader's own ids (hash of the URL) the store sees the same 909 articles
    assert len({a.url for _, a in articles}) == 909


def test_near_duplicates_against_labels(grouped) -> None:  # type: ignore[no-untyped-def]
    _, grouper, out = grouped
    labelled = gold_pairs()
    pred = predicted_pairs(out, grouper)
    scores = pair_scores(pred, set(labelled))
    assert scores.fp == 0, sorted(tuple(sorted(p)) for p in pred - set(labelled))
    assert scores.f1 >= 0.95
    exact = {p for p, kind in labelled.items() if kind == "exact"}
    assert exact <= pred  # every exact pair is found


def test_stories_bcubed(grouped) -> None:  # type: ignore[no-untyped-def]
    _, _, out = grouped
    scores = bcubed({row: a.story_id for row, a in out}, gold_stories())
    assert scores.f1 >= 0.85


def test_copies_share_a_story_and_point_to_the_earliest(grouped) -> None:  # type: ignore[no-untyped-def]
    _, _, out = grouped
    by_id = {a.id: a for _, a in out}
    copies = [a for a in by_id.values() if a.duplicate_of]
    assert copies
    for a in copies:
        original = by_id[a.duplicate_of]
        assert original.duplicate_of is None
        assert a.story_id == original.story_id
        assert (original.published_at or "") <= (a.published_at or "~")
