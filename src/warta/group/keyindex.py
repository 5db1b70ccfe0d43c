"""A compact, append-only multimap from 64-bit keys to document numbers.

The near-duplicate index stores one key per LSH band per document (plus one for the exact text
hash). A Python dict costs ~100 bytes an entry; this stores 12 (a uint64 key and a uint32 doc
number) in sorted numpy arrays, with a small dict in front for recent inserts (a two-level
log-structured merge: the buffer is folded into the sorted arrays when it grows past a fraction
of them, so the amortised cost of an insert stays O(log n) and lookups are one binary search).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


class KeyIndex:
    """Multimap uint64 key -> doc numbers (uint32), append only."""

    def __init__(self, keys: U64 | None = None, docs: U32 | None = None, min_buffer: int = 1 << 16) -> None:
        self._keys: U64 = keys if keys is not None else np.empty(0, dtype=np.uint64)
        self._docs: U32 = docs if docs is not None else np.empty(0, dtype=np.uint32)
        self._buffer: dict[int, int | list[int]] = {}
        self._buffered = 0
        self.min_buffer = min_buffer

    def __len__(self) -> int:
        return int(self._keys.size) + self._buffered

    @property
    def nbytes(self) -> int:
        """Approximate memory held (arrays exactly, the buffer at ~100 bytes an entry)."""
        return int(self._keys.nbytes + self._docs.nbytes) + 100 * self._buffered

    def lookup(self, keys: U64) -> set[int]:
        """Every doc number stored under any of ``keys``."""
        found: set[int] = set()
        if self._keys.size:
            left = np.searchsorted(self._keys, keys, side="left")
            right = np.searchsorted(self._keys, keys, side="right")
            for lo, hi in zip(left.tolist(), right.tolist(), strict=True):
                if hi > lo:
                    found.update(self._docs[lo:hi].tolist())
        if self._buffer:
            get = self._buffer.get
            for key in keys.tolist():
                hit = get(key)
                if hit is None:
                    continue
                if isinstance(hit, list):
                    found.update(hit)
                else:
                    found.add(hit)
        return found

    def insert(self, keys: Iterable[int], doc: int) -> None:
        """Store ``doc`` under each key."""
        buf = self._buffer
        for key in keys:
            hit = buf.get(key)
            if hit is None:
                buf[key] = doc
            elif isinstance(hit, list):
                hit.append(doc)
            else:
                buf[key] = [hit, doc]
            self._buffered += 1
        if self._buffered >= max(self.min_buffer, self._keys.size >> 3):
            self.flush()

    def insert_many(self, keys: U64, docs: U32) -> None:
        """Bulk insert: ``keys[i]`` -> ``docs[i]`` (goes straight into the sorted arrays)."""
        self.flush()
        self._merge(np.asarray(keys, dtype=np.uint64), np.asarray(docs, dtype=np.uint32))

    def flush(self) -> None:
        """Fold the buffer into the sorted arrays."""
        if not self._buffer:
            return
        keys: list[int] = []
        docs: list[int] = []
        for key, hit in self._buffer.items():
            if isinstance(hit, list):
                keys.extend([key] * len(hit))
                docs.extend(hit)
            else:
                keys.append(key)
                docs.append(hit)
        self._buffer = {}
        self._buffered = 0
        self._merge(np.array(keys, dtype=np.uint64), np.array(docs, dtype=np.uint32))

    def _merge(self, keys: U64, docs: U32) -> None:
        order = np.argsort(keys, kind="stable")
        keys, docs = keys[order], docs[order]
        if self._keys.size == 0:
            self._keys, self._docs = keys, docs
            return
        # Both runs are sorted: a stable sort of their concatenation is a linear merge (timsort).
        all_keys = np.concatenate((self._keys, keys))
        all_docs = np.concatenate((self._docs, docs))
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._docs = all_keys[order], all_docs[order]

    def arrays(self) -> tuple[U64, U32]:
        """The sorted (keys, docs) arrays after a flush (for serialisation)."""
        self.flush()
        return self._keys, self._docs
