"""`warta crawl`: fetch news pages politely into a WARC file that `warta ingest` reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the `warta` app."""
    app.command(name="crawl")(crawl_command)


def crawl_command(
    seeds: Annotated[list[str], typer.Argument(help="Start URLs: front pages, section pages, RSS/Atom feeds or sitemaps.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="WARC file the pages are appended to (gzip).")] = Path(
        "crawl.warc.gz"
    ),
    state: Annotated[
        Path | None, typer.Option(help="Frontier file (SQLite); the same file resumes a stopped crawl. Default: OUT + .state")
    ] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", "-n", min=1, help="Stop after this many new pages.")] = 100,
    depth: Annotated[int, typer.Option(min=0, help="Links followed from the seeds (feeds count as one step).")] = 1,
    delay: Annotated[float, typer.Option(min=0.0, help="Seconds between two requests to one host (robots.txt may ask more).")] = 1.0,
    all_hosts: Annotated[bool, typer.Option("--all-hosts", help="Also follow links to other sites.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")] = False,
) -> None:
    """Crawl news pages politely and append them to a WARC file.

    Obeys robots.txt, waits DELAY seconds between requests to a host, retries with backoff, sends
    If-None-Match/If-Modified-Since on re-runs, removes tracking parameters and skips pages whose canonical
    URL was already crawled. Stop it any time; the same command resumes.

    Examples:

      warta crawl https://www.antaranews.com/rss/terkini.xml -n 50 -o antara.warc.gz

      warta ingest antara.warc.gz
    """
    from warta.sources.crawl import crawl
    from warta.sources.fetch import Fetcher

    state_path = state or out.with_name(out.name + ".state")

    def progress(what: str, detail: str) -> None:
        if not quiet:
            print(f"{what:9} {detail}", file=sys.stderr, flush=True)

    with Fetcher(delay=delay) as fetcher:
        try:
            report = crawl(
                seeds,
                state=state_path,
                out=out,
                max_pages=max_pages,
                max_depth=depth,
                same_site=not all_hosts,
                fetcher=fetcher,
                progress=progress,
            )
        except KeyboardInterrupt:
            print(f"warta: stopped; run the same command to resume (state in {state_path})", file=sys.stderr)
            raise typer.Exit(130) from None
    print(
        f"{report.pages} page(s) written to {out}; {report.unchanged} unchanged, {report.duplicates} duplicate(s), "
        f"{report.feeds} feed/sitemap read(s), {report.failed} failed",
        file=sys.stderr,
    )
    for url, reason in report.failures[:20]:
        print(f"warta: {url}: {reason}", file=sys.stderr)
    if report.pages == 0 and report.failed and not (report.unchanged or report.duplicates or report.feeds):
        raise typer.Exit(1)
