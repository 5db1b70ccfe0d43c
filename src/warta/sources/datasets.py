"""CSV and JSONL datasets of scraped articles, one article per row, with a column mapping.

``columns`` maps warta's field names to the dataset's columns, e.g. for the Detik set
``{"title": "judul", "url": "tautan", "published": "tanggal", "body": "isi_berita"}``
(``--columns title=judul,url=tautan,published=tanggal,body=isi_berita`` on the command line). Without a
mapping, columns named like the fields are used (title, url/link, published/date, body/text/content...).
The body becomes ``Document.text`` (``text/plain``, read by the text-dump reader, or ``text/html`` when the
body is markup); the other mapped columns go to ``Document.fields``. Day-first or month-first dates
("10/21/2025 20:43") are decided once per dataset from its rows and passed on as ``fields["dayfirst"]``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from warta.read.decode import looks_like_html
from warta.sources.document import Document
from warta.sources.failure import SourceFailure

FIELDS = ("title", "url", "published", "body", "author", "outlet", "tags", "subtitle")
_DEFAULTS: dict[str, tuple[str, ...]] = {
    "title": ("title", "judul", "headline"),
    "url": ("url", "link", "tautan", "canonical_url"),
    "published": ("published", "published_at", "date", "tanggal", "datetime", "pubdate"),
    "body": ("body", "text", "content", "isi", "isi_berita", "article", "articleBody"),
    "author": ("author", "authors", "penulis"),
    "outlet": ("outlet", "source", "media", "site"),
    "tags": ("tags", "keywords"),
}
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}")


def parse_columns(spec: str | None) -> dict[str, str] | None:
    """"title=judul,body=isi" -> {"title": "judul", "body": "isi"}; raises ValueError on a bad spec."""
    if not spec:
        return None
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"bad column mapping {part!r}: use field=column, e.g. title=judul")
        key, column = (x.strip() for x in part.split("=", 1))
        mapping[key] = column
    return mapping


def _mapping(header: list[str], columns: dict[str, str] | None) -> tuple[dict[str, str], list[str]]:
    """(field -> column, problems)."""
    if columns:
        missing = [c for c in columns.values() if c not in header]
        return {f: c for f, c in columns.items() if c in header}, (
            [f"column(s) not in the dataset: {', '.join(missing)} (it has: {', '.join(header[:20])})"] if missing else []
        )
    lowered = {h.lower(): h for h in header}
    found: dict[str, str] = {}
    for field, names in _DEFAULTS.items():
        for name in names:
            if name.lower() in lowered:
                found[field] = lowered[name.lower()]
                break
    return found, []


def _dayfirst(values: list[str]) -> str | None:
    """"false" when the dates are month-first (a second number above 12), "true" when day-first."""
    first = second = False
    for v in values:
        m = _SLASH_DATE.match(v or "")
        if m:
            first = first or int(m.group(1)) > 12
            second = second or int(m.group(2)) > 12
    if second and not first:
        return "false"
    if first and not second:
        return "true"
    return None


def _rows(path: Path, kind: str) -> Iterator[dict[str, str] | SourceFailure]:
    name = str(path)
    if kind == "csv":
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                for row in reader:
                    yield {k: v for k, v in row.items() if k is not None and isinstance(v, str)}
            except csv.Error as exc:
                yield SourceFailure(f"{name}:{reader.line_num}", f"CSV unreadable from here ({exc}); the rest was skipped")
        return
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                yield SourceFailure(f"{name}:{number}", f"not a JSON line ({exc}); skipped")
                continue
            if not isinstance(obj, dict):
                yield SourceFailure(f"{name}:{number}", "JSON line is not an object; skipped")
                continue
            yield {str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) if v is not None else "" for k, v in obj.items()}


def iter_dataset(path: Path, *, columns: dict[str, str] | None = None) -> Iterator[Document | SourceFailure]:
    """One `Document` per row of a CSV or JSONL file."""
    kind = "csv" if path.name.lower().removesuffix(".gz").endswith((".csv", ".tsv")) else "jsonl"
    name = str(path)
    rows = _rows(path, kind)
    buffered: list[dict[str, str]] = []
    pending_failures: list[SourceFailure] = []
    for item in rows:  # look at the first rows to settle the mapping and the date order
        if isinstance(item, SourceFailure):
            pending_failures.append(item)
            continue
        buffered.append(item)
        if len(buffered) >= 200:
            break
    if not buffered:
        yield from pending_failures
        yield SourceFailure(name, "dataset has no rows")
        return
    header = list(dict.fromkeys(k for row in buffered for k in row))
    mapping, problems = _mapping(header, columns)
    for problem in problems:
        yield SourceFailure(name, problem)
    if "body" not in mapping:
        yield SourceFailure(name, f"no body column (give --columns body=COLUMN; columns: {', '.join(header[:20])})")
        return
    dayfirst = _dayfirst([row.get(mapping["published"], "") for row in buffered]) if "published" in mapping else None
    yield from pending_failures

    def all_rows() -> Iterator[dict[str, str] | SourceFailure]:
        yield from buffered
        yield from rows

    number = 0
    for row in all_rows():
        if isinstance(row, SourceFailure):
            yield row
            continue
        number += 1
        body = row.get(mapping["body"], "") or ""
        where = f"{name}:{number}"
        if not body.strip():
            yield SourceFailure(where, "row has an empty body; skipped")
            continue
        fields = {f: (row.get(c) or "").strip() for f, c in mapping.items() if f != "body" and (row.get(c) or "").strip()}
        if dayfirst:
            fields["dayfirst"] = dayfirst
        # "body" present (empty: the body is Document.text) tells the text reader this is a dataset row,
        # not a whole-page dump whose title and date lines it would have to find.
        fields["body"] = ""
        yield Document(
            text=body,
            url=fields.get("url") or None,
            source=where,
            content_type="text/html" if looks_like_html(body) else "text/plain",
            fields=fields,
        )


def sniff_dataset(data: bytes) -> bool:
    """True when bytes look like a JSONL dataset (objects, one per line)."""
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if not head.startswith("{"):
        return False
    first = head.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


__all__ = ["FIELDS", "iter_dataset", "parse_columns", "sniff_dataset"]
