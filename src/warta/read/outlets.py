"""Known outlets (resources/outlets.tsv): domain -> display name, and dateline forms -> outlet."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from warta.resources import read_tsv


@cache
def _by_domain() -> dict[str, str]:
    return {row["domain"].lower(): row["name"] for row in read_tsv("outlets.tsv")}


@cache
def _by_dateline() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in read_tsv("outlets.tsv"):
        for form in row["dateline_forms"].split("|"):
            if form:
                table.setdefault(form.lower(), row["name"])
    return table


def domain_of(url: str | None) -> str | None:
    """The host of a URL without "www." (None when there is no URL)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().removeprefix("www.")


def outlet_for_domain(domain: str | None) -> str | None:
    """Display name of a known outlet for a host, trying the host then its parent domains."""
    if not domain:
        return None
    parts = domain.lower().split(".")
    table = _by_domain()
    for i in range(len(parts) - 1):
        name = table.get(".".join(parts[i:]))
        if name:
            return name
    return None


def outlet_for_dateline(form: str | None) -> str | None:
    """Display name for an outlet as written in a dateline ("KOMPAS.com" -> "Kompas.com"); None if unknown."""
    if not form:
        return None
    return _by_dateline().get(form.strip().lower())
