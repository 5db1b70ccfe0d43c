"""The pipeline on a Dask cluster: read + understand on the workers, Parquet shards, a shuffled
near-duplicate search, then group and bulk load in order.

    import warta
    warta.Pipeline(store="postgresql://...").run(["crawl/"], cluster="local")           # all cores here
    warta.Pipeline(store="news.db").run(["crawl/"], cluster="tcp://scheduler:8786")     # a running cluster
    opts = warta.pipeline_dask.DaskOptions(address="local", workers=2, out="shards/")
    warta.Pipeline(store="news.db").run(["crawl/"], cluster=opts)

From the command line: ``warta ingest SOURCE... --cluster local|tcp://HOST:8786 [--out DIR]``.

1. **Tasks** (on the workers): one per file, stripes of records for big datasets, blocks of
   in-memory documents (`warta.cluster.tasks`). Each reads, understands and fingerprints its
   documents and writes one Parquet shard (``OUT/shards/``; with ``out`` given, shards are kept and
   a re-run reuses the ones whose input did not change). A task that fails is retried
   (``retries`` times), then reported as a failure of that input, never dropped in silence.
2. **Near duplicates** (on the workers): band keys shuffled across the cluster into scored
   candidate pairs (`warta.cluster.neardup`), saved as ``OUT/pairs.parquet``.
3. **Group and store** (here, in input order): the group stage runs over the shards with the
   shuffled pairs in place of its own index lookups, and the articles go to the store in batched
   transactions (new articles into PostgreSQL with COPY, `warta.cluster.bulk`), written exactly as
   the one-process runner writes them, so both give the same records.

Paths must be readable from the workers, and ``out`` writable by them and by this process (a
shared file system on a real cluster).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import numpy as np

from warta.cluster.progress import RunDisplay
from warta.cluster.tasks import Row, Settings, Task, TaskResult, iter_rows, plan_tasks, run_task
from warta.group import MinHashConfig
from warta.pipeline import Failure, IngestCounts, IngestReport
from warta.record import Article, from_json
from warta.sources.document import Document

if TYPE_CHECKING:
    from warta.pipeline import Pipeline


class DaskOptions(msgspec.Struct, kw_only=True):
    """How to run on Dask. ``address``: ``"local"`` (a cluster of worker processes on this
    machine) or a scheduler address ``tcp://HOST:8786``. ``out``: folder for the Parquet shards
    and pairs (kept; default: a temporary folder removed after the run). ``workers``, ``memory_limit``:
    for a local cluster. ``retries``: re-runs of a failed task before it is reported.
    ``progress``: the rich display on stderr (default: when stderr is a terminal). ``load_batch``:
    articles per store transaction (default: the pipeline's ``batch_size``, which keeps the stored
    records identical to the one-process runner's; a repeated id is written per batch). ``copy``:
    new articles go into PostgreSQL with COPY (`warta.cluster.bulk`), not one statement at a time.
    ``background_writes``: a writer thread stores each batch while the next is grouped. This is meant for a
    database server on another machine; on the shared 2-core test machine, where the server competes
    for the same cores, it made no measurable difference, so it is off by default."""

    address: str = "local"
    out: str | None = None
    workers: int | None = None
    threads_per_worker: int = 1
    memory_limit: str | int = "auto"
    retries: int = 2
    partitions: int | None = None
    block_bytes: int = 1 << 20
    documents_per_task: int = 32
    load_batch: int | None = None
    copy: bool = True
    background_writes: bool = False
    progress: bool | None = None
    dashboard: str | None = None


class RunInfo(msgspec.Struct, kw_only=True):
    """What a run did, phase by phase (written to ``OUT/run.json`` when ``out`` is given)."""

    address: str
    workers: int = 0
    tasks: int = 0
    cached_tasks: int = 0
    failed_tasks: int = 0
    articles: int = 0
    pairs: int = 0
    copied: int = 0  # articles written with COPY (PostgreSQL)
    shard_bytes: int = 0
    connect_seconds: float = 0.0
    tasks_seconds: float = 0.0
    task_seconds: float = 0.0  # summed over tasks (wall time on the workers)
    task_cpu_seconds: float = 0.0  # summed over tasks (process time on the workers)
    pairs_seconds: float = 0.0
    load_seconds: float = 0.0
    load_cpu_seconds: float = 0.0  # process time of this process during group + store (not the database's)
    seconds: float = 0.0


def cluster_option(
    cluster: str | None, out: str | Path | None = None, workers: int | None = None, progress: bool | None = None
) -> DaskOptions | None:
    """The value to pass as ``Pipeline.run(..., cluster=)`` for the CLI's ``--cluster``/``--out``
    (None when ``--cluster`` is not given: the one-process runner)."""
    if cluster is None:
        if out is not None:
            raise ValueError("--out needs --cluster (the Parquet shards are written by the Dask runner)")
        return None
    if cluster != "local" and "://" not in cluster:
        raise ValueError(f"--cluster takes 'local' or a scheduler address such as tcp://HOST:8786, not {cluster!r}")
    if cluster != "local" and out is None:
        raise ValueError(
            f"--cluster {cluster} needs --out DIR (out= from Python) on a file system shared by the workers and this machine"
        )
    return DaskOptions(address=cluster, out=str(out) if out is not None else None, workers=workers, progress=progress)


def _options(cluster: Any) -> tuple[DaskOptions, Any]:
    """Options and, when the caller handed one, a ready `distributed.Client`."""
    from distributed import Client

    if isinstance(cluster, DaskOptions):
        return cluster, None
    if isinstance(cluster, str):
        opts = cluster_option(cluster)
        assert opts is not None
        return opts, None
    if isinstance(cluster, Client):
        return DaskOptions(address="client"), cluster
    if hasattr(cluster, "scheduler_address"):  # a LocalCluster, SLURMCluster, ...
        return DaskOptions(address=cluster.scheduler_address), None
    raise TypeError(f"cluster must be 'local', a scheduler address, DaskOptions or a distributed.Client, not {cluster!r}")


@contextmanager
def connect(opts: DaskOptions, client: Any = None) -> Iterator[Any]:
    """A `distributed.Client` for the options (a local cluster is started and stopped here)."""
    from distributed import Client, LocalCluster

    if client is not None:
        yield client
        return
    if opts.address == "local":
        import os

        with (
            LocalCluster(
                n_workers=opts.workers or os.cpu_count() or 1,
                threads_per_worker=opts.threads_per_worker,
                processes=True,
                memory_limit=opts.memory_limit,
                dashboard_address=opts.dashboard or ":0",
                silence_logs=logging.ERROR,
            ) as local,
            Client(local) as c,
        ):
            yield c
        return
    try:
        c = Client(opts.address, timeout="20s")
    except OSError as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {opts.address}: {exc}") from None
    try:
        yield c
    finally:
        c.close()


def _run_tasks(
    client: Any, tasks: list[Task], settings: Settings, out: str, opts: DaskOptions, display: RunDisplay
) -> tuple[dict[int, TaskResult], list[Failure]]:
    """Every task on the cluster; failed ones retried, then reported."""
    from distributed import as_completed

    results: dict[int, TaskResult] = {}
    failures: list[Failure] = []
    attempts = dict.fromkeys(range(len(tasks)), 0)
    run_id = uuid.uuid4().hex[:12]  # keys unique to this run (a scheduler may serve several)

    def submit(number: int) -> Any:
        attempts[number] += 1
        future = client.submit(
            run_task, tasks[number], settings, out, key=f"warta-task-{run_id}-{number}-{attempts[number]}", pure=False
        )
        future.number = number
        return future

    display.phase("read + understand", len(tasks))
    pending = as_completed([submit(t.number) for t in tasks], with_results=False)
    for future in pending:
        number = future.number
        if future.status == "finished":
            result: TaskResult = future.result()
            results[number] = result
            display.advance(1, articles=result.articles, failures=len(result.failures))
        elif attempts[number] <= opts.retries:
            display.retried()
            pending.add(submit(number))
        else:
            exc = future.exception()
            reason = f"task failed after {attempts[number]} attempts: {type(exc).__name__}: {exc}"
            failures.append(Failure(source=tasks[number].label, reason=reason))
            display.advance(1, failures=1)
            display.note(f"failed: {tasks[number].label}: {reason}")
        future.release()
    return results, failures


def _group_pairs(
    client: Any,
    shards: list[str],
    minhash: MinHashConfig,
    min_similarity: float,
    partitions: int,
    out: str,
    display: RunDisplay,
) -> dict[int, list[tuple[int, float, bool]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warta.cluster.neardup import candidate_pairs, pairs_by_later

    display.phase("near duplicates", None)
    pairs = candidate_pairs(client, shards, minhash, min_similarity, partitions)
    table = pa.table({"earlier": pairs[0], "later": pairs[1], "similarity": pairs[2], "exact": pairs[3]})
    pq.write_table(table, Path(out) / "pairs.parquet")
    display.done()
    return pairs_by_later(pairs)


def run_dask(pipeline: Pipeline, sources: Iterable[str | Path | Document], cluster: Any) -> IngestReport:
    """`Pipeline.run(sources, cluster=...)` on Dask (see the module's docstring)."""
    started = time.perf_counter()
    opts, given_client = _options(cluster)
    grouper = pipeline._grouper()
    minhash = grouper.config.minhash if grouper is not None else MinHashConfig()
    settings = Settings(
        analyze=pipeline.analyze,
        components=pipeline.components,
        minhash=minhash,
        source_options=dict(pipeline.source_options),
    )
    tasks = plan_tasks(
        sources, settings, block_bytes=opts.block_bytes, documents_per_task=opts.documents_per_task
    )
    temporary = opts.out is None
    if temporary and given_client is None and opts.address != "local":
        raise ValueError(
            "a remote cluster writes its shards where this process must read them: give out= (--out DIR) "
            "on a file system shared by the workers and this machine"
        )
    out = tempfile.mkdtemp(prefix="warta-dask-") if temporary else str(Path(opts.out or ".").resolve())
    Path(out, "shards").mkdir(parents=True, exist_ok=True)
    counts = IngestCounts()
    failures: list[Failure] = []
    run = RunInfo(address=opts.address, tasks=len(tasks))
    try:
        with RunDisplay(opts.progress) as display:
            with connect(opts, given_client) as client:
                run.workers = len(client.scheduler_info(n_workers=-1).get("workers", {})) or 1
                run.connect_seconds = round(time.perf_counter() - started, 3)
                mark = time.perf_counter()
                results, task_failures = _run_tasks(client, tasks, settings, out, opts, display)
                run.tasks_seconds = round(time.perf_counter() - mark, 3)
                run.cached_tasks = sum(1 for r in results.values() if r.cached)
                run.task_seconds = round(sum(r.seconds for r in results.values() if not r.cached), 3)
                run.task_cpu_seconds = round(sum(r.cpu_seconds for r in results.values() if not r.cached), 3)
                run.articles = sum(r.articles for r in results.values())
                run.failed_tasks = len(task_failures)
                counts.failed += len(task_failures)
                failures.extend(task_failures)
                pairs: dict[int, list[tuple[int, float, bool]]] = {}
                if grouper is not None:
                    mark = time.perf_counter()
                    with_articles = [results[t.number].shard for t in tasks if t.number in results and results[t.number].articles]
                    partitions = opts.partitions or max(1, min(1024, 4 * run.workers, len(with_articles)))
                    pairs = _group_pairs(client, with_articles, minhash, grouper.index.min_similarity, partitions, out, display)
                    run.pairs = sum(len(v) for v in pairs.values())
                    run.pairs_seconds = round(time.perf_counter() - mark, 3)
            mark, cpu_mark = time.perf_counter(), time.process_time()
            store = pipeline.store
            from warta.cluster.bulk import CopyLoader, supports_copy

            loader = CopyLoader(store, background=opts.background_writes) if opts.copy and supports_copy(store) else None
            try:
                if loader is not None:
                    pipeline.store = loader  # type: ignore[assignment]
                _load(pipeline, grouper, tasks, results, pairs, counts, failures, opts, display)
                if loader is not None:
                    loader.wait()  # the last batch, and the counts of the batches written in the background
                    counts.new += loader.late.new
                    counts.updated += loader.late.updated
                    counts.unchanged += loader.late.unchanged
                    pipeline._tick(counts)
            finally:
                if loader is not None:
                    loader.close()
                pipeline.store = store
            run.copied = loader.copied if loader is not None else 0
            run.load_seconds = round(time.perf_counter() - mark, 3)
            run.load_cpu_seconds = round(time.process_time() - cpu_mark, 3)
        run.shard_bytes = sum(Path(r.shard).stat().st_size for r in results.values() if Path(r.shard).exists())
        run.seconds = round(time.perf_counter() - started, 3)
        if not temporary:
            Path(out, "run.json").write_bytes(msgspec.json.format(msgspec.json.encode(run)))
    finally:
        if temporary:
            shutil.rmtree(out, ignore_errors=True)
    return IngestReport(counts=counts, failures=failures, seconds=round(time.perf_counter() - started, 3))


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load(
    pipeline: Pipeline,
    grouper: Any,
    tasks: list[Task],
    results: dict[int, TaskResult],
    pairs: dict[int, list[tuple[int, float, bool]]],
    counts: IngestCounts,
    failures: list[Failure],
    opts: DaskOptions,
    display: RunDisplay,
) -> None:
    """Group (in input order) and write to the store in large transactions, as `Pipeline.run` does."""
    from warta.cluster.neardup import ShuffledIndex

    index = None
    register = None
    if grouper is not None:
        index = ShuffledIndex.wrap(grouper.index, pairs)
        grouper.index = index
        register = getattr(grouper, "_register", None)  # add() after its fingerprint and index lookup
    by_order: dict[int, list[str]] = {}
    for task in tasks:
        if task.number in results:
            by_order.setdefault(task.order, []).append(results[task.number].shard)
    display.phase("group + store", sum(r.articles for r in results.values()))
    batch: list[tuple[str, Article]] = []
    size = opts.load_batch or pipeline.batch_size
    rows = (row for order in sorted(by_order) for row in iter_rows(by_order[order]))
    for chunk in _chunks(rows, 1000):
        keys = [row[1] for row in chunk if row[3] is None]
        seen = pipeline.store.seen_documents(keys) if pipeline.resume and keys else set()  # type: ignore[arg-type]
        for pos, key, source, reason, data, signature, exact in chunk:
            if reason is not None or key is None or data is None:
                counts.failed += 1
                failures.append(Failure(source=source or "<document>", reason=reason or "no record"))
                continue
            if key in seen:
                counts.skipped += 1
                display.advance(1)
                continue
            article = from_json(data)
            counts.read += 1
            if grouper is not None:
                assert index is not None
                index.pos = pos
                if register is not None and signature is not None and exact is not None and article.id not in grouper.doc_of:
                    # the worker's signature: the group stage need not fingerprint the text again
                    doc, matches = index.add(np.frombuffer(signature, dtype="<u4").astype(np.uint32), int(exact))
                    article = register(article, doc, matches)
                else:
                    article = grouper.add(article)
                index.pos = None
                if article.duplicate_of:
                    counts.duplicate += 1
            batch.append((key, article))
            display.advance(1, articles=1)
            if len(batch) >= size:
                pipeline._write(batch, grouper, counts)
                batch.clear()
                pipeline._tick(counts)
    if batch:
        pipeline._write(batch, grouper, counts)
    pipeline._tick(counts)
    if grouper is not None and index is not None:
        grouper.index = index.unwrap()


__all__ = ["DaskOptions", "cluster_option", "connect", "run_dask"]
