"""Cited sources: agencies, outlets, social posts and official statements, merged without duplicates."""

from __future__ import annotations

import pytest

from warta.record import Article, Source
from warta.understand.citations import add_sources, find_sources, lookup


@pytest.mark.parametrize(
    ("paragraph", "name", "kind", "evidence"),
    [
        (
            '"Ukraina hanyalah bagian," kata Dmitry Peskov dilansir dari TASS, Selasa 15 Februari 2022.',
            "TASS",
            "news_agency",
            "dilansir dari TASS",
        ),
        ("Jakarta (ANTARA) - Presiden meresmikan bendungan.", "Antara", "news_agency", "(ANTARA)"),
        (
            "Seperti diberitakan Antara, banjir melanda Demak.",
            "Antara",
            "news_agency",
            "Seperti diberitakan Antara",
        ),
        ("Melansir CNN, Senin (3/2), pasukan bergerak ke utara.", "CNN", "media", "Melansir CNN"),
        ("Hal itu disampaikan mengutip Reuters pada Senin.", "Reuters", "news_agency", "mengutip Reuters"),
        (
            "Dikutip dari kantor berita Yonhap, Korea Utara menembakkan rudal.",
            "Yonhap",
            "news_agency",
            "Dikutip dari kantor berita Yonhap",
        ),
        (
            "Seperti dilansir The Guardian pada Minggu, kapal itu tenggelam.",
            "The Guardian",
            "media",
            "Seperti dilansir The Guardian",
        ),
        ("Dilansir dari detik.com, Selasa, harga emas naik.", "Detik", "media", "Dilansir dari detik.com"),
        (
            "Ia menyampaikannya dalam unggahan di akun Instagram resmi @kemenkes_ri, Minggu.",
            "@kemenkes_ri",
            "social",
            "dalam unggahan di akun Instagram resmi @kemenkes_ri",
        ),
        (
            "Hal itu disampaikan dalam keterangan tertulis, Senin (2/3).",
            "keterangan tertulis",
            "official",
            "dalam keterangan tertulis",
        ),
        (
            "Kemenkes dalam siaran pers menyatakan kasus turun.",
            "Kemenkes",
            "official",
            "Kemenkes dalam siaran pers",
        ),
        (
            "Dilansir dari laman resmi Kementerian Kesehatan, kasus naik.",
            "Kementerian Kesehatan",
            "official",
            "Dilansir dari laman resmi Kementerian Kesehatan",
        ),
        ("Sumber: TASS", "TASS", "news_agency", "Sumber: TASS"),
    ],
)
def test_citation_forms(paragraph: str, name: str, kind: str, evidence: str) -> None:
    found = find_sources([paragraph])
    assert [(s.name, s.kind) for s in found] == [(name, kind)]
    assert found[0].evidence == [evidence]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Presiden Joko Widodo meresmikan bendungan di Demak.",
        "Ia mengutip pernyataan Jokowi dalam pidatonya.",
        "Hasil itu dilaporkan kepada pimpinan pada Senin.",
        "Ia menyampaikan hal itu kepada wartawan di Jakarta.",
    ],
)
def test_no_source_invented(paragraph: str) -> None:
    assert find_sources([paragraph]) == []


def test_merge_with_reader_sources_without_duplicates() -> None:
    article = Article(
        body=[
            "Hal itu dikatakan Peskov dilansir dari TASS.",
            "Seperti diberitakan Tass, pembicaraan berlanjut.",
        ],
        sources=[Source(name="TASS", kind="news_agency", evidence=["Sumber: TASS"])],
    )
    out = add_sources(article)
    assert [(s.name, s.kind) for s in out.sources] == [("TASS", "news_agency")]
    assert out.sources[0].evidence == ["dilansir dari TASS", "Seperti diberitakan Tass", "Sumber: TASS"]


def test_reader_source_of_unknown_kind_takes_the_table_kind() -> None:
    article = Article(
        body=["Melansir Reuters, harga minyak turun."],
        sources=[Source(name="REUTERS", evidence=["Sumber: REUTERS"])],
    )
    out = add_sources(article)
    assert [(s.name, s.kind) for s in out.sources] == [("Reuters", "news_agency")]


def test_lookup_aliases() -> None:
    hit = lookup("ANTARA")
    assert hit is not None and (hit.name, hit.kind) == ("Antara", "news_agency")
    assert lookup("Nonexistent Gazette") is None


def test_an_outlet_does_not_cite_itself() -> None:
    article = Article(
        outlet="Kompas.com",
        body=["Hal itu dikatakan Budi kepada Kompas.com, Senin. Dilansir dari Reuters, harga naik."],
    )
    assert [s.name for s in add_sources(article).sources] == ["Reuters"]


@pytest.mark.parametrize(
    ("paragraph", "name", "kind"),
    [
        ("Dilansir laman Kantor Staf Presiden, program itu berjalan.", "Kantor Staf Presiden", "official"),
        ("Seperti dikutip dari situs SIPP PN Jakut, sidang digelar Senin.", "SIPP PN Jakut", "official"),
        (
            "Hal itu disampaikan dalam Konferensi Pers Hasil Rapat Berkala KSSK, Jumat.",
            "konferensi pers",
            "official",
        ),
    ],
)
def test_official_bodies_and_press_conferences(paragraph: str, name: str, kind: str) -> None:
    assert [(s.name, s.kind) for s in find_sources([paragraph])] == [(name, kind)]
