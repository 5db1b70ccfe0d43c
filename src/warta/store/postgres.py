"""The PostgreSQL backend: psycopg 3 with a connection pool, tsvector ('simple') over stemmed text.

The text is analysed in Python (`warta.store.analysis`) exactly as for SQLite, and PostgreSQL only
indexes the stems, so both backends match the same articles. A ``schema=NAME`` query parameter in
the URL keeps warta's tables in that schema (handy for tests and for sharing a database).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from warta.store import migrations
from warta.store.base import SortOrder, StoreError
from warta.store.query import And, Node, Not, Or, Text
from warta.store.sqlbase import SQLStore, Tx

_SCHEMA_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@lru_cache(maxsize=512)
def _translate(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (the SQL text never holds a literal ``?`` or ``%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def split_schema(url: str) -> tuple[str, str | None]:
    """The connection URL without warta's ``schema=`` parameter, and that schema."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in params if k == "schema"), None)
    rest = [(k, v) for k, v in params if k != "schema"]
    if schema is not None and not _SCHEMA_RE.fullmatch(schema):
        raise StoreError(f"schema name {schema!r} must be lower-case letters, digits and _")
    return urlunsplit(parts._replace(query=urlencode(rest))), schema


class PostgresStore(SQLStore):
    MIGRATIONS = migrations.POSTGRES
    LEAST = "LEAST"
    GREATEST = "GREATEST"

    def __init__(self, url: str, *, max_version: int | None = None, pool_size: int = 4) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        conninfo, schema = split_schema(url)
        self.url = url
        self.schema = schema
        try:  # fail fast, with the server's own words, before starting a pool
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
                if schema:
                    conn.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(psycopg.sql.Identifier(schema)))
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {conninfo}: {exc}".strip()) from None
        kwargs: dict[str, Any] = {"autocommit": True}
        if schema:
            kwargs["options"] = f"-c search_path={schema}"
        self._pool = ConnectionPool(conninfo, min_size=1, max_size=pool_size, kwargs=kwargs, open=False)
        try:
            self._pool.open(wait=True, timeout=15)
        except Exception as exc:
            self._pool.close()
            raise StoreError(f"cannot connect to PostgreSQL at {conninfo}: {exc}") from None
        try:
            self._migrate(max_version)
        except Exception:
            self._pool.close()
            raise

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        # pipeline mode: statements whose answer is not read go out without waiting for it
        with self._pool.connection() as conn, conn.pipeline(), conn.transaction():
            yield Tx(conn, _translate)

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        with self._pool.connection() as conn:
            yield Tx(conn, _translate)

    def close(self) -> None:
        self._pool.close()

    def drop(self) -> None:
        """Drop this store's schema with everything in it (only for a store opened with ``schema=``)."""
        if not self.schema:
            raise StoreError("drop() needs a store opened with a schema= parameter")
        import psycopg

        with self._pool.connection() as conn:
            conn.execute(psycopg.sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(psycopg.sql.Identifier(self.schema)))

    # -- rows and full text -----------------------------------------------------------------
    def _prepare_new(self, tx: Tx, n: int) -> None:
        # reserve the seqs of the new rows in one round trip, so their inserts need no answer
        self._seqs: list[int] = []
        if n:
            self._seqs = [
                int(r[0])
                for r in tx.all(
                    "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, ?)", (n,)
                )
            ]
            self._seqs.reverse()

    def _insert_article_row(self, tx: Tx, values: dict[str, Any], title: str, body: str) -> int:
        seq = self._seqs.pop()
        cols = list(values)
        tx.run(
            f"INSERT INTO articles (seq, {', '.join(cols)}, fts) VALUES (?, {', '.join('?' for _ in cols)}, "  # noqa: S608
            "setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B'))",
            [seq, *(values[c] for c in cols), title, body],
        )
        return seq

    def _insert_vocab(self, tx: Tx, pairs: list[tuple[str, str]]) -> None:
        # one statement for the lot (executemany would be a round trip per word)
        tx.run(
            "INSERT INTO vocab (word, stem) SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT (word) DO NOTHING",
            ([w for w, _ in pairs], [st for _, st in pairs]),
        )

    def _index_text(self, tx: Tx, seq: int, title: str, body: str, old: tuple[str, str] | None) -> None:
        tx.run(
            "UPDATE articles SET fts = setweight(to_tsvector('simple', ?), 'A') || "
            "setweight(to_tsvector('simple', ?), 'B') WHERE seq = ?",
            (title, body, seq),
        )

    def _insert_quotes(self, tx: Tx, rows: list[tuple[tuple[Any, ...], str]]) -> None:
        tx.many(
            "INSERT INTO quotes (article_seq, idx, paragraph, start_pos, end_pos, text, kind, cue, speaker_name, "
            "speaker_key, speaker_id, published_ts, fts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_tsvector('simple', ?))",
            [(*values, analysed) for values, analysed in rows],
        )

    def _index_quote(self, tx: Tx, qseq: int, text: str, old: str | None) -> None:
        tx.run("UPDATE quotes SET fts = to_tsvector('simple', ?) WHERE qseq = ?", (text, qseq))

    def _unindex_quote(self, tx: Tx, qseq: int, old: str) -> None:
        """Nothing to do: the index lives in the row, which is deleted."""

    # -- search -----------------------------------------------------------------------------
    def _render(self, node: Node) -> str:
        if isinstance(node, Text):
            terms = [f"'{s}'" for s in node.stems]
            if node.prefix:
                terms[-1] += ":*"
            expr = terms[0] if len(terms) == 1 else "(" + " <-> ".join(terms) + ")"
            if node.prefix and node.expansions:
                variants = [expr]
                for e in node.expansions:
                    alt = [*terms[:-1], f"'{e}'"]
                    variants.append(alt[0] if len(alt) == 1 else "(" + " <-> ".join(alt) + ")")
                expr = "(" + " | ".join(variants) + ")"
            return expr
        if isinstance(node, Or):
            return "(" + " | ".join(self._render(c) for c in node.children) + ")"
        if isinstance(node, And):
            parts = [self._render(c) for c in node.children if not isinstance(c, Not)]
            parts += ["!" + self._render(c.child) for c in node.children if isinstance(c, Not)]
            return "(" + " & ".join(parts) + ")"
        raise AssertionError(node)

    def _text_predicate(self, expr: str) -> tuple[str, list[Any]]:
        return "a.fts @@ to_tsquery('simple', ?)", [expr]

    def _said_predicate(self, expr: str) -> tuple[str, list[Any]]:
        return (
            "EXISTS (SELECT 1 FROM quotes q WHERE q.article_seq = a.seq AND q.fts @@ to_tsquery('simple', ?))",
            [expr],
        )

    def _ranked(
        self, tx: Tx, match: str, where: str, params: list[Any], sort: SortOrder, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        total = int(
            tx.scalar(
                "SELECT count(*) FROM (SELECT 1 FROM articles a "  # noqa: S608
                f"WHERE a.fts @@ to_tsquery('simple', ?) AND {where} LIMIT ?) c",
                [match, *params, self._count_limit()],
            )
        )
        window = self._window(total)
        inner = (
            "SELECT a.seq, ts_rank_cd(a.fts, to_tsquery('simple', ?)) AS score, a.published_ts FROM articles a "  # noqa: S608
            f"WHERE a.fts @@ to_tsquery('simple', ?) AND {where}"
        )
        inner_params: list[Any] = [match, match, *params]
        if window is not None:
            inner += " ORDER BY a.seq DESC LIMIT ?"
            inner_params.append(window)
        order = "c.score DESC, c.seq DESC" if sort == "relevance" else "c.published_ts DESC NULLS LAST, c.seq DESC"
        rows = tx.all(
            f"SELECT c.seq, c.score FROM ({inner}) c ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
            [*inner_params, limit, offset],
        )
        return [(int(r[0]), float(r[1])) for r in rows], total

    def _matched_seqs_sql(
        self, match: str | None, where: str, params: list[Any], window: int | None = None
    ) -> tuple[str, list[Any]]:
        limit = "" if window is None else f" ORDER BY a.seq DESC LIMIT {int(window)}"
        if match is None:
            return f"SELECT a.seq FROM articles a WHERE {where}" + limit, list(params)  # noqa: S608
        return (
            f"SELECT a.seq FROM articles a WHERE a.fts @@ to_tsquery('simple', ?) AND {where}" + limit,  # noqa: S608
            [match, *params],
        )
