"""Roles and titles read off the words around a person's name.

"Juru Bicara Pemerintah Rusia Dmitry Peskov": the office ("Juru Bicara", from resources/titles.tsv),
then words that continue it (role words, places, organisations), then the name. The tagger's span
is not trusted to draw that line: a name may start before it ("Menteri Keuangan [Purbaya] Yudhi
Sadewa") or include role words ("[Gubernur Riau] Abdul Wahid"), and a rank inside the span ends
the role ("Kasat Lantas Polres Serang AKP Fery"). Used by warta.understand.entities.
"""

from __future__ import annotations

from warta.understand.names import known_name, titles
from warta.understand.ner import EntitySpan
from warta.understand.ner_features import flag_names, shipped_lexicon
from warta.understand.tokens import Token, tokenize


def is_cap(word: str) -> bool:
    return word[:1].isupper()


def place_like(word: str, strict: bool = False) -> bool:
    """A word that names a place or body rather than a person: "AS", "KPK", "Riau", "Sulawesi".

    ``strict``: only listed names (exonyms, a one-word place of the gazetteer that no person name
    starts with) and acronyms, not words merely seen inside place names ("Retno").
    """
    known = known_name(word)
    if known is not None:
        return known.type in ("LOC", "ORG")
    if word.isupper() and word.isalpha() and len(word) >= 2:
        return True
    lex = shipped_lexicon()
    flags = flag_names(lex.gaz_tokens.get(word, 0))
    if lex.gaz_names.get((word,)) == "LOC" and not flags & {"PER1", "PERb"}:
        return True
    return not strict and "LOC" in flags and "PER" not in flags


def continues_role(tok: Token, org_loc: set[int]) -> bool:
    """A word that can stand inside a role after its office: "Luar", "Negeri", "AS", "KPK", "Riau", or
    a word of a tagged organisation or place that the gazetteer knows in such names ("Telkom")."""
    t = titles()
    if tok.text in t.role_words or tok.text in t.company_words or tok.text in ("(", ")") or place_like(tok.text):
        return True
    if tok.start in org_loc:
        flags = flag_names(shipped_lexicon().gaz_tokens.get(tok.text, 0))
        return bool(flags & {"ORG", "LOC"})
    return False


def role_before(tokens: list[Token], i: int, taken: set[int], org_loc: set[int]) -> tuple[int, int, int] | None:
    """The role right before the name at tokens[i] ("Menteri Luar Negeri AS" before "Antony Blinken").

    Returns (role start, role end) in characters and the token where the name really starts: in
    "Menteri Keuangan Purbaya Yudhi Sadewa" tagged "Yudhi Sadewa", "Purbaya" cannot be part of a role,
    so the name starts there. The role is a run of capitalised words starting at an office; it never
    reaches into another person's name (token starts in ``taken``).
    """
    t = titles()
    words = [tok.text for tok in tokens]
    j = i
    while j > 0 and tokens[j - 1].start not in taken:
        if is_cap(words[j - 1]) and words[j - 1][:1].isalpha():
            j -= 1
        elif j >= 3 and words[j - 1] == ")" and words[j - 3] == "(" and words[j - 2].isupper():
            j -= 3  # "Kepala Badan Pusat Statistik (BPS) Amalia Widyasanti"
        else:
            break
    for k in range(j, i):
        n = t.role_at(words, k)
        if not n:
            continue
        # The words between the office and the tagged name: the name may have started earlier
        # ("Menteri Keuangan [Purbaya] Yudhi Sadewa"), so read from the name leftwards.
        end = i
        while end > k + n and not continues_role(tokens[end - 1], org_loc) and not t.honorific_before(words, end):
            end -= 1
        name_start = end
        while end > k + n and (h := t.honorific_before(words, end)):
            end -= h
        return tokens[k].start, tokens[end - 1].end, name_start
    return None


def role_inside(tokens: list[Token], first: int, end: int, org_loc: set[int]) -> tuple[int, int, int] | None:
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
            while stop < last - 1 and continues_role(tokens[stop], org_loc):
                stop += 1
            return tokens[k].start, tokens[stop - 1].end, stop
    return None


def strip_role(span: EntitySpan, tokens: list[Token]) -> tuple[int, str | None]:
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
        h = t.honorific_at(words, k)
        if h and k + h < len(words):
            k += h
            continue
        if saw_role and (w in t.role_words or place_like(w)) and k + 1 < len(words):
            k += 1
            role_end = k
            continue
        break
    if saw_role:
        # "Kasat [Lantas Polres Serang] AKP Fery": a rank inside the name ends the role.
        for h in range(k + 1, len(words) - 1):
            if t.honorific_at(words, h):
                role_end = h
                k = h
                while k < len(words) - 1 and (n_h := t.honorific_at(words, k)) and k + n_h < len(words):
                    k += n_h
                break
    if k == 0:
        return span.start, None
    role = None
    if role_end > 0:
        first = inside[0].start
        role = span.text[: inside[role_end - 1].end - span.start]
        role = role if first == span.start else None
    return inside[k].start, role


def free_roles(text: str, tokens: list[Token] | None = None) -> list[str]:
    """Role phrases in a text: an office, then role words and places ("Jubir Rusia")."""
    t = titles()
    if tokens is None:
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
        while j < len(words) and (words[j] in t.role_words or place_like(words[j])):
            j += 1
        if j > i + n:
            out.append(text[tokens[i].start : tokens[j - 1].end])
        i = j
    return out


def role_or_common(word: str) -> bool:
    """A word of a role ("Perekonomian") or one news text mostly writes in lower case ("Riset"):
    after an office it belongs to the role, not to the name that follows."""
    if word in titles().role_words:
        return True
    bucket = shipped_lexicon().cap_ratio.get(word.lower())
    return bucket is not None and 0 <= bucket <= 1


__all__ = ["continues_role", "free_roles", "is_cap", "place_like", "role_before", "role_inside", "role_or_common", "strip_role"]
