"""The query language: parsing, clear errors, and what each operator and filter finds on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_store_common import BACKENDS, corpus, fresh_store
from warta.store import QueryError, Store
from warta.store.query import And, Filter, Not, Or, Text, parse_query


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for s in fresh_store(request.param, tmp_path, request):
        s.upsert_articles(corpus())
        yield s


def ids(store: Store, q: str, **kw: object) -> list[str]:
    return [h.article.id for h in store.search(q, limit=50, **kw).hits]  # type: ignore[arg-type]


# -- parsing ---------------------------------------------------------------------------------
def test_parse_tree() -> None:
    root = parse_query('kebijakan "dmitry peskov" OR (putin -ukraina) outlet:kompas').root
    assert root == Or(
        (
            And((Text(("bijak",), raw="kebijakan"), Text(("dmitry", "peskov"), raw="dmitry peskov"))),
            And(
                (
                    And((Text(("putin",), raw="putin"), Not(Text(("ukraina",), raw="ukraina")))),
                    Filter("outlet", "kompas", key="kompas"),
                )
            ),
        )
    )
    assert parse_query("").root is None
    assert parse_query("   ").root is None
    assert parse_query("covid-19").root == Text(("covid", "19"), raw="covid-19")
    assert parse_query("presid*").root == Text(("presid",), prefix=True, raw="presid")
    assert parse_query("dan atau").root == And((Text(("dan",), raw="dan"), Text(("atau",), raw="atau")))


def test_dates() -> None:
    now = datetime(2024, 6, 1, tzinfo=UTC)
    after = parse_query("after:2024-05-17", now=now).root
    assert isinstance(after, Filter) and after.ts == int(datetime.fromisoformat("2024-05-17T00:00:00+07:00").timestamp())
    week = parse_query("after:7d", now=now).root
    assert isinstance(week, Filter) and week.ts == int(now.timestamp()) - 7 * 86400
    iso = parse_query("before:2024-05-17T10:00:00Z").root
    assert isinstance(iso, Filter) and iso.ts == int(datetime(2024, 5, 17, 10, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"harga beras', "unclosed quote"),
        ("(putin", "unclosed '('"),
        ("putin (", "unclosed '('"),
        ("putin)", "unbalanced ')'"),
        ("()", "empty parentheses"),
        ("AND putin", "AND needs something on its left"),
        ("putin AND", "AND needs something on its right"),
        ("putin OR", "OR needs something on its right"),
        ("OR putin", "OR needs something on its left"),
        ("NOT", "NOT needs something after it"),
        ("putin -", None),
        ("foo:bar", "unknown filter 'foo'"),
        ("outlet:", "needs a value"),
        ("outlet: kompas", "needs a value"),
        ("after:kemarin", "cannot read the date"),
        ("lang:indonesian", "ISO 639-1"),
        ("said:!!!", "needs words"),
        ("x" * 2001, "limit is 2000"),
        ("a\x00b", "NUL"),
        ("*", "prefix needs letters"),
        ("putin OR !!!", "one side of OR"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query: str, message: str | None) -> None:
    if message is None:
        parse_query(query)  # a trailing "-" is a word of its own: no error, nothing to search
        return
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert message in str(info.value)
    if info.value.position is not None:
        assert 0 <= info.value.position <= len(query)


def test_error_points_at_the_problem() -> None:
    with pytest.raises(QueryError) as info:
        parse_query('putin outlet:kompas "harga')
    assert info.value.position == 20
    assert str(info.value).splitlines()[-1] == " " * (2 + 20) + "^"


def test_too_many_terms() -> None:
    with pytest.raises(QueryError, match="too many terms"):
        parse_query(" ".join(f"w{i}" for i in range(100)))


# -- searching -------------------------------------------------------------------------------
def test_words_are_stemmed(store: Store) -> None:
    # "kebijakannya" in the text, "kebijakan" and "bijak" in the query: one stem
    assert ids(store, "kebijakan") == ids(store, "bijak") != []
    assert set(ids(store, "kebijakan")) == {"art-peskov", "art-copy"}
    assert ids(store, "MOSKOW") == ids(store, "moskow")


def test_phrase_boolean_prefix(store: Store) -> None:
    assert set(ids(store, '"harga beras"')) == {"art-beras"}
    assert ids(store, '"beras harga"') == []
    assert set(ids(store, "putin beras")) == set()
    assert set(ids(store, "putin OR beras")) == {"art-peskov", "art-copy", "art-beras"}
    assert set(ids(store, "putin AND widodo")) == {"art-peskov", "art-copy"}
    assert set(ids(store, "widodo -putin")) == {"art-beras"}
    assert set(ids(store, "widodo NOT putin")) == {"art-beras"}
    assert set(ids(store, "NOT putin")) == {"art-beras", "art-en"}
    assert set(ids(store, "(putin OR peatland) -kremlin")) == {"art-peskov", "art-en"}
    assert set(ids(store, "perunding*")) == {"art-peskov", "art-copy"}
    assert set(ids(store, "peat*")) == {"art-en"}
    assert set(ids(store, '"harga bera"*')) == {"art-beras"}
    assert ids(store, "") == ["art-beras", "art-copy", "art-peskov", "art-en"]  # everything, newest first


def test_filters(store: Store) -> None:
    assert ids(store, "outlet:kompas") == ["art-beras"]
    assert ids(store, "outlet:kompas.com") == ["art-beras"]
    assert ids(store, "outlet:tribun.example") == ["art-copy"]
    assert set(ids(store, "source:tass")) == {"art-peskov", "art-copy"}
    assert set(ids(store, "person:putin")) == {"art-peskov"}
    assert set(ids(store, 'person:"joko widodo"')) == {"art-peskov", "art-beras"}
    assert set(ids(store, "place:jakarta")) == {"art-beras"}
    assert set(ids(store, "org:perdagangan")) == {"art-beras"}
    assert ids(store, "person:jakarta") == []
    assert set(ids(store, "said:mundur")) == {"art-peskov", "art-copy"}
    assert set(ids(store, 'said:"pasokan beras"')) == {"art-beras"}
    assert ids(store, "said:presiden") == []  # in the body, not inside a quote
    assert set(ids(store, "by:peskov")) == {"art-peskov", "art-copy"}
    assert set(ids(store, 'by:"menteri perdagangan"')) == {"art-beras"}
    assert set(ids(store, "after:2022-02-16")) == {"art-copy", "art-beras"}
    assert set(ids(store, "before:2022-02-16")) == {"art-peskov", "art-en"}
    assert set(ids(store, "after:2022 before:2023")) == {"art-peskov", "art-copy"}
    assert ids(store, "lang:en") == ["art-en"]
    assert set(ids(store, "putin outlet:tribunnews")) == {"art-copy"}
    assert set(ids(store, "outlet:kompas OR source:tass")) == {"art-beras", "art-peskov", "art-copy"}
    assert set(ids(store, "-source:tass")) == {"art-beras", "art-en"}
    assert set(ids(store, "mundur -outlet:tribunnews")) == {"art-peskov"}


def test_sort_total_paging(store: Store) -> None:
    by_date = ids(store, "presiden", sort="date")
    assert by_date == ["art-beras", "art-copy", "art-peskov"]
    res = store.search("presiden", limit=1, offset=1, sort="date")
    assert res.total == 3 and [h.article.id for h in res.hits] == ["art-copy"]
    # relevance: the article with the word in its title and body twice ranks first
    assert ids(store, "beras")[0] == "art-beras"
    with pytest.raises(ValueError):
        store.search("x", sort="popular")  # type: ignore[arg-type]


def test_facets_and_snippets(store: Store) -> None:
    res = store.search("presiden")
    assert res.facets is not None
    assert {(f.value, f.count) for f in res.facets.outlet} == {("ISU BOGOR", 1), ("Tribunnews", 1), ("Kompas.com", 1)}
    assert [(f.value, f.count) for f in res.facets.day] == [("2024-03-01", 1), ("2022-02-16", 1), ("2022-02-15", 1)]
    entity = {f.key: f.count for f in res.facets.entity}
    assert entity["per-joko-widodo"] == 2 and entity["per-dmitri-peskov"] == 1
    beras = next(h for h in store.search('"harga beras" pasokan').hits)
    marked = [beras.snippet[h.start : h.end] for h in beras.highlights]
    assert marked and {m.lower() for m in marked} <= {"harga", "beras", "pasokan"}
    assert "<mark>" in beras.snippet_html()
    assert store.search("presiden", facets=False).facets is None
    empty = store.search("zzzz")
    assert empty.total == 0 and empty.hits == []


def test_malformed_query_raises_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.search('"unclosed')
    with pytest.raises(QueryError):
        store.iter_articles("(a").__next__()


def test_large_results_rank_the_newest_window(store: Store) -> None:
    store.RANK_WINDOW = 2  # type: ignore[attr-defined]
    res = store.search("presiden", limit=10)
    assert res.total == 3  # the total stays exact
    # only the two most recently stored matches (art-beras, art-copy) are ranked and counted
    assert {h.article.id for h in res.hits} == {"art-beras", "art-copy"}
    assert res.facets is not None and res.facets.counted == 2
    assert sum(f.count for f in res.facets.outlet) == 2
    assert [h.article.id for h in store.search("presiden", sort="date").hits] == ["art-beras", "art-copy"]
    small = store.search("widodo -putin")
    assert small.total == 1 and small.facets is not None and small.facets.counted == 1


def test_counting_stops_at_the_cap(store: Store) -> None:
    store.COUNT_CAP = 2  # type: ignore[attr-defined]
    res = store.search("presiden")
    assert (res.total, res.total_exact) == (2, False) and len(res.hits) == 3
    res = store.search("outlet:kompas OR source:tass")
    assert (res.total, res.total_exact) == (2, False)
    assert store.search("widodo -putin").total_exact
