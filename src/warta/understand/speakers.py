"""Speakers: resolve who a quote's speaker mention points to.

A quote names its speaker in one of five ways, and each is resolved differently:

* a name ("Dmitry Preskov"): the entity whose mention covers it, else the entity whose name shares
  its words ("Peskov" -> "Dmitry Peskov"), else an earlier speaker spelled nearly the same way;
* a role ("kata Presiden"): the entity whose role or role alias holds those words, else an earlier
  speaker introduced with that title;
* a pronoun (dia, ia, beliau), "pihaknya" or a clitic ("katanya", "Menurutnya"): the most salient
  person before it: the latest speaker, or a person the text has since made the subject of a sentence.
* "mereka" (plural) is not resolved to one person.

Works without entities too (names are then clustered among the article's speakers), so quotes
degrade gracefully when the entity component has not run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from warta.record import Entity

if TYPE_CHECKING:
    from warta.understand.quotes import Found, SpeakerRef, Unit


@dataclass
class _Known:
    pos: tuple[int, int]  # unit, char where the speaker was last named
    name: str
    entity_id: str | None
    span: tuple[int, int, int]
    role: str | None
    cluster: int


def _words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split() if w.strip(".,")]


def similar_names(a: str, b: str) -> bool:
    """Two spellings of one name: equal, one a part of the other ("Peskov"/"Dmitry Peskov"), or one typo apart."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < len(long_) and all(w in long_ for w in short) and any(len(w) > 2 for w in short):
        return True
    if len(wa) == len(wb):
        return all(
            x == y or (len(x) >= 4 and SequenceMatcher(None, x, y).ratio() >= 0.8)
            for x, y in zip(wa, wb, strict=True)
        )
    return False


class _EntityIndex:
    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        self.mentions: list[tuple[int, int, int, Entity]] = sorted(
            ((m.paragraph, m.start, m.end, e) for e in entities for m in e.mentions),
            key=lambda x: (x[0], x[1]),
        )

    def covering(self, unit: int, start: int, end: int) -> tuple[int, int, int, Entity] | None:
        """The entity mention inside or overlapping [start, end) in a unit; persons first, then the last one."""
        hits = [m for m in self.mentions if m[0] == unit and m[1] < end and start < m[2]]
        if not hits:
            return None
        hits.sort(key=lambda m: (m[3].type == "PER", m[2]))
        return hits[-1]

    def by_name(self, name: str) -> Entity | None:
        for e in self.entities:
            if e.type != "PER":
                continue
            forms = [e.name, *e.aliases, *(m.text for m in e.mentions)]
            if any(similar_names(name, f) for f in forms):
                return e
        return None

    def by_role(self, role: str, before: tuple[int, int]) -> Entity | None:
        low = role.lower()
        best: tuple[tuple[int, int], Entity] | None = None
        for e in self.entities:
            roles = [r.lower() for r in ([e.role] if e.role else []) + list(e.role_aliases)]
            if not any(low == r or r.startswith(low + " ") or r.endswith(" " + low) for r in roles):
                continue
            if e.type != "PER":
                continue
            seen = [(m.paragraph, m.start) for m in e.mentions if (m.paragraph, m.start) <= before]
            key = max(seen) if seen else (-1, -1)
            if best is None or key > best[0]:
                best = (key, e)
        return best[1] if best else None

    def last_subject_before(
        self, units: list[Unit], pos: tuple[int, int], after: tuple[int, int]
    ) -> tuple[int, int, int, Entity] | None:
        """The latest person mention between `after` and `pos` that opens its sentence (the likely referent of "dia")."""
        for m in reversed(self.mentions):
            if (m[0], m[1]) >= pos or m[3].type != "PER":
                continue
            if (m[0], m[1]) <= after:
                return None
            before = units[m[0]].text[: m[1]].rstrip()
            if before == "" or before[-1] in ".!?" or _connective_end(before):
                return m
        return None


def _connective_end(text: str) -> bool:
    from warta.understand.quotes import lexicon

    words = text.rstrip(",").split()
    return (
        bool(words)
        and (words[-1].lower(),) in lexicon().connectives
        and (len(words) == 1 or words[-2][-1:] in ".!?")
    )


def resolve(
    found: list[Found],
    units: list[Unit],
    entities: list[Entity],
    subjects: Callable[[int], list[SpeakerRef]] | None = None,
) -> None:
    """Fill each quote's speaker_name, entity_id and antecedent (in place), in document order.

    ``subjects(unit)`` gives the names that open sentences in a unit (quotes.subject_finder): they say nothing
    themselves but are what a later "katanya" most likely points to. Asked only where a pronoun needs them.
    """
    from warta.understand.quotes import Found as _Found

    index = _EntityIndex(entities)
    known: list[_Known] = []
    clusters: list[
        list[int]
    ] = []  # indices into `items` of name-resolved quotes without an entity, by cluster
    items = list(found)
    order = sorted(range(len(items)), key=lambda i: _pos(items[i]))
    for i in order:
        q = items[i]
        ref = q.speaker
        if ref is None:
            continue
        pos = (ref.unit, ref.start)
        if ref.form == "name" and ref.name and ref.role and _is_role_phrase(ref, index, known, pos):
            # "kata Kapolda Metro Jaya": the whole phrase is an office, not "Metro Jaya" the person
            ref.form, ref.name, ref.name_start, ref.name_end = "role", ref.text, ref.start, ref.end
        if ref.form == "name" and ref.name and ref.alt_start >= 0:
            _take_alternative(ref, units[ref.unit].text, index)
        if ref.form == "name" and ref.name:
            _resolve_name(q, i, index, known, clusters)
        elif ref.form == "role" and ref.name:
            ent = index.by_role(ref.name, pos)
            span = (ref.unit, ref.start, ref.end)
            if ent is not None:
                _set(q, ent.name, ent.id, span)
                known.append(_Known(pos, ent.name, ent.id, span, ref.name, -1))
                continue
            low = ref.name.lower()
            prior = next((k for k in reversed(known) if k.role and _role_match(low, k.role.lower())), None)
            if prior is not None:
                _set(q, prior.name, prior.entity_id, prior.span)
                known.append(_Known(pos, prior.name, prior.entity_id, span, prior.role, prior.cluster))
            else:
                _set(q, ref.name, None, span)
                known.append(_Known(pos, ref.name, None, span, ref.name, -1))
        elif ref.form in ("pronoun", "party", "clitic", "description"):
            last = known[-1] if known else None
            if last is not None and ref.form in ("pronoun", "clitic") and _is_body(last, index):
                # "Meskipun Pemerintah Provinsi Jakarta menekankan bahwa ...  "...," katanya": "-nya", "dia" and
                # "ia" stand for a person; the latest person named before the body, if any, in the same stretch.
                person = next(
                    (k for k in reversed(known) if not _is_body(k, index) and k.pos[0] >= pos[0] - 3), None
                )
                last = person or last
            after = last.pos if last else (-1, -1)
            named = (
                _latest_subject(subjects, index, entities, after, pos, people_only=ref.form != "party")
                if subjects
                else None
            )
            if named is not None:
                # A name that opened a sentence since the last speaker: resolve it as a name, then point to it.
                named_q = _Found(
                    named.unit, named.start, named.start, "subject", named.start, named.start, speaker=named
                )
                items.append(named_q)
                _resolve_name(named_q, len(items) - 1, index, known, clusters)
                last = known[-1]
            subject = index.last_subject_before(units, pos, last.pos if last else (-1, -1))
            if subject is not None and (last is None or (subject[0], subject[1]) > last.pos):
                ent = subject[3]
                span = (subject[0], subject[1], subject[2])
                _set(q, ent.name, ent.id, span)
                known.append(_Known((subject[0], subject[1]), ent.name, ent.id, span, ent.role, -1))
            elif last is not None:
                _set(q, last.name, last.entity_id, last.span)
                if last.cluster >= 0:
                    clusters[last.cluster].append(i)
    found = items
    # Without an entity, a cluster of spellings is named by its most frequent one ("Peskov" x3 over "Preskov" x1).
    for members in clusters:
        if not members:
            continue
        counts = Counter(
            units[found[i].speaker.unit].text[found[i].speaker.name_start : found[i].speaker.name_end]  # type: ignore[union-attr]
            for i in members
            if found[i].speaker is not None and found[i].speaker.form == "name"  # type: ignore[union-attr]
        )
        if not counts:
            continue
        best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
        for i in members:
            found[i].speaker_name = best


def _is_body(k: _Known, index: _EntityIndex) -> bool:
    """A speaker that is an institution, not a person ("Pemerintah Provinsi Jakarta", "BNPB")."""
    from warta.understand.quotes import lexicon

    if k.entity_id is not None:
        ent = next((e for e in index.entities if e.id == k.entity_id), None)
        if ent is not None:
            return ent.type != "PER"
    return k.name.split(" ", 1)[0] in lexicon().bodies or (k.name.isupper() and len(k.name) > 1)


def _take_alternative(ref: SpeakerRef, text: str, index: _EntityIndex) -> None:
    """ "kata Camat Neglasari, Kabupaten Tangerang, Ubaidillah Ansar, Sabtu": the segment the rules took for a
    place is the speaker's name when the entities say it is a person and the phrase before it holds none."""
    alt = index.covering(ref.unit, ref.alt_start, ref.alt_end)
    here = index.covering(ref.unit, ref.name_start, ref.name_end)
    if alt is None or alt[3].type != "PER" or (here is not None and here[3].type == "PER"):
        return
    ns, ne = max(alt[1], ref.alt_start), min(alt[2], ref.alt_end)
    ref.role = text[ref.start : ns].rstrip(" ,") or None
    ref.name, ref.name_start, ref.name_end, ref.after_titles = text[ns:ne], ns, ne, ns
    ref.end = ne
    ref.text = text[ref.start : ne]
    ref.alt_start = ref.alt_end = -1


def _role_match(role: str, known_role: str) -> bool:
    """ "kapolda" or "kapolda metro jaya" matches the role "kapolda metro jaya irjen" a speaker was introduced with."""
    return known_role == role or known_role.startswith(role + " ") or f" {role} " in f" {known_role} "


def _is_role_phrase(ref: SpeakerRef, index: _EntityIndex, known: list[_Known], pos: tuple[int, int]) -> bool:
    """A titled phrase with no person in it that names an office someone holds in the article."""
    hit = index.covering(ref.unit, ref.name_start, ref.name_end)
    if hit is not None and hit[3].type == "PER":
        return False
    low = ref.text.lower()
    if index.by_role(ref.text, pos) is not None:
        return True
    return any(k.role and _role_match(low, k.role.lower()) for k in known)


def _resolve_name(
    q: Found, i: int, index: _EntityIndex, known: list[_Known], clusters: list[list[int]]
) -> None:
    """A speaker named by name: its entity, else a cluster of near-identical spellings among earlier speakers."""
    ref = q.speaker
    assert ref is not None and ref.name is not None
    pos = (ref.unit, ref.start)
    hit = index.covering(ref.unit, ref.name_start, ref.name_end)
    if hit is not None and hit[3].type != "PER" and not (hit[1] <= ref.name_start and ref.name_end <= hit[2]):
        hit = None  # a place inside an office's name ("Pemerintah Provinsi Jawa Tengah") is not the speaker
    if hit is not None and hit[3].type == "PER" and ref.role is not None:
        # The entity tells where the titles end (never before the last title); the name runs to the phrase end.
        ref.name_start = min(max(ref.start, ref.after_titles, hit[1]), ref.name_end - 1)
    ent = hit[3] if hit is not None else index.by_name(ref.name)
    span = (ref.unit, ref.name_start, ref.name_end)
    if ent is not None:
        _set(q, ent.name, ent.id, span)
        known.append(_Known(pos, ent.name, ent.id, span, ref.role, -1))
        return
    prior = next(
        (
            k
            for k in reversed(known)
            if k.entity_id is None and k.cluster >= 0 and similar_names(k.name, ref.name)
        ),
        None,
    )
    if prior is not None:
        cluster = prior.cluster
    else:
        cluster = len(clusters)
        clusters.append([])
    clusters[cluster].append(i)
    _set(q, ref.name, None, span)
    known.append(_Known(pos, ref.name, None, span, ref.role, cluster))


def _latest_subject(
    subjects: Callable[[int], list[SpeakerRef]],
    index: _EntityIndex,
    entities: list[Entity],
    after: tuple[int, int],
    before: tuple[int, int],
    *,
    people_only: bool = True,
) -> SpeakerRef | None:
    """The latest sentence-opening name strictly between two positions (with entities: people or titled names).

    With ``people_only`` (for "katanya", "dia"), a body ("Satuan Tugas ... Provinsi Maluku juga menerapkan",
    "Pemerintah Provinsi Jakarta menekankan") is passed over; "pihaknya" may point to one."""
    from warta.understand.quotes import lexicon

    bodies = lexicon().bodies
    for u in range(before[0], max(after[0], 0) - 1, -1):
        for ref in reversed(subjects(u)):
            p = (ref.unit, ref.start)
            if not (after < p < before) or ref.form != "name" or not ref.name:
                continue
            if (
                people_only
                and ref.name == ref.text
                and (ref.text.split(" ", 1)[0] in bodies or ref.text.isupper())
            ):
                continue  # a body or an acronym ("BI mengklaim ...")
            if entities and not ref.role:
                hit = index.covering(ref.unit, ref.name_start, ref.name_end)
                if hit is None or hit[3].type != "PER":
                    continue
            return ref
    return None


def _pos(q: Found) -> tuple[int, int]:
    if q.speaker is not None and q.speaker.unit >= 0:
        return (q.speaker.unit, q.speaker.start)
    return (q.unit, q.start)


def _set(q: Found, name: str | None, entity_id: str | None, span: tuple[int, int, int]) -> None:
    q.speaker_name, q.entity_id, q.antecedent = name, entity_id, span


__all__ = ["resolve", "similar_names"]
