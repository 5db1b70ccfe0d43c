"""The shuffled near-duplicate search finds exactly the matches of the one-process index.

The pure steps of `warta.cluster.neardup` (map -> buckets -> join earlier -> score later) are run
here in-process over the 1,000 Detik bodies (91 exact repeats, same-story rewrites) split into
several shards and partitions, and compared with `DuplicateIndex.add` fed the same texts in order.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warta.cluster.neardup import bucket_pairs, join_earlier, map_shard, pairs_by_later, score_later
from warta.cluster.tasks import SCHEMA
from warta.group import MinHashConfig, fingerprint
from warta.group.duplicates import DuplicateIndex


def _texts(shared_data: Path) -> list[str]:
    with (shared_data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["isi_berita"] for row in csv.DictReader(handle)]
    # a near copy (last paragraph dropped) and an empty text, which is never matched
    texts.append("\n".join(texts[7].split("\n")[:-2]))
    texts.append("")
    return texts


def _write_shards(texts: list[str], config: MinHashConfig, folder: Path, size: int) -> tuple[list[str], list[int]]:
    fp = fingerprint(texts, config)
    shards, positions = [], []
    for n, start in enumerate(range(0, len(texts), size)):
        rows = range(start, min(len(texts), start + size))
        pos = [(n << 32) | (i - start) for i in rows]
        positions += pos
        table = pa.table(
            {
                "pos": pos,
                "signature": [np.ascontiguousarray(fp.signatures[i], dtype="<u4").tobytes() for i in rows],
                "exact": [int(fp.exact[i]) for i in rows],
                **{name: [None] * len(pos) for name in SCHEMA.names if name not in ("pos", "signature", "exact")},
            },
            schema=SCHEMA,
        )
        path = folder / f"{n}.parquet"
        pq.write_table(table, path)
        shards.append(str(path))
    return shards, positions


def _shuffle(shards: list[str], config: MinHashConfig, min_similarity: float, r: int) -> tuple[np.ndarray, ...]:
    maps = [map_shard(s, config, r) for s in shards]
    buckets = [bucket_pairs(r, *[m[0][i] for m in maps]) for i in range(r)]
    joined = [join_earlier(r, len(buckets), *[b[i] for b in buckets], *[m[1][i] for m in maps]) for i in range(r)]
    scored = [score_later(min_similarity, len(joined), *[j[i] for j in joined], *[m[1][i] for m in maps]) for i in range(r)]
    return tuple(np.concatenate([s[c] for s in scored]) for c in range(4))


@pytest.mark.parametrize(("shard_size", "partitions"), [(130, 3), (1000, 1)])
def test_same_matches_as_index(shared_data: Path, tmp_path: Path, shard_size: int, partitions: int) -> None:
    config = MinHashConfig()
    min_similarity = 0.5
    texts = _texts(shared_data)
    shards, positions = _write_shards(texts, config, tmp_path, shard_size)
    found = pairs_by_later(_shuffle(shards, config, min_similarity, partitions))
    doc_of = {p: i for i, p in enumerate(positions)}

    index = DuplicateIndex(config, min_similarity)
    fp = fingerprint(texts, config)
    expected: dict[int, list[tuple[int, float, bool]]] = {}
    for i in range(len(texts)):
        _, matches = index.add(fp.signatures[i], int(fp.exact[i]))
        if matches:
            expected[i] = sorted((m.doc, m.similarity, m.exact) for m in matches)
    got = {
        doc_of[later]: sorted((doc_of[a], 1.0 if e else s, e) for a, s, e in pairs)
        for later, pairs in found.items()
    }
    assert got == expected
    assert sum(1 for ms in expected.values() for m in ms if m[2]) >= 80  # the exact repeats
    assert len(texts) - 2 in expected  # the near copy
    assert any(not m[2] for ms in expected.values() for m in ms)  # near, not exact, matches
