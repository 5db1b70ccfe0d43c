"""Search on real news (IndoSum, CC BY-SA) gives exactly what a plain Python reading of the query gives,
on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_store_common import fresh_store
from warta.record import Article
from warta.store import Store
from warta.store.analysis import iter_tokens, stems
from warta.store.base import normalize_name
from warta.store.query import And, Filter, Node, Not, Or, Text, parse_query
from warta.store.sqlbase import SQLStore

N_ARTICLES = 300

QUERIES = [
    "jakarta",
    "korupsi",
    "presiden",
    "kebijakan",
    "pemerintah daerah",
    '"kata dia"',
    '"pemerintah daerah"',
    '"tidak bisa"',
    "korupsi OR suap",
    "korupsi -kpk",
    "(jokowi OR prabowo) -jakarta",
    "NOT jakarta",
    "polisi AND tersangka",
    "menteri*",
    "pemb*",
    "transport*",
    '"ketua umum"*',
    "outlet:kompas",
    "outlet:kompas presiden",
    "outlet:cnn OR outlet:merdeka",
    "-outlet:kompas pemilu",
    "sepak bola",
    '"sepak bola" OR basket',
    "dolar rupiah",
    "banjir*",
    "tidak",
]


def load_indosum(shared: Path, n: int) -> list[Article]:
    out: list[Article] = []
    with (shared / "text" / "indosum-dev" / "dev.01.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            paras = [" ".join(" ".join(sent) for sent in para) for para in row["paragraphs"]]
            out.append(
                Article(
                    id=row["id"],
                    url=row.get("source_url"),
                    outlet=row.get("source"),
                    language="id",
                    title=paras[0][:120],
                    body=paras[1:],
                    tags=[row.get("category") or ""],
                )
            )
            if len(out) >= n:
                break
    return out


# -- the oracle: the query read by hand over the same analysis ----------------------------
class Oracle:
    """Each article as two stem sequences (title, body); a prefix stands for the stems that start
    with it and the stems of every word of the corpus that starts with it (the store's vocabulary)."""

    def __init__(self, articles: list[Article]) -> None:
        self.seqs = {a.id: [stems(a.title or ""), stems("\n".join(a.body))] for a in articles}
        self.vocab: dict[str, str] = {}
        self._cache: dict[str, set[str]] = {}
        for a in articles:
            for text in [a.title or "", *a.body]:
                for _, _, word in iter_tokens(text):
                    if word not in self.vocab:
                        self.vocab[word] = stems(word)[0]

    def _last_ok(self, last: str, want: str, prefix: bool) -> bool:
        if last == want:
            return True
        return prefix and (last.startswith(want) or last in self._expansions(want))

    def _expansions(self, prefix: str) -> set[str]:
        """As the store does: the first 2,000 vocabulary words with the prefix (in byte order), their
        stems by word length, at most `SQLStore.MAX_EXPANSIONS` of them."""
        if prefix not in self._cache:
            words = sorted(w for w in self.vocab if w.startswith(prefix) and len(w) > 1 and not w.isdigit())[:2000]
            ordered = sorted((len(w), self.vocab[w]) for w in words)
            stems_ = [st for _, st in ordered if not st.startswith(prefix)]
            self._cache[prefix] = set(list(dict.fromkeys(stems_))[: SQLStore.MAX_EXPANSIONS])
        return self._cache[prefix]

    def _has_phrase(self, seq: list[str], phrase: tuple[str, ...], prefix: bool) -> bool:
        n = len(phrase)
        return any(
            seq[i : i + n - 1] == list(phrase[:-1]) and self._last_ok(seq[i + n - 1], phrase[-1], prefix)
            for i in range(len(seq) - n + 1)
        )

    def matches(self, node: Node | None, article: Article) -> bool:
        if node is None:
            return True
        if isinstance(node, Text):
            return any(self._has_phrase(seq, node.stems, node.prefix) for seq in self.seqs[article.id])
        if isinstance(node, Filter):
            assert node.field == "outlet"
            like = f" {node.key} "
            return like in f" {normalize_name(article.outlet or '')} " or like in f" {normalize_name(article.domain or '')} "
        if isinstance(node, Not):
            return not self.matches(node.child, article)
        if isinstance(node, And):
            return all(self.matches(c, article) for c in node.children)
        if isinstance(node, Or):
            return any(self.matches(c, article) for c in node.children)
        raise AssertionError(node)


@pytest.fixture(scope="module")
def articles(shared_data: Path) -> list[Article]:
    return load_indosum(shared_data, N_ARTICLES)


@pytest.fixture(scope="module")
def expected(articles: list[Article]) -> dict[str, set[str]]:
    oracle = Oracle(articles)
    out = {}
    for q in QUERIES:
        root = parse_query(q).root
        out[q] = {a.id for a in articles if oracle.matches(root, a)}
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path, articles: list[Article]) -> Iterator[Store]:
    for s in fresh_store(request.param, tmp_path, request):
        s.upsert_articles(articles)
        yield s


def test_search_equals_the_oracle(store: Store, articles: list[Article], expected: dict[str, set[str]]) -> None:
    assert store.count() == len(articles)
    nonempty = 0
    for q in QUERIES:
        want = expected[q]
        result = store.search(q, limit=1000, facets=False)
        got = {h.article.id for h in result.hits}
        assert got == want, f"{q!r}: {len(got - want)} extra, {len(want - got)} missing"
        assert result.total == len(want), q
        nonempty += bool(want) and len(want) < len(articles)
    assert nonempty >= len(QUERIES) - 2  # the queries really select something


def test_every_hit_shows_why(store: Store, expected: dict[str, set[str]]) -> None:
    for q, term in [("korupsi", "korupsi"), ('"pemerintah daerah"', "pemerintah"), ("menteri*", "menteri")]:
        result = store.search(q, limit=50)
        assert result.hits and result.total == len(expected[q])
        for hit in result.hits:
            if not hit.highlights:  # the words are in the title only
                assert term in (hit.article.title or "").lower(), (q, hit.article.id)
                continue
            for h in hit.highlights:
                word = hit.snippet[h.start : h.end]
                assert word and word[0].isalnum() and word[-1].isalnum()
                stem = stems(word)[0]
                assert stem in stems(q) or stem.startswith(term) or word.lower().startswith(term), (q, word)
