"""Syndication: which copy came first, what each copy added or cut, and which wire it rewrites.

Pure helpers over records; the group state (who is in which group) lives in `warta.group.grouper`.
"""

from __future__ import annotations

import math
from datetime import datetime

from warta.group.duplicates import normalise_words
from warta.record import Article
from warta.understand.keywords import split_sentences

MAX_DIFF = 30


def timestamp(iso: str | None) -> float:
    """Seconds since the epoch of an ISO 8601 date (naive dates read as WIB, +07:00); NaN if unknown."""
    if not iso:
        return math.nan
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return math.nan
    if moment.tzinfo is None:
        from datetime import timedelta, timezone

        moment = moment.replace(tzinfo=timezone(timedelta(hours=7)))
    return moment.timestamp()


def earlier(a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Is (published, tie-breaker) ``a`` before ``b``? An unknown date comes after every known one."""
    ta, tb = a[0], b[0]
    if math.isnan(ta) and math.isnan(tb):
        return a[1] < b[1]
    if math.isnan(ta):
        return False
    if math.isnan(tb):
        return True
    return (ta, a[1]) < (tb, b[1])


def wire_source(article: Article) -> str | None:
    """The news agency the article says it took the story from ("dilansir dari TASS")."""
    for source in article.sources:
        if source.kind == "news_agency":
            return source.name
    return None


def _key(sentence: str) -> bytes:
    return b" ".join(normalise_words(sentence))


def diff(original: list[str], copy: list[str], limit: int = MAX_DIFF) -> tuple[list[str], list[str]]:
    """Sentences the copy added (not in the original) and removed (in the original, not in the copy),
    compared after normalisation (case, punctuation), each in its own order."""
    orig_sentences = [s for p in original for s in split_sentences(p)]
    copy_sentences = [s for p in copy for s in split_sentences(p)]
    orig_keys = {_key(s) for s in orig_sentences}
    copy_keys = {_key(s) for s in copy_sentences}
    added = [s for s in copy_sentences if _key(s) not in orig_keys and _key(s)]
    removed = [s for s in orig_sentences if _key(s) not in copy_keys and _key(s)]
    return added[:limit], removed[:limit]


__all__ = ["diff", "earlier", "timestamp", "wire_source"]
