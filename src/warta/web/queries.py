"""`StoreAdapter`: the web's `WebStore`/`WebWriter` over `warta.store.Store` (SQLite or PostgreSQL).

It only calls the store's public methods. A store is used from one thread at a time, so calls are
serialised with a lock; slow aggregates (outlet volumes, counts) are cached for a few seconds.
"""

from __future__ import annotations

import gzip
import tempfile
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from warta.record import Article
from warta.sources.document import Document
from warta.store import base as sb
from warta.web.views import (
    MARK_CLOSE,
    MARK_OPEN,
    ArticleCard,
    ArticleView,
    Count,
    DayCount,
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
    gid,
)

T = TypeVar("T")
CACHE_SECONDS = 30.0
#: answers to repeated searches, entity, story and Terpopuler requests are kept this long by default;
#: writes through the web clear them at once, writes by another process show within this delay
RESULT_CACHE_SECONDS = 60.0
RESULT_CACHE_SIZE = 512
FACET_KIND = {"PER": "person", "ORG": "org", "LOC": "place"}


def open_web_store(url: str, *, cache_seconds: float = RESULT_CACHE_SECONDS) -> WebStore:
    """A store for the web: a SQLite path or a ``postgresql://`` URL is opened with
    `warta.store.open_store`; a ``.jsonl``/``.jsonl.gz`` file of Articles is loaded into a temporary
    SQLite store (removed when the adapter is closed or the process ends).
    ``cache_seconds``: how long repeated answers are reused (0: never)."""
    if url.endswith((".jsonl", ".jsonl.gz")):
        return jsonl_store(Path(url), cache_seconds=cache_seconds)
    from warta.store import open_store

    return StoreAdapter(open_store(url), cache_seconds=cache_seconds)


def jsonl_store(path: Path, *, cache_seconds: float = RESULT_CACHE_SECONDS) -> StoreAdapter:
    """The Articles of a JSONL file (one `warta.record.to_json` record a line) in a temporary SQLite
    store, as they are: their grouping (story, duplicate, syndication) is kept, not recomputed."""
    return articles_store(_read_jsonl(path), cache_seconds=cache_seconds)


def articles_store(articles: list[Article], *, cache_seconds: float = RESULT_CACHE_SECONDS) -> StoreAdapter:
    """Articles in a fresh SQLite store in a temporary folder (the store keeps one connection per
    thread, so a ``:memory:`` database would not be shared between the server's threads)."""
    from warta.store import open_store

    tmp = tempfile.TemporaryDirectory(prefix="warta-web-")
    try:
        store = open_store(Path(tmp.name) / "articles.db")
        if articles:
            store.upsert_articles(articles)
    except BaseException:
        tmp.cleanup()
        raise
    return StoreAdapter(store, cache_seconds=cache_seconds, cleanup=tmp.cleanup)


def _read_jsonl(path: Path) -> list[Article]:
    from warta.record import from_json

    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return [from_json(line) for line in raw.splitlines() if line.strip()]


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 instant (naive values are taken as UTC); None when absent or unreadable."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def card(s: sb.ArticleSummary, snippet: str | None = None) -> ArticleCard:
    return ArticleCard(
        id=s.id,
        title=s.title,
        outlet=s.outlet,
        domain=_domain(s.url),
        url=s.url,
        published_at=s.published_at,
        language=s.language,
        story_id=s.story_id,
        duplicate_of=s.duplicate_of,
        snippet=snippet,
    )


def _card_of(a: Article) -> ArticleCard:
    return ArticleCard(
        id=a.id,
        title=a.title,
        outlet=a.outlet,
        domain=a.domain or _domain(a.url),
        url=a.canonical_url or a.url,
        published_at=a.published_at,
        language=a.language,
        story_id=a.story_id,
        duplicate_of=a.duplicate_of,
    )


def marked_snippet(hit: sb.SearchHit) -> str:
    """The hit's snippet with its highlight spans wrapped in the web's match marks."""
    out: list[str] = []
    pos = 0
    for h in sorted(hit.highlights, key=lambda h: h.start):
        if h.start < pos or h.end > len(hit.snippet):
            continue
        out += [hit.snippet[pos : h.start], MARK_OPEN, hit.snippet[h.start : h.end], MARK_CLOSE]
        pos = h.end
    out.append(hit.snippet[pos:])
    return "".join(out)


def _merge_view(m: sb.MergeRecord) -> MergeRecord:
    by = m.evidence.get("by") if isinstance(m.evidence, dict) else None
    return MergeRecord(
        id=str(m.id),
        kept=m.keep,
        merged=m.merge,
        reason=m.reason,
        at=m.created_at or None,
        by=str(by) if by else None,
        undone=m.undone_at is not None,
    )


def _quote_view(q: sb.QuoteRecord) -> QuoteView:
    return QuoteView(
        article=card(q.article),
        paragraph=q.paragraph,
        text=q.text,
        kind=q.kind,
        cue=q.cue,
        speaker_name=q.speaker_name,
        speaker_id=q.speaker_id,
    )


class StoreAdapter:
    """`WebStore` and `WebWriter` over a `warta.store.Store`."""

    def __init__(
        self,
        store: sb.Store,
        *,
        cache_seconds: float = RESULT_CACHE_SECONDS,
        cleanup: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        #: run after the store is closed (e.g. removing the temporary folder of a JSONL file's store)
        self._cleanup = cleanup
        self.backend = type(store).__name__
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Any]] = {}
        self.cache_seconds = cache_seconds
        self._results: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._results_lock = threading.Lock()

    def _remembered(self, key: tuple[Any, ...], fn: Callable[[], T]) -> T:
        """``fn()``, or its answer from the last ``cache_seconds`` (a small LRU of whole views)."""
        if self.cache_seconds <= 0:
            return fn()
        now = time.monotonic()
        with self._results_lock:
            hit = self._results.get(key)
            if hit is not None and now - hit[0] < self.cache_seconds:
                self._results.move_to_end(key)
                value: T = hit[1]
                return value
        value = fn()
        with self._results_lock:
            self._results[key] = (now, value)
            self._results.move_to_end(key)
            while len(self._results) > RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return value

    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return fn(*args, **kwargs)

    def _cached(self, key: str, fn: Callable[[], T]) -> T:
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit and now - hit[0] < CACHE_SECONDS:
            value: T = hit[1]
            return value
        value = fn()
        self._cache[key] = (now, value)
        return value

    def _invalidate(self) -> None:
        self._cache.clear()
        with self._results_lock:
            self._results.clear()

    def _outlets(self) -> list[sb.OutletStats]:
        return self._cached("outlets", lambda: self._call(self.store.outlets))

    # -- reads ----------------------------------------------------------------------------------
    def stats(self) -> Stats:
        def compute() -> Stats:
            newest = self._call(self.store.latest, 1)
            return Stats(
                articles=self._call(self.store.count),
                outlets=len(self._outlets()),
                newest=newest[0].published_at if newest else None,
                backend=self.backend,
            )

        return self._cached("stats", compute)

    def latest(self, *, limit: int, offset: int = 0, outlet: str | None = None) -> list[ArticleCard]:
        return [card(s) for s in self._call(self.store.latest, limit, offset, outlet)]

    def article(self, article_id: str) -> ArticleView | None:
        a = self._call(self.store.get_article, article_id)
        if a is None:
            return None
        related = self._call(self.store.related, article_id, 30)
        dup_of = None
        if a.duplicate_of:
            found = self._call(self.store.get_articles, [a.duplicate_of])
            dup_of = _card_of(found[0]) if found else None
        duplicates = [card(r) for r in related if r.duplicate_of == a.id]
        synd: list[ArticleCard] = []
        if a.syndication:
            others = self._call(self.store.get_articles, [r.id for r in related])
            group = a.syndication.group_id
            synd = [
                _card_of(x)
                for x in sorted(others, key=lambda x: x.published_at or "")
                if x.syndication and x.syndication.group_id == group
            ]
        shown = {c.id for c in duplicates} | {c.id for c in synd} | ({a.duplicate_of} if a.duplicate_of else set())
        story = None
        if a.story_id:
            rec = self._call(self.store.get_story, a.story_id)
            story = self._story_card(rec) if rec else None
        return ArticleView(
            article=a,
            story=story,
            related=[card(r) for r in related if r.id not in shown],
            duplicate_of=dup_of,
            duplicates=duplicates,
            syndication=synd,
        )

    def search(
        self, query: str, *, limit: int, offset: int = 0, sort: str = "relevance", facets: bool = True
    ) -> SearchResult:
        return self._remembered(
            ("search", query, limit, offset, sort, facets), lambda: self._search(query, limit, offset, sort, facets)
        )

    def _search(self, query: str, limit: int, offset: int, sort: str, facets: bool) -> SearchResult:
        order: sb.SortOrder = "date" if sort == "date" else "relevance"
        try:
            res = self._call(self.store.search, query, order, limit, offset, facets)
        except sb.QueryError as exc:
            raise QueryError(str(exc)) from None
        out: dict[str, list[Count]] = {}
        if res.facets:
            out["outlet"] = [Count(value=f.value, count=f.count) for f in res.facets.outlet]
            out["day"] = [Count(value=f.value, count=f.count) for f in sorted(res.facets.day, key=lambda f: f.value)]
            for f in res.facets.entity:
                kind = FACET_KIND.get(f.type or "", "entity")
                out.setdefault(kind, []).append(Count(value=f.value, count=f.count, label=f.key))
        return SearchResult(
            query=query,
            total=res.total,
            offset=offset,
            limit=limit,
            sort=res.sort,
            hits=[card(h.article, marked_snippet(h)) for h in res.hits],
            facets=out,
        )

    @staticmethod
    def _story_card(rec: sb.StoryRecord) -> StoryCard:
        return StoryCard(
            id=rec.id,
            title=rec.title or (rec.first_article.title if rec.first_article else None),
            n_articles=rec.articles,
            n_outlets=len(rec.outlets),
            outlets=rec.outlets,
            first_published=rec.first_published,
            last_published=rec.last_published,
            first_article=card(rec.first_article) if rec.first_article else None,
        )

    def popular(self, *, hours: int, limit: int) -> list[StoryCard]:
        return self._remembered(("popular", hours, limit), lambda: self._popular(hours, limit))

    def _popular(self, hours: int, limit: int) -> list[StoryCard]:
        newest = self._call(self.store.latest, 1)
        anchor = parse_time(newest[0].published_at) if newest else None
        if anchor is None:
            return []
        since = (anchor - timedelta(hours=hours)).isoformat()
        recs = self._call(self.store.list_stories, since, limit)
        cards = [self._story_card(r) for r in recs if r.articles > 1]
        cards.sort(key=lambda c: (c.n_outlets, c.n_articles, c.last_published or ""), reverse=True)
        return cards

    def story(self, story_id: str) -> StoryView | None:
        return self._remembered(("story", story_id), lambda: self._story(story_id))

    def _story(self, story_id: str) -> StoryView | None:
        rec = self._call(self.store.get_story, story_id)
        if rec is None:
            return None
        members = self._call(self.store.get_articles, [s.id for s in rec.timeline[:300]])
        copies = [
            a.id for a in members if a.duplicate_of or (a.syndication is not None and not a.syndication.is_original)
        ]
        counts: Counter[str] = Counter()
        names: dict[str, tuple[str, str]] = {}
        for a in members:
            for e in a.entities:
                key = gid(e)
                counts[key] += 1
                names.setdefault(key, (e.name, e.type))
        ents = [EntityRef(id=k, name=names[k][0], type=names[k][1], count=n) for k, n in counts.most_common(20)]
        return StoryView(story=self._story_card(rec), articles=[card(s) for s in rec.timeline], copies=copies, entities=ents)

    def entity(self, entity_id: str, *, limit: int) -> EntityView | None:
        return self._remembered(("entity", entity_id, limit), lambda: self._entity(entity_id, limit))

    def _entity(self, entity_id: str, limit: int) -> EntityView | None:
        rec = self._call(self.store.get_entity, entity_id)
        if rec is None:
            return None
        eid = rec.id
        quotes = self._call(self.store.entity_quotes, eid, limit)
        mentions = self._call(self.store.entity_mentions, eid, limit)
        trend = self._call(self.store.entity_trend, eid)
        co = self._call(self.store.co_entities, eid, 20)
        aliases = self._call(self.store.aliases, eid)
        merges = self._call(self.store.merges, eid)
        return EntityView(
            id=eid,
            name=rec.name,
            type=rec.type,
            role=rec.roles[0] if rec.roles else None,
            aliases=list(dict.fromkeys(a.name for a in aliases if a.name != rec.name)),
            roles=rec.roles,
            n_articles=rec.articles,
            n_mentions=rec.mentions,
            n_quotes=rec.quotes,
            quotes=[_quote_view(q) for q in quotes],
            trend=[DayCount(day=f.value, count=f.count) for f in trend],
            cooccurring=[
                EntityRef(id=c.entity.id, name=c.entity.name, type=c.entity.type, count=c.articles) for c in co
            ],
            articles=[card(m.article) for m in mentions],
            merges=[_merge_view(m) for m in merges],
        )

    def entities(self, *, query: str | None, limit: int, offset: int = 0) -> list[EntityRef]:
        recs = self._call(self.store.list_entities, None, query, limit, offset)
        return [EntityRef(id=r.id, name=r.name, type=r.type, count=r.articles) for r in recs]

    def quotes(self, *, speaker: str | None, limit: int, offset: int = 0) -> list[QuoteView]:
        if speaker:
            return [_quote_view(q) for q in self._call(self.store.entity_quotes, speaker, limit, offset)]
        out: list[QuoteView] = []
        page = 0
        while len(out) < offset + limit and page < 20:
            rows = self._call(self.store.latest, 50, page * 50)
            if not rows:
                break
            for s in rows:
                out += [_quote_view(q) for q in self._call(self.store.quotes, s.id)]
            page += 1
        return out[offset : offset + limit]

    def outlet(self, name: str, *, limit: int) -> OutletView | None:
        stats = next((o for o in self._outlets() if o.name == name), None)
        if stats is None:
            return None
        latest = self._call(self.store.latest, limit, 0, name)
        return OutletView(
            name=name,
            domains=sorted({d for s in latest if (d := _domain(s.url))}),
            n_articles=stats.articles,
            first_published=stats.first_published,
            last_published=stats.last_published,
            volume=[DayCount(day=f.value, count=f.count) for f in stats.per_day],
            wire_sources=[Count(value=f.value, count=f.count) for f in stats.wire_sources],
            n_copies=sum(1 for s in latest if s.duplicate_of),
            latest=[card(s) for s in latest],
        )

    def outlets(self, *, limit: int) -> list[Count]:
        rows = sorted(self._outlets(), key=lambda o: o.articles, reverse=True)
        return [Count(value=o.name, count=o.articles) for o in rows[:limit]]

    # -- writes ---------------------------------------------------------------------------------
    def ingest_articles(self, articles: list[Article]) -> IngestReport:
        counts = self._call(self.store.upsert_articles, articles)
        self._invalidate()
        return IngestReport(
            read=len(articles),
            new=counts.new,
            updated=counts.updated,
            duplicate=counts.unchanged,
            ids=[a.id for a in articles],
        )

    def ingest_documents(self, docs: list[Document]) -> IngestReport:
        """Through the whole pipeline (read, understand, group, store), in this process."""
        from warta.pipeline import Pipeline

        with self._lock:
            before = {a.id for a in self.store.latest(50)}
            with Pipeline(self.store, workers=1, resume=False) as pipeline:
                report = pipeline.run(docs)
            ids = [a.id for a in self.store.latest(50) if a.id not in before]
        self._invalidate()
        c = report.counts
        return IngestReport(
            read=c.read + c.failed,
            new=c.new,
            updated=c.updated,
            duplicate=c.duplicate + c.unchanged,
            failed=c.failed,
            ids=ids,
            errors=[f"{f.source}: {f.reason}" for f in report.failures],
        )

    def merge_entities(self, keep: str, merge: str, *, reason: str | None, by: str | None) -> MergeRecord:
        try:
            merge_id = self._call(self.store.merge_entities, keep, merge, reason or "manual", {"by": by} if by else None)
        except sb.NotFound as exc:
            raise KeyError(str(exc)) from None
        except sb.StoreError as exc:
            raise ValueError(str(exc)) from None
        self._invalidate()
        return self._merge_record(merge_id)

    def unmerge(self, merge_id: str, *, by: str | None) -> MergeRecord:
        try:
            mid = int(merge_id)
        except ValueError:
            raise KeyError(f"no merge {merge_id!r}") from None
        try:
            self._call(self.store.undo_merge, mid)
        except sb.NotFound as exc:
            raise KeyError(str(exc)) from None
        self._invalidate()
        return self._merge_record(mid)

    def _merge_record(self, merge_id: int) -> MergeRecord:
        for m in self._call(self.store.merges, None):
            if m.id == merge_id:
                return _merge_view(m)
        raise KeyError(f"no merge {merge_id}")

    def close(self) -> None:
        self.store.close()
        if self._cleanup is not None:
            self._cleanup()
            self._cleanup = None
