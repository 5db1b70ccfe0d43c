"""The entities component: who and what an article names, one entry per real-world entity.

``add_entities(article)`` tags every body paragraph with the NER model, then

1. reads roles off the words before a person's name and keeps them apart from the name
   ("Presiden Rusia Vladimir Putin" -> Vladimir Putin, role "Presiden Rusia"); words of a role that
   the tagger swallowed into the name are moved back to the role;
2. merges the surface forms of one entity: a short form into the full name that contains it
   ("Putin" -> "Vladimir Putin"), spelling variants into the majority form ("Dmitry Preskov" and
   "Dmitry Peskov" -> "Dmitry Peskov", the variant kept as a mention and an alias), and exonyms and
   abbreviations through resources/exonyms.tsv ("Federasi Rusia" -> Rusia, "AS" -> Amerika Serikat);
3. links role phrases used without a name ("Jubir Rusia" in the title) to the person whose role
   they abbreviate, as ``role_aliases``.

Mentions carry character offsets into ``body[paragraph]``. Entity ids are ``names.entity_id``.
Reading roles is in ``roles.py``; names, exonyms and titles in ``names.py``.
"""

from __future__ import annotations

from functools import lru_cache

import msgspec

from warta.record import Article, Entity, Mention
from warta.understand.names import (
    entity_id,
    exonyms,
    known_name,
    name_variant,
    normalize_name,
    role_matches,
    titles,
)
from warta.understand.ner import EntitySpan, find_entities_many
from warta.understand.ner_features import flag_names, shipped_lexicon
from warta.understand.roles import (
    free_roles,
    is_cap,
    place_like,
    role_before,
    role_inside,
    role_or_common,
    strip_role,
)
from warta.understand.tokens import Token, abbreviations, tokenize


class _Mention(msgspec.Struct):
    paragraph: int
    start: int
    end: int
    text: str
    type: str
    role: str | None = None


def _collect(article: Article) -> tuple[list[_Mention], list[tuple[int, str]]]:
    """Mentions from the NER over every paragraph, roles read off; and role phrases with no name."""
    body = article.body
    tokenized = [tokenize(text) for text in body]
    spans_per_par = find_entities_many(body, tokenized)
    mentions: list[_Mention] = []
    role_phrases: list[tuple[int, str]] = []
    t = titles()
    bodies = _body_names(spans_per_par)
    for p, (text, spans) in enumerate(zip(body, spans_per_par, strict=True)):
        tokens = tokenized[p]
        index_of = {tok.start: n for n, tok in enumerate(tokens)}
        role_spans: list[tuple[int, int]] = []
        taken = {tok.start for sp in spans if sp.type == "PER" for tok in tokens if sp.start <= tok.start < sp.end}
        if _headline_like(tokens):
            # A Title Case Line (an insert the reader left, a heading): the tagger is unreliable there.
            spans = [sp for sp in spans if known_name(sp.text) is not None]
        spans = _add_known(text, tokens, _split_org_person(text, tokens, spans))
        org_loc = {tok.start for sp in spans if sp.type != "PER" for tok in tokens if sp.start <= tok.start < sp.end}
        for span in spans:
            if span.type != "PER":
                continue
            start, role = strip_role(span, tokens)
            first = index_of.get(start)
            if first is None:
                continue
            if role is None:
                inner = role_inside(tokens, first, span.end, org_loc)
                if inner is not None:
                    role = text[inner[0] : inner[1]]
                    role_spans.append((inner[0], inner[1]))
                    if inner[2] >= len(tokens) or tokens[inner[2]].start >= span.end:
                        continue
                    start = tokens[inner[2]].start
            if role is None:
                found = role_before(tokens, first, taken, org_loc)
                if found:
                    role = text[found[0] : found[1]]
                    role_spans.append((found[0], found[1]))
                    if found[2] < first:
                        start = tokens[found[2]].start
            elif not role_spans or role_spans[-1][1] != span.start + len(role):
                role_spans.append((span.start, span.start + len(role)))
            if role is not None:
                # "Gubernur [Riau Abdul Wahid]", "Direktur [Astra Otoparts Hamdhani D.]": a place or an
                # organisation named elsewhere in the article, at the start of the name, goes to the role.
                k = index_of.get(start, first)
                role_start = role_spans[-1][0] if role_spans else None
                inside = [tok.text for tok in tokens[k:] if tok.end <= span.end]
                for n in range(len(inside) - 2, 0, -1):
                    if tuple(inside[:n]) in bodies and role_start is not None:
                        role_spans[-1] = (role_start, tokens[k + n - 1].end)
                        role = text[role_start : tokens[k + n - 1].end]
                        k += n
                        start = tokens[k].start
                        break
                while (
                    role_start is not None
                    and k + 2 < len(tokens)
                    and tokens[k + 2].end <= span.end
                    and (place_like(tokens[k].text, strict=True) or role_or_common(tokens[k].text))
                ):
                    role = text[role_start : tokens[k].end]
                    role_spans[-1] = (role_start, tokens[k].end)
                    k += 1
                    start = tokens[k].start
            end = span.end
            k_end = index_of.get(start, first)
            k_last = k_end
            while k_last + 1 < len(tokens) and tokens[k_last + 1].end <= span.end:
                k_last += 1
            while k_last > k_end + 1 and _common_word(tokens[k_last].text):
                k_last -= 1  # "Saifullah Yusuf [kata]": a common word the tagger took into the name
            end = tokens[k_last].end
            name = text[start:end]
            words = name.split()
            if not words or all(t.is_role_word(w) or w in t.honorifics or _initial(w) for w in words):
                continue
            mentions.append(_Mention(p, start, end, name, "PER", role))
        for span in spans:
            if span.type == "PER" or span.text in t.honorifics:
                continue
            if all(t.is_role_word(w) for w in span.text.split()) and known_name(span.text) is None:
                continue  # "Presiden", "Kementerian": an office or a bare government word
            s, e, typ = span.start, span.end, span.type
            s, e = _trim_span(tokens, s, e)
            if s >= e or _generic_word(text[s:e]):
                continue
            inside_role = any(rs <= s and e <= re_ for rs, re_ in role_spans)
            if inside_role or t.role_at(text[s:e].split(), 0):
                # An office the tagger put into an organisation ("[Ketua DPR]") is dropped; a government
                # word before a place inside a role ("Juru Bicara [Pemerintah Rusia]") leaves the place.
                toks = [tok for tok in tokens if tok.start >= s and tok.end <= e]
                while toks and (n := t.role_at([x.text for x in toks], 0)):
                    toks = toks[n:]
                if not toks:
                    continue
                s = toks[0].start
                known = known_name(text[s:e])
                if known is not None:
                    typ = known.type
                elif (
                    len(toks) > 1
                    and all(x.text in t.role_words for x in toks[:-1])
                    and place_like(toks[-1].text, strict=True)
                ):
                    s = toks[-1].start
                    last = known_name(text[s:e])
                    typ = last.type if last is not None else "LOC"
            mentions.append(_Mention(p, s, e, text[s:e], typ))
    # Role phrases, with or without a name after them ("Jubir Rusia: ..."), to link to people later.
    for p, text in enumerate([article.title or "", *(article.subtitle or "").split("\n")]):
        role_phrases.extend((p, r) for r in free_roles(text))
    for p, text in enumerate(body):
        role_phrases.extend((p, r) for r in free_roles(text, tokenized[p]))
    return mentions, role_phrases


def _split_org_person(text: str, tokens: list[Token], spans: list[EntitySpan]) -> list[EntitySpan]:
    """After an office, an organisation and a name run together ("Juru Bicara [Kementerian Luar Negeri
    Teuku Faizasyah]", "Ketua [KPPU M. Syarkawi Rauf]"): split the span where a given name starts."""
    t = titles()
    lex = shipped_lexicon()
    index_of = {tok.start: n for n, tok in enumerate(tokens)}
    out: list[EntitySpan] = []
    for sp in spans:
        first = index_of.get(sp.start)
        if sp.type == "PER" or first is None or (not role_before(tokens, first, set(), set()) and not t.role_at(sp.text.split(), 0)):
            out.append(sp)
            continue
        toks = [tok for tok in tokens[first:] if tok.end <= sp.end]
        cut = 0
        for m in range(1, len(toks) - 1):
            tail, head_last = toks[m:], toks[m - 1].text
            if not 2 <= len(tail) <= 4 or tail[-1].text in t.company_words:
                continue
            given = flag_names(lex.gaz_tokens.get(tail[0].text, 0))
            org_end = flag_names(lex.gaz_tokens.get(head_last, 0))
            if (given & {"PERb", "PER1"} or _initial(tail[0].text)) and (
                org_end & {"ORGe", "LOCe"} or head_last.isupper() or known_name(text[sp.start : toks[m - 1].end])
            ):
                cut = m
                break
        if not cut:
            out.append(sp)
            continue
        mid = toks[cut - 1].end
        out.append(EntitySpan(sp.start, mid, text[sp.start : mid], sp.type))
        out.append(EntitySpan(toks[cut].start, sp.end, text[toks[cut].start : sp.end], "PER"))
    return out


def _body_names(spans_per_par: list[list[EntitySpan]]) -> set[tuple[str, ...]]:
    """Organisation and place names of the article, and their inner runs of words without the
    company-form words ("PT Astra Otoparts Tbk" gives "Astra Otoparts" too)."""
    out: set[tuple[str, ...]] = set()
    for spans in spans_per_par:
        for sp in spans:
            if sp.type == "PER":
                continue
            words = tuple(sp.text.split())
            out.add(words)
            core = tuple(w for w in words if w not in titles().company_words)
            if core and core != words:
                out.add(core)
    return out


def _trim_span(tokens: list[Token], s: int, e: int) -> tuple[int, int]:
    """An organisation or place span without lower-case words before it ("kantor pusat [BI]") and
    without an abbreviation such as "No." after it."""
    inside = [tok for tok in tokens if s <= tok.start and tok.end <= e]
    while inside and not inside[0].text[:1].isupper() and not inside[0].text[:1].isdigit():
        inside = inside[1:]
    while inside and inside[-1].text.endswith(".") and inside[-1].text in abbreviations() and inside[-1].text not in titles().company_words:
        inside = inside[:-1]
    if not inside:
        return s, s
    return inside[0].start, inside[-1].end


def _generic_word(text: str) -> bool:
    """One word that news text mostly writes in lower case ("Jalan", "Kantor"): not a name by itself."""
    if " " in text or known_name(text) is not None or text.isupper():
        return False
    bucket = shipped_lexicon().cap_ratio.get(text.lower())
    return bucket is not None and 0 <= bucket <= 1


def _common_word(word: str) -> bool:
    """A word news text mostly writes in lower case ("tinjau", "kata"): not part of a name."""
    lex = shipped_lexicon()
    if lex.cap_ratio.get(word.lower()) != 0:
        return False
    return "PER" not in flag_names(lex.gaz_tokens.get(word, 0))


def _initial(word: str) -> bool:
    return len(word) <= 2 and (word.endswith(".") or len(word) == 1)


def _headline_like(tokens: list[Token]) -> bool:
    """A line in Title Case with no full stop at the end (a heading or a related-article title)."""
    if not tokens or tokens[-1].text in (".", "!", "?", '"', "”", ")"):
        return False
    words = [tok.text for tok in tokens if tok.text[:1].isalpha()]
    return len(words) >= 4 and sum(is_cap(w) for w in words) >= 0.75 * len(words)


def _add_known(text: str, tokens: list[Token], spans: list[EntitySpan]) -> list[EntitySpan]:
    """Names listed in resources/exonyms.tsv that the tagger missed ("AS", "Rusia"), as extra spans.

    Only capitalised, whole-token matches outside every tagged span count; the longest match wins.
    """
    covered = [(sp.start, sp.end) for sp in spans]
    extra: list[EntitySpan] = []
    words = [tok.text for tok in tokens]
    i = 0
    exact_first, folded_first = _exonym_first_words()
    while i < len(tokens):
        w = words[i]
        if (
            not is_cap(w)
            or (w not in exact_first and w.lower() not in folded_first)
            or any(s <= tokens[i].start < e for s, e in covered)
        ):
            i += 1
            continue
        hit = 0
        for n in range(min(6, len(tokens) - i), 0, -1):
            s, e = tokens[i].start, tokens[i + n - 1].end
            if any(cs < e and s < ce for cs, ce in covered) or not all(w[:1].isalnum() for w in words[i : i + n]):
                continue
            known = known_name(text[s:e])
            if known is not None and (n > 1 or words[i] in exonyms()):
                extra.append(EntitySpan(s, e, text[s:e], known.type))
                hit = n
                break
        i += hit or 1
    if not extra:
        return spans
    return sorted([*spans, *extra], key=lambda sp: sp.start)


@lru_cache(maxsize=1)
def _exonym_first_words() -> tuple[frozenset[str], frozenset[str]]:
    """First words of the exonym table's names, as written and folded (to skip most tokens fast)."""
    exact = frozenset(k.split()[0] for k in exonyms())
    folded = frozenset(normalize_name(k).split()[0] for k in exonyms() if len(k) > 4 and normalize_name(k))
    return exact, folded


def _canonical_key(m: _Mention) -> str:
    known = known_name(m.text)
    return normalize_name(known.canonical if known else m.text)


def _cluster_people(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group person mentions: exact form, exonym table, spelling variants, short forms of full names."""
    clusters: list[list[_Mention]] = []
    forms: list[set[str]] = []  # normalised full forms of each cluster
    tokens_of: list[set[str]] = []
    order = sorted(range(len(mentions)), key=lambda i: (-len(mentions[i].text.split()), i))
    for i in order:
        m = mentions[i]
        key = _canonical_key(m)
        words = key.split()
        target = None
        for c, fs in enumerate(forms):
            if key in fs:
                target = c
                break
        if target is None and len(words) >= 2:
            for c, fs in enumerate(forms):
                if any(name_variant(key, f) for f in fs):
                    target = c
                    break
        known = known_name(m.text)
        if target is None and len(words) < 3 and (known is None or known.type != "PER"):
            cands = [c for c, toks in enumerate(tokens_of) if set(words) <= toks and len(words) < max(len(f.split()) for f in forms[c])]
            if len(cands) == 1:
                target = cands[0]
        if target is None:
            clusters.append([m])
            forms.append({key})
            tokens_of.append(set(words))
        else:
            clusters[target].append(m)
            if len(words) >= 2:
                forms[target].add(key)
                tokens_of[target].update(words)
    return clusters


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _cluster_others(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group ORG and LOC mentions by canonical name (exonym table) and by acronym of a long name."""
    by_key: dict[str, list[_Mention]] = {}
    for m in mentions:
        by_key.setdefault(_canonical_key(m), []).append(m)
    keys = list(by_key)
    long_names = {k: _acronym(by_key[k][0].text.split()) for k in keys if len(by_key[k][0].text.split()) >= 3}
    for k in keys:
        surface = by_key[k][0].text
        if not surface.isupper() or k not in by_key:
            continue
        for long_key, acro in long_names.items():
            if acro == surface and long_key in by_key and long_key != k:
                by_key[long_key].extend(by_key.pop(k))
                break
    return list(by_key.values())


def _best_name(group: list[_Mention]) -> str:
    """Canonical name: the exonym table's form, else the majority among the longest forms."""
    longest_words = max(len(m.text.split()) for m in group)
    for m in group:
        known = known_name(m.text)
        if known is not None and (known.type != "PER" or len(m.text.split()) == longest_words or normalize_name(known.canonical) in {normalize_name(x.text) for x in group}):
            return known.canonical
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for n, m in enumerate(group):
        counts[m.text] = counts.get(m.text, 0) + 1
        first.setdefault(m.text, n)
    longest = max(len(f.split()) for f in counts)
    full = [f for f in counts if len(f.split()) == longest]

    def support(form: str) -> float:
        words = set(form.split())
        short = sum(c for f, c in counts.items() if len(f.split()) < longest and set(f.split()) <= words)
        return counts[form] + 0.5 * short

    return max(full, key=lambda f: (support(f), -first[f]))


def _best_type(group: list[_Mention]) -> str:
    for m in group:
        known = known_name(m.text)
        if known is not None:
            return known.type
    votes: dict[str, int] = {}
    for m in group:
        votes[m.type] = votes.get(m.type, 0) + 1
    return max(votes, key=lambda k: votes[k])


def _best_role(roles: list[str]) -> str | None:
    """The most specific role: the longest, majority among equals."""
    if not roles:
        return None
    return max(roles, key=lambda r: (len(titles().expand(r).split()), roles.count(r)))


def build_entities(article: Article) -> list[Entity]:
    """The article's entities (see the module docstring)."""
    mentions, role_phrases = _collect(article)
    people = [m for m in mentions if m.type == "PER"]
    others = [m for m in mentions if m.type != "PER"]
    groups = _cluster_people(people) + _cluster_others(others)
    entities: list[Entity] = []
    for group in groups:
        group.sort(key=lambda m: (m.paragraph, m.start))
        name = _best_name(group)
        typ = _best_type(group)
        roles = [m.role for m in group if m.role]
        role = _best_role(roles)
        role_aliases: list[str] = []
        for r in roles:
            if r != role and r not in role_aliases and role is not None and not role.startswith(r):
                role_aliases.append(r)
        aliases: list[str] = []
        for m in group:
            if m.text != name and m.text not in aliases:
                aliases.append(m.text)
        entities.append(
            Entity(
                id=entity_id(typ, name),
                name=name,
                type=typ,  # type: ignore[arg-type]
                role=role,
                role_aliases=role_aliases,
                aliases=aliases,
                mentions=[Mention(paragraph=m.paragraph, start=m.start, end=m.end, text=m.text) for m in group],
            )
        )
    # Role phrases without a name ("Jubir Rusia"): a role alias of the one person whose role they shorten.
    for _, phrase in role_phrases:
        matches = [e for e in entities if e.role and not e.role.startswith(phrase) and role_matches(phrase, e.role)]
        if len(matches) == 1 and phrase not in matches[0].role_aliases:
            matches[0].role_aliases.append(phrase)
    entities = _fold_into_names(_merge_same_id(entities))
    entities.sort(key=lambda e: (-len(e.mentions), e.mentions[0].paragraph if e.mentions else 0))
    return entities


def _fold_into_names(entities: list[Entity]) -> list[Entity]:
    """A "person" with no role whose name is, or is part of, an organisation's or place's name in the
    same article ("Astra Otoparts" beside "PT Astra Otoparts Tbk") is that organisation or place."""
    others = [e for e in entities if e.type != "PER"]
    out: list[Entity] = []
    for e in entities:
        words = normalize_name(e.name).split()
        host = None
        if e.type == "PER" and not e.role and known_name(e.name) is None and words:
            for o in others:
                for other_name in (o.name, *o.aliases):
                    ow = normalize_name(other_name).split()
                    # One word ("Gibran") only when it is the whole name: "Kabinet Prabowo-Gibran" is no host.
                    if ow == words or (len(words) >= 2 and any(ow[i : i + len(words)] == words for i in range(len(ow) - len(words) + 1))):
                        host = o
                        break
                if host is not None:
                    break
        if host is None:
            out.append(e)
            continue
        host.mentions = sorted([*host.mentions, *e.mentions], key=lambda m: (m.paragraph, m.start))
        host.aliases += [a for a in [e.name, *e.aliases] if a not in host.aliases and a != host.name]
    return out


def _merge_same_id(entities: list[Entity]) -> list[Entity]:
    """Two groups that ended with the same canonical name and type are one entity."""
    by_id: dict[str, Entity] = {}
    for e in entities:
        prev = by_id.get(e.id)
        if prev is None:
            by_id[e.id] = e
            continue
        prev.mentions = sorted([*prev.mentions, *e.mentions], key=lambda m: (m.paragraph, m.start))
        prev.aliases += [a for a in e.aliases if a not in prev.aliases and a != prev.name]
        prev.role_aliases += [r for r in e.role_aliases if r not in prev.role_aliases]
        prev.role = prev.role or e.role
    return list(by_id.values())


def add_entities(article: Article) -> Article:
    """The article with ``entities`` filled (see the module docstring)."""
    try:
        entities = build_entities(article)
    except Exception as exc:  # a bad paragraph must not lose the article
        warnings = [*article.provenance.warnings, f"entities: {type(exc).__name__}: {exc}"]
        return msgspec.structs.replace(article, provenance=msgspec.structs.replace(article.provenance, warnings=warnings))
    return msgspec.structs.replace(article, entities=entities)


__all__ = ["add_entities", "build_entities"]
