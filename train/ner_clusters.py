"""Build word clusters for the NER tagger from unlabelled news text (indosum, CC BY-SA 4.0).

    nice .venv/bin/python -m train.ner_clusters            # writes src/warta/resources/ner/clusters.tsv.gz

Each word seen at least MIN_COUNT times gets a vector of its left and right neighbours (the most
frequent CONTEXT words), weighted by positive PMI and reduced by truncated SVD; k-means at three
granularities gives three cluster ids per word (coarse, mid, fine), in the spirit of Brown clusters.
A fifth column buckets how often the word is capitalised when it is not sentence-initial (0..4), which
tells names from common words.

Only indosum is used: it is CC BY-SA 4.0, so the cluster file is shipped under CC BY-SA 4.0 with
attribution (see resources/ner/README.md). Detik and turnbackhoax have no license and are not used.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "warta" / "resources" / "ner" / "clusters.tsv.gz"
MIN_COUNT = 3
CONTEXT = 4000
DIMS = 100
KS = (64, 256, 1024)
WINDOW = 1  # neighbours on each side, each distance its own block of context columns
SEED = 13


def indosum_sentences() -> list[list[str]]:
    """Tokenized sentences of every indosum article, each article once."""
    seen: set[str] = set()
    out: list[list[str]] = []
    for path in sorted((SHARED / "text" / "indosum-dev").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            doc = json.loads(line)
            if doc["id"] in seen:
                continue
            seen.add(doc["id"])
            for para in doc["paragraphs"]:
                out.extend(para)
    return out


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 20) -> np.ndarray:
    """Spherical k-means (x rows unit length); returns the cluster of each row."""
    centers = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        labels = np.argmax(x @ centers.T, axis=1)
        for c in range(k):
            members = x[labels == c]
            if len(members):
                v = members.sum(axis=0)
                centers[c] = v / (np.linalg.norm(v) + 1e-9)
            else:
                centers[c] = x[rng.integers(len(x))]
    return labels


def build() -> tuple[list[str], list[str], np.ndarray]:
    t0 = time.time()
    sents = indosum_sentences()
    counts: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    mid: Counter[str] = Counter()
    for s in sents:
        for i, w in enumerate(s):
            lw = w.lower()
            counts[lw] += 1
            if i > 0 and s[i - 1] not in ('"', "“", "(", "'"):
                mid[lw] += 1
                if w[:1].isupper():
                    caps[lw] += 1
    vocab = [w for w, c in counts.most_common() if c >= MIN_COUNT]
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:CONTEXT])}
    rows: list[int] = []
    cols: list[int] = []
    for sent in sents:
        low = [w.lower() for w in sent]
        for i, w in enumerate(low):
            r = index.get(w)
            if r is None:
                continue
            for d in range(1, WINDOW + 1):
                if i - d >= 0 and low[i - d] in ctx:
                    rows.append(r)
                    cols.append((2 * d - 2) * CONTEXT + ctx[low[i - d]])
                if i + d < len(low) and low[i + d] in ctx:
                    rows.append(r)
                    cols.append((2 * d - 1) * CONTEXT + ctx[low[i + d]])
    m = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(vocab), 2 * WINDOW * CONTEXT)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    coo = m.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    u, s, _ = svds(ppmi, k=DIMS, random_state=SEED)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(SEED)
    labels = [kmeans(vec, k, rng) for k in KS]
    lines = [
        "# word<TAB>cluster(64)<TAB>cluster(256)<TAB>cluster(1024)<TAB>capitalised-bucket(0-4, -1 unknown)",
        "# Built by train/ner_clusters.py from indosum (CC BY-SA 4.0). License: CC BY-SA 4.0.",
    ]
    for w, i in index.items():
        n_mid = mid.get(w, 0)
        bucket = -1 if n_mid < 2 else min(4, int(5 * caps.get(w, 0) / n_mid))
        lines.append(f"{w}\t{labels[0][i]}\t{labels[1][i]}\t{labels[2][i]}\t{bucket}")
    print(f"{len(sents)} sentences, {sum(counts.values())} tokens, {len(vocab)} words clustered in {time.time() - t0:.0f}s", file=sys.stderr)
    return lines, list(index), vec


def main() -> None:
    lines, _, _ = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
