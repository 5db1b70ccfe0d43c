"""The shared tokenizer (warta.understand.tokens)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from warta.understand.tokens import Token, clitic, sentences, tokenize, words


def test_offsets_round_trip_on_news_sentence() -> None:
    text = '"Ukraina hanyalah bagian dari masalah," kata Dmitry Peskov dilansir dari TASS, Selasa 15 Februari 2022.'
    toks = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.text for t in toks] == [
        '"', "Ukraina", "hanyalah", "bagian", "dari", "masalah", ",", '"', "kata", "Dmitry", "Peskov",
        "dilansir", "dari", "TASS", ",", "Selasa", "15", "Februari", "2022", ".",
    ]


def test_quote_marks_and_apostrophes() -> None:
    assert words("“Saya siap,” ujar Ma'ruf Amin. ‘Jum'at’") == [
        "“", "Saya", "siap", ",", "”", "ujar", "Ma'ruf", "Amin", ".", "‘", "Jum'at", "’",
    ]
    assert words("'kata' dia") == ["'", "kata", "'", "dia"]


def test_hyphens_numbers_abbreviations() -> None:
    assert words("baru-baru ini ke-80 PDI-P Rusia-Ukraina") == [
        "baru-baru", "ini", "ke-80", "PDI-P", "Rusia", "-", "Ukraina",
    ]
    assert words("Rp1.000,50 naik 3,5% pukul 16:11 (24/8) 2.000.") == [
        "Rp1.000,50", "naik", "3,5", "%", "pukul", "16:11", "(", "24/8", ")", "2.000", ".",
    ]
    assert words("Dr. Budi, S.H. tinggal di Jl. Sudirman No. 5.") == [
        "Dr.", "Budi", ",", "S.H.", "tinggal", "di", "Jl.", "Sudirman", "No.", "5", ".",
    ]
    assert words("lihat https://a.id/x?y=1. atau @jokowi #pemilu a.b@x.co.id") == [
        "lihat", "https://a.id/x?y=1", ".", "atau", "@jokowi", "#pemilu", "a.b@x.co.id",
    ]


def test_clitic_nya() -> None:
    toks = tokenize("Menurutnya, hanya Kenya punya rumahnya.")
    assert clitic(toks[0]) == Token(7, 10, "nya")
    assert [clitic(t) for t in toks[2:5]] == [None, None, None]
    split = tokenize("Menurutnya, hanya rumahnya.", split_clitics=True)
    assert [t.text for t in split] == ["Menurut", "nya", ",", "hanya", "rumah", "nya", "."]
    assert split[1] == Token(7, 10, "nya")


def test_sentences() -> None:
    toks = tokenize('Dia datang. "Saya siap!" katanya... lalu pergi? Ya')
    got = [[t.text for t in s] for s in sentences(toks)]
    assert got == [
        ["Dia", "datang", "."],
        ['"', "Saya", "siap", "!", '"', "katanya", "...", "lalu", "pergi", "?"],
        ["Ya"],
    ]


@given(st.text(max_size=200))
def test_any_text_offsets_are_exact(text: str) -> None:
    toks = tokenize(text)
    prev = 0
    for t in toks:
        assert text[t.start : t.end] == t.text
        assert t.start >= prev and t.end > t.start
        assert not t.text.isspace()
        prev = t.end
    # nothing but whitespace is dropped
    assert "".join(t.text for t in toks) == "".join(text.split())
