"""Sources split into tasks, and the task a worker runs: read + understand + MinHash -> one Parquet shard.

A task is one file; a file of many cheap records (CSV/TSV/JSONL datasets) larger than a block is
split into *stripes*: stripe ``k`` of ``n`` keeps the records ``i`` with ``(i // 16) % n == k``, so
every stripe reads the file but reads and understands only its share. WARC archives stay one task
per file (decompressing one several times would cost more than it saves; crawls come as many
files). Documents given in memory are shipped in blocks. Paths must be readable by the workers (a
shared file system on a real cluster).

Every shard row keeps its position (task order, record number) so the loader puts the articles
back in exactly the order the one-process runner sees them.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from warta.group import MinHashConfig, fingerprint
from warta.pipeline import PAGE_SUFFIXES, Failure, document_key, iter_inputs, process_document
from warta.record import Article, to_json
from warta.sources.document import Document

#: Records are dealt to stripes in runs of this many (keeps neighbouring rows together).
STRIPE_RUN = 16
#: Files holding many cheap records, split into stripes when larger than a block.
RECORD_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
#: Bump when the shard layout or the meaning of a column changes (old shards are then recomputed).
SHARD_VERSION = 1
#: Position of a row: ``order << ORDER_SHIFT | record`` (records of one file < 2**32).
ORDER_SHIFT = 32


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """What every task of a run shares (part of each shard's cache key)."""

    analyze: bool = True
    components: tuple[str, ...] | None = None
    minhash: MinHashConfig = MinHashConfig()
    source_options: dict[str, Any] = msgspec.field(default_factory=dict)


class Task(msgspec.Struct, frozen=True, kw_only=True):
    """One unit of work. ``order``: the input's rank in the run (rows sort by order, then record)."""

    number: int
    order: int
    key: str
    source: str | None = None
    stripe: int = 0
    stripes: int = 1
    documents: list[Document] | None = None

    @property
    def label(self) -> str:
        if self.source is None:
            return f"documents block {self.order}"
        return self.source if self.stripes == 1 else f"{self.source} (stripe {self.stripe + 1}/{self.stripes})"


class TaskResult(msgspec.Struct, kw_only=True):
    """What a worker reports back (the articles themselves are in the shard)."""

    number: int
    shard: str
    rows: int
    articles: int
    failures: list[Failure]
    seconds: float
    cpu_seconds: float = 0.0  # process time of the worker on this task (contention-free cost)
    cached: bool = False


def _hash(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        h.update(msgspec.msgpack.encode(part))
    return h.hexdigest()


def folder_files(folder: Path) -> list[Path]:
    """The files the one-process runner takes from a folder, in the same order (the sources
    stage's own listing when it is installed)."""
    try:
        from warta.sources import _folder_files  # type: ignore[attr-defined]
    except ImportError:
        return sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.name.lower().removesuffix(".gz").endswith(PAGE_SUFFIXES)
        )
    files: list[Path] = _folder_files(folder)
    return files


def plan_tasks(
    sources: Iterable[str | Path | Document],
    settings: Settings,
    *,
    block_bytes: int = 1 << 20,
    documents_per_task: int = 32,
    max_stripes: int = 256,
) -> list[Task]:
    """Split the run's inputs into tasks, in the order the one-process runner reads them
    (documents given in memory first, then paths and URLs in the order given)."""
    settings_key = _hash(SHARD_VERSION, settings)
    docs: list[Document] = []
    others: list[str] = []
    for source in sources:
        if isinstance(source, Document):
            docs.append(source)
        else:
            others.append(str(source))
    tasks: list[Task] = []
    order = 0

    def add(**fields: Any) -> None:
        tasks.append(Task(number=len(tasks), **fields))

    for start in range(0, len(docs), documents_per_task):
        block = docs[start : start + documents_per_task]
        add(order=order, key=_hash(settings_key, [document_key(d) for d in block]), documents=block)
        order += 1
    for source in others:
        path = Path(source)
        if path.is_dir():
            files = folder_files(path)
        elif path.is_file():
            files = [path]
        else:  # a URL, a feed, '-', or a missing path: the worker says what it is
            add(order=order, key=_hash(settings_key, source, time.time_ns()), source=source)
            order += 1
            continue
        for file in files:
            stat = file.stat()
            base = _hash(settings_key, str(file.resolve()), stat.st_size, stat.st_mtime_ns)
            stripes = 1
            if file.name.lower().removesuffix(".gz").endswith(RECORD_SUFFIXES) and stat.st_size > block_bytes:
                stripes = min(max_stripes, -(-stat.st_size // block_bytes))
            for stripe in range(stripes):
                add(order=order, key=f"{base}-{stripe}-{stripes}", source=str(file), stripe=stripe, stripes=stripes)
            order += 1
    return tasks


# -- the worker side -----------------------------------------------------------------------------
SCHEMA = pa.schema(
    [
        ("pos", pa.int64()),  # order << 32 | record number
        ("doc_key", pa.string()),
        ("source", pa.string()),
        ("reason", pa.string()),  # set for a failure (then article is null)
        ("id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("published_at", pa.string()),
        ("article", pa.binary()),  # the Article record as JSON (warta.article/1)
        ("signature", pa.binary()),  # MinHash, uint32 x num_perm, little-endian
        ("exact", pa.uint64()),  # hash of the normalised words
    ]
)


def _records(task: Task, settings: Settings) -> Iterable[tuple[int, Document | Failure]]:
    if task.documents is not None:
        yield from enumerate(task.documents)
        return
    assert task.source is not None
    items = iter_inputs([task.source], **settings.source_options)
    for i, item in enumerate(items):
        if task.stripes == 1 or (i // STRIPE_RUN) % task.stripes == task.stripe:
            yield i, item


def article_text(article: Article) -> str:
    """The text the group stage fingerprints (as `warta.group.grouper` does)."""
    return "\n".join(article.body) if article.body else (article.title or "")


def _write_atomically(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_shard(table: pa.Table, path: Path) -> None:
    """Write a shard (a separate function so tests can make it fail)."""
    _write_atomically(table, path)


def shard_path(out_dir: str | Path, task: Task) -> Path:
    return Path(out_dir) / "shards" / f"{task.order:07d}-{task.key}.parquet"


def _failures(table: pa.Table) -> list[Failure]:
    reasons = table.column("reason").to_pylist()
    sources = table.column("source").to_pylist()
    return [Failure(source=s or "<document>", reason=r) for s, r in zip(sources, reasons, strict=True) if r is not None]


def run_task(task: Task, settings: Settings, out_dir: str) -> TaskResult:
    """Read and understand every document of the task, fingerprint the articles, write the shard.

    A shard already written by an earlier run for the same task and settings is reused."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    path = shard_path(out_dir, task)
    if path.exists():
        try:
            table = pq.read_table(path, columns=["reason", "source"])
            failures = _failures(table)
            return TaskResult(
                number=task.number,
                shard=str(path),
                rows=table.num_rows,
                articles=table.num_rows - len(failures),
                failures=failures,
                seconds=round(time.perf_counter() - started, 3),
                cached=True,
            )
        except (OSError, pa.ArrowException):
            path.unlink(missing_ok=True)  # a damaged shard: recompute it
    path.parent.mkdir(parents=True, exist_ok=True)
    cols: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    articles: list[Article] = []
    base = task.order << ORDER_SHIFT
    for i, item in _records(task, settings):
        if isinstance(item, Failure):
            result: Article | Failure = item
            key = None
        else:
            key = document_key(item)
            result = process_document(item, settings.analyze, settings.components)
        cols["pos"].append(base | i)
        cols["doc_key"].append(key)
        if isinstance(result, Failure):
            cols["source"].append(result.source)
            cols["reason"].append(result.reason)
            for name in ("id", "url", "title", "outlet", "published_at", "article", "signature", "exact"):
                cols[name].append(None)
            continue
        articles.append(result)
        cols["source"].append((item.source or item.url) if isinstance(item, Document) else None)
        cols["reason"].append(None)
        cols["id"].append(result.id)
        cols["url"].append(result.url)
        cols["title"].append(result.title)
        cols["outlet"].append(result.outlet)
        cols["published_at"].append(result.published_at)
        cols["article"].append(to_json(result))
        cols["signature"].append(None)
        cols["exact"].append(None)
    if articles:
        fp = fingerprint([article_text(a) for a in articles], settings.minhash)
        sigs = np.ascontiguousarray(fp.signatures, dtype="<u4")
        rows = [n for n, reason in enumerate(cols["reason"]) if reason is None]
        for j, n in enumerate(rows):
            cols["signature"][n] = sigs[j].tobytes()
            cols["exact"][n] = int(fp.exact[j])
    table = pa.table(cols, schema=SCHEMA)
    write_shard(table, path)
    failures = _failures(table)
    return TaskResult(
        number=task.number,
        shard=str(path),
        rows=table.num_rows,
        articles=table.num_rows - len(failures),
        failures=failures,
        seconds=round(time.perf_counter() - started, 3),
        cpu_seconds=round(time.process_time() - cpu_started, 3),
    )


#: A shard row as the loader reads it: (pos, doc_key, source, reason, article JSON, signature, exact).
Row = tuple[int, str | None, str | None, str | None, bytes | None, bytes | None, int | None]
LOAD_COLUMNS = ["pos", "doc_key", "source", "reason", "article", "signature", "exact"]


def _shard_rows(shard: str | Path, batch_rows: int) -> Iterator[Row]:
    handle = pq.ParquetFile(shard)
    for batch in handle.iter_batches(batch_size=batch_rows, columns=LOAD_COLUMNS):
        yield from zip(*(batch.column(name).to_pylist() for name in LOAD_COLUMNS), strict=True)


def iter_rows(shards: Sequence[str | Path], batch_rows: int = 2048) -> Iterator[Row]:
    """The rows of one input's shards (its stripes) in record order, streamed (a k-way merge, so
    a dataset of millions of rows is never held in memory at once)."""
    if len(shards) == 1:
        yield from _shard_rows(shards[0], batch_rows)
        return
    yield from heapq.merge(*(_shard_rows(s, batch_rows) for s in shards), key=lambda row: row[0])
