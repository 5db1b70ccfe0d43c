"""`warta tag quotes` (BIO over STATEMENT, SPEAKER, CUE), its score on a PFSA-ID slice, `warta train quotes`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from warta.conll import read_conll
from warta.understand.quote_tagger import (
    analyze_stream,
    is_dateline,
    read_corpus,
    score,
    tag_conll,
    train_from_corpus,
)

HERE = Path(__file__).parent
SAMPLE = HERE / "data" / "quotes" / "sample.conll"
PFSA_DEV = "quotes/pfsa-id/pfsa-id__dev-40.txt"


def _words(text: str) -> list[str]:
    return text.split(" ")


def _pfsa_slice(shared_data: Path, articles: int) -> list[list[tuple[str, str]]]:
    sents = read_corpus(shared_data / PFSA_DEV)
    out: list[list[tuple[str, str]]] = []
    seen = 0
    for s in sents:
        if is_dateline([t for t, _ in s]):
            seen += 1
            if seen > articles:
                break
        out.append(s)
    return out


def test_tags_on_a_small_file() -> None:
    sents = read_conll(SAMPLE.read_text(encoding="utf-8"))
    tags = tag_conll(sents)
    flat = [(w, t) for s, ts in zip(sents, tags, strict=True) for w, t in zip(s, ts, strict=True)]
    words = [w for w, _ in flat]
    got = dict(enumerate(t for _, t in flat))
    first = words.index("Kami")
    assert got[first - 1] == "B-STATEMENT"  # the opening mark, closing the previous sentence in this file
    assert all(got[i] == "I-STATEMENT" for i in range(first, first + 6))  # up to and with the closing mark
    kata = words.index("kata")
    assert got[kata] == "B-CUE"
    assert (got[kata + 1], got[kata + 2]) == ("B-SPEAKER", "I-SPEAKER")  # Sri Mulyani
    assert got[words.index("ujarnya")] == "B-CUE"
    assert got[words.index("Harga")] == "O"
    # the indirect statement is not tagged; its speaker, named with a title, is
    assert got[words.index("anggaran")] == "O" and got[words.index("mengatakan")] == "O"
    assert got[words.index("Indrawati")] == "I-SPEAKER"


def test_a_rank_opens_the_speaker_an_office_does_not() -> None:
    """ "Komisaris Besar" belongs to the name (as PFSA-ID tags it); "Kepala Bidang Humas Polda Metro Jaya" is the office."""
    words = [
        "“",
        "Kami",
        "masih",
        "menyelidiki",
        ",",
        "”",
        "kata",
        "Kepala",
        "Bidang",
        "Humas",
        "Polda",
        "Metro",
        "Jaya",
        "Komisaris",
        "Besar",
        "Yusri",
        "Yunus",
        ".",
    ]
    tags = tag_conll([words])[0]
    got = {w: t for w, t in zip(words, tags, strict=True)}
    assert [got[w] for w in ("Komisaris", "Besar", "Yusri", "Yunus")] == [
        "B-SPEAKER",
        "I-SPEAKER",
        "I-SPEAKER",
        "I-SPEAKER",
    ]
    assert got["Kepala"] == got["Humas"] == got["Jaya"] == "O"
    assert got["kata"] == "B-CUE" and got["menyelidiki"] == "I-STATEMENT"
    words = _words(
        "“ Situasi kondusif , ” kata Wakil Kepala Polda Papua Brigadir Jenderal ( Pol ) Mathius Fakhiri ."
    )
    tags = tag_conll([words])[0]
    first = words.index("Brigadir")
    assert tags[first - 1] == "O" and tags[first] == "B-SPEAKER"
    assert all(t == "I-SPEAKER" for t in tags[first + 1 : words.index(".")])
    words = _words("“ Pulau itu hilang , ” kata Sekretaris Jenderal Kiara Susan Herawati .")
    tags = tag_conll([words])[0]
    assert tags[words.index("Jenderal")] == "O"  # "Sekretaris Jenderal" is an office, not a rank


def test_the_introduction_of_a_quoted_person_is_a_speaker_mention() -> None:
    """The first mention of someone quoted directly introduces them (PFSA-ID tags it PERSON); a person who is
    never quoted stays untagged."""
    sents = [
        _words(
            "Menteri Pertanian Syahrul Yasin Limpo meninjau sawah di Karawang bersama Bupati Karawang "
            "Cellica Nurrachadiana ."
        ),
        _words("“ Panen tahun ini bagus , ” kata Syahrul ."),
    ]
    tags = tag_conll(sents)
    got = dict(zip(sents[0], tags[0], strict=True))
    assert [got[w] for w in ("Syahrul", "Yasin", "Limpo")] == ["B-SPEAKER", "I-SPEAKER", "I-SPEAKER"]
    assert got["Menteri"] == got["Pertanian"] == "O"
    assert got["Cellica"] == got["Nurrachadiana"] == "O"
    assert tags[1][sents[1].index("Syahrul")] == "B-SPEAKER"


def test_katanya_points_to_a_tagged_mention_of_the_person_it_resolves_to() -> None:
    """Resolution may go through an untagged mention ("Teguh menjelaskan ..."); the antecedent the tagger reports
    is the latest SPEAKER span naming the same person, here the "Teguh" after "kata"."""
    sents = [
        _words("“ Aturannya aneh , ” kata Teguh ."),
        _words("Teguh menjelaskan , petugas sulit menegakkan aturan itu di lapangan ."),
        _words("“ Bagaimana memastikannya ? ” katanya ."),
    ]
    tags, quotes = analyze_stream(sents)
    first = sents[0].index("Teguh")
    assert tags[0][first] == "B-SPEAKER" and tags[1][0] == "O"
    clitic = [q for q in quotes if q.form == "clitic"]
    assert len(clitic) == 1 and clitic[0].person == (first, first + 1)
    k = len(sents[0]) + len(sents[1]) + sents[2].index("katanya")
    assert clitic[0].mention == (k, k + 1)  # the clitic itself is the speaker mention


def test_cli_tag_quotes_prints_token_tag_lines() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from warta.cli import main; main()", "tag", "quotes", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = out.splitlines()
    assert "kata\tB-CUE" in lines
    assert lines.count("") == 3  # one blank line after each sentence
    n_tokens = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert sum(1 for line in lines if line) == n_tokens


def test_dateline_starts_an_article() -> None:
    assert is_dateline(["JAKARTA", ",", "KOMPAS", "—", "Presiden"])
    assert is_dateline(["Jakarta", "(", "ANTARA", ")", "-", "Presiden"])
    assert not is_dateline(["Kata", "dia", ",", "harga", "naik", "-", "turun", "."])


def test_score_on_a_pfsa_slice(shared_data: Path) -> None:
    """40 real Kompas articles: the rule-based tagger finds (nearly) every annotated direct quote."""
    result = score(_pfsa_slice(shared_data, 40))
    _, st_r, st_f = cast(tuple[float, float, float], result["STATEMENT"])
    cue_f = result["CUE"][2]  # type: ignore[index]
    assert st_r >= 0.95 and st_f >= 0.85, result
    assert cue_f >= 0.85, result
    assert float(result["attribution"]) >= 0.75, result  # type: ignore[arg-type]
    # "katanya" counts only when resolved to the person the corpus credits
    assert float(result["attribution_person"]) >= 0.8, result  # type: ignore[arg-type]


def test_train_from_corpus(tmp_path: Path, shared_data: Path) -> None:
    pytest.importorskip("pycrfsuite")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sents = _pfsa_slice(shared_data, 3)
    (corpus / "part.txt").write_text(
        "\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in sents) + "\n", encoding="utf-8"
    )
    out = tmp_path / "model.crfsuite"
    assert train_from_corpus(corpus, out) == 0
    assert out.stat().st_size > 0
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    assert {"B-STATEMENT", "O"} <= set(tagger.labels())
    # the trained CRF tags through `warta tag quotes --model`, and learns the training data it saw
    words = [[w for w, _ in s] for s in sents]
    tags = tag_conll(words, model=out)
    assert [len(t) for t in tags] == [len(w) for w in words]
    gold = [t for s in sents for _, t in s]
    pred = [t for ts in tags for t in ts]
    agree = sum(
        1 for g, p in zip(gold, pred, strict=True) if (g[2:] == "STATEMENT") == (p[2:] == "STATEMENT")
    )
    assert agree / len(gold) > 0.95
    cli = subprocess.run(
        [
            sys.executable,
            "-c",
            "from warta.cli import main; main()",
            "tag",
            "quotes",
            "--model",
            str(out),
            str(SAMPLE),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len([line for line in cli.splitlines() if line]) == sum(
        len(s) for s in read_conll(SAMPLE.read_text())
    )


def test_cli_missing_model_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from warta.cli import main; main()",
            "tag",
            "quotes",
            "--model",
            str(tmp_path / "x"),
            str(SAMPLE),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "no model" in proc.stderr


def test_train_from_empty_folder_fails_cleanly(tmp_path: Path) -> None:
    assert train_from_corpus(tmp_path, tmp_path / "m.crfsuite") == 1
