"""UI language: Indonesian by default, English with ``?lang=en`` (remembered in a cookie).

The words live in ``locales/<lang>.json``; a key missing from a locale falls back to Indonesian,
then to the key itself, so a page never breaks on a missing translation.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources

DEFAULT = "id"
LANGS = ("id", "en")
COOKIE = "warta_lang"

_MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
_DAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}
#: Indonesian time zones by UTC offset in hours
_ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}


@cache
def messages(lang: str) -> dict[str, str]:
    text = resources.files("warta.web").joinpath("locales", f"{lang}.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


def pick(query_lang: str | None, cookie_lang: str | None, accept: str | None = None) -> str:
    """The UI language from the query string, else the cookie, else Indonesian."""
    for cand in (query_lang, cookie_lang):
        if cand in LANGS:
            return cand
    return DEFAULT


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT
        self._msgs = messages(self.lang)
        self._fallback = messages(DEFAULT)

    def __call__(self, key: str) -> str:
        return self._msgs.get(key) or self._fallback.get(key) or key

    def when(self, value: str | None, *, with_day: bool = False) -> str:
        """An ISO 8601 time as readers expect it: "Selasa, 21 Okt 2025 20:43 WIB"."""
        if not value:
            return ""
        try:
            t = datetime.fromisoformat(value)
        except ValueError:
            return value
        month = _MONTHS[self.lang][t.month - 1]
        out = f"{t.day} {month} {t.year}"
        if len(value) > 10:
            out += f" {t.hour:02d}:{t.minute:02d}"
            off = t.utcoffset()
            if off is not None:
                hours = off.total_seconds() / 3600
                out += " " + (_ZONES.get(int(hours), f"UTC{hours:+g}") if hours == int(hours) else f"UTC{hours:+g}")
        if with_day:
            out = f"{_DAYS[self.lang][t.weekday()]}, {out}"
        return out
