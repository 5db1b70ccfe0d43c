"""Quotes: who said what. Direct quotes (between quote marks) and indirect ones ("Menurut X, ...").

A rule-based extractor over the speech-verb lexicon in ``resources/quotes/`` (no model trained on
PFSA-ID, whose license forbids shipping one). It works on *units* of running text: the paragraphs
of an Article, or, for ``warta tag quotes``, whole articles rebuilt from a CoNLL file.

What it finds:

* direct quotes in every mark style (" “ ” „ « » and single quotes with a cue), over several
  sentences or paragraphs (a paragraph left open and the next one re-opened), with the cue after
  ("...," kata X / ujarnya / Peskov menambahkan) or before (X mengatakan, "..." / Kata X: "...").
  A quote without a cue of its own takes the speaker of the quote it continues.
* indirect quotes: "Menurut X, ...", "..., menurut X", "X mengatakan (bahwa) ...", "Pihaknya
  menegaskan bahwa ...", "..., tegasnya.", "Bahkan, lanjut dia, ...".

Speakers are then resolved to the article's entities by `warta.understand.speakers`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import msgspec

from warta.record import Article, Mention, Quote, Speaker
from warta.resources import path as resource_path
from warta.resources import read_tsv
from warta.understand.tokens import Token, clitic, sentences, tokenize

# ---------------------------------------------------------------------------------------------- lexicons


@cache
def _lines(name: str) -> tuple[str, ...]:
    text = resource_path("quotes", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Lexicon:
    """The quote lexicons from resources/quotes/, loaded once."""

    post: frozenset[str]  # inverted cues: kata, ujar ... (lower-case)
    post_indirect: frozenset[str]  # the post cues safe without quote marks
    verbs: frozenset[str]  # reporting verbs: mengatakan ...
    verbs_indirect: frozenset[str]
    according: frozenset[str]  # menurut
    titles: frozenset[str]
    pronouns: dict[str, str]  # form -> kind (pronoun | party)
    plural: frozenset[str]
    connectives: frozenset[tuple[str, ...]]
    adverbs: frozenset[str]
    stops: frozenset[str]
    descriptions: dict[str, str]  # lower-case word -> known | anonymous
    bodies: frozenset[str]  # first words of official bodies' names ("Kementerian", "Satgas", "Pemprov")


@cache
def lexicon() -> Lexicon:
    post: set[str] = set()
    post_ind: set[str] = set()
    verbs: set[str] = set()
    verbs_ind: set[str] = set()
    according: set[str] = set()
    for row in read_tsv("quotes", "speech_verbs.tsv"):
        form, role, indirect = row["form"].lower(), row["role"], row["indirect"] == "yes"
        if role == "post":
            post.add(form)
            if indirect:
                post_ind.add(form)
        elif role == "verb":
            verbs.add(form)
            if indirect:
                verbs_ind.add(form)
        elif role == "according":
            according.add(form)
    pronouns = {row["form"]: row["kind"] for row in read_tsv("quotes", "pronouns.tsv")}
    plural = frozenset(row["form"] for row in read_tsv("quotes", "pronouns.tsv") if row["number"] == "pl")
    return Lexicon(
        post=frozenset(post),
        post_indirect=frozenset(post_ind),
        verbs=frozenset(verbs),
        verbs_indirect=frozenset(verbs_ind),
        according=frozenset(according),
        titles=frozenset(_lines("titles.txt")),
        pronouns=pronouns,
        plural=plural,
        connectives=frozenset(tuple(line.lower().split()) for line in _lines("connectives.txt")),
        adverbs=frozenset(_lines("subject_adverbs.txt")),
        stops=frozenset(_lines("speaker_stops.txt")),
        descriptions={row["form"]: row["kind"] for row in read_tsv("quotes", "descriptions.tsv")},
        bodies=frozenset(_lines("official_bodies.txt")),
    )


# Quote marks. Which side a mark is on is read from its glyph when the glyph says it, else from spacing and context.
DOUBLE = frozenset('"“”„«»')
SINGLE = frozenset("‘’'")
_OPENING_GLYPHS = frozenset("“„«‘")
_CLOSING_GLYPHS = frozenset("”»’")
_SENT_END = frozenset(".!?")
_NAME_PARTICLES = frozenset({"bin", "binti", "van", "von", "de", "der", "da", "al", "el", "dos"})
# Lower-case words inside the name of an office or organisation, between capitalised words
# ("Pemimpin Program FZS untuk Sumatera", "Institute for Development of Economics and Finance").
_NUMBER_WORDS = frozenset({"No", "No.", "Nomor", "Nomer", "Tahun", "Pasal", "Ayat"})  # a document's number
_ORG_JOINERS = frozenset({"dan", "untuk", "for", "of", "and", "the", "on", "&", "/"})
_NOT_BEFORE_VERB = frozenset(
    {"yang", "untuk", "tidak", "belum", "akan", "bisa", "dapat", "disebut", "dikabarkan", "diduga"}
)

# ---------------------------------------------------------------------------------------------- records


@dataclass
class SpeakerRef:
    """Where a quote names or points to its speaker, in its unit (character offsets)."""

    unit: int
    start: int
    end: int
    text: str  # surface; "-nya" for a clitic
    form: str  # name | role | pronoun | party | clitic | plural | description ("politisi itu") | anonymous
    name: str | None = None  # for a name: the name without titles; for a role: the role words
    name_start: int = -1
    name_end: int = -1
    role: str | None = None  # title words before the name ("Juru Bicara Pemerintah Rusia")
    after_titles: int = -1  # where the words after the last title begin (a name never starts before)
    # A bare name after a comma that the rules took for a place ("kata Camat Neglasari, Kabupaten Tangerang,
    # Ubaidillah Ansar, Sabtu"): the speaker's name instead when the entities say it is a person.
    alt_start: int = -1
    alt_end: int = -1


@dataclass
class Found:
    """A quote found in units of text, before its speaker is resolved."""

    unit: int
    start: int  # the words said (without the marks), character offsets in the unit
    end: int
    kind: str  # direct | indirect
    outer_start: int  # with the marks, for token tagging
    outer_end: int
    cue: str | None = None
    cue_span: tuple[int, int, int] | None = None  # unit, start, end
    speaker: SpeakerRef | None = None
    chain: int = -1  # quotes of one multi-paragraph quotation share a chain id
    # filled by speakers.resolve
    speaker_name: str | None = None
    entity_id: str | None = None
    antecedent: tuple[int, int, int] | None = None  # where the resolved speaker was named


class Unit:
    """A stretch of running text (a paragraph) with its tokens and sentences, tokenized on first use.

    Most paragraphs of an article hold no quote: ``may_quote`` tells from the raw text whether a paragraph
    can hold one, so that only those are tokenized.
    """

    __slots__ = ("_may", "_sents", "_tokens", "text")

    def __init__(self, text: str, tokens: list[Token] | None = None) -> None:
        self.text = text
        self._tokens = tokens
        self._sents: list[tuple[int, int]] | None = None
        self._may: bool | None = None

    @classmethod
    def of(cls, text: str, tokens: list[Token] | None = None) -> Unit:
        return cls(text, tokens)

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def sents(self) -> list[tuple[int, int]]:
        """Sentences as token index ranges [a, b)."""
        if self._sents is None:
            out = []
            i = 0
            for sent in sentences(self.tokens):
                out.append((i, i + len(sent)))
                i += len(sent)
            self._sents = out
        return self._sents

    @property
    def may_quote(self) -> bool:
        """Whether the paragraph has a quote mark or a cue word (a fast substring test on the raw text)."""
        if self._may is None:
            self._may = _trigger().search(self.text.lower()) is not None
        return self._may


QUOTE_LANGUAGES = frozenset({"id", "ms"})
_DESCRIPTION_ENDS = frozenset(
    {",", ".", "yang", "(", "!", "?", "kepada", "dalam", "saat", "ketika", "di", "usai", "seusai"}
)
QUOTE_CHARS = "\"“”„«»‘’'"
# "kata politisi Partai Golkar itu / tersebut / ini": a description of someone named before ends here.
_DEMONSTRATIVES = frozenset({"itu", "tersebut", "ini"})


@cache
def _trigger() -> re.Pattern[str]:
    """Any quote mark or cue word, as one regex over lower-cased text."""
    return re.compile("|".join([re.escape(c) for c in QUOTE_CHARS] + [re.escape(n) for n in _needles()]))


@cache
def _needles() -> tuple[str, ...]:
    lex = lexicon()
    forms = {
        *lex.post,
        *lex.verbs,
        *lex.according,
        *(p.lower() for p in lex.pronouns if lex.pronouns[p] == "party"),
    }
    # a form that contains another needs no needle of its own
    ordered = sorted(forms, key=len)
    kept: list[str] = []
    for f in ordered:
        if not any(k in f for k in kept):
            kept.append(f)
    return tuple(kept)


# ---------------------------------------------------------------------------------------------- helpers


def _low(tok: Token) -> str:
    return tok.text.lower()


def _is_cap(text: str) -> bool:
    return text[:1].isupper() or (text[:1].isdigit() is False and text[:1] == "@")


@lru_cache(maxsize=1 << 16)
def _cue_word(word: str) -> bool:
    """A capitalised word that cannot be part of a name: a cue ("Menurutnya", "Kata") or a connective ("Selain")."""
    lex = lexicon()
    low = word.lower()
    stem = low[:-3] if low.endswith("nya") else low
    return stem in lex.post or stem in lex.according or stem in lex.verbs or (low,) in lex.connectives


@lru_cache(maxsize=1 << 16)
def post_cue(word: str) -> tuple[str, bool] | None:
    """("kata", False) for "kata", ("kata", True) for "katanya"; None when the word is not a post cue."""
    lex = lexicon()
    low = word.lower()
    if low in lex.post:
        return low, False
    if low.endswith("nya") and low[:-3] in lex.post:
        return low[:-3], True
    return None


def _sentence_of(unit: Unit, i: int) -> tuple[int, int]:
    for a, b in unit.sents:
        if a <= i < b:
            return a, b
    return 0, len(unit.tokens)


def _connective_prefix(words: Sequence[str]) -> bool:
    """True when the words are only connectives and commas ("Bahkan ,", "Namun , saat ini")."""
    lex = lexicon()
    ws = [w.lower() for w in words if w not in {",", ";"}]
    if not ws:
        return True
    i = 0
    while i < len(ws):
        for n in (4, 3, 2, 1):
            if tuple(ws[i : i + n]) in lex.connectives:
                i += n
                break
        else:
            return False
    return True


def speaker_after(unit: Unit, j: int, limit: int) -> tuple[SpeakerRef | None, int]:
    """The speaker phrase starting at token j (a pronoun or a name with its titles); returns it and the index after it."""
    lex = lexicon()
    toks = unit.tokens
    if j >= limit:
        return None, j
    tok = toks[j]
    if tok.text in lex.pronouns or tok.text.lower() in ("dia", "ia", "beliau", "mereka"):
        form = "plural" if tok.text in lex.plural else lex.pronouns.get(tok.text, "pronoun")
        return SpeakerRef(-1, tok.start, tok.end, tok.text, form), j + 1
    kind = lex.descriptions.get(tok.text) if tok.text[:1].islower() else None
    if kind is not None:
        # "kata politisi Partai Hanura itu" / "kata pria yang menjabat ..." / "ujar seorang sumber kepada ..."
        e = j + 1
        while e < limit and e - j < 8 and toks[e].text not in _DESCRIPTION_ENDS:
            e += 1
            if toks[e - 1].text in _DEMONSTRATIVES:
                break
        closed = toks[e - 1].text in _DEMONSTRATIVES or (e < limit and toks[e].text == "yang") or e == j + 1
        if e + 1 < limit and toks[e].text == ",":
            # "ujar seorang lansia, Colleen Hoffman (69), kepada AFP": the description, then the name
            m = e + 1
            while m < limit and m - e <= 4 and _is_cap(toks[m].text) and toks[m].text not in lex.stops:
                m += 1
            if m > e + 1 and (m >= limit or toks[m].text in {"(", ",", ".", "!", "?"}):
                ref = _name_ref(unit, e + 1, m)
                ref.start, ref.role = tok.start, unit.text[tok.start : toks[e - 1].end]
                ref.text = unit.text[ref.start : ref.end]
                return ref, m
        if kind == "anonymous" or closed:
            text = unit.text[tok.start : toks[e - 1].end]
            form = "description" if kind == "known" else "anonymous"
            return SpeakerRef(-1, tok.start, toks[e - 1].end, text, form), e
    k = j
    while k < limit and k - j < 16:
        if toks[k].text in lex.stops and k > j and not _in_run(toks, k, j, limit, lex):
            break
        n = _in_run(toks, k, j, limit, lex)
        if not n:
            # "kata kepala kabinet Ernesto Alvarez": a lower-case role goes on through its words to the name.
            if toks[j].text in lex.titles and toks[j].text[:1].islower() and toks[k].text[:1].islower():
                ahead = next((x for x in range(k, min(limit, k + 4)) if not toks[x].text[:1].islower()), None)
                if ahead is not None and toks[ahead].text[:1].isupper() and toks[ahead].text not in lex.stops:
                    k = ahead
                    continue
            break
        k += n
    if k == j:
        return None, j
    # "kata juru bicara Gugus Tugas Kabupaten Bekasi, Alamsyah, ...": a role, then the name after a comma;
    # "kata Kepala Dusun Nglahar, Kelurahan Sumbersari, Kecamatan Moyudan, Wahyu Wibowo": places between.
    run_end = k
    alt: tuple[int, int] | None = None
    while any(toks[x].text in lex.titles for x in range(j, k)) and k + 1 < limit and toks[k].text == ",":
        m = k + 1
        while (
            m < limit
            and m - k < 16
            and toks[m].text not in lex.stops
            and (n := _in_run(toks, m, k + 1, limit, lex))
        ):
            m += n
        if k + 2 < limit and toks[k + 1].text in ("dan", "serta") and toks[k + 2].text[:1].isupper():
            # "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Mahfud MD": the last item of an office's
            # enumeration, then the name; the whole phrase is one office and name.
            m = k + 2
            while m < limit and m - k < 16 and (n := _in_run(toks, m, k + 2, limit, lex)):
                m += n
            return _name_ref(unit, j, m), m
        if m + 2 < limit and toks[m].text == "," and toks[m + 1].text in ("dan", "serta"):
            k = m  # an office's enumeration goes on ("Politik, Hukum, dan Keamanan")
            continue
        if m > k + 1 and m + 1 < limit and toks[m].text == "," and toks[m + 1].text[:1].isupper():
            if m - k <= 5 and not any(toks[x].text in lex.titles for x in range(k + 1, m)):
                alt = (toks[k + 1].start, toks[m - 1].end)
            k = m  # another place or office segment: look past it
            continue
        if (
            m > k + 1
            and toks[m - 1].text not in lex.titles  # a rank may lead the name ("AKBP Ferdiyan Fahmi")
            and (m >= limit or toks[m].text in {",", ".", "(", "!", "?"} or toks[m].text[:1].islower())
        ):
            ref = _name_ref(unit, k + 1, m)
            ref.start, ref.role = toks[j].start, unit.text[toks[j].start : toks[k - 1].end]
            ref.text = unit.text[ref.start : ref.end]
            # "Menurut Dekan FEB ULM Muhammad Handry Imansyah, Kalsel harus ...": the person may be before the comma.
            ref.alt_start, ref.alt_end = toks[j].start, toks[run_end - 1].end
            return ref, m
        break
    k = run_end
    # A trailing apposition in brackets ("Wahyu (45)") is left out: stop at k.
    ref = _name_ref(unit, j, k)
    if alt is not None:
        ref.alt_start, ref.alt_end = alt
    return ref, k


def _name_ref(unit: Unit, a: int, b: int) -> SpeakerRef:
    """A speaker phrase over tokens [a, b): split the titles (a role) from the name."""
    lex = lexicon()
    toks = unit.tokens
    last_title = -1
    for i in range(a, b):
        if toks[i].text in lex.titles:
            last_title = i
    start, end = toks[a].start, toks[b - 1].end
    text = unit.text[start:end]
    if last_title == b - 1:  # only titles: "kata Presiden"
        return SpeakerRef(-1, start, end, text, "role", name=text, name_start=start, name_end=end, role=text)
    if last_title < a:
        # "Edukasi dan Perlindungan Konsumen OJK Friderica Widyasari Dewi": an office's name, then the person's
        cut = max(
            (
                x
                for x in range(a, b - 1)
                if toks[x].text in _ORG_JOINERS or (toks[x].text.isupper() and len(toks[x].text) > 1)
            ),
            default=-1,
        )
        if (
            cut >= a
            and 2 <= b - cut - 1 <= 4
            and toks[cut + 1].text[:1].isupper()
            and not toks[cut + 1].text.isupper()
        ):
            ns = toks[cut + 1].start
            return SpeakerRef(
                -1,
                start,
                end,
                text,
                "name",
                name=unit.text[ns:end],
                name_start=ns,
                name_end=end,
                role=unit.text[start : toks[cut].end],
                after_titles=ns,
            )
        return SpeakerRef(-1, start, end, text, "name", name=text, name_start=start, name_end=end)
    # Titles then the organisation then the name: "Juru Bicara Pemerintah Rusia Dmitry Preskov".
    # Without entities the name is taken as the last two words (the last three when all look like names).
    rest = list(range(last_title + 1, b))
    while len(rest) > 1 and (
        toks[rest[0]].text.isupper() and len(toks[rest[0]].text) > 1 or toks[rest[0]].text[:1].islower()
    ):
        rest.pop(
            0
        )  # an acronym or a lower-case word is the organisation, not the name: "Kepala BPS Suhariyanto"
    if all(toks[x].text.isupper() and len(toks[x].text) > 1 for x in rest):
        # "kata Ketua DKPP": an office and its body, no name
        return SpeakerRef(-1, start, end, text, "role", name=text, name_start=start, name_end=end, role=text)
    n = min(len(rest), 2) if len(rest) > 2 else len(rest)
    if n < len(rest) and toks[rest[-n]].text.lower() in _NAME_PARTICLES:
        n += 1  # "Alexandre de Juniac", "Ahmad bin Umar": a particle is inside the name, never its start
    ns = rest[-n]
    name_start = toks[ns].start
    role = unit.text[start : toks[ns - 1].end] if ns > a else None
    return SpeakerRef(
        -1,
        start,
        end,
        text,
        "name",
        name=unit.text[name_start:end],
        name_start=name_start,
        name_end=end,
        role=role,
        after_titles=toks[last_title + 1].start,
    )


def _in_run(toks: list[Token], k: int, lo: int, hi: int, lex: Lexicon) -> int:
    """How many tokens from k belong to a name phrase (0 if none): a capitalised word or title, "dan" or a
    particle between capitalised words ("Pekerjaan Umum dan Bina Marga"), a bracketed acronym ("( Bappeda )")."""
    t = toks[k].text
    if t in lex.titles or (t[:1] == "@" and len(t) > 1):  # a title, or a social-media handle ("kata @budi")
        return 1
    if t[:1].isupper() and t not in lex.stops and t not in lex.pronouns and not _cue_word(t):
        return 1
    if (
        k > lo
        and k + 1 < hi
        and toks[k - 1].text[:1].isupper()
        and toks[k + 1].text[:1].isupper()
        and (t.lower() in _NAME_PARTICLES or t in _ORG_JOINERS)
    ):
        return 1
    if t == "(" and k + 2 < hi and toks[k + 2].text == ")" and toks[k + 1].text[:1].isupper():
        return 3
    if (
        k > lo
        and k + 1 < hi
        and toks[k - 1].text[:1].isupper()
        and toks[k + 1].text[:1].isupper()
        and toks[k + 1].text not in lex.stops
        and (
            (t.isdigit() and toks[k - 1].text not in _NUMBER_WORDS)  # "Daop 8 Surabaya", not "Nomor 7 Tahun"
            or (t[:1].isupper() and (t.lower(),) in lex.connectives)  # "Kepala Satuan Lalu Lintas"
            or (t in lex.stops and toks[k + 1].text not in lex.titles)  # "Kementerian Dalam Negeri"
        )
    ):
        return 1
    # "Gugus Tugas Penanganan Covid - 19 Kabupaten Pemalang": a number joined to a name by a hyphen
    if t == "-" and k > lo and k + 1 < hi and toks[k - 1].text[:1].isupper() and toks[k + 1].text.isdigit():
        return 2
    return 0


def _run_back(toks: list[Token], i: int, floor: int, lex: Lexicon) -> int:
    """Start of the name phrase that ends at token i (inclusive)."""
    a = i
    while a - 1 >= floor:
        t = toks[a - 1].text
        if t == ")" and a - 3 >= floor and toks[a - 3].text == "(" and toks[a - 2].text[:1].isupper():
            a -= 3
        elif t.isdigit() and a - 3 >= floor and toks[a - 2].text == "-" and toks[a - 3].text[:1].isupper():
            a -= 2
        elif _in_run(toks, a - 1, floor, i + 1, lex) == 1:
            a -= 1
        else:
            break
    while a <= i and (toks[a].text in _ORG_JOINERS or toks[a].text == "("):
        a += 1
    return a


_ASIDE_OPENERS = frozenset(
    {",", "dalam", "saat", "ketika", "seusai", "usai", "melalui", "lewat", "di", "kepada", "pada"}
)


def speaker_before(unit: Unit, v: int, floor: int) -> SpeakerRef | None:
    """The subject of the reporting verb at token v: a pronoun, "pihaknya" or a name phrase before it.

    Between the subject and the verb there may be adverbs ("juga"), an apposition between commas ("Aziz Yanuar,
    anggota tim kuasa hukum, mengatakan") or a circumstance ("X, saat dihubungi Minggu, mengatakan").
    """
    lex = lexicon()
    toks = unit.tokens
    i = v - 1
    while i >= floor and toks[i].text.lower() in lex.adverbs:
        i -= 1
    if i >= floor and toks[i].text == ",":
        # "Kepala Seksi ... (BIL), Eka Asmadi, saat dihubungi dari Mataram, Kamis, mengatakan": the first segment
        # between commas that is a bare name is the speaker; a segment of titles before it is the role.
        named = _bare_name_segment(unit, floor, i, lex) or _leading_subject(unit, floor, i, lex)
        if named is not None:
            return named
        k = i - 1
        while k >= floor and toks[k].text != "," and i - k < 12:
            k -= 1
        if k > floor and toks[k].text == "," and toks[k - 1].text[:1].isupper():
            i = k - 1
        else:
            return _opening_subject(unit, floor, i, lex) or _subject_before_first_comma(unit, floor, i, lex)
    if i - 2 >= floor and toks[i].text == ")":
        # "Menteri Sosial (Mensos), Saifullah Yusuf (Gus Ipul) mengatakan": the alias in brackets is left aside
        o = next((x for x in range(i - 1, max(floor, i - 6) - 1, -1) if toks[x].text == "("), None)
        if o is not None and o - 1 >= floor and toks[o - 1].text[:1].isupper():
            i = o - 1
    if i < floor:
        return None
    tok = toks[i]
    if tok.text in lex.pronouns:
        form = "plural" if tok.text in lex.plural else lex.pronouns[tok.text]
        return SpeakerRef(-1, tok.start, tok.end, tok.text, form)
    if not (tok.text[:1].isupper() or tok.text in lex.titles) or tok.text in lex.stops:
        # "Menteri Keuangan Sri Mulyani dalam wawancara dengan Kompas menyampaikan, ..."
        return _opening_subject(unit, floor, i + 1, lex)
    b = i + 1
    a = _run_back(toks, i, floor, lex)
    if (
        a - 2 >= floor
        and toks[a - 1].text == "di"
        and toks[a - 2].text[:1].isupper()
        and toks[a - 2].text not in lex.stops
        and not any(toks[x].text in lex.titles for x in range(a, b))
    ):
        # "Ketua ISBS Domin Damayanti di Surabaya menuturkan": the place is where, the name before it speaks
        b = a - 1
        a = _run_back(toks, b - 1, floor, lex)
    # A capitalised connective that opens the sentence is not part of the name ("Namun Aziz menyebut").
    while a < b and _connective_prefix([toks[a].text]):
        a += 1
    if a >= b:
        return None
    # "Marullah Matali, Wali Kota Jakarta Selatan, (yang dihubungi,) membenarkan": a role in apposition after the name.
    if (
        toks[a].text in lex.titles
        and a - 2 >= floor
        and toks[a - 1].text == ","
        and toks[a - 2].text[:1].isupper()
        and toks[a - 2].text not in lex.stops  # "..., Rabu, Menteri Keuangan Sri Mulyani mengingatkan"
    ):
        n0 = _run_back(toks, a - 2, floor, lex)
        if n0 <= a - 2 and not any(toks[x].text in lex.titles for x in range(n0, a - 1)):
            ref = _name_ref(unit, n0, a - 1)
            ref.role = unit.text[toks[a].start : toks[b - 1].end]
            return ref
    # What comes before the subject: sentence start, a comma, a connective, or an opening bracket.
    if a > floor:
        before = [t.text for t in toks[floor:a]]
        if before[-1] not in {",", "(", ":", "—", "-"} and not _connective_prefix(before):
            # A title before or in the name makes it a speaker whatever precedes ("Wali Kota sekaligus Ketua
            # Satgas Covid-19 Bima Arya mengatakan"); else "Reynaldi dari PT House of Rattan mengatakan".
            if any(toks[x].text in lex.titles for x in range(max(floor, a - 12), b)):
                return _name_ref(unit, a, b)
            return _opening_subject(unit, floor, a, lex)
    return _name_ref(unit, a, b)


def _bare_name_segment(unit: Unit, floor: int, limit: int, lex: Lexicon) -> SpeakerRef | None:
    toks = unit.tokens
    commas = [k for k in range(floor, limit) if toks[k].text == ","]
    bounds = [floor - 1, *commas]
    for x, y in zip(bounds, [*commas, limit], strict=True):
        a, b = x + 1, y
        if b - a >= 4 and toks[b - 3].text == "(" and toks[b - 2].text.isdigit() and toks[b - 1].text == ")":
            b -= 3  # "salah satu pengemudi ojol asal Genuk, Wawan (35), mengaku": the age is left out
        if b <= a or b - a > 5:
            continue
        words = [toks[k].text for k in range(a, b)]
        if _connective_prefix(words):
            continue
        if all(
            w[:1].isupper() and w not in lex.titles and w not in lex.stops and not _cue_word(w) for w in words
        ):
            ref = _name_ref(unit, a, b)
            if x > floor and toks[x - 1].text[:1].isupper():
                r0 = _run_back(toks, x - 1, floor, lex)
                if r0 <= x - 1:
                    ref.role = unit.text[toks[r0].start : toks[x - 1].end]
            return ref
        if (
            not all(
                toks[k].text[:1].isupper() or toks[k].text in lex.titles or toks[k].text in "()"
                for k in range(a, b)
            )
            and toks[a].text
            not in lex.titles  # "Pengamat ekonomi dari Universitas Bengkulu, Kamaludin, menilai"
            and not (
                x < floor and b - a <= 6
            )  # "Melihat fenomena tersebut, sosiolog UNJ, Rakhmat Hidayat, ..."
        ):
            break  # only the first segments: connectives, roles ("Kepala Otorita IKN"), then the bare name
    return None


def _aside_segment(toks: list[Token], a: int, b: int, lex: Lexicon) -> bool:
    """A segment between commas that cannot be a subject: a circumstance ("yang dihubungi di Jakarta", "saat
    ditemui"), a date ("Senin ( 1 / 6 / 2020 )") or a role in apposition ("Wakil Gubernur DKI Jakarta")."""
    if b <= a:
        return False
    first = toks[a].text
    if first in _ASIDE_OPENERS or first == "yang" or first in lex.stops or first[:1].islower():
        return True
    return first in lex.titles and all(
        toks[x].text[:1].isupper() or toks[x].text in lex.titles or toks[x].text in "()" for x in range(a, b)
    )


def _leading_subject(unit: Unit, floor: int, limit: int, lex: Lexicon) -> SpeakerRef | None:
    """ "Sementara Ahmad Riza Patria, Wakil Gubernur DKI Jakarta, di Balai Kota DKI, Kamis (5/11/2020),
    menyampaikan": the name phrase opening the clause, when every segment between it and the verb at `limit`
    (the comma before the verb) is an apposition, a circumstance or a date."""
    toks = unit.tokens
    j = floor
    while j < limit and (_connective_prefix([toks[j].text]) or toks[j].text == ","):
        j += 1
    e = j
    while e < limit and e - j < 16 and (n := _in_run(toks, e, j, limit, lex)):
        e += n
    if e == j or e >= limit:
        return None
    first_comma = e
    if (
        toks[e].text in _ASIDE_OPENERS and toks[e].text != ","
    ):  # "Irvan Widyanto di Surabaya, Rabu (15/7), mengatakan"
        first_comma = next((x for x in range(e, limit) if toks[x].text == ","), limit)
        if first_comma >= limit:
            return None
    elif toks[e].text != ",":
        return None
    if toks[e - 1].text in lex.titles or not any(
        toks[x].text[:1].isupper() and toks[x].text not in lex.titles for x in range(j, e)
    ):
        return None
    commas = [k for k in range(first_comma, limit + 1) if toks[k].text == ","]
    after_role = False
    for x, y in zip(commas, commas[1:], strict=False):
        if _aside_segment(toks, x + 1, y, lex):
            after_role = any(toks[z].text in lex.titles for z in range(x + 1, y))
        elif after_role and 0 < y - x - 1 <= 3 and all(_is_cap(toks[z].text) for z in range(x + 1, y)):
            after_role = (
                False  # "yang juga Menteri Perhubungan, Amerika Serikat,": a place completing the role
            )
        else:
            return None
    ref = _name_ref(unit, j, e)
    if ref.form == "role" or (ref.name or "").split(" ", 1)[0] in lex.bodies:
        # "Kepala Kepolisian Peru, Jenderal Oscar Arriola, kemudian mengatakan": an office, then its holder
        if len(commas) < 2 or first_comma != e:
            return None
        x, y = commas[0] + 1, commas[1]
        if (
            y - x < 2
            or toks[y - 1].text in lex.titles
            or not all(toks[z].text[:1].isupper() for z in range(x, y))
        ):
            return None
        holder = _name_ref(unit, x, y)
        holder.role = unit.text[toks[j].start : toks[e - 1].end]
        return holder
    return ref


def _subject_before_first_comma(unit: Unit, floor: int, limit: int, lex: Lexicon) -> SpeakerRef | None:
    """ "Kepala BNPB yang juga Ketua Satgas Doni Monardo, saat dihubungi, Senin (30/11), mengatakan": the name
    ending at the sentence's first comma, when what follows that comma is a circumstance or an apposition."""
    toks = unit.tokens
    comma = next((k for k in range(floor, limit) if toks[k].text == ","), None)
    if comma is None or comma == floor or comma + 1 >= limit:
        return None
    nxt = toks[comma + 1].text
    if not (nxt in _ASIDE_OPENERS or nxt == "yang" or nxt[:1].islower()):
        return None
    a = _run_back(toks, comma - 1, floor, lex)
    if a >= comma or not toks[comma - 1].text[:1].isupper():
        return None
    return _name_ref(unit, a, comma)


def _opening_subject(unit: Unit, floor: int, limit: int, lex: Lexicon) -> SpeakerRef | None:
    """A name phrase opening the clause (after connectives or a short adverbial such as "Pekan lalu,") and
    followed by a circumstance ("dalam wawancara ...", "saat dihubungi ...") before the verb at `limit`."""
    toks = unit.tokens
    j = floor
    while j < limit and (_connective_prefix([toks[j].text]) or toks[j].text == ","):
        j += 1
    if j < limit and not (toks[j].text[:1].isupper() or toks[j].text in lex.titles):
        return None
    e = j
    while e < limit and (n := _in_run(toks, e, floor, limit, lex)):
        e += n
    if e == j and j < limit:
        return None
    if (
        e < limit and toks[e].text == "," and e - j <= 3
    ):  # "Pekan lalu , Menteri Keuangan Sri Mulyani dalam ..."
        j = e + 1
        e = j
        while e < limit and (n := _in_run(toks, e, floor, limit, lex)):
            e += n
    if e > j and e < limit and toks[e].text in _ASIDE_OPENERS and limit - e <= 25:
        return _name_ref(unit, j, e)
    return None


def _clitic_ref(tok: Token) -> SpeakerRef:
    c = clitic(tok) or Token(tok.end - 3, tok.end, "nya")
    return SpeakerRef(-1, c.start, c.end, "-nya", "clitic")


# ---------------------------------------------------------------------------------------------- direct quotes


def _mark_side(unit: Unit, i: int, inside: bool) -> str:
    """'open' or 'close' for the quote mark at token i."""
    toks = unit.tokens
    tok = toks[i]
    prev = toks[i - 1] if i > 0 else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    glued_prev = prev is not None and prev.end == tok.start
    glued_next = nxt is not None and nxt.start == tok.end
    if glued_next and not glued_prev:
        return "open"
    if glued_prev and not glued_next:
        return "close"
    # Spaced on both sides (tokenized text) or glued on both: decide from context.
    if prev is not None and prev.text in {",", "?", "!"}:
        return "close"
    if nxt is not None and (post_cue(nxt.text) is not None or nxt.text == ","):
        return "close"
    if nxt is None:
        return "close" if inside else "open"
    if tok.text in _OPENING_GLYPHS and tok.text != "‘":
        return "open" if not inside or (prev is not None and prev.text in _SENT_END) else "close"
    return "close" if inside else "open"


def _direct_spans(units: list[Unit]) -> list[tuple[int, int, int | None, bool]]:
    """Quote spans as (unit, open token or -1, close token or None, continued_from_previous_unit)."""
    spans: list[tuple[int, int, int | None, bool]] = []
    carry = False  # the previous unit ended inside a quote
    for u, unit in enumerate(units):
        if not unit.may_quote:
            carry = False
            continue
        toks = unit.tokens
        open_at: int | None = None
        continued = False
        if carry:
            first = next((i for i, t in enumerate(toks) if t.text in DOUBLE), None)
            # A paragraph that re-opens the quote continues it; one that does not ends it.
            if first is not None and first <= 1 and _mark_side(unit, first, False) == "open":
                continued = True
        carry = False
        for i, tok in enumerate(toks):
            if tok.text not in DOUBLE:
                continue
            side = _mark_side(unit, i, open_at is not None)
            if open_at is None:
                if side == "open":
                    open_at = i
                elif (not spans or spans[-1][0] != u) and i > 2:
                    # A close with no opening in this paragraph: the quote began at the paragraph start.
                    spans.append((u, -1, i, False))
                continue
            if side == "close":
                spans.append((u, open_at, i, continued and not any(s[0] == u for s in spans)))
                open_at = None
            else:  # a new opening while open: the earlier quote was left unclosed at a sentence end
                spans.append((u, open_at, i - 1 if i > open_at + 1 else None, False))
                open_at = i
        if open_at is not None:
            spans.append((u, open_at, None, continued and not any(s[0] == u for s in spans)))
            carry = True
    return spans


@lru_cache(maxsize=1)
def _demonstrative_cues() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(openers, statement nouns, modifiers) from resources/quotes/demonstrative_cues.tsv."""
    rows = read_tsv("quotes", "demonstrative_cues.tsv")
    words = {
        kind: frozenset(r["word"] for r in rows if r["kind"] == kind)
        for kind in ("opener", "noun", "modifier")
    }
    return words["opener"], words["noun"], words["modifier"]


def _cue_after(unit: Unit, c: int) -> tuple[str, tuple[int, int], SpeakerRef | None] | None:
    """A cue right after the closing mark at token c: '," kata X', '," ujarnya', '," Peskov menambahkan'."""
    lex = lexicon()
    toks = unit.tokens
    n = len(toks)
    j = c + 1
    if j < n and toks[j].text == ",":
        j += 1
    if j >= n:
        return None
    tok = toks[j]
    pc = post_cue(tok.text)
    if pc is not None and tok.text[:1].islower():
        base, is_clitic = pc
        if is_clitic:
            return base, (tok.start, tok.start + len(base)), _clitic_ref(tok)
        ref, _ = speaker_after(unit, j + 1, min(n, j + 16))
        return base, (tok.start, tok.end), ref
    low = tok.text.lower()
    openers, nouns, modifiers = _demonstrative_cues()
    if low in openers and j + 1 < n and toks[j + 1].text.lower() in nouns:
        # '"...," demikian pernyataan resmi NASA' / '"...," begitu keterangan tertulis Polri'
        k = j + 2
        while k < n and toks[k].text.lower() in modifiers:
            k += 1
        ref, _ = speaker_after(unit, k, min(n, k + 14))
        if ref is not None:
            return toks[j + 1].text.lower(), (toks[j + 1].start, toks[j + 1].end), ref
    if low in lex.according or (low.endswith("nya") and low[:-3] in lex.according):
        if low.endswith("nya"):
            return low[:-3], (tok.start, tok.end - 3), _clitic_ref(tok)
        ref, _ = speaker_after(unit, j + 1, min(n, j + 16))
        return (low, (tok.start, tok.end), ref) if ref else None
    # "...," Peskov menambahkan. / "...," dia menegaskan.
    ref, k = speaker_after(unit, j, min(n, j + 14))
    if ref is not None:
        while k < n and toks[k].text.lower() in lex.adverbs:
            k += 1
        if k < n:
            low = toks[k].text.lower()
            if low in lex.verbs or (post_cue(low) is not None and not post_cue(low)[1]):  # type: ignore[index]
                cue = post_cue(low)[0] if post_cue(low) else low  # type: ignore[index]
                return cue, (toks[k].start, toks[k].end), ref
    return None


def _cue_before(
    unit: Unit, o: int, floor: int
) -> tuple[str | None, tuple[int, int] | None, SpeakerRef | None] | None:
    """A cue before the opening mark at token o: 'X mengatakan, "', 'Kata X: "', 'Menurut X, "', 'X: "'."""
    lex = lexicon()
    toks = unit.tokens
    j = o - 1
    if j < floor:
        return None
    if toks[j].text in {",", ":"}:
        j -= 1
    if j < floor:
        return None
    tok = toks[j]
    low = tok.text.lower()
    pc = post_cue(low)
    if low in lex.verbs or (pc is not None and not pc[1]):
        cue = pc[0] if pc else low
        ref = speaker_before(unit, j, floor)
        if ref is not None:
            return cue, (tok.start, tok.end), ref
    if pc is not None and pc[1]:  # '..., katanya: "'
        return pc[0], (tok.start, tok.start + len(pc[0])), _clitic_ref(tok)
    if low.endswith("nya") and low[:-3] in lex.according:
        return low[:-3], (tok.start, tok.end - 3), _clitic_ref(tok)
    # "Kata X: "..."" / "Menurut X, "...""
    k = floor
    while k < j and toks[k].text in {",", "(", "—"}:
        k += 1
    for s in range(floor, j):
        w = toks[s].text.lower()
        if (w in lex.according or w in lex.post) and _connective_prefix([t.text for t in toks[floor:s]]):
            ref, end = speaker_after(unit, s + 1, j + 1)
            if ref is not None and end == j + 1:
                return w, (toks[s].start, toks[s].end), ref
            break
    # "Peskov: "...""
    if toks[o - 1].text == ":":
        ref, end = speaker_after(unit, floor, o - 1)
        if ref is not None and end == o - 1 and ref.form in ("name", "role"):
            return None, None, ref
    return None


def _find_direct(units: list[Unit]) -> list[Found]:
    found: list[Found] = []
    chain = 0
    for u, o, c, continued in _direct_spans(units):
        unit = units[u]
        toks = unit.tokens
        start = toks[o].end if o >= 0 else 0
        outer_start = toks[o].start if o >= 0 else 0
        if c is None:
            end = outer_end = len(unit.text)
            # trim an unclosed quote to its last sentence end
        else:
            end = toks[c].start if toks[c].text in DOUBLE else toks[c].end
            outer_end = toks[c].end
        text = unit.text[start:end]
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        start, end = start + lead, start + lead + len(stripped)
        if not continued:
            chain += 1
        q = Found(u, start, end, "direct", outer_start, outer_end, chain=chain)
        if c is not None and toks[c].text in DOUBLE:
            after = _cue_after(unit, c)
            if after is not None:
                q.cue, span, q.speaker = after[0], after[1], after[2]
                q.cue_span = (u, span[0], span[1])
        if q.cue is None and q.speaker is None and o >= 0:
            sa, _ = _sentence_of(unit, o)
            floor = sa
            for f in reversed(found):  # not across an earlier quote in this sentence
                if f.unit == u and f.outer_end <= toks[o].start:
                    floor = max(floor, _token_at(unit, f.outer_end - 1) + 1)
                    break
            before = _cue_before(unit, o, floor)
            if before is not None:
                q.cue = before[0]
                q.cue_span = (u, before[1][0], before[1][1]) if before[1] else None
                q.speaker = before[2]
        if q.speaker is not None:
            q.speaker.unit = u
        found.append(q)
    settled = _settle_uncued(found, units)
    return _single_quoted(units, settled, chain)


def _single_quoted(units: list[Unit], found: list[Found], chain: int) -> list[Found]:
    """Quotes in single marks ('...,' tutur Andi). Single marks also set off terms and titles, so only a pair
    whose sides the spacing makes plain, outside double quotes, and with a cue of its own is taken."""
    extra: list[Found] = []
    for u, unit in enumerate(units):
        if not unit.may_quote or not any(c in unit.text for c in "'‘’"):
            continue
        toks = unit.tokens
        taken = [(q.outer_start, q.outer_end) for q in found if q.unit == u]
        open_at: int | None = None
        for i, tok in enumerate(toks):
            if tok.text not in SINGLE or any(x <= tok.start < y for x, y in taken):
                continue
            prev_glued = i > 0 and toks[i - 1].end == tok.start
            next_glued = i + 1 < len(toks) and toks[i + 1].start == tok.end
            if next_glued and not prev_glued and tok.text != "’":
                open_at = i
            elif prev_glued and not next_glued and tok.text != "‘" and open_at is not None:
                o, c, open_at = open_at, i, None
                if c - o < 3:
                    continue
                start, end = toks[o].end, toks[c].start
                chain += 1
                q = Found(u, start, end, "direct", toks[o].start, toks[c].end, chain=chain)
                after = _cue_after(unit, c)
                if after is None:
                    continue
                q.cue, span, q.speaker = after[0], after[1], after[2]
                q.cue_span = (u, span[0], span[1])
                if q.speaker is not None:
                    q.speaker.unit = u
                extra.append(q)
    if not extra:
        return found
    return sorted(found + extra, key=lambda q: (q.unit, q.start))


def _token_at(unit: Unit, char: int) -> int:
    for i, t in enumerate(unit.tokens):
        if t.start <= char < t.end:
            return i
    return len(unit.tokens) - 1


def _settle_uncued(found: list[Found], units: list[Unit]) -> list[Found]:
    """Quotes with no cue: join them to their chain or neighbour; drop scare quotes and titles."""
    by_chain: dict[int, Found] = {}
    for q in found:
        if q.speaker is not None and q.chain not in by_chain:
            by_chain[q.chain] = q
    kept: list[Found] = []
    for i, q in enumerate(found):
        if q.speaker is None and q.chain in by_chain:
            src = by_chain[q.chain]
            q.speaker, q.cue, q.cue_span = src.speaker, src.cue, src.cue_span
        if q.speaker is not None:
            kept.append(q)
            continue
        unit = units[q.unit]
        words = len(unit.text[q.start : q.end].split())
        statement_like = unit.text[q.start : q.end].rstrip()[-1:] in {".", ",", "!", "?"} and words >= 4
        starts_sentence = q.outer_start == 0 or unit.text[: q.outer_start].rstrip()[-1:] in {
            ".",
            "!",
            "?",
            ":",
            "",
        }
        if not (statement_like and starts_sentence) or "http" in unit.text[q.start : q.end]:
            continue  # a scare quote, a title, a term, a teaser with its link
        # A statement with no cue continues the quote next to it: the next one in its unit, else the one before.
        nxt = next((f for f in found[i + 1 :] if f.unit == q.unit and f.speaker is not None), None)
        prv = next((f for f in reversed(kept) if f.speaker is not None and q.unit - f.unit <= 1), None)
        src2: Found | None = nxt if nxt is not None and _gap_is_quotes(unit, q, nxt) else prv
        if src2 is not None:
            q.speaker, q.cue, q.cue_span = src2.speaker, src2.cue, src2.cue_span
            kept.append(q)
        elif words >= 6:
            kept.append(q)
    return kept


def _gap_is_quotes(unit: Unit, q: Found, nxt: Found) -> bool:
    gap = unit.text[q.outer_end : nxt.outer_start]
    return len(gap.split()) <= 1


# ---------------------------------------------------------------------------------------------- indirect quotes


class _SpanIndex:
    """Quote spans of one unit, to find those overlapping a sentence without scanning them all (a long page
    can hold thousands of quotes)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [x for x, _ in self.spans]
        self.ends = [y for _, y in self.spans]
        # bisecting both ends is right only for spans that do not overlap one another
        self.disjoint = all(self.ends[i] <= self.starts[i + 1] for i in range(len(self.spans) - 1))

    def overlapping(self, s0: int, s1: int) -> list[tuple[int, int]]:
        if not self.disjoint:
            return [sp for sp in self.spans if sp[0] < s1 and s0 < sp[1]]
        return self.spans[bisect_right(self.ends, s0) : bisect_left(self.starts, s1)]


def _find_indirect(units: list[Unit], direct: list[Found]) -> list[Found]:
    lex = lexicon()
    found: list[Found] = []
    covered: dict[int, list[tuple[int, int]]] = {}
    for q in direct:
        covered.setdefault(q.unit, []).append((q.outer_start, q.outer_end))
    for u, unit in enumerate(units):
        if not unit.may_quote:
            continue
        toks = unit.tokens
        near = _SpanIndex(covered.get(u, []))
        for a, b in unit.sents:
            if b <= a:
                continue
            spans = near.overlapping(toks[a].start, toks[b - 1].end)
            # Only the part of the sentence outside direct quotes (a quote may open or close inside a sentence).
            for x, y in spans:
                while a < b and x <= toks[a].start < y:
                    a += 1
                while b > a and x <= toks[b - 1].start < y:
                    b -= 1
            if b - a < 4:
                continue
            s0, s1 = toks[a].start, toks[b - 1].end
            if any(x < s1 and s0 < y for x, y in spans):
                continue
            hit = _indirect_in(unit, u, a, b, lex)
            if hit is not None:
                found.append(hit)
    return found


def _clause(unit: Unit, i: int, b: int) -> tuple[int, int] | None:
    """Characters of tokens [i, b) without the final stop and surrounding commas; None if too short."""
    toks = unit.tokens
    while i < b and toks[i].text in {",", ":", "bahwa"}:
        i += 1
    if i < b and toks[i].text in _ASIDE_OPENERS:
        # "mengatakan pada Kamis (16/10) bahwa ..." / "menyampaikan kepada wartawan bahwa ...": the circumstance
        # before "bahwa" is not said.
        p = next((x for x in range(i + 1, min(b, i + 12)) if toks[x].text == "bahwa"), None)
        if p is not None and not any(toks[x].text in _SENT_END for x in range(i, p)):
            i = p + 1
    while b > i and toks[b - 1].text in {".", ",", ";", "!"}:
        b -= 1
    if b - i < 3:
        return None
    return toks[i].start, toks[b - 1].end


def _past_apposition(toks: list[Token], k: int, b: int, lex: Lexicon) -> int:
    """ "Menurut Rizki Ameliah, Kepala Pusat Literasi Digital BPSDM Komdigi, pemerintah ...": the comma after a
    role in apposition to the speaker (the statement starts after it); k itself when there is none."""
    if not (k + 1 < b and toks[k].text == "," and toks[k + 1].text in lex.titles):
        return k
    m = k + 1
    while m < b and m - k < 16 and toks[m].text != ",":
        t = toks[m].text
        if not (t[:1].isupper() or t in lex.titles or t in "()-/" or t in _ORG_JOINERS or t.isdigit()):
            return k
        m += 1
    return m if m < b and toks[m].text == "," else k


def _indirect_in(unit: Unit, u: int, a: int, b: int, lex: Lexicon) -> Found | None:
    toks = unit.tokens
    for i in range(a, b):
        tok = toks[i]
        low = tok.text.lower()
        # Menurut X, ... / Menurutnya, ... / ..., menurut X(, ...)
        if low in lex.according or (low.endswith("nya") and low[:-3] in lex.according):
            if low.endswith("nya"):
                ref: SpeakerRef | None = _clitic_ref(tok)
                cue_end = tok.end - 3
                after = i + 1
            else:
                ref, after = speaker_after(unit, i + 1, b)
                cue_end = tok.end
                after = _past_apposition(toks, after, b, lex)
            if ref is None:
                continue
            q = _split_around(unit, u, a, i, after, b, low[:-3] if low.endswith("nya") else low, ref)
            if q is not None:
                q.cue_span = (u, tok.start, cue_end)
                return q
            continue
        # ..., tegasnya. / Bahkan, lanjut dia, ... / ..., kata X.
        pc = post_cue(low)
        if (
            pc is not None
            and i > a
            and toks[i - 1].text == ","
            and pc[0] in lex.post_indirect
            and low == tok.text
        ):
            base, is_clitic = pc
            if is_clitic:
                ref, after = _clitic_ref(tok), i + 1
            else:
                ref, after = speaker_after(unit, i + 1, b)
            if ref is None or (after < b and toks[after].text not in {",", ".", "!", "?"}):
                continue
            q = _split_around(unit, u, a, i, after, b, base, ref)
            if q is not None:
                q.cue_span = (u, tok.start, tok.start + len(base))
                return q
            continue
        # X mengatakan (bahwa) ... / Pihaknya menegaskan bahwa ...
        if low in lex.verbs_indirect and tok.text == low:
            if i > a and toks[i - 1].text.lower() in _NOT_BEFORE_VERB:
                continue  # a relative clause, a purpose, a negation, or hearsay ("yang disebut menyatakan")
            ref = speaker_before(unit, i, a)
            if ref is None:
                continue
            j = i + 1
            if j < b and toks[j].text in DOUBLE:
                continue
            if any(t.text == "sebagai" for t in toks[j : min(b, j + 6)]) and low.startswith("menyebut"):
                continue  # "menyebut kawasan itu sebagai ...": naming, not a statement
            if j < b and _is_object_noun(toks[j]):
                continue  # "menegaskan dukungannya terhadap ...": an object, not what was said
            span = _clause(unit, j, b)
            if span is None:
                continue
            q = Found(u, span[0], span[1], "indirect", span[0], span[1], cue=low, speaker=ref)
            q.cue_span = (u, tok.start, tok.end)
            ref.unit = u
            return q
    return None


# Words that open the object of a reporting verb, not what was said ("menjelaskan alasan ...", "menegaskan
# komitmen ...", "menjelaskan tentang ...").
_OBJECT_NOUNS = frozenset(
    {
        "komitmen",
        "apresiasi",
        "sikap",
        "dukung",
        "simpati",
        "empati",
        "dukungan",
        "penolakan",
        "alasan",
        "hal",
    }
    | {"soal", "terkait", "mengenai", "tentang", "perihal"}
)


def _is_object_noun(tok: Token) -> bool:
    """A possessed abstract noun ("dukungannya", "komitmennya", "harapannya") right after a reporting verb is its
    object ("X menegaskan dukungannya ..."), not the start of what X said ("X mengatakan kliennya tidak ...");
    so is a bare "komitmen" or "dukungan" ("menegaskan komitmen Kemensos dalam ...")."""
    if tok.text in _OBJECT_NOUNS:
        return True
    if clitic(tok) is None or not tok.text[:1].islower():
        return False
    stem = tok.text[:-3].lower()
    return stem.endswith("an") or stem in _OBJECT_NOUNS


def _split_around(
    unit: Unit, u: int, a: int, i: int, after: int, b: int, cue: str, ref: SpeakerRef
) -> Found | None:
    """The statement around a cue at token i whose speaker ends before token `after`: A, cue X, B."""
    toks = unit.tokens
    prefix = [t.text for t in toks[a:i]]
    ref.unit = u
    if _connective_prefix(prefix):
        span = _clause(unit, after, b)
    else:
        tail = _clause(unit, after, b) if after < b else None
        if tail is None:
            span = _clause(unit, a, i)
        elif prefix and prefix[-1] == ",":
            head = _clause(unit, a, i)
            span = (head[0], tail[1]) if head else tail  # an interrupted statement: "A, kata dia, B"
        else:
            return None
    if span is None:
        return None
    return Found(u, span[0], span[1], "indirect", span[0], span[1], cue=cue, speaker=ref)


# ---------------------------------------------------------------------------------------------- salient subjects

_VERB_PREFIXES = ("me", "ber", "di", "ter")


def subject_finder(units: list[Unit], quotes: list[Found]) -> Callable[[int], list[SpeakerRef]]:
    """A function giving, for a unit, the names that open its sentences as the subject of a verb ("Eddy
    mencontohkan, ..."): the people a later "katanya" or "dia" most likely points to, even when their own
    sentence reports no speech. Computed per unit on demand (only where a pronoun needs them)."""
    covered: dict[int, list[tuple[int, int]]] = {}
    for q in quotes:
        covered.setdefault(q.unit, []).append((q.outer_start, q.outer_end))
    cache: dict[int, list[SpeakerRef]] = {}

    def subjects(u: int) -> list[SpeakerRef]:
        if u not in cache:
            cache[u] = _subjects_in(units[u], u, covered.get(u, []))
        return cache[u]

    return subjects


def _subjects_in(unit: Unit, u: int, spans: list[tuple[int, int]]) -> list[SpeakerRef]:
    lex = lexicon()
    out: list[SpeakerRef] = []
    toks = unit.tokens
    near = _SpanIndex(spans)
    for a, b in unit.sents:
        if b <= a:
            continue
        for x, y in near.overlapping(toks[a].start, toks[b - 1].end):
            while a < b and x <= toks[a].start < y:
                a += 1
        if b - a < 3:
            continue
        # at the clause start (after connectives), else after a leading adverbial phrase ending in a comma
        j = a
        while j < b and (_connective_prefix([toks[j].text]) or toks[j].text == ","):
            j += 1
        comma = next((k for k in range(j, min(b, j + 8)) if toks[k].text == ","), None)
        starts = [j] + ([comma + 1] if comma is not None else [])
        # "Peneliti di Lingkar Pembaruan Desa dan Agraria, Yando Zakaria, mewanti-wanti ...": a bare name between
        # commas further on, right before its verb
        starts += [
            k + 1 for k in range(j, min(b, j + 24)) if toks[k].text == "," and _name_then_verb(toks, k + 1, b)
        ]
        for start in starts:
            if start < b and near.overlapping(toks[start].start, toks[start].end):
                continue  # inside a statement ("Menurut Kusnawan, Blue Water Express beroperasi ..."): not a subject
            ref = _subject_at(unit, start, b, lex)
            if ref is not None:
                ref.unit = u
                out.append(ref)
                break
    return out


def _name_then_verb(toks: list[Token], k: int, b: int) -> bool:
    """Tokens from k are a short capitalised name, a comma and a verb ("Yando Zakaria, mewanti-wanti")."""
    m = k
    while m < b and m - k < 5 and toks[m].text[:1].isupper():
        m += 1
    return k < m < b - 1 and toks[m].text == "," and _verb_like(toks[m + 1].text)


def _subject_at(unit: Unit, j: int, b: int, lex: Lexicon) -> SpeakerRef | None:
    """A name phrase starting at token j and followed (after an apposition or adverbs) by a verb."""
    toks = unit.tokens
    if j >= b or not (toks[j].text[:1].isupper() or toks[j].text in lex.titles):
        return None
    e = j
    while e < b and e - j < 20 and (n := _in_run(toks, e, j, b, lex)):
        e += n
    if e == j or e >= b:
        return None
    k = e
    if toks[k].text == "," and k + 1 < b and toks[k + 1].text in lex.titles:
        # "Marfan Trihartiko, Kepala Divisi Operasi, IT dan Services PT KITB, menggarisbawahi ...": a role with commas
        m = next(
            (
                x
                for x in range(k + 2, min(b - 1, k + 26))
                if toks[x].text == "," and _verb_like(toks[x + 1].text)
            ),
            None,
        )
        if m is not None:
            return _name_ref(unit, j, e)
    if toks[k].text == ",":
        # "Sean Duffy, yang juga Menteri Perhubungan, Amerika Serikat, mengungkapkan": asides up to the verb
        m = next(
            (
                x
                for x in range(k + 1, min(b - 1, k + 30))
                if toks[x].text == "," and _verb_like(toks[x + 1].text)
            ),
            None,
        )
        if m is not None and m > k:
            ref = _leading_subject(unit, j, m, lex)
            if ref is not None:
                return ref
    if toks[k].text == "," and k + 1 < b and _verb_like(toks[k + 1].text):  # "Agus Pambagio, menilai, ..."
        k += 1
    elif (
        toks[k].text == ","
    ):  # "X, anggota tim kuasa hukum, mengatakan" / "Pengajar X, Ike Anggraeni, menilai"
        k2 = next((m for m in range(k + 1, min(b, k + 12)) if toks[m].text == ","), None)
        names = range(k + 1, k2) if k2 is not None else range(0)
        if len(names) and all(toks[x].text[:1].isupper() and toks[x].text not in lex.titles for x in names):
            j, e = k + 1, k2 if k2 is not None else e
        k = k2 + 1 if k2 is not None else k
    while k < b and toks[k].text.lower() in lex.adverbs:
        k += 1
    word = toks[k].text if k < b else ""
    if _verb_like(word) and not word.startswith(
        "di"
    ):  # "Zulkifli diyakini mampu ...": a passive's subject says nothing
        return _name_ref(unit, j, e)
    return None


def _verb_like(word: str) -> bool:
    # "menurutnya" opens a statement ("Sebab, menurutnya ..."), it is no verb with a subject
    return (
        word[:1].islower()
        and word.startswith(_VERB_PREFIXES)
        and len(word) > 4
        and not word.startswith("menurut")
    )


# ---------------------------------------------------------------------------------------------- the component


def find_quotes(units: list[Unit]) -> list[Found]:
    """Direct and indirect quotes in units of running text, in document order, speakers not yet resolved."""
    direct = _find_direct(units)
    indirect = _find_indirect(units, direct)
    found = direct + indirect
    found += _credited_back(units, found)
    found.sort(key=lambda q: (q.unit, q.start))
    return found


_BACKGROUND = (
    "sebelumnya",
    "berikut",
    "sementara itu",
    "diketahui",
    "sebagai informasi",
    "seperti diketahui",
)


@cache
def _passive_cues() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    rows = read_tsv("quotes", "passive_cues.tsv")
    openers = frozenset(tuple(r["words"].split()) for r in rows if r["kind"] == "opener")
    verbs = frozenset(r["words"] for r in rows if r["kind"] == "verb")
    return openers, verbs


def _credited_back(units: list[Unit], found: list[Found]) -> list[Found]:
    """ "Pemerintah akan menaikkan harga BBM. Hal itu disampaikan Menteri ESDM Bahlil di Jakarta." : the sentence
    before is an indirect quote of the speaker the second sentence names."""
    openers, verbs = _passive_cues()
    out: list[Found] = []
    # the previous sentence: (unit, a, b), or (unit, -1, -1) for "the last sentence of that unit", found lazily
    prev: tuple[int, int, int] | None = None
    for u, unit in enumerate(units):
        if not unit.may_quote and not any(v in unit.text for v in verbs):
            prev = (u, -1, -1) if unit.text.strip() else prev
            continue
        toks = unit.tokens
        for a, b in unit.sents:
            words = [t.text.lower() for t in toks[a : min(b, a + 4)]]
            hit = next((n for n in (3, 2, 1) if tuple(words[:n]) in openers), 0)
            if hit and a + hit < b and toks[a + hit].text.lower() in verbs and prev is not None:
                v = a + hit
                j = v + 1
                if j < b and toks[j].text == "oleh":
                    j += 1
                ref, _ = speaker_after(unit, j, b)
                pu, pa, pb = prev
                punit = units[pu]
                if pa < 0:
                    pa, pb = punit.sents[-1] if punit.sents else (0, 0)
                span = _clause(punit, pa, pb)
                lead = punit.text[span[0] : span[0] + 40].lower() if span else ""
                if lead.startswith(_BACKGROUND) or any(w in lead for w in ("ditulis", "dilansir", "dikutip")):
                    span = None  # background or another outlet's report, not the words of the speaker named after
                if ref is not None and span is not None and ref.form in ("name", "role", "description"):
                    s0, s1 = span
                    taken = any(q.unit == pu and q.outer_start < s1 and s0 < q.outer_end for q in found + out)
                    if not taken and not any(c in punit.text[s0:s1] for c in DOUBLE):
                        ref.unit = u
                        q = Found(pu, s0, s1, "indirect", s0, s1, cue=toks[v].text.lower(), speaker=ref)
                        q.cue_span = (u, toks[v].start, toks[v].end)
                        out.append(q)
            prev = (u, a, b)
    return out


def add_quotes(article: Article) -> Article:
    """Fill ``article.quotes`` (direct and indirect, speakers resolved to the article's entities)."""
    from warta.understand.speakers import resolve

    if article.language and article.language not in QUOTE_LANGUAGES:
        # the cues are Indonesian (and Malay); a page in another language gets no quotes rather than guesses
        return article
    units = [Unit.of(p) for p in article.body]
    found = find_quotes(units)
    resolve(found, units, article.entities, subject_finder(units, found))
    warnings = _unclosed_warnings(found, units)
    quotes: list[Quote] = []
    for q in found:
        unit = units[q.unit]
        mention = None
        if q.speaker is not None:
            ref = q.speaker
            mention = Mention(paragraph=ref.unit, start=ref.start, end=ref.end, text=ref.text)
            if ref.form == "name" and ref.name_start >= 0:
                mention = Mention(
                    paragraph=ref.unit, start=ref.name_start, end=ref.name_end, text=unit_text(units, ref)
                )
        quotes.append(
            Quote(
                paragraph=q.unit,
                start=q.start,
                end=q.end,
                text=unit.text[q.start : q.end],
                kind=q.kind,  # type: ignore[arg-type]
                cue=q.cue,
                speaker=Speaker(name=q.speaker_name, entity_id=q.entity_id, mention=mention),
            )
        )
    if warnings:
        provenance = msgspec.structs.replace(
            article.provenance, warnings=[*article.provenance.warnings, *warnings]
        )
        return msgspec.structs.replace(article, quotes=quotes, provenance=provenance)
    return msgspec.structs.replace(article, quotes=quotes)


def _unclosed_warnings(found: list[Found], units: list[Unit]) -> list[str]:
    """A quote opened and never closed (not continued by the next paragraph) is kept up to its paragraph's end,
    and said so in provenance."""
    out = []
    last_of_chain: dict[int, Found] = {}
    for q in found:
        if q.kind == "direct":
            last_of_chain[q.chain] = q
    for q in last_of_chain.values():
        text = units[q.unit].text
        if q.outer_end == len(text) and text.rstrip()[-1:] not in DOUBLE | SINGLE:
            out.append(
                f"quotes: paragraph {q.unit}: a quote mark is never closed; the quote is taken to the paragraph end"
            )
    return out


def unit_text(units: list[Unit], ref: SpeakerRef) -> str:
    return units[ref.unit].text[ref.name_start : ref.name_end]


__all__ = [
    "Found",
    "SpeakerRef",
    "Unit",
    "add_quotes",
    "find_quotes",
    "lexicon",
    "post_cue",
    "subject_finder",
]
