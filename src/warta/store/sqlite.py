"""The SQLite backend: one file, WAL journal, FTS5 over stemmed text (contentless: the index only).

One connection per thread (readers do not block the writer under WAL). The full-text tables are
contentless, so deleting an entry needs the analysed text it was indexed with; the store recomputes
it from the stored record (the analysis is versioned, see `warta.store.analysis`).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from warta.store import migrations
from warta.store.base import SortOrder, StoreError
from warta.store.query import And, Node, Not, Or, Text
from warta.store.sqlbase import SQLStore, Tx


def _same(sql: str) -> str:
    return sql


class SQLiteStore(SQLStore):
    MIGRATIONS = migrations.SQLITE
    LEAST = "min"
    GREATEST = "max"
    COVER_HINT = "INDEXED BY articles_cover"
    NEWEST_HINT = "INDEXED BY articles_published"

    def __init__(self, path: str | Path, *, max_version: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.url = str(self.path)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory: give a database file name, e.g. {self.path / 'warta.db'}")
        if not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist")
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self._migrate(max_version)
        except sqlite3.OperationalError as exc:
            self.close()
            raise StoreError(f"{self.path}: cannot open or upgrade the database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path}: not a warta database ({exc})") from None

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Tx(conn, _same)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        yield Tx(self._conn(), _same)

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                with suppress(sqlite3.Error):
                    conn.close()
            self._conns.clear()
        self._local = threading.local()

    # -- rows and full text -----------------------------------------------------------------
    def _insert_article_row(self, tx: Tx, values: dict[str, Any], title: str, body: str) -> int:
        cols = list(values)
        cur = tx.run(
            f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",  # noqa: S608
            [values[c] for c in cols],
        )
        seq = int(cur.lastrowid)
        self._index_text(tx, seq, title, body, None)
        return seq

    def _index_text(self, tx: Tx, seq: int, title: str, body: str, old: tuple[str, str] | None) -> None:
        if old is not None:
            tx.run(
                "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                (seq, old[0], old[1]),
            )
        tx.run("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", (seq, title, body))

    def _insert_quotes(self, tx: Tx, rows: list[tuple[tuple[Any, ...], str]]) -> None:
        for values, analysed in rows:
            cur = tx.run(
                "INSERT INTO quotes (article_seq, idx, paragraph, start_pos, end_pos, text, kind, cue, speaker_name, "
                "speaker_key, speaker_id, published_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            self._index_quote(tx, int(cur.lastrowid), analysed, None)

    def _index_quote(self, tx: Tx, qseq: int, text: str, old: str | None) -> None:
        if old is not None:
            self._unindex_quote(tx, qseq, old)
        tx.run("INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)", (qseq, text))

    def _unindex_quote(self, tx: Tx, qseq: int, old: str) -> None:
        tx.run("INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', ?, ?)", (qseq, old))

    # -- search -----------------------------------------------------------------------------
    def _render(self, node: Node) -> str:
        if isinstance(node, Text):
            phrase = '"' + " ".join(node.stems) + '"'
            if not node.prefix:
                return phrase
            head = node.stems[:-1]
            others = ['"' + " ".join((*head, e)) + '"' for e in node.expansions]
            return "(" + " OR ".join([phrase + "*", *others]) + ")" if others else phrase + "*"
        if isinstance(node, Or):
            return "(" + " OR ".join(self._render(c) for c in node.children) + ")"
        if isinstance(node, And):
            pos = [self._render(c) for c in node.children if not isinstance(c, Not)]
            neg = [self._render(c.child) for c in node.children if isinstance(c, Not)]
            expr = "(" + " AND ".join(pos) + ")"
            if neg:
                expr = "(" + expr + " NOT (" + " OR ".join(neg) + "))"
            return expr
        raise AssertionError(node)

    def _text_predicate(self, expr: str) -> tuple[str, list[Any]]:
        return "a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [expr]

    def _said_predicate(self, expr: str) -> tuple[str, list[Any]]:
        return (
            "a.seq IN (SELECT q.article_seq FROM quotes q WHERE q.qseq IN "
            "(SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?))",
            [expr],
        )

    def _join(self, where: str) -> tuple[str, str]:
        """(join, condition) to test ``where`` against full-text matches ``f``. When the conditions are
        all sets of articles (``a.seq IN (...)``), each set is built once and the matches are tested
        against it (``+f.rowid``: no per-row index probe, no article row read); otherwise the matches
        are joined to the covering index of the small columns."""
        if all(m.group(0) == "a.seq" for m in re.finditer(r"\ba\.\w+", where)):
            return "", re.sub(r"\ba\.seq\b", "+f.rowid", where)
        return f"JOIN articles a {self.COVER_HINT} ON a.seq = f.rowid", where

    def _ranked(
        self, tx: Tx, match: str, where: str, params: list[Any], sort: SortOrder, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        join, cond = self._join(where)
        total = int(
            tx.scalar(
                f"SELECT count(*) FROM (SELECT 1 FROM articles_fts f {join} WHERE articles_fts MATCH ? AND {cond} "  # noqa: S608
                "LIMIT ?)",
                [match, *params, self._count_limit()],
            )
        )
        inner = (
            "SELECT f.rowid AS seq, bm25(articles_fts, 3.0, 1.0) AS score FROM articles_fts f "  # noqa: S608
            f"{join} WHERE articles_fts MATCH ? AND {cond} ORDER BY f.rowid DESC"
        )
        window = self._window(total)
        inner_params: list[Any] = [match, *params]
        if window is not None:
            inner += " LIMIT ?"
            inner_params.append(window)
        if sort == "relevance":
            sql = f"SELECT c.seq, c.score FROM ({inner}) c ORDER BY c.score, c.seq DESC LIMIT ? OFFSET ?"  # noqa: S608
        else:
            sql = (
                f"SELECT c.seq, c.score FROM ({inner}) c JOIN articles a {self.COVER_HINT} ON a.seq = c.seq "  # noqa: S608
                "ORDER BY a.published_ts DESC NULLS LAST, c.seq DESC LIMIT ? OFFSET ?"
            )
        rows = tx.all(sql, [*inner_params, limit, offset])
        return [(int(r[0]), -float(r[1])) for r in rows], total

    def _matched_seqs_sql(
        self, match: str | None, where: str, params: list[Any], window: int | None = None
    ) -> tuple[str, list[Any]]:
        limit = "" if window is None else f" ORDER BY {'a.seq' if match is None else 'f.rowid'} DESC LIMIT {int(window)}"
        if match is None:
            return f"SELECT a.seq FROM articles a {self.COVER_HINT} WHERE {where}" + limit, list(params)  # noqa: S608
        join, cond = self._join(where)
        limit = limit.replace("a.seq", "f.rowid")
        return (
            f"SELECT f.rowid FROM articles_fts f {join} WHERE articles_fts MATCH ? AND {cond}" + limit,  # noqa: S608
            [match, *params],
        )
