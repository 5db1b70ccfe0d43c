"""Keywords and extractive summaries (understand component `keywords`)."""

from __future__ import annotations

import csv
from pathlib import Path

from warta.record import Article
from warta.understand import analyze
from warta.understand.keywords import add_keywords, idf_table, split_sentences, stopwords, summarize, terms

BODY = [
    "Presiden Prabowo Subianto meneken Peraturan Presiden Nomor 79 Tahun 2025 tentang pemutakhiran rencana kerja "
    "pemerintah. Dalam aturan tersebut disinggung pemindahan pegawai Aparatur Sipil Negara (ASN) ke Ibu Kota Nusantara (IKN).",
    "Sebanyak 1.700 sampai 4.100 ASN ditargetkan pindah ke IKN pada 2028. Otorita IKN menyiapkan hunian bagi ASN.",
    "\"Kami siap menampung ASN yang dipindahkan,\" kata Kepala Otorita IKN Basuki Hadimuljono, Senin (22/9/2025).",
    "Basuki menambahkan pembangunan gedung perkantoran di IKN terus dikebut agar siap dipakai ASN.",
]


def test_keywords_are_content_words_of_the_article() -> None:
    article = add_keywords(Article(title="Prabowo Teken Perpres, 1.700-4.100 ASN Bakal Pindah ke IKN", body=BODY))
    assert set(article.keywords[:3]) >= {"IKN", "ASN"}
    assert len(article.keywords) == 10
    assert not {k.lower() for k in article.keywords} & stopwords()
    assert article.summary is not None and article.summary.startswith("Presiden Prabowo Subianto meneken")
    assert all(s in " ".join(BODY) for s in split_sentences(article.summary))


def test_summary_picks_whole_sentences_in_order() -> None:
    summary = summarize(Article(title="ASN pindah ke IKN", body=BODY), n=2)
    assert summary is not None
    sentences = [s for p in BODY for s in p.split(". ")]
    positions = [i for i, s in enumerate(sentences) if s.rstrip(".") in summary]
    assert len(positions) >= 2 and positions == sorted(positions)


def test_empty_and_tiny_articles() -> None:
    empty = Article()
    assert add_keywords(empty) is empty
    tiny = add_keywords(Article(title="Banjir", body=["Banjir lagi."]))
    assert tiny.keywords == ["Banjir"] and tiny.summary == "Banjir lagi."


def test_terms_stem_and_drop_stopwords() -> None:
    stems = [s for s, _ in terms("Pemerintah menyalurkan bantuan yang dinantikan warga dan para petani")]
    assert "yang" not in stems and "dan" not in stems and "para" not in stems
    assert "salur" in stems and "bantu" in stems
    table = idf_table()
    assert table.docs == 3463 and table.idf("indonesia") < table.idf("ikn")


def test_registered_as_understand_component(shared_data: Path) -> None:
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    body = [p for p in row["isi_berita"].splitlines() if len(p.split()) > 5]
    article = analyze(Article(title=row["judul"], body=body), components=("keywords",))
    assert "inflasi" in article.keywords[:3]
    assert article.summary
    assert all(s in row["isi_berita"] for s in split_sentences(article.summary))
