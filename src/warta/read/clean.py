"""One cleaning code path for both readers: lines of an article -> clean body, related links, credits.

(Interface fixed; implementation in progress.)
"""

from __future__ import annotations

import msgspec

from warta.record import Link, Source


class Cleaned(msgspec.Struct, kw_only=True):
    body: list[str] = msgspec.field(default_factory=list)
    related: list[Link] = msgspec.field(default_factory=list)
    authors: list[str] = msgspec.field(default_factory=list)
    editors: list[str] = msgspec.field(default_factory=list)
    sources: list[Source] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    dropped: list[str] = msgspec.field(default_factory=list)
    warnings: list[str] = msgspec.field(default_factory=list)


def clean_lines(lines: list[str], *, outlet: str | None = None) -> Cleaned:
    """Clean the paragraphs of one article (already cut from the page).

    Removes page furniture (ADVERTISEMENT, SCROLL TO CONTINUE..., share lines, page counters), turns
    "Baca Juga:" inserts into `related`, reads credit lines (Editor:, Penulis:, Reporter:, Sumber:) and
    sign-offs ("(ant/nrl)"), stops at end marks ("***") and trailing navigation (Tags, Terkini, ...).
    """
    raise NotImplementedError
