"""`warta demo` (what `make demo` runs): parse the bundled examples, ingest them, serve the dashboard.

The examples (examples/ in the source tree) are fictional pages written for warta, one per input format.
"""

from __future__ import annotations

import socket
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PATTERNS = ("text/*.txt", "html/*.html", "feeds/*.rss", "warc/*.warc.gz", "datasets/*.jsonl")


def example_files(root: Path = EXAMPLES) -> list[Path]:
    """The bundled example inputs, one or more per format."""
    return [p for pattern in PATTERNS for p in sorted(root.glob(pattern))]


def _free_port(host: str, preferred: int) -> int:
    for port in (preferred, *range(preferred + 1, preferred + 50)):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def run_demo(*, serve: bool = True, db: Path | None = None, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Parse and ingest the examples into a SQLite demo store; then serve it unless ``serve`` is False."""
    import warta
    from warta.pipeline import Pipeline

    console = Console(width=max(Console().width, 140))
    files = example_files()
    if not files:
        console.print(f"[red]no examples found under {EXAMPLES}[/red] (run the demo from a source checkout)")
        return 1

    table = Table(title="warta parse --analyze: the bundled examples (fictional pages written for warta)")
    for column in ("file", "outlet", "published", "title", "¶", "people", "quotes", "cites"):
        table.add_column(column, overflow="ellipsis", no_wrap=column not in ("title", "people"))
    for path in files:
        if path.suffix not in (".txt", ".html"):
            continue
        article = warta.analyze(warta.parse(path))
        table.add_row(
            path.name[:28],
            article.outlet or "",
            (article.published_at or "")[:16].replace("T", " "),
            article.title or "",
            str(len(article.body)),
            ", ".join(e.name for e in article.entities if e.type == "PER"),
            str(len(article.quotes)),
            ", ".join(s.name for s in article.sources),
        )
    console.print(table)

    db = db or Path.cwd() / "warta-demo.db"
    console.print(f"\n[bold]warta ingest[/bold] {len(files)} example files into {db}")
    with Pipeline(str(db), workers=1) as pipeline:
        report = pipeline.run([str(p) for p in files])
        store = pipeline.store
        counts = report.counts
        console.print(
            f"read {counts.read}, new {counts.new}, updated {counts.updated}, duplicates {counts.duplicate}, "
            f"failed {counts.failed}; {store.count()} articles in the store"
        )
        for failure in report.failures:
            console.print(f"[yellow]could not read[/yellow] {failure.source}: {failure.reason}")
        hits = store.search("banjir", limit=5)
        console.print(f'\n[bold]warta search "banjir"[/bold]: {hits.total} hit(s)')
        for hit in hits.hits:
            console.print(f"  {hit.article.outlet or '?'}  {hit.article.title}")
    if not serve:
        return 0
    from warta.web import serve as serve_web

    port = _free_port(host, port)
    console.print(f"\n[bold green]Dashboard:[/bold green] http://{host}:{port}/   (Ctrl-C to stop)")
    serve_web(str(db), host, port)
    return 0
