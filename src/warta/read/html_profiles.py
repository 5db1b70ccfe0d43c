"""Outlet profiles for the HTML reader: CSS selectors as data (resources/profiles/outlets.tsv).

A profile says where an outlet puts the article's paragraphs, what inside the page is furniture, and
where its tags and credits are. Adding an outlet is adding a row; the generic extractor still runs inside
the profile's container, so a profile only has to be roughly right.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from warta.resources import read_tsv


@dataclass(frozen=True)
class Profile:
    domain: str
    container: str | None = None
    remove: tuple[str, ...] = ()
    tags: str | None = None
    authors: str | None = None
    editors: str | None = None
    single_page: str | None = None  # "page=all": the parameter that serves every page at once


@cache
def _profiles() -> dict[str, Profile]:
    table: dict[str, Profile] = {}
    for row in read_tsv("profiles", "outlets.tsv"):
        domain = row["domain"].strip().lower()
        if not domain:
            continue
        table[domain] = Profile(
            domain=domain,
            container=row.get("container") or None,
            remove=tuple(s.strip() for s in (row.get("remove") or "").split(", ") if s.strip()),
            tags=row.get("tags") or None,
            authors=row.get("authors") or None,
            editors=row.get("editors") or None,
            single_page=row.get("single_page") or None,
        )
    return table


def profile_for(domain: str | None) -> Profile | None:
    """The profile of a host (or of its parent domain), or None."""
    if not domain:
        return None
    parts = domain.lower().removeprefix("www.").split(".")
    table = _profiles()
    for i in range(len(parts) - 1):
        found = table.get(".".join(parts[i:]))
        if found:
            return found
    return None
