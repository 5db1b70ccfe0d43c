"""Keywords (TF-IDF over stems, Indonesian stop words) and a short extractive summary (lead + centrality).

The document frequencies come from ``resources/group/idf_id.tsv`` (built by ``train/build_idf.py``
from IndoSum, CC BY-SA 4.0; see ``resources/group/README.md``). A term the table has never seen gets
the highest IDF: new names ("Danantara") are exactly what makes a story.

``term_vector`` is shared with the story clustering in ``warta.group.stories``.
"""

from __future__ import annotations

import math
import re
from functools import cache

import msgspec
import Stemmer

from warta import resources
from warta.record import Article

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
SUMMARY_SENTENCES = 2
KEYWORDS = 10


@cache
def stopwords() -> frozenset[str]:
    text = resources.path("group", "stopwords_id.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class IdfTable(msgspec.Struct, frozen=True):
    docs: int
    df: dict[str, int]
    max_idf: float

    def idf(self, stem: str) -> float:
        df = self.df.get(stem)
        if df is None:
            return self.max_idf
        return math.log((self.docs + 1) / (df + 1)) + 1.0


@cache
def idf_table() -> IdfTable:
    """The shipped document-frequency table (stems)."""
    docs = 0
    df: dict[str, int] = {}
    with resources.path("group", "idf_id.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                if line.startswith("#docs\t"):
                    docs = int(line.split("\t")[1])
                continue
            stem, _, count = line.rstrip("\n").partition("\t")
            if count.isdigit():
                df[stem] = int(count)
    return IdfTable(docs=docs, df=df, max_idf=math.log(docs + 1) + 1.0)


_stemmer = Stemmer.Stemmer("indonesian")
_stemmer.maxCacheSize = 200_000


def terms(text: str) -> list[tuple[str, str]]:
    """(stem, surface) for each content word of ``text`` (stems of the lower-cased word; the surface as
    written); stop words and 1-letter words out."""
    stop = stopwords()
    originals = [w for w in _WORD.findall(text) if len(w) > 1]
    lowered = [w.lower() for w in originals]
    keep = [i for i, w in enumerate(lowered) if w not in stop]
    stems = _stemmer.stemWords([lowered[i] for i in keep])
    return [(s, originals[i]) for s, i in zip(stems, keep, strict=True) if s not in stop and len(s) > 1]


def term_vector(texts: list[tuple[str, float]]) -> tuple[dict[str, float], dict[str, str]]:
    """TF-IDF weights of stems over weighted texts (e.g. the title counted twice), L2-normalised,
    and each stem's most frequent surface form."""
    counts: dict[str, float] = {}
    pairs: dict[tuple[str, str], float] = {}
    for text, weight in texts:
        # Headlines capitalise every word: their spelling counts only when the body lacks the word.
        seen = 1.0 if weight <= 1.0 else 0.01
        for pair in terms(text):
            counts[pair[0]] = counts.get(pair[0], 0.0) + weight
            pairs[pair] = pairs.get(pair, 0.0) + seen
    best: dict[str, tuple[float, str]] = {}
    for (stem, surface), seen in pairs.items():
        held = best.get(stem)
        if held is None or seen > held[0]:
            best[stem] = (seen, surface)
    table = idf_table()
    vec = {stem: (1.0 + math.log(tf)) * table.idf(stem) for stem, tf in counts.items() if tf > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}, {k: v[1] for k, v in best.items()}


def article_vector(article: Article, lead: int | None = None) -> tuple[dict[str, float], dict[str, str]]:
    """The article's term vector: title twice, then the body (its first ``lead`` paragraphs if given)."""
    body = article.body if lead is None else article.body[:lead]
    parts: list[tuple[str, float]] = []
    if article.title:
        parts.append((article.title, 2.0))
    parts.extend((p, 1.0) for p in body)
    return term_vector(parts)


def keywords(article: Article, k: int = KEYWORDS, names: int = 3) -> list[str]:
    """The ``k`` highest-weighted terms, shown in their most frequent surface form. When entities
    are known, the ``names`` most mentioned come first under their canonical names ("Vladimir
    Putin" rather than "vladimir" and "putin")."""
    vec, surface = article_vector(article)
    ranked = [surface[stem] for stem, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))]
    chosen: list[str] = []
    covered: set[str] = set()
    multi = [e for e in article.entities if len(e.name.split()) > 1 or len(e.mentions) > 1]
    for entity in sorted(multi, key=lambda e: (-len(e.mentions), e.name))[:names]:
        chosen.append(entity.name)
        covered.update(w.lower() for w in _WORD.findall(entity.name))
    chosen.extend(w for w in ranked if w.lower() not in covered)
    return chosen[:k]


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(paragraph) if s.strip()]


def summarize(article: Article, n: int = SUMMARY_SENTENCES) -> str | None:
    """Up to ``n`` sentences, in article order, ranked by closeness to the whole article (centrality)
    with a bonus for coming early (the lead of a news story usually says what happened)."""
    sentences = [s for p in article.body for s in split_sentences(p)]
    sentences = [s for s in sentences if len(s.split()) >= 5] or sentences
    if not sentences:
        return None
    if len(sentences) <= n:
        return " ".join(sentences)
    doc, _ = article_vector(article)
    scored: list[tuple[float, int]] = []
    for i, sentence in enumerate(sentences[:60]):
        vec, _ = term_vector([(sentence, 1.0)])
        centrality = sum(w * doc.get(t, 0.0) for t, w in vec.items())
        lead = 1.0 / (1.0 + i)
        scored.append((0.6 * centrality + 0.4 * lead, i))
    chosen = sorted(i for _, i in sorted(scored, reverse=True)[:n])
    return " ".join(sentences[i] for i in chosen)


def add_keywords(article: Article) -> Article:
    """Fill ``keywords`` and ``summary`` (understand component)."""
    if not article.body and not article.title:
        return article
    return msgspec.structs.replace(
        article,
        keywords=keywords(article),
        summary=summarize(article) or article.summary,
    )


__all__ = ["add_keywords", "article_vector", "keywords", "summarize", "term_vector", "terms"]
