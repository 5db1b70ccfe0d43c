"""Main-text extraction: the article's paragraphs out of a whole page, on selectolax/lexbor.

How it works, in one pass over the DOM and a little arithmetic:

1. The page is cut into *blocks*: the inline text of each block-level element (a paragraph, a heading, a
   list item, a table cell...), with how much of it is link text and which elements enclose it. Subtrees
   that are never article text (scripts, navigation, forms' controls, hidden elements) are skipped.
2. Each block gets a value: long prose with few links is worth its length, short or link-heavy text and
   text inside elements whose class/id says "sidebar", "related", "share", ... costs its length. The
   article container is the element whose blocks add up to the highest value (a maximum-sum subtree), so
   it grows to take in every paragraph of the story and stops where the furniture starts.
3. Inside that container the blocks are kept in order, minus link lists, furniture subtrees and captions.

When the page carries its own article text (JSON-LD ``articleBody``), blocks that appear in it are worth
more, which pulls the container onto the right element on pages with little prose.

An outlet profile (``warta.read.html_profiles``) can name the container and the furniture with CSS
selectors; the generic rules above then run inside the named element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Subtrees whose text is never part of an article.
SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "select", "option", "button", "input", "textarea", "head", "nav", "video", "audio", "map", "area", "dialog", "datalist", "meter", "progress"]
)
#: Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    ["p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre", "figure", "figcaption", "address", "center", "form", "fieldset", "legend", "details", "summary", "hr", "body", "html", "hgroup", "menu", "caption"]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
#: Tags whose subtree is furniture when found inside the container.
FURNITURE_TAGS = frozenset(["aside", "footer", "figcaption"])

#: Parts of class/id names (split on space, "-" and "_") that mark page furniture.
_NEGATIVE_PARTS = frozenset(
    ["nav", "navbar", "menu", "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "banner", "sponsor", "sponsored", "footer", "sidebar", "aside", "comments", "comment", "related", "share", "shares", "sharing", "social", "socials", "breadcrumb", "breadcrumbs", "promo", "promos", "newsletter", "subscribe", "subscription", "signup", "popup", "modal", "cookie", "cookies", "recommended", "recommendations", "recommendation", "trending", "popular", "tags", "taglist", "tagcloud", "byline", "caption", "captions", "credit", "credits", "meta", "metadata", "pagination", "pager", "print", "toolbar", "login", "rating", "ratings", "carousel", "slider", "gallery", "teaser", "teasers", "outbrain", "taboola", "disqus", "skip", "masthead", "readmore", "more", "baca", "juga", "terkait", "lainnya", "terpopuler", "populer", "terkini", "rekomendasi", "avatar", "bio", "dateline", "timestamp", "widgets", "topics", "keywords", "newsletters", "partner", "partners", "disclaimer", "copyright", "crumbs", "ticker"]
)
#: Substrings that mark furniture wherever they appear in a class/id token.
_NEGATIVE_SUBSTRINGS = re.compile(
    r"comment|sidebar|related|social|newsletter|advert|breadcrumb|cookie|outbrain|taboola|disqus|subscri|"
    r"recommend|footer|sharing|sharebar|sharethis|addthis|share-?(?:buttons?|links?|tools?|icons?|box|bar|this)|"
    r"bacajuga|readmore|read-more|most-?read|promo-",
    re.I,
)
_LAYOUT = re.compile(r"(?:with|has|no|and)[-_]?sidebar|sidebar[-_]?(?:layout|wrap|container-fluid)|layout", re.I)
#: A superset of what `_negative_hint` looks for, to rule most names out with one scan.
_ANY_NEGATIVE = re.compile(
    "|".join(sorted((re.escape(p) for p in _NEGATIVE_PARTS | {"tag"}), key=len, reverse=True))
    + "|"
    + _NEGATIVE_SUBSTRINGS.pattern
)
_SPLIT_HINT = re.compile(r"[\s_\-]+")


_HINT_CACHE: dict[str, bool] = {}


def _is_negative_hint(hint: str) -> bool:
    """True when an element's class/id names page furniture (and not the article itself)."""
    found = _HINT_CACHE.get(hint)
    if found is None:
        found = _HINT_CACHE[hint] = _negative_hint(hint)
        if len(_HINT_CACHE) > 50_000:
            _HINT_CACHE.clear()
    return found


def _negative_hint(hint: str) -> bool:
    low = hint.lower()
    if not _ANY_NEGATIVE.search(low):  # most class names mention nothing of the kind: one scan
        return False
    if _POSITIVE_STRONG.search(low):  # "article-body share-enabled": the article, whatever else it says
        return False
    for token in low.split():
        if _LAYOUT.search(token):
            continue  # "content-with-sidebar": a page layout that holds the article, not a sidebar
        if _NEGATIVE_SUBSTRINGS.search(token):
            return True
        if token in ("tag", "tags"):
            return True
        parts = _SPLIT_HINT.split(token)
        if parts[0] in ("tag", "category", "author", "format", "status", "type", "postid", "post"):
            continue  # WordPress post classes: tag-foo, category-bar, ...
        if any(p in _NEGATIVE_PARTS for p in parts):
            return True
    return False
    for token in hint.split():
        low = token.lower()
        if _POSITIVE_STRONG.search(low):
            return False
        if _LAYOUT.search(low):
            continue  # "content-with-sidebar": a page layout that holds the article, not a sidebar
        if _NEGATIVE_SUBSTRINGS.search(low):
            return True
        if low in ("tag", "tags"):
            return True
        parts = _SPLIT_HINT.split(low)
        if parts[0] in ("tag", "category", "author", "format", "status", "type", "postid", "post"):
            continue  # WordPress post classes: tag-foo, category-bar, ...
        if any(p in _NEGATIVE_PARTS for p in parts):
            return True
    return False


#: React streaming puts server-rendered content in <div hidden id="S:0"> and shows it with a script.
_STREAMED = re.compile(r"S:\d+$")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.U)

#: What a character of text inside furniture (comments, sidebars) costs a container that holds it: little,
#: since furniture is dropped from the output anyway; a candidate *inside* furniture is discounted instead.
_FURNITURE_WEIGHT = 1.0
# A block worth keeping in its own right: this many characters of non-link text.
_PROSE_CHARS = 60


@dataclass(slots=True)
class Block:
    """The inline text of one block-level element."""

    text: str
    link_chars: int
    owner: int  # index of the innermost enclosing block element
    tag: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href) of the links in it
    value: float = 0.0
    penalty: float = 0.0  # its value when a furniture element stands between it and the container


@dataclass(slots=True)
class Extracted:
    """What the extractor found: paragraphs (with links per paragraph) and the container's element."""

    paragraphs: list[str]
    links: list[list[tuple[str, str]]]
    headings: list[bool]
    container_tag: str | None = None
    container_id: str | None = None
    date_lines: list[str] = field(default_factory=list)  # short lines that are only a date, page order
    outside_kept: list[str] = field(default_factory=list)  # credit lines found outside the container


#: Elements whose class/id hints are not read: page-wide wrappers carry every kind of class name.
_NO_HINT_TAGS = frozenset(["html", "body", "main", "form"])


class _Walker:
    """One pass over the DOM collecting blocks, the parent of every element and its furniture flag."""

    def __init__(self, extra_skip: frozenset[str] = frozenset()) -> None:
        self.parents: list[int] = []
        self.neg: list[bool] = []
        self.nodes: list[LexborNode] = []
        self.blocks: list[Block] = []
        self.sigs: list[str] = []  # tag + class, to find runs of same-looking siblings
        self.spans: list[tuple[int, int]] = []  # the blocks of each element: blocks[start:end]
        self.extra_skip = extra_skip
        self._buf: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._link_chars = 0

    def _flush(self, owner: int, tag: str) -> None:
        if not self._buf:
            return
        text = " ".join("".join(self._buf).split())
        self._buf = []
        if text:
            self.blocks.append(Block(text, min(self._link_chars, len(text)), owner, tag, self._links))
        self._links = []
        self._link_chars = 0

    def walk(self, root: LexborNode) -> None:
        """Visit the tree in document order with an explicit stack (pages nest deeper than Python recurses)."""
        # Stack items: (op, a, b, c, d, e). Ops: 0 enter element, 1 text node, 2 literal string,
        # 3 end of a block element, 4 end of an inline element, 5 end of a link.
        stack: list[tuple[int, Any, Any, Any, Any, Any]] = [(0, root, -1, 0, root.tag or "", False)]
        push, pop = stack.append, stack.pop
        nodes_add, parents_add, sigs_add, spans_add, neg_add = (
            self.nodes.append, self.parents.append, self.sigs.append, self.spans.append, self.neg.append,
        )
        blocks = self.blocks
        skip = SKIP_TAGS | self.extra_skip | {"-comment", None}
        while stack:
            op, a, b, c, d, e = pop()
            if op == 1:
                t = a.text_content
                if t:
                    self._buf.append(t)
                    if b:
                        self._link_chars += len(t.strip())
                continue
            if op == 2:
                self._buf.append(a)
                continue
            if op == 3:
                self._flush(a, b)
                self.spans[a] = (self.spans[a][0], len(self.blocks))
                continue
            if op == 4:
                self.spans[a] = (self.spans[a][0], len(self.blocks) + (1 if self._buf else 0))
                continue
            if op == 5:
                node, before, nlinks = a, b, c
                if len(self._links) == nlinks and len(self._buf) > before:
                    href = ((node.attributes or {}).get("href") or "").strip()
                    ltext = " ".join("".join(self._buf[before:]).split())
                    if ltext:
                        self._links.append((ltext, href))
                continue
            node, parent, owner, owner_tag, in_link = a, b, c, d, e
            idx = len(self.nodes)
            nodes_add(node)
            parents_add(parent)
            tag = node.tag or ""
            attrs = node.attributes
            neg = tag in FURNITURE_TAGS
            nb = len(blocks)
            spans_add((nb, nb))
            if attrs:
                cls = attrs.get("class")
                sigs_add(f"{tag}.{cls}" if cls else tag)
                if ("hidden" in attrs and not _STREAMED.match(attrs.get("id") or "")) or attrs.get("aria-hidden") == "true":
                    neg_add(True)
                    continue
                style = attrs.get("style")
                if style and ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style):
                    neg_add(True)
                    continue
                if not neg and tag not in _NO_HINT_TAGS:
                    eid = attrs.get("id")
                    hint = f"{cls} {eid}" if cls and eid else cls or eid
                    if hint and _is_negative_hint(hint):
                        neg = True
            else:
                sigs_add(tag)
            neg_add(neg)
            if tag == "a":
                push((5, node, len(self._buf), len(self._links), None, None))
                in_link = True
            if tag in BLOCK_TAGS or parent < 0:
                self._flush(owner, owner_tag)
                owner, owner_tag = idx, tag
                push((3, idx, tag, None, None, None))
            else:
                push((4, idx, None, None, None, None))
            child = node.last_child
            while child is not None:
                ctag = child.tag
                if ctag == "-text":
                    push((1, child, in_link, None, None, None))
                elif ctag in skip:
                    pass
                elif ctag == "br":
                    push((2, "\n", None, None, None, None))
                elif ctag == "td" or ctag == "th":
                    push((2, " ", None, None, None, None))
                    push((0, child, idx, owner, owner_tag, in_link))
                    push((2, " ", None, None, None, None))
                else:
                    push((0, child, idx, owner, owner_tag, in_link))
                child = child.prev

    def mark_teasers(self) -> None:
        """Runs of three or more same-looking siblings that each carry a headline link are teaser
        cards (more stories, a news ticker), not the article: mark them as furniture."""
        groups: dict[tuple[int, str], list[int]] = {}
        for i, p in enumerate(self.parents):
            if p >= 0 and self.spans[i][1] > self.spans[i][0]:
                groups.setdefault((p, self.sigs[i]), []).append(i)
        blocks = self.blocks
        for members in groups.values():
            if len(members) < 3:
                continue
            linked = 0
            plain = 0
            for i in members:
                start, end = self.spans[i]
                own = blocks[start : min(end, len(blocks))]
                if any(len(b.text) >= 15 and b.link_chars >= 0.8 * len(b.text) for b in own):
                    linked += 1
                plain += sum(len(b.text) - b.link_chars for b in own)
            # Teasers are short: a headline link and a line or two. Long cards are content (a list of
            # reviewed products, of courses...) even when each has a link.
            if linked >= 0.75 * len(members) and plain / len(members) < 400:
                for i in members:
                    self.neg[i] = True


# Class names that look negative but name the article ("post-content-share" no; "article-body" yes).
_POSITIVE_STRONG = re.compile(
    r"article[-_]*(?:body|content|text)|entry[-_]*content|post[-_]*(?:body|content|text)|story[-_]*body|"
    r"main[-_]*content|detail[-_]*(?:text|content|body)|read__content|body[-_]*text",
    re.I,
)


def _block_values(b: Block, body_words: set[str] | None) -> tuple[float, float]:
    """(value as article text, value when a furniture element encloses it)."""
    n = len(b.text)
    plain = n - b.link_chars
    if b.link_chars > 0.5 * n:
        v = -float(n)
    else:
        v = plain - 0.5 * b.link_chars - 25.0
        if plain >= _PROSE_CHARS and b.text[-1:] in _PROSE_END:
            v += 20.0
    pen = -_FURNITURE_WEIGHT * n
    if body_words is not None and n >= 20:
        words = _WORD.findall(b.text.lower())
        if words:
            hit = sum(1 for w in words if w in body_words) / len(words)
            if hit >= 0.8:
                v = max(v, 0.0) + n
                pen = v * 0.5
            elif hit < 0.3 and len(words) >= 5:
                v = min(v, 0.0) - n * 0.5
    return v, pen


def extract_main(
    parser: LexborHTMLParser,
    *,
    container_selector: str | None = None,
    remove_selectors: Iterable[str] = (),
    article_body: str | None = None,
    keep: Callable[[str], bool] | None = None,
) -> Extracted:
    """The main text of a parsed page. The parser's tree is modified (profile furniture removed).

    ``keep`` names blocks that must reach the caller whatever they look like (a "Baca juga:" insert is
    all link, a credit line is a short label): inside the container they are always kept.
    """
    for sel in remove_selectors:
        for node in parser.css(sel):
            node.decompose()
    fixed_node: LexborNode | None = None
    if container_selector:
        found = parser.css(container_selector)
        if found:
            fixed_node = max(found, key=lambda n: len(n.text(deep=True) or ""))
    root = parser.body or parser.root
    if root is None:
        return Extracted([], [], [])
    walker = _Walker()
    walker.walk(root)
    fixed: int | None = None
    if fixed_node is not None:
        target = fixed_node.mem_id
        fixed = next((i for i, n in enumerate(walker.nodes) if n.mem_id == target), None)
    walker.mark_teasers()
    blocks = walker.blocks
    if not blocks:
        return Extracted([], [], [])
    body_words: set[str] | None = None
    if article_body and len(article_body) >= 200:
        body_words = set(_WORD.findall(article_body.lower()))
    parents = walker.parents
    neg = walker.neg
    # score[i]: the value of element i as the container. A block counts its value, or its penalty when
    # furniture stands between it and i (i included). Elements come in document order, children after
    # their parent, so one backward pass sums every subtree.
    count = len(parents)
    own_value = [0.0] * count
    penalties = [0.0] * count  # own blocks' penalties, then the whole subtree's
    for b in blocks:
        b.value, b.penalty = _block_values(b, body_words)
        own_value[b.owner] += b.value
        penalties[b.owner] += b.penalty
    from_children = [0.0] * count
    score = [0.0] * count
    for i in range(count - 1, -1, -1):
        s = penalties[i] if neg[i] else own_value[i] + from_children[i]
        score[i] = s
        p = parents[i]
        if p >= 0:
            from_children[p] += s
            penalties[p] += penalties[i]
    best = 0
    if fixed is not None:
        best = fixed
    else:
        # A candidate inside furniture (a comment, a sidebar teaser) is worth much less than its text.
        inside_neg = [False] * len(parents)
        for i, p in enumerate(parents):  # parents come before children
            inside_neg[i] = neg[i] or (p >= 0 and inside_neg[p])
        best = max(range(len(score)), key=lambda i: score[i] * 0.3 if inside_neg[i] else score[i])
        if score[best] <= 0:
            best = 0
    paragraphs: list[str] = []
    links: list[list[tuple[str, str]]] = []
    heads: list[bool] = []
    marks: list[bool] = []
    outside_blocks: list[int] = []
    first = last = -1
    # The container's subtree is the run of elements after it whose parent is in it; `furn` says whether
    # furniture stands between an element and the container (the container itself not counted).
    inside = [False] * count
    furn_below = [False] * count
    inside[best] = True
    for j in range(best + 1, count):
        p = parents[j]
        if p < 0 or not inside[p]:
            break
        inside[j] = True
        furn_below[j] = furn_below[p] or neg[j]
    for n, b in enumerate(blocks):
        if not inside[b.owner]:
            outside_blocks.append(n)
            continue
        furn = furn_below[b.owner]
        if first < 0:
            first = n
        last = n
        protected = False
        if not _keep(b, furn):
            protected = keep is not None and keep(b.text)
            if not protected:
                continue
        paragraphs.append(b.text)
        links.append(b.links)
        heads.append(b.tag in HEADINGS)
        marks.append(protected)
    # Credit lines ("Penulis: ...") in a box beside the article: only near it, not in the page's footer.
    outside = [
        t for n in outside_blocks
        if first - 30 <= n <= last + 60 and len(t := blocks[n].text) < 150 and keep is not None
        and _CREDIT_HINT.search(t) and keep(t)
    ]
    # "© Photographer / Agency" under a picture is a credit, not the page's copyright line (which ends
    # the article, and would make the cleaner cut everything after it).
    for i in range(len(paragraphs) - 3, -1, -1):
        if paragraphs[i][:1] == "©" and len(paragraphs[i]) < 200 and not marks[i]:
            del paragraphs[i], links[i], heads[i], marks[i]
    _trim_edges(paragraphs, links, heads, marks, keep)
    node = walker.nodes[best]
    attrs = node.attributes or {}
    dates = [
        t for b in blocks[max(0, first - 60) : last + 20]
        if len(t := b.text) < 80 and _DIGIT.search(t) and _DATE_LINE.match(t)
    ][:5]
    dates.sort(key=lambda t: not _HAS_TIME.search(t))  # a date with a time is the article's; a bare one may be today's
    return Extracted(paragraphs, links, heads, node.tag, attrs.get("id") or attrs.get("class"), dates, outside)


def _keep(b: Block, furniture: bool) -> bool:
    n = len(b.text)
    if furniture:
        return b.penalty > 0
    if b.link_chars > 0.5 * n:
        return False
    if n < 100 and (_DATE_LINE.match(b.text) or _CREDIT_LINE.search(b.text)):
        return False
    if b.text[0] == "<" and b.text[-1] == ">":  # markup left as text (noscript fallbacks)
        return False
    return bool(_WORD.search(b.text))


_MONTHS = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mei|agu|okt|des|januari|februari|maret|juni|juli|"
    r"agustus|oktober|desember)[a-z]*\.?"
)
#: A line that is only a date/time (with "Published:", a weekday, a time, a zone): page furniture.
_DATE_LINE = re.compile(
    r"^\W*(?:(?:published|updated|posted|diperbarui|dipublikasikan|diterbitkan|last updated|on)\b[\s:]*)?"
    r"(?:[a-z]+,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?[\s./-]+" + _MONTHS + r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4})[\s,./-]*(?:\d{2,4})?"
    r"(?:[\s,|@-]*(?:at\s+|pukul\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*"
    r"(?:[a-z]{2,5}|[+-]\d{2}:?\d{2})?)?[\s|·•-]*"
    r"(?:(?:updated|diperbarui|last updated)\b.*)?$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"getty images|shutterstock|\(image:|\(photo:|\(foto:|^photo:|^foto:|^image:|^credit:|^sumber foto|"
    r"^reading time|^tempo de leitura|^waktu baca|min(?:ute)?s? read$|\bAP Photo\b|/ ?AFP$|/ ?Reuters$",
    re.I,
)
_DIGIT = re.compile(r"\d")
_HAS_TIME = re.compile(r"\d[:.]\d\d")
_CREDIT_HINT = re.compile(
    r"(?i)penulis|reporter|editor|penyunting|pewarta|wartawan|kontributor|redaktur|jurnalis|writer|author"
)
_PROSE_END = frozenset(".!?\"'”’)…:;»]。！？」』）")


def _trim_edges(
    paragraphs: list[str],
    links: list[list[tuple[str, str]]],
    heads: list[bool],
    marks: list[bool],
    keep: Callable[[str], bool] | None,
) -> None:
    """Drop short non-sentences (labels, bylines, "Video", "DON'T MISS") at the start and end."""

    def junk(i: int) -> bool:
        t = paragraphs[i]
        if marks[i] or len(t) >= 100 or t[-1] in _PROSE_END or (heads[i] and i > 0):
            return False
        return not (keep is not None and keep(t))

    while paragraphs and junk(0) and len(paragraphs) > 1:
        del paragraphs[0], links[0], heads[0], marks[0]
    while paragraphs and junk(len(paragraphs) - 1) and len(paragraphs) > 1:
        del paragraphs[-1], links[-1], heads[-1], marks[-1]


def extract_text(html: str) -> str:
    """The main text of an HTML string, paragraphs separated by blank lines (for benchmarks and tools)."""
    ex = extract_main(LexborHTMLParser(html))
    return "\n\n".join(ex.paragraphs)
