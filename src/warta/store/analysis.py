"""Text analysis shared by both backends: Indonesian tokens stemmed with PyStemmer (Snowball).

Search is done over *stemmed* text so that "kebijakan", "kebijakannya" and "bijak" meet, and the
same Python analysis feeds SQLite FTS5 and PostgreSQL tsvector ('simple' configuration), so both
backends find the same articles for the same query. Change `ANALYSIS_VERSION` whenever the output of
`analyze` changes: stores re-index themselves when they see a different version.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator

import Stemmer

ANALYSIS_VERSION = 1

#: A token: a run of letters and digits (Unicode), apostrophes and hyphens split words.
TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)

#: Longest token kept: anything longer is noise (hashes, base64, run-together URLs).
MAX_TOKEN_CHARS = 40

_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer objects are not thread safe: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer("indonesian", 50_000)
        _local.stemmer = stemmer
    return stemmer


def fold(token: str) -> str:
    """Lower case, accents removed (é -> e), so "Élysée" and "elysee" meet."""
    token = token.lower()
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def iter_tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded token) for every word of ``text``; offsets index ``text``."""
    for match in TOKEN_RE.finditer(text):
        token = match.group()
        if len(token) > MAX_TOKEN_CHARS:
            continue
        yield match.start(), match.end(), fold(token)


def stem(token: str) -> str:
    """The stem of one folded token."""
    result: str = _stemmer().stemWord(token)
    return result


def words(text: str) -> list[str]:
    """The folded words of ``text`` (what `iter_tokens` gives, without offsets; faster)."""
    if "\u0130" in text:  # "İ" lower-cases to two characters: go word by word, as iter_tokens does
        return [tok for _, _, tok in iter_tokens(text)]
    tokens = TOKEN_RE.findall(text.lower())
    if text.isascii():
        return [t for t in tokens if len(t) <= MAX_TOKEN_CHARS]
    return [t if t.isascii() else fold(t) for t in tokens if len(t) <= MAX_TOKEN_CHARS]


def stem_words(tokens: list[str]) -> list[str]:
    """The stems of folded tokens (one call into the stemmer)."""
    result: list[str] = _stemmer().stemWords(tokens)
    return result


def stems(text: str) -> list[str]:
    """The stems of every word of ``text``, in order."""
    tokens = words(text)
    if not tokens:
        return []
    result: list[str] = _stemmer().stemWords(tokens)
    return result


def word_stems(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``analyze(text)`` and the distinct (folded word, stem) pairs of its words (for the vocabulary
    that prefix queries expand against)."""
    tokens = words(text)
    if not tokens:
        return "", []
    unique = list(dict.fromkeys(tokens))
    stem_of = dict(zip(unique, _stemmer().stemWords(unique), strict=True))
    return " ".join(map(stem_of.__getitem__, tokens)), list(stem_of.items())


def analyze(text: str) -> str:
    """``text`` as the space-separated stems the full-text indexes are built from."""
    return " ".join(stems(text))
