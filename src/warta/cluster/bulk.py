"""Bulk loading into PostgreSQL with COPY: the new articles of a batch in a few statements.

`Store.upsert_articles` writes an article with a dozen statements: its row, its full-text vector,
each entity, quote, source and related link. For a corpus loaded in bulk, almost every article is
new. `CopyLoader` copies those into temporary tables and inserts them with one statement per table.
Entity counters are summed over the batch first. The rows it writes are the ones `upsert_articles`
writes for a new article (`tests/test_dask_bulk.py` compares every table). Articles already stored,
and a second article with an id met earlier in the batch, then go through `upsert_articles`, in
order, together with the batch's document keys and state.

Only new articles take the COPY path, so a crash between the two transactions loses nothing. The
documents are not marked done, so the next run reads them again, and their articles come out
``unchanged``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from warta.record import Article, Provenance, to_json
from warta.store.analysis import analyze, word_stems
from warta.store.base import Store, UpsertCounts, entity_key, normalize_name
from warta.store.sqlbase import _hash, body_hash, now_iso, parse_published

ARTICLE_COLUMNS = (
    "seq", "id", "url", "canonical_url", "domain", "domain_key", "outlet", "outlet_key", "language", "title",
    "published_at", "published_ts", "day", "duplicate_of", "story_id", "group_id", "body_hash", "record_hash",
    "updated_at", "record", "first_seen", "version", "previous_body_hash",
)  # fmt: skip
QUOTE_COLUMNS = (
    "article_seq", "idx", "paragraph", "start_pos", "end_pos", "text", "kind", "cue", "speaker_name",
    "speaker_key", "speaker_id", "published_ts",
)  # fmt: skip


def supports_copy(store: Store) -> bool:
    """Whether the store is a PostgreSQL store this loader knows."""
    from warta.store.postgres import PostgresStore

    return isinstance(store, PostgresStore)


class _Rows:
    """The rows of the new articles of one batch, table by table."""

    def __init__(self) -> None:
        self.articles: list[tuple[Any, ...]] = []
        self.entities: dict[str, list[Any]] = {}  # key -> [type, name, norm, articles, mentions, quotes, first, last]
        self.article_entities: list[tuple[Any, ...]] = []
        self.quotes: list[tuple[Any, ...]] = []
        self.sources: list[tuple[Any, ...]] = []
        self.related: list[tuple[Any, ...]] = []
        self.vocab: dict[str, str] = {}

    def add(self, seq: int, article: Article, stamp: str) -> None:
        encoded = to_json(article)
        record_hash = _hash(to_json(msgspec.structs.replace(article, provenance=Provenance())))
        ts, day = parse_published(article.published_at)
        title_stems, title_words = word_stems(article.title or "")
        body_stems, body_words = word_stems("\n".join(article.body))
        for word, stem in (*title_words, *body_words):
            self.vocab[word] = stem
        self.articles.append(
            (
                seq, article.id, article.url, article.canonical_url, article.domain,
                normalize_name(article.domain or "") or None, article.outlet,
                normalize_name(article.outlet or "") or None, (article.language or "").lower() or None,
                article.title, article.published_at, ts, day, article.duplicate_of, article.story_id,
                article.syndication.group_id if article.syndication else None, body_hash(article), record_hash,
                stamp, zlib.compress(encoded, 6), stamp, 1, None, title_stems, body_stems,
            )
        )  # fmt: skip
        local_to_global: dict[str, str] = {}
        merged: dict[str, dict[str, Any]] = {}
        for ent in article.entities:
            if not ent.name.strip():
                continue
            key = entity_key(ent.type, ent.name)
            local_to_global[ent.id] = key
            slot = merged.setdefault(key, {"name": ent.name, "type": ent.type, "role": ent.role, "mentions": 0, "surface": []})
            slot["mentions"] += max(1, len(ent.mentions))
            slot["role"] = slot["role"] or ent.role
            for form in [*ent.aliases, *(m.text for m in ent.mentions)]:
                if form and form not in slot["surface"]:
                    slot["surface"].append(form)
        for key, slot in merged.items():
            row = self.entities.get(key)
            if row is None:
                self.entities[key] = [slot["type"], slot["name"], normalize_name(slot["name"]), 1, slot["mentions"], 0, ts, ts]
            else:
                row[3] += 1
                row[4] += slot["mentions"]
                if ts is not None:
                    row[6] = ts if row[6] is None else min(row[6], ts)
                    row[7] = ts if row[7] is None else max(row[7], ts)
            self.article_entities.append(
                (seq, key, slot["name"], slot["role"], slot["mentions"], json.dumps(slot["surface"][:50], ensure_ascii=False))
            )
        for idx, quote in enumerate(article.quotes):
            speaker_id = local_to_global.get(quote.speaker.entity_id or "")
            speaker_name = quote.speaker.name
            if speaker_name is None and speaker_id:
                speaker_name = merged[speaker_id]["name"]
            self.quotes.append(
                (
                    seq, idx, quote.paragraph, quote.start, quote.end, quote.text, quote.kind, quote.cue, speaker_name,
                    normalize_name(speaker_name or "") or None, speaker_id, ts, analyze(quote.text),
                )
            )  # fmt: skip
            if speaker_id:
                self.entities[speaker_id][5] += 1
        sources: dict[str, tuple[str, str]] = {}
        for src in article.sources:
            key = normalize_name(src.name)
            if key and key not in sources:
                sources[key] = (src.name, src.kind)
        self.sources += [(seq, name, key, kind) for key, (name, kind) in sources.items()]
        self.related += [(seq, i, link.title, link.url) for i, link in enumerate(article.related)]


def _copy(cur: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class CopyLoader:
    """A store wrapper for the load phase: ``upsert_articles`` takes the COPY path for new articles
    and hands the rest to the store; every other method is the store's.

    With ``background``, a batch is written by a writer thread while the caller groups the next one
    (the database's share of the work overlaps the driver's). Before anything reads the store (or
    the next batch is written) the pending batch is waited for, so every read sees what was written
    before it. The counts of a background batch arrive in ``late`` (`wait`), not in the return value.
    ``seen_documents`` (earlier runs) and ``put_stories`` (a table of its own) do not wait.
    """

    _NO_WAIT = frozenset({"seen_documents", "put_stories", "url", "schema"})

    def __init__(self, store: Store, background: bool = False) -> None:
        self.store = store
        self.copied = 0
        self.late = UpsertCounts()
        self._executor: Any = None
        self._pending: Any = None
        if background:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-copy")

    def __getattr__(self, name: str) -> Any:
        if name not in self._NO_WAIT:
            self.wait()
        return getattr(self.store, name)

    def wait(self) -> None:
        """Wait for the batch being written (its errors are raised here)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self.late = self.late + pending.result()

    def close(self) -> None:
        """Finish the pending batch and stop the writer thread (the store stays open)."""
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None

    def upsert_articles(
        self, articles: Iterable[Article], *, documents: Sequence[str] = (), state: Mapping[str, bytes] | None = None
    ) -> UpsertCounts:
        batch = list(articles)
        self.wait()  # the previous batch is stored: the split below must see it
        if self._executor is None:
            return self._write(batch, list(documents), dict(state or {}))
        self._pending = self._executor.submit(self._write, batch, list(documents), dict(state or {}))
        return UpsertCounts()

    def _write(self, batch: list[Article], documents: list[str], state: dict[str, bytes]) -> UpsertCounts:
        counts = UpsertCounts()
        fresh, rest = self._split(batch)
        if fresh:
            self._copy_new(fresh)
            counts.new += len(fresh)
            self.copied += len(fresh)
        # the others (stored ones, repeats), the document keys and the state: the store's own way
        return counts + self.store.upsert_articles(rest, documents=documents, state=state)

    def _split(self, batch: list[Article]) -> tuple[list[Article], list[Article]]:
        ids = list(dict.fromkeys(a.id for a in batch if a.id))
        stored: set[str] = set()
        with self.store._read() as tx:  # type: ignore[attr-defined]
            for start in range(0, len(ids), 1000):
                rows = tx.all("SELECT id FROM articles WHERE id = ANY(?)", (ids[start : start + 1000],))
                stored.update(r[0] for r in rows)
        fresh: list[Article] = []
        rest: list[Article] = []
        taken: set[str] = set()
        for article in batch:
            if article.id and article.id not in stored and article.id not in taken:
                taken.add(article.id)
                fresh.append(article)
            else:
                rest.append(article)
        return fresh, rest

    def _copy_new(self, fresh: list[Article]) -> None:
        stamp = now_iso()
        # a plain connection (the store's write transactions use pipeline mode, where COPY is not allowed)
        with self.store._read() as tx, tx.conn.transaction():  # type: ignore[attr-defined]
            conn = tx.conn
            seqs = [
                int(r[0])
                for r in tx.all(
                    "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, ?)", (len(fresh),)
                )
            ]
            rows = _Rows()
            for seq, article in zip(sorted(seqs), fresh, strict=True):
                rows.add(seq, article, stamp)
            cur = conn.cursor()
            columns = ", ".join(ARTICLE_COLUMNS)
            cur.execute(
                "CREATE TEMP TABLE warta_new_articles ON COMMIT DROP AS SELECT "  # noqa: S608 (fixed column names)
                f"{columns}, ''::text AS title_stems, ''::text AS body_stems FROM articles WITH NO DATA"
            )
            _copy(cur, "warta_new_articles", (*ARTICLE_COLUMNS, "title_stems", "body_stems"), rows.articles)
            cur.execute(
                f"INSERT INTO articles ({columns}, fts) SELECT {columns}, "  # noqa: S608 (fixed column names)
                "setweight(to_tsvector('simple', title_stems), 'A') || setweight(to_tsvector('simple', body_stems), 'B') "
                "FROM warta_new_articles ORDER BY seq"
            )
            cur.execute(
                "CREATE TEMP TABLE warta_new_entities (id TEXT, type TEXT, name TEXT, norm TEXT, articles BIGINT, "
                "mentions BIGINT, quotes BIGINT, first_ts BIGINT, last_ts BIGINT) ON COMMIT DROP"
            )
            _copy(
                cur,
                "warta_new_entities",
                ("id", "type", "name", "norm", "articles", "mentions", "quotes", "first_ts", "last_ts"),
                ([key, *row] for key, row in rows.entities.items()),
            )
            cur.execute(
                "INSERT INTO entities (id, type, name, norm, articles, mentions, quotes, first_ts, last_ts) "
                "SELECT id, type, name, norm, articles, mentions, quotes, first_ts, last_ts FROM warta_new_entities "
                "ON CONFLICT (id) DO UPDATE SET articles = entities.articles + excluded.articles, "
                "mentions = entities.mentions + excluded.mentions, quotes = entities.quotes + excluded.quotes, "
                "first_ts = LEAST(COALESCE(entities.first_ts, excluded.first_ts), COALESCE(excluded.first_ts, entities.first_ts)), "
                "last_ts = GREATEST(COALESCE(entities.last_ts, excluded.last_ts), COALESCE(excluded.last_ts, entities.last_ts))"
            )
            _copy(cur, "article_entities", ("article_seq", "entity_id", "name", "role", "mentions", "surface"), rows.article_entities)
            cur.execute(
                "CREATE TEMP TABLE warta_new_quotes ON COMMIT DROP AS SELECT "  # noqa: S608 (fixed column names)
                f"{', '.join(QUOTE_COLUMNS)}, ''::text AS analysed FROM quotes WITH NO DATA"
            )
            _copy(cur, "warta_new_quotes", (*QUOTE_COLUMNS, "analysed"), rows.quotes)
            cur.execute(
                f"INSERT INTO quotes ({', '.join(QUOTE_COLUMNS)}, fts) SELECT {', '.join(QUOTE_COLUMNS)}, "  # noqa: S608
                "to_tsvector('simple', analysed) FROM warta_new_quotes ORDER BY article_seq, idx"
            )
            _copy(cur, "article_sources", ("article_seq", "name", "name_key", "kind"), rows.sources)
            _copy(cur, "related_links", ("article_seq", "idx", "title", "url"), rows.related)
            vocab = [(w, s) for w, s in rows.vocab.items() if len(w) > 1 and not w.isdigit()]
            if vocab:
                cur.execute(
                    "INSERT INTO vocab (word, stem) SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT (word) DO NOTHING",
                    ([w for w, _ in vocab], [s for _, s in vocab]),
                )
