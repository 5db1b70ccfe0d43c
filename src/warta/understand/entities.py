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
"""

from __future__ import annotations

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
from warta.understand.tokens import Token, abbreviations, tokenize


class _Mention(msgspec.Struct):
    paragraph: int
    start: int
    end: int
    text: str
    type: str
    role: str | None = None


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _place_like(word: str, strict: bool = False) -> bool:
    """A word that names a place or body rather than a person: "AS", "KPK", "Riau", "Sulawesi".

    ``strict``: only listed names (exonyms, a one-word place of the gazetteer that no person name
    starts with) and acronyms, not words merely seen inside place names ("Retno").
    """
    known = known_name(word)
    if known is not None:
        return known.type in ("LOC", "ORG")
    if word.isupper() and len(word) >= 2:
        return True
    lex = shipped_lexicon()
    flags = flag_names(lex.gaz_tokens.get(word, 0))
    if lex.gaz_names.get((word,)) == "LOC" and not flags & {"PER1", "PERb"}:
        return True
    return not strict and "LOC" in flags and "PER" not in flags


def _continues_role(tok: Token, org_loc: set[int]) -> bool:
    """A word that can stand inside a role after its office: "Luar", "Negeri", "AS", "KPK", "Riau", or
    a word of a tagged organisation or place that the gazetteer knows in such names ("Telkom")."""
    t = titles()
    if tok.text in t.role_words or tok.text in t.company_words or _place_like(tok.text):
        return True
    if tok.start in org_loc:
        flags = flag_names(shipped_lexicon().gaz_tokens.get(tok.text, 0))
        return bool(flags & {"ORG", "LOC"})
    return False


def _role_before(tokens: list[Token], i: int, taken: set[int], org_loc: set[int]) -> tuple[int, int, int] | None:
    """The role right before the name at tokens[i] ("Menteri Luar Negeri AS" before "Antony Blinken").

    Returns (role start, role end) in characters and the token where the name really starts: in
    "Menteri Keuangan Purbaya Yudhi Sadewa" tagged "Yudhi Sadewa", "Purbaya" cannot be part of a role,
    so the name starts there. The role is a run of capitalised words starting at an office; it never
    reaches into another person's name (token starts in ``taken``).
    """
    t = titles()
    words = [tok.text for tok in tokens]
    j = i
    while j > 0 and _is_cap(words[j - 1]) and words[j - 1][:1].isalpha() and tokens[j - 1].start not in taken:
        j -= 1
    for k in range(j, i):
        n = t.role_at(words, k)
        if not n:
            continue
        # The words between the office and the tagged name: the name may have started earlier
        # ("Menteri Keuangan [Purbaya] Yudhi Sadewa"), so read from the name leftwards.
        end = i
        while end > k + n and not _continues_role(tokens[end - 1], org_loc) and words[end - 1] not in t.honorifics:
            end -= 1
        name_start = end
        while end > k + n and words[end - 1] in t.honorifics:
            end -= 1
        return tokens[k].start, tokens[end - 1].end, name_start
    return None


def _role_inside(tokens: list[Token], first: int, end: int, org_loc: set[int]) -> tuple[int, int, int] | None:
    """An office inside a tagged name ("Prabowo Panggil Menkeu Purbaya"): role span and name start."""
    t = titles()
    words = [tok.text for tok in tokens]
    last = first
    while last < len(tokens) and tokens[last].end <= end:
        last += 1
    for k in range(first + 1, last - 1):
        n = t.role_at(words, k)
        if n:
            stop = k + n
            while stop < last - 1 and _continues_role(tokens[stop], org_loc):
                stop += 1
            return tokens[k].start, tokens[stop - 1].end, stop
    return None


def _strip_role(span: EntitySpan, tokens: list[Token]) -> tuple[int, str | None]:
    """Role and honorific words at the start of a PER span: returns (new start offset, role text)."""
    t = titles()
    inside = [tok for tok in tokens if tok.start >= span.start and tok.end <= span.end]
    words = [tok.text for tok in inside]
    k = 0
    role_end = -1
    saw_role = False
    while k < len(words) - 1:
        n = t.role_at(words, k)
        if n and k + n < len(words):
            saw_role = True
            k += n
            role_end = k
            continue
        w = words[k]
        if w in t.honorifics:
            k += 1
            continue
        if saw_role and (w in t.role_words or _place_like(w)) and k + 1 < len(words):
            k += 1
            role_end = k
            continue
        break
    if saw_role:
        # "Kasat [Lantas Polres Serang] AKP Fery": a rank inside the name ends the role.
        for h in range(k, len(words) - 1):
            if words[h] in t.honorifics and h > k:
                role_end = h
                k = h
                while k < len(words) - 1 and words[k] in t.honorifics:
                    k += 1
                break
    if k == 0:
        return span.start, None
    role = None
    if role_end > 0:
        first = inside[0].start
        role = span.text[: inside[role_end - 1].end - span.start]
        role = role if first == span.start else None
    return inside[k].start, role


def _collect(article: Article) -> tuple[list[_Mention], list[tuple[int, str]]]:
    """Mentions from the NER over every paragraph, roles read off; and role phrases with no name."""
    body = article.body
    spans_per_par = find_entities_many(body)
    mentions: list[_Mention] = []
    free_roles: list[tuple[int, str]] = []
    t = titles()
    bodies = _body_names(spans_per_par)
    for p, (text, spans) in enumerate(zip(body, spans_per_par, strict=True)):
        tokens = tokenize(text)
        index_of = {tok.start: n for n, tok in enumerate(tokens)}
        role_spans: list[tuple[int, int]] = []
        taken = {tok.start for sp in spans if sp.type == "PER" for tok in tokens if sp.start <= tok.start < sp.end}
        if _headline_like(tokens):
            # A Title Case Line (an insert the reader left, a heading): the tagger is unreliable there.
            spans = [sp for sp in spans if known_name(sp.text) is not None]
        spans = _add_known(text, tokens, spans)
        org_loc = {tok.start for sp in spans if sp.type != "PER" for tok in tokens if sp.start <= tok.start < sp.end}
        for span in spans:
            if span.type != "PER":
                continue
            start, role = _strip_role(span, tokens)
            first = index_of.get(start)
            if first is None:
                continue
            if role is None:
                inner = _role_inside(tokens, first, span.end, org_loc)
                if inner is not None:
                    role = text[inner[0] : inner[1]]
                    role_spans.append((inner[0], inner[1]))
                    if inner[2] >= len(tokens) or tokens[inner[2]].start >= span.end:
                        continue
                    start = tokens[inner[2]].start
            if role is None:
                found = _role_before(tokens, first, taken, org_loc)
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
                    and (_place_like(tokens[k].text, strict=True) or _role_or_common(tokens[k].text))
                ):
                    role = text[role_start : tokens[k].end]
                    role_spans[-1] = (role_start, tokens[k].end)
                    k += 1
                    start = tokens[k].start
            name = text[start : span.end]
            words = name.split()
            if not words or all(t.is_role_word(w) or w in t.honorifics or _initial(w) for w in words):
                continue
            mentions.append(_Mention(p, start, span.end, name, "PER", role))
        for span in spans:
            if span.type == "PER" or span.text in t.honorifics or all(t.is_role_word(w) for w in span.text.split()):
                continue
            s, e, typ = span.start, span.end, span.type
            s, e = _trim_span(tokens, s, e)
            if s >= e or _generic_word(text[s:e]):
                continue
            inside_role = any(rs <= s and e <= re_ for rs, re_ in role_spans)
            if inside_role or t.role_at(span.text.split(), 0) or span.text.split()[0] in t.role_words:
                # "Pemerintah Rusia" inside "Juru Bicara Pemerintah Rusia": keep only what is a known place or body.
                toks = [tok for tok in tokens if tok.start >= s and tok.end <= e]
                while toks and (toks[0].text in t.role_words or t.role_at([x.text for x in toks], 0)):
                    toks = toks[1:]
                if not toks:
                    continue
                s = toks[0].start
                rest = text[s:e]
                known = known_name(rest)
                if known is not None:
                    typ = known.type
                elif inside_role and not rest.isupper():
                    continue
            mentions.append(_Mention(p, s, e, text[s:e], typ))
    # Role phrases, with or without a name after them ("Jubir Rusia: ..."), to link to people later.
    for p, text in enumerate([article.title or "", *(article.subtitle or "").split("\n"), *body]):
        free_roles.extend((p, r) for r in _free_roles(text))
    return mentions, free_roles


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


def _role_or_common(word: str) -> bool:
    """A word of a role ("Perekonomian") or one news text mostly writes in lower case ("Riset"):
    after an office it belongs to the role, not to the name that follows."""
    if word in titles().role_words:
        return True
    bucket = shipped_lexicon().cap_ratio.get(word.lower())
    return bucket is not None and 0 <= bucket <= 1


def _initial(word: str) -> bool:
    return len(word) <= 2 and (word.endswith(".") or len(word) == 1)


def _headline_like(tokens: list[Token]) -> bool:
    """A line in Title Case with no full stop at the end (a heading or a related-article title)."""
    if not tokens or tokens[-1].text in (".", "!", "?", '"', "”", ")"):
        return False
    words = [tok.text for tok in tokens if tok.text[:1].isalpha()]
    return len(words) >= 4 and sum(_is_cap(w) for w in words) >= 0.75 * len(words)


def _add_known(text: str, tokens: list[Token], spans: list[EntitySpan]) -> list[EntitySpan]:
    """Names listed in resources/exonyms.tsv that the tagger missed ("AS", "Rusia"), as extra spans.

    Only capitalised, whole-token matches outside every tagged span count; the longest match wins.
    """
    covered = [(sp.start, sp.end) for sp in spans]
    extra: list[EntitySpan] = []
    words = [tok.text for tok in tokens]
    i = 0
    while i < len(tokens):
        if not _is_cap(words[i]) or any(s <= tokens[i].start < e for s, e in covered):
            i += 1
            continue
        hit = 0
        for n in range(min(6, len(tokens) - i), 0, -1):
            s, e = tokens[i].start, tokens[i + n - 1].end
            if any(cs < e and s < ce for cs, ce in covered) or not all(w[:1].isalnum() for w in words[i : i + n]):
                continue
            known = known_name(text[s:e])
            if known is not None and (n > 1 or words[i] in (known.canonical, *_variants(known.canonical))):
                extra.append(EntitySpan(s, e, text[s:e], known.type))
                hit = n
                break
        i += hit or 1
    if not extra:
        return spans
    return sorted([*spans, *extra], key=lambda sp: sp.start)


def _variants(canonical: str) -> list[str]:
    return [k for k, v in exonyms().items() if v.canonical == canonical]


def _free_roles(text: str) -> list[str]:
    """Role phrases in a text: an office, then role words and places ("Jubir Rusia")."""
    t = titles()
    tokens = tokenize(text)
    words = [tok.text for tok in tokens]
    out: list[str] = []
    i = 0
    while i < len(words):
        n = t.role_at(words, i)
        if not n:
            i += 1
            continue
        j = i + n
        while j < len(words) and (words[j] in t.role_words or _place_like(words[j])):
            j += 1
        if j > i + n:
            out.append(text[tokens[i].start : tokens[j - 1].end])
        i = j
    return out


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
        if target is None and len(words) < 3:
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
    for m in group:
        known = known_name(m.text)
        if known is not None:
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
    mentions, free_roles = _collect(article)
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
    for _, phrase in free_roles:
        matches = [e for e in entities if e.role and phrase != e.role and role_matches(phrase, e.role)]
        if len(matches) == 1 and phrase not in matches[0].role_aliases:
            matches[0].role_aliases.append(phrase)
    entities = _fold_into_names(_merge_same_id(entities))
    entities.sort(key=lambda e: (-len(e.mentions), e.mentions[0].paragraph if e.mentions else 0))
    return entities


def _fold_into_names(entities: list[Entity]) -> list[Entity]:
    """A "person" with no role whose name is part of an organisation's or place's name in the same
    article ("Astra Otoparts" beside "PT Astra Otoparts Tbk") is that organisation or place."""
    others = [e for e in entities if e.type != "PER"]
    out: list[Entity] = []
    for e in entities:
        words = normalize_name(e.name).split()
        host = None
        if e.type == "PER" and not e.role and known_name(e.name) is None and words:
            for o in others:
                ow = normalize_name(o.name).split() + [w for a in o.aliases for w in normalize_name(a).split()]
                if len(ow) > len(words) and any(ow[i : i + len(words)] == words for i in range(len(ow) - len(words) + 1)):
                    host = o
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
