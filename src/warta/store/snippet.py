"""Highlighted snippets, computed in Python from the stored body so both backends give the same ones."""

from __future__ import annotations

from collections.abc import Sequence

from warta.store.analysis import TOKEN_RE, fold, stem_words
from warta.store.base import Highlight

SNIPPET_CHARS = 240


def _cores(stems: set[str], prefixes: set[str]) -> list[str]:
    """Substrings that any word matching the query must contain (lower case): a stem without its first
    letter survives the nasal changes of Indonesian prefixes (menyapu -> sapu, memukul -> pukul)."""
    return sorted({t[1:] if len(t) > 3 else t for t in stems | prefixes})


def _matches(text: str, stems: set[str], prefixes: set[str], cores: list[str] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the words of ``text`` that match. With ``cores``, only the words holding
    one of them are looked at (found with str.find, not by tokenizing the whole paragraph)."""
    lower = text.lower()
    if cores is not None and len(lower) == len(text):
        spans: dict[int, int] = {}
        for core in cores:
            i = lower.find(core)
            while i >= 0 and len(spans) < 200:
                s = i
                while s > 0 and lower[s - 1].isalnum():
                    s -= 1
                e = i + len(core)
                while e < len(lower) and lower[e].isalnum():
                    e += 1
                spans[s] = e
                i = lower.find(core, e)
        words = [(s, e, text[s:e]) for s, e in sorted(spans.items())]
    else:
        words = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
    if not words:
        return []
    folded = [fold(t) for _, _, t in words]
    stemmed = stem_words(folded)
    found = []
    for (start, end, _), token, st in zip(words, folded, stemmed, strict=True):
        if st in stems or any(st.startswith(p) or token.startswith(p) for p in prefixes):
            found.append((start, end, st))
    return found


def make_snippet(
    paragraphs: Sequence[str], stems: set[str], prefixes: set[str], width: int = SNIPPET_CHARS
) -> tuple[str, list[Highlight]]:
    """The window of about ``width`` characters with the most distinct query terms, and the spans
    of the matching words in it. Without matches, the start of the first paragraph."""
    best: tuple[int, int, str, list[tuple[int, int, str]]] | None = None  # (distinct, -index, text, matches)
    if stems or prefixes:
        cores = _cores(stems, prefixes)
        for index, para in enumerate(paragraphs):
            lower = para.lower()
            if not any(core in lower for core in cores):
                continue  # cheap test first: no word of the query can be in this paragraph
            found = _matches(para, stems, prefixes, cores)
            if not found:
                continue
            # slide a window starting at each match; keep the one covering most distinct stems
            for i, (start, _, _) in enumerate(found):
                window = [m for m in found[i:] if m[1] <= start + width]
                distinct = len({m[2] for m in window})
                if best is None or distinct > best[0]:
                    best = (distinct, -index, para, found)
                    best_start = start
            if best is not None and best[0] >= len(stems) + len(prefixes):
                break
    if best is None:
        text = next((p for p in paragraphs if p.strip()), "")
        return _cut(text, 0, width), []
    _, _, para, found = best
    # start a little before the first match, on a word boundary
    lo = max(0, best_start - width // 4)
    if lo > 0:
        space = para.rfind(" ", 0, lo)
        lo = space + 1 if space >= 0 and lo - space < 30 else lo
    hi = min(len(para), lo + width)
    if hi < len(para):
        space = para.rfind(" ", lo, hi)
        hi = space if space > lo + width // 2 else hi
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(para) else ""
    snippet = prefix + para[lo:hi] + suffix
    shift = len(prefix) - lo
    highlights = [Highlight(s + shift, e + shift) for s, e, _ in found if s >= lo and e <= hi]
    return snippet, highlights


def _cut(text: str, lo: int, width: int) -> str:
    if len(text) <= width:
        return text
    space = text.rfind(" ", lo, lo + width)
    hi = space if space > lo + width // 2 else lo + width
    return text[lo:hi] + "…"
