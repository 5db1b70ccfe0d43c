"""Datelines: "JAKARTA, KOMPAS.com -", "Jakarta (ANTARA) -", "TEMPO.CO, Jakarta -", "ISU BOGOR -".

The forms are data (resources/read/datelines.tsv). A dateline is only taken when what follows it reads as
the start of a sentence, so that a paragraph that merely begins with capitals is left alone.
"""

from __future__ import annotations

import re
from functools import cache

from warta.record import Dateline
from warta.resources import read_tsv


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(row["regex"]) for row in read_tsv("read", "datelines.tsv"))


_SENTENCE_START = re.compile(r"[\"“'‘(]?[A-Z0-9]")


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Split the dateline off the start of a paragraph: (Dateline, the rest) or (None, paragraph)."""
    head = paragraph[:120]
    for pattern in _patterns():
        match = pattern.match(head)
        if not match:
            continue
        rest = paragraph[match.end():].lstrip()
        if len(rest) < 20 or not _SENTENCE_START.match(rest):
            continue
        groups = match.groupdict()
        place = _clean_place(groups.get("place"))
        outlet = (groups.get("outlet") or "").strip() or None
        return Dateline(place=place, outlet=outlet), rest
    return None, paragraph


def _clean_place(place: str | None) -> str | None:
    if not place:
        return None
    place = place.strip(" ,")
    if not place:
        return None
    if place.isupper():
        place = " ".join(w.capitalize() if len(w) > 3 or w not in {"NTB", "NTT", "DIY", "DKI"} else w for w in place.split())
    return place
