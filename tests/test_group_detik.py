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
    exact_copies = [a for _, a in out if grouper.is_exact_copy(a.id)]
    assert len(exact_copies) == 91
    assert len(articles) - len(exact_copies) == 909
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


def test_ingest_order_does_not_change_who_copied_whom(shared_data: Path, grouped) -> None:  # type: ignore[no-untyped-def]
    """Ingest in a shuffled order, apply the re-marking updates: the same originals as in time order."""
    import random

    from warta.group import Grouper

    articles, _, in_time_order = grouped
    expected = {a.id: a.duplicate_of for _, a in in_time_order}
    expected_group = {a.id: a.syndication.original_id if a.syndication else None for _, a in in_time_order}
    shuffled = [a for _, a in articles]
    random.Random(5).shuffle(shuffled)
    grouper = Grouper.loads(None)
    final = {}
    for article in shuffled:
        out = grouper.add(article)
        final[out.id] = (out.duplicate_of, out.syndication.original_id if out.syndication else None)
        for links in grouper.take_updates():
            final[links.id] = (links.duplicate_of, links.syndication.original_id if links.syndication else None)
    assert {k: v[0] for k, v in final.items()} == expected
    assert {k: v[1] for k, v in final.items()} == expected_group
