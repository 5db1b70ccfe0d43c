"""Canonical names, roles and variants inside one article (entities.py, names.py)."""

from __future__ import annotations

from warta.record import Article
from warta.understand.entities import add_entities, build_entities
from warta.understand.names import entity_id, known_name, name_variant, role_matches


def test_entity_id_is_type_and_folded_name() -> None:
    assert entity_id("PER", "Vladimir Putin") == "per-vladimir-putin"
    assert entity_id("LOC", "Kota Bogor") == "loc-kota-bogor"
    assert entity_id("PER", "Ma'ruf Amin") == "per-ma-ruf-amin"


def test_entity_id_equals_store_key() -> None:
    from warta.store.base import entity_key

    for typ, name in [("PER", "Dmitry Peskov"), ("ORG", "PDI-P"), ("LOC", "Sérvia"), ("PER", "…")]:
        assert entity_id(typ, name) == entity_key(typ, name)


def test_exonyms_and_abbreviations() -> None:
    assert known_name("Moscow").canonical == "Moskow"  # type: ignore[union-attr]
    assert known_name("AS").canonical == "Amerika Serikat"  # type: ignore[union-attr]
    assert known_name("KPK").canonical == "Komisi Pemberantasan Korupsi"  # type: ignore[union-attr]
    assert known_name("Jokowi").type == "PER"  # type: ignore[union-attr]
    assert known_name("as") is None


def test_role_matching_and_name_variants() -> None:
    assert role_matches("Jubir Rusia", "Juru Bicara Pemerintah Rusia")
    assert role_matches("Menlu AS", "Menteri Luar Negeri Amerika Serikat")
    assert not role_matches("Presiden AS", "Presiden Rusia")
    assert name_variant("Dmitry Preskov", "Dmitry Peskov")
    assert not name_variant("Joko Widodo", "Joko Susilo")
    assert not name_variant("Putin", "Vladimir Putin")


def test_article_entities_roles_and_short_forms() -> None:
    article = Article(
        title="Menlu AS Bertemu Jokowi",
        body=[
            "JAKARTA - Presiden Joko Widodo menerima Menteri Luar Negeri AS Antony Blinken di Istana Merdeka, Jakarta.",
            "Jokowi mengatakan Indonesia siap bekerja sama. Blinken memuji peran Indonesia di ASEAN.",
            "Komisi Pemberantasan Korupsi (KPK) tidak hadir. Menurut KPK, jadwal bentrok.",
        ],
    )
    ents = {e.name: e for e in build_entities(article)}
    jokowi = ents["Joko Widodo"]
    assert jokowi.type == "PER" and jokowi.role == "Presiden"
    assert {m.text for m in jokowi.mentions} == {"Joko Widodo", "Jokowi"}
    blinken = ents["Antony Blinken"]
    assert blinken.role == "Menteri Luar Negeri AS"
    assert "Menlu AS" in blinken.role_aliases
    assert [m.text for m in blinken.mentions] == ["Antony Blinken", "Blinken"]
    kpk = ents["Komisi Pemberantasan Korupsi"]
    assert kpk.type == "ORG" and {"KPK"} <= set(kpk.aliases)
    assert "Indonesia" in ents and ents["Indonesia"].type == "LOC"
    for e in ents.values():
        for m in e.mentions:
            assert article.body[m.paragraph][m.start : m.end] == m.text


def test_empty_and_odd_input_does_not_crash() -> None:
    assert add_entities(Article()).entities == []
    odd = add_entities(Article(body=["", "   ", "\u200b\u200b", "«»“”", "x" * 5000]))
    assert odd.entities == [] or all(e.mentions for e in odd.entities)


def test_roles_inside_and_before_tagged_names() -> None:
    article = Article(
        body=[
            "Menteri Keuangan Purbaya Yudhi Sadewa mengatakan inflasi terkendali.",
            "Gubernur Riau Abdul Wahid meluncurkan mobil toko pangan di Pekanbaru.",
            "Plt Deputi Penindakan KPK Asep Guntur Rahayu membenarkan penahanan itu.",
        ]
    )
    ents = {e.name: e for e in build_entities(article) if e.type == "PER"}
    assert ents["Purbaya Yudhi Sadewa"].role == "Menteri Keuangan"
    assert ents["Abdul Wahid"].role == "Gubernur Riau"
    assert ents["Asep Guntur Rahayu"].role == "Deputi Penindakan KPK"
    assert "Plt" not in ents


def test_title_case_lines_do_not_make_people() -> None:
    article = Article(body=["Prabowo Panggil Menkeu Purbaya Bahas Anggaran Daerah", "Presiden Prabowo Subianto memanggil menteri."])
    names = {e.name for e in build_entities(article) if e.type == "PER"}
    assert names == {"Prabowo Subianto"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = ["Presiden", "Joko", "Widodo", "Jokowi", "kata", "di", "Jakarta", "AS", "Menteri", "Luar", "Negeri", "KPK",
          "(", ")", ",", ".", '"', "Juru", "Bicara", "Putin", "Rusia", "-nya", "Menurutnya", "Gubernur", "Riau", "dan"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join), max_size=4))
def test_any_paragraphs_give_valid_entities(paragraphs: list[str]) -> None:
    article = add_entities(Article(body=paragraphs))
    assert not article.provenance.warnings
    ids = [e.id for e in article.entities]
    assert len(ids) == len(set(ids))
    for e in article.entities:
        assert e.mentions and e.name and e.type in ("PER", "ORG", "LOC")
        for m in e.mentions:
            assert article.body[m.paragraph][m.start : m.end] == m.text


def test_person_named_like_a_company_is_the_company() -> None:
    article = Article(
        body=[
            "PT Astra Otoparts Tbk meluncurkan ban baru. Direktur Astra Otoparts Hamdhani Dzulkarnaen mengatakan harga naik.",
            "Menurut Astra Otoparts, penjualan tumbuh. AKBP Ferdiyan Fahmi tidak hadir.",
        ]
    )
    ents = build_entities(article)
    names = {e.name: e for e in ents}
    assert "Astra Otoparts" not in names or names["Astra Otoparts"].type != "PER"
    assert "AKBP" not in names
    assert names["Hamdhani Dzulkarnaen"].role == "Direktur Astra Otoparts"
    assert {m.text for m in names["PT Astra Otoparts Tbk"].mentions} == {"PT Astra Otoparts Tbk", "Astra Otoparts"}


def test_ranks_names_and_generic_words() -> None:
    article = Article(
        body=[
            "Kasat Lantas Polres Serang AKP Fery Oktaviari Pratama mengatakan razia digelar di Jalan Raya Cikande.",
            "Sementara itu, Wali Kota Bogor Dedie A Rachim mengapresiasi langkah tegas jajaran Polresta Bogor Kota.",
            "Sesuai Peraturan Bank Indonesia No. 27 tahun 2025, uang ditarik dari kantor pusat BI.",
            "Warga menutup Jalan itu. Menurut G. warga resah.",
        ]
    )
    ents = build_entities(article)
    people = {e.name: e for e in ents if e.type == "PER"}
    assert people["Fery Oktaviari Pratama"].role == "Kasat Lantas Polres Serang"
    assert people["Dedie A Rachim"].role == "Wali Kota Bogor"
    names = {e.name for e in ents}
    assert "Bank Indonesia No." not in names and "kantor pusat BI" not in names
    assert "Jalan" not in names and "G." not in names
    for e in ents:
        for m in e.mentions:
            assert article.body[m.paragraph][m.start : m.end] == m.text


def test_abbreviated_offices_and_department_words() -> None:
    article = Article(body=["Menko Perekonomian Airlangga Hartarto dan Wamendagri Ribka Haluk hadir. Direktur Riset Ali Noer Zaman menilai kinerja baik."])
    roles = {e.name: e.role for e in build_entities(article) if e.type == "PER"}
    assert roles == {"Airlangga Hartarto": "Menko Perekonomian", "Ribka Haluk": "Wamendagri", "Ali Noer Zaman": "Direktur Riset"}


def test_acronym_in_brackets_between_role_and_name() -> None:
    article = Article(body=["Kepala Badan Pusat Statistik (BPS) Amalia Widyasanti mengatakan inflasi turun. Menurut BPS, harga stabil."])
    ents = {e.name: e for e in build_entities(article)}
    assert ents["Amalia Widyasanti"].role == "Kepala Badan Pusat Statistik (BPS)"
    assert ents["Badan Pusat Statistik"].type == "ORG"
    assert {m.text for m in ents["Badan Pusat Statistik"].mentions} == {"Badan Pusat Statistik", "BPS"}


def test_organisation_and_name_run_together_after_an_office() -> None:
    article = Article(
        body=[
            "Juru Bicara Kementerian Luar Negeri Teuku Faizasyah hadir di Jakarta.",
            '"Kami sepakat," jelas Ketua KPPU M. Syarkawi Rauf.',
            "Direktur Konsumer PT Telkom Guntur Siregar ditetapkan menjadi tersangka.",
        ]
    )
    ents = {e.name: e for e in build_entities(article)}
    assert ents["Teuku Faizasyah"].role == "Juru Bicara Kementerian Luar Negeri"
    assert ents["Kementerian Luar Negeri"].type == "ORG"
    assert ents["M. Syarkawi Rauf"].role == "Ketua KPPU"
    assert ents["Guntur Siregar"].role == "Direktur Konsumer PT Telkom"
    assert ents["PT Telkom"].type == "ORG"


def test_two_word_ranks_and_known_short_names() -> None:
    article = Article(
        body=[
            "Direktur Polisi Perairan Polda Metro Jaya Komisaris Besar Hero Hendrianto Bachtiar hadir.",
            "Titiek Soeharto mengenang Soeharto. Jokowi dan Presiden Joko Widodo datang.",
        ]
    )
    ents = {e.name: e for e in build_entities(article)}
    assert ents["Hero Hendrianto Bachtiar"].role == "Direktur Polisi Perairan Polda Metro Jaya"
    assert {m.text for m in ents["Titiek Soeharto"].mentions} == {"Titiek Soeharto"}
    assert {m.text for m in ents["Soeharto"].mentions} == {"Soeharto"}
    assert {m.text for m in ents["Joko Widodo"].mentions} == {"Jokowi", "Joko Widodo"}


def test_one_word_person_not_swallowed_by_an_organisation() -> None:
    article = Article(body=["Kabinet Prabowo-Gibran bekerja. Gibran mengatakan menteri solid.", "Sky Sports melaporkan. Menurut Sky Sports, laga ditunda."])
    ents = build_entities(article)
    assert any(e.name == "Gibran" for e in ents)
    for e in ents:
        for m in e.mentions:
            assert article.body[m.paragraph][m.start : m.end] == m.text
