"""Global near-duplicate candidates on the cluster: MinHash band keys shuffled across workers.

Every article of the run emits one key per LSH band plus one for its exact-text hash
(`warta.group.duplicates.band_keys`, `exact_key`). The keys are shuffled so that equal keys meet
in one partition (band key -> the articles sharing it -> candidate pairs); pairs are deduplicated,
joined with the 16-bit signatures of both sides (two more shuffles) and scored there. What reaches
the driver is only the scored pairs, which is small next to the corpus.

`ShuffledIndex` then plays the group stage's `DuplicateIndex` with those pairs: for each article
it returns the very matches the one-process index would have found (earlier articles sharing a
band or the exact text, estimated Jaccard over the same 16-bit signatures, the same threshold),
and still records its keys so that the saved group state serves later incremental runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warta.group import MinHashConfig
from warta.group.duplicates import _EMPTY, DuplicateIndex, Match, band_keys, exact_key

#: pos of an earlier article, estimated similarity, exact same text
Pair = tuple[int, float, bool]


def _signatures(shard: str, config: MinHashConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pos, uint32 signatures, exact hashes) of a shard's non-empty articles."""
    table = pq.read_table(shard, columns=["pos", "signature", "exact"])
    table = table.filter(pc.is_valid(table.column("signature")))
    if table.num_rows == 0:
        return np.empty(0, np.int64), np.empty((0, config.num_perm), np.uint32), np.empty(0, np.uint64)
    pos = table.column("pos").to_numpy()
    raw = b"".join(table.column("signature").to_pylist())
    sigs = np.frombuffer(raw, dtype="<u4").reshape(-1, config.num_perm).astype(np.uint32)
    exact = table.column("exact").to_numpy().astype(np.uint64)
    keep = ~np.all(sigs == _EMPTY, axis=1)  # an empty text is never indexed nor matched
    return pos[keep], sigs[keep], exact[keep]


_MIX = np.uint64(0x9E3779B97F4A7C15)
Parts = list[tuple[np.ndarray, ...]]


def _part_of(values: np.ndarray, partitions: int) -> np.ndarray:
    """A well-mixed partition number of each uint64/int64 value."""
    mixed = values.astype(np.uint64) * _MIX
    return ((mixed >> np.uint64(33)) % np.uint64(partitions)).astype(np.int64)


def _split(part: np.ndarray, partitions: int, *columns: np.ndarray) -> Parts:
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(partitions + 1))
    return [tuple(col[order[bounds[r] : bounds[r + 1]]] for col in columns) for r in range(partitions)]


def map_shard(shard: str, config: MinHashConfig, partitions: int) -> tuple[Parts, Parts]:
    """One shard's (key, pos) rows split by key, and its (pos, exact, 16-bit signature) rows split
    by pos: the two inputs of the shuffle."""
    pos, sigs, exact = _signatures(shard, config)
    keys = np.concatenate((band_keys(sigs, config), exact_key(exact)[:, None]), axis=1).ravel()
    key_pos = np.repeat(pos, config.bands + 1)
    sig16 = (sigs & 0xFFFF).astype(np.uint16)
    return (
        _split(_part_of(keys, partitions), partitions, keys, key_pos),
        _split(_part_of(pos, partitions), partitions, pos, exact, sig16),
    )


def _unique_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if a.size == 0:
        return a, b
    both = np.unique(np.stack((a, b), axis=1), axis=0)
    return both[:, 0], both[:, 1]


def bucket_pairs(partitions: int, *pieces: tuple[np.ndarray, np.ndarray]) -> Parts:
    """Candidate pairs (a < b) of articles sharing a key, split by ``a`` for the next hop."""
    keys = np.concatenate([p[0] for p in pieces]) if pieces else np.empty(0, np.uint64)
    pos = np.concatenate([p[1] for p in pieces]) if pieces else np.empty(0, np.int64)
    a_parts: list[np.ndarray] = [np.empty(0, np.int64)]
    b_parts: list[np.ndarray] = [np.empty(0, np.int64)]
    if keys.size:
        order = np.lexsort((pos, keys))
        keys, pos = keys[order], pos[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        sizes = np.diff(np.concatenate((starts, [keys.size])))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            members = np.unique(pos[start : start + size])
            if members.size > 1:
                i, j = np.triu_indices(members.size, k=1)
                a_parts.append(members[i])
                b_parts.append(members[j])
    a, b = _unique_pairs(np.concatenate(a_parts).astype(np.int64), np.concatenate(b_parts).astype(np.int64))
    return _split(_part_of(a, partitions), partitions, a, b)


def _lookup(pos: np.ndarray, sig_pieces: Sequence[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(exact, sig16) of each ``pos`` from the signature pieces of its partition."""
    have = np.concatenate([p[0] for p in sig_pieces])
    exact = np.concatenate([p[1] for p in sig_pieces])
    sigs = np.concatenate([p[2] for p in sig_pieces]) if have.size else np.empty((0, 0), np.uint16)
    order = np.argsort(have)
    at = order[np.searchsorted(have[order], pos)] if pos.size else np.empty(0, np.int64)
    return exact[at], sigs[at]


def join_earlier(partitions: int, n_pairs: int, *pieces: Any) -> Parts:
    """Pairs of one ``a`` partition with ``a``'s signature attached, split by ``b``."""
    pair_pieces, sig_pieces = pieces[:n_pairs], pieces[n_pairs:]
    a, b = _unique_pairs(np.concatenate([p[0] for p in pair_pieces]), np.concatenate([p[1] for p in pair_pieces]))
    exact, sigs = _lookup(a, sig_pieces)
    return _split(_part_of(b, partitions), partitions, a, b, exact, sigs)


def score_later(min_similarity: float, n_pairs: int, *pieces: Any) -> tuple[np.ndarray, ...]:
    """Pairs of one ``b`` partition scored against ``b``'s signature: (a, b, similarity, exact),
    keeping exact copies and pairs at or over ``min_similarity`` (as `DuplicateIndex.add` does)."""
    pair_pieces, sig_pieces = pieces[:n_pairs], pieces[n_pairs:]
    a = np.concatenate([p[0] for p in pair_pieces])
    b = np.concatenate([p[1] for p in pair_pieces])
    if a.size == 0:
        return a, b, np.empty(0), np.empty(0, bool)
    exact_a = np.concatenate([p[2] for p in pair_pieces])
    sig_a = np.concatenate([p[3] for p in pair_pieces])
    exact_b, sig_b = _lookup(b, sig_pieces)
    sim = np.count_nonzero(sig_a == sig_b, axis=1) / sig_a.shape[1]
    same = exact_a == exact_b
    keep = same | (sim >= min_similarity)
    return a[keep], b[keep], sim[keep], same[keep]


def candidate_pairs(
    client: Any, shards: Sequence[str], config: MinHashConfig, min_similarity: float, partitions: int
) -> tuple[np.ndarray, ...]:
    """The scored pairs (a, b, similarity, exact) of the whole run, computed on the cluster:
    band keys shuffled to buckets, pairs to their earlier article's signature, then to the later's."""
    from operator import getitem

    if not shards:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), np.empty(0, bool)
    r = partitions
    maps = [client.submit(map_shard, s, config, r, pure=False) for s in shards]
    key_parts = [client.submit(getitem, m, 0) for m in maps]
    sig_parts = [client.submit(getitem, m, 1) for m in maps]

    def piece(parts: Any, i: int) -> Any:
        return client.submit(getitem, parts, i)

    sigs_of = [[piece(p, i) for p in sig_parts] for i in range(r)]
    buckets = [client.submit(bucket_pairs, r, *[piece(p, i) for p in key_parts]) for i in range(r)]
    joined = [client.submit(join_earlier, r, len(buckets), *[piece(b, i) for b in buckets], *sigs_of[i]) for i in range(r)]
    scored = [client.submit(score_later, min_similarity, len(joined), *[piece(j, i) for j in joined], *sigs_of[i]) for i in range(r)]
    results = client.gather(scored)
    return tuple(np.concatenate([res[c] for res in results]) for c in range(4))


def pairs_by_later(pairs: tuple[np.ndarray, ...]) -> dict[int, list[Pair]]:
    """Scored pairs indexed by their later article (the one the index is asked about)."""
    out: dict[int, list[Pair]] = defaultdict(list)
    for a, b, sim, exact in zip(*(column.tolist() for column in pairs), strict=True):
        out[int(b)].append((int(a), float(sim), bool(exact)))
    return dict(out)


class ShuffledIndex(DuplicateIndex):
    """A `DuplicateIndex` whose candidates among this run's articles come from the shuffle.

    Set ``pos`` before the group stage adds the article at that position; an add without ``pos``
    (an article not from the run) falls back to the ordinary lookup."""

    base: int
    pairs: dict[int, list[Pair]]
    doc_of_pos: dict[int, int]
    pos: int | None

    @classmethod
    def wrap(cls, index: DuplicateIndex, pairs: dict[int, list[Pair]]) -> ShuffledIndex:
        new = cls.__new__(cls)
        new.__dict__.update(index.__dict__)
        new.base = index.size
        new.pairs = pairs
        new.doc_of_pos = {}
        new.pos = None
        return new

    def add(self, signature: Any, exact: int, keys: Any = None) -> tuple[int, list[Match]]:
        pos, self.pos = self.pos, None
        if pos is None:
            return super().add(signature, exact, keys)
        self._grow()
        doc = self.size
        self.size += 1
        sig16 = (signature & 0xFFFF).astype(np.uint16)
        self._sigs[doc] = sig16
        self._exact[doc] = exact
        if int(signature[0]) == _EMPTY and bool(np.all(signature == _EMPTY)):
            return doc, []
        self.doc_of_pos[pos] = doc
        if keys is None:
            keys = band_keys(signature.reshape(1, -1), self.config)[0]
        all_keys = np.concatenate((keys, exact_key(np.array([exact], dtype=np.uint64))))
        matches: list[Match] = []
        if self.base:  # articles stored by earlier runs: the ordinary lookup, limited to them
            old = [c for c in self.keys.lookup(all_keys) if c < self.base]
            if old:
                cand = np.array(old, dtype=np.int64)
                sims = np.count_nonzero(self._sigs[cand] == sig16, axis=1) / sig16.size
                same = self._exact[cand] == exact
                for c, s, e in zip(cand.tolist(), sims.tolist(), same.tolist(), strict=True):
                    if e or s >= self.min_similarity:
                        matches.append(Match(c, 1.0 if e else s, e))
        for earlier, sim, same_text in self.pairs.get(pos, ()):
            other = self.doc_of_pos.get(earlier)
            if other is not None:
                matches.append(Match(other, 1.0 if same_text else sim, same_text))
        matches.sort(key=lambda m: (-m.similarity, m.doc))
        self.keys.insert(all_keys.tolist(), doc)
        return doc, matches

    def unwrap(self) -> DuplicateIndex:
        """A plain index with the same contents (for saving and later runs)."""
        plain = DuplicateIndex.__new__(DuplicateIndex)
        plain.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("base", "pairs", "doc_of_pos", "pos")})
        return plain
