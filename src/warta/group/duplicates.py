"""Exact and near duplicates: normalised word shingles, MinHash signatures (rensa), LSH bands.

Signature computation (`fingerprint`, `band_keys`) is a pure function of the texts, separate from
the index (`DuplicateIndex`), so signatures can be computed in Dask tasks and their band keys
shuffled across workers, then matched wherever the index lives.

Normalisation: lower case, ASCII punctuation and typographic quotes/dashes become spaces, then
word 3-shingles (configurable). Texts of fewer words than the shingle size are shingled by word.
"""

from __future__ import annotations

import re
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
_TYPOGRAPHIC_RE = re.compile(b"|".join(re.escape(mark) for mark in _TYPOGRAPHIC))
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX3 = np.uint64(0x165667B19E3779F9)
_EMPTY = 0xFFFFFFFF


class MinHashConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Parameters that must match between signatures and the index they go into.

    The LSH bands use the first ``bands * rows`` values of a signature; all ``num_perm`` values are
    kept (16 bits each) to estimate the similarity of a candidate pair precisely."""

    num_perm: int = 256
    bands: int = 32
    rows: int = 4
    shingle: int = 3
    seed: int = 1729

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows ({self.bands} x {self.rows}) exceeds num_perm ({self.num_perm})")

    def candidate_probability(self, jaccard: float) -> float:
        """Chance that two texts with this Jaccard similarity share at least one band."""
        return float(1.0 - (1.0 - jaccard**self.rows) ** self.bands)


def normalise_words(text: str) -> list[bytes]:
    """The text's words as the signatures see them: ASCII lower case, punctuation and typographic
    quotes/dashes dropped (UTF-8 bytes, for speed)."""
    return _normalised_bytes(text).split()


def _normalised_bytes(text: str) -> bytes:
    # ASCII case folding on the bytes (Indonesian news is ASCII; other scripts keep their case).
    data = text.encode("utf-8").lower()
    if b"\xe2" in data or b"\xc2" in data:
        data = _TYPOGRAPHIC_RE.sub(b" ", data)
    return data.translate(_PUNCT_TABLE)


# Position multipliers for the word hash (fixed: signatures must not change between runs).
_POS = np.random.default_rng(20251120).integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)
_WORD_POW = np.random.default_rng(20251121).integers(1, 2**63, size=1 << 16, dtype=np.uint64) | np.uint64(1)


def _mix(x: U64) -> U64:
    """The murmur3 64-bit finaliser, vectorised."""
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> np.uint64(33))


def word_hashes(texts: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
    """Stable 64-bit hashes of every normalised word of every text (flat), and words per text.

    Vectorised over the joined bytes: a word's hash is a position-weighted sum of its bytes
    (multipliers fixed by a seed), mixed; no Python object is made per word."""
    parts = [_normalised_bytes(t) for t in texts]
    joined = b" ".join(parts) + b" "
    # text i ends (exclusive) at ends[i] in the joined buffer
    ends = np.cumsum(np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts)))
    data = np.frombuffer(joined, dtype=np.uint8)
    space = data == 32
    starts = np.flatnonzero(~space & np.concatenate(([True], space[:-1])))
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(len(texts), dtype=np.int64)
    first = int(starts[0])
    seg = np.diff(np.append(starts, data.size))
    pos = np.arange(data.size - first, dtype=np.int64) - np.repeat(starts - first, seg)
    contrib = data[first:].astype(np.uint64) * _POS[pos & 63]
    contrib[space[first:]] = 0
    letters = np.add.reduceat((~space[first:]).astype(np.uint64), starts - first)
    hashes = _mix(np.add.reduceat(contrib, starts - first) ^ (letters * _MIX3))
    per_text = np.diff(np.concatenate(([0], np.searchsorted(starts, ends))))
    return hashes, per_text


class Fingerprints(msgspec.Struct, kw_only=True):
    """Per text: MinHash signature (uint32 x num_perm), exact hash of the normalised words, size."""

    signatures: U32
    exact: U64
    words: npt.NDArray[np.int64]


def fingerprint(texts: Sequence[str], config: MinHashConfig | None = None) -> Fingerprints:
    """MinHash signatures of many texts at once (pure; vectorised over the batch)."""
    config = config or MinHashConfig()
    k = config.shingle
    hashes, lens = word_hashes(texts)
    ends = np.cumsum(lens)
    # Exact hash: position-weighted sum of the word hashes of each text, mixed.
    if hashes.size:
        index_in_text = np.arange(hashes.size, dtype=np.int64) - np.repeat(ends - lens, lens)
        weighted = hashes * _WORD_POW[index_in_text & 0xFFFF]
        nonempty = lens > 0
        sums = np.zeros(len(texts), dtype=np.uint64)
        sums[nonempty] = np.add.reduceat(weighted, (ends - lens)[nonempty])
    else:
        sums = np.zeros(len(texts), dtype=np.uint64)
    exact = _mix(sums ^ (lens.astype(np.uint64) * _MIX1))
    starts = ends - lens
    # Shingle i combines words i..i+k-1; it is valid when it stays inside its text.
    n = hashes.size
    if n >= k:
        sh = hashes[: n - k + 1] * _MIX1
        for j in range(1, k):
            sh = (sh ^ (sh >> np.uint64(29))) * _MIX2 + hashes[j : n - k + 1 + j]
        long_enough = lens >= k
        # Mark valid shingle starts per text with a difference array (indices are distinct).
        mark = np.zeros(n - k + 2, dtype=np.int64)
        mark[starts[long_enough]] += 1
        mark[(ends - k + 1)[long_enough]] -= 1
        valid = np.cumsum(mark[:-1]) > 0
        shingles = sh[valid]
    else:
        long_enough = np.zeros(len(texts), dtype=bool)
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
    signatures = np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(texts), config.num_perm)
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

    def exact_hash(self, doc: int) -> int:
        return int(self._exact[doc])

    def _grow(self, need: int | None = None) -> None:
        need = self.size + 1 if need is None else need
        if need > self._exact.size:
            cap = max(need, self._exact.size * 2)
            sigs = np.empty((cap, self._sigs.shape[1]), dtype=np.uint16)
            sigs[: self.size] = self._sigs[: self.size]
            exact = np.empty(cap, dtype=np.uint64)
            exact[: self.size] = self._exact[: self.size]
            self._sigs, self._exact = sigs, exact

    def add_many(
        self, signatures: U32, exact: U64, keys: U64 | None = None, depth: int = 8
    ) -> list[tuple[int, list[Match]]]:
        """Index a batch of texts at once (vectorised); the same answers as ``add`` one by one, each
        text matched against everything before it, earlier texts of the batch included (within a
        run of texts sharing one band key, against the ``depth`` before it: enough to connect
        copies, without the quadratic cost of a thousand identical pages)."""
        n = signatures.shape[0]
        if n == 0:
            return []
        if keys is None:
            keys = band_keys(signatures, self.config)
        first = self.size
        self._grow(first + n)
        sig16 = (signatures & 0xFFFF).astype(np.uint16)
        self._sigs[first : first + n] = sig16
        self._exact[first : first + n] = exact
        self.size += n
        all_keys = np.concatenate((keys, exact_key(exact)[:, None]), axis=1)
        width = all_keys.shape[1]
        owner = np.repeat(np.arange(n, dtype=np.int64), width)
        empty = np.all(signatures == _EMPTY, axis=1)
        valid = ~empty[owner]
        flat, flat_owner = all_keys.ravel()[valid], owner[valid]
        # candidates already stored
        rows, docs = self.keys.lookup_many(flat)
        pair_owner = [flat_owner[rows]]
        pair_doc = [docs.astype(np.int64)]
        # candidates earlier in this batch: same key, earlier owner
        order = np.lexsort((flat_owner, flat))
        sk, so = flat[order], flat_owner[order]
        for d in range(1, min(depth, sk.size - 1) + 1):
            same = sk[d:] == sk[:-d]
            if not same.any():
                break
            pair_owner.append(so[d:][same])
            pair_doc.append(so[:-d][same] + first)
        owners = np.concatenate(pair_owner)
        cands = np.concatenate(pair_doc)
        results: list[tuple[int, list[Match]]] = [(first + i, []) for i in range(n)]
        if owners.size:
            code = np.unique(owners.astype(np.uint64) << np.uint64(32) | cands.astype(np.uint64))
            owners = (code >> np.uint64(32)).astype(np.int64)
            cands = (code & np.uint64(0xFFFFFFFF)).astype(np.int64)
            sims = np.count_nonzero(self._sigs[cands] == sig16[owners], axis=1) / sig16.shape[1]
            same_text = self._exact[cands] == exact[owners]
            keep = same_text | (sims >= self.min_similarity)
            for o, c, sim, e in zip(
                owners[keep].tolist(), cands[keep].tolist(), sims[keep].tolist(), same_text[keep].tolist(), strict=True
            ):
                results[o][1].append(Match(c, 1.0 if e else sim, e))
            for _, matches in results:
                if len(matches) > 1:
                    matches.sort(key=lambda m: (-m.similarity, m.doc))
        self.keys.insert_many(flat, (flat_owner + first).astype(np.uint32))
        return results

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
