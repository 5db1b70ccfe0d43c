"""Merge suggestions across the store: which entities are one, and why.

``suggest_merges(store)`` compares entities of the same type that share a word (or the first three
letters of one) and gathers evidence for each pair:

* ``exonym``: both names are forms of one entry of resources/exonyms.tsv ("Moscow" / "Moskow",
  "Jokowi" / "Joko Widodo", "KPK" / "Komisi Pemberantasan Korupsi");
* ``edit_distance``: one word apart, and that word within edit distance 2 ("Dmitry Preskov" /
  "Dmitry Peskov");
* ``shared_given_name`` / ``shared_family_name``: a short name that is the first or last word of the
  longer one ("Putin" / "Vladimir Putin");
* ``acronym``: one is the initials of the other ("BNPB" / "Badan Nasional Penanggulangan Bencana");
* ``same_role``: both were given the same role somewhere ("Juru Bicara Pemerintah Rusia");
* ``co_occurrence``: how much the entities they appear with overlap (Jaccard of their neighbours).

A pair is suggested when the evidence adds up (`score`); the entity seen in more articles is kept
(the majority form). ``apply`` records each merge through the store, with the reason and the
evidence as its audit trail, so it can be listed (``warta entities show``) and undone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
from rapidfuzz.distance import Levenshtein

from warta.understand.names import known_name, name_variant, normalize_name

THRESHOLD = 0.8
_NAME_SIGNALS = frozenset({"exonym", "edit_distance", "shared_given_name", "shared_family_name", "acronym"})


class _EntityRow(Protocol):
    id: str
    name: str
    type: str
    articles: int
    roles: list[str]


@dataclass
class Suggestion:
    """Fold ``merge`` into ``keep``, because of ``evidence`` (summed up in ``reason`` and ``score``)."""

    keep: str
    merge: str
    keep_name: str
    merge_name: str
    type: str
    score: float
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


def _blocks(name: str) -> set[str]:
    words = normalize_name(name).split()
    return {w for w in words if len(w) > 1} | {"3:" + w[:3] for w in words if len(w) >= 4}


def pair_evidence(a: _EntityRow, b: _EntityRow) -> dict[str, Any]:
    """Evidence that entities ``a`` and ``b`` (same type) are one, without store look-ups."""
    ev: dict[str, Any] = {}
    ka, kb = known_name(a.name), known_name(b.name)
    if ka is not None and kb is not None and ka.canonical == kb.canonical:
        ev["exonym"] = ka.canonical
    variant = name_variant(a.name, b.name)
    if variant:
        wa, wb = a.name.split(), b.name.split()
        diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
        ev["edit_distance"] = Levenshtein.distance(diff[0][0].lower(), diff[0][1].lower()) if diff else 0
        ev["variant"] = variant
    na, nb = normalize_name(a.name).split(), normalize_name(b.name).split()
    short, long_ = (na, nb) if len(na) < len(nb) else (nb, na)
    if a.type == "PER" and len(short) == 1 and len(long_) >= 2:
        if short[0] == long_[-1]:
            ev["shared_family_name"] = short[0]
        elif short[0] == long_[0]:
            ev["shared_given_name"] = short[0]
    elif a.type == "PER" and len(na) >= 2 and len(nb) >= 2 and na[0] == nb[0] and "edit_distance" in ev:
        ev["shared_given_name"] = na[0]
    short_name, long_name = (a.name, b.name) if len(a.name) < len(b.name) else (b.name, a.name)
    long_words = long_name.split()
    if (
        a.type in ("ORG", "LOC")
        and short_name.isupper()
        and len(long_words) >= 3
        and "".join(w[0] for w in long_words if w[:1].isupper()) == short_name
    ):
        ev["acronym"] = short_name
    roles_a = {normalize_name(r) for r in a.roles}
    same = sorted(r for r in b.roles if normalize_name(r) in roles_a)
    if same:
        ev["same_role"] = same[0]
    return ev


def score(ev: dict[str, Any]) -> float:
    """How strongly the evidence says "one entity": `THRESHOLD` (0.8) or more is a suggestion."""
    s = 0.0
    if "exonym" in ev:
        s += 1.5
    if "edit_distance" in ev:
        s += 0.8 if ev["edit_distance"] <= 1 else 0.6
    if "shared_family_name" in ev:
        s += 0.6
    if "shared_given_name" in ev:
        s += 0.2 if "edit_distance" in ev else 0.3
    if "acronym" in ev:
        s += 0.6
    if "same_role" in ev:
        s += 0.5
    s += 0.6 * float(ev.get("co_occurrence", 0.0))
    return round(s, 3)


def _reason(ev: dict[str, Any]) -> str:
    parts = []
    if "exonym" in ev:
        parts.append(f"exonym list ({ev['exonym']})")
    if "variant" in ev:
        parts.append(str(ev["variant"]))
    elif "shared_given_name" in ev:
        parts.append(f"shared given name '{ev['shared_given_name']}'")
    if "shared_family_name" in ev:
        parts.append(f"short form of the family name '{ev['shared_family_name']}'")
    if "acronym" in ev:
        parts.append(f"'{ev['acronym']}' is the acronym of the other name")
    if "same_role" in ev:
        parts.append(f"same role '{ev['same_role']}'")
    if ev.get("co_occurrence"):
        parts.append(f"co-occurrence {ev['co_occurrence']:.2f}")
    return "; ".join(parts)


def candidate_pairs(entities: Iterable[_EntityRow]) -> list[tuple[_EntityRow, _EntityRow]]:
    """Pairs of same-type entities that share a word or a word start, or one exonym entry."""
    index: dict[tuple[str, str], list[_EntityRow]] = {}
    rows = list(entities)
    for e in rows:
        keys = _blocks(e.name)
        words = e.name.split()
        if e.name.isupper():
            keys.add("acr:" + e.name)
        elif len(words) >= 3:
            keys.add("acr:" + "".join(w[0] for w in words if w[:1].isupper()))
        known = known_name(e.name)
        if known is not None:
            keys.add("=" + normalize_name(known.canonical))
        for k in keys:
            index.setdefault((e.type, k), []).append(e)
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[_EntityRow, _EntityRow]] = []
    for bucket in index.values():
        if len(bucket) > 200:  # a word shared by hundreds of names ("muhammad") says nothing
            continue
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                key = (min(a.id, b.id), max(a.id, b.id))
                if a.id == b.id or key in seen:
                    continue
                seen.add(key)
                pairs.append((a, b))
    return pairs


def suggest_merges(store: Any, type: str | None = None, limit: int = 5000, co_occurrence: bool = True) -> list[Suggestion]:
    """Merge suggestions over the store's entities (at most ``limit`` per listing), best first."""
    entities: list[Any] = []
    while len(entities) < limit:
        page = store.list_entities(type=type, limit=min(500, limit - len(entities)), offset=len(entities))
        if not page:
            break
        entities.extend(page)
    neighbours: dict[str, set[str]] = {}

    def near(entity_id: str) -> set[str]:
        if entity_id not in neighbours:
            neighbours[entity_id] = {c.entity.id for c in store.co_entities(entity_id, limit=50)}
        return neighbours[entity_id]

    roles: dict[str, list[str]] = {}

    def with_roles(e: Any) -> Any:
        # Listings may leave roles out; the entity itself has them.
        if not e.roles and e.id not in roles:
            full = store.get_entity(e.id)
            roles[e.id] = list(full.roles) if full is not None else []
        if not e.roles and roles.get(e.id) and isinstance(e, msgspec.Struct):
            return msgspec.structs.replace(e, roles=roles[e.id])  # type: ignore[attr-defined]
        return e

    out: list[Suggestion] = []
    for a0, b0 in candidate_pairs(entities):
        if not _NAME_SIGNALS & pair_evidence(a0, b0).keys():
            continue  # a shared role or shared company says nothing without a name that matches
        a, b = with_roles(a0), with_roles(b0)
        ev = pair_evidence(a, b)
        if not ev:
            continue
        if co_occurrence:
            na, nb = near(a.id) - {b.id}, near(b.id) - {a.id}
            if na and nb:
                ev["co_occurrence"] = round(len(na & nb) / len(na | nb), 3)
        s = score(ev)
        if s < THRESHOLD:
            continue
        keep, merge = (a, b) if _weight(a) >= _weight(b) else (b, a)
        if "shared_family_name" in ev or ("acronym" in ev and "exonym" not in ev) or "shared_given_name" in ev and "edit_distance" not in ev:
            keep, merge = (a, b) if len(a.name) > len(b.name) else (b, a)  # the full name is kept
        out.append(Suggestion(keep.id, merge.id, keep.name, merge.name, a.type, s, _reason(ev), ev))
    out.sort(key=lambda s: -s.score)
    return out


def _weight(e: _EntityRow) -> tuple[int, int, int, int]:
    """Which of two entities to keep: the listed canonical form, then the majority (articles, mentions)."""
    known = known_name(e.name)
    return (int(known is not None and known.canonical == e.name), e.articles, getattr(e, "mentions", 0), -len(e.name))


def apply(store: Any, suggestions: Iterable[Suggestion]) -> list[int]:
    """Record each suggested merge in the store (audited, undoable); returns the merge ids."""
    ids = []
    for s in suggestions:
        ids.append(store.merge_entities(s.keep, s.merge, reason=s.reason, evidence={**s.evidence, "score": s.score}))
    return ids


__all__ = ["Suggestion", "apply", "candidate_pairs", "pair_evidence", "score", "suggest_merges"]
