"""`warta serve`: the dashboard and JSON API over a store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite path, postgresql:// URL, or a .jsonl file of Articles (loaded into a temporary SQLite store)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind. Keep 127.0.0.1 unless the server must be reachable.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help="File holding a bearer token (>= 16 chars) that enables the write endpoints."),
    ] = None,
    cache_seconds: Annotated[
        float, typer.Option("--cache-seconds", help="Reuse answers to repeated searches and entity pages this long (0: off).")
    ] = 60.0,
) -> None:
    """Serve the dashboard (Terkini, Terpopuler, search, articles, stories, entities, outlets) and /api.

    Read-only unless --token-file is given. OpenAPI documentation at /docs.

    Example:

      warta serve --db news.db --port 8000
    """
    from warta.web import serve as run
    from warta.web.security import read_token_file

    token = None
    if token_file is not None:
        try:
            token = read_token_file(str(token_file))
        except (OSError, ValueError) as exc:
            print(f"warta serve: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warta serve: listening on {host}: reachable from other machines", file=sys.stderr)
    print(f"warta: serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        run(db, host, port, token=token, cache_seconds=cache_seconds)
    except Exception as exc:  # a store that cannot be opened: say so, no traceback
        from warta.store import StoreError

        if isinstance(exc, StoreError | OSError):
            print(f"warta serve: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
        raise


def register(app: typer.Typer) -> None:
    """Add `warta serve` to the CLI."""
    app.command("serve")(serve)
