"""Exports of stored articles: JSONL (the Article JSON of DESIGN.md), CSV and Parquet (flat columns)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from warta.record import Article, to_dict, to_json

FORMATS = ("jsonl", "csv", "parquet")

#: Flat columns of CSV and Parquet. Lists of strings are lists in Parquet and "; "-joined in CSV;
#: nested parts (entities, quotes, sources, related, syndication) are JSON text in both.
SCALAR = (
    "id", "url", "canonical_url", "domain", "outlet", "language", "title", "subtitle", "published_at",
    "updated_at", "summary", "duplicate_of", "story_id",
)
LISTS = ("authors", "editors", "tags", "keywords")
NESTED = ("entities", "quotes", "sources", "related", "syndication")
COLUMNS = (*SCALAR, "dateline_place", "dateline_outlet", *LISTS, "body", *NESTED)


def flat_row(article: Article) -> dict[str, Any]:
    """One article as flat columns (``body``: paragraphs joined by blank lines)."""
    data = to_dict(article)
    row: dict[str, Any] = {k: data.get(k) for k in SCALAR}
    row["dateline_place"] = article.dateline.place
    row["dateline_outlet"] = article.dateline.outlet
    for k in LISTS:
        row[k] = list(data.get(k) or [])
    row["body"] = "\n\n".join(article.body)
    for k in NESTED:
        value = data.get(k)
        row[k] = None if value is None else json.dumps(value, ensure_ascii=False)
    return row


def write_jsonl(articles: Iterable[Article], out: IO[bytes]) -> int:
    n = 0
    for article in articles:
        out.write(to_json(article) + b"\n")
        n += 1
    return n


def write_csv(articles: Iterable[Article], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=list(COLUMNS))
    writer.writeheader()
    n = 0
    for article in articles:
        row = flat_row(article)
        for k in LISTS:
            row[k] = "; ".join(row[k])
        writer.writerow(row)
        n += 1
    text.flush()
    text.detach()
    return n


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for article in articles:
        batch.append(flat_row(article))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def parquet_schema() -> Any:
    import pyarrow as pa

    fields = [pa.field(k, pa.string()) for k in SCALAR]
    fields += [pa.field("dateline_place", pa.string()), pa.field("dateline_outlet", pa.string())]
    fields += [pa.field(k, pa.list_(pa.string())) for k in LISTS]
    fields += [pa.field("body", pa.string())]
    fields += [pa.field(k, pa.string()) for k in NESTED]
    return pa.schema(fields)


def write_parquet(articles: Iterable[Article], path: Path | str, batch_size: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in _batches(articles, batch_size):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n
