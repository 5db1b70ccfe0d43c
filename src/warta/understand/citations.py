"""Cited sources: where a story came from ("dilansir dari TASS", "(ANTARA)", "Sumber: TASS").

``add_sources(article)`` reads the body for the phrases by which Indonesian news credits a wire agency,
another outlet, a social-media post or an official statement, and merges what it finds with the
sources the reader already put in the article (a "Sumber: TASS" line), one entry per source.

Everything it knows is data: the cue phrases (resources/quotes/citation_cues.tsv, official_cues.tsv,
media_words.txt) and the agencies and outlets (resources/agencies.tsv, kind and aliases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import cast

import msgspec

from warta.record import Article, Source, SourceKind
from warta.resources import path as resource_path
from warta.resources import read_tsv

_KINDS: frozenset[str] = frozenset({"news_agency", "media", "social", "official", "other"})
# A name: capitalised words (or a domain), joined by spaces, "&", "-" or "of/the".
_NAME = (
    r"(?P<name>(?:[A-Z][\w.&'’-]*|[a-z][\w-]*\.(?:com|co\.id|id|net|org|co)\b|[a-z]+[A-Z][\w.-]*)"
    r"(?:\s+(?:of\s+|the\s+|de\s+)?(?:[A-Z][\w.&'’-]*))*)"
)


@dataclass(frozen=True)
class _Known:
    name: str
    kind: str


@cache
def known_sources() -> dict[str, _Known]:
    """Alias (as written) -> canonical source, from resources/agencies.tsv."""
    table: dict[str, _Known] = {}
    for row in read_tsv("agencies.tsv"):
        kind = row["kind"] if row["kind"] in _KINDS else "other"
        for alias in [row["name"], *row["aliases"].split("|")]:
            alias = alias.strip()
            if alias:
                table.setdefault(alias, _Known(row["name"], kind))
    return table


@cache
def _known_lower() -> dict[str, _Known]:
    return {k.lower(): v for k, v in known_sources().items() if len(k) > 3}


def lookup(name: str) -> _Known | None:
    """The known agency or outlet a name stands for (aliases are case-sensitive; long ones also match in any case)."""
    name = name.strip().rstrip(".,;:")
    hit = known_sources().get(name)
    if hit is None and len(name) > 3:
        hit = _known_lower().get(name.lower())
    return hit


@cache
def _media_words() -> str:
    text = resource_path("quotes", "media_words.txt").read_text(encoding="utf-8")
    words = sorted(
        (w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")), key=len, reverse=True
    )
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@cache
def _stop_words() -> frozenset[str]:
    text = resource_path("quotes", "speaker_stops.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class _Cue:
    regex: re.Pattern[str]
    slot: str
    kind: str
    needles: tuple[str, ...]


def _ci(regex: str) -> str:
    """Make a cue regex case-insensitive in its words only (the name after it stays case-sensitive)."""
    return f"(?i:{regex})"


@cache
def _cue_regexes() -> tuple[_Cue, ...]:
    media = _media_words()
    out = []
    for row in read_tsv("quotes", "citation_cues.tsv"):
        rx = rf"\b(?P<cue>{_ci(row['regex'])})(?:(?P<medium>{_ci(media)})\s+)?{_NAME}"
        out.append(_Cue(re.compile(rx), row["slot"], row["kind"], tuple(row["needles"].split("|"))))
    return tuple(out)


@cache
def _official() -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    return tuple(
        (
            re.compile(
                rf"\b{_ci(row['regex'])}\b" + (rf"(?:\s+{_NAME})?" if row["issuer_after"] == "yes" else "")
            ),
            row["name"],
            tuple(row["needles"].split("|")),
        )
        for row in read_tsv("quotes", "official_cues.tsv")
    )


_SOCIAL_NEEDLES = (
    "unggahan",
    "posting",
    "cuitan",
    "kicauan",
    "utas",
    "video",
    "siaran",
    "story",
    "status",
    "akun",
    "kanal",
    "halaman",
)


@cache
def _social() -> re.Pattern[str]:
    platforms = sorted(
        {alias for alias, k in known_sources().items() if k.kind == "social" and len(alias) > 1},
        key=len,
        reverse=True,
    )
    plat = "|".join(re.escape(p) for p in platforms)
    return re.compile(
        rf"\b(?i:(?:dalam|melalui|lewat|di|dari|pada)\s+(?:sebuah\s+)?"
        rf"(?:unggahan|postingan|posting|cuitan|kicauan|utas|video|siaran\s+langsung|story|status|akun|kanal|halaman))"
        rf"(?:\s+(?i:di|pada|melalui))?(?:\s+(?i:akun))?(?:\s+(?i:media\s+sosial))?\s+(?P<platform>{plat})"
        rf"(?:\s+(?i:resmi(?:nya)?|miliknya|pribadi(?:nya)?))?(?:\s+(?P<handle>@[\w.]+))?"
        rf"|(?i:akun)\s+(?:(?P<platform2>{plat})\s+)?(?i:resmi\s+)?(?P<handle2>@[\w.]+)"
    )


_ISSUER_BEFORE = re.compile(r"(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,5})\s+\Z")
_NOT_ISSUERS = frozenset(
    {"Ia", "Dia", "Beliau", "Mereka", "Pihaknya", "Hal", "Itu", "Hal itu", "Kami", "Saya"}
)
_PAREN = re.compile(r"\((?P<name>[A-Z][A-Za-z]+(?:/[A-Za-z]+)?)\)")
_SUMBER = re.compile(r"^(?i:sumber|source)\s*:\s*(?P<name>.{2,80}?)\s*$")
_LOOKS_LIKE_OUTLET = re.compile(
    r"(?:\.(?:com|co\.id|id|net|org|co)\b|\b(?:News|Post|Times|TV|Daily|Journal|Herald|Agency)\b|^[A-Z]{2,6}$)"
)


@cache
def _official_starts() -> tuple[str, ...]:
    text = resource_path("quotes", "official_bodies.txt").read_text(encoding="utf-8")
    return tuple(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _official_body(name: str) -> bool:
    """Whether a name is that of a government or official body ("Kantor Staf Presiden", "SIPP PN Jakut")."""
    return any(name == w or name.startswith(w + " ") for w in _official_starts())


def _trim_name(name: str) -> str:
    """Cut a name at a day, month or other word that cannot be part of it ("TASS Selasa" -> "TASS")."""
    words = name.split()
    stops = _stop_words()
    out = []
    for w in words:
        if w in stops or w.rstrip(".,") in stops:
            break
        out.append(w)
    return " ".join(out).rstrip(".,;:")


def _best_known_prefix(name: str) -> tuple[str, _Known | None]:
    """The longest run of leading words that is a known source ("Reuters Senin" -> "Reuters")."""
    words = name.split()
    for n in range(len(words), 0, -1):
        cand = " ".join(words[:n])
        hit = lookup(cand)
        if hit is not None:
            return cand, hit
    return name, None


def find_sources(paragraphs: list[str]) -> list[Source]:
    """Cited sources in the paragraphs, in order of first mention, evidence being the phrase matched."""
    found: list[Source] = []
    for para in paragraphs:
        low = para.lower()
        claimed: list[int] = []  # where names already matched start: one citation, one entry
        for cue in _cue_regexes():
            if not any(n in low for n in cue.needles):
                continue
            for m in cue.regex.finditer(para):
                if m.start("name") in claimed:
                    continue
                raw = _trim_name(m.group("name"))
                if not raw:
                    continue
                name, hit = _best_known_prefix(raw)
                if hit is None:
                    if cue.slot == "known":
                        continue
                    if cue.slot == "outlet" and not (m.group("medium") or _LOOKS_LIKE_OUTLET.search(raw)):
                        continue
                    name = raw
                    kind = cue.kind or (
                        "news_agency" if "kantor berita" in (m.group("medium") or "").lower() else "media"
                    )
                    if (m.group("medium") and "resmi" in m.group("medium").lower()) or _official_body(raw):
                        kind = "official"
                else:
                    kind = hit.kind
                    name = hit.name
                evidence = para[m.start("cue") : m.start("name") + len(_best_known_prefix(raw)[0])]
                claimed.append(m.start("name"))
                _add(found, name, kind, " ".join(evidence.split()))
        for m in _PAREN.finditer(para) if "(" in para else ():
            hit = lookup(m.group("name").split("/")[0])
            if hit is not None and hit.kind in ("news_agency", "media"):
                _add(found, hit.name, hit.kind, m.group(0))
        sm = _SUMBER.match(para.strip()) if low.lstrip().startswith(("sumber", "source")) else None
        if sm:
            for part in re.split(r"\s*[,;/]\s*|\s+dan\s+", sm.group("name")):
                if part:
                    hit = lookup(part)
                    _add(found, hit.name if hit else part, hit.kind if hit else "other", f"Sumber: {part}")
        for m in _social().finditer(para) if any(n in low for n in _SOCIAL_NEEDLES) else ():
            platform = m.group("platform") or m.group("platform2")
            handle = m.group("handle") or m.group("handle2")
            phit = lookup(platform) if platform else None
            social = handle.rstrip(".") if handle else (phit.name if phit else None)
            if social:
                _add(found, social, "social", " ".join(m.group(0).split()))
        for rx, default, needles in _official():
            if not any(n in low for n in needles):
                continue
            for m in rx.finditer(para):
                named = m.group("name") if "name" in rx.groupindex else None
                issuer = _trim_name(named) if named else ""
                start = m.start()
                # the phrase ends with the issuer's name when one follows, else with the cue words themselves
                end = m.start("name") + len(issuer) if issuer else (m.start("name") if named else m.end())
                if not issuer:
                    before = _ISSUER_BEFORE.search(para, 0, m.start())
                    if before and before.group("name") not in _NOT_ISSUERS:
                        issuer, start = before.group("name"), before.start("name")
                _add(found, issuer or default, "official", " ".join(para[start:end].split()))
    return found


def _add(found: list[Source], name: str, kind: str, evidence: str) -> None:
    key = name.casefold()
    for s in found:
        if s.name.casefold() == key:
            if evidence and evidence not in s.evidence:
                s.evidence.append(evidence)
            return
    found.append(Source(name=name, kind=_kind(kind), evidence=[evidence] if evidence else []))


def _kind(kind: str) -> SourceKind:
    return cast(SourceKind, kind) if kind in _KINDS else "other"


def merge_sources(existing: list[Source], new: list[Source]) -> list[Source]:
    """Sources found in the body first (in text order), then the reader's; one entry per name (known aliases folded), evidence combined."""
    out: list[Source] = []
    for s in [*new, *existing]:
        hit = lookup(s.name)
        name = hit.name if hit else s.name
        kind: SourceKind = s.kind
        if hit is not None and s.kind == "other":
            kind = hit.kind  # type: ignore[assignment]
        match = next((o for o in out if o.name.casefold() == name.casefold()), None)
        if match is None:
            out.append(Source(name=name, kind=kind, evidence=list(s.evidence)))
            continue
        if match.kind == "other" and kind != "other":
            match.kind = kind
        for ev in s.evidence:
            if ev not in match.evidence:
                match.evidence.append(ev)
    return out


def add_sources(article: Article) -> Article:
    """Fill ``article.sources`` from the body, keeping (and merging with) what the reader found.

    An outlet does not cite itself: "kata dia kepada Kompas.com" in a Kompas article is its own reporting.
    """
    own = {n.casefold() for n in (article.outlet, article.dateline.outlet) if n}
    own |= {hit.name.casefold() for n in list(own) if (hit := lookup(n)) is not None}
    found = [s for s in find_sources(article.body) if s.name.casefold() not in own]
    if not found:
        return article
    return msgspec.structs.replace(article, sources=merge_sources(list(article.sources), found))


__all__ = ["add_sources", "find_sources", "known_sources", "lookup", "merge_sources"]
