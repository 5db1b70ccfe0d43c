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


def shard_keys(shard: str, config: MinHashConfig) -> Any:
    """A frame (key, pos): every band key and the exact key of every article of the shard."""
    import pandas as pd

    pos, sigs, exact = _signatures(shard, config)
    keys = np.concatenate((band_keys(sigs, config), exact_key(exact)[:, None]), axis=1)
    return pd.DataFrame({"key": keys.ravel(), "pos": np.repeat(pos, config.bands + 1)})


def _packed_columns(num_perm: int) -> list[str]:
    return [f"s{i}" for i in range(num_perm // 4)]


def shard_signatures(shard: str, config: MinHashConfig) -> Any:
    """A frame (pos, exact, s0..sN) with the 16-bit signature (as the index keeps it) packed four
    values to a uint64 column (numeric columns travel through shuffles as they are)."""
    import pandas as pd

    pos, sigs, exact = _signatures(shard, config)
    packed = np.ascontiguousarray((sigs & 0xFFFF).astype("<u2")).view("<u8").reshape(len(pos), -1)
    frame = pd.DataFrame(packed, columns=_packed_columns(config.num_perm))
    frame.insert(0, "exact", exact)
    frame.insert(0, "pos", pos)
    return frame


def bucket_pairs(frame: Any) -> Any:
    """Candidate pairs (a < b) of articles sharing a key, within one shuffled partition."""
    import pandas as pd

    if len(frame) == 0:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    keys = frame["key"].to_numpy()
    pos = frame["pos"].to_numpy()
    order = np.lexsort((pos, keys))
    keys, pos = keys[order], pos[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.concatenate((starts, [keys.size])))
    a_parts: list[np.ndarray] = []
    b_parts: list[np.ndarray] = []
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = np.unique(pos[start : start + size])
        if members.size < 2:
            continue
        i, j = np.triu_indices(members.size, k=1)
        a_parts.append(members[i])
        b_parts.append(members[j])
    if not a_parts:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    out = pd.DataFrame({"a": np.concatenate(a_parts), "b": np.concatenate(b_parts)})
    return out.drop_duplicates(ignore_index=True)


def score_pairs(frame: Any, min_similarity: float, num_perm: int) -> Any:
    """Similarity of each joined pair; keep exact copies and pairs at or over ``min_similarity``."""
    import pandas as pd

    cols = _packed_columns(num_perm)
    sa = np.ascontiguousarray(frame[[c + "_a" for c in cols]].to_numpy(dtype=np.uint64)).view("<u2")
    sb = np.ascontiguousarray(frame[[c + "_b" for c in cols]].to_numpy(dtype=np.uint64)).view("<u2")
    sim = np.count_nonzero(sa == sb, axis=1) / num_perm if len(frame) else np.empty(0)
    same = frame["exact_a"].to_numpy() == frame["exact_b"].to_numpy()
    keep = same | (sim >= min_similarity)
    return pd.DataFrame(
        {
            "a": frame["a"].to_numpy(dtype=np.int64)[keep],
            "b": frame["b"].to_numpy(dtype=np.int64)[keep],
            "sim": sim[keep].astype(np.float64),
            "exact": same[keep].astype(bool),
        }
    )


def candidate_pairs(shards: Sequence[str], config: MinHashConfig, min_similarity: float, partitions: int) -> Any:
    """The scored pairs of the whole run, computed on the cluster (the current dask client)."""
    import dask.dataframe as dd
    import pandas as pd

    if not shards:
        return pd.DataFrame({"a": [], "b": [], "sim": [], "exact": []})
    key_meta = pd.DataFrame({"key": np.empty(0, np.uint64), "pos": np.empty(0, np.int64)})
    pair_meta = pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    packed = _packed_columns(config.num_perm)
    sig_meta = pd.DataFrame(
        {"pos": np.empty(0, np.int64), "exact": np.empty(0, np.uint64), **{c: np.empty(0, np.uint64) for c in packed}}
    )
    keys = dd.from_map(shard_keys, list(shards), args=(config,), meta=key_meta, enforce_metadata=False)
    pairs = keys.shuffle(on="key", npartitions=partitions).map_partitions(bucket_pairs, meta=pair_meta)
    pairs = pairs.shuffle(on=["a", "b"], npartitions=partitions).map_partitions(
        lambda f: f.drop_duplicates(ignore_index=True), meta=pair_meta
    )
    sigs = dd.from_map(shard_signatures, list(shards), args=(config,), meta=sig_meta, enforce_metadata=False)
    left = sigs.rename(columns={"pos": "a", "exact": "exact_a", **{c: c + "_a" for c in packed}})
    right = sigs.rename(columns={"pos": "b", "exact": "exact_b", **{c: c + "_b" for c in packed}})
    joined = pairs.merge(left, on="a", how="inner", npartitions=partitions).merge(
        right, on="b", how="inner", npartitions=partitions
    )
    score_meta = pd.DataFrame(
        {"a": np.empty(0, np.int64), "b": np.empty(0, np.int64), "sim": np.empty(0), "exact": np.empty(0, bool)}
    )
    scored = joined.map_partitions(score_pairs, min_similarity, config.num_perm, meta=score_meta)
    return scored.compute()


def pairs_by_later(frame: Any) -> dict[int, list[Pair]]:
    """Scored pairs indexed by their later article (the one the index is asked about)."""
    out: dict[int, list[Pair]] = defaultdict(list)
    for a, b, sim, exact in zip(
        frame["a"].tolist(), frame["b"].tolist(), frame["sim"].tolist(), frame["exact"].tolist(), strict=True
    ):
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
