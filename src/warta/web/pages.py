"""The HTML pages, rendered on the server with Jinja2 (autoescape on: every scraped string is escaped)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from warta.web import i18n
from warta.web.api import run, store_of
from warta.web.charts import bar_chart
from warta.web.render import ENTITY_CLASS, path_id, render_body, safe_href, snippet_html
from warta.web.security import MAX_OFFSET, MAX_QUERY_CHARS
from warta.web.views import DayCount, QueryError, SearchResult, WebStore, gid, speaker_gid

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 30
MAX_PAGE = MAX_OFFSET // PAGE_SIZE

env = Environment(
    loader=PackageLoader("warta.web", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["pid"] = path_id
env.filters["safe_href"] = safe_href
env.filters["snippet"] = snippet_html
env.globals["gid"] = gid
env.globals["speaker_gid"] = speaker_gid
env.globals["ent_class"] = lambda typ: ENTITY_CLASS.get(typ or "", "ent-other")

Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    """Render a page in the reader's language (``?lang=`` sets it and a cookie remembers it)."""
    qlang = request.query_params.get("lang")
    lang = i18n.pick(qlang, request.cookies.get(i18n.COOKIE))
    t = i18n.Translator(lang)
    other = "en" if lang == "id" else "id"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    html = env.get_template(template).render(
        t=t,
        fmt=t.when,
        lang=lang,
        other_lang=other,
        lang_url=f"{request.url.path}?{urlencode(params)}",
        request=request,
        **ctx,
    )
    resp = HTMLResponse(html, status_code=status)
    if qlang in i18n.LANGS:
        resp.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return resp


def not_found(request: Request, what: str) -> Response:
    lang = i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))
    t = i18n.Translator(lang)
    return render(request, "error.html", 404, heading=t("not_found"), message=f"{t('not_found_text')} ({what})")


@router.get("/", response_class=HTMLResponse)
async def latest(request: Request, page: Page = 1, outlet: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    store: WebStore = store_of(request)
    rows = await run(store.latest, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, outlet=outlet)
    stats = await run(store.stats)
    return render(
        request,
        "latest.html",
        nav="latest",
        articles=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        outlet=outlet,
        stats=stats,
    )


@router.get("/terpopuler", response_class=HTMLResponse)
async def popular(request: Request, window: Annotated[str, Query(pattern="^(24h|7d)$")] = "24h") -> Response:
    hours = 24 if window == "24h" else 24 * 7
    stories = await run(store_of(request).popular, hours=hours, limit=50)
    return render(request, "popular.html", nav="popular", stories=stories, window=window)


def _day_chart(result: SearchResult) -> Markup | None:
    days = result.facets.get("day")
    if not days:
        return None
    return bar_chart([DayCount(day=c.value, count=c.count) for c in days], label="day", width=240, height=90)


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
    page: Page = 1,
    facets: bool = False,
) -> Response:
    """Hits first; the facets (the costly part on a large store) come from /search/facets, which the
    page's script loads after it is shown (or inline with ``facets=1``, for readers without script)."""
    q = q.strip()
    result, error = None, None
    if q:
        try:
            result = await run(
                store_of(request).search,
                q,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                sort=sort,
                facets=facets,
            )
        except QueryError as exc:
            error = str(exc)
    return render(
        request,
        "search.html",
        400 if error else 200,
        nav="search",
        q=q,
        result=result,
        error=error,
        page=page,
        has_next=bool(result and result.total > page * PAGE_SIZE),
        day_chart=_day_chart(result) if result else None,
    )


@router.get("/search/facets", response_class=HTMLResponse)
async def search_facets(request: Request, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)]) -> Response:
    """The facet sidebar of a search, as an HTML fragment (escaped like every page)."""
    try:
        result = await run(store_of(request).search, q.strip(), limit=1, offset=0, facets=True)
    except QueryError as exc:
        return HTMLResponse(str(escape(str(exc))), status_code=400)
    return render(request, "_facets.html", q=q.strip(), result=result, day_chart=_day_chart(result))


@router.get("/article/{article_id}", response_class=HTMLResponse)
async def article(request: Request, article_id: str) -> Response:
    view = await run(store_of(request).article, article_id)
    if view is None:
        return not_found(request, article_id)
    a = view.article
    return render(
        request,
        "article.html",
        view=view,
        body=render_body(a),
        original=safe_href(a.canonical_url) or safe_href(a.url),
    )


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: str) -> Response:
    view = await run(store_of(request).story, story_id)
    if view is None:
        return not_found(request, story_id)
    return render(request, "story.html", nav="popular", view=view)


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
async def entity(request: Request, entity_id: str) -> Response:
    view = await run(store_of(request).entity, entity_id, limit=100)
    if view is None:
        return not_found(request, entity_id)
    t = i18n.Translator(i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE)))
    return render(
        request, "entity.html", nav="entities", e=view, chart=bar_chart(view.trend, label=t("mention_trend"))
    )


@router.get("/entities", response_class=HTMLResponse)
async def entities(
    request: Request, q: Annotated[str | None, Query(max_length=200)] = None, page: Page = 1
) -> Response:
    rows = await run(store_of(request).entities, query=q or None, limit=101, offset=(page - 1) * 100)
    return render(
        request, "entities.html", nav="entities", entities=rows[:100], has_next=len(rows) > 100, page=page, eq=q
    )


@router.get("/outlet/{name}", response_class=HTMLResponse)
async def outlet(request: Request, name: str) -> Response:
    view = await run(store_of(request).outlet, name, limit=PAGE_SIZE)
    if view is None:
        return not_found(request, name)
    t = i18n.Translator(i18n.pick(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE)))
    return render(
        request, "outlet.html", nav="outlets", o=view, chart=bar_chart(view.volume, label=t("outlet_volume"))
    )


@router.get("/outlets", response_class=HTMLResponse)
async def outlets(request: Request) -> Response:
    rows = await run(store_of(request).outlets, limit=500)
    return render(request, "outlets.html", nav="outlets", outlets=rows)
