"""The search query language, parsed into a small tree that each backend compiles to parameterised SQL.

Grammar (keywords AND, OR, NOT are upper case; lower-case "and"/"or" are words)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          # juxtaposition means AND
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | FIELD ":" value | '"' phrase '"' | word ["*"]
    value   := '"' phrase '"' | word

Filters (FIELD): ``outlet: source: person: org: place: said: by: after: before: lang:``.
``said:`` searches the words inside quotes; ``by:`` the speaker; ``after:``/``before:`` take a date
(``2024``, ``2024-05``, ``2024-05-17``, a full ISO time, or a span back from now: ``24h``, ``7d``,
``2w``); ``after:`` is inclusive, ``before:`` exclusive. Dates without an offset are read in WIB (+07:00).

Words and phrases are stemmed with `warta.store.analysis`; ``word*`` matches stems starting with the
word (folded, not stemmed). A malformed query raises `QueryError` with the position of the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from warta.store.analysis import fold, iter_tokens, stems
from warta.store.base import QueryError, normalize_name

FIELDS = ("outlet", "source", "person", "org", "place", "said", "by", "after", "before", "lang")
WIB = timezone(timedelta(hours=7))
MAX_QUERY_CHARS = 2000
MAX_TERMS = 64


# -- the tree -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Words to find in title or body: one stem (a word), several in a row (a phrase), or a prefix.

    A prefix matches the stems of the words that start with it (the store fills ``expansions``
    from its vocabulary at search time, so "perunding*" finds "perundingan", indexed as "runding")
    and the stems that start with it."""

    stems: tuple[str, ...]
    prefix: bool = False
    raw: str = ""
    expansions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filter:
    """``field:value``. ``key`` is the value folded for matching; ``text`` is set for ``said:``;
    ``ts`` (epoch seconds) for ``after:``/``before:``."""

    field: str
    value: str
    key: str = ""
    text: Text | None = None
    ts: int | None = None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Text | Filter | And | Or | Not


@dataclass
class ParsedQuery:
    """A parsed query: ``root`` is None for an empty query (everything matches)."""

    source: str
    root: Node | None
    positive_stems: set[str] = field(default_factory=set)
    positive_prefixes: set[str] = field(default_factory=set)


# -- lexer --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str  # LPAREN RPAREN AND OR NOT MINUS PHRASE WORD FIELD
    value: str
    pos: int


_WORD_RE = re.compile(r'[^\s()"]+')
_FIELD_RE = re.compile(r"([A-Za-z]+):")


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            toks.append(_Tok("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            toks.append(_Tok("RPAREN", ch, i))
            i += 1
        elif ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QueryError('unclosed quote: add the closing "', i, q)
            if end + 1 < n and q[end + 1] == "*":  # "harga bera"*: the last word is a prefix
                toks.append(_Tok("PHRASE*", q[i + 1 : end], i))
                i = end + 2
            else:
                toks.append(_Tok("PHRASE", q[i + 1 : end], i))
                i = end + 1
        elif ch == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] != "-" and (i == 0 or q[i - 1] in " \t(\n"):
            toks.append(_Tok("MINUS", ch, i))
            i += 1
        else:
            fm = _FIELD_RE.match(q, i)
            if fm and fm.group(1).lower() in FIELDS:
                toks.append(_Tok("FIELD", fm.group(1).lower(), i))
                i = fm.end()
                continue
            if fm and fm.end() < n and (q[fm.end()].isalnum() or q[fm.end()] == '"'):
                # looks like a filter with a name we do not know
                known = ", ".join(f"{f}:" for f in FIELDS)
                raise QueryError(f"unknown filter {fm.group(1)!r}: use one of {known}", i, q)
            m = _WORD_RE.match(q, i)
            assert m is not None
            word = m.group()
            kind = word if word in ("AND", "OR", "NOT") else "WORD"
            toks.append(_Tok(kind, word, i))
            i = m.end()
    return toks


# -- parser -------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, q: str, now: datetime | None) -> None:
        self.q = q
        self.toks = _lex(q)
        self.i = 0
        self.now = now or datetime.now(UTC)
        self.terms = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: _Tok | None) -> QueryError:
        return QueryError(message, tok.pos if tok else len(self.q), self.q)

    def parse(self) -> Node | None:
        if not self.toks:
            return None
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "RPAREN":
                raise self.error("unbalanced ')': remove it or add a '(' before", tok)
            raise self.error(f"unexpected {tok.value!r}", tok)
        return node

    def parse_or(self) -> Node | None:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            if self.peek() is None or self.peek().kind in ("RPAREN", "OR", "AND"):  # type: ignore[union-attr]
                raise self.error("OR needs something on its right", self.peek() or tok)
            children.append(self.parse_and())
        kept = [c for c in children if c is not None]
        if len(children) > 1 and len(kept) < len(children):
            # "x OR ???" where one side had no searchable word: matching everything would surprise
            raise self.error("one side of OR has no word to search for", None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def parse_and(self) -> Node | None:
        first = self.peek()
        if first is not None and first.kind in ("AND", "OR"):
            raise self.error(f"{first.value} needs something on its left", first)
        children: list[Node | None] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("AND", "OR", "RPAREN"):
                    raise self.error("AND needs something on its right", nxt or tok)
                continue
            children.append(self.parse_unary())
        if not children:
            raise self.error("expected a word, a phrase or a filter", self.peek())
        kept = [c for c in children if c is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(tuple(kept))

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("NOT", "MINUS"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("AND", "OR", "RPAREN"):
                raise self.error(f"{tok.value} needs something after it", nxt or tok)
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        tok = self.take()
        if tok.kind == "LPAREN":
            if self.peek() is None:
                raise self.error("unclosed '(': add a ')'", tok)
            if self.peek() is not None and self.peek().kind == "RPAREN":  # type: ignore[union-attr]
                raise self.error("empty parentheses", tok)
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise self.error("unclosed '(': add a ')'", tok)
            self.take()
            return node
        if tok.kind == "FIELD":
            return self.parse_filter(tok)
        if tok.kind in ("PHRASE", "PHRASE*"):
            return self.text(tok.value, tok, prefix=tok.kind == "PHRASE*")
        if tok.kind == "WORD":
            prefix = tok.value.endswith("*")
            return self.text(tok.value.rstrip("*"), tok, prefix=prefix)
        raise self.error(f"unexpected {tok.value!r}", tok)

    def text(self, raw: str, tok: _Tok, prefix: bool) -> Text | None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self.error(f"too many terms (at most {MAX_TERMS})", tok)
        if prefix:
            tokens = [t for _, _, t in iter_tokens(raw)]
            if not tokens:
                raise self.error("a prefix needs letters before '*'", tok)
            # "covid-19*": the earlier parts are whole words, the last one a prefix
            head = tuple(stems(" ".join(tokens[:-1]))) if len(tokens) > 1 else ()
            return Text((*head, fold(tokens[-1])), prefix=True, raw=raw)
        found = stems(raw)
        if not found:
            return None  # punctuation only: nothing to search for
        return Text(tuple(found), raw=raw)

    def parse_filter(self, tok: _Tok) -> Filter:
        name = tok.value
        val = self.peek()
        if val is None or val.kind not in ("WORD", "PHRASE", "PHRASE*") or val.pos != tok.pos + len(name) + 1:
            raise self.error(f"{name}: needs a value right after the colon, e.g. {name}:kompas", tok)
        self.take()
        value = val.value
        if name == "said":
            prefix = val.kind == "PHRASE*" or (val.kind == "WORD" and value.endswith("*"))
            text = self.text(value.rstrip("*"), val, prefix=prefix)
            if text is None:
                raise self.error("said: needs words to look for inside quotes", val)
            return Filter(name, value, text=text)
        if name in ("after", "before"):
            return Filter(name, value, ts=parse_when(value, self.now, self.q, val.pos))
        if name == "lang":
            key = value.strip().lower()
            if not re.fullmatch(r"[a-z]{2,3}", key):
                raise self.error("lang: takes an ISO 639-1 code such as id or en", val)
            return Filter(name, value, key=key)
        key = normalize_name(value)
        if not key:
            raise self.error(f"{name}: needs letters or digits in its value", val)
        return Filter(name, value, key=key)


_SPAN_RE = re.compile(r"(\d+)([hdwmy])")
_SPAN_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400, "m": 30 * 86400, "y": 365 * 86400}


def parse_when(value: str, now: datetime, q: str = "", pos: int = 0) -> int:
    """A date for ``after:``/``before:`` as epoch seconds (see the module docstring for the forms)."""
    v = value.strip()
    span = _SPAN_RE.fullmatch(v.lower())
    if span:
        return int(now.timestamp()) - int(span.group(1)) * _SPAN_UNITS[span.group(2)]
    try:
        if re.fullmatch(r"\d{4}", v):
            dt = datetime(int(v), 1, 1, tzinfo=WIB)
        elif re.fullmatch(r"\d{4}-\d{1,2}", v):
            y, m = v.split("-")
            dt = datetime(int(y), int(m), 1, tzinfo=WIB)
        else:
            dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=WIB)
    except ValueError:
        raise QueryError(
            f"cannot read the date {value!r}: use 2024, 2024-05, 2024-05-17, an ISO time, or 24h/7d/2w",
            pos,
            q or None,
        ) from None
    return int(dt.timestamp())


def _collect(node: Node | None, positive: bool, out: ParsedQuery) -> None:
    if node is None:
        return
    if isinstance(node, Text) and positive:
        if node.prefix:
            out.positive_stems.update(node.stems[:-1])
            out.positive_stems.update(node.expansions)
            out.positive_prefixes.add(node.stems[-1])
        else:
            out.positive_stems.update(node.stems)
    elif isinstance(node, Filter) and node.text is not None and positive:
        _collect(node.text, positive, out)
    elif isinstance(node, And | Or):
        for child in node.children:
            _collect(child, positive, out)
    elif isinstance(node, Not):
        _collect(node.child, not positive, out)


def collect_terms(parsed: ParsedQuery) -> None:
    """(Re)compute the stems and prefixes to highlight (after prefixes were expanded)."""
    parsed.positive_stems = set()
    parsed.positive_prefixes = set()
    _collect(parsed.root, True, parsed)


def parse_query(q: str, now: datetime | None = None) -> ParsedQuery:
    """Parse a query string (raises `QueryError` with a message for the user)."""
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}")
    if "\x00" in q:
        raise QueryError("query contains a NUL character")
    root = _Parser(q, now).parse()
    parsed = ParsedQuery(source=q, root=root)
    _collect(root, True, parsed)
    return parsed
