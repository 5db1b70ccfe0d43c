"""One cleaning code path for both readers: the lines of an article -> clean body, related links, credits.

Everything it knows is data under resources/read/: furniture.tsv (lines that are not the article, and the
lines after which the page's navigation begins), inserts.tsv ("Baca Juga:" and kin, kept as `related`),
credits.tsv (Editor:, Penulis:, Sumber: ...), signoffs.tsv ("(ant/nrl)"). Nothing is dropped silently:
every removed line is listed in `Cleaned.dropped` with its kind, and prose that had to be cut after an end
mark is reported in `warnings`.
"""

from __future__ import annotations

import re
from functools import cache

import msgspec

from warta.record import Link, Source
from warta.resources import read_tsv


class Cleaned(msgspec.Struct, kw_only=True):
    body: list[str] = msgspec.field(default_factory=list)
    related: list[Link] = msgspec.field(default_factory=list)
    authors: list[str] = msgspec.field(default_factory=list)
    editors: list[str] = msgspec.field(default_factory=list)
    sources: list[Source] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    image_credit: str | None = None
    signoff: list[str] = msgspec.field(default_factory=list)
    dropped: list[tuple[str, str]] = msgspec.field(default_factory=list)
    warnings: list[str] = msgspec.field(default_factory=list)


class _Rule(msgspec.Struct, frozen=True):
    pattern: re.Pattern[str]
    action: str
    kind: str


@cache
def furniture_rules() -> tuple[_Rule, ...]:
    return tuple(
        _Rule(re.compile(r"(?:" + row["regex"] + r")\Z", re.I), row["action"], row["kind"])
        for row in read_tsv("read", "furniture.tsv")
    )


@cache
def _insert_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(row["regex"] + r"\Z"), row["kind"]) for row in read_tsv("read", "inserts.tsv"))


@cache
def _credit_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(row["regex"] + r"\Z", re.I), row["field"]) for row in read_tsv("read", "credits.tsv"))


@cache
def _signoff_rules() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(row["regex"]) for row in read_tsv("read", "signoffs.tsv"))


@cache
def _agencies() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for row in read_tsv("agencies.tsv"):
        for alias in row["aliases"].split("|"):
            if alias:
                table.setdefault(alias.lower(), (row["name"], row["kind"]))
    return table


def source_for(name: str) -> tuple[str, str]:
    """(canonical name, kind) of a cited source by name; unknown names keep their text with kind "other"."""
    known = _agencies().get(name.strip().lower())
    return known if known else (name.strip(), "other")


_END_MARK = re.compile(r"\s*(?:(?<![\w*])\*{3,}|\(\s*\*\s*\)|\[\s*\*\s*\])\s*\Z")  # not "Ki***" (a masked name)
_WS = re.compile(r"\s+")
_QUOTES = "\"'“”‘’«»"
_PROSE_WORDS = 8


def normalize_line(line: str) -> str:
    """Collapse whitespace (including no-break spaces) and strip."""
    if "\u200b" in line or "\ufeff" in line:
        line = line.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(line.split())


@cache
def _any_rule(name: str) -> re.Pattern[str]:
    """One alternation of all the rules of a file: most lines match none, and one regex answers that fast."""
    rows = read_tsv("read", name)
    unnamed = (re.sub(r"\(\?P<\w+>", "(?:", row["regex"]) for row in rows)
    return re.compile("|".join(f"(?:{rx})\\Z" for rx in unnamed), re.I)


def furniture_kind(line: str) -> tuple[str, str] | None:
    """(action, kind) when the line is page furniture, else None."""
    if len(line) > 300 or not _any_rule("furniture.tsv").match(line):
        return None
    for rule in furniture_rules():
        if rule.pattern.match(line):
            return rule.action, rule.kind
    return None


def match_insert(line: str) -> tuple[str, str] | None:
    """(title, kind) when the line is a "Baca Juga"-style insert; title may be "" (it is on the next line)."""
    if len(line) > 400 or not _any_rule("inserts.tsv").match(line):
        return None
    for pattern, kind in _insert_rules():
        m = pattern.match(line)
        if m:
            return _strip_title(m.group("title")), kind
    return None


def match_credits(line: str) -> list[tuple[str, str]]:
    """[(field, value)] for a credit line ("Editor: X | Penulis: Y"); [] when the line is not one."""
    if len(line) > 200 or not _any_rule("credits.tsv").match(line.split("|")[0].split(";")[0].strip()):
        return []
    found: list[tuple[str, str]] = []
    for part in re.split(r"\s+[|;]\s+|\s{2,}", line):
        for pattern, field in _credit_rules():
            m = pattern.match(part.strip())
            if m:
                found.append((field, m.group("value").strip()))
                break
        else:
            return []
    return found


def split_signoff(paragraph: str) -> tuple[str, list[str]]:
    """Remove a trailing sign-off such as "(ant/nrl)": (paragraph without it, [codes])."""
    tail_at = max(0, len(paragraph) - 48)
    tail = paragraph[tail_at:]
    if ")" not in tail and "]" not in tail:
        return paragraph, []
    for pattern in _signoff_rules():
        m = pattern.search(paragraph, tail_at)
        if m:
            codes = [c.strip() for c in m.group("codes").split("/") if c.strip()]
            return paragraph[: m.start()].rstrip(), codes
    return paragraph, []


def _strip_title(title: str) -> str:
    title = title.strip()
    title = re.sub(r"^(?:[Vv]ideo|VIDEO)\s*:?\s*", "", title)
    title = re.sub(r"\s*(?:di sini|disini|berikut ini|berikut)\s*:?\s*$", "", title, flags=re.I)
    if len(title) >= 2 and title[0] in _QUOTES and title[-1] in _QUOTES + ":":
        title = title.strip(_QUOTES + ": ")
    return title.strip(" :")


def _names(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|&|\bdan\b|\band\b|/)\s*", value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


_BULLET = re.compile(r"^\s*(?:[*+•·▪►»-]\s+)+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*(?:\*{3,})?$")


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line[-12:]))


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS


def clean_lines(lines: list[str], *, outlet: str | None = None, links: dict[str, str] | None = None) -> Cleaned:
    """Clean the paragraphs of one article (already cut from the page).

    Removes page furniture (ADVERTISEMENT, SCROLL TO CONTINUE..., share lines, page counters), turns
    "Baca Juga:" inserts into `related` (with the URL from ``links``, which maps an insert's title text to
    its href, when the HTML reader knows it), reads credit lines (Editor:, Penulis:, Reporter:, Sumber:) and
    sign-offs ("(ant/nrl)"), stops at end marks ("***") and trailing navigation (Tags, Terkini, ...).
    """
    out = Cleaned()
    links = links or {}
    lines = [x for x in (normalize_line(r) for r in lines) if x]
    # Index of the last line of running prose: a navigation heading before it is an inline related-articles
    # block ("Berita Terkait" with links), one after it is where the page's navigation begins.
    last_prose = max((i for i, x in enumerate(lines) if _is_prose(x) and _ends_sentence(x)), default=-1)
    ended = False  # an end mark or the page's navigation has been reached
    in_tags = False
    related_block: str | None = None  # kind of the insert whose titles follow on the next lines
    cut_after_end: list[str] = []
    sources: dict[str, Source] = {}
    for i, line in enumerate(lines):
        if related_block is not None:
            if len(line.split()) <= 25 and not _ends_sentence(line) and not furniture_kind(line) and not match_credits(line):
                _add_related(out, _BULLET.sub("", line), links)
                out.dropped.append((related_block, line))
                continue
            related_block = None
        credits = match_credits(line)
        if credits:
            for field, value in credits:
                _add_credit(out, field, value, line, sources)
            out.dropped.append(("credit", line))
            continue
        if in_tags:
            if len(line.split()) <= 6 and furniture_kind(line) is None:
                out.tags.extend(t.strip() for t in re.split(r"\s*[,#|]\s*", _BULLET.sub("", line)) if t.strip())
                out.dropped.append(("tags", line))
                continue
            in_tags = False
        furniture = furniture_kind(line)
        if furniture:
            action, kind = furniture
            out.dropped.append((kind, line))
            if action == "stop" and kind == "navigation" and i < last_prose and not ended:
                related_block = "related-block"
            elif action == "stop" and (out.body or kind != "navigation"):
                ended = True
                in_tags = kind == "tags"
                if kind == "tags" and ":" in line:
                    inline = line.split(":", 1)[1]
                    out.tags.extend(t.strip() for t in re.split(r"\s*[,#|]\s*", inline) if t.strip())
            continue
        insert = match_insert(line)
        if insert:
            title, kind = insert
            if title:
                _add_related(out, title, links)
            else:
                related_block = kind
            out.dropped.append((kind, line))
            continue
        if ended:
            out.dropped.append(("after-end", line))
            if _is_prose(line):
                cut_after_end.append(line)
            continue
        text = line
        mark = _END_MARK.search(text, max(0, len(text) - 16))
        if mark:
            text = text[: mark.start()].rstrip()
            out.dropped.append(("end-mark", line[mark.start():].strip()))
            ended = True
        if text:
            out.body.append(text)
    # A sign-off ("(ant/nrl)") closes the last paragraph, or stands on a line of its own after it.
    while out.body:
        text, codes = split_signoff(out.body[-1])
        if not codes:
            break
        out.signoff[:0] = codes
        out.dropped.append(("signoff", f"({'/'.join(codes)})"))
        if text:
            out.body[-1] = text
            break
        out.body.pop()
    out.sources = list(sources.values())
    if out.signoff and not out.authors:
        out.authors = [out.signoff[0]]
        out.editors.extend(c for c in out.signoff[1:] if c not in out.editors)
    if cut_after_end:
        words = sum(len(x.split()) for x in cut_after_end)
        out.warnings.append(
            f"cut {len(cut_after_end)} paragraph(s) ({words} words) found after the article's end mark or navigation"
        )
    out.related = _dedupe_links(out.related)
    out.tags = list(dict.fromkeys(out.tags))
    return out


def _add_related(out: Cleaned, title: str, links: dict[str, str]) -> None:
    title = _strip_title(_BULLET.sub("", title))
    if title:
        out.related.append(Link(title=title, url=links.get(title)))


def _add_credit(out: Cleaned, field: str, value: str, line: str, sources: dict[str, Source]) -> None:
    if field == "authors":
        out.authors.extend(n for n in _names(value) if n not in out.authors)
    elif field == "editors":
        out.editors.extend(n for n in _names(value) if n not in out.editors)
    elif field == "image_credit":
        out.image_credit = out.image_credit or value
    elif field == "sources":
        for part in re.split(r"\s*(?:,|;|\bdan\b)\s*", value):
            if not part:
                continue
            name, kind = source_for(part)
            if name in sources:
                sources[name].evidence.append(line)
            else:
                sources[name] = Source(name=name, kind=kind, evidence=[line])  # type: ignore[arg-type]


def _dedupe_links(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        key = link.title.lower()
        if key not in seen or (seen[key].url is None and link.url):
            seen[key] = link
    return list(seen.values())
