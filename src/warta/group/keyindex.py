"""A compact, append-only multimap from 64-bit keys to document numbers.

The near-duplicate index stores one key per LSH band per document (plus one for the exact text
hash). A Python dict costs ~100 bytes an entry; this stores 12 (a uint64 key and a uint32 doc
number) in sorted numpy runs, log-structured: recent single inserts go to a small dict, which is
written out as a sorted run when it fills; runs of similar size are merged (a binary counter), so
there are O(log n) runs, each insert costs amortised O(log n) and a lookup is one binary search
per run. Batches (`insert_many`, `lookup_many`) skip the dict and are fully vectorised.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


class KeyIndex:
    """Multimap uint64 key -> doc numbers (uint32), append only."""

    def __init__(self, keys: U64 | None = None, docs: U32 | None = None, min_buffer: int = 1 << 16) -> None:
        self._runs: list[tuple[U64, U32]] = []
        if keys is not None and docs is not None and keys.size:
            self._runs.append((keys, docs))
        self._buffer: dict[int, int | list[int]] = {}
        self._buffered = 0
        self.min_buffer = min_buffer

    def __len__(self) -> int:
        return sum(int(k.size) for k, _ in self._runs) + self._buffered

    @property
    def runs(self) -> int:
        return len(self._runs)

    @property
    def nbytes(self) -> int:
        """Approximate memory held (arrays exactly, the buffer at ~100 bytes an entry)."""
        return sum(int(k.nbytes + d.nbytes) for k, d in self._runs) + 100 * self._buffered

    # -- lookups ---------------------------------------------------------------------------------
    def lookup(self, keys: U64) -> set[int]:
        """Every doc number stored under any of ``keys``."""
        found: set[int] = set()
        for run_keys, run_docs in self._runs:
            left = np.searchsorted(run_keys, keys)
            for pos in left[run_keys[np.minimum(left, run_keys.size - 1)] == keys].tolist():
                found.update(self._equal_range(run_keys, run_docs, pos))
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

    @staticmethod
    def _equal_range(run_keys: U64, run_docs: U32, pos: int) -> list[int]:
        end = pos + 1
        while end < run_keys.size and run_keys[end] == run_keys[pos]:
            end += 1
        return run_docs[pos:end].tolist()  # type: ignore[no-any-return]

    def lookup_many(self, keys: U64) -> tuple[I64, U32]:
        """All stored (needle index, doc) pairs for a flat array of keys, vectorised (buffer included).

        The needles are sorted once: numpy's binary search then narrows each search from the last
        one, which keeps it in cache (unsorted needles into a 30M-entry run are ~10x slower)."""
        self.flush()
        rows: list[I64] = []
        docs: list[U32] = []
        if not self._runs or not keys.size:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint32)
        order = np.argsort(keys, kind="stable")
        needles = keys[order]
        for run_keys, run_docs in self._runs:
            left = np.searchsorted(run_keys, needles)
            hit = np.flatnonzero(run_keys[np.minimum(left, run_keys.size - 1)] == needles)
            if not hit.size:
                continue
            start = left[hit]
            end = np.searchsorted(run_keys, needles[hit], side="right")
            counts = end - start
            rows.append(np.repeat(order[hit], counts))
            # positions start..end-1 for each hit, flattened
            offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            docs.append(run_docs[np.repeat(start, counts) + offsets])
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint32)
        return np.concatenate(rows), np.concatenate(docs)

    # -- inserts ---------------------------------------------------------------------------------
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
        if self._buffered >= self.min_buffer:
            self.flush()

    def insert_many(self, keys: U64, docs: U32) -> None:
        """Bulk insert: ``keys[i]`` -> ``docs[i]`` (a new sorted run)."""
        self.flush()
        self._add_run(np.asarray(keys, dtype=np.uint64), np.asarray(docs, dtype=np.uint32))

    def flush(self) -> None:
        """Write the buffer out as a sorted run."""
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
        self._add_run(np.array(keys, dtype=np.uint64), np.array(docs, dtype=np.uint32))

    def _add_run(self, keys: U64, docs: U32) -> None:
        if not keys.size:
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], docs[order]))
        # Merge while the newest run is at least as big as the one before (a binary counter: runs
        # halve in size from the oldest, so there are at most log2(n / batch) of them).
        while len(self._runs) > 1 and self._runs[-1][0].size >= self._runs[-2][0].size:
            (k1, d1), (k2, d2) = self._runs[-2], self._runs[-1]
            all_keys = np.concatenate((k1, k2))
            # both runs are sorted: a stable sort of the concatenation is a linear merge (timsort)
            order = np.argsort(all_keys, kind="stable")
            self._runs[-2:] = [(all_keys[order], np.concatenate((d1, d2))[order])]

    def arrays(self) -> tuple[U64, U32]:
        """All entries as one sorted (keys, docs) pair (for serialisation)."""
        self.flush()
        if not self._runs:
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32)
        if len(self._runs) > 1:
            keys = np.concatenate([k for k, _ in self._runs])
            docs = np.concatenate([d for _, d in self._runs])
            order = np.argsort(keys, kind="stable")
            self._runs = [(keys[order], docs[order])]
        return self._runs[0]
