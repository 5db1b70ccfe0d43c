"""The JSON API under /api/: everything the pages show, as the view records of `warta.web.views`.

Responses are encoded with msgspec (fast, and the same JSON as the library's); their schemas are
written into the OpenAPI document by `openapi_components`. Lists are bounded (`MAX_LIMIT`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Body, Depends, File, HTTPException, Query, Request, Response, UploadFile

from warta.record import article_schema, from_dict
from warta.web.security import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, require_token
from warta.web.views import (
    ArticleCard,
    ArticleView,
    Count,
    EntityRef,
    EntityView,
    IngestReport,
    MergeRecord,
    OutletView,
    QueryError,
    QuoteView,
    SearchResult,
    Stats,
    StoryCard,
    StoryView,
    WebStore,
    WebWriter,
)

router = APIRouter(prefix="/api", tags=["api"])
_enc = msgspec.json.Encoder()

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
WINDOWS = {"24h": 24, "7d": 24 * 7}

#: view type of each endpoint's 200 response, for the OpenAPI document
RESPONSES: dict[str, Any] = {}


def _json(obj: Any, status: int = 200) -> Response:
    return Response(_enc.encode(obj), status_code=status, media_type="application/json")


def _doc(view: Any) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for an endpoint that returns ``view`` (filled in by `openapi_components`)."""
    key = str(len(RESPONSES))
    RESPONSES[key] = view
    return {200: {"description": "OK", "content": {"application/json": {"x-warta-view": key}}}}


def store_of(request: Request) -> WebStore:
    s: WebStore = request.app.state.store
    return s


def writer_of(request: Request) -> WebWriter:
    s = request.app.state.store
    if not isinstance(s, WebWriter):
        raise HTTPException(501, "this store does not accept writes")
    return s


async def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Store calls block (SQL, scans): run them in a worker thread to keep the event loop free."""
    return await asyncio.to_thread(fn, *args, **kwargs)


@router.get("/stats", responses=_doc(Stats), summary="Counts of articles, outlets, stories and entities")
async def stats(request: Request) -> Response:
    return _json(await run(store_of(request).stats))


@router.get("/articles", responses=_doc(list[ArticleCard]), summary="Latest articles, newest first")
async def articles(request: Request, limit: Limit = 30, offset: Offset = 0, outlet: str | None = None) -> Response:
    return _json(await run(store_of(request).latest, limit=limit, offset=offset, outlet=outlet))


@router.get("/articles/{article_id}", responses=_doc(ArticleView), summary="One article with its links")
async def article(request: Request, article_id: str) -> Response:
    view = await run(store_of(request).article, article_id)
    if view is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return _json(view)


@router.get(
    "/search",
    responses=_doc(SearchResult),
    summary="Full-text search with filters and facets",
    description="The query language: words, \"phrases\", OR, -word, prefix*, and filters outlet: source: "
    "person: org: place: said: by: after: before: lang:. A malformed query answers 400 with the reason.",
)
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)],
    limit: Limit = 20,
    offset: Offset = 0,
    sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
    facets: Annotated[bool, Query(description="counts by outlet, day and entity (costly on a large store)")] = True,
) -> Response:
    try:
        result = await run(store_of(request).search, q, limit=limit, offset=offset, sort=sort, facets=facets)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None
    return _json(result)


@router.get("/popular", responses=_doc(list[StoryCard]), summary="Stories ranked by outlets covering them")
async def popular(
    request: Request, window: Annotated[str, Query(pattern="^(24h|7d)$")] = "24h", limit: Limit = 30
) -> Response:
    return _json(await run(store_of(request).popular, hours=WINDOWS[window], limit=limit))


@router.get("/stories/{story_id}", responses=_doc(StoryView), summary="A story: timeline, first report, copies")
async def story(request: Request, story_id: str) -> Response:
    view = await run(store_of(request).story, story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return _json(view)


@router.get("/entities", responses=_doc(list[EntityRef]), summary="Entities, most mentioned first")
async def entities(
    request: Request,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    return _json(await run(store_of(request).entities, query=q, limit=limit, offset=offset))


@router.get("/entities/{entity_id}", responses=_doc(EntityView), summary="Who said what, trend, aliases")
async def entity(request: Request, entity_id: str, limit: Limit = 50) -> Response:
    view = await run(store_of(request).entity, entity_id, limit=limit)
    if view is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return _json(view)


@router.get("/quotes", responses=_doc(list[QuoteView]), summary="Statements, newest first")
async def quotes(request: Request, speaker: str | None = None, limit: Limit = 50, offset: Offset = 0) -> Response:
    return _json(await run(store_of(request).quotes, speaker=speaker, limit=limit, offset=offset))


@router.get("/outlets", responses=_doc(list[Count]), summary="Outlets by number of articles")
async def outlets(request: Request, limit: Limit = 100) -> Response:
    return _json(await run(store_of(request).outlets, limit=limit))


@router.get("/outlets/{name}", responses=_doc(OutletView), summary="An outlet: volume, wire sources")
async def outlet(request: Request, name: str, limit: Limit = 30) -> Response:
    view = await run(store_of(request).outlet, name, limit=limit)
    if view is None:
        raise HTTPException(404, f"no outlet {name!r}")
    return _json(view)


@router.get("/schema/article", summary="JSON Schema of the Article record")
async def schema() -> Response:
    return _json(article_schema())


# -- writes (bearer token) ------------------------------------------------------------------------


class MergeIn(msgspec.Struct):
    keep: str
    merge: str
    reason: str | None = None


@router.post(
    "/ingest",
    responses=_doc(IngestReport),
    summary="Ingest articles (token)",
    description="Send Article JSON records (a list, as `warta parse --format json` gives), or a page as "
    "a file upload to /api/ingest/file. Needs `Authorization: Bearer <token>`.",
)
async def ingest(
    request: Request,
    articles: Annotated[list[dict[str, Any]], Body(max_length=1000)],
    _: Annotated[str, Depends(require_token)],
) -> Response:
    writer = writer_of(request)
    records = []
    for i, item in enumerate(articles):
        try:
            records.append(from_dict(item))
        except msgspec.ValidationError as exc:
            raise HTTPException(422, f"article {i}: {exc}") from None
    return _json(await run(writer.ingest_articles, records))


@router.post("/ingest/file", responses=_doc(IngestReport), summary="Ingest one page or text dump (token)")
async def ingest_file(
    request: Request,
    file: Annotated[UploadFile, File()],
    _: Annotated[str, Depends(require_token)],
    url: str | None = None,
) -> Response:
    from warta.web.ingest import ingest_bytes

    writer = writer_of(request)
    data = await file.read()
    return _json(await run(ingest_bytes, writer, data, url=url, name=file.filename))


class UrlIn(msgspec.Struct):
    url: str


@router.post("/ingest/url", responses=_doc(IngestReport), summary="Fetch one page and ingest it (token)")
async def ingest_url(
    request: Request, body: Annotated[dict[str, Any], Body()], _: Annotated[str, Depends(require_token)]
) -> Response:
    from warta.web.ingest import ingest_url as fetch_and_ingest

    try:
        u = msgspec.convert(body, UrlIn)
    except msgspec.ValidationError as exc:
        raise HTTPException(422, str(exc)) from None
    return _json(await run(fetch_and_ingest, writer_of(request), u.url))


@router.post("/entities/merge", responses=_doc(MergeRecord), summary="Merge two entities (token)")
async def merge(
    request: Request, body: Annotated[dict[str, Any], Body()], _: Annotated[str, Depends(require_token)]
) -> Response:
    try:
        m = msgspec.convert(body, MergeIn)
    except msgspec.ValidationError as exc:
        raise HTTPException(422, str(exc)) from None
    try:
        rec = await run(writer_of(request).merge_entities, m.keep, m.merge, reason=m.reason, by="api")
    except KeyError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(409, str(exc)) from None
    return _json(rec)


@router.post("/entities/unmerge/{merge_id}", responses=_doc(MergeRecord), summary="Undo a merge (token)")
async def unmerge(request: Request, merge_id: str, _: Annotated[str, Depends(require_token)]) -> Response:
    try:
        rec = await run(writer_of(request).unmerge, merge_id, by="api")
    except KeyError as exc:
        raise HTTPException(404, str(exc)) from None
    return _json(rec)


def openapi_components(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace each ``x-warta-view`` placeholder with the msgspec JSON Schema of that view."""
    views: list[Any] = []
    for path in schema.get("paths", {}).values():
        for op in path.values():
            for resp in (op.get("responses") or {}).values():
                content = (resp.get("content") or {}).get("application/json") or {}
                if "x-warta-view" in content:
                    views.append(content["x-warta-view"])
    if not views:
        return schema
    schemas, components = msgspec.json.schema_components(
        [RESPONSES[k] for k in views], ref_template="#/components/schemas/{name}"
    )
    by_view = dict(zip(views, schemas, strict=True))
    for path in schema.get("paths", {}).values():
        for op in path.values():
            for resp in (op.get("responses") or {}).values():
                content = (resp.get("content") or {}).get("application/json") or {}
                if "x-warta-view" in content:
                    content["schema"] = by_view[content.pop("x-warta-view")]
    schema.setdefault("components", {}).setdefault("schemas", {}).update(components)
    return schema
