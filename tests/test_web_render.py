"""Unit tests of the web's pieces: highlighting from offsets, escaping, links, charts, i18n, and the store
adapter over a real SQLite store built from Articles (as `warta serve --db FILE.jsonl` does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.record import Article, Entity, Link, Mention, Quote, Speaker, to_json
from warta.store.query import And, Filter, Not, Or, Text
from warta.store.sqlite import SQLiteStore
from warta.web.charts import bar_chart, bucket
from warta.web.i18n import Translator, messages, pick
from warta.web.queries import StoreAdapter, articles_store, open_web_store
from warta.web.render import render_body, safe_href, snippet_html
from warta.web.views import DayCount, QueryError

BODY = [
    '"Ukraina hanyalah bagian dari masalah," kata Dmitry Peskov dilansir dari TASS.',
    "Menurutnya, Presiden Putin selalu menuntut negosiasi.",
]


def _article(**kw: object) -> Article:
    peskov = Entity(
        id="e1",
        name="Dmitry Peskov",
        type="PER",
        role="Juru Bicara",
        mentions=[Mention(paragraph=0, start=45, end=58, text="Dmitry Peskov")],
    )
    putin = Entity(
        id="e2", name="Vladimir Putin", type="PER", mentions=[Mention(paragraph=1, start=21, end=26, text="Putin")]
    )
    tass = Entity(id="e3", name="TASS", type="ORG", mentions=[Mention(paragraph=0, start=73, end=77, text="TASS")])
    quote = Quote(
        paragraph=0,
        start=1,
        end=38,
        text=BODY[0][1:38],
        kind="direct",
        cue="kata",
        speaker=Speaker(name="Dmitry Peskov", entity_id="e1"),
    )
    base: dict[str, object] = {
        "id": "a1",
        "title": "Judul",
        "outlet": "ISU BOGOR",
        "published_at": "2022-02-15T16:11:00+07:00",
        "body": list(BODY),
        "entities": [peskov, putin, tass],
        "quotes": [quote],
    }
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_offsets_become_nested_marks() -> None:
    body = BODY[0]
    assert body[45:58] == "Dmitry Peskov" and body[73:77] == "TASS"
    out = render_body(_article())
    p0 = str(out.paragraphs[0])
    assert out.skipped == 0
    assert '<span class="quote quote-direct" data-speaker="Dmitry Peskov" id="q0">' in p0
    assert 'href="/entity/per-dmitry-peskov"' in p0  # global store id, not the article-local "e1"
    assert '<a class="ent ent-org" href="/entity/org-tass" title="TASS">TASS</a>' in p0
    assert '<a class="ent ent-per" href="/entity/per-vladimir-putin"' in str(out.paragraphs[1])
    # the text itself is intact once the tags are removed (apart from the speaker label)
    import re

    text = re.sub(r"<[^>]+>", "", p0.replace('<a class="qspk" href="/entity/per-dmitry-peskov">Dmitry Peskov</a>', ""))
    assert text == body.replace('"', "&#34;")


def test_bad_offsets_are_skipped_not_trusted() -> None:
    a = _article()
    a.entities[0].mentions.append(Mention(paragraph=0, start=70, end=500, text="x"))
    a.entities[1].mentions.append(Mention(paragraph=9, start=0, end=3, text="x"))
    a.quotes.append(Quote(paragraph=1, start=-3, end=4, text="x", kind="indirect"))
    out = render_body(a)
    assert out.skipped == 3
    assert len(out.paragraphs) == 2


def test_scraped_markup_is_escaped() -> None:
    body = ['<script>alert(1)</script> kata <img src=x onerror="alert(2)"> Budi']
    at = body[0].index("Budi")
    e = Entity(id="e", name='Budi"><script>', type="PER", mentions=[Mention(paragraph=0, start=at, end=at + 4, text="Budi")])
    out = str(render_body(Article(id="x", body=body, entities=[e])).paragraphs[0])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'title="Budi&#34;&gt;&lt;script&gt;"' in out


def test_safe_href_allows_only_http() -> None:
    assert safe_href("https://news.detik.com/a") == "https://news.detik.com/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "//evil", None, ""):
        assert safe_href(bad) is None


def test_snippet_marks() -> None:
    html = str(snippet_html("a \ue000<b>inflasi</b>\ue001 c"))
    assert html == "a <mark>&lt;b&gt;inflasi&lt;/b&gt;</mark> c"


def test_chart_buckets_and_escapes() -> None:
    unit, bars = bucket([DayCount(day="2025-01-01", count=2), DayCount(day="2025-01-05", count=1)])
    assert unit == "day" and len(bars) == 14 and [n for _, n in bars][4:9] == [2, 0, 0, 0, 1]
    unit, bars = bucket([DayCount(day="2020-01-01", count=1), DayCount(day="2025-01-05", count=1)])
    assert unit == "month" and sum(n for _, n in bars) == 2
    svg = str(bar_chart([DayCount(day="2025-01-01", count=3)], label='<x">'))
    assert svg.startswith("<svg") and 'aria-label="&lt;x&#34;&gt;"' in svg and "2025-01-01: 3" in svg
    assert str(bar_chart([])) == ""


def test_i18n() -> None:
    assert set(messages("id")) == set(messages("en"))
    assert pick("en", None) == "en" and pick(None, "en") == "en" and pick("xx", None) == "id" and pick(None, None) == "id"
    t = Translator("id")
    assert t("nav_latest") == "Terkini" and Translator("en")("nav_latest") == "Latest"
    assert t("no-such-key") == "no-such-key"
    assert t.when("2025-10-21T20:43:00+07:00", with_day=True) == "Selasa, 21 Okt 2025 20:43 WIB"
    assert Translator("en").when("2025-10-21T20:43:00+08:00") == "21 Oct 2025 20:43 WITA"
    assert t.when("2025-10-21") == "21 Okt 2025"
    assert t.when("not a date") == "not a date"


def test_query_parse_errors() -> None:
    """The store's query language, as the web sees it: a malformed query is the web's QueryError."""
    store = articles_store([_article()])
    try:
        with pytest.raises(QueryError, match="unclosed quote"):
            store.search('"open', limit=5)
        with pytest.raises(QueryError, match="unknown filter"):
            store.search("foo:bar", limit=5)
        with pytest.raises(QueryError, match="date"):
            store.search("after:yesterday", limit=5)
        with pytest.raises(QueryError, match="OR"):
            store.search("OR x", limit=5)
    finally:
        store.close()
    from warta.store.query import parse_query

    root = parse_query('inflasi OR harga "bank indonesia" -beras outlet:detik').root
    # OR binds looser than juxtaposition: inflasi OR (harga AND "bank indonesia" AND NOT beras AND outlet:detik)
    assert isinstance(root, Or) and isinstance(root.children[0], Text) and isinstance(root.children[1], And)
    parts = root.children[1].children
    assert [type(c) for c in parts] == [Text, Text, Not, Filter]
    phrase = parts[1]
    assert isinstance(phrase, Text) and phrase.stems == ("bank", "indonesia")


def test_jsonl_articles_in_a_sqlite_store_read_and_merge(tmp_path: Path) -> None:
    a = _article(related=[Link(title="Baca juga", url="https://x.test/b")])
    b = _article(id="b1", url="https://x.test/b", title="Lain", published_at="2022-02-16T08:00:00+07:00", quotes=[])
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"".join(to_json(x) + b"\n" for x in (a, b)))
    store = open_web_store(str(path), cache_seconds=0)
    assert isinstance(store, StoreAdapter) and isinstance(store.store, SQLiteStore)
    folder = store.store.path.parent
    assert [c.id for c in store.latest(limit=5)] == ["b1", "a1"]
    view = store.article("a1")
    assert view is not None and [r.id for r in view.related] == ["b1"]
    res = store.search("peskov", limit=10)
    assert res.total == 2 and "\ue000Peskov\ue001" in (res.hits[0].snippet or "")
    assert store.search("said:masalah", limit=10).total == 1
    ent = store.entity("per-dmitry-peskov", limit=10)
    assert ent is not None and ent.n_quotes == 1 and ent.n_articles == 2
    rec = store.merge_entities("per-dmitry-peskov", "per-vladimir-putin", reason="test", by="me")
    merged = store.entity("per-vladimir-putin", limit=10)
    assert merged is not None and merged.id == "per-dmitry-peskov" and merged.merges[0].id == rec.id
    store.unmerge(rec.id, by="me")
    back = store.entity("per-vladimir-putin", limit=10)
    assert back is not None and back.id == "per-vladimir-putin"
    store.close()
    assert not folder.exists()  # the temporary SQLite store is removed with the adapter
