"""The text-dump reader: a page as scrapers save it (title, date line, caption, body, credits, navigation).

How a dump is read:

1. The article's body is the best block of running text (Kadane's maximum-sum run over lines: a line of
   prose counts its words, a short line without sentence punctuation costs a little, inserts and furniture
   are neutral). A dateline ("JAKARTA, KOMPAS.com -") just before or inside the block marks its start.
2. The date is the date line nearest above the body (or the first date anywhere, then in the body's text).
3. The title is the headline-like line nearest above the date line (or the body).
4. Lines between title and body that look like a photo caption give `image` (caption and credit).
5. The body goes through `warta.read.clean.clean_lines`, the cleaning shared with the HTML reader.

Rows of a dataset (Document.fields with title/published) skip steps 1-4: their text is the body.
"""

from __future__ import annotations

import re
from functools import cache

from warta.read.clean import (
    Cleaned,
    clean_lines,
    furniture_kind,
    match_credits,
    match_insert,
    normalize_line,
    split_signoff,
)
from warta.read.dateline import split_dateline
from warta.read.dates import find_date, parse_date
from warta.read.language import detect_language
from warta.read.markdown import demarkdown, looks_like_markdown
from warta.read.outlets import domain_of, outlet_for_dateline, outlet_for_domain
from warta.record import Article, Dateline, Image, Provenance, make_id
from warta.resources import read_tsv
from warta.sources.document import Document

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*(?:\*{3,})?$")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’]?\s+[A-Z\"“]")
_PROSE_MIN_WORDS = 8
_END_MARK = re.compile(r"(?:\*{3,}|\(\s*\*\s*\))\s*$")
_LIST_ITEM = re.compile(r"^[*+•·▪►]\s")


@cache
def _caption_rules() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(row["regex"] + r"\Z") for row in read_tsv("read", "captions.tsv"))


def _words(line: str) -> int:
    return len(line.split())


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line[-12:]) or _SENTENCE_INSIDE.search(line))


def _line_value(line: str) -> float:
    """Contribution of a line to the body block score."""
    words = _words(line)
    if furniture_kind(line) or match_insert(line) or match_credits(line):
        return 0.0
    if _is_sentence(line):
        return float(words) if words >= _PROSE_MIN_WORDS else words / 2
    return -4.0


def _best_block(lines: list[str]) -> tuple[int, int]:
    """[start, end) of the maximum-scoring run of lines (the article body)."""
    best, best_range = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        value = _line_value(line)
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best:
            best, best_range = total, (start, i + 1)
    return best_range


def _is_date_line(line: str) -> str | None:
    if len(line) > 120 or not any(c.isdigit() for c in line):
        return None
    found = find_date(line)
    if not found:
        return None
    iso, start, end = found
    rest = (line[:start] + line[end:]).strip(" ,-|–—/:")
    # A date line is mostly the date: what is left is a day name, "Diperbarui", an author name at most.
    return iso if _words(rest) <= 6 else None


def _is_headline(line: str) -> bool:
    words = _words(line)
    return (
        2 <= words <= 40
        and len(line) < 300
        and not line.endswith(":")
        and furniture_kind(line) is None
        and match_insert(line) is None
        and not match_credits(line)
        and _is_date_line(line) is None
    )


def _caption(line: str) -> Image | None:
    for pattern in _caption_rules():
        m = pattern.match(line)
        if m:
            groups = m.groupdict()
            caption = (groups.get("caption") or "").strip() or None
            credit = (groups.get("credit") or "").strip(" .") or None
            if credit and credit.lower().startswith(("foto:", "foto :")):
                credit = credit.split(":", 1)[1].strip()
            return Image(caption=caption, credit=credit)
    return None


def read_text(text: str, doc: Document, *, warnings: list[str] | None = None) -> Article:
    """Read a text dump (or a dataset row's body) into an Article. Problems go to provenance.warnings."""
    warns = list(warnings or [])
    links: dict[str, str] = {}
    if looks_like_markdown(text):
        text, links = demarkdown(text)
    lines = [ln for ln in (normalize_line(x) for x in text.splitlines()) if ln]
    fields = doc.fields or {}
    title: str | None = normalize_line(fields["title"]) if fields.get("title") else None
    published: str | None = None
    if fields.get("published"):
        published = parse_date(fields["published"], dayfirst=fields.get("dayfirst", "true") != "false")
        if published is None:
            warns.append(f"date: could not read the published date {fields['published']!r}")
    image: Image | None = None
    subtitle: str | None = None

    if "title" in fields or "body" in fields:
        body_lines = lines
    else:
        title, published, image, body_lines = _split_dump(lines)

    cleaned = clean_lines(body_lines, links=links)
    warns.extend(cleaned.warnings)
    body = list(cleaned.body)

    dateline: Dateline | None = None
    if body:
        dateline, rest = split_dateline(body[0])
        if dateline:
            body[0] = rest

    if published is None:
        for para in body[:3]:
            published = parse_date(para)
            if published:
                warns.append("date: no date line; the day was taken from the body text")
                break
    if published is None:
        warns.append("date: no publication date found")
    if not title:
        warns.append("title: no title found")
    if not body:
        warns.append("body: no paragraph of running text found (not an article?)")
    elif len(body) < 2 and sum(_words(p) for p in body) < 40:
        warns.append("body: very short; this may be a front page or a listing rather than an article")
    else:
        listing = _listing_signal(body)
        if listing:
            warns.append(f"body: this looks like a front page, feed or listing, not one article ({listing})")

    url = doc.url or fields.get("url") or None
    domain = domain_of(url)
    outlet = _outlet(dateline, domain, fields.get("outlet"))
    if image and cleaned.image_credit and not image.credit:
        image = Image(url=image.url, caption=image.caption, credit=cleaned.image_credit)
    elif image is None and cleaned.image_credit:
        image = Image(credit=cleaned.image_credit)
    language = detect_language(" ".join(body) or (title or ""), default=None)

    return Article(
        id=make_id(url, outlet, title, published),
        url=url,
        canonical_url=url,
        domain=domain,
        outlet=outlet,
        language=language,
        title=title,
        subtitle=subtitle,
        published_at=published,
        dateline=dateline or Dateline(),
        authors=cleaned.authors,
        editors=cleaned.editors,
        image=image,
        body=body,
        related=cleaned.related,
        tags=_tags(cleaned, fields),
        sources=cleaned.sources,
        provenance=Provenance(reader="text", source=doc.source, fetched_at=doc.fetched_at, warnings=warns),
    )


def _listing_signal(body: list[str]) -> str | None:
    """Why a body looks like a list of many articles (dated teasers, many links), or None."""
    dated = sum(1 for p in body if _is_date_line(p))
    if dated >= 3:
        return f"{dated} dated items"
    links = sum(p.count("http://") + p.count("https://") for p in body)
    if links >= 5:
        return f"{links} links in the text"
    return None


def _tags(cleaned: Cleaned, fields: dict[str, str]) -> list[str]:
    tags = list(cleaned.tags)
    if fields.get("tags"):
        tags.extend(t.strip() for t in re.split(r"[,;|]", fields["tags"]) if t.strip())
    return list(dict.fromkeys(tags))


def _outlet(dateline: Dateline | None, domain: str | None, given: str | None) -> str | None:
    if given:
        return given
    if dateline and dateline.outlet:
        return outlet_for_dateline(dateline.outlet) or dateline.outlet
    return outlet_for_domain(domain)


def _join_split_dateline(lines: list[str], start: int) -> list[str]:
    """Join a dateline left alone on its line ("Jakarta -") to the paragraph it belongs to."""
    if 0 < start < len(lines):
        prev = lines[start - 1]
        if len(prev) <= 60 and re.search(r"[-–—]{1,2}$", prev):
            joined = f"{prev} {lines[start]}"
            if split_dateline(joined)[0] is not None:
                return [*lines[: start - 1], joined, *lines[start + 1 :]]
    return lines


def _split_dump(lines: list[str]) -> tuple[str | None, str | None, Image | None, list[str]]:
    """Find title, date, caption and the body's lines in a whole-page dump."""
    if not lines:
        return None, None, None, []
    start, end = _best_block(lines)
    if end == 0:
        return _header_only(lines)
    # A dateline paragraph a little above the block, or early inside it, marks the true start.
    for i in range(max(0, start - 3), min(end, start + 10)):
        if _words(lines[i]) < _PROSE_MIN_WORDS:
            continue
        joined = _join_split_dateline(lines, i)
        if len(joined) < len(lines):  # "Jakarta -" stood alone above this paragraph: now joined to it
            lines, start, end = joined, i - 1, end - 1
            break
        if split_dateline(lines[i])[0] is not None:
            start = i
            break
    # An end mark ("***") or a sign-off ("(fyk/ash)") inside the block is where the article ends.
    seen_prose = False
    for i in range(start, end):
        seen_prose = seen_prose or _words(lines[i]) >= _PROSE_MIN_WORDS
        if seen_prose and (_END_MARK.search(lines[i][-8:]) or split_signoff(lines[i])[1]):
            end = i + 1
            break
    # After the block: lines that belong to the article's end (sign-offs, credits, inserts, end marks).
    while end < len(lines) and _line_value(lines[end]) == 0.0 and furniture_kind(lines[end]) is None:
        end += 1
    body_lines = lines[start:end]
    # Credit and source lines further down ("Editor: ...", "Sumber: TASS") still belong to the article.
    in_tags = False
    for line in lines[end : end + 25]:
        if match_credits(line):
            body_lines.append(line)
        elif furniture_kind(line) == ("stop", "tags"):
            body_lines.append(line)
            in_tags = True
        elif in_tags and _words(line) <= 6 and furniture_kind(line) is None:
            body_lines.append(line)
        else:
            in_tags = False
    published, date_idx = _find_date_line(lines, start)
    title, title_idx = _find_title(lines, start, date_idx)
    image = None
    header_from = max(x for x in (title_idx, date_idx, -1) if x is not None) + 1
    for line in lines[min(header_from, start) : start]:
        image = _caption(line)
        if image:
            break
    return title, published, image, body_lines


def _header_only(lines: list[str]) -> tuple[str | None, str | None, Image | None, list[str]]:
    published, date_idx = _find_date_line(lines, len(lines))
    title, _ = _find_title(lines, len(lines), date_idx)
    return title, published, None, []


def _find_date_line(lines: list[str], start: int) -> tuple[str | None, int | None]:
    """The date line nearest above the body, else the first one in the page."""
    for i in range(start - 1, max(-1, start - 25), -1):
        iso = _is_date_line(lines[i])
        if iso:
            return iso, i
    for i, line in enumerate(lines[:start]):
        iso = _is_date_line(line)
        if iso:
            return iso, i
    return None, None


def _find_title(lines: list[str], start: int, date_idx: int | None) -> tuple[str | None, int | None]:
    """The headline nearest the date line (above it first), or nearest above the body."""
    anchor = date_idx if date_idx is not None else start
    candidates: list[tuple[int, int]] = []
    for i in range(max(0, anchor - 10), start):
        if i == date_idx:
            continue
        line = lines[i]
        if (
            _words(line) >= 3
            and not _LIST_ITEM.match(line)
            and _is_headline(line)
            and _caption(line) is None
            and not _ends_sentence(line)
        ):
            distance = abs(i - anchor) * 2 + (1 if i > anchor else 0)
            candidates.append((distance, i))
    if not candidates:
        return None, None
    _, idx = min(candidates)
    return lines[idx], idx


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?…][\"'”’)\]]*$", line)) and not re.search(r"[!?]$", line)
