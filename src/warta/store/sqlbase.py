"""What SQLite and PostgreSQL share: the relational schema's logic, written once in portable SQL.

Statements are written with ``?`` placeholders; the PostgreSQL backend turns them into ``%s``. Every
value goes through a parameter, never into the SQL text. A backend supplies connections
(`_tx`, `_read`), the full-text parts (index, delete, match predicates, ranked search) and the
names of a few functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from abc import abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec

from warta.record import Article, Provenance, from_json, to_json
from warta.store import migrations
from warta.store.analysis import ANALYSIS_VERSION, analyze, word_stems
from warta.store.base import (
    Alias,
    ArticleMeta,
    ArticleSummary,
    CoEntity,
    EntityMention,
    EntityRecord,
    FacetCount,
    Facets,
    MergeRecord,
    NotFound,
    OutletStats,
    QuoteRecord,
    SearchHit,
    SearchResult,
    SortOrder,
    Store,
    StoreError,
    StoryMeta,
    StoryRecord,
    UpsertCounts,
    entity_key,
    normalize_name,
)
from warta.store.query import And, Filter, Node, Not, Or, ParsedQuery, Text, collect_terms, parse_query
from warta.store.snippet import make_snippet

WIB = timezone(timedelta(hours=7))
SUMMARY_COLS = "a.id, a.title, a.outlet, a.url, a.published_at, a.language, a.story_id, a.duplicate_of"
MAX_LIMIT = 1000
FACET_SIZE = 10


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ts_iso(ts: int | None) -> str | None:
    """Epoch seconds as ISO 8601 in WIB (the time zone of most of what warta reads)."""
    return None if ts is None else datetime.fromtimestamp(ts, WIB).isoformat()


def parse_published(value: str | None) -> tuple[int | None, str | None]:
    """(epoch seconds, local YYYY-MM-DD) of an ISO time; dates without offset are read in WIB."""
    if not value:
        return None, None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=WIB)
    try:
        return int(dt.timestamp()), dt.date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None, None


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def body_hash(article: Article) -> str:
    return _hash("\n".join(article.body).encode("utf-8"))


def pack(article: Article) -> bytes:
    """The stored form of a record: its public JSON, zlib-compressed (news text shrinks ~3x)."""
    return zlib.compress(to_json(article), 6)


def unpack(data: bytes) -> Article:
    return from_json(zlib.decompress(bytes(data)))


def _clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def _summary(row: Sequence[Any]) -> ArticleSummary:
    return ArticleSummary(
        id=row[0],
        title=row[1],
        outlet=row[2],
        url=row[3],
        published_at=row[4],
        language=row[5],
        story_id=row[6],
        duplicate_of=row[7],
    )


class Tx:
    """A thin cursor facade: the same calls on sqlite3 and psycopg connections."""

    def __init__(self, conn: Any, translate: Any) -> None:
        self.conn = conn
        self.translate = translate

    def run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.translate(sql), tuple(params))

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.conn.cursor().executemany(self.translate(sql), rows)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.run(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.run(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]


class SQLStore(Store):
    """The shared implementation. Subclasses: `warta.store.sqlite.SQLiteStore`, `warta.store.postgres.PostgresStore`."""

    #: the migration list of this backend
    MIGRATIONS: list[list[str]] = []
    #: how to make the facet query read the covering index instead of the big rows
    COVER_HINT = ""
    #: NULL-ignoring two-argument min/max
    LEAST = "min"
    GREATEST = "max"

    # -- what a backend provides ----------------------------------------------------------
    @abstractmethod
    def _tx(self) -> AbstractContextManager[Tx]:
        """A write transaction."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Tx]:
        """A connection for reading."""

    @abstractmethod
    def _insert_article_row(self, tx: Tx, values: dict[str, Any], title: str, body: str) -> int:
        """Insert an articles row (without ``seq``) with its analysed title and body indexed; return its seq."""

    @abstractmethod
    def _index_text(self, tx: Tx, seq: int, title: str, body: str, old: tuple[str, str] | None) -> None:
        """(Re)index an article's analysed title and body; ``old`` is what was indexed before."""

    @abstractmethod
    def _index_quote(self, tx: Tx, qseq: int, text: str, old: str | None) -> None: ...

    @abstractmethod
    def _unindex_quote(self, tx: Tx, qseq: int, old: str) -> None: ...

    @abstractmethod
    def _insert_quotes(self, tx: Tx, rows: list[tuple[tuple[Any, ...], str]]) -> None:
        """Insert quote rows (values, analysed text) and index them."""

    @abstractmethod
    def _text_predicate(self, expr: str) -> tuple[str, list[Any]]:
        """SQL (over alias ``a``) true for articles whose title or body match a rendered expression."""

    @abstractmethod
    def _said_predicate(self, expr: str) -> tuple[str, list[Any]]:
        """SQL (over alias ``a``) true for articles with a quote matching the expression."""

    @abstractmethod
    def _render(self, node: Node) -> str:
        """A pure-text query tree as this backend's match syntax (FTS5 or tsquery)."""

    @abstractmethod
    def _ranked(
        self, tx: Tx, match: str, where: str, params: list[Any], sort: SortOrder, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """(seq, score) of one page of matches and the total, for a text match plus SQL filters."""

    @abstractmethod
    def _matched_seqs_sql(
        self, match: str | None, where: str, params: list[Any], window: int | None = None
    ) -> tuple[str, list[Any]]:
        """A SELECT of ``seq`` for every matching article (for facets and exports), or of the
        ``window`` most recently stored ones."""

    #: Ranking, date sorting and facets look at the most recently stored matches only when a query
    #: matches more than this many articles (the total stays exact). None: always all of them.
    RANK_WINDOW: int | None = 2_000

    #: Counting stops past this many matches (the total then reads "10,000+": ``total_exact`` False).
    COUNT_CAP: int | None = 10_000

    def _count_limit(self) -> int:
        return 2**62 if self.COUNT_CAP is None else self.COUNT_CAP + 1

    def _window(self, total: int) -> int | None:
        return self.RANK_WINDOW if self.RANK_WINDOW is not None and total > self.RANK_WINDOW else None

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self, max_version: int | None = None) -> None:
        target = len(self.MIGRATIONS) if max_version is None else max_version
        with self._tx() as tx:
            tx.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            current = int(tx.scalar("SELECT value FROM meta WHERE key = 'schema_version'") or 0)
        if current > len(self.MIGRATIONS):
            raise StoreError(
                f"this database has schema version {current}, newer than this warta knows "
                f"({len(self.MIGRATIONS)}): upgrade warta"
            )
        self._version = max(current, target)
        for version in range(current + 1, target + 1):
            with self._tx() as tx:
                for statement in self.MIGRATIONS[version - 1]:
                    tx.run(statement)
                if version == 3 and current > 0:
                    self._backfill_vocab(tx)
                tx.run(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(version),),
                )
        with self._tx() as tx:
            analysis = tx.scalar("SELECT value FROM meta WHERE key = 'analysis_version'")
            if analysis is None:
                tx.run("INSERT INTO meta (key, value) VALUES ('analysis_version', ?)", (str(ANALYSIS_VERSION),))
            elif int(analysis) != ANALYSIS_VERSION:
                raise StoreError(
                    f"this database was indexed with text analysis version {analysis}, this warta uses "
                    f"{ANALYSIS_VERSION}: re-ingest into a new database"
                )

    def _backfill_vocab(self, tx: Tx) -> None:
        """Migration 3 on an existing database: the vocabulary of the articles already stored."""
        last = -1
        while True:
            rows = tx.all("SELECT seq, record FROM articles WHERE seq > ? ORDER BY seq LIMIT 500", (last,))
            if not rows:
                return
            for _, data in rows:
                article = unpack(data)
                self._add_vocab(tx, word_stems((article.title or "") + "\n" + "\n".join(article.body))[1])
            last = int(rows[-1][0])

    def schema_version(self) -> int:
        with self._read() as tx:
            return int(tx.scalar("SELECT value FROM meta WHERE key = 'schema_version'") or 0)

    # -- articles -------------------------------------------------------------------------
    def upsert_articles(
        self,
        articles: Iterable[Article],
        *,
        documents: Sequence[str] = (),
        state: Mapping[str, bytes] | None = None,
    ) -> UpsertCounts:
        counts = UpsertCounts()
        stamp = now_iso()
        try:
            self._upsert_batch(articles, documents, state, counts, stamp)
        except BaseException:
            self._vocab_known: set[str] = set()  # words of the rolled-back batch are not in the table
            self._outlets_known: set[tuple[str, str]] = set()
            self._names_known: set[tuple[str, str]] = set()
            raise
        return counts

    def _upsert_batch(
        self,
        articles: Iterable[Article],
        documents: Sequence[str],
        state: Mapping[str, bytes] | None,
        counts: UpsertCounts,
        stamp: str,
    ) -> None:
        batch = list(articles)
        for article in batch:
            if not article.id:
                raise ValueError("an article without an id cannot be stored (warta.record.make_id gives one)")
        with self._tx() as tx:
            existing = self._existing(tx, [a.id for a in batch])
            self._prepare_new(tx, len({a.id for a in batch} - set(existing)))
            vocab: list[tuple[str, str]] = []
            for article in batch:
                outcome, row = self._upsert_one(tx, article, stamp, existing.get(article.id), vocab)
                existing[article.id] = row
                if outcome == "new":
                    counts.new += 1
                elif outcome == "updated":
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            self._add_vocab(tx, vocab)
            self._add_outlet_keys(tx, batch)
            self._add_name_keys(tx, batch)
            tx.many(
                "INSERT INTO documents (key, done_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [(key, stamp) for key in documents],
            )
            for key, data in (state or {}).items():
                self._put_state(tx, key, data, stamp)

    def _existing(self, tx: Tx, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """(seq, record_hash, body_hash, previous_body_hash, record, version) of the stored ones."""
        found: dict[str, tuple[Any, ...]] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in tx.all(
                "SELECT id, seq, record_hash, body_hash, previous_body_hash, record, version "  # noqa: S608
                f"FROM articles WHERE id IN ({marks})",
                chunk,
            ):
                found[row[0]] = tuple(row[1:])
        return found

    def _prepare_new(self, tx: Tx, n: int) -> None:
        """Called before ``n`` new articles are inserted (a backend may reserve their seqs)."""

    #: words known to be in the vocabulary table (saves re-inserting them); bounded
    _VOCAB_CACHE = 300_000

    def _add_vocab(self, tx: Tx, pairs: list[tuple[str, str]]) -> None:
        if getattr(self, "_version", migrations.LATEST) < 3:
            return  # an old schema kept on purpose (max_version): no vocabulary table
        known: set[str] | None = getattr(self, "_vocab_known", None)
        if known is None or len(known) > self._VOCAB_CACHE:
            known = set()
            self._vocab_known = known
        fresh = [(w, st) for w, st in dict(pairs).items() if w not in known and len(w) > 1 and not w.isdigit()]
        if fresh:
            self._insert_vocab(tx, fresh)
            known.update(w for w, _ in fresh)

    def _add_outlet_keys(self, tx: Tx, batch: list[Article]) -> None:
        if getattr(self, "_version", migrations.LATEST) < 4:
            return
        known: set[tuple[str, str]] | None = getattr(self, "_outlets_known", None)
        if known is None:
            known = set()
            self._outlets_known = known
        pairs = {(normalize_name(a.outlet or ""), normalize_name(a.domain or "")) for a in batch} - known
        if pairs:
            tx.many("INSERT INTO outlet_keys (outlet_key, domain_key) VALUES (?, ?) ON CONFLICT DO NOTHING", sorted(pairs))
            known.update(pairs)

    def _add_name_keys(self, tx: Tx, batch: list[Article]) -> None:
        """The distinct names of sources and speakers (what source: and by: look up)."""
        if getattr(self, "_version", migrations.LATEST) < 5:
            return
        known: set[tuple[str, str]] | None = getattr(self, "_names_known", None)
        if known is None:
            known = set()
            self._names_known = known
        keys = {("source", normalize_name(src.name)) for a in batch for src in a.sources}
        keys |= {("speaker", normalize_name(q.speaker.name)) for a in batch for q in a.quotes if q.speaker.name}
        for a in batch:  # a speaker known only by its entity: its name is the entity's
            names = {e.id: e.name for e in a.entities}
            keys |= {
                ("speaker", normalize_name(names[q.speaker.entity_id]))
                for q in a.quotes
                if not q.speaker.name and q.speaker.entity_id in names
            }
        fresh = sorted(k for k in keys - known if k[1])
        if fresh:
            tx.many("INSERT INTO name_keys (kind, key) VALUES (?, ?) ON CONFLICT DO NOTHING", fresh)
            known.update(fresh)

    def _insert_vocab(self, tx: Tx, pairs: list[tuple[str, str]]) -> None:
        tx.many("INSERT INTO vocab (word, stem) VALUES (?, ?) ON CONFLICT (word) DO NOTHING", pairs)

    def _upsert_one(
        self, tx: Tx, article: Article, stamp: str, row: tuple[Any, ...] | None, vocab: list[tuple[str, str]]
    ) -> tuple[str, tuple[Any, ...]]:
        encoded = to_json(article)
        # where and when it was fetched is not a change of the article: the hash leaves it out
        record_hash = _hash(to_json(msgspec.structs.replace(article, provenance=Provenance())))
        if row is not None and row[1] == record_hash:
            return "unchanged", row
        bhash = body_hash(article)
        ts, day = parse_published(article.published_at)
        title = article.title or ""
        record = zlib.compress(encoded, 6)
        values = {
            "id": article.id,
            "url": article.url,
            "canonical_url": article.canonical_url,
            "domain": article.domain,
            "domain_key": normalize_name(article.domain or "") or None,
            "outlet": article.outlet,
            "outlet_key": normalize_name(article.outlet or "") or None,
            "language": (article.language or "").lower() or None,
            "title": article.title,
            "published_at": article.published_at,
            "published_ts": ts,
            "day": day,
            "duplicate_of": article.duplicate_of,
            "story_id": article.story_id,
            "group_id": article.syndication.group_id if article.syndication else None,
            "body_hash": bhash,
            "record_hash": record_hash,
            "updated_at": stamp,
            "record": record,
        }
        new_title, title_words = word_stems(title)
        new_body, body_words = word_stems("\n".join(article.body))
        vocab += title_words
        vocab += body_words
        if row is None:
            values.update(first_seen=stamp, version=1, previous_body_hash=None)
            seq = self._insert_article_row(tx, values, new_title, new_body)
            self._write_children(tx, seq, article, ts)
            return "new", (seq, record_hash, bhash, None, record, 1)
        seq, _, old_bhash, old_prev, old_record, version = row
        old = unpack(old_record)
        values["previous_body_hash"] = old_bhash if old_bhash != bhash else old_prev
        values["version"] = int(version) + 1
        cols = [c for c in values if c != "id"]
        tx.run(
            "UPDATE articles SET " + ", ".join(f"{c} = ?" for c in cols) + " WHERE seq = ?",  # noqa: S608 (column names)
            [values[c] for c in cols] + [seq],
        )
        if old.title != article.title or old.body != article.body:
            old_text = (analyze(old.title or ""), analyze("\n".join(old.body)))
            self._index_text(tx, seq, new_title, new_body, old_text)
        self._clear_children(tx, seq)
        self._write_children(tx, seq, article, ts)
        return "updated", (seq, record_hash, bhash, values["previous_body_hash"], record, values["version"])

    def _clear_children(self, tx: Tx, seq: int) -> None:
        for entity_id, mentions in tx.all(
            "SELECT entity_id, mentions FROM article_entities WHERE article_seq = ?", (seq,)
        ):
            tx.run(
                "UPDATE entities SET articles = articles - 1, mentions = mentions - ? WHERE id = ?",
                (mentions, entity_id),
            )
        for qseq, text, speaker_id in tx.all(
            "SELECT qseq, text, speaker_id FROM quotes WHERE article_seq = ?", (seq,)
        ):
            self._unindex_quote(tx, qseq, analyze(text))
            if speaker_id:
                tx.run("UPDATE entities SET quotes = quotes - 1 WHERE id = ?", (speaker_id,))
        for table in ("article_entities", "quotes", "article_sources", "related_links"):
            tx.run(f"DELETE FROM {table} WHERE article_seq = ?", (seq,))  # noqa: S608 (fixed names)

    def _write_children(self, tx: Tx, seq: int, article: Article, ts: int | None) -> None:
        # entities: one row per global entity (two local entities may share a canonical name)
        local_to_global: dict[str, str] = {}
        merged: dict[str, dict[str, Any]] = {}
        for ent in article.entities:
            if not ent.name.strip():
                continue
            key = entity_key(ent.type, ent.name)
            local_to_global[ent.id] = key
            slot = merged.setdefault(
                key, {"name": ent.name, "type": ent.type, "role": ent.role, "mentions": 0, "surface": []}
            )
            slot["mentions"] += max(1, len(ent.mentions))
            slot["role"] = slot["role"] or ent.role
            for form in [*ent.aliases, *(m.text for m in ent.mentions)]:
                if form and form not in slot["surface"]:
                    slot["surface"].append(form)
        tx.many(
                "INSERT INTO entities (id, type, name, norm, articles, mentions, quotes, first_ts, last_ts) "  # noqa: S608
                "VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "articles = entities.articles + 1, mentions = entities.mentions + excluded.mentions, "
                f"first_ts = {self.LEAST}(COALESCE(entities.first_ts, excluded.first_ts), "
                "COALESCE(excluded.first_ts, entities.first_ts)), "
                f"last_ts = {self.GREATEST}(COALESCE(entities.last_ts, excluded.last_ts), "
                "COALESCE(excluded.last_ts, entities.last_ts))",
                [
                    (key, slot["type"], slot["name"], normalize_name(slot["name"]), slot["mentions"], ts, ts)
                    for key, slot in merged.items()
                ],
            )
        tx.many(
            "INSERT INTO article_entities (article_seq, entity_id, name, role, mentions, surface) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (seq, key, s["name"], s["role"], s["mentions"], json.dumps(s["surface"][:50], ensure_ascii=False))
                for key, s in merged.items()
            ],
        )
        quote_rows: list[tuple[tuple[Any, ...], str]] = []
        speakers: list[tuple[str]] = []
        for idx, quote in enumerate(article.quotes):
            speaker_id = local_to_global.get(quote.speaker.entity_id or "")
            speaker_name = quote.speaker.name
            if speaker_name is None and speaker_id:
                speaker_name = merged[speaker_id]["name"]
            values = (
                seq, idx, quote.paragraph, quote.start, quote.end, quote.text, quote.kind, quote.cue,
                speaker_name, normalize_name(speaker_name or "") or None, speaker_id, ts,
            )
            quote_rows.append((values, analyze(quote.text)))
            if speaker_id:
                speakers.append((speaker_id,))
        if quote_rows:
            self._insert_quotes(tx, quote_rows)
        tx.many("UPDATE entities SET quotes = quotes + 1 WHERE id = ?", speakers)
        sources: dict[str, tuple[str, str]] = {}
        for src in article.sources:
            key = normalize_name(src.name)
            if key and key not in sources:
                sources[key] = (src.name, src.kind)
        tx.many(
            "INSERT INTO article_sources (article_seq, name, name_key, kind) VALUES (?, ?, ?, ?)",
            [(seq, name, key, kind) for key, (name, kind) in sources.items()],
        )
        tx.many(
            "INSERT INTO related_links (article_seq, idx, title, url) VALUES (?, ?, ?, ?)",
            [(seq, i, link.title, link.url) for i, link in enumerate(article.related)],
        )

    def get_article(self, article_id: str) -> Article | None:
        with self._read() as tx:
            data = tx.scalar("SELECT record FROM articles WHERE id = ?", (article_id,))
        return None if data is None else unpack(data)

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        found: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        with self._read() as tx:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for aid, data in tx.all(f"SELECT id, record FROM articles WHERE id IN ({marks})", chunk):  # noqa: S608
                    found[aid] = unpack(data)
        return [found[i] for i in ids if i in found]

    def _articles_by_seq(self, tx: Tx, seqs: Sequence[int]) -> dict[int, Article]:
        out: dict[int, Article] = {}
        for start in range(0, len(seqs), 500):
            chunk = list(seqs[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            for seq, data in tx.all(f"SELECT seq, record FROM articles WHERE seq IN ({marks})", chunk):  # noqa: S608
                out[int(seq)] = unpack(data)
        return out

    def article_meta(self, article_id: str) -> ArticleMeta | None:
        with self._read() as tx:
            row = tx.one(
                "SELECT id, first_seen, updated_at, version, body_hash, previous_body_hash FROM articles WHERE id = ?",
                (article_id,),
            )
        if row is None:
            return None
        return ArticleMeta(
            id=row[0], first_seen=row[1], updated_at=row[2], version=int(row[3]), body_hash=row[4],
            previous_body_hash=row[5],
        )

    def find_by_url(self, url: str) -> ArticleSummary | None:
        with self._read() as tx:
            row = tx.one(
                f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.canonical_url = ? OR a.url = ? LIMIT 1",  # noqa: S608
                (url, url),
            )
        return None if row is None else _summary(row)

    def latest(self, limit: int = 20, offset: int = 0, outlet: str | None = None) -> list[ArticleSummary]:
        limit, offset = _clamp(limit, offset)
        with self._read() as tx:
            if outlet:
                rows = tx.all(
                    f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.outlet_key = ? "  # noqa: S608
                    "ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
                    (normalize_name(outlet), limit, offset),
                )
            else:
                rows = tx.all(
                    f"SELECT {SUMMARY_COLS} FROM articles a "  # noqa: S608
                    "ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
                    (limit, offset),
                )
        return [_summary(r) for r in rows]

    def count(self) -> int:
        with self._read() as tx:
            return int(tx.scalar("SELECT count(*) FROM articles"))

    def iter_articles(self, query: str | None = None, batch_size: int = 500) -> Iterator[Article]:
        if query and query.strip():
            parsed = parse_query(query)
            with self._read() as tx:
                parsed.root = self._expand(tx, parsed.root)
            match, where, params = self._plan(parsed)
            sql, params = self._matched_seqs_sql(match, where, params)
            with self._read() as tx:
                seqs = sorted(int(r[0]) for r in tx.all(sql, params))
            for start in range(0, len(seqs), batch_size):
                chunk = seqs[start : start + batch_size]
                with self._read() as tx:
                    found = self._articles_by_seq(tx, chunk)
                yield from (found[s] for s in chunk if s in found)
            return
        last = -1
        while True:
            with self._read() as tx:
                rows = tx.all("SELECT seq, record FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch_size))
            if not rows:
                return
            for _seq, data in rows:
                yield unpack(data)
            last = int(rows[-1][0])

    # -- search ---------------------------------------------------------------------------
    #: at most this many vocabulary stems for one prefix
    MAX_EXPANSIONS = 16

    def _expand(self, tx: Tx, node: Node | None) -> Node | None:
        """The tree with each prefix's ``expansions`` filled from the vocabulary."""
        if node is None:
            return None
        if isinstance(node, Text):
            if not node.prefix:
                return node
            prefix = node.stems[-1]
            rows = tx.all(
                "SELECT word, stem FROM vocab WHERE word >= ? AND word < ? LIMIT ?",
                (prefix, prefix + "\U0010ffff", 2000),
            )
            # the stems of the shortest words first (the common forms), each once
            found = list(dict.fromkeys(r[1] for r in sorted((len(r[0]), r[1]) for r in rows) if not r[1].startswith(prefix)))
            found = found[: self.MAX_EXPANSIONS]
            return dataclasses.replace(node, expansions=tuple(found))
        if isinstance(node, Filter):
            return dataclasses.replace(node, text=self._expand(tx, node.text)) if node.text is not None else node  # type: ignore[arg-type]
        if isinstance(node, Not):
            return Not(self._expand(tx, node.child))  # type: ignore[arg-type]
        if isinstance(node, And):
            return And(tuple(self._expand(tx, c) for c in node.children))  # type: ignore[misc]
        return Or(tuple(self._expand(tx, c) for c in node.children))  # type: ignore[misc]

    def _is_text(self, node: Node) -> bool:
        """Whether a subtree can be one match expression of the full-text engine."""
        if isinstance(node, Text):
            return True
        if isinstance(node, Or):
            return all(self._is_text(c) for c in node.children)
        if isinstance(node, And):
            positives = [c for c in node.children if not isinstance(c, Not)]
            negatives = [c.child for c in node.children if isinstance(c, Not)]
            return bool(positives) and all(self._is_text(c) for c in positives + negatives)
        return False

    def _compile(self, node: Node) -> tuple[str, list[Any]]:
        """Any subtree as a SQL boolean over alias ``a``."""
        if self._is_text(node):
            return self._text_predicate(self._render(node))
        if isinstance(node, Filter):
            return self._filter(node)
        if isinstance(node, Not):
            sql, params = self._compile(node.child)
            return f"NOT ({sql})", params
        if isinstance(node, And | Or):
            parts = [self._compile(c) for c in node.children]
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(f"({p[0]})" for p in parts) + ")", [x for p in parts for x in p[1]]
        raise AssertionError(node)

    def _plan(self, parsed: ParsedQuery) -> tuple[str | None, str, list[Any]]:
        """(match expression for ranking or None, other conditions as SQL, their parameters)."""
        root = parsed.root
        if root is None:
            return None, "1=1", []
        children = list(root.children) if isinstance(root, And) else [root]
        positives: list[Node] = [c for c in children if self._is_text(c)]
        negatives: list[Node] = [c for c in children if isinstance(c, Not) and self._is_text(c.child)]
        rest = [c for c in children if c not in positives and c not in negatives]
        match: str | None = None
        if positives:
            text_node: Node = positives[0] if len(positives) == 1 and not negatives else And(tuple(positives + negatives))
            match = self._render(text_node)
        else:
            rest = negatives + rest
        parts = [self._compile(c) for c in rest]
        where = " AND ".join(f"({p[0]})" for p in parts) or "1=1"
        return match, where, [x for p in parts for x in p[1]]

    def _filter(self, f: Filter) -> tuple[str, list[Any]]:
        """A filter as SQL over alias ``a``; where an index can find the articles, as ``a.seq IN (...)``
        so that the big article rows are never read to test it."""
        like = f"% {f.key} %"
        if f.field == "outlet":
            return (
                # the outlets named so (or whose domain is), and articles without an outlet by domain
                "a.seq IN (SELECT o.seq FROM articles o WHERE o.outlet_key IN (SELECT k.outlet_key FROM outlet_keys k "
                "WHERE (' ' || k.outlet_key || ' ') LIKE ? OR (' ' || k.domain_key || ' ') LIKE ?) "
                "UNION ALL SELECT d.seq FROM articles d WHERE d.domain_key IN (SELECT k.domain_key FROM outlet_keys k "
                "WHERE k.outlet_key = '' AND (' ' || k.domain_key || ' ') LIKE ?) AND d.outlet_key IS NULL)",
                [like, like, like],
            )
        if f.field == "lang":
            return "a.language = ?", [f.key]
        if f.field == "after":
            return "a.published_ts >= ?", [f.ts]
        if f.field == "before":
            return "a.published_ts < ?", [f.ts]
        if f.field == "source":
            return (
                "a.seq IN (SELECT s.article_seq FROM article_sources s WHERE s.name_key IN "
                "(SELECT n.key FROM name_keys n WHERE n.kind = 'source' AND (' ' || n.key || ' ') LIKE ?))",
                [like],
            )
        # entities: those whose group (it and everything merged with it) has a member named so
        group = (
            "SELECT g.id FROM entities g WHERE COALESCE(g.merged_into, g.id) IN "
            "(SELECT COALESCE(m.merged_into, m.id) FROM entities m WHERE m.type = ? AND (' ' || m.norm || ' ') LIKE ?)"
        )
        if f.field in ("person", "org", "place"):
            etype = {"person": "PER", "org": "ORG", "place": "LOC"}[f.field]
            sql = f"a.seq IN (SELECT ae.article_seq FROM article_entities ae WHERE ae.entity_id IN ({group}))"  # noqa: S608
            return sql, [etype, like]
        if f.field == "by":
            return (
                "a.seq IN (SELECT q.article_seq FROM quotes q WHERE q.speaker_key IN "  # noqa: S608
                "(SELECT n.key FROM name_keys n WHERE n.kind = 'speaker' AND (' ' || n.key || ' ') LIKE ?) "
                f"UNION SELECT q2.article_seq FROM quotes q2 WHERE q2.speaker_id IN ({group}))",
                [like, "PER", like],
            )
        if f.field == "said":
            assert f.text is not None
            return self._said_predicate(self._render(f.text))
        raise AssertionError(f.field)

    def search(
        self,
        query: str,
        sort: SortOrder = "relevance",
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
    ) -> SearchResult:
        if sort not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {sort!r}")
        parsed = parse_query(query)
        limit, offset = _clamp(limit, offset)
        with self._read() as tx:
            parsed.root = self._expand(tx, parsed.root)
            collect_terms(parsed)
            match, where, params = self._plan(parsed)
            if match is not None:
                page, total = self._ranked(tx, match, where, params, sort, limit, offset)
            else:
                page, total = self._filtered(tx, where, params, limit, offset)
            records = self._articles_by_seq(tx, [s for s, _ in page])
            summaries: dict[int, ArticleSummary] = {}
            if page:
                marks = ", ".join("?" for _ in page)
                for r in tx.all(
                    f"SELECT a.seq, {SUMMARY_COLS} FROM articles a WHERE a.seq IN ({marks})",  # noqa: S608
                    [s for s, _ in page],
                ):
                    summaries[int(r[0])] = _summary(r[1:])
            hits = []
            for seq, score in page:
                if seq not in summaries:
                    continue
                record = records[seq]
                snippet, highlights = make_snippet(
                    record.body or [record.title or ""], parsed.positive_stems, parsed.positive_prefixes
                )
                hits.append(SearchHit(article=summaries[seq], score=round(float(score), 6), snippet=snippet, highlights=highlights))
            result_facets = None
            if facets:
                result_facets = self._facets(tx, match, where, params, total) if total else Facets()
        exact = self.COUNT_CAP is None or total <= self.COUNT_CAP
        return SearchResult(
            query=query,
            total=total if exact else int(self.COUNT_CAP or 0),
            total_exact=exact,
            hits=hits,
            facets=result_facets,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    #: When at least this many articles match, the newest are found by walking the publication-time
    #: index (cheap when matches are dense); fewer are sorted whole.
    DENSE_SET = 5_000
    NEWEST_HINT = ""

    def _filtered(
        self, tx: Tx, where: str, params: list[Any], limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """One page of articles matching filters only (no words), newest first, and the total."""
        single = where.startswith("(a.seq IN (") and where.endswith("))") and where.count("a.seq") == 1
        if single:  # count the set itself: no need to look the articles up
            count_sql = f"SELECT count(*) FROM ({where[len('(a.seq IN (') : -2]} LIMIT ?) c"  # noqa: S608
        else:
            count_sql = f"SELECT count(*) FROM (SELECT 1 FROM articles a {self.COVER_HINT} WHERE {where} LIMIT ?) c"  # noqa: S608
        total = int(tx.scalar(count_sql, [*params, self._count_limit()]))
        hint = self.NEWEST_HINT if total >= self.DENSE_SET else self.COVER_HINT
        rows = tx.all(
            f"SELECT a.seq FROM articles a {hint} WHERE {where} "  # noqa: S608
            "ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [(int(r[0]), 0.0) for r in rows], total

    def _facets(self, tx: Tx, match: str | None, where: str, params: list[Any], total: int) -> Facets:
        window = self._window(total)
        matched, mparams = self._matched_seqs_sql(match, where, params, window)
        by_outlet: dict[str, int] = defaultdict(int)
        by_day: dict[str, int] = defaultdict(int)
        for outlet_name, day_value in tx.all(
            f"SELECT a.outlet, a.day FROM articles a {self.COVER_HINT} WHERE a.seq IN ({matched})",  # noqa: S608
            mparams,
        ):
            if outlet_name is not None:
                by_outlet[outlet_name] += 1
            if day_value is not None:
                by_day[day_value] += 1
        outlet = [
            FacetCount(value=k, count=n) for k, n in sorted(by_outlet.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
        ]
        day = [FacetCount(value=k, count=n) for k, n in sorted(by_day.items(), reverse=True)[:31]]
        ents = tx.all(
            "SELECT COALESCE(e.merged_into, e.id) AS k, count(DISTINCT ae.article_seq) AS n "  # noqa: S608
            f"FROM article_entities ae JOIN entities e ON e.id = ae.entity_id WHERE ae.article_seq IN ({matched}) "
            "GROUP BY COALESCE(e.merged_into, e.id) ORDER BY n DESC, k LIMIT ?",
            [*mparams, FACET_SIZE],
        )
        names = self._entity_names(tx, [r[0] for r in ents])
        entity = [
            FacetCount(value=names.get(r[0], (r[0], ""))[0], count=int(r[1]), key=r[0], type=names.get(r[0], ("", ""))[1])
            for r in ents
        ]
        return Facets(outlet=outlet, day=day, entity=entity, counted=min(total, window or total))


    def _entity_names(self, tx: Tx, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        return {
            r[0]: (r[1], r[2])
            for r in tx.all(f"SELECT id, name, type FROM entities WHERE id IN ({marks})", list(ids))  # noqa: S608
        }

    # -- outlets --------------------------------------------------------------------------
    def outlets(self, days: int | None = None) -> list[OutletStats]:
        since = None if days is None else int(datetime.now(UTC).timestamp()) - int(days) * 86400
        with self._read() as tx:
            rows = tx.all(
                "SELECT a.outlet, count(*), min(a.published_ts), max(a.published_ts) FROM articles a "
                "WHERE a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY count(*) DESC, a.outlet"
            )
            per_day: dict[str, list[FacetCount]] = defaultdict(list)
            day_sql = (
                "SELECT a.outlet, a.day, count(*) FROM articles a WHERE a.outlet IS NOT NULL AND a.day IS NOT NULL "
            )
            day_params: list[Any] = []
            if since is not None:
                day_sql += "AND a.published_ts >= ? "
                day_params.append(since)
            for outlet, day, n in tx.all(day_sql + "GROUP BY a.outlet, a.day ORDER BY a.outlet, a.day", day_params):
                per_day[outlet].append(FacetCount(value=day, count=int(n)))
            wires: dict[str, list[FacetCount]] = defaultdict(list)
            for outlet, name, n in tx.all(
                "SELECT a.outlet, s.name, count(*) FROM article_sources s JOIN articles a ON a.seq = s.article_seq "
                "WHERE s.kind = 'news_agency' AND a.outlet IS NOT NULL GROUP BY a.outlet, s.name "
                "ORDER BY a.outlet, count(*) DESC"
            ):
                wires[outlet].append(FacetCount(value=name, count=int(n)))
        return [
            OutletStats(
                name=r[0],
                articles=int(r[1]),
                first_published=ts_iso(r[2]),
                last_published=ts_iso(r[3]),
                per_day=per_day.get(r[0], []),
                wire_sources=wires.get(r[0], []),
            )
            for r in rows
        ]

    # -- entities -------------------------------------------------------------------------
    def _root(self, tx: Tx, entity_id: str) -> str | None:
        row = tx.one("SELECT id, merged_into FROM entities WHERE id = ?", (entity_id,))
        if row is None:
            return None
        return str(row[1] or row[0])

    def _group_ids(self, tx: Tx, root: str) -> list[str]:
        return [root] + [r[0] for r in tx.all("SELECT id FROM entities WHERE merged_into = ?", (root,))]

    def list_entities(
        self, type: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        limit, offset = _clamp(limit, offset)
        conds = ["1=1"]
        params: list[Any] = []
        if type:
            conds.append("e.type = ?")
            params.append(type.upper())
        if q:
            key = normalize_name(q)
            if key:
                conds.append("(e.norm LIKE ? OR e.norm LIKE ?)")
                params += [f"{key}%", f"% {key}%"]
        where = " AND ".join(conds)
        with self._read() as tx:
            rows = tx.all(
                "SELECT COALESCE(e.merged_into, e.id) AS k, sum(e.articles) AS n, sum(e.mentions), sum(e.quotes), "  # noqa: S608
                f"min(e.first_ts), max(e.last_ts) FROM entities e WHERE {where} "
                "GROUP BY COALESCE(e.merged_into, e.id) HAVING sum(e.articles) > 0 ORDER BY n DESC, k LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            names = self._entity_names(tx, [r[0] for r in rows])
        return [
            EntityRecord(
                id=r[0],
                name=names.get(r[0], (r[0], ""))[0],
                type=names.get(r[0], ("", ""))[1],
                articles=int(r[1] or 0),
                mentions=int(r[2] or 0),
                quotes=int(r[3] or 0),
                first_seen=ts_iso(r[4]),
                last_seen=ts_iso(r[5]),
            )
            for r in rows
        ]

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return None
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            row = tx.one("SELECT id, name, type, merged_into FROM entities WHERE id = ?", (root,))
            agg = tx.one(
                "SELECT count(DISTINCT ae.article_seq), sum(ae.mentions), min(a.published_ts), max(a.published_ts) "  # noqa: S608
                f"FROM article_entities ae JOIN articles a ON a.seq = ae.article_seq WHERE ae.entity_id IN ({marks})",
                ids,
            )
            quotes = tx.scalar(f"SELECT count(*) FROM quotes WHERE speaker_id IN ({marks})", ids)  # noqa: S608
            roles = [
                r[0]
                for r in tx.all(
                    f"SELECT role, count(*) FROM article_entities WHERE entity_id IN ({marks}) AND role IS NOT NULL "  # noqa: S608
                    "GROUP BY role ORDER BY count(*) DESC, role LIMIT 10",
                    ids,
                )
            ]
        return EntityRecord(
            id=row[0],
            name=row[1],
            type=row[2],
            articles=int(agg[0] or 0),
            mentions=int(agg[1] or 0),
            quotes=int(quotes or 0),
            first_seen=ts_iso(agg[2]),
            last_seen=ts_iso(agg[3]),
            roles=roles,
            merged_into=row[3],
        )

    def entity_mentions(self, entity_id: str, limit: int = 50, offset: int = 0) -> list[EntityMention]:
        limit, offset = _clamp(limit, offset)
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return []
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            rows = tx.all(
                f"SELECT {SUMMARY_COLS}, ae.entity_id, ae.name, ae.role, ae.mentions FROM article_entities ae "  # noqa: S608
                f"JOIN articles a ON a.seq = ae.article_seq WHERE ae.entity_id IN ({marks}) "
                "ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
                [*ids, limit, offset],
            )
        return [
            EntityMention(entity_id=r[8], article=_summary(r[:8]), name=r[9], role=r[10], mentions=int(r[11]))
            for r in rows
        ]

    _QUOTE_COLS = (
        "q.idx, q.paragraph, q.start_pos, q.end_pos, q.text, q.kind, q.cue, q.speaker_name, "
        "COALESCE(e.merged_into, q.speaker_id)"
    )

    def _quote(self, r: Sequence[Any]) -> QuoteRecord:
        return QuoteRecord(
            article=_summary(r[:8]),
            index=int(r[8]),
            paragraph=int(r[9]),
            start=int(r[10]),
            end=int(r[11]),
            text=r[12],
            kind=r[13],
            cue=r[14],
            speaker_name=r[15],
            speaker_id=r[16],
        )

    def entity_quotes(self, entity_id: str, limit: int = 50, offset: int = 0) -> list[QuoteRecord]:
        limit, offset = _clamp(limit, offset)
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return []
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            rows = tx.all(
                f"SELECT {SUMMARY_COLS}, {self._QUOTE_COLS} FROM quotes q JOIN articles a ON a.seq = q.article_seq "  # noqa: S608
                f"LEFT JOIN entities e ON e.id = q.speaker_id WHERE q.speaker_id IN ({marks}) "
                "ORDER BY q.published_ts DESC NULLS LAST, q.qseq DESC LIMIT ? OFFSET ?",
                [*ids, limit, offset],
            )
        return [self._quote(r) for r in rows]

    def quotes(self, article_id: str) -> list[QuoteRecord]:
        with self._read() as tx:
            rows = tx.all(
                f"SELECT {SUMMARY_COLS}, {self._QUOTE_COLS} FROM quotes q JOIN articles a ON a.seq = q.article_seq "  # noqa: S608
                "LEFT JOIN entities e ON e.id = q.speaker_id WHERE a.id = ? ORDER BY q.idx",
                (article_id,),
            )
        return [self._quote(r) for r in rows]

    def co_entities(self, entity_id: str, limit: int = 20) -> list[CoEntity]:
        limit, _ = _clamp(limit, 0)
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return []
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            rows = tx.all(
                "SELECT COALESCE(e.merged_into, e.id) AS k, count(DISTINCT o.article_seq) AS n "  # noqa: S608
                "FROM article_entities o JOIN entities e ON e.id = o.entity_id "
                f"WHERE o.article_seq IN (SELECT article_seq FROM article_entities WHERE entity_id IN ({marks})) "
                "GROUP BY COALESCE(e.merged_into, e.id) ORDER BY n DESC, k LIMIT ?",
                [*ids, limit + 1],
            )
            rows = [r for r in rows if r[0] != root][:limit]
            names = self._entity_names(tx, [r[0] for r in rows])
        return [
            CoEntity(
                entity=EntityRecord(id=r[0], name=names.get(r[0], (r[0], ""))[0], type=names.get(r[0], ("", ""))[1]),
                articles=int(r[1]),
            )
            for r in rows
        ]

    def entity_trend(self, entity_id: str) -> list[FacetCount]:
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return []
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            rows = tx.all(
                "SELECT a.day, count(DISTINCT a.seq) FROM article_entities ae JOIN articles a ON a.seq = ae.article_seq "  # noqa: S608
                f"WHERE ae.entity_id IN ({marks}) AND a.day IS NOT NULL GROUP BY a.day ORDER BY a.day",
                ids,
            )
        return [FacetCount(value=r[0], count=int(r[1])) for r in rows]

    def merge_entities(self, keep: str, merge: str, reason: str, evidence: Mapping[str, Any] | None = None) -> int:
        if not reason or not reason.strip():
            raise ValueError("a merge needs a reason (it is kept in the audit trail)")
        with self._tx() as tx:
            keep_root = self._root(tx, keep)
            if keep_root is None:
                raise NotFound(f"no entity {keep!r}")
            row = tx.one("SELECT id, merged_into FROM entities WHERE id = ?", (merge,))
            if row is None:
                raise NotFound(f"no entity {merge!r}")
            if merge == keep_root or (row[1] or row[0]) == keep_root:
                raise ValueError(f"{merge!r} is already {keep_root!r} or merged into it")
            moved = [merge] + [r[0] for r in tx.all("SELECT id FROM entities WHERE merged_into = ?", (merge,))]
            previous = {merge: row[1]} | {m: merge for m in moved[1:]}
            marks = ", ".join("?" for _ in moved)
            tx.run(f"UPDATE entities SET merged_into = ? WHERE id IN ({marks})", [keep_root, *moved])  # noqa: S608
            merge_id = tx.scalar(
                "INSERT INTO merges (keep, merge, reason, evidence, moved, previous, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    keep_root,
                    merge,
                    reason.strip(),
                    json.dumps(dict(evidence or {}), ensure_ascii=False, default=str),
                    json.dumps(moved),
                    json.dumps(previous),
                    now_iso(),
                ),
            )
        return int(merge_id)

    def undo_merge(self, merge_id: int) -> None:
        with self._tx() as tx:
            row = tx.one("SELECT keep, moved, previous, undone_at FROM merges WHERE id = ?", (int(merge_id),))
            if row is None:
                raise NotFound(f"no merge {merge_id}")
            if row[3] is not None:
                raise ValueError(f"merge {merge_id} was already undone at {row[3]}")
            keep, moved, previous = row[0], json.loads(row[1]), json.loads(row[2])
            for entity_id in moved:
                # only entities still where this merge put them go back
                tx.run(
                    "UPDATE entities SET merged_into = ? WHERE id = ? AND merged_into = ?",
                    (previous.get(entity_id), entity_id, keep),
                )
            tx.run("UPDATE merges SET undone_at = ? WHERE id = ?", (now_iso(), int(merge_id)))

    def aliases(self, entity_id: str) -> list[Alias]:
        with self._read() as tx:
            root = self._root(tx, entity_id)
            if root is None:
                return []
            merge_of: dict[str, int] = {}
            for mid, moved in tx.all(
                "SELECT id, moved FROM merges WHERE keep = ? AND undone_at IS NULL ORDER BY id", (root,)
            ):
                for m in json.loads(moved):
                    merge_of[m] = int(mid)
            out = [
                Alias(name=r[1], entity_id=r[0], merge_id=merge_of.get(r[0]), kind="merged")
                for r in tx.all("SELECT id, name FROM entities WHERE merged_into = ? ORDER BY name", (root,))
            ]
            ids = self._group_ids(tx, root)
            marks = ", ".join("?" for _ in ids)
            seen = {a.name for a in out}
            canonical = tx.scalar("SELECT name FROM entities WHERE id = ?", (root,))
            seen.add(canonical)
            for name, surface in tx.all(
                f"SELECT name, surface FROM article_entities WHERE entity_id IN ({marks}) LIMIT 2000", ids  # noqa: S608
            ):
                for form in [name, *json.loads(surface)]:
                    if form not in seen and not form.startswith("-"):
                        seen.add(form)
                        out.append(Alias(name=form, kind="surface"))
        return out

    def merges(self, entity_id: str | None = None) -> list[MergeRecord]:
        with self._read() as tx:
            cols = "id, keep, merge, reason, evidence, created_at, undone_at, moved"
            if entity_id is None:
                rows = tx.all(f"SELECT {cols} FROM merges ORDER BY id DESC LIMIT 1000")  # noqa: S608
            else:
                rows = tx.all(
                    f"SELECT {cols} FROM merges WHERE keep = ? OR merge = ? ORDER BY id DESC",  # noqa: S608
                    (entity_id, entity_id),
                )
        return [
            MergeRecord(
                id=int(r[0]), keep=r[1], merge=r[2], reason=r[3], evidence=json.loads(r[4]), created_at=r[5],
                undone_at=r[6], moved=json.loads(r[7]),
            )
            for r in rows
        ]

    # -- stories and links ----------------------------------------------------------------
    def put_stories(self, stories: Iterable[StoryMeta]) -> None:
        stamp = now_iso()
        with self._tx() as tx:
            tx.many(
                "INSERT INTO stories (id, title, summary, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET title = excluded.title, summary = excluded.summary, updated_at = excluded.updated_at",
                [(s.id, s.title, s.summary, stamp) for s in stories],
            )

    def _story(self, tx: Tx, story_id: str, timeline: bool, since: int | None = None) -> StoryRecord | None:
        cond = "a.story_id = ?"
        params: list[Any] = [story_id]
        if since is not None:
            cond += " AND a.published_ts >= ?"
            params.append(since)
        rows = tx.all(
            f"SELECT {SUMMARY_COLS}, a.published_ts FROM articles a WHERE {cond} "  # noqa: S608
            "ORDER BY a.published_ts NULLS LAST, a.seq",
            params,
        )
        if not rows:
            return None
        meta = tx.one("SELECT title, summary FROM stories WHERE id = ?", (story_id,))
        items = [_summary(r[:8]) for r in rows]
        stamps = [r[8] for r in rows if r[8] is not None]
        outlets = list(dict.fromkeys(i.outlet for i in items if i.outlet))
        first = items[0]
        return StoryRecord(
            id=story_id,
            title=(meta[0] if meta and meta[0] else first.title),
            summary=meta[1] if meta else None,
            articles=len(items),
            outlets=outlets,
            first_published=ts_iso(min(stamps)) if stamps else None,
            last_published=ts_iso(max(stamps)) if stamps else None,
            first_article=first,
            timeline=items if timeline else [],
        )

    def list_stories(self, since: str | None = None, limit: int = 50, offset: int = 0) -> list[StoryRecord]:
        limit, offset = _clamp(limit, offset)
        since_ts = parse_published(since)[0] if since else None
        if since and since_ts is None:
            raise ValueError(f"cannot read the time {since!r}: give an ISO 8601 date or time")
        cond = "a.story_id IS NOT NULL"
        params: list[Any] = []
        if since_ts is not None:
            cond += " AND a.published_ts >= ?"
            params.append(since_ts)
        with self._read() as tx:
            ids = tx.all(
                f"SELECT a.story_id FROM articles a WHERE {cond} GROUP BY a.story_id "  # noqa: S608
                "ORDER BY count(DISTINCT a.outlet) DESC, count(*) DESC, max(a.published_ts) DESC, a.story_id "
                "LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            stories = [self._story(tx, r[0], timeline=False, since=since_ts) for r in ids]
        return [s for s in stories if s is not None]

    def get_story(self, story_id: str) -> StoryRecord | None:
        with self._read() as tx:
            return self._story(tx, story_id, timeline=True)

    def related(self, article_id: str, limit: int = 20) -> list[ArticleSummary]:
        limit, _ = _clamp(limit, 0)
        with self._read() as tx:
            row = tx.one("SELECT seq, duplicate_of, group_id, story_id FROM articles WHERE id = ?", (article_id,))
            if row is None:
                return []
            seq, dup, group, story = row
            found: list[ArticleSummary] = []
            order = "ORDER BY a.published_ts DESC NULLS LAST, a.seq DESC LIMIT ?"
            # "Baca juga" links that point to stored articles
            found += [
                _summary(r)
                for r in tx.all(
                    f"SELECT {SUMMARY_COLS} FROM related_links l JOIN articles a "  # noqa: S608
                    "ON (a.url = l.url OR a.canonical_url = l.url) WHERE l.article_seq = ? ORDER BY l.idx LIMIT ?",
                    (seq, limit),
                )
            ]
            found += [
                _summary(r)
                for r in tx.all(
                    f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.id = ? OR a.duplicate_of = ? "  # noqa: S608
                    f"OR (a.duplicate_of IS NOT NULL AND a.duplicate_of = ?) {order}",
                    (dup or "", article_id, dup or "", limit),
                )
            ]
            if group:
                found += [
                    _summary(r)
                    for r in tx.all(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.group_id = ? {order}", (group, limit))  # noqa: S608
                ]
            if story:
                found += [
                    _summary(r)
                    for r in tx.all(f"SELECT {SUMMARY_COLS} FROM articles a WHERE a.story_id = ? {order}", (story, limit))  # noqa: S608
                ]
        out: dict[str, ArticleSummary] = {}
        for item in found:
            if item.id != article_id and item.id not in out:
                out[item.id] = item
        return list(out.values())[:limit]

    # -- state ----------------------------------------------------------------------------
    def _put_state(self, tx: Tx, key: str, data: bytes, stamp: str) -> None:
        tx.run(
            "INSERT INTO state (key, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (key, bytes(data), stamp),
        )

    def get_state(self, key: str) -> bytes | None:
        with self._read() as tx:
            data = tx.scalar("SELECT data FROM state WHERE key = ?", (key,))
        return None if data is None else bytes(data)

    def put_state(self, key: str, data: bytes) -> None:
        with self._tx() as tx:
            self._put_state(tx, key, data, now_iso())

    def seen_documents(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        keys = list(keys)
        with self._read() as tx:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                found.update(r[0] for r in tx.all(f"SELECT key FROM documents WHERE key IN ({marks})", chunk))  # noqa: S608
        return found


def to_builtins(value: Any) -> Any:
    """Result records as plain JSON-ready Python values (for the API and `--format json`)."""
    return msgspec.to_builtins(value)
