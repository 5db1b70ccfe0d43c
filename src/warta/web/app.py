"""The FastAPI application: JSON API under /api/, pages, static assets, OpenAPI at /docs (offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from warta.web import api, pages
from warta.web.security import GuardMiddleware
from warta.web.views import WebStore

STATIC = Path(__file__).parent / "static"


def _docs_assets() -> Path | None:
    """Swagger UI's files as shipped by the fastapi-offline package (no CDN)."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    path = Path(fastapi_offline.__file__).parent / "static"
    return path if (path / "swagger-ui-bundle.js").exists() else None


def create_app(
    store_url_or_store: str | Path | WebStore,
    *,
    token: str | None = None,
    cache_seconds: float | None = None,
) -> FastAPI:
    """The warta web app over a store (an object, or a URL/path that `open_web_store` understands).

    ``token``: the operator's bearer token; without it the write endpoints answer 403.
    ``cache_seconds``: how long answers to repeated searches and entity/story pages are reused
    (default `RESULT_CACHE_SECONDS`; 0 turns the cache off). Writes through the web clear it.
    """
    from warta.web.queries import RESULT_CACHE_SECONDS, open_web_store

    if isinstance(store_url_or_store, WebStore):
        store = store_url_or_store
    else:
        seconds = RESULT_CACHE_SECONDS if cache_seconds is None else cache_seconds
        store = open_web_store(str(store_url_or_store), cache_seconds=seconds)
    app = FastAPI(
        title="warta",
        summary="Indonesian news as a record of who said what, where, when, and who copied whom.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.token = token
    app.add_middleware(GuardMiddleware)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    assets = _docs_assets()
    if assets is not None:
        app.mount("/static-docs", StaticFiles(directory=assets), name="static-docs")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        if assets is None:
            return HTMLResponse(
                "<p>Swagger UI's files are not installed (pip install fastapi-offline). "
                "The OpenAPI document is at <a href='/openapi.json'>/openapi.json</a>.</p>"
            )
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="warta API",
            swagger_js_url="/static-docs/swagger-ui-bundle.js",
            swagger_css_url="/static-docs/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            app.openapi_schema = api.openapi_components(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """JSON under /api/ (FastAPI's shape); a page in the reader's language elsewhere."""
        if request.url.path.startswith(("/api/", "/static")) or exc.status_code not in (404, 405):
            return await http_exception_handler(request, exc)
        return pages.not_found(request, request.url.path)

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
