"""Names, roles and their variants: the knowledge entities.py and aliases.py share.

* ``entity_id(type, name)``: the entity id, ``{type}-{slug}`` (``per-vladimir-putin``), where the slug
  is the canonical name folded by `normalize_name` (NFKD, accents dropped, lower case, runs of
  anything but a-z0-9 joined by "-"). It depends on nothing but type and canonical name, so the same
  person gets the same id in every article and in the store (it equals ``warta.store.entity_key``).
* ``known_name(surface)``: exonyms, spelling variants and abbreviations from resources/exonyms.tsv
  ("Moscow" -> Moskow, "AS" -> Amerika Serikat, "Jokowi" -> Joko Widodo).
* ``Titles``: roles, abbreviated roles and honorifics from resources/titles.tsv, to read a role off
  the words before a name ("Juru Bicara Pemerintah Rusia Dmitry Peskov") and to tell "Jubir Rusia"
  is a short form of "Juru Bicara Pemerintah Rusia" (`role_matches`).
* ``name_variant(a, b)``: whether two person names are spellings of one name ("Dmitry Preskov" /
  "Dmitry Peskov"), and why.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import Levenshtein

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str) -> str:
    """A name folded for matching: NFKD, accents dropped, lower case, punctuation to single spaces."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub(" ", folded).strip()


def entity_id(type: str, name: str) -> str:
    """Stable entity id from type and canonical name: ``per-vladimir-putin``."""
    slug = normalize_name(name).replace(" ", "-")
    if not slug:
        slug = "x" + hashlib.blake2b(name.encode("utf-8"), digest_size=6).hexdigest()
    return f"{type.lower()}-{slug}"


def _read(name: str) -> str:
    return resources.files("warta.resources").joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class KnownName:
    canonical: str
    type: str


@lru_cache(maxsize=1)
def exonyms() -> dict[str, KnownName]:
    """surface -> canonical name and type, from resources/exonyms.tsv (canonical forms included)."""
    table: dict[str, KnownName] = {}
    for line in _read("exonyms.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        canonical, typ = parts[0].strip(), parts[1].strip()
        known = KnownName(canonical, typ)
        table.setdefault(canonical, known)
        if len(parts) > 2:
            for v in parts[2].split("|"):
                if v.strip():
                    table.setdefault(v.strip(), known)
    return table


@lru_cache(maxsize=1)
def _exonyms_folded() -> dict[str, KnownName]:
    # Folded lookup only for names long enough not to collide with ordinary words ("AS" vs "as").
    return {normalize_name(k): v for k, v in exonyms().items() if len(k) > 4}


def known_name(surface: str) -> KnownName | None:
    """The canonical name and type of a surface form listed in resources/exonyms.tsv, or None."""
    hit = exonyms().get(surface)
    if hit is None and len(surface) > 4:
        hit = _exonyms_folded().get(normalize_name(surface))
    return hit


@dataclass
class Titles:
    """Role and honorific lexicon (resources/titles.tsv)."""

    roles: dict[tuple[str, ...], str] = field(default_factory=dict)  # words -> kind (role/abbrev)
    expansions: dict[str, str] = field(default_factory=dict)  # abbrev -> long form
    honorifics: frozenset[str] = frozenset()  # one-word honorifics and ranks ("Bapak", "AKBP")
    honorific_phrases: frozenset[tuple[str, ...]] = frozenset()  # all of them, as word tuples ("Komisaris", "Besar")
    role_words: frozenset[str] = frozenset()
    company_words: frozenset[str] = frozenset()
    max_len: int = 1

    def role_at(self, words: Sequence[str], i: int) -> int:
        """Length of the longest role or abbreviated role starting at words[i] (0 if none)."""
        for n in range(min(self.max_len, len(words) - i), 0, -1):
            if tuple(words[i : i + n]) in self.roles:
                return n
        return 0

    def honorific_at(self, words: Sequence[str], i: int) -> int:
        """Length of the longest honorific or rank starting at words[i] ("Komisaris Besar" -> 2)."""
        for n in range(min(4, len(words) - i), 0, -1):
            if tuple(words[i : i + n]) in self.honorific_phrases:
                return n
        return 0

    def honorific_before(self, words: Sequence[str], end: int) -> int:
        """Length of the longest honorific or rank ending just before words[end]."""
        for n in range(min(4, end), 0, -1):
            if tuple(words[end - n : end]) in self.honorific_phrases:
                return n
        return 0

    def is_role_word(self, word: str) -> bool:
        return word in self.role_words or (word,) in self.roles

    def expand(self, role: str) -> str:
        """Abbreviations spelt out: "Jubir Rusia" -> "Juru Bicara Rusia"."""
        return " ".join(self.expansions.get(w, w) for w in role.split())


@lru_cache(maxsize=1)
def titles() -> Titles:
    t = Titles()
    hon: set[str] = set()
    words: set[str] = set()
    company: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for line in _read("titles.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        surface, kind = parts[0].strip(), parts[1].strip()
        expansion = parts[2].strip() if len(parts) > 2 else ""
        if kind in ("role", "abbrev"):
            key = tuple(surface.split())
            t.roles[key] = kind
            t.max_len = max(t.max_len, len(key))
            words.update(key)
            if kind == "abbrev" and expansion:
                t.expansions[surface] = expansion
                words.update(w for w in expansion.split() if w[:1].isupper())
        elif kind == "honorific":
            phrases.add(tuple(surface.split()))
            if " " not in surface:
                hon.add(surface)
        elif kind == "word":
            words.add(surface)
        elif kind == "company":
            company.add(surface)
    t.company_words = frozenset(company)
    t.honorifics = frozenset(hon)
    t.honorific_phrases = frozenset(phrases)
    t.role_words = frozenset(words)
    return t


def _place_key(word: str) -> str:
    known = known_name(word)
    return normalize_name(known.canonical if known else word)


def role_matches(alias: str, role: str) -> bool:
    """Whether ``alias`` ("Jubir Rusia") is a short form of ``role`` ("Juru Bicara Pemerintah Rusia").

    Abbreviations are spelt out; then the alias must start with the same office as the role and its
    other words (places compared through the exonym table) must all appear in the role.
    """
    t = titles()
    a = t.expand(alias).split()
    r = t.expand(role).split()
    if not a or not r:
        return False
    na, nr = t.role_at(a, 0), t.role_at(r, 0)
    if na == 0 or nr == 0 or a[:na] != r[:nr]:
        return False
    rest = {_place_key(w) for w in r[nr:]}
    return all(_place_key(w) in rest for w in a[na:])


def name_variant(a: str, b: str) -> str | None:
    """Why two person names are one name spelt two ways, or None.

    Both must have the same number of words, share every word but one, and that one must be within
    edit distance 2 (and 75% similar): "Dmitry Preskov" / "Dmitry Peskov" -> "edit distance 1 on
    'Preskov'/'Peskov', shared given name".
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2 or a == b:
        return None
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if normalize_name(x) != normalize_name(y)]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    d = Levenshtein.distance(x.lower(), y.lower())
    if d <= 2 and Levenshtein.normalized_similarity(x.lower(), y.lower()) >= 0.75 and x[:1].lower() == y[:1].lower():
        shared = "given name" if wa[0] == wb[0] else "family name"
        return f"edit distance {d} between '{x}' and '{y}', shared {shared}"
    return None


__all__ = [
    "KnownName",
    "Titles",
    "entity_id",
    "exonyms",
    "known_name",
    "name_variant",
    "normalize_name",
    "role_matches",
    "titles",
]
