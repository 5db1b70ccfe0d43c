"""Versioned schema migrations for both backends.

Each backend has an ordered list of migrations; a database records the last one applied in
``meta.schema_version`` and opening it applies the rest, each in its own transaction. Never edit a
migration that has shipped: add a new one. ``tests/data/store/`` keeps databases made by older
versions, and a test opens them with the current code.
"""

from __future__ import annotations

SQLITE: list[list[str]] = [
    # 1: articles, full-text index, entities, quotes, sources, links, merges, state
    [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE articles (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            url TEXT, canonical_url TEXT, domain TEXT, domain_key TEXT,
            outlet TEXT, outlet_key TEXT, language TEXT, title TEXT,
            published_at TEXT, published_ts INTEGER, day TEXT,
            duplicate_of TEXT, story_id TEXT, group_id TEXT,
            body_hash TEXT NOT NULL, previous_body_hash TEXT, record_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
            record BLOB NOT NULL)""",
        "CREATE INDEX articles_published ON articles(published_ts)",
        "CREATE INDEX articles_outlet ON articles(outlet_key, published_ts)",
        "CREATE INDEX articles_url ON articles(url)",
        "CREATE INDEX articles_canonical ON articles(canonical_url)",
        "CREATE INDEX articles_story ON articles(story_id, published_ts)",
        "CREATE INDEX articles_group ON articles(group_id)",
        "CREATE INDEX articles_duplicate ON articles(duplicate_of)",
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', tokenize='unicode61 remove_diacritics 0')",
        """CREATE TABLE entities (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL,
            articles INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0,
            quotes INTEGER NOT NULL DEFAULT 0, first_ts INTEGER, last_ts INTEGER, merged_into TEXT)""",
        "CREATE INDEX entities_type ON entities(type, articles)",
        "CREATE INDEX entities_merged ON entities(merged_into)",
        """CREATE TABLE article_entities (
            article_seq INTEGER NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL, role TEXT,
            mentions INTEGER NOT NULL, surface TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (article_seq, entity_id))""",
        "CREATE INDEX article_entities_entity ON article_entities(entity_id, article_seq)",
        """CREATE TABLE quotes (
            qseq INTEGER PRIMARY KEY, article_seq INTEGER NOT NULL, idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL, start_pos INTEGER NOT NULL, end_pos INTEGER NOT NULL,
            text TEXT NOT NULL, kind TEXT NOT NULL, cue TEXT,
            speaker_name TEXT, speaker_key TEXT, speaker_id TEXT, published_ts INTEGER,
            UNIQUE (article_seq, idx))""",
        "CREATE INDEX quotes_speaker ON quotes(speaker_id, published_ts)",
        "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 0')",
        """CREATE TABLE article_sources (
            article_seq INTEGER NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT NOT NULL,
            PRIMARY KEY (article_seq, name_key))""",
        "CREATE INDEX article_sources_name ON article_sources(name_key)",
        """CREATE TABLE related_links (
            article_seq INTEGER NOT NULL, idx INTEGER NOT NULL, title TEXT NOT NULL, url TEXT,
            PRIMARY KEY (article_seq, idx))""",
        """CREATE TABLE merges (
            id INTEGER PRIMARY KEY, keep TEXT NOT NULL, merge TEXT NOT NULL, reason TEXT NOT NULL,
            evidence TEXT NOT NULL, moved TEXT NOT NULL, previous TEXT NOT NULL,
            created_at TEXT NOT NULL, undone_at TEXT)""",
        "CREATE INDEX merges_keep ON merges(keep)",
        "CREATE INDEX merges_merge ON merges(merge)",
        "CREATE TABLE state (key TEXT PRIMARY KEY, data BLOB NOT NULL, updated_at TEXT NOT NULL)",
    ],
    # 2: resumable ingests (documents already stored) and story titles from the group stage
    [
        "CREATE TABLE documents (key TEXT PRIMARY KEY, done_at TEXT NOT NULL)",
        "CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT, summary TEXT, updated_at TEXT NOT NULL)",
    ],
    # 3: the vocabulary (folded word -> stem) that prefix queries expand against
    [
        "CREATE TABLE vocab (word TEXT PRIMARY KEY, stem TEXT NOT NULL) WITHOUT ROWID",
    ],
    # 4: fast filters and facets: outlet and domain keys in a small table, a covering index of the
    # small columns (so facets and filters never read the big rows)
    [
        "CREATE TABLE outlet_keys (outlet_key TEXT NOT NULL, domain_key TEXT NOT NULL, "
        "PRIMARY KEY (outlet_key, domain_key)) WITHOUT ROWID",
        "INSERT INTO outlet_keys SELECT DISTINCT COALESCE(outlet_key, ''), COALESCE(domain_key, '') FROM articles "
        "WHERE true ON CONFLICT DO NOTHING",
        "CREATE INDEX articles_domain ON articles(domain_key, published_ts)",
        "CREATE INDEX articles_cover ON articles(seq, published_ts, day, outlet, language)",
    ],
    # 5: the distinct names of cited sources and of speakers, so that source: and by: look up a few
    # names instead of scanning every source and quote row
    [
        "CREATE TABLE name_keys (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID",
        "INSERT INTO name_keys SELECT DISTINCT 'source', name_key FROM article_sources WHERE true ON CONFLICT DO NOTHING",
        "INSERT INTO name_keys SELECT DISTINCT 'speaker', speaker_key FROM quotes WHERE speaker_key IS NOT NULL "
        "ON CONFLICT DO NOTHING",
        "CREATE INDEX quotes_speaker_key ON quotes(speaker_key)",
    ],
]

POSTGRES: list[list[str]] = [
    [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE articles (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            url TEXT, canonical_url TEXT, domain TEXT, domain_key TEXT,
            outlet TEXT, outlet_key TEXT, language TEXT, title TEXT,
            published_at TEXT, published_ts BIGINT, day TEXT,
            duplicate_of TEXT, story_id TEXT, group_id TEXT,
            body_hash TEXT NOT NULL, previous_body_hash TEXT, record_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
            record BYTEA NOT NULL,
            fts TSVECTOR)""",
        "CREATE INDEX articles_published ON articles(published_ts)",
        "CREATE INDEX articles_outlet ON articles(outlet_key, published_ts)",
        "CREATE INDEX articles_url ON articles(url)",
        "CREATE INDEX articles_canonical ON articles(canonical_url)",
        "CREATE INDEX articles_story ON articles(story_id, published_ts)",
        "CREATE INDEX articles_group ON articles(group_id)",
        "CREATE INDEX articles_duplicate ON articles(duplicate_of)",
        "CREATE INDEX articles_fts ON articles USING GIN (fts)",
        """CREATE TABLE entities (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL,
            articles BIGINT NOT NULL DEFAULT 0, mentions BIGINT NOT NULL DEFAULT 0,
            quotes BIGINT NOT NULL DEFAULT 0, first_ts BIGINT, last_ts BIGINT, merged_into TEXT)""",
        "CREATE INDEX entities_type ON entities(type, articles)",
        "CREATE INDEX entities_merged ON entities(merged_into)",
        """CREATE TABLE article_entities (
            article_seq BIGINT NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL, role TEXT,
            mentions INTEGER NOT NULL, surface TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (article_seq, entity_id))""",
        "CREATE INDEX article_entities_entity ON article_entities(entity_id, article_seq)",
        """CREATE TABLE quotes (
            qseq BIGSERIAL PRIMARY KEY, article_seq BIGINT NOT NULL, idx INTEGER NOT NULL,
            paragraph INTEGER NOT NULL, start_pos INTEGER NOT NULL, end_pos INTEGER NOT NULL,
            text TEXT NOT NULL, kind TEXT NOT NULL, cue TEXT,
            speaker_name TEXT, speaker_key TEXT, speaker_id TEXT, published_ts BIGINT,
            fts TSVECTOR,
            UNIQUE (article_seq, idx))""",
        "CREATE INDEX quotes_speaker ON quotes(speaker_id, published_ts)",
        "CREATE INDEX quotes_fts ON quotes USING GIN (fts)",
        """CREATE TABLE article_sources (
            article_seq BIGINT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT NOT NULL,
            PRIMARY KEY (article_seq, name_key))""",
        "CREATE INDEX article_sources_name ON article_sources(name_key)",
        """CREATE TABLE related_links (
            article_seq BIGINT NOT NULL, idx INTEGER NOT NULL, title TEXT NOT NULL, url TEXT,
            PRIMARY KEY (article_seq, idx))""",
        """CREATE TABLE merges (
            id BIGSERIAL PRIMARY KEY, keep TEXT NOT NULL, merge TEXT NOT NULL, reason TEXT NOT NULL,
            evidence TEXT NOT NULL, moved TEXT NOT NULL, previous TEXT NOT NULL,
            created_at TEXT NOT NULL, undone_at TEXT)""",
        "CREATE INDEX merges_keep ON merges(keep)",
        "CREATE INDEX merges_merge ON merges(merge)",
        "CREATE TABLE state (key TEXT PRIMARY KEY, data BYTEA NOT NULL, updated_at TEXT NOT NULL)",
    ],
    [
        "CREATE TABLE documents (key TEXT PRIMARY KEY, done_at TEXT NOT NULL)",
        "CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT, summary TEXT, updated_at TEXT NOT NULL)",
    ],
    [
        'CREATE TABLE vocab (word TEXT COLLATE "C" PRIMARY KEY, stem TEXT NOT NULL)',
    ],
    [
        "CREATE TABLE outlet_keys (outlet_key TEXT NOT NULL, domain_key TEXT NOT NULL, "
        "PRIMARY KEY (outlet_key, domain_key))",
        "INSERT INTO outlet_keys SELECT DISTINCT COALESCE(outlet_key, ''), COALESCE(domain_key, '') FROM articles "
        "ON CONFLICT DO NOTHING",
        "CREATE INDEX articles_domain ON articles(domain_key, published_ts)",
        "CREATE INDEX articles_cover ON articles(seq) INCLUDE (published_ts, day, outlet, language)",
    ],
    [
        "CREATE TABLE name_keys (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key))",
        "INSERT INTO name_keys SELECT DISTINCT 'source', name_key FROM article_sources ON CONFLICT DO NOTHING",
        "INSERT INTO name_keys SELECT DISTINCT 'speaker', speaker_key FROM quotes WHERE speaker_key IS NOT NULL "
        "ON CONFLICT DO NOTHING",
        "CREATE INDEX quotes_speaker_key ON quotes(speaker_key)",
    ],
]

LATEST = len(SQLITE)
assert len(POSTGRES) == LATEST
