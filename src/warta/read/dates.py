"""Dates as Indonesian (and English) news pages write them, to ISO 8601 with the UTC offset.

Understood: "15 Februari 2022, 16:11 WIB", "Selasa, 15 Feb 2022 16:11 WIB", "15/02/2022, 16:11 WIB",
"Kamis (5/11/2015)", "Rabu, 20 Oktober 2025 - 10:38 WIB", "November 5, 2015 10:30 am", ISO 8601.
Month names and time zones are data (resources/read/months.tsv, timezones.tsv). A time without a zone is
taken as WIB (+07:00, the first row of timezones.tsv); a date without a time gives just the day (YYYY-MM-DD).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from warta.resources import read_tsv


@cache
def _months() -> dict[str, int]:
    return {row["name"]: int(row["month"]) for row in read_tsv("read", "months.tsv")}


@cache
def _zones() -> dict[str, str]:
    return {row["zone"].upper(): row["offset"] for row in read_tsv("read", "timezones.tsv")}


def default_offset() -> str:
    return next(iter(_zones().values()))


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    month = "|".join(sorted((re.escape(m) for m in _months()), key=len, reverse=True))
    zone = "|".join(sorted((re.escape(z) for z in _zones()), key=len, reverse=True))
    time = (
        r"(?:\s*(?:[,|\-–—]|pukul|Pukul|jam|at)?\s*)*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
        r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<zone>" + zone + r")?(?:\s*(?P<tzoff>[+-]\d{2}:?\d{2}))?"
    )
    return (
        # ISO 8601
        re.compile(
            r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
            r"\s*(?P<tzoff>Z|[+-]\d{2}:?\d{2})?)?"
        ),
        # 15 Februari 2022, 16:11 WIB / Selasa, 15 Feb 2022 16:11 WIB
        re.compile(r"\b(?P<d>\d{1,2})\s*(?P<mon>" + month + r")\.?\s*,?\s*(?P<y>\d{4})(?:" + time + ")?", re.I),
        # November 5, 2015 10:30 am
        re.compile(r"\b(?P<mon>" + month + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{4})(?:" + time + ")?", re.I),
        # 15/02/2022, 16:11 WIB / Kamis (5/11/2015)
        re.compile(r"\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?:" + time + ")?"),
    )


def parse_date(text: str, *, dayfirst: bool = True) -> str | None:
    """The first date in ``text`` as ISO 8601, or None. See the module docstring for the forms."""
    found = find_date(text, dayfirst=dayfirst)
    return found[0] if found else None


def find_date(text: str, *, dayfirst: bool = True) -> tuple[str, int, int] | None:
    """The first date in ``text``: (iso, start, end) of the match, or None."""
    if not text or len(text) > 5000:
        text = text[:5000] if text else ""
    best: tuple[str, int, int] | None = None
    for pattern in _patterns():
        for match in pattern.finditer(text):
            iso = _to_iso(match.groupdict(), dayfirst=dayfirst)
            if iso and (best is None or match.start() < best[1]):
                best = (iso, match.start(), match.end())
                break
    return best


def _to_iso(g: dict[str, str | None], *, dayfirst: bool) -> str | None:
    try:
        year = int(g["y"] or 0)
        if g.get("mon"):
            month = _months()[(g["mon"] or "").lower().rstrip(".")]
            day = int(g["d"] or 0)
        else:
            a, b = int(g["d"] or 0), int(g["m"] or 0)
            day, month = (a, b) if dayfirst else (b, a)
            if month > 12 and day <= 12:
                day, month = month, day
        if not 1900 <= year <= 2100:
            return None
        day_iso = date(year, month, day).isoformat()
    except (ValueError, KeyError, TypeError):
        return None
    if g.get("H") is None:
        return day_iso
    hour, minute = int(g["H"] or 0), int(g["M"] or 0)
    second = int(g.get("S") or 0)
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        return day_iso
    offset = default_offset()
    if g.get("tzoff"):
        raw = g["tzoff"] or ""
        offset = "+00:00" if raw == "Z" else (raw if ":" in raw else f"{raw[:3]}:{raw[3:]}")
    elif g.get("zone"):
        offset = _zones().get((g["zone"] or "").upper(), offset)
    return f"{day_iso}T{hour:02d}:{minute:02d}:{second:02d}{offset}"
