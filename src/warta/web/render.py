"""Turn scraped text into safe HTML: paragraphs with entities and quotes highlighted from their offsets.

Every string from an article is untrusted: it is escaped here, and only markup this module writes
itself is let through. Offsets that do not fit the paragraph are skipped (and counted), never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from warta.record import Article
from warta.web.views import MARK_CLOSE, MARK_OPEN, gid, speaker_gid

ENTITY_CLASS = {"PER": "ent-per", "ORG": "ent-org", "LOC": "ent-loc"}


def path_id(value: str) -> str:
    """An id or name made safe to stand as one path segment of a link."""
    return quote(value, safe="")


def safe_href(url: str | None) -> str | None:
    """The URL if it is an http(s) address, else None (no javascript:, data:, vbscript: links)."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def snippet_html(text: str | None) -> Markup:
    """A search snippet: escaped, with the store's match marks turned into <mark>."""
    if not text:
        return Markup("")
    out = str(escape(text))
    return Markup(out.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


@dataclass
class _Span:
    start: int
    end: int
    kind: str  # "quote" or "entity"
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class RenderedBody:
    paragraphs: list[Markup]
    skipped: int = 0  # spans whose offsets did not fit their paragraph


def _non_overlapping(spans: list[_Span]) -> list[_Span]:
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[_Span] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def _entities_html(text: str, base: int, ents: list[_Span]) -> str:
    """``text`` (starting at ``base`` in its paragraph) with entity spans inside it linked."""
    parts: list[str] = []
    pos = 0
    for e in ents:
        s, t = max(e.start - base, 0), min(e.end - base, len(text))
        if s < pos or s >= t:
            continue
        parts.append(str(escape(text[pos:s])))
        cls = escape(e.attrs["class"])
        href = escape(e.attrs["href"])
        title = escape(e.attrs["title"])
        parts.append(f'<a class="ent {cls}" href="{href}" title="{title}">{escape(text[s:t])}</a>')
        pos = t
    parts.append(str(escape(text[pos:])))
    return "".join(parts)


def render_body(article: Article, entity_href: str = "/entity/") -> RenderedBody:
    """Each paragraph of ``article.body`` as HTML with quotes and entity mentions marked up.

    Quotes are the outer layer (``<q>``-like spans with the speaker linked in their title); entity
    mentions are links inside or outside them. Overlapping spans keep the first, longest one.
    """
    n = len(article.body)
    quotes: list[list[_Span]] = [[] for _ in range(n)]
    ents: list[list[_Span]] = [[] for _ in range(n)]
    skipped = 0

    def fits(p: int, s: int, e: int) -> bool:
        return 0 <= p < n and 0 <= s < e <= len(article.body[p])

    for i, q in enumerate(article.quotes):
        if not fits(q.paragraph, q.start, q.end):
            skipped += 1
            continue
        sp = q.speaker
        attrs = {"kind": q.kind, "speaker": sp.name or "", "idx": str(i)}
        if sid := speaker_gid(article, sp.entity_id):
            attrs["href"] = entity_href + path_id(sid)
        quotes[q.paragraph].append(_Span(q.start, q.end, "quote", attrs))
    for e in article.entities:
        for m in e.mentions:
            if not fits(m.paragraph, m.start, m.end):
                skipped += 1
                continue
            title = e.name + (f" ({e.role})" if e.role else "")
            ents[m.paragraph].append(
                _Span(
                    m.start,
                    m.end,
                    "entity",
                    {"class": ENTITY_CLASS.get(e.type, "ent-other"), "href": entity_href + path_id(gid(e)), "title": title},
                )
            )
    paragraphs: list[Markup] = []
    for p, text in enumerate(article.body):
        qs = _non_overlapping(quotes[p])
        es = _non_overlapping(ents[p])
        parts: list[str] = []
        pos = 0
        for qspan in qs:
            parts.append(_entities_html(text[pos : qspan.start], pos, [e for e in es if pos <= e.start < qspan.start]))
            inner = _entities_html(text[qspan.start : qspan.end], qspan.start, [e for e in es if qspan.start <= e.start < qspan.end])
            kind = escape(qspan.attrs["kind"])
            speaker = escape(qspan.attrs["speaker"])
            label = f"{speaker}" if speaker else ""
            href = qspan.attrs.get("href")
            who = (
                f'<a class="qspk" href="{escape(href)}">{label}</a>'
                if href and label
                else (f'<span class="qspk">{label}</span>' if label else "")
            )
            parts.append(
                f'<span class="quote quote-{kind}" data-speaker="{speaker}" id="q{escape(qspan.attrs["idx"])}">{inner}'
                f"{who}</span>"
            )
            pos = qspan.end
        parts.append(_entities_html(text[pos:], pos, [e for e in es if e.start >= pos]))
        paragraphs.append(Markup("".join(parts)))
    return RenderedBody(paragraphs=paragraphs, skipped=skipped)
