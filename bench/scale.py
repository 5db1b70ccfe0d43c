"""Scaling: the pipeline on a Dask LocalCluster with 1 and 2 workers, beside the one-process runner.

    python -m bench.scale                         # 1000 Detik rows, full analysis (writes docs/bench/scale.md)
    python -m bench.scale --rows 300 --pg postgresql://postgres@127.0.0.1:55432/warta_test

The input is the Detik 2025 dataset (../shared/data/text/detik-2025, evaluation only) given as a CSV
file, which the Dask runner splits into stripes. Every run reads, understands (entities, quotes,
sources, keywords), groups and stores the same rows; the Dask runs are checked to store the same
records as the one-process runner. The figures per core and per article feed docs/SCALE.md.

With ``--pg`` the shards of the 2-worker run are loaded once more into PostgreSQL (a schema of its
own, dropped afterwards) to measure the load rate and the database size per article.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("WARTA_SHARED", ROOT.parent / "shared")) / "data"
OUT = Path(os.environ.get("WARTA_BENCH_OUT", ROOT / "docs" / "bench" / "scale.md"))


def write_rows(rows: int, folder: Path) -> Path:
    with (DATA / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        data = list(reader)[:rows]
        fields = reader.fieldnames
    assert fields is not None
    path = folder / "berita.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(data)
    return path


def records(url: str) -> dict[str, Any]:
    from warta.store import open_store

    with open_store(url) as store:
        out = {}
        for article in store.iter_articles():
            record = msgspec.to_builtins(article)
            record["provenance"].pop("fetched_at", None)
            out[article.id] = record
        return out


def index_bytes(url: str) -> int:
    from warta.group import Grouper
    from warta.store import open_store

    with open_store(url) as store:
        return int(Grouper.loads(store.get_state("group")).nbytes_index)


def pg_size(url: str) -> int:
    import psycopg

    from warta.store.postgres import split_schema

    conninfo, schema = split_schema(url)
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
            (schema,),
        ).fetchone()
    return int(row[0]) if row else 0


def html_cost(_pipeline: Any, pages: int = 120) -> dict[str, float]:
    """CPU milliseconds per HTML page (read only, and read + understand) in this process, on the
    first pages of the scrapinghub article-extraction set (real news pages, mostly English)."""
    from warta.pipeline import process_document
    from warta.sources.files import document_from_path

    files = sorted((DATA / "html/scrapinghub-aeb").rglob("*.html.gz"))[:pages]
    docs = [document_from_path(p) for p in files]
    process_document(docs[0], True)  # models loaded
    out: dict[str, float] = {"pages": len(docs), "kib": sum(len(d.data or b"") for d in docs) / len(docs) / 1024}
    for name, analyze in (("read_ms", False), ("read_understand_ms", True)):
        started = time.process_time()
        for doc in docs:
            process_document(doc, analyze)
        out[name] = 1000 * (time.process_time() - started) / len(docs)
    return out


def pg_load(base: str, dataset: Path, out: Path, block: int, copy: bool) -> dict[str, Any]:
    """The group + store phase into a fresh PostgreSQL schema (the shards in ``out`` are reused)."""
    from warta.pipeline import Pipeline
    from warta.pipeline_dask import DaskOptions
    from warta.store import open_store

    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}schema=bench_scale_{os.getpid()}_{int(copy)}"
    store = open_store(url)
    try:
        opts = DaskOptions(workers=2, out=str(out), block_bytes=block, progress=False, memory_limit="1.5GiB", copy=copy)
        with Pipeline(store) as pipeline:
            report = pipeline.run([dataset], cluster=opts)
        run = json.loads((out / "run.json").read_text())
        return {
            "load_seconds": run["load_seconds"],
            "load_cpu_seconds": run["load_cpu_seconds"],
            "copied": run["copied"],
            "bytes": pg_size(url),
            "read": report.counts.read,
            "records": records(url),
        }
    finally:
        store.drop()  # type: ignore[attr-defined]
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("WARTA_TEST_PG_URL"), help="PostgreSQL URL for the load figures")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/bench/scale.md")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-scale-"))
    # Run from a snapshot of the source (here and on the workers), so that edits made to the tree
    # while the bench runs cannot make its runs differ.
    shutil.copytree(ROOT / "src" / "warta", tmp / "src" / "warta", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(tmp / "src"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp / "src"), os.environ.get("PYTHONPATH")]))

    from warta.pipeline import Pipeline
    from warta.pipeline_dask import DaskOptions

    try:
        dataset = write_rows(args.rows, tmp)
        size = dataset.stat().st_size
        block = size // 16 + 1  # 16 stripes: enough to keep 2 workers busy
        results: dict[str, Any] = {}

        started = time.perf_counter()
        with Pipeline(str(tmp / "local.db"), workers=1) as pipeline:
            local = pipeline.run([dataset])
        results["local"] = {"seconds": time.perf_counter() - started, "counts": local.counts}
        print("one process:", round(results["local"]["seconds"], 1), "s", local.counts, flush=True)

        for workers in (1, 2):
            out = tmp / f"out{workers}"
            opts = DaskOptions(workers=workers, out=str(out), block_bytes=block, progress=False, memory_limit="1.5GiB")
            started = time.perf_counter()
            with Pipeline(str(tmp / f"dask{workers}.db")) as pipeline:
                report = pipeline.run([dataset], cluster=opts)
            run = json.loads((out / "run.json").read_text())
            run["wall"] = time.perf_counter() - started
            run["load"] = os.getloadavg()[0]
            run["counts"] = report.counts
            run["same"] = report.counts == local.counts and records(str(tmp / f"dask{workers}.db")) == records(
                str(tmp / "local.db")
            )
            results[f"dask{workers}"] = run
            print(f"dask {workers} worker(s):", {k: v for k, v in run.items() if k != "counts"}, flush=True)

        html = html_cost(Pipeline)
        print("html pages:", html, flush=True)
        articles = local.counts.read
        sqlite_bytes = (tmp / "dask2.db").stat().st_size
        index = index_bytes(str(tmp / "dask2.db"))
        pg: dict[bool, Any] | None = None
        if args.pg:
            pg = {}
            # the shards of the 2-worker run loaded again (cached): statement by statement, then with COPY
            for copy in (False, True):
                pg[copy] = pg_load(args.pg, dataset, tmp / "out2", block, copy)
                print("postgresql load, copy =", copy, {k: v for k, v in pg[copy].items() if k != "records"}, flush=True)

        text = report_md(args, results, articles, sqlite_bytes, index, pg, html)
        print(text)
        if not args.no_write:
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report_md(
    args: argparse.Namespace,
    results: dict[str, Any],
    articles: int,
    sqlite_bytes: int,
    index: int,
    pg: dict[bool, Any] | None,
    html: dict[str, float],
) -> str:
    one, two = results["dask1"], results["dask2"]
    local_s = results["local"]["seconds"]
    cmd = "python -m bench.scale" + (f" --rows {args.rows}" if args.rows != 1000 else "") + (" --pg $WARTA_TEST_PG_URL" if pg else "")
    lines = [
        "## Scale: the pipeline on a Dask cluster",
        "",
        f"Command: `{cmd}` (nice'd, on the shared 2-core machine while other work ran: absolute rates are noisy, "
        "the ratios of runs side by side are the figure). Input: "
        f"{articles} Detik 2025 rows as one CSV file ({one['tasks']} stripe tasks), full analysis (entities, "
        "quotes, sources, keywords), group stage, SQLite store.",
        "",
        "| runner | read + understand | articles/s (that phase) | CPU per article (tasks) | near-duplicate shuffle | group + store | whole run | same records as one process |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| one process (`Pipeline(workers=1)`) | | | | | | {local_s:.1f} s ({articles / local_s:.1f} articles/s) | (reference) |",
    ]
    for name, run in (("Dask LocalCluster, 1 worker", one), ("Dask LocalCluster, 2 workers", two)):
        lines.append(
            f"| {name} | {run['tasks_seconds']:.1f} s | {run['articles'] / run['tasks_seconds']:.1f} | "
            f"{1000 * run['task_cpu_seconds'] / max(1, run['articles']):.1f} ms | "
            f"{run['pairs_seconds']:.1f} s ({run['pairs']} pairs) | {run['load_seconds']:.1f} s | {run['wall']:.1f} s | "
            f"{'yes' if run['same'] else 'NO'} |"
        )
    ratio_tasks = one["tasks_seconds"] / two["tasks_seconds"]
    ratio_wall = one["wall"] / two["wall"]
    per_core = one["articles"] / one["task_cpu_seconds"]
    load_rate = articles / two["load_seconds"]
    lines += [
        "",
        f"**2 workers vs 1: {ratio_tasks:.2f}x** the read + understand throughput (wall clock), {ratio_wall:.2f}x the whole "
        "run (the cluster start, the model loading on each worker and the ordered load do not shrink). CPU per article "
        f"is {two['task_cpu_seconds'] / max(1e-9, one['task_cpu_seconds']):.2f}x with 2 workers vs 1 (two processes share "
        "the caches, and each loads the models); the wall-clock ratio is bounded by the CPU the shared machine gave "
        f"(load average {one['load']:.1f} and {two['load']:.1f} on {os.cpu_count()} cores at the end of the two runs).",
        "",
        "Per-core and per-article figures (used by docs/SCALE.md):",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| read + understand + MinHash per core (CPU time of the tasks, 1 worker; model loading included) | {per_core:.1f} articles/s |",
        f"| HTML page ({html['pages']:.0f} scrapinghub-aeb pages, {html['kib']:.0f} KiB raw on average): read, CPU | {html['read_ms']:.1f} ms |",
        f"| HTML page: read + understand, CPU | {html['read_understand_ms']:.1f} ms |",
        f"| group + store into SQLite, in order (one process), wall clock | {load_rate:.0f} articles/s |",
        f"| group + store into SQLite, CPU of that process per article | {1000 * two['load_cpu_seconds'] / articles:.2f} ms |",
        f"| Parquet shard (zstd: record JSON + signature) | {two['shard_bytes'] / articles / 1024:.2f} KiB/article |",
        f"| MinHash index of the group stage (signatures + band keys) | {index / articles:.0f} bytes/article |",
        f"| SQLite store (records, FTS5, entities, quotes) | {sqlite_bytes / articles / 1024:.1f} KiB/article |",
    ]
    if pg:
        plain, bulk = pg[False], pg[True]
        same = "yes" if plain["records"] == bulk["records"] else "NO"
        lines += [
            f"| group + store into PostgreSQL, statement by statement (`upsert_articles`), wall clock | {plain['read'] / plain['load_seconds']:.0f} articles/s |",
            f"| group + store into PostgreSQL, with COPY ({bulk['copied']} articles copied), wall clock | {bulk['read'] / bulk['load_seconds']:.0f} articles/s |",
            f"| same, CPU of that process per article (the server's not counted): upsert / COPY | {1000 * plain['load_cpu_seconds'] / plain['read']:.2f} / {1000 * bulk['load_cpu_seconds'] / bulk['read']:.2f} ms |",
            f"| PostgreSQL store (tables + indexes) | {bulk['bytes'] / bulk['read'] / 1024:.1f} KiB/article |",
            "",
            f"COPY vs statement by statement: **{plain['load_seconds'] / bulk['load_seconds']:.2f}x** the load rate, same records: {same}.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
