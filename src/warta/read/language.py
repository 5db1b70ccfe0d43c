"""Which language an article is in, from frequent function words (resources/read/language.tsv)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from warta.resources import read_tsv

_WORD = re.compile(r"[a-z]+")


@cache
def _lexicon() -> dict[str, frozenset[str]]:
    return {row["language"]: frozenset(row["words"].split()) for row in read_tsv("read", "language.tsv")}


def detect_language(text: str, default: str | None = None) -> str | None:
    """ISO 639-1 code of the most likely language, or ``default`` when the text gives too little to tell."""
    words = Counter(_WORD.findall(text[:1500].lower()))
    if sum(words.values()) < 5:
        return default
    scores = {lang: sum(words[w] for w in lex) for lang, lex in _lexicon().items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 2:
        return default
    # Indonesian and Malay share most function words: decide on the ones that differ.
    if best in ("id", "ms"):
        only_id = _lexicon()["id"] - _lexicon()["ms"]
        only_ms = _lexicon()["ms"] - _lexicon()["id"]
        return "ms" if sum(words[w] for w in only_ms) > sum(words[w] for w in only_id) else "id"
    return best
