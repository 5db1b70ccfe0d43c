"""Every Detik article through sources + quotes: no crash, spans consistent, and a hand-checked sample."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.record import Article
from warta.understand.citations import add_sources
from warta.understand.quotes import add_quotes


def _bodies(shared_data: Path) -> list[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [[p.strip() for p in (r.get("isi_berita") or "").splitlines() if p.strip()] for r in rows]


def test_all_detik_articles(shared_data: Path) -> None:
    n_quotes = 0
    for body in _bodies(shared_data):
        article = add_quotes(add_sources(Article(body=body)))
        for q in article.quotes:
            assert body[q.paragraph][q.start : q.end] == q.text and q.text.strip() == q.text
            m = q.speaker.mention
            if m is not None:
                assert body[m.paragraph][m.start : m.end] in (m.text, "nya")
        n_quotes += len(article.quotes)
    assert n_quotes > 3000  # Detik is mostly statements: about 7 quotes an article


_WORDS = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "'",
        ",",
        ".",
        "kata",
        "katanya",
        "ujar",
        "Menurut",
        "menurutnya",
        "dia",
        "Pihaknya",
        "mengatakan",
        "bahwa",
        "Presiden",
        "Joko",
        "Widodo",
        "Kapolda",
        "Metro",
        "Jaya",
        "harga",
        "naik",
        "(",
        ")",
        "dilansir",
        "dari",
        "TASS",
        "Sumber:",
        "-",
        "lanjut",
        "tegasnya",
        "yang",
        "menyebut",
        "Ia",
        "juga",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=30).map(" ".join), max_size=6))
def test_random_paragraphs_never_crash(body: list[str]) -> None:
    article = add_quotes(add_sources(Article(body=body)))
    for q in article.quotes:
        assert body[q.paragraph][q.start : q.end] == q.text


def test_a_long_paragraph_with_many_quotes_stays_fast() -> None:
    import time

    paragraph = " ".join(['"Kami siap bekerja keras," kata Budi. Menurut dia, harga beras akan naik.'] * 2000)
    t0 = time.process_time()
    article = add_quotes(Article(body=[paragraph]))
    assert len(article.quotes) == 4000  # each sentence pair: one direct quote, one indirect
    assert time.process_time() - t0 < 10
