"""Files and folders as `Document`s: HTML, .html.gz, text dumps, stdin."""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

from warta.sources.document import Document

#: Files larger than this are refused: a news page is never this big, and reading one would
#: take the memory of the whole run.
MAX_FILE_BYTES = 64 * 1024 * 1024


class FileReadError(Exception):
    """A file that could not be read at all (missing, unreadable, a directory, too large, bad gzip)."""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip (by magic number, not by name)."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        if path.is_dir():
            raise FileReadError("is a directory (give the files inside it, or use `warta ingest`)")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileReadError(f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MiB limit for one page")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileReadError("no such file") from None
    except PermissionError:
        raise FileReadError("permission denied") from None
    except OSError as exc:
        raise FileReadError(exc.strerror or str(exc)) from None
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
                data = packed.read(MAX_FILE_BYTES + 1)  # bounded: a gzip bomb stops here
        except (OSError, EOFError, zlib.error) as exc:
            raise FileReadError(f"broken gzip data ({exc})") from None
        if len(data) > MAX_FILE_BYTES:
            raise FileReadError(f"unpacks to over {MAX_FILE_BYTES // 2**20} MiB, the limit for one page")
    return data


def document_from_path(path: Path, *, url: str | None = None) -> Document:
    """A `Document` for one file; the reader detects HTML or text dump from the content."""
    data = read_bytes(path)
    name = str(path).lower().removesuffix(".gz")
    content_type = None
    if name.endswith((".html", ".htm", ".xhtml")):
        content_type = "text/html"
    elif name.endswith((".txt", ".text")):
        content_type = "text/plain"
    return Document(data=data, url=url, source=str(path), fetched_at=_now(), content_type=content_type)
