"""The store interface on both backends (SQLite and a real PostgreSQL): the same tests, the same answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from test_store_common import (
    BACKENDS,
    beras_article,
    copy_article,
    corpus,
    english_article,
    fresh_store,
    peskov_article,
)
from warta.record import Article, Entity
from warta.store import NotFound, QueryError, Store, StoryMeta, entity_key
from warta.store.sqlbase import body_hash


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from fresh_store(request.param, tmp_path, request)


def test_same_article_twice_is_one_row(store: Store) -> None:
    first = store.upsert_articles([peskov_article(), beras_article()])
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    again = store.upsert_articles([peskov_article(), peskov_article()])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert store.count() == 2
    assert store.get_article("art-peskov") == peskov_article()
    assert store.get_article("nope") is None


def test_changed_article_keeps_history(store: Store) -> None:
    old = peskov_article()
    store.upsert_articles([old])
    before = store.article_meta(old.id)
    assert before is not None and before.version == 1 and before.previous_body_hash is None
    new = peskov_article(body=[*old.body, "Kremlin menambahkan keterangan baru soal gencatan senjata."])
    counts = store.upsert_articles([new])
    assert (counts.new, counts.updated) == (0, 1)
    after = store.article_meta(old.id)
    assert after is not None
    assert after.version == 2
    assert after.first_seen == before.first_seen
    assert after.body_hash == body_hash(new) != body_hash(old)
    assert after.previous_body_hash == body_hash(old)
    assert store.get_article(old.id) == new
    assert store.count() == 1
    # a change of metadata only (the group stage re-marking a story) keeps the body hashes
    store.upsert_articles([peskov_article(body=new.body, story_id="story-lain")])
    last = store.article_meta(old.id)
    assert last is not None and last.version == 3
    assert last.previous_body_hash == body_hash(old) and last.body_hash == body_hash(new)


def test_update_reindexes_text(store: Store) -> None:
    store.upsert_articles([peskov_article()])
    assert store.search("perundingan").total == 1
    store.upsert_articles([peskov_article(body=["Kabar gencatan senjata dari Kremlin."], quotes=[])])
    assert store.search("perundingan").total == 0
    assert store.search("gencatan").total == 1
    assert store.search("said:mundur").total == 0
    assert store.search("kremlin").total == 1


def test_article_without_id_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="id"):
        store.upsert_articles([Article(title="x")])
    assert store.count() == 0


def test_latest_order_outlet_and_paging(store: Store) -> None:
    store.upsert_articles(corpus())
    ids = [a.id for a in store.latest()]
    assert ids == ["art-beras", "art-copy", "art-peskov", "art-en"]
    assert [a.id for a in store.latest(limit=2, offset=1)] == ["art-copy", "art-peskov"]
    assert [a.id for a in store.latest(outlet="kompas.com")] == ["art-beras"]
    assert store.latest(limit=-5) == []
    found = store.find_by_url("https://kompas.example/beras")
    assert found is not None and found.id == "art-beras"


def test_entities_are_global_rows(store: Store) -> None:
    store.upsert_articles(corpus())
    jokowi = store.get_entity(entity_key("PER", "Joko Widodo"))
    assert jokowi is not None
    assert (jokowi.name, jokowi.type, jokowi.articles) == ("Joko Widodo", "PER", 2)
    assert "Presiden" in jokowi.roles
    people = store.list_entities(type="PER")
    assert people[0].id == "per-joko-widodo"
    assert {e.id for e in people} >= {"per-dmitry-peskov", "per-dmitri-peskov", "per-vladimir-putin"}
    assert {e.id for e in store.list_entities(q="peskov")} == {"per-dmitri-peskov", "per-dmitry-peskov"}
    assert [e.id for e in store.list_entities(type="LOC", q="jak")] == ["loc-jakarta"]
    mentions = store.entity_mentions("per-joko-widodo")
    assert [m.article.id for m in mentions] == ["art-beras", "art-peskov"]
    assert mentions[0].role == "Presiden" and mentions[0].name == "Joko Widodo"
    co = {c.entity.id: c.articles for c in store.co_entities("per-joko-widodo")}
    assert co["per-vladimir-putin"] == 1 and co["loc-jakarta"] == 1 and "per-joko-widodo" not in co
    trend = store.entity_trend("per-joko-widodo")
    assert [(t.value, t.count) for t in trend] == [("2022-02-15", 1), ("2024-03-01", 1)]


def test_who_said_what(store: Store) -> None:
    store.upsert_articles(corpus())
    quotes = store.entity_quotes("per-dmitry-peskov")
    assert [(q.article.id, q.text, q.cue) for q in quotes] == [
        ("art-peskov", "Kami tidak akan mundur dari perundingan,", "kata")
    ]
    assert quotes[0].speaker_id == "per-dmitry-peskov"
    article_quotes = store.quotes("art-beras")
    assert [(q.kind, q.speaker_name, q.speaker_id) for q in article_quotes] == [
        ("indirect", "Menteri Perdagangan", None)
    ]


def test_entity_counts_follow_updates(store: Store) -> None:
    store.upsert_articles([peskov_article(), beras_article()])
    assert store.get_entity("per-joko-widodo").articles == 2  # type: ignore[union-attr]
    store.upsert_articles([beras_article(entities=[Entity(id="e9", name="Jakarta", type="LOC")])])
    assert store.get_entity("per-joko-widodo").articles == 1  # type: ignore[union-attr]
    listed = {e.id: e.articles for e in store.list_entities(type="PER")}
    assert listed["per-joko-widodo"] == 1
    # an entity no article names any more is not listed
    store.upsert_articles([peskov_article(entities=[])])
    assert "per-joko-widodo" not in {e.id for e in store.list_entities()}


def test_merge_and_undo_with_audit(store: Store) -> None:
    store.upsert_articles(corpus())
    with pytest.raises(NotFound):
        store.merge_entities("per-dmitry-peskov", "per-nobody", reason="x")
    with pytest.raises(ValueError):
        store.merge_entities("per-dmitry-peskov", "per-dmitry-peskov", reason="same")
    with pytest.raises(ValueError, match="reason"):
        store.merge_entities("per-dmitry-peskov", "per-dmitri-peskov", reason=" ")
    mid = store.merge_entities(
        "per-dmitry-peskov", "per-dmitri-peskov", reason="edit distance 1, same role", evidence={"distance": 1}
    )
    merged = store.get_entity("per-dmitri-peskov")
    assert merged is not None and merged.id == "per-dmitry-peskov" and merged.articles == 2
    assert [q.article.id for q in store.entity_quotes("per-dmitry-peskov")] == ["art-copy", "art-peskov"]
    assert {q.speaker_id for q in store.entity_quotes("per-dmitry-peskov")} == {"per-dmitry-peskov"}
    aliases = store.aliases("per-dmitry-peskov")
    assert any(a.kind == "merged" and a.entity_id == "per-dmitri-peskov" and a.merge_id == mid for a in aliases)
    assert any(a.kind == "surface" and a.name == "Peskov" for a in aliases)
    listed = [e for e in store.list_entities(q="peskov")]
    assert [(e.id, e.articles) for e in listed] == [("per-dmitry-peskov", 2)]
    # searching by either name finds both articles
    assert store.search("person:dmitri").total == 2
    audit = store.merges("per-dmitri-peskov")
    assert [(m.id, m.keep, m.merge, m.reason, m.evidence, m.undone_at) for m in audit] == [
        (mid, "per-dmitry-peskov", "per-dmitri-peskov", "edit distance 1, same role", {"distance": 1}, None)
    ]
    store.undo_merge(mid)
    assert store.get_entity("per-dmitri-peskov").id == "per-dmitri-peskov"  # type: ignore[union-attr]
    assert store.search("person:dmitri").total == 1
    assert store.merges()[0].undone_at is not None
    with pytest.raises(ValueError, match="already undone"):
        store.undo_merge(mid)
    with pytest.raises(NotFound):
        store.undo_merge(9999)


def test_chained_merges_resolve_to_the_last_kept(store: Store) -> None:
    store.upsert_articles(corpus())
    first = store.merge_entities("per-dmitry-peskov", "per-dmitri-peskov", reason="variant spelling")
    second = store.merge_entities("per-vladimir-putin", "per-dmitry-peskov", reason="test chain")
    assert store.get_entity("per-dmitri-peskov").id == "per-vladimir-putin"  # type: ignore[union-attr]
    assert set(store.merges(None)[0].moved) == {"per-dmitry-peskov", "per-dmitri-peskov"}
    store.undo_merge(second)
    assert store.get_entity("per-dmitri-peskov").id == "per-dmitry-peskov"  # type: ignore[union-attr]
    assert store.get_entity("per-dmitry-peskov").id == "per-dmitry-peskov"  # type: ignore[union-attr]
    store.undo_merge(first)
    assert store.get_entity("per-dmitri-peskov").id == "per-dmitri-peskov"  # type: ignore[union-attr]


def test_stories_and_related(store: Store) -> None:
    store.upsert_articles(corpus())
    store.put_stories([StoryMeta(id="story-rusia", title="Rusia siap berunding")])
    stories = store.list_stories()
    assert [(s.id, s.articles, s.outlets) for s in stories] == [
        ("story-rusia", 2, ["ISU BOGOR", "Tribunnews"]),
        ("story-beras", 1, ["Kompas.com"]),
    ]
    assert stories[0].title == "Rusia siap berunding"
    assert stories[1].title == "Harga beras naik di Jakarta"  # no title stored: the first report's
    assert [s.id for s in store.list_stories(since="2023-01-01")] == ["story-beras"]
    story = store.get_story("story-rusia")
    assert story is not None and [a.id for a in story.timeline] == ["art-peskov", "art-copy"]
    assert story.first_article is not None and story.first_article.id == "art-peskov"
    assert store.get_story("none") is None
    related = [a.id for a in store.related("art-peskov")]
    assert related[0] == "art-beras"  # its "Baca juga" link, resolved by URL
    assert "art-copy" in related and "art-peskov" not in related
    assert [a.id for a in store.related("art-copy")] == ["art-peskov"]
    assert store.related("missing") == []
    with pytest.raises(ValueError):
        store.list_stories(since="kemarin")


def test_outlets_volume_and_wire_sources(store: Store) -> None:
    store.upsert_articles(corpus())
    outlets = {o.name: o for o in store.outlets()}
    assert set(outlets) == {"ISU BOGOR", "Kompas.com", "Tribunnews", "TEMPO.CO"}
    isu = outlets["ISU BOGOR"]
    assert isu.articles == 1 and [(d.value, d.count) for d in isu.per_day] == [("2022-02-15", 1)]
    assert [(w.value, w.count) for w in isu.wire_sources] == [("TASS", 1)]
    assert outlets["Kompas.com"].wire_sources == []


def test_state_and_documents_commit_with_articles(store: Store) -> None:
    assert store.get_state("group") is None
    store.upsert_articles([peskov_article()], documents=["doc-1", "doc-2"], state={"group": b"\x00\x01state"})
    assert store.get_state("group") == b"\x00\x01state"
    assert store.seen_documents(["doc-1", "doc-3", "doc-2"]) == {"doc-1", "doc-2"}
    store.put_state("group", b"next")
    assert store.get_state("group") == b"next"
    # a failing batch writes nothing: neither articles, documents nor state
    with pytest.raises(ValueError):
        store.upsert_articles([beras_article(), Article(title="no id")], documents=["doc-9"], state={"group": b"bad"})
    assert store.count() == 1
    assert store.seen_documents(["doc-9"]) == set()
    assert store.get_state("group") == b"next"


def test_iter_articles(store: Store) -> None:
    store.upsert_articles(corpus())
    assert sorted(a.id for a in store.iter_articles(batch_size=2)) == sorted(a.id for a in corpus())
    assert sorted(a.id for a in store.iter_articles("peskov")) == ["art-copy", "art-peskov"]
    assert [a.id for a in store.iter_articles("lang:en")] == ["art-en"]


def test_untrusted_text_is_data(store: Store) -> None:
    evil = english_article()
    import msgspec

    evil = msgspec.structs.replace(
        evil,
        id="x'); DROP TABLE articles; --",
        title="'; DELETE FROM articles; -- <script>alert(1)</script> %s ? $1",
        outlet="O'Reilly \" % _",
    )
    store.upsert_articles([evil, beras_article()])
    assert store.count() == 2
    assert store.get_article(evil.id) == evil
    for q in ['"\'; DELETE FROM articles; --"', "outlet:o'reilly", "%s", "? $1", "by:%peskov", "person:_x"]:
        store.search(q)
    with pytest.raises(QueryError, match="letters or digits"):
        store.search('outlet:"_"')
    assert store.search("outlet:\"o'reilly\"").total == 1
    assert store.search("script").total == 1
    assert store.count() == 2
    assert store.latest()[0].id == "art-beras"
    hit = store.search("alert").hits[0]
    assert "<script>" not in hit.snippet_html()


def test_copy_is_linked(store: Store) -> None:
    store.upsert_articles([peskov_article(), copy_article()])
    copy = store.get_article("art-copy")
    assert copy is not None and copy.duplicate_of == "art-peskov"
    assert copy.syndication is not None and copy.syndication.wire_source == "TASS"
