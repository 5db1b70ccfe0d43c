"""Features of the NER tagger, shared by training (train/ner.py) and tagging (warta.understand.ner).

The features are built so that tagging can be fast: every feature of a token either depends on one
word only (its form, shape, affixes, word cluster, gazetteer and title-cue flags), looked at from a
fixed offset (-2 .. +2), or is one of a few sentence-level attributes (first position, gazetteer span
match). A word-only feature set is computed once per word type and cached; at tagging time its
weights are summed into one score vector per (word type, offset) and cached too.

Attribute strings are ``"{offset}:{feature}"`` for word features (``"0:w=presiden"``,
``"-1:sh=Xx"``) and ``"s:{feature}"`` for sentence-level ones.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

BOS = "<S>"
EOS = "</S>"
OFFSETS = (-2, -1, 0, 1, 2)
MAX_SPAN = 6

_SHAPE_SUB = (
    (re.compile(r"[A-Z]+"), "X"),
    (re.compile(r"[a-z]+"), "x"),
    (re.compile(r"[0-9]+"), "d"),
)
_NON_ASCII_UPPER = re.compile(r"[^\W\d_]")


def shape(word: str) -> str:
    """Collapsed word shape: "Putin" -> "Xx", "AS" -> "X", "2022" -> "d", "PDI-P" -> "X-X"."""
    s = word
    for pattern, rep in _SHAPE_SUB:
        s = pattern.sub(rep, s)
    if len(s) > 6:
        s = s[:6]
    return s


@dataclass
class Lexicon:
    """The word-level knowledge the features look up: clusters, capitalisation, gazetteer, cues."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cap_ratio: dict[str, int] = field(default_factory=dict)
    gaz_tokens: dict[str, int] = field(default_factory=dict)  # word -> flag bits (see flag_names)
    gaz_names: dict[tuple[str, ...], str] = field(default_factory=dict)
    gaz_first: dict[str, int] = field(default_factory=dict)
    cues: dict[str, str] = field(default_factory=dict)


def _resource(name: str) -> bytes:
    return resources.files("warta.resources").joinpath(name).read_bytes()


def read_clusters(lines: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Parse clusters.tsv lines: ``word<TAB>c_small<TAB>c_mid<TAB>c_large<TAB>cap_bucket``."""
    clusters: dict[str, tuple[str, ...]] = {}
    caps: dict[str, int] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 5:
            continue
        clusters[parts[0]] = tuple(parts[1:4])
        caps[parts[0]] = int(parts[4])
    return clusters, caps


_FLAG_NAMES = tuple(f"{t}{suffix}" for t in ("PER", "ORG", "LOC") for suffix in ("", "b", "e", "1"))
_FLAG_BIT = {name: 1 << i for i, name in enumerate(_FLAG_NAMES)}


@lru_cache(maxsize=4096)
def flag_names(mask: int) -> frozenset[str]:
    """The gazetteer flags in a bit mask: "PER" (in a person name), "PERb" (first word of a longer
    one), "PERe" (last word), "PER1" (a one-word name), and the same for ORG and LOC."""
    return frozenset(name for name, bit in _FLAG_BIT.items() if mask & bit)


def read_gazetteer(lines: Iterable[str]) -> tuple[dict[str, int], dict[tuple[str, ...], str], dict[str, int]]:
    """Parse gazetteer.tsv lines (``TYPE<TAB>name``) into token flag masks and a span table."""
    tokens: dict[str, int] = {}
    names: dict[tuple[str, ...], str] = {}
    first: dict[str, int] = {}
    bit = _FLAG_BIT
    get = tokens.get
    for line in lines:
        if not line or line[0] == "#":
            continue
        typ, _, name = line.partition("\t")
        toks = tuple(name.split())
        n = len(toks)
        if not n or n > MAX_SPAN:
            continue
        names.setdefault(toks, typ)
        if first.get(toks[0], 0) < n:
            first[toks[0]] = n
        if n == 1:
            w = toks[0]
            tokens[w] = get(w, 0) | bit[typ] | bit[typ + "1"]
            continue
        inner = bit[typ]
        w = toks[0]
        tokens[w] = get(w, 0) | inner | bit[typ + "b"]
        w = toks[-1]
        tokens[w] = get(w, 0) | inner | bit[typ + "e"]
        for w in toks[1:-1]:
            tokens[w] = get(w, 0) | inner
    return tokens, names, first


def read_cues(text: str) -> dict[str, str]:
    """Title and role cue words from titles.tsv: word -> kind (role, abbrev, honorific, word)."""
    cues: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        surface, kind = line.split("\t")[:2]
        for i, w in enumerate(surface.split()):
            key = w.lower()
            k = kind if i == 0 else "word"
            if key not in cues or cues[key] == "word":
                cues[key] = k
    return cues


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The lexicon built from the files shipped in warta/resources (see resources/ner/README.md)."""
    clusters, caps = read_clusters(gzip.decompress(_resource("ner/clusters.tsv.gz")).decode("utf-8").splitlines())
    gtoks, gnames, gfirst = read_gazetteer(gzip.decompress(_resource("ner/gazetteer.tsv.gz")).decode("utf-8").splitlines())
    cues = read_cues(_resource("titles.tsv").decode("utf-8"))
    return Lexicon(clusters, caps, gtoks, gnames, gfirst, cues)


class Featurizer:
    """Turns words into attribute strings; caches the word-level part per word type."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._cache: dict[str, tuple[tuple[str, ...], ...]] = {}

    def feature_parts(self, word: str) -> tuple[list[str], list[str], list[str]]:
        """Unprefixed features of one word: (seen from 2 away, seen from next door, the word itself)."""
        if word in (BOS, EOS):
            tag = ["BOS" if word == BOS else "EOS"]
            return tag, tag, tag
        lex = self.lex
        low = word.lower()
        sh = shape(word)
        core = [f"w={low}", f"sh={sh}"]
        near = [f"w={low}", f"sh={sh}"]
        far = [f"w={low}"]
        cl = lex.clusters.get(low)
        if cl is not None:
            core += [f"c1={cl[0]}", f"c2={cl[1]}", f"c3={cl[2]}"]
            near += [f"c2={cl[1]}", f"c3={cl[2]}"]
            far.append(f"c1={cl[0]}")
            core.append(f"cap={lex.cap_ratio.get(low, -1)}")
        else:
            core.append("c=none")
        if len(low) > 3:
            core += [f"p3={low[:3]}", f"s3={low[-3:]}", f"s4={low[-4:]}", f"p4={low[:4]}"]
        core += [f"p2={low[:2]}", f"s2={low[-2:]}"]
        if word[:1].isupper():
            core.append("title")
            near.append("title")
            if word.isupper() and len(word) > 1:
                core.append("upper")
        if any(ch.isdigit() for ch in word):
            core.append("digit")
        if "-" in word:
            core.append("hyph")
        core.append(f"len={min(len(word), 8)}")
        if low.endswith("nya") and len(low) > 5:
            core.append("nya")
        mask = lex.gaz_tokens.get(word)
        if mask:
            flags = sorted(flag_names(mask))
            for f in flags:
                core.append(f"g={f}")
            for f in flags:
                if len(f) == 3:
                    near.append(f"g={f}")
        cue = lex.cues.get(low)
        if cue is not None:
            core.append(f"cue={cue}")
            near.append(f"cue={cue}")
            far.append(f"cue={cue}")
        return far, near, core

    def word_features(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Features of one word, by offset: index 0..4 for offsets -2..+2 (already prefixed)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        far, near, core = self.feature_parts(word)
        result = (
            tuple("-2:" + f for f in far),
            tuple("-1:" + f for f in near),
            tuple("0:" + f for f in core),
            tuple("1:" + f for f in near),
            tuple("2:" + f for f in far),
        )
        if len(self._cache) < 500_000:
            self._cache[word] = result
        return result

    def gazetteer_matches(self, words: Sequence[str], candidates: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
        """Longest gazetteer names, left to right without overlap: (start, length, type).

        ``candidates`` (ascending) limits where a name may start; by default anywhere.
        """
        n = len(words)
        names = self.lex.gaz_names
        first = self.lex.gaz_first
        out: list[tuple[int, int, str]] = []
        free = 0
        for i in range(n) if candidates is None else candidates:
            if i < free:
                continue
            longest = first.get(words[i], 0)
            for length in range(min(longest, n - i), 0, -1):
                t = names.get(tuple(words[i : i + length]))
                if t is not None:
                    out.append((i, length, t))
                    free = i + length
                    break
        return out

    def sentence_features(self, words: Sequence[str]) -> list[list[str]]:
        """Sentence-level attributes of each token: first position and gazetteer span matches."""
        n = len(words)
        out: list[list[str]] = [[] for _ in range(n)]
        if n:
            out[0].append("s:first")
        for i, length, typ in self.gazetteer_matches(words):
            multi = "m" if length > 1 else "1"
            out[i].append(f"s:gz=B-{typ}{multi}")
            for j in range(i + 1, i + length):
                out[j].append(f"s:gz=I-{typ}")
        return out

    def attributes(self, words: Sequence[str]) -> list[list[str]]:
        """All attribute strings of each token (what training sees)."""
        padded = [BOS, BOS, *words, EOS, EOS]
        feats = [self.word_features(w) for w in padded]
        sent = self.sentence_features(words)
        result: list[list[str]] = []
        for i in range(len(words)):
            attrs: list[str] = ["bias"]
            for k in range(5):
                attrs.extend(feats[i + k][k])
            attrs.extend(sent[i])
            result.append(attrs)
        return result


__all__ = ["BOS", "EOS", "OFFSETS", "Featurizer", "Lexicon", "read_clusters", "read_cues", "read_gazetteer", "shape", "shipped_lexicon"]
