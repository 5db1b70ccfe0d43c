"""Bytes to text: charset from the transport, the page, or detection; mojibake repaired with ftfy."""

from __future__ import annotations

import re
import unicodedata

import ftfy

from warta.sources.document import Document

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|article|p\b|title)", re.I | re.S)


#: A news page is far smaller than this; past it only the beginning is read (and provenance says so), so that
#: one huge or hostile file cannot hold a whole ingest.
MAX_CHARS = 4_000_000


def _too_big(size: int) -> str:
    return (
        f"size: input is {size / 1e6:.1f} million characters; only the first {MAX_CHARS / 1e6:.0f} million "
        "were read (a news page is far smaller)"
    )


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than a plain dump."""
    head = text[:2000]
    if _HTML_START.match(head):
        return True
    return head.count("</") >= 3 and head.count("<") > 10


def _binary_share(data: bytes) -> float:
    sample = data[:4096]
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(sample)


def decode_document(doc: Document) -> tuple[str, list[str]]:
    """Decode a document to text; returns the text and any warnings for provenance."""
    warnings: list[str] = []
    if doc.text is not None:
        text = doc.text
        if len(text) > MAX_CHARS:
            warnings.append(_too_big(len(text)))
            text = text[:MAX_CHARS]
    else:
        data = doc.data or b""
        if len(data) > MAX_CHARS * 2:
            warnings.append(_too_big(len(data)))
            cut = data.rfind(b"\n", 0, MAX_CHARS * 2)
            data = data[: cut if cut > 0 else MAX_CHARS * 2]
        if not data.strip():
            return "", ["empty input: nothing to read"]
        if _binary_share(data) > 0.10:
            return "", ["binary input: this is not a text or HTML file"]
        text = ""
        candidates: list[str] = []
        if data.startswith(b"\xef\xbb\xbf"):
            candidates.append("utf-8-sig")
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            candidates.append("utf-16")
        if doc.encoding:
            candidates.append(doc.encoding)
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            candidates.append(meta.group(1).decode("ascii", "replace"))
        candidates.append("utf-8")
        for enc in candidates:
            try:
                text = data.decode(enc)
                break
            except (UnicodeDecodeError, LookupError):
                continue
        else:
            # Not valid in any declared charset: cp1252 decodes every byte; say so.
            text = data.decode("cp1252", errors="replace")
            warnings.append("encoding: not valid UTF-8 nor the declared charset; read as Windows-1252")
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("encoding: NUL characters removed")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        fixed = text  # nothing for ftfy to repair (it is most of the reading time of a clean page)
    elif ("Ã" in text or "Â" in text or "â" in text) and (_MOJIBAKE.search(text) or _C1.search(text)):
        fixed = ftfy.fix_text(text, normalization="NFC", unescape_html=False, fix_line_breaks=True, uncurl_quotes=False)
    else:
        fixed = text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    if fixed != text and _mojibake_score(text) > _mojibake_score(fixed):
        warnings.append("encoding: mojibake repaired (ftfy)")
    return fixed, warnings


_C1 = re.compile("[\u0080-\u009f]")
_MOJIBAKE = re.compile("[ÃÂâ€][\u0080-\u00bf\u2018-\u201e\u20ac]")


def _mojibake_score(text: str) -> int:
    return len(_MOJIBAKE.findall(text))
