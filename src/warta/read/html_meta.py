"""Page metadata: JSON-LD (NewsArticle and kin), OpenGraph and other meta tags, ``<time>``, canonical link.

`read_meta` gathers every candidate the page offers into a `PageMeta`; the HTML reader chooses among them.
Broken JSON-LD (trailing commas, control characters, several objects glued together) is repaired where
that is safe and reported otherwise; nothing here raises on bad input.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

#: JSON-LD types that describe the article itself.
ARTICLE_TYPES = frozenset(
    ["NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "TechArticle", "ScholarlyArticle", "Report", "SatiricalArticle", "AdvertiserContentArticle", "PressRelease"]
)
_WS = re.compile(r"\s+")


@dataclass
class PageMeta:
    """Everything the page says about itself, before choosing."""

    titles: dict[str, str] = field(default_factory=dict)  # source -> title ("ld", "og", "twitter", "title", "h1")
    description: str | None = None
    published: list[tuple[str, str]] = field(default_factory=list)  # (source, raw value), best first
    modified: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    publisher: str | None = None
    site_name: str | None = None
    image: str | None = None
    image_caption: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    language: str | None = None
    article_body: str | None = None
    next_pages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def join_url(base: str | None, href: str) -> str | None:
    """``href`` resolved against ``base``; None when either is not a valid URL ("http://[x")."""
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def norm(text: str | None) -> str:
    """Whitespace collapsed; HTML entities left in by the page ("&#8211;", "&amp;") decoded."""
    text = text or ""
    if "&" in text and ";" in text:
        text = html.unescape(text)
    return _WS.sub(" ", text).strip()


# --- JSON-LD --------------------------------------------------------------------------------------------

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.replace("<![CDATA[", "").replace("]]>", "").strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    fixed = _CONTROL.sub(" ", _TRAILING_COMMA.sub(r"\1", raw))
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        # Several objects glued together ("{...}{...}"): read them one by one.
        dec = json.JSONDecoder(strict=False)
        items, pos = [], 0
        while pos < len(fixed):
            while pos < len(fixed) and fixed[pos] in " \t\r\n,":
                pos += 1
            if pos >= len(fixed):
                break
            obj, pos = dec.raw_decode(fixed, pos)  # raises ValueError when truly broken
            items.append(obj)
        return items


def _ld_objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """All dicts in a JSON-LD document, @graph flattened."""
    if depth > 6:
        return []
    out: list[dict[str, Any]] = []
    if isinstance(data, list):
        for item in data:
            out.extend(_ld_objects(item, depth + 1))
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            out.extend(_ld_objects(graph, depth + 1))
        main = data.get("mainEntity")
        if isinstance(main, dict):
            out.extend(_ld_objects(main, depth + 1))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.split("/")[-1]}
    if isinstance(t, list):
        return {x.split("/")[-1] for x in t if isinstance(x, str)}
    return set()


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return norm(value) or None
    if isinstance(value, dict):
        for key in ("name", "@value", "text", "headline"):
            if isinstance(value.get(key), str):
                return norm(value[key]) or None
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if _types(item) & {"Organization", "NewsMediaOrganization", "Corporation"}:
                continue
            name = _text(item.get("name"))
        else:
            name = _text(item)
        if name and not name.startswith(("http://", "https://")) and len(name) <= 80:
            names.extend(n for n in re.split(r"\s*(?:,|&|\band\b|\bdan\b)\s*", name) if n)
    return names


def _image_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("contentUrl") or value.get("@id"))
    if isinstance(value, list) and value:
        return _image_url(value[0])
    return None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
    if isinstance(value, list):
        return [k for v in value for k in _keywords(v)]
    return []


def _read_json_ld(parser: LexborHTMLParser, meta: PageMeta) -> None:
    article: dict[str, Any] | None = None
    others: list[dict[str, Any]] = []
    for node in parser.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True) or ""
        if not raw.strip():
            continue
        try:
            data = _load_json(raw)
        except (ValueError, RecursionError):
            meta.warnings.append("json-ld: a JSON-LD block could not be parsed and was ignored")
            continue
        for obj in _ld_objects(data):
            if _types(obj) & ARTICLE_TYPES:
                if article is None or (not article.get("articleBody") and obj.get("articleBody")):
                    article = obj
            else:
                others.append(obj)
    if article is None:
        for obj in others:
            if _types(obj) & {"WebPage", "ItemPage"} and obj.get("datePublished"):
                article = obj
                break
    if article is None:
        return
    headline = _text(article.get("headline")) or _text(article.get("name"))
    if headline:
        meta.titles["ld"] = headline
    if isinstance(article.get("description"), str):
        meta.description = norm(article["description"]) or meta.description
    for key, target in (("datePublished", meta.published), ("dateCreated", meta.published), ("dateModified", meta.modified)):
        value = _text(article.get(key))
        if value:
            target.append(("ld", value))
    meta.authors.extend(_people(article.get("author")))
    meta.editors.extend(_people(article.get("editor")))
    publisher = article.get("publisher")
    if publisher:
        meta.publisher = _text(publisher)
    image = _image_url(article.get("image"))
    if image:
        meta.image = meta.image or image
        if isinstance(article.get("image"), dict):
            meta.image_caption = _text(article["image"].get("caption"))
    meta.tags.extend(_keywords(article.get("keywords")))
    body = article.get("articleBody")
    if isinstance(body, str) and body.strip():
        meta.article_body = body
    section = _text(article.get("articleSection"))
    if section:
        meta.section = section
    lang = _text(article.get("inLanguage"))
    if lang:
        meta.language = meta.language or lang
    main = article.get("mainEntityOfPage")
    url = _text(main.get("@id")) if isinstance(main, dict) else _text(main)
    if url and url.startswith("http"):
        meta.og_url = meta.og_url or url


# --- meta tags ------------------------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "publish_date", "date", "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created", "sailthru.date",
    "parsely-pub-date", "cxenseparse:recs:publishtime", "content_publishdate", "publication_date",
    "original-publish-date", "article.published", "dtm_publishdate", "rnews:datepublished",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified", "lastmod")


def _read_meta_tags(parser: LexborHTMLParser, meta: PageMeta) -> None:
    published: dict[str, str] = {}
    modified: dict[str, str] = {}
    for node in parser.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        content = attrs.get("content")
        if not key or content is None:
            continue
        content = norm(content)
        if not content:
            continue
        if key == "og:title":
            meta.titles.setdefault("og", content)
        elif key == "twitter:title":
            meta.titles.setdefault("twitter", content)
        elif key in ("og:description", "description", "twitter:description"):
            meta.description = meta.description or content
        elif key == "og:site_name":
            meta.site_name = meta.site_name or content
        elif key in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"):
            meta.image = meta.image or content
        elif key == "og:url":
            meta.og_url = meta.og_url or content
        elif key in ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags"):
            meta.tags.extend(k.strip() for k in re.split(r"[,;]", content) if k.strip())
        elif key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
            if not content.startswith(("http://", "https://")):
                name = re.sub(r"^(?:by|oleh)\s+", "", content, flags=re.I)
                meta.authors.extend(n for n in re.split(r"\s*(?:,|&|\band\b|\bdan\b)\s*", name) if n)
        elif key == "article:section":
            meta.section = meta.section or content
        elif key in ("og:locale", "content-language", "language", "dc.language"):
            meta.language = meta.language or content
        elif key in _PUBLISHED_META:
            published.setdefault(key, content)
        elif key in _MODIFIED_META:
            modified.setdefault(key, content)
    for key in _PUBLISHED_META:
        if key in published:
            meta.published.append((key, published[key]))
    for key in _MODIFIED_META:
        if key in modified:
            meta.modified.append((key, modified[key]))


def _read_links(parser: LexborHTMLParser, meta: PageMeta, base: str | None) -> None:
    for node in parser.css("link[rel]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        href = (node.attributes.get("href") or "").strip()
        if not href:
            continue
        if "canonical" in rel and meta.canonical is None:
            meta.canonical = join_url(base, href)
        elif "next" in rel:
            joined = join_url(base, href)
            if joined:
                meta.next_pages.append(joined)


def _read_time_elements(parser: LexborHTMLParser, meta: PageMeta) -> None:
    for node in parser.css("time[datetime], [itemprop=datePublished], [itemprop=dateModified]"):
        attrs = node.attributes
        value = attrs.get("datetime") or attrs.get("content") or node.text(deep=True)
        if not value or not value.strip():
            continue
        if attrs.get("itemprop") == "dateModified":
            meta.modified.append(("itemprop", norm(value)))
        elif attrs.get("itemprop") == "datePublished":
            meta.published.append(("itemprop", norm(value)))
        else:
            meta.published.append(("time", norm(value)))
            break


def read_meta(parser: LexborHTMLParser, *, base_url: str | None = None) -> PageMeta:
    """Every piece of metadata the page declares (call before the tree is modified)."""
    meta = PageMeta()
    _read_json_ld(parser, meta)
    _read_meta_tags(parser, meta)
    _read_links(parser, meta, base_url or meta.og_url)
    _read_time_elements(parser, meta)
    title = parser.css_first("title")
    if title is not None:
        t = norm(title.text(deep=True))
        if t:
            meta.titles["title"] = t
    h1s = [norm(h.text(deep=True)) for h in parser.css("h1")[:5]]
    h1s = [h for h in h1s if h]
    if h1s:
        meta.titles["h1"] = h1s[0]
        meta.titles.update({f"h1.{i}": h for i, h in enumerate(h1s[1:], 1)})
    html = parser.css_first("html")
    if html is not None and html.attributes.get("lang"):
        meta.language = meta.language or (html.attributes.get("lang") or "").strip() or None
    meta.tags = list(dict.fromkeys(t for t in (norm(x) for x in meta.tags) if t and len(t) <= 80))
    meta.authors = list(dict.fromkeys(a for a in (norm(x) for x in meta.authors) if a))
    meta.editors = list(dict.fromkeys(a for a in (norm(x) for x in meta.editors) if a))
    return meta


# --- choosing -------------------------------------------------------------------------------------------

_TITLE_SPLIT = re.compile(r"\s+[|\-–—·•:»]\s+")


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def choose_title(meta: PageMeta, site_names: list[str]) -> str | None:
    """The headline as shown on the page: its <h1> (not a logo h1), else the declared headline.

    Among several <h1>s the one closest to the declared titles wins. An all-capitals <h1> that equals a
    declared title is given in the declared casing.
    """
    titles = meta.titles
    declared = [titles[k] for k in ("ld", "og", "twitter", "title") if titles.get(k)]
    names = {n.lower() for n in site_names if n}
    h1_all = [v for k, v in titles.items() if k.startswith("h1")]
    best = ""
    h1s = [
        h
        for h in h1_all
        if 3 <= len(h) <= 300 and h.lower() not in names and h1_all.count(h) == 1
    ]
    if h1s:
        parts = [p for d in declared for p in _TITLE_SPLIT.split(d)]  # "Headline | Site" -> its parts too
        decl_tokens = [_tokens(d) for d in declared + parts]

        exact = {d.lower() for d in declared + parts}

        def closeness(h: str) -> float:
            if h.lower() in exact:  # the headline exactly as declared (or a part of "Headline | Site")
                return 2.0
            ht = _tokens(h)
            if not ht or not decl_tokens:
                return 0.0
            return max(len(ht & d) / len(ht | d) for d in decl_tokens if d) if any(decl_tokens) else 0.0

        best = max(h1s, key=closeness)
        near = closeness(best)
        # An <h1> that shares (almost) nothing with the declared titles is a logo or a section name.
        if declared and (near < 0.2 or (len(best.split()) < 2 and near < 0.5)):
            best = ""
    if h1s and best:
        best = _strip_known_name(best, site_names)
        if best.isupper():
            for d in declared:
                if d.lower() == best.lower():
                    return d
                stripped = strip_site_name(d, site_names)
                if stripped.lower() == best.lower():
                    return stripped
        return best
    for key in ("ld", "og", "twitter", "title"):
        if titles.get(key):
            return strip_site_name(titles[key], site_names)
    return None


def _strip_known_name(title: str, site_names: list[str]) -> str:
    """'Headline – Site' -> 'Headline' only when the end part is exactly the site's declared name."""
    parts = _TITLE_SPLIT.split(title)
    names = {n.lower() for n in site_names if n}
    if len(parts) >= 2 and parts[-1].lower() in names and len(parts[0]) >= 15:
        return title[: title.rfind(parts[-1])].rstrip(" |-–—·•:»")
    return title


def strip_site_name(title: str, site_names: list[str]) -> str:
    """'Headline | Site' -> 'Headline' when a part is the site's name (or the shorter end part is short)."""
    parts = _TITLE_SPLIT.split(title)
    if len(parts) < 2:
        return title
    names = {n.lower() for n in site_names if n}
    kept = [p for p in parts if p.lower() not in names and not any(p.lower() in n or n in p.lower() for n in names if len(n) >= 4)]
    if kept and len(kept) < len(parts):
        return " - ".join(kept) if len(kept) > 1 else kept[0]
    # No known name: drop a short last part ("Headline - Kompas.com").
    if len(parts[-1]) <= 30 and len(parts[0]) >= 15:
        return title[: title.rfind(parts[-1])].rstrip(" |-–—·•:»")
    return title


def to_iso(value: str, *, default_offset: str | None) -> str | None:
    """An ISO 8601 date/time from a machine-readable date string; a naive time gets ``default_offset``."""
    v = value.strip()
    if not v:
        return None
    if re.fullmatch(r"\d{10}(?:\d{3})?", v):  # epoch seconds or milliseconds
        secs = int(v[:10])
        try:
            from datetime import UTC

            return datetime.fromtimestamp(secs, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?", v)
    if not m:
        return None
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        datetime(int(y), int(mo), int(d))
    except ValueError:
        return None
    if hh is None:
        return f"{y}-{mo}-{d}"
    if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60):
        return None
    out = f"{y}-{mo}-{d}T{hh}:{mm}:{ss or '00'}"
    if tz == "Z":
        return out + "+00:00"
    if tz:
        tz = tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
        return out + tz
    return out + default_offset if default_offset else out


_TRACKING = re.compile(
    r"^(?:utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|yclid|ref|ref_src|ref_url|"
    r"source|src|cmp|cmpid|campaign|spm|share|from|xtor|ito|ocid|sh|s_cid|rss|amp|page_from|tracking_id)$",
    re.I,
)


def clean_url(url: str | None) -> str | None:
    """A URL without tracking parameters or fragment; None for anything that is not http(s)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", urlencode(query), ""))
