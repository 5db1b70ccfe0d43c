"""The HTML reader: a news page becomes an `Article`.

Steps: parse once with selectolax/lexbor; read the page's own metadata (JSON-LD, OpenGraph, meta tags,
``<time>``, canonical link: `warta.read.html_meta`); cut the article's paragraphs out of the page with the
outlet's profile when there is one (`warta.read.html_profiles`) and the generic extractor otherwise
(`warta.read.html_extract`); then pass the paragraphs through the same cleaning as the text-dump reader
(`warta.read.clean.clean_lines`: furniture, "Baca Juga" inserts with their URLs, credit lines, sign-offs) and
split the dateline off the first paragraph. Anything that could not be read goes to ``provenance.warnings``.
"""

from __future__ import annotations

import re
from datetime import date

from selectolax.lexbor import LexborHTMLParser

from warta.read.clean import Cleaned, clean_lines, match_credits, match_insert, normalize_line
from warta.read.dateline import split_dateline
from warta.read.dates import parse_date
from warta.read.html_extract import Extracted, extract_main
from warta.read.html_meta import PageMeta, choose_title, clean_url, join_url, norm, read_meta, to_iso
from warta.read.html_pages import next_page_urls, single_page_url
from warta.read.html_profiles import Profile, profile_for
from warta.read.language import detect_language
from warta.read.outlets import domain_of, outlet_for_dateline, outlet_for_domain
from warta.record import Article, Dateline, Image, Link, Provenance, make_id
from warta.sources.document import Document

#: Pages bigger than this are cut before parsing: no news page needs more, and the parser's time and
#: memory grow with the input.
MAX_HTML_CHARS = 8_000_000
_RELATED_SELECTOR = ", ".join(
    f"[{attr}*={word}]"
    for attr in ("class", "id")
    for word in ("related", "Related", "terkait", "baca-juga", "bacajuga", "baca_juga", "also-read", "read-also")
)


def _keep_for_cleaning(text: str) -> bool:
    """Lines the cleaner must see even when they look like links or labels: inserts and credit lines."""
    return len(text) < 400 and (match_insert(text) is not None or bool(match_credits(text)))


def _language(meta: PageMeta, body: list[str], title: str | None) -> str | None:
    detected = detect_language(" ".join(body[:20]) or (title or ""), default=None)
    declared = (meta.language or "").strip().lower().replace("_", "-").split("-")[0] or None
    if declared in ("in",):  # old Java-style code for Indonesian
        declared = "id"
    if detected and declared and detected != declared and sum(len(p) for p in body) > 500:
        return detected  # the page's declaration is often a template default
    return declared or detected


def _is_indonesian(domain: str | None, language: str | None) -> bool:
    return bool(
        language == "id"
        or (domain and (domain.endswith(".id") or outlet_for_domain(domain) is not None))
    )


def _first_date(candidates: list[tuple[str, str]], offset: str | None) -> str | None:
    for _source, raw in candidates:
        iso = to_iso(raw, default_offset=offset)
        if iso is None:
            iso = parse_date(raw)
        if iso:
            return iso
    return None


def _related_blocks(parser: LexborHTMLParser, base: str | None, limit: int = 30) -> list[Link]:
    """Headline links inside the page's related-articles blocks ("Berita Terkait", "Baca Juga", ...)."""
    out: list[Link] = []
    seen: set[str] = set()
    for node in parser.css(_RELATED_SELECTOR):
        for a in node.css("a[href]"):
            title = norm(a.text(deep=True))
            href = (a.attributes.get("href") or "").strip()
            if len(title) < 20 or len(title) > 250 or not href or href.startswith(("#", "javascript:")):
                continue
            url = join_url(base, href)
            if url is None:
                continue
            if url in seen:
                continue
            seen.add(url)
            out.append(Link(title=title, url=url))
            if len(out) >= limit:
                return out
    return out


def _links_map(ex: Extracted, base: str | None) -> dict[str, str]:
    links: dict[str, str] = {}
    for para_links in ex.links:
        for text, href in para_links:
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                title = normalize_line(text).strip(" :\"'“”")
                joined = join_url(base, href)
                if joined:
                    links.setdefault(title, joined)
    return links


def _profile_tags(parser: LexborHTMLParser, profile: Profile | None) -> list[str]:
    selectors = [profile.tags] if profile and profile.tags else []
    selectors.append('a[rel="tag"]')
    tags: list[str] = []
    for sel in selectors:
        try:
            nodes = parser.css(sel)
        except Exception:  # a bad selector in a profile must not stop the reader
            continue
        tags.extend(norm(n.text(deep=True)).lstrip("#") for n in nodes[:50])
    return [t for t in tags if t and len(t) <= 80]


def _profile_people(parser: LexborHTMLParser, selector: str | None) -> list[str]:
    if not selector:
        return []
    try:
        nodes = parser.css(selector)
    except Exception:
        return []
    names = []
    for n in nodes[:10]:
        text = norm(n.text(deep=True))
        text = re.sub(r"^(?:Penulis|Reporter|Editor|Penyunting|Oleh|By)\s*:?\s*", "", text, flags=re.I)
        if text and len(text) <= 80:
            names.append(text)
    return names


def read_html(text: str, doc: Document, *, warnings: list[str] | None = None) -> Article:
    """Read one HTML page into an Article. Never raises on bad content: problems go to provenance."""
    warns = list(warnings or [])
    if doc.fields.get("warnings"):
        warns.extend(w for w in doc.fields["warnings"].split("; ") if w)
    if len(text) > MAX_HTML_CHARS:
        warns.append(f"html: page is {len(text):,} characters; only the first {MAX_HTML_CHARS:,} were read")
        text = text[:MAX_HTML_CHARS]
    parser = LexborHTMLParser(text)
    meta = read_meta(parser, base_url=doc.url)
    warns.extend(meta.warnings)

    url = doc.url or meta.canonical or meta.og_url
    canonical = clean_url(meta.canonical) or clean_url(meta.og_url) or clean_url(url)
    domain = domain_of(url or canonical)
    profile = profile_for(domain)

    fields = doc.fields or {}
    base = url or canonical
    block_links = _related_blocks(parser, base)  # before extraction removes the blocks
    ex = extract_main(
        parser,
        container_selector=profile.container if profile else None,
        remove_selectors=profile.remove if profile else (),
        article_body=meta.article_body,
        keep=_keep_for_cleaning,
    )
    if not ex.paragraphs and meta.article_body:
        ex.paragraphs = [p for p in (norm(x) for x in meta.article_body.split("\n")) if p]
        ex.links = [[] for _ in ex.paragraphs]
        warns.append("body: no article text found in the page; used its JSON-LD articleBody")

    cleaned: Cleaned = clean_lines(ex.paragraphs, links=_links_map(ex, base))
    warns.extend(cleaned.warnings)
    if ex.outside_kept and not (cleaned.authors and cleaned.editors):
        credits = clean_lines(ex.outside_kept)  # "Penulis: ..." in a box beside the article
        cleaned.authors = cleaned.authors or credits.authors
        cleaned.editors = cleaned.editors or credits.editors
    body = list(cleaned.body)

    # The title as a paragraph of its own at the top of the body is not body text.
    site_names = [n for n in (meta.site_name, meta.publisher, outlet_for_domain(domain), domain) if n]
    title = normalize_line(fields["title"]) if fields.get("title") else choose_title(meta, site_names)
    title = title or (normalize_line(fields["feed_title"]) if fields.get("feed_title") else None)
    if title:
        while body and normalize_line(body[0]).lower() == title.lower():
            body.pop(0)

    dateline: Dateline | None = None
    if body:
        dateline, rest = split_dateline(body[0])
        if dateline:
            body[0] = rest

    language = _language(meta, body, title)
    offset = "+07:00" if _is_indonesian(domain, language) else None
    published = _url_day(_first_date(meta.published, offset), url)
    updated = _first_date(meta.modified, offset)
    if published is None and fields.get("published"):
        published = parse_date(fields["published"])
    if published is None:
        published = _visible_date(ex.date_lines, url, offset)
    if published is None and fields.get("feed_published"):
        published = to_iso(fields["feed_published"], default_offset=offset) or parse_date(fields["feed_published"])
    if published is None:
        published = _htmldate(text)
        if published:
            warns.append("date: no declared publication date; htmldate found one in the page")
        else:
            warns.append("date: no publication date found")
    if not title:
        warns.append("title: no title found")
    if not body:
        warns.append("body: no paragraph of running text found (not an article?)")
    if url:
        more = next_page_urls(parser, url)
        if more:
            whole = single_page_url(url)
            hint = f"; the whole article: {whole}" if whole else ""
            warns.append(f"multi-page: the article continues on {len(more)} more page(s) not read here ({', '.join(more[:3])}){hint}")

    outlet = None
    if dateline and dateline.outlet:
        outlet = outlet_for_dateline(dateline.outlet)
    outlet = outlet or outlet_for_domain(domain) or meta.site_name or meta.publisher or (dateline.outlet if dateline else None)

    # People credited: the page's own credit lines first, then the profile's elements, then metadata.
    not_people = {s.lower() for s in site_names} | {(outlet or "").lower()}
    given = _split_names(fields.get("author") or fields.get("feed_author") or "")
    authors = _first_nonempty(
        cleaned.authors, _profile_people(parser, profile.authors if profile else None), meta.authors, given,
        drop=not_people,
    )
    editors = _first_nonempty(
        cleaned.editors, _profile_people(parser, profile.editors if profile else None), meta.editors, drop=not_people
    )

    image = None
    if meta.image or cleaned.image_credit:
        img_url = join_url(base, meta.image) if meta.image else None
        image = Image(url=img_url, caption=meta.image_caption, credit=cleaned.image_credit)

    related = list(cleaned.related)
    known = {r.url for r in related if r.url} | {r.title.lower() for r in related}
    for link in block_links:
        if link.url not in known and link.title.lower() not in known:
            related.append(link)
            known.add(link.url or "")

    given_tags = [t.strip() for t in re.split(r"[,;|]", fields.get("tags") or fields.get("feed_tags") or "") if t.strip()]
    tags = list(dict.fromkeys(cleaned.tags + _profile_tags(parser, profile) + meta.tags + given_tags))
    subtitle = None
    if meta.description and title and meta.description.lower() != title.lower():
        subtitle = meta.description if len(meta.description) <= 400 else None

    return Article(
        id=make_id(canonical, outlet, title, published),
        url=url,
        canonical_url=canonical,
        domain=domain,
        outlet=outlet,
        language=language,
        title=title,
        subtitle=subtitle,
        published_at=published,
        updated_at=updated,
        dateline=dateline or Dateline(),
        authors=authors,
        editors=editors,
        image=image,
        body=body,
        related=related,
        tags=tags,
        sources=cleaned.sources,
        provenance=Provenance(reader="html", source=doc.source or doc.url, fetched_at=doc.fetched_at, warnings=warns),
    )


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\b)")


def _url_day(published: str | None, url: str | None) -> str | None:
    """The URL's day when a declared time falls one day off it (a UTC time of a page dated in local time)."""
    m = _URL_DATE.search(url or "") if published else None
    if not m or not published:
        return published
    try:
        declared = date.fromisoformat(published[:10])
        in_url = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return published
    return in_url.isoformat() if abs((declared - in_url).days) == 1 else published


def _visible_date(date_lines: list[str], url: str | None, offset: str | None) -> str | None:
    """A date shown on the page as a line of its own ("Senin, 12 Mei 2025 10:00 WIB"), else in the URL."""
    for line in date_lines:
        iso = parse_date(line)
        if iso:
            return iso if offset else iso[:10]
    m = _URL_DATE.search(url or "")
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


_ORGANISATION = re.compile(
    r"(?i)\b(?:media|news|redaksi|tim|team|staff|desk|network|group|\.com|\.co\.id|online|cyber|digital)\b"
)


def _split_names(value: str) -> list[str]:
    return [n.strip() for n in re.split(r"\s*(?:,|&|\band\b|\bdan\b)\s*", value) if n.strip()]


def _first_nonempty(*lists: list[str], drop: set[str]) -> list[str]:
    """The first list that names at least one person (organisations and the outlet are not people)."""
    for names in lists:
        people = [n for n in dict.fromkeys(names) if n.lower() not in drop and not _ORGANISATION.search(n)]
        if people:
            return people
    return []


def _htmldate(text: str) -> str | None:
    """htmldate's guess (original publication date) as YYYY-MM-DD, or None."""
    try:
        from htmldate import find_date

        found = find_date(text[:2_000_000], original_date=True, extensive_search=False)
    except Exception:  # htmldate is a fallback; a failure in it is just "no date"
        return None
    return found or None
