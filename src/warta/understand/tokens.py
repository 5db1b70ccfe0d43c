"""The shared tokenizer: fast, regex-based, Indonesian-aware.

``tokenize(text)`` returns ``Token(start, end, text)`` with character offsets into ``text``, so a
span found on tokens maps straight back to the paragraph (``text[tok.start:tok.end] == tok.text``).

What it does, and why:

* Words keep their clitics ("Menurutnya", "kepadanya") and their hyphenated reduplications
  ("baru-baru", "negara-negara", "se-Sulawesi", "PDI-P"), as the Indonesian NER and quote
  corpora tokenize them. ``clitic(tok)`` gives the "-nya" part of a word as its own span when one
  is there, and ``tokenize(text, split_clitics=True)`` emits it as a separate token ``nya``.
* Two capitalised names joined by a hyphen ("Rusia-Ukraina") are split into name, "-", name, so
  each can be an entity.
* Punctuation and every kind of quote mark (" “ ” ‘ ’ « » ') are tokens of their own; an
  apostrophe between letters stays inside the word ("Ma'ruf", "Jum'at").
* Numbers keep their separators ("1.000", "2,5", "16:11", "15/2", "Rp1.000,50"); URLs, e-mail addresses,
  @handles and #hashtags are single tokens; abbreviations listed in
  ``resources/abbreviations.txt`` ("Dr.", "Jl.", "Tbk.") and dotted initialisms ("S.H.",
  "a.n.", "M.Si.") keep their dots.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple


class Token(NamedTuple):
    """A token and its character span in the text it came from."""

    start: int
    end: int
    text: str


_L = r"[^\W\d_]"  # a letter (any script)
_W = r"[^\W_]"  # a letter or digit

_TOKEN_RE = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"'“”‘’()\[\]{{}}]+[^\s<>"'“”‘’()\[\]{{}}.,;:!?])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<handle>[@#][\w]+(?:\.[\w]+)*)
  | (?P<initialism>(?:{_L}{{1,3}}\.){{2,}}(?!{_W}))
  | (?P<money>(?:Rp|US\$|\$)\.?\d+(?:[.,]\d+)*(?!{_L}))
  | (?P<number>\d+(?:[.,:/]\d+)*(?:-an)?(?!{_L}))
  | (?P<word>{_W}+(?:['’]{_L}+)*(?:-{_W}+(?:['’]{_L}+)*)*(?:\.(?!\.))?)
  | (?P<ellipsis>\.{{2,}}|…)
  | (?P<dash>-{{2,}}|[–—])
  | (?P<other>\S)
    """,
    re.VERBOSE,
)

# A word ending in a dot keeps it only when it is a known abbreviation; otherwise the dot is split off.
_NAME_PART = re.compile(r"[A-Z][a-z]{2,}")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Abbreviations that end in a dot ("Dr.", "Jl."), from resources/abbreviations.txt (case-sensitive)."""
    text = resources.files("warta.resources").joinpath("abbreviations.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _not_clitic() -> frozenset[str]:
    text = resources.files("warta.resources").joinpath("nya_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def clitic(token: Token) -> Token | None:
    """The enclitic "nya" of a word such as "Menurutnya" as its own span, or None.

    Words that merely end in "nya" ("hanya", "punya", "Kenya") are listed in resources/nya_words.txt.
    """
    text = token.text
    if len(text) < 6 or not text.endswith("nya") or not text[-4].isalpha():
        return None
    lowered = text.lower()
    if lowered in _not_clitic() or lowered.rstrip("-") in _not_clitic():
        return None
    return Token(token.end - 3, token.end, "nya")


def _split_word(text: str, start: int, out: list[Token], abbrev: frozenset[str]) -> None:
    end = start + len(text)
    if text.endswith("."):
        if text in abbrev or (len(text) == 2 and text[0].isupper()):
            out.append(Token(start, end, text))
            return
        text = text[:-1]
        _split_word(text, start, out, abbrev)
        out.append(Token(end - 1, end, "."))
        return
    if "-" in text:
        parts = text.split("-")
        if len(parts) == 2 and all(_NAME_PART.fullmatch(p) for p in parts) and parts[0] != parts[1]:
            out.append(Token(start, start + len(parts[0]), parts[0]))
            out.append(Token(start + len(parts[0]), start + len(parts[0]) + 1, "-"))
            out.append(Token(start + len(parts[0]) + 1, end, parts[1]))
            return
    out.append(Token(start, end, text))


def tokenize(text: str, *, split_clitics: bool = False) -> list[Token]:
    """Tokens of ``text`` with their character offsets.

    With ``split_clitics`` a word ending in the enclitic "-nya" gives two tokens: the stem and ``nya``.
    """
    out: list[Token] = []
    abbrev = abbreviations()
    append = out.append
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            s = m.group()
            if s[-1] == "." or "-" in s:
                _split_word(s, m.start(), out, abbrev)
            else:
                append(Token(m.start(), m.end(), s))
        else:
            append(Token(m.start(), m.end(), m.group()))
    if split_clitics:
        split: list[Token] = []
        for tok in out:
            c = clitic(tok)
            if c is None:
                split.append(tok)
            else:
                split.append(Token(tok.start, c.start, tok.text[: c.start - tok.start]))
                split.append(c)
        return split
    return out


def words(text: str) -> list[str]:
    """The token strings of ``text`` (convenience for taggers that need no offsets)."""
    return [t.text for t in tokenize(text)]


_SENT_END = frozenset({".", "!", "?"})
_CLOSERS = frozenset({"”", "’", ")", "]", "»"})
_STRAIGHT = frozenset({'"', "'"})


def sentences(tokens: list[Token]) -> list[list[Token]]:
    """Split tokens into sentences after ., ! or ? (and any closing quote or bracket after it).

    An ellipsis does not end a sentence (Indonesian news uses it inside quotes), and neither does a
    stop followed by a lower-case word.
    """
    result: list[list[Token]] = []
    current: list[Token] = []
    pending_end = False
    for tok in tokens:
        # A straight quote right after the stop closes the sentence's quote; after a space it opens the next.
        closes = tok.text in _CLOSERS or (tok.text in _STRAIGHT and bool(current) and current[-1].end == tok.start)
        # A lower-case word goes on with the sentence: '"Saya siap!" katanya.'
        if pending_end and not closes and tok.text not in _SENT_END:
            if not tok.text[0].islower():
                result.append(current)
                current = []
            pending_end = False
        current.append(tok)
        if tok.text in _SENT_END:
            pending_end = True
    if current:
        result.append(current)
    return result


__all__ = ["Token", "abbreviations", "clitic", "sentences", "tokenize", "words"]
