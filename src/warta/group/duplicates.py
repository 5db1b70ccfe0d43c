"""Exact and near duplicates: normalised word shingles, MinHash signatures (rensa), LSH bands.

Signature computation (`fingerprint`, `band_keys`) is a pure function of the texts, separate from
the index (`DuplicateIndex`), so signatures can be computed in Dask tasks and their band keys
shuffled across workers, then matched wherever the index lives.

Normalisation: lower case, ASCII punctuation and typographic quotes/dashes become spaces, then
word 3-shingles (configurable). Texts of fewer words than the shingle size are shingled by word.
"""

from __future__ import annotations

import hashlib
import itertools
import string
from collections.abc import Sequence

import msgspec
import numpy as np
import numpy.typing as npt
import rensa

from warta.group.keyindex import KeyIndex

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
U16 = npt.NDArray[np.uint16]

_PUNCT_TABLE = bytes(32 if (i < 33 or chr(i) in string.punctuation) else i for i in range(256))
_TYPOGRAPHIC = tuple(
    ch.encode("utf-8") for ch in "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00a0\u201e\u00ab\u00bb\u2022"
)
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX3 = np.uint64(0x165667B19E3779F9)
_EMPTY = 0xFFFFFFFF


class MinHashConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Parameters that must match between signatures and the index they go into."""

    num_perm: int = 128
    bands: int = 32
    shingle: int = 3
    seed: int = 1729

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    def candidate_probability(self, jaccard: float) -> float:
        """Chance that two texts with this Jaccard similarity share at least one band."""
        return float(1.0 - (1.0 - jaccard**self.rows) ** self.bands)


def normalise_words(text: str) -> list[bytes]:
    """The text's words, lower-cased, without punctuation (as UTF-8 bytes, for speed)."""
    data = text.lower().encode("utf-8")
    if b"\xe2\x80" in data or b"\xc2" in data:
        for mark in _TYPOGRAPHIC:
            data = data.replace(mark, b" ")
    return data.translate(_PUNCT_TABLE).split()


class _WordHashes:
    """Stable 64-bit word hashes (blake2b), memoised; the memo is bounded and holds no state."""

    def __init__(self, limit: int = 2_000_000) -> None:
        self.cache: dict[bytes, int] = {}
        self.limit = limit

    def __call__(self, words: list[bytes]) -> U64:
        cache = self.cache
        missing = set(words).difference(cache)
        if missing:
            if len(cache) + len(missing) > self.limit:
                cache.clear()
                missing = set(words)
            blake = hashlib.blake2b
            for word in missing:
                cache[word] = int.from_bytes(blake(word, digest_size=8).digest(), "little")
        return np.array(list(map(cache.__getitem__, words)), dtype=np.uint64)


_word_hashes = _WordHashes()


class Fingerprints(msgspec.Struct, kw_only=True):
    """Per text: MinHash signature (uint32 x num_perm), exact hash of the normalised words, size."""

    signatures: U32
    exact: U64
    words: npt.NDArray[np.int64]


def fingerprint(texts: Sequence[str], config: MinHashConfig | None = None) -> Fingerprints:
    """MinHash signatures of many texts at once (pure; vectorised over the batch)."""
    config = config or MinHashConfig()
    k = config.shingle
    per_text = [normalise_words(t) for t in texts]
    lens = np.fromiter(map(len, per_text), dtype=np.int64, count=len(per_text))
    flat = list(itertools.chain.from_iterable(per_text))
    hashes = _word_hashes(flat)
    exact = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(b" ".join(words), digest_size=8).digest(), "little")
            for words in per_text
        ),
        dtype=np.uint64,
        count=len(per_text),
    )
    ends = np.cumsum(lens)
    starts = ends - lens
    # Shingle i combines words i..i+k-1; it is valid when it stays inside its text.
    n = hashes.size
    if n >= k:
        sh = hashes[: n - k + 1] * _MIX1
        for j in range(1, k):
            sh = (sh ^ (sh >> np.uint64(29))) * _MIX2 + hashes[j : n - k + 1 + j]
        valid = np.zeros(n - k + 1, dtype=bool)
        long_enough = lens >= k
        # Mark valid shingle starts per text with a difference array.
        mark = np.zeros(n - k + 2, dtype=np.int64)
        np.add.at(mark, starts[long_enough], 1)
        np.add.at(mark, (ends - k + 1)[long_enough], -1)
        valid = np.cumsum(mark[:-1]) > 0
        shingles = sh[valid]
    else:
        long_enough = np.zeros(len(per_text), dtype=bool)
        shingles = np.empty(0, dtype=np.uint64)
    counts = np.where(long_enough, lens - k + 1, 0)
    # Short texts: their words stand in for shingles.
    short = np.flatnonzero(~long_enough & (lens > 0))
    if short.size:
        pieces: list[U64] = []
        offsets = np.concatenate(([0], np.cumsum(counts)))
        cursor = 0
        for i in short.tolist():
            pieces.append(shingles[cursor : offsets[i]])
            pieces.append(hashes[starts[i] : ends[i]])
            cursor = int(offsets[i])
        pieces.append(shingles[cursor:])
        shingles = np.concatenate(pieces)
        counts = np.where(long_enough, counts, lens)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        shingles, offsets, config.num_perm, config.seed
    )
    signatures = np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(per_text), config.num_perm)
    return Fingerprints(signatures=signatures, exact=exact, words=lens)


def band_keys(signatures: U32, config: MinHashConfig | None = None) -> U64:
    """One 64-bit key per LSH band per signature: shape (n, bands). Pure."""
    config = config or MinHashConfig()
    rows = config.rows
    sig = signatures[:, : config.bands * rows].astype(np.uint64).reshape(-1, config.bands, rows)
    keys = np.zeros(sig.shape[:2], dtype=np.uint64)
    for j in range(rows):
        keys = (keys ^ sig[:, :, j]) * _MIX1
        keys ^= keys >> np.uint64(31)
    keys ^= (np.arange(config.bands, dtype=np.uint64) + np.uint64(1)) * _MIX3
    return keys


def exact_key(exact: U64) -> U64:
    """The index key for an exact-text hash (kept apart from band keys)."""
    return (exact ^ _MIX2) * _MIX3


def similarity(a: U16, b: U16) -> float:
    """Estimated Jaccard similarity of two (truncated) signatures."""
    return float(np.count_nonzero(a == b)) / a.size


class Match(msgspec.Struct, frozen=True):
    doc: int
    similarity: float
    exact: bool


class DuplicateIndex:
    """Incremental index of signatures: finds, for a new text, earlier texts that are exact or near
    copies. Keeps 16 bits of each signature value (enough to estimate similarity) and one key per
    band: ~ (2 x num_perm + 12 x (bands + 1)) bytes per document."""

    def __init__(self, config: MinHashConfig | None = None, min_similarity: float = 0.3) -> None:
        self.config = config or MinHashConfig()
        self.min_similarity = min_similarity
        self.keys = KeyIndex()
        self._sigs: U16 = np.empty((1024, self.config.num_perm), dtype=np.uint16)
        self._exact: U64 = np.empty(1024, dtype=np.uint64)
        self.size = 0

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.size * (self._sigs.shape[1] * 2 + 8)

    def signature(self, doc: int) -> U16:
        return self._sigs[doc]

    def _grow(self) -> None:
        if self.size == self._exact.size:
            cap = self._exact.size * 2
            sigs = np.empty((cap, self._sigs.shape[1]), dtype=np.uint16)
            sigs[: self.size] = self._sigs[: self.size]
            exact = np.empty(cap, dtype=np.uint64)
            exact[: self.size] = self._exact[: self.size]
            self._sigs, self._exact = sigs, exact

    def add(self, signature: U32, exact: int, keys: U64 | None = None) -> tuple[int, list[Match]]:
        """Index one text; return its doc number and its matches among earlier texts (best first).

        An empty text (no words) is given a doc number but neither matched nor indexed."""
        self._grow()
        doc = self.size
        self.size += 1
        sig16 = (signature & 0xFFFF).astype(np.uint16)
        self._sigs[doc] = sig16
        self._exact[doc] = exact
        if int(signature[0]) == _EMPTY and bool(np.all(signature == _EMPTY)):
            return doc, []
        if keys is None:
            keys = band_keys(signature.reshape(1, -1), self.config)[0]
        ekey = exact_key(np.array([exact], dtype=np.uint64))
        all_keys = np.concatenate((keys, ekey))
        candidates = self.keys.lookup(all_keys)
        matches: list[Match] = []
        if candidates:
            cand = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
            sims = np.count_nonzero(self._sigs[cand] == sig16, axis=1) / sig16.size
            same = self._exact[cand] == exact
            for c, s, e in zip(cand.tolist(), sims.tolist(), same.tolist(), strict=True):
                if e or s >= self.min_similarity:
                    matches.append(Match(c, 1.0 if e else s, e))
            matches.sort(key=lambda m: (-m.similarity, m.doc))
        self.keys.insert(all_keys.tolist(), doc)
        return doc, matches

    def dumps(self) -> dict[str, bytes | int]:
        keys, docs = self.keys.arrays()
        return {
            "size": self.size,
            "sigs": self._sigs[: self.size].tobytes(),
            "exact": self._exact[: self.size].tobytes(),
            "keys": keys.tobytes(),
            "docs": docs.tobytes(),
        }

    @classmethod
    def loads(
        cls, data: dict[str, bytes | int], config: MinHashConfig, min_similarity: float
    ) -> DuplicateIndex:
        index = cls(config, min_similarity)
        size = int(data["size"])  # type: ignore[arg-type]
        cap = max(1024, size * 2)
        index._sigs = np.empty((cap, config.num_perm), dtype=np.uint16)
        index._sigs[:size] = np.frombuffer(data["sigs"], dtype=np.uint16).reshape(size, config.num_perm)  # type: ignore[arg-type]
        index._exact = np.empty(cap, dtype=np.uint64)
        index._exact[:size] = np.frombuffer(data["exact"], dtype=np.uint64)  # type: ignore[arg-type]
        index.size = size
        index.keys = KeyIndex(
            np.frombuffer(data["keys"], dtype=np.uint64).copy(),  # type: ignore[arg-type]
            np.frombuffer(data["docs"], dtype=np.uint32).copy(),  # type: ignore[arg-type]
        )
        return index
