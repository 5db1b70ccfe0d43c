"""`MemoryStore`: the web's read/write interface over Articles held in memory.

For a handful of articles (a JSONL file from `warta parse`, tests, a demo) where a database is not
worth it. It answers the same views as the store adapter (`warta.web.queries`), with a small search:
words (all must match), "phrases", ``-word`` to exclude, ``OR`` between words, ``word*`` prefixes and
the filters ``outlet: source: person: org: place: said: by: after: before: lang:``. Linear scans:
fine for thousands of articles, not for a newsroom archive (use `warta ingest` and a real store).
"""

from __future__ import annotations

import hashlib
import re
import shlex
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import msgspec

from warta.record import Article, Entity
from warta.sources.document import Document
from warta.store.base import entity_key
from warta.web.views import (
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
)

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
FILTERS = ("outlet", "source", "person", "org", "place", "said", "by", "after", "before", "lang")
_WORD = re.compile(r"\w+", re.UNICODE)


def card(a: Article, snippet: str | None = None) -> ArticleCard:
    return ArticleCard(
        id=a.id,
        title=a.title,
        outlet=a.outlet,
        domain=a.domain,
        url=a.canonical_url or a.url,
        published_at=a.published_at,
        language=a.language,
        story_id=a.story_id,
        duplicate_of=a.duplicate_of,
        snippet=snippet,
    )


def gid(e: Entity) -> str:
    """The store-wide id of an article's entity (an article's own ``Entity.id`` is local to it)."""
    return entity_key(e.type, e.name)


def speaker_gid(a: Article, local_id: str | None) -> str | None:
    """The store-wide id of a quote's speaker, from the article's entity it points at."""
    if not local_id:
        return None
    for e in a.entities:
        if e.id == local_id:
            return gid(e)
    return None


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 instant (naive values are taken as UTC); None when absent or unreadable."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


def _fold(text: str) -> str:
    return text.casefold()


class _Term(msgspec.Struct):
    field: str | None  # None: free text
    value: str
    negate: bool = False
    prefix: bool = False
    phrase: bool = False


def parse_query(query: str) -> list[list[_Term]]:
    """The query as a conjunction of disjunctions (``a b OR c`` = a AND (b OR c))."""
    try:
        tokens = shlex.split(query, posix=True)
    except ValueError as exc:
        raise QueryError(f"unbalanced quotes in query: {exc}") from None
    raw_phrases = set(re.findall(r'"([^"]*)"', query))
    groups: list[list[_Term]] = []
    pending_or = False
    for tok in tokens:
        if tok == "OR":
            if not groups:
                raise QueryError("OR needs a word on each side")
            pending_or = True
            continue
        if tok in ("AND",):
            continue
        negate = tok.startswith("-") and len(tok) > 1
        if negate:
            tok = tok[1:]
        field: str | None = None
        if ":" in tok and tok.split(":", 1)[0].lower() in FILTERS:
            field, tok = tok.split(":", 1)
            field = field.lower()
            if not tok:
                raise QueryError(f"the filter {field}: needs a value, e.g. {field}:Jakarta")
        elif ":" in tok and re.fullmatch(r"[a-z]+:.+", tok):
            known = " ".join(f + ":" for f in FILTERS)
            raise QueryError(f"unknown filter {tok.split(':', 1)[0]!r}; known filters: {known}")
        if field in ("after", "before") and parse_time(tok) is None:
            raise QueryError(f"{field}: wants a date like 2025-10-21, not {tok!r}")
        prefix = tok.endswith("*") and len(tok) > 1
        if prefix:
            tok = tok[:-1]
        term = _Term(field=field, value=_fold(tok), negate=negate, prefix=prefix, phrase=tok in raw_phrases)
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        raise QueryError("OR needs a word on each side")
    return groups


class MemoryStore:
    """Articles in memory behind the web's `WebStore` and `WebWriter` interfaces. Thread-safe."""

    backend = "memory"

    def __init__(self, articles: Iterable[Article] = ()) -> None:
        self._lock = threading.RLock()
        self._articles: dict[str, Article] = {}
        self._merged_into: dict[str, str] = {}
        self._merges: list[MergeRecord] = []
        self._extra_aliases: dict[str, set[str]] = defaultdict(set)
        self.ingest_articles(list(articles))

    # -- writes ---------------------------------------------------------------------------------
    def ingest_articles(self, articles: list[Article]) -> IngestReport:
        report = IngestReport()
        with self._lock:
            for a in articles:
                report.read += 1
                if not a.id:
                    report.failed += 1
                    report.errors.append(f"article without id: {a.title!r}")
                    continue
                old = self._articles.get(a.id)
                if old is None:
                    report.new += 1
                elif old != a:
                    report.updated += 1
                else:
                    report.duplicate += 1
                self._articles[a.id] = a
                report.ids.append(a.id)
        return report

    def ingest_documents(self, docs: list[Document]) -> IngestReport:
        from warta.web.ingest import read_and_analyze

        articles, errors = [], []
        for doc in docs:
            article, error = read_and_analyze(doc)
            if article is None:
                errors.append(error or "unreadable")
            else:
                articles.append(article)
        report = self.ingest_articles(articles)
        report.read += len(errors)
        report.failed += len(errors)
        report.errors += errors
        return report

    def merge_entities(self, keep: str, merge: str, *, reason: str | None, by: str | None) -> MergeRecord:
        with self._lock:
            keep, merge = self._resolve(keep), self._resolve(merge)
            if keep == merge:
                raise ValueError("the two entities are already one")
            if not self._entity_exists(keep) or not self._entity_exists(merge):
                raise KeyError("unknown entity")
            self._merged_into[merge] = keep
            rec = MergeRecord(
                id=hashlib.blake2b(f"{keep}\x1f{merge}\x1f{len(self._merges)}".encode(), digest_size=6).hexdigest(),
                kept=keep,
                merged=merge,
                reason=reason or "manual",
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                by=by,
            )
            self._merges.append(rec)
            return rec

    def unmerge(self, merge_id: str, *, by: str | None) -> MergeRecord:
        with self._lock:
            for i, rec in enumerate(self._merges):
                if rec.id == merge_id and not rec.undone:
                    self._merged_into.pop(rec.merged, None)
                    undone = msgspec.structs.replace(rec, undone=True)
                    self._merges[i] = undone
                    return undone
            raise KeyError(f"no active merge {merge_id!r}")

    # -- helpers --------------------------------------------------------------------------------
    def _resolve(self, entity_id: str) -> str:
        seen = set()
        while entity_id in self._merged_into and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self._merged_into[entity_id]
        return entity_id

    def _entity_exists(self, entity_id: str) -> bool:
        return any(gid(e) == entity_id for a in self._articles.values() for e in a.entities)

    def _sorted(self) -> list[Article]:
        return sorted(self._articles.values(), key=lambda a: (a.published_at or "", a.id), reverse=True)

    # -- reads ----------------------------------------------------------------------------------
    def stats(self) -> Stats:
        with self._lock:
            dates = sorted(a.published_at for a in self._articles.values() if a.published_at)
            ents = {self._resolve(gid(e)) for a in self._articles.values() for e in a.entities}
            return Stats(
                articles=len(self._articles),
                outlets=len({a.outlet for a in self._articles.values() if a.outlet}),
                stories=len({a.story_id for a in self._articles.values() if a.story_id}),
                entities=len(ents),
                newest=dates[-1] if dates else None,
                oldest=dates[0] if dates else None,
                backend=self.backend,
            )

    def latest(self, *, limit: int, offset: int = 0, outlet: str | None = None) -> list[ArticleCard]:
        with self._lock:
            rows = [a for a in self._sorted() if outlet is None or a.outlet == outlet]
            return [card(a) for a in rows[offset : offset + limit]]

    def article(self, article_id: str) -> ArticleView | None:
        with self._lock:
            a = self._articles.get(article_id)
            if a is None:
                return None
            by_url = {x.canonical_url or x.url: x for x in self._articles.values() if x.canonical_url or x.url}
            related = []
            for link in a.related:
                if link.url and link.url in by_url and by_url[link.url].id != a.id:
                    related.append(card(by_url[link.url]))
            if a.story_id:
                related += [
                    card(x)
                    for x in self._sorted()
                    if x.story_id == a.story_id and x.id != a.id and x.duplicate_of is None
                ][:10]
            dup_of = self._articles.get(a.duplicate_of) if a.duplicate_of else None
            dups = [card(x) for x in self._sorted() if x.duplicate_of == a.id]
            synd: list[ArticleCard] = []
            if a.syndication:
                gid = a.syndication.group_id
                members = [
                    x for x in self._articles.values() if x.syndication and x.syndication.group_id == gid and x.id != a.id
                ]
                synd = [card(x) for x in sorted(members, key=lambda x: x.published_at or "")]
            story = self._story_card(a.story_id) if a.story_id else None
            return ArticleView(
                article=a,
                story=story,
                related=related,
                duplicate_of=card(dup_of) if dup_of else None,
                duplicates=dups,
                syndication=synd,
            )

    def _story_members(self, story_id: str) -> list[Article]:
        return sorted(
            (a for a in self._articles.values() if a.story_id == story_id), key=lambda a: (a.published_at or "", a.id)
        )

    def _story_card(self, story_id: str, members: list[Article] | None = None) -> StoryCard | None:
        members = members if members is not None else self._story_members(story_id)
        if not members:
            return None
        outlets = list(dict.fromkeys(a.outlet for a in members if a.outlet))
        first = members[0]
        return StoryCard(
            id=story_id,
            title=first.title,
            n_articles=len(members),
            n_outlets=len(outlets),
            outlets=outlets,
            first_published=first.published_at,
            last_published=members[-1].published_at,
            first_article=card(first),
        )

    def popular(self, *, hours: int, limit: int) -> list[StoryCard]:
        with self._lock:
            times = [t for a in self._articles.values() if (t := parse_time(a.published_at))]
            if not times:
                return []
            anchor = min(max(times), datetime.now(UTC))
            since = anchor - timedelta(hours=hours)
            groups: dict[str, list[Article]] = defaultdict(list)
            for a in self._articles.values():
                t = parse_time(a.published_at)
                if a.story_id and t and since <= t <= anchor + timedelta(minutes=1):
                    groups[a.story_id].append(a)
            cards = []
            for sid, members in groups.items():
                members.sort(key=lambda a: (a.published_at or "", a.id))
                c = self._story_card(sid, members)
                if c:
                    cards.append(c)
            cards.sort(key=lambda c: (c.n_outlets, c.n_articles, c.last_published or ""), reverse=True)
            return cards[:limit]

    def story(self, story_id: str) -> StoryView | None:
        with self._lock:
            members = self._story_members(story_id)
            c = self._story_card(story_id, members)
            if c is None:
                return None
            copies = [a.id for a in members if a.duplicate_of or (a.syndication and not a.syndication.is_original)]
            counts: Counter[str] = Counter()
            names: dict[str, Entity] = {}
            for a in members:
                for e in a.entities:
                    eid = self._resolve(gid(e))
                    counts[eid] += 1
                    names.setdefault(eid, e)
            ents = [EntityRef(id=i, name=names[i].name, type=names[i].type, count=n) for i, n in counts.most_common(20)]
            return StoryView(story=c, articles=[card(a) for a in members], copies=copies, entities=ents)

    def _entity_records(self, entity_id: str) -> list[tuple[Article, Entity]]:
        return [
            (a, e) for a in self._articles.values() for e in a.entities if self._resolve(gid(e)) == entity_id
        ]

    def entity(self, entity_id: str, *, limit: int) -> EntityView | None:
        with self._lock:
            entity_id = self._resolve(entity_id)
            recs = self._entity_records(entity_id)
            if not recs:
                return None
            name_votes = Counter(e.name for _, e in recs if gid(e) == entity_id) or Counter(e.name for _, e in recs)
            name = name_votes.most_common(1)[0][0]
            aliases: Counter[str] = Counter()
            roles: Counter[str] = Counter()
            for _, e in recs:
                if e.name != name:
                    aliases[e.name] += 1
                for alias in e.aliases:
                    aliases[alias] += 1
                for m in e.mentions:
                    if m.text != name and not m.text.startswith("-"):
                        aliases[m.text] += 1
                if e.role:
                    roles[e.role] += 1
                for r in e.role_aliases:
                    roles[r] += 1
            ids = {gid(e) for _, e in recs}
            quotes: list[QuoteView] = []
            for a in self._sorted():
                for q in a.quotes:
                    sid = speaker_gid(a, q.speaker.entity_id)
                    if sid and self._resolve(sid) == entity_id:
                        quotes.append(
                            QuoteView(
                                article=card(a),
                                paragraph=q.paragraph,
                                text=q.text,
                                kind=q.kind,
                                cue=q.cue,
                                speaker_name=q.speaker.name,
                                speaker_id=entity_id,
                            )
                        )
            trend_c: Counter[str] = Counter()
            co: Counter[str] = Counter()
            co_names: dict[str, Entity] = {}
            arts = {a.id: a for a, _ in recs}
            for a in arts.values():
                if d := _day(a.published_at):
                    trend_c[d] += 1
                for e in a.entities:
                    other = self._resolve(gid(e))
                    if other != entity_id:
                        co[other] += 1
                        co_names.setdefault(other, e)
            articles = sorted(arts.values(), key=lambda a: (a.published_at or "", a.id), reverse=True)
            typ = recs[0][1].type
            return EntityView(
                id=entity_id,
                name=name,
                type=typ,
                role=roles.most_common(1)[0][0] if roles else None,
                aliases=[x for x, _ in aliases.most_common(30)],
                roles=[x for x, _ in roles.most_common(10)],
                n_articles=len(arts),
                n_mentions=sum(len(e.mentions) for _, e in recs),
                n_quotes=len(quotes),
                quotes=quotes[:limit],
                trend=[DayCount(day=d, count=n) for d, n in sorted(trend_c.items())],
                cooccurring=[
                    EntityRef(id=i, name=co_names[i].name, type=co_names[i].type, count=n) for i, n in co.most_common(20)
                ],
                articles=[card(a) for a in articles[:limit]],
                merges=[m for m in self._merges if m.kept in ids | {entity_id} or m.merged in ids | {entity_id}],
            )

    def entities(self, *, query: str | None, limit: int, offset: int = 0) -> list[EntityRef]:
        with self._lock:
            counts: Counter[str] = Counter()
            first: dict[str, Entity] = {}
            for a in self._articles.values():
                for e in a.entities:
                    eid = self._resolve(gid(e))
                    if query and _fold(query) not in _fold(e.name) and not any(
                        _fold(query) in _fold(x) for x in e.aliases
                    ):
                        continue
                    counts[eid] += 1
                    first.setdefault(eid, e)
            return [
                EntityRef(id=i, name=first[i].name, type=first[i].type, count=n)
                for i, n in counts.most_common()[offset : offset + limit]
            ]

    def quotes(self, *, speaker: str | None, limit: int, offset: int = 0) -> list[QuoteView]:
        with self._lock:
            out: list[QuoteView] = []
            want = self._resolve(speaker) if speaker else None
            for a in self._sorted():
                for q in a.quotes:
                    sid = speaker_gid(a, q.speaker.entity_id)
                    sid = self._resolve(sid) if sid else None
                    if want and sid != want:
                        continue
                    out.append(
                        QuoteView(
                            article=card(a),
                            paragraph=q.paragraph,
                            text=q.text,
                            kind=q.kind,
                            cue=q.cue,
                            speaker_name=q.speaker.name,
                            speaker_id=sid,
                        )
                    )
                    if len(out) >= offset + limit:
                        return out[offset:]
            return out[offset:]

    def outlet(self, name: str, *, limit: int) -> OutletView | None:
        with self._lock:
            rows = [a for a in self._sorted() if a.outlet == name]
            if not rows:
                return None
            vol = Counter(d for a in rows if (d := _day(a.published_at)))
            wires: Counter[str] = Counter()
            for a in rows:
                names = {s.name for s in a.sources if s.kind in ("news_agency", "media")}
                if a.syndication and a.syndication.wire_source:
                    names.add(a.syndication.wire_source)
                for name in names:
                    wires[name] += 1
            copies = sum(1 for a in rows if a.duplicate_of or (a.syndication and not a.syndication.is_original))
            dates = [a.published_at for a in rows if a.published_at]
            return OutletView(
                name=name,
                domains=sorted({a.domain for a in rows if a.domain}),
                n_articles=len(rows),
                first_published=min(dates) if dates else None,
                last_published=max(dates) if dates else None,
                volume=[DayCount(day=d, count=n) for d, n in sorted(vol.items())],
                wire_sources=[Count(value=w, count=n) for w, n in wires.most_common(20)],
                n_copies=copies,
                latest=[card(a) for a in rows[:limit]],
            )

    def outlets(self, *, limit: int) -> list[Count]:
        with self._lock:
            c = Counter(a.outlet for a in self._articles.values() if a.outlet)
            return [Count(value=o, count=n) for o, n in c.most_common(limit)]

    # -- search ---------------------------------------------------------------------------------
    def search(
        self, query: str, *, limit: int, offset: int = 0, sort: str = "relevance", facets: bool = True
    ) -> SearchResult:
        groups = parse_query(query)
        if not groups:
            raise QueryError("empty query: type a word, a \"phrase\" or a filter such as outlet:detik")
        with self._lock:
            scored: list[tuple[float, Article, list[str]]] = []
            for a in self._articles.values():
                ok, score, words = self._match(a, groups)
                if ok:
                    scored.append((score, a, words))
            if sort == "date":
                scored.sort(key=lambda t: (t[1].published_at or "", t[1].id), reverse=True)
            else:
                scored.sort(key=lambda t: (t[0], t[1].published_at or ""), reverse=True)
            counts: dict[str, Counter[str]] = {k: Counter() for k in ("outlet", "day", "person", "org", "place")}
            for _, a, _ in scored if facets else []:
                if a.outlet:
                    counts["outlet"][a.outlet] += 1
                if d := _day(a.published_at):
                    counts["day"][d] += 1
                for e in {(e.type, e.name) for e in a.entities}:
                    counts[{"PER": "person", "ORG": "org", "LOC": "place"}[e[0]]][e[1]] += 1
            hits = [card(a, snippet(a, words)) for _, a, words in scored[offset : offset + limit]]
            return SearchResult(
                query=query,
                total=len(scored),
                offset=offset,
                limit=limit,
                sort=sort,
                hits=hits,
                facets={
                    k: [Count(value=v, count=n) for v, n in (sorted(c.items()) if k == "day" else c.most_common(10))]
                    for k, c in counts.items()
                    if facets
                },
            )

    def _match(self, a: Article, groups: list[list[_Term]]) -> tuple[bool, float, list[str]]:
        text = _fold(" ".join([a.title or "", *a.body]))
        title = _fold(a.title or "")
        score = 0.0
        words: list[str] = []
        for group in groups:
            hit_any = False
            for t in group:
                hit, s = self._term(a, t, text, title)
                if t.negate:
                    hit = not hit
                elif hit and t.field is None:
                    words.append(t.value)
                if hit:
                    hit_any = True
                    score += s
            if not hit_any:
                return False, 0.0, []
        return True, score, words

    def _term(self, a: Article, t: _Term, text: str, title: str) -> tuple[bool, float]:
        v = t.value
        if t.field is None:
            if t.phrase or " " in v:
                n = text.count(v)
            else:
                pat = rf"\b{re.escape(v)}\w*" if t.prefix else rf"\b{re.escape(v)}\b"
                n = len(re.findall(pat, text))
            return n > 0, n + (3.0 if v in title else 0.0)
        f = t.field
        if f == "outlet":
            return v in _fold(a.outlet or "") or v in _fold(a.domain or ""), 0.0
        if f == "lang":
            return _fold(a.language or "") == v, 0.0
        if f == "source":
            return any(v in _fold(s.name) for s in a.sources), 0.0
        if f in ("person", "org", "place"):
            typ = {"person": "PER", "org": "ORG", "place": "LOC"}[f]
            return any(
                e.type == typ and (v in _fold(e.name) or any(v in _fold(m.text) for m in e.mentions)) for e in a.entities
            ), 1.0
        if f == "said":
            return any(v in _fold(q.text) for q in a.quotes), 1.0
        if f == "by":
            return any(v in _fold(q.speaker.name or "") for q in a.quotes), 1.0
        when = parse_time(a.published_at)
        bound = parse_time(v)
        if when is None or bound is None:
            return False, 0.0
        return (when >= bound if f == "after" else when < bound), 0.0


def snippet(a: Article, words: list[str], width: int = 220) -> str:
    """A window of the body around the first matched word, matches wrapped in MARK_OPEN/MARK_CLOSE."""
    body = " ".join(a.body)
    if not body:
        return ""
    low = _fold(body)
    pos = -1
    for w in words:
        pos = low.find(w)
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    if start:
        sp = body.find(" ", start)
        start = sp + 1 if 0 <= sp < start + 30 else start
    piece = body[start : start + width]
    if words:
        pat = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
        piece = pat.sub(lambda m: f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}", piece)
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")
