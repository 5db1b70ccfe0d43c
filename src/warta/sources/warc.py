"""WARC, WET and ARC archives as `Document`s.

WARC (.warc, .warc.gz): response records only (requests, metadata and revisits are not pages), read with
FastWARC; the HTTP body is de-chunked and un-gzipped when the crawler stored it raw, and its charset is
taken from the HTTP Content-Type header (the reader also looks at the page's <meta>). A record cut short
(a truncated download) is reported as a `SourceFailure` and skipped; the records before it are read.
WET: the plain-text conversion records of web archives become text dumps (``text/plain``).
ARC (.arc, .arc.gz), the older format, is read with warcio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warta.sources.document import Document
from warta.sources.failure import SourceFailure

#: A record bigger than this is not a news page; it is skipped (and reported).
MAX_RECORD_BYTES = 32 * 1024 * 1024


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("bad chunk header")
        size_text = body[pos:end].split(b";")[0].strip()
        size = int(size_text, 16)
        if size == 0:
            break
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)


def bounded_decompress(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    """Inflate at most ``limit`` bytes (a zip bomb stops there): (bytes, whether all of it was read)."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, limit)
    return out, not inflater.unconsumed_tail


def decode_http_body(body: bytes, headers: dict[str, str]) -> tuple[bytes, list[str]]:
    """Undo Transfer-Encoding: chunked and Content-Encoding: gzip/deflate when the archive kept them."""
    warnings: list[str] = []
    if "chunked" in headers.get("transfer-encoding", "").lower():
        try:
            body = _dechunk(body)
        except ValueError:
            warnings.append("warc: body declared chunked but is not; read as is")
    encoding = headers.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate") and body:
        modes = [16 + zlib.MAX_WBITS] if encoding != "deflate" else [zlib.MAX_WBITS, -zlib.MAX_WBITS]
        for wbits in modes:
            try:
                unpacked, complete = bounded_decompress(body, wbits, MAX_RECORD_BYTES)
            except zlib.error:
                continue
            if not complete:
                warnings.append(f"warc: body unpacks to over {MAX_RECORD_BYTES // 2**20} MiB; only the start was read")
            body = unpacked
            break
        else:
            warnings.append(f"warc: broken {encoding} content encoding; read as is")
    elif encoding == "br":
        try:
            import brotli  # type: ignore[import-not-found]

            body = brotli.decompress(body)
        except Exception:  # brotli missing or data broken: say so, keep the bytes
            warnings.append("warc: brotli content encoding could not be undone")
    return body, warnings


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def iter_warc(path: Path, stream: IO[bytes] | None = None) -> Iterator[Document | SourceFailure]:
    """Response (WARC) or conversion (WET) records of one archive."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    name = str(path)
    handle = stream or path.open("rb")
    try:
        types = WarcRecordType.response | WarcRecordType.conversion
        iterator = ArchiveIterator(handle, record_types=types, parse_http=True)
        index = 0
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                break
            except Exception as exc:  # fastwarc raises on garbage between records
                yield SourceFailure(name, f"archive unreadable after record {index} ({exc}); the rest was skipped")
                break
            index += 1
            uri = record.headers.get("WARC-Target-URI") or None
            where = f"{name}#{index}" + (f" {uri}" if uri else "")
            date = record.headers.get("WARC-Date") or None
            expected = record.content_length
            if expected > MAX_RECORD_BYTES:
                yield SourceFailure(where, f"record is {expected / 1e6:.0f} MB, too big for a page; skipped")
                continue
            try:
                body = record.reader.read()
            except Exception as exc:
                yield SourceFailure(where, f"record could not be read ({exc}); skipped")
                continue
            if len(body) < expected:
                yield SourceFailure(where, f"truncated record ({len(body)} of {expected} bytes); skipped")
                continue
            if record.record_type == WarcRecordType.conversion:
                yield Document(
                    data=body, url=uri, source=where, fetched_at=date, content_type="text/plain", encoding="utf-8"
                )
                continue
            http = record.http_headers
            headers: dict[str, str] = {}
            status = 200
            if http is not None:
                status = http.status_code or 200
                headers = {k.lower(): v for k, v in http.items()}
            if status >= 300:
                continue  # redirects and errors are not pages
            ctype = headers.get("content-type")
            mime = (ctype or "").split(";")[0].strip().lower()
            if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
                continue  # images, PDFs, scripts
            body, warnings = decode_http_body(body, headers)
            doc = Document(
                data=body,
                url=uri,
                source=where,
                fetched_at=date,
                content_type="text/html" if "html" in mime else None,
                encoding=_charset(ctype),
            )
            if warnings:
                doc.fields["warnings"] = "; ".join(warnings)
            yield doc
    finally:
        if stream is None:
            handle.close()


def iter_arc(path: Path) -> Iterator[Document | SourceFailure]:
    """Records of an ARC file (the format before WARC), through warcio."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    index = 0
    with path.open("rb") as handle:
        try:
            for record in ArchiveIterator(handle, arc2warc=True):
                index += 1
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{name}#{index}" + (f" {uri}" if uri else "")
                http = record.http_headers
                status = int(http.get_statuscode() or 200) if http else 200
                if status >= 300:
                    continue
                ctype = http.get_header("Content-Type") if http else None
                try:
                    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
                except Exception as exc:
                    yield SourceFailure(where, f"record could not be read ({exc}); skipped")
                    continue
                mime = (ctype or "").split(";")[0].strip().lower()
                if mime and not (mime.startswith("text/") or "html" in mime):
                    continue
                yield Document(
                    data=body,
                    url=uri,
                    source=where,
                    fetched_at=record.rec_headers.get_header("WARC-Date"),
                    content_type="text/html" if "html" in mime else None,
                    encoding=_charset(ctype),
                )
        except ArchiveLoadFailed as exc:
            yield SourceFailure(name, f"archive unreadable after record {index} ({exc}); the rest was skipped")
        except (OSError, EOFError, zlib.error) as exc:
            yield SourceFailure(name, f"archive truncated or corrupt after record {index} ({exc}); the rest was skipped")
