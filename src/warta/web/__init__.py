"""The serve stage: a FastAPI app with a JSON API under /api/ and server-rendered pages.

    from warta.web import create_app, serve
    app = create_app("news.db")            # or a .jsonl of Articles, a Store adapter; token="..." for writes
    serve("news.db", "127.0.0.1", 8000)    # blocks; what `warta serve` runs
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from warta.web.views import WebStore


def create_app(
    store_url_or_store: str | Path | WebStore, *, token: str | None = None, cache_seconds: float | None = None
) -> FastAPI:
    """The web app over a store (see `warta.web.app.create_app`)."""
    from warta.web.app import create_app as _create

    return _create(store_url_or_store, token=token, cache_seconds=cache_seconds)


def serve(
    db: str | Path | WebStore | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    token: str | None = None,
    cache_seconds: float | None = None,
    log_level: str = "warning",
) -> None:
    """Serve the dashboard until interrupted. ``db`` None: the default store of `warta.store.open_store`."""
    import uvicorn

    if db is None:
        from warta.store import default_db_path

        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        db = str(path)
    app = create_app(db, token=token, cache_seconds=cache_seconds)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


__all__ = ["create_app", "serve"]
