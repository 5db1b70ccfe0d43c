"""`warta ingest`, `warta search`, `warta export`: the store's commands (thin faces over the library)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from warta.pipeline import IngestCounts
    from warta.store.base import SearchResult, Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="WARTA_DB",
        help="A SQLite file or a postgresql:// URL (default: warta.db in your data directory; env WARTA_DB).",
    ),
]


def _err(message: str) -> None:
    print(f"warta: {message}", file=sys.stderr)


def _open_existing(db: str | None) -> Store:
    """Open a store that must already exist (search and export never create an empty one)."""
    from warta.store import StoreError, default_db_path, open_store

    if db is None or not str(db).startswith(("postgresql://", "postgres://")):
        path = Path(db).expanduser() if db else default_db_path()
        if not path.exists():
            _err(f"no database at {path}: run `warta ingest SOURCE... --db {path}` first")
            raise typer.Exit(2)
    try:
        return open_store(db)
    except StoreError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None


def _parse_columns(columns: str | None) -> dict[str, str] | None:
    """``title=judul,body=isi,published=tanggal`` -> a mapping of record field to dataset column."""
    if not columns:
        return None
    mapping: dict[str, str] = {}
    for part in columns.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise typer.BadParameter(f"{part!r}: write FIELD=COLUMN, e.g. title=judul", param_hint="--columns")
        field, column = (x.strip() for x in part.split("=", 1))
        mapping[field] = column
    return mapping


def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, WARC files, feeds, URLs or datasets.")],
    db: DbOption = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help="Find entities, quotes, cited sources and keywords.")
    ] = True,
    group: Annotated[
        bool, typer.Option("--group/--no-group", help="Find duplicates, syndication and stories.")
    ] = True,
    columns: Annotated[
        str | None,
        typer.Option(help="Dataset columns, e.g. title=judul,body=isi,published=tanggal,url=link (CSV/JSONL inputs)."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Processes for reading (default: one per core).")] = None,
    resume: Annotated[
        bool, typer.Option("--resume/--no-resume", help="Skip documents an earlier run already stored.")
    ] = True,
    cluster: Annotated[
        str | None, typer.Option(help="Run on a Dask cluster: 'local' or tcp://SCHEDULER:8786.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="With --cluster: keep the Parquet shards here (a re-run reuses them).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles written per transaction.", hidden=True)] = 250,
) -> None:
    """Read SOURCES into the store: read -> understand -> group -> store.

    A run can be stopped at any time (even killed) and run again: documents already stored are
    skipped. Inputs that could not be read are listed at the end; the exit code is then 1.

    Examples:

      warta ingest dumps/ pages/*.html.gz

      warta ingest crawl.warc.gz --db postgresql://localhost/news

      warta ingest berita.csv --columns title=judul,body=isi,published=tanggal
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from warta.pipeline import Pipeline
    from warta.store import StoreError, open_store

    options: dict[str, Any] = {}
    mapping = _parse_columns(columns)
    if mapping:
        options["columns"] = mapping
    try:
        store = open_store(db)
    except StoreError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    console = Console(stderr=True)
    show = not quiet and console.is_terminal
    dask = None
    if cluster is not None or out is not None:  # the Dask runner has its own display
        from warta.pipeline_dask import cluster_option

        try:
            dask = cluster_option(cluster, out, workers=workers, progress=show)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--cluster") from None
        show = False
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
        console=console,
        disable=not show,
        transient=False,
    )
    task = progress.add_task("starting", rate="")
    import time

    started = time.perf_counter()

    def describe(c: IngestCounts) -> str:
        return (
            f"read [bold]{c.read}[/]  new [green]{c.new}[/]  updated [cyan]{c.updated}[/]  "
            f"unchanged {c.unchanged}  duplicate [yellow]{c.duplicate}[/]  skipped {c.skipped}  "
            f"failed [red]{c.failed}[/]"
        )

    def on_progress(c: IngestCounts) -> None:
        elapsed = max(time.perf_counter() - started, 1e-6)
        progress.update(task, description=describe(c), rate=f"{c.read / elapsed:.0f} articles/s")

    try:
        with progress, Pipeline(
            store,
            analyze=analyze,
            group=group,
            workers=workers,
            resume=resume,
            progress=on_progress,
            batch_size=batch_size,
            **options,
        ) as pipeline:
            report = pipeline.run(sources, cluster=dask)
    finally:
        store.close()
    c = report.counts
    summary = (
        f"{c.read} read, {c.new} new, {c.updated} updated, {c.unchanged} unchanged, {c.duplicate} duplicate, "
        f"{c.skipped} skipped (already stored), {c.failed} failed in {report.seconds:.1f} s -> {store.url}"
    )
    print(summary, file=sys.stderr)
    for failure in report.failures:
        _err(f"{failure.source}: {failure.reason}")
    raise typer.Exit(1 if report.failures else 0)


def _print_table(result: SearchResult) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    shown = f"{result.offset + 1}-{result.offset + len(result.hits)}" if result.hits else "0"
    total = f"{result.total:,}" + ("" if result.total_exact else "+")
    table = Table(title=f"{total} articles for {result.query!r} (showing {shown}, by {result.sort})", show_lines=True)
    table.add_column("date", no_wrap=True)
    table.add_column("outlet")
    table.add_column("title / snippet", ratio=1)
    table.add_column("id", no_wrap=True, style="dim")
    for hit in result.hits:
        a = hit.article
        cell = Text(a.title or "(no title)", style="bold")
        cell.append("\n")
        snippet = Text(hit.snippet)  # plain text: nothing in it is read as markup
        for h in hit.highlights:
            snippet.stylize("reverse yellow", h.start, h.end)
        cell.append_text(snippet)
        table.add_row((a.published_at or "")[:16].replace("T", " "), a.outlet or "", cell, a.id)
    console.print(table)
    if result.facets and (result.facets.outlet or result.facets.entity):
        outlets = ", ".join(f"{Text(f.value).plain} ({f.count})" for f in result.facets.outlet)
        entities = ", ".join(f"{f.value} ({f.count})" for f in result.facets.entity)
        if outlets:
            console.print(Text("outlets: " + outlets, style="dim"))
        if entities:
            console.print(Text("entities: " + entities, style="dim"))


def search(
    query: Annotated[str, typer.Argument(help='A query, e.g. \'"harga beras" outlet:kompas after:2024-01\'.')],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    sort: Annotated[str, typer.Option(help="relevance or date.")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Hits per page.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits (pagination).")] = 0,
    facets: Annotated[bool, typer.Option("--facets/--no-facets", help="Counts by outlet, day and entity.")] = True,
) -> None:
    """Search the store: words (stemmed: "kebijakan" finds "kebijakannya"), "phrases", AND/OR/NOT or
    -word, prefix*, (groups), and filters outlet: source: person: org: place: said: by: after: before: lang:.

    Examples:

      warta search 'putin "jaminan keamanan"'

      warta search 'said:"tidak benar" by:peskov after:2022-01 -ukraina' --sort date

      warta search 'person:jokowi outlet:kompas' --format json
    """
    import json

    import msgspec

    from warta.store import QueryError

    if format not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")
    if sort not in ("relevance", "date"):
        raise typer.BadParameter("use relevance or date", param_hint="--sort")
    store = _open_existing(db)
    try:
        result = store.search(query, sort=sort, limit=limit, offset=offset, facets=facets)  # type: ignore[arg-type]
    except QueryError as exc:
        _err(f"cannot read the query: {exc}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    if format == "json":
        data = msgspec.to_builtins(result)
        for hit, raw in zip(result.hits, data["hits"], strict=True):
            raw["snippet_html"] = hit.snippet_html()
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(result)


def export(
    query: Annotated[str | None, typer.Argument(help="Only articles matching this search query (default: all).")] = None,
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output; required for parquet).")] = None,
) -> None:
    """Export stored articles: JSONL (the Article JSON, one per line), CSV or Parquet (flat columns).

    Examples:

      warta export > all.jsonl

      warta export 'outlet:antara after:2024' --format parquet --out antara.parquet
    """
    from warta.store import QueryError
    from warta.store.export import FORMATS, write_csv, write_jsonl, write_parquet

    if format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    if format == "parquet" and out is None:
        raise typer.BadParameter("parquet needs a file: --out FILE.parquet", param_hint="--out")
    from warta.store.query import parse_query

    try:
        parse_query(query or "")  # a malformed query stops here, before any file is written
    except QueryError as exc:
        _err(f"cannot read the query: {exc}")
        raise typer.Exit(2) from None
    store = _open_existing(db)
    try:
        articles = store.iter_articles(query)
        if format == "parquet":
            assert out is not None
            n = write_parquet(articles, out)
        elif out is not None:
            with open(out, "wb") as target:
                n = (write_jsonl if format == "jsonl" else write_csv)(articles, target)
        else:
            n = (write_jsonl if format == "jsonl" else write_csv)(articles, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    finally:
        store.close()
    print(f"{n} articles exported" + (f" to {out}" if out else ""), file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the `warta` app."""
    app.command("ingest")(ingest)
    app.command("search")(search)
    app.command("export")(export)
