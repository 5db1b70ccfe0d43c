"""Articles split over several pages ("Halaman 2", "Selanjutnya", ``?page=2``) read as one.

Two ways, both used by the sources stage:

* ask for the whole article at once: many Indonesian outlets serve every page with one URL parameter
  (Kompas and Tribun ``?page=all``, Detik ``?single=1``); `single_page_url` adds it, from the outlet's
  profile (column ``single_page`` of resources/profiles/outlets.tsv);
* or read each page and merge: `next_page_urls` finds the following pages (``<link rel=next>``,
  pagination links), `read_pages` reads the pages and `merge_articles` joins them: the first page's
  metadata, every page's paragraphs in order (a paragraph repeated on every page, such as a standfirst,
  is kept once), related links and tags of all pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import msgspec
from selectolax.lexbor import LexborHTMLParser

from warta.read.html_profiles import profile_for
from warta.record import Article, Link, Provenance
from warta.sources.document import Document

_NEXT_TEXT = re.compile(
    r"^\s*(?:halaman\s+(?:selanjutnya|berikutnya)|selanjutnya|berikutnya|next(?:\s+page)?|lanjut(?:kan)?|"
    r"halaman\s+\d+|\d{1,2})\s*[>»›]*\s*$",
    re.I,
)
_PAGINATION_LINKS = ", ".join(
    f'a[href*="{k}"]' for k in ("page=", "page/", "halaman=", "halaman/", "hal=", "hal/", "hal-", "p=", "/page-")
)
_PAGE_PARAM = re.compile(r"(?:^|&)(?:page|halaman|hal|p)=(\d{1,2})(?:&|$)", re.I)
_PAGE_PATH = re.compile(r"/(?:page|halaman|hal)[/-]?(\d{1,2})/?$|[?&]page=(\d{1,2})", re.I)


def single_page_url(url: str) -> str | None:
    """The URL of the whole article on one page, when the outlet offers one (else None)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    profile = profile_for((host or "").lower())
    if profile is None or not profile.single_page:
        return None
    key, _, value = profile.single_page.partition("=")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    query.append((key, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _page_number(url: str) -> int | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    m = _PAGE_PARAM.search(parts.query) or _PAGE_PATH.search(parts.path)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def next_page_urls(parser: LexborHTMLParser, url: str, *, limit: int = 20) -> list[str]:
    """The article's other pages after this one, in order: rel=next, then pagination links on the
    same path ("2", "Halaman 3", "Selanjutnya")."""
    try:
        return _next_pages(parser, url, limit)
    except ValueError:  # a URL that urllib cannot parse ("http://[x"): no pages to find
        return []


def _next_pages(parser: LexborHTMLParser, url: str, limit: int) -> list[str]:
    base = urlsplit(url)
    found: list[str] = []
    for node in parser.css('link[rel="next"], a[rel="next"]'):
        href = (node.attributes.get("href") or "").strip()
        if href:
            found.append(urljoin(url, href))
    for a in parser.css(_PAGINATION_LINKS):  # pagination links only, chosen by lexbor, not all links
        text = " ".join((a.text(deep=True) or "").split())
        if not text or len(text) > 30 or not _NEXT_TEXT.match(text):
            continue
        target = urljoin(url, (a.attributes.get("href") or "").strip())
        t = urlsplit(target)
        # the same article: same host and path (a page parameter), or the path plus a page suffix
        same = t.netloc == base.netloc and (t.path == base.path or t.path.startswith(base.path.rstrip("/") + "/"))
        if same and _page_number(target) is not None:
            found.append(target)
    here = _page_number(url) or 1
    pages: dict[str, int] = {}
    for u in found:
        n = _page_number(u)
        if u != url and (n is None or n > here):
            pages.setdefault(u.split("#")[0], n if n is not None else here + 1)
    ordered = sorted(pages, key=lambda u: pages[u])
    return ordered[:limit]


def merge_articles(articles: Sequence[Article]) -> Article:
    """One Article from the pages of one article, first page first."""
    if not articles:
        raise ValueError("no pages to merge")
    first = articles[0]
    body: list[str] = []
    seen: set[str] = set()
    related: list[Link] = []
    tags: list[str] = []
    warnings: list[str] = []
    for art in articles:
        for para in art.body:
            key = " ".join(para.split()).lower()
            if key in seen:
                continue
            seen.add(key)
            body.append(para)
        related.extend(r for r in art.related if all((r.url or r.title) != (x.url or x.title) for x in related))
        tags.extend(t for t in art.tags if t not in tags)
        warnings.extend(w for w in art.provenance.warnings if not w.startswith("multi-page:") and w not in warnings)
    warnings.append(f"multi-page: {len(articles)} pages merged")
    sources = list({s.name: s for art in articles for s in art.sources}.values())
    return msgspec.structs.replace(
        first,
        body=body,
        related=related,
        tags=tags,
        sources=sources,
        authors=first.authors or next((a.authors for a in articles if a.authors), []),
        editors=first.editors or next((a.editors for a in articles if a.editors), []),
        provenance=Provenance(
            reader=first.provenance.reader,
            source=first.provenance.source,
            fetched_at=first.provenance.fetched_at,
            warnings=warnings,
        ),
    )


def read_pages(docs: Sequence[Document]) -> Article:
    """Read the pages of one article (first page first) and merge them."""
    from warta.read import read_document

    return merge_articles([read_document(d) for d in docs])
