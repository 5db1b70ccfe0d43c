"""The `warta` command line. Contracts (see README): parse, tag, ingest, search, serve, ...

Exit codes: 0 done; 1 some inputs could not be read (each named on stderr, the rest done); 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from warta.commands import crawl, entities, group, serve, store, tag

app = typer.Typer(
    name="warta",
    help=(
        "warta reads Indonesian online news (HTML pages, WARC archives, feeds, text dumps) into a clean "
        "record of who said what, where, when, and who copied whom.\n\n"
        "Start with `warta parse FILE` to see one article as JSON, `warta ingest SOURCE...` to build a "
        "searchable store, `warta search QUERY`, and `warta serve` for the dashboard."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="HTML pages or text dumps (.gz read transparently); '-' reads stdin.")],
    url: Annotated[str | None, typer.Option(help="The page's URL, when the file does not say it.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json (one pretty object per file) or jsonl (one per line).")] = "json",
    analyze: Annotated[bool, typer.Option("--analyze", help="Also fill entities, quotes, keywords and summary.")] = False,
) -> None:
    """Read each FILE and print one Article record per file.

    Examples:

      warta parse page.html --url https://news.example/a/1

      warta parse dumps/*.txt --format jsonl --analyze > articles.jsonl
    """
    from warta.parse_files import run_parse

    if format not in ("json", "jsonl"):
        raise typer.BadParameter("use json or jsonl", param_hint="--format")
    code = run_parse(files, url=url, fmt=format, analyze=analyze)
    raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the Article record (warta.article/1)."""
    import json

    from warta.record import article_schema

    sys.stdout.write(json.dumps(article_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the dashboard when done.")] = True,
) -> None:
    """Parse the bundled examples, ingest them into a demo store and serve the dashboard."""
    from warta.demo import run_demo

    raise typer.Exit(run_demo(serve=serve_after))


for _module in (store, tag, group, serve, crawl, entities):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
