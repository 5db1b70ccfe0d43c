"""What `warta duplicates` and `warta stories` show, read from a store (no printing here)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

import msgspec

from warta.record import Article

_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class _ArticleSource(Protocol):
    def iter_articles(self, query: str | None = None, batch_size: int = 500) -> Iterable[Article]: ...

    def get_article(self, article_id: str) -> Article | None: ...


class Copy(msgspec.Struct, kw_only=True):
    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    kind: str  # "original", "duplicate" (near or exact copy), "rewrite" (same piece, reworded)
    added: int = 0
    removed: int = 0


class CopyGroup(msgspec.Struct, kw_only=True):
    id: str
    wire_source: str | None
    members: list[Copy]


def parse_since(text: str | None, now: datetime | None = None) -> str | None:
    """``24h``, ``7d``, ``30m``, ``2w`` before now, or an ISO date, as an ISO 8601 string; None for None."""
    if not text:
        return None
    now = now or datetime.now(UTC)
    match = _SINCE.match(text)
    if match:
        delta = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
        return (now - delta).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since {text!r}: write a span such as 24h, 7d, 30m, or a date such as 2025-10-20") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone(timedelta(hours=7)))
    return moment.isoformat(timespec="seconds")


def _copy(article: Article, kind: str) -> Copy:
    syn = article.syndication
    return Copy(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        published_at=article.published_at,
        url=article.url,
        kind=kind,
        added=len(syn.added) if syn else 0,
        removed=len(syn.removed) if syn else 0,
    )


def copy_groups(store: _ArticleSource, query: str | None = None, limit: int = 50) -> list[CopyGroup]:
    """Groups of copies (syndication groups; exact and near duplicates) among the articles matching
    ``query`` (all articles when None), biggest first; each group's original comes first."""
    groups: dict[str, dict[str, Article]] = {}
    wires: dict[str, str | None] = {}
    originals: dict[str, str | None] = {}
    for article in store.iter_articles(query):
        syn = article.syndication
        if syn is not None and syn.original_id:
            key = syn.group_id
            originals[key] = syn.original_id
            wires[key] = wires.get(key) or syn.wire_source
        elif article.duplicate_of:
            key = "dup-" + article.duplicate_of
            originals[key] = article.duplicate_of
        else:
            continue
        groups.setdefault(key, {})[article.id] = article
    out: list[CopyGroup] = []
    for key, members in groups.items():
        original_id = originals.get(key)
        if original_id and original_id not in members:
            original = store.get_article(original_id)
            if original is not None:
                members[original.id] = original
        if len(members) < 2 and not query:
            continue
        ordered = sorted(members.values(), key=lambda a: (a.id != original_id, a.published_at or "", a.id))
        copies = [
            _copy(a, "original" if a.id == original_id else ("duplicate" if a.duplicate_of else "rewrite"))
            for a in ordered
        ]
        out.append(CopyGroup(id=key, wire_source=wires.get(key), members=copies))
    out.sort(key=lambda g: (-len(g.members), g.id))
    return out[:limit]


__all__ = ["Copy", "CopyGroup", "copy_groups", "parse_since"]
