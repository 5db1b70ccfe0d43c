"""The Grouper facade: originals, re-marking, syndication diffs, wire rewrites, stories, state."""

from __future__ import annotations

import msgspec

from warta.group import Grouper
from warta.group.syndication import diff, timestamp
from warta.record import Article, Source

BODY = [
    "Menteri Keuangan Purbaya Yudhi Sadewa menilai kepala daerah penting dalam menjaga inflasi di wilayahnya.",
    "Dengan mengendalikan inflasi maka popularitas kepala daerah akan meningkat, katanya dalam rapat koordinasi.",
    "Dari 38 provinsi, 37 di antaranya tercatat inflasi positif, hanya Maluku Utara yang mengalami deflasi.",
    "Menurutnya inflasi yang terkendali menjaga stabilitas sosial politik sehingga warga merasa tenang.",
    "Purbaya meminta pemerintah daerah terus memantau harga pangan setiap pekan bersama Bank Indonesia.",
]
OTHER = [
    "Hujan deras yang mengguyur Semarang menyebabkan banjir menggenangi Jalan Pantura Kaligawe Raya pagi ini.",
    "Arus lalu lintas macet hingga enam kilometer dan banyak sepeda motor mogok karena air setinggi lutut.",
    "Petugas dinas perhubungan mengalihkan kendaraan besar ke jalan tol sambil menunggu air surut siang nanti.",
]


def art(id: str, body: list[str], when: str, outlet: str = "detikcom", title: str = "Purbaya soal inflasi daerah",
        **kw: object) -> Article:
    return Article(id=id, body=body, published_at=when, outlet=outlet, title=title, **kw)  # type: ignore[arg-type]


def test_earliest_publisher_is_original_even_when_ingested_later() -> None:
    g = Grouper.loads(None)
    copy = g.add(art("copy", BODY + ["Baca juga: hal lain yang ditambahkan oleh situs penyalin di akhir."],
                     "2025-10-20T12:00:00+07:00", outlet="Situs B"))
    assert copy.duplicate_of is None and copy.syndication is None  # alone so far
    assert g.take_updates() == []
    first = g.add(art("first", BODY, "2025-10-20T09:00:00+07:00", outlet="Situs A"))
    assert first.duplicate_of is None
    assert first.syndication is not None and first.syndication.is_original
    assert first.syndication.original_id == "first"
    updates = {u.id: u for u in g.take_updates()}
    assert set(updates) == {"copy"}  # re-marked: it is the copy now
    assert updates["copy"].duplicate_of == "first"
    syn = updates["copy"].syndication
    assert syn is not None and syn.original_id == "first" and not syn.is_original
    assert syn.group_id == first.syndication.group_id
    assert syn.added == ["Baca juga: hal lain yang ditambahkan oleh situs penyalin di akhir."] and syn.removed == []
    assert g.copies("first") == ["copy"]
    assert g.take_updates() == []  # taken once


def test_third_copy_does_not_re_mark_the_others() -> None:
    g = Grouper.loads(None)
    g.add(art("a", BODY, "2025-10-20T09:00:00+07:00"))
    g.add(art("b", BODY, "2025-10-20T10:00:00+07:00"))
    first_updates = {u.id for u in g.take_updates()}
    assert first_updates == {"a"}  # a lone article became the head of a group
    c = g.add(art("c", BODY[:4], "2025-10-20T11:00:00+07:00"))
    assert c.duplicate_of == "a"
    assert c.syndication is not None and c.syndication.removed == [BODY[4]]
    assert g.take_updates() == []


def test_unrelated_articles_stay_apart_and_unknown_dates_are_never_original() -> None:
    g = Grouper.loads(None)
    undated = g.add(art("undated", BODY, ""))
    other = g.add(art("other", OTHER, "2025-10-21T08:00:00+07:00", title="Banjir Pantura"))
    dated = g.add(art("dated", BODY, "2025-10-22T08:00:00+07:00"))
    assert other.duplicate_of is None and other.syndication is None
    assert undated.story_id != other.story_id
    assert dated.syndication is not None and dated.syndication.is_original
    assert {u.id: u.duplicate_of for u in g.take_updates()} == {"undated": "dated"}


def test_wire_rewrite_is_marked_even_alone() -> None:
    g = Grouper.loads(None)
    a = g.add(art("tass", OTHER, "2025-10-20T09:00:00+07:00",
                  sources=[Source(name="TASS", kind="news_agency", evidence=["dilansir dari TASS"])]))
    assert a.syndication is not None and a.syndication.wire_source == "TASS" and a.duplicate_of is None


def test_readding_the_same_id_returns_the_same_links() -> None:
    g = Grouper.loads(None)
    g.add(art("a", BODY, "2025-10-20T09:00:00+07:00"))
    b = g.add(art("b", BODY, "2025-10-20T10:00:00+07:00"))
    again = g.add(art("b", BODY, "2025-10-20T10:00:00+07:00"))
    assert again.duplicate_of == b.duplicate_of == "a" and again.story_id == b.story_id
    assert len(g.ids) == 2


def test_state_round_trip_keeps_groups_and_stories() -> None:
    g = Grouper.loads(None)
    a = g.add(art("a", BODY, "2025-10-20T09:00:00+07:00"))
    g.add(art("x", OTHER, "2025-10-20T09:30:00+07:00", title="Banjir Pantura"))
    g2 = Grouper.loads(g.dumps())
    b = g2.add(art("b", BODY, "2025-10-20T10:00:00+07:00"))
    assert b.duplicate_of == "a" and b.story_id == a.story_id
    info = g2.story_of_article("b")
    assert info is not None and info.articles == ["a", "b"] and info.first_article == "a"
    assert msgspec.msgpack.decode(g2.dumps())["version"] == 1


def test_same_event_different_text_joins_one_story() -> None:
    g = Grouper.loads(None)
    one = g.add(art("one", [
        "Komisi Pemilihan Umum membatalkan aturan yang merahasiakan ijazah calon presiden dan wakil presiden.",
        "Ketua KPU Afifuddin mengatakan pembatalan aturan ijazah capres dilakukan setelah mendapat masukan publik.",
    ], "2025-09-16T14:00:00+07:00", title="KPU batalkan aturan rahasiakan ijazah capres"))
    two = g.add(art("two", [
        "Aturan KPU soal kerahasiaan dokumen ijazah capres-cawapres akhirnya dicabut oleh KPU pada Selasa.",
        "Afifuddin menyebut KPU akan berkoordinasi dengan Komisi Informasi soal dokumen ijazah capres.",
    ], "2025-09-16T16:00:00+07:00", outlet="Situs Lain", title="Aturan ijazah capres dicabut KPU"))
    far = g.add(art("far", OTHER, "2025-09-16T15:00:00+07:00", title="Banjir Pantura"))
    assert one.story_id == two.story_id != far.story_id
    assert one.duplicate_of is None and two.duplicate_of is None
    story = g.story_of_article("two")
    assert story is not None and story.outlets == {"detikcom": 1, "Situs Lain": 1}
    assert "ijazah" in story.keywords
    assert g.related("one") == ["two"]


def test_diff_and_timestamp_helpers() -> None:
    added, removed = diff(["Satu kalimat. Dua kalimat di sini."], ["Satu kalimat! Tiga kalimat baru."])
    assert added == ["Tiga kalimat baru."] and removed == ["Dua kalimat di sini."]
    assert timestamp("2025-10-20T09:00:00+07:00") == timestamp("2025-10-20T02:00:00Z")
    assert timestamp("2025-10-20T09:00:00") == timestamp("2025-10-20T09:00:00+07:00")  # naive = WIB
    assert timestamp("kemarin") != timestamp("kemarin")  # NaN: unknown


def test_add_many_equals_add_one_by_one() -> None:
    batch = [
        art("b", BODY, "2025-10-20T10:00:00+07:00"),
        art("x", OTHER, "2025-10-20T09:30:00+07:00", title="Banjir Pantura"),
        art("a", BODY[:4], "2025-10-20T09:00:00+07:00"),
        art("b", BODY, "2025-10-20T10:00:00+07:00"),  # the same article again in the batch
    ]
    one, many = Grouper.loads(None), Grouper.loads(None)
    singles = [one.add(a) for a in batch]
    together = many.add_many(batch)
    assert [(a.id, a.duplicate_of, a.syndication, a.story_id) for a in singles] == [
        (a.id, a.duplicate_of, a.syndication, a.story_id) for a in together
    ]
    assert one.take_updates() == many.take_updates() != []
    assert len(many.ids) == 3
