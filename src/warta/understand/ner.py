"""Named entities (PER, ORG, LOC) in Indonesian news: the shipped CRF, tagged fast.

The model is a linear-chain CRF trained by train/ner.py with python-crfsuite and exported as arrays
(resources/ner/model.npz: attribute names, a weight row per attribute, label transitions). Because
every word feature depends on one word seen from a fixed offset (see ner_features), a token's
emission scores are the sum of five cached per-word-type vectors (offsets -2..+2) plus a few
sentence-level attributes; Viterbi then runs over a whole batch of sentences at once with numpy.
The result equals crfsuite's own tagging (with invalid BIO transitions forbidden).

Public functions: ``tag_conll(sentences)`` (the ``warta tag ner`` contract), ``tag_words(words)``,
``find_entities(text)`` (spans with character offsets, over the shared tokenizer).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from warta.understand.ner_features import BOS, EOS, Featurizer, Lexicon, shipped_lexicon
from warta.understand.tokens import Token, sentences, tokenize

_FORBIDDEN = -1e4
_BATCH = 512


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """An entity found in a text: character offsets, surface text, type and token indices."""

    start: int
    end: int
    text: str
    type: str


class NerTagger:
    """The CRF tagger over exported weights. Thread-safe for reading; caches grow with vocabulary."""

    def __init__(self, model: Path | None = None, lexicon: Lexicon | None = None) -> None:
        if model is None:
            with resources.as_file(resources.files("warta.resources").joinpath("ner/model.npz")) as p:
                data = np.load(p)
                arrays = {k: data[k] for k in data.files}
        else:
            data = np.load(model)
            arrays = {k: data[k] for k in data.files}
        self.labels: list[str] = [str(x) for x in arrays["labels"]]
        self.attr_index: dict[str, int] = {str(a): i for i, a in enumerate(arrays["attributes"])}
        self.weights: np.ndarray = arrays["weights"].astype(np.float64)
        n = len(self.labels)
        trans = arrays["transitions"].astype(np.float64)
        start = np.zeros(n)
        for j, dst in enumerate(self.labels):
            if dst.startswith("I-"):
                start[j] = _FORBIDDEN
                for i, src in enumerate(self.labels):
                    if src[2:] != dst[2:]:
                        trans[i, j] = _FORBIDDEN
        self.transitions = trans
        self.start = start
        self.featurizer = Featurizer(lexicon or shipped_lexicon())
        bias = self.attr_index.get("bias")
        self.bias = self.weights[bias] if bias is not None else np.zeros(n)
        self._ids: dict[str, int] = {}
        self._table = np.zeros((1024, 5, n))
        self._lock = threading.Lock()
        self._sent_cache: dict[str, np.ndarray] = {}

    # -- emissions

    def _attr_sum(self, attrs: Sequence[str]) -> np.ndarray:
        idx = [i for a in attrs if (i := self.attr_index.get(a)) is not None]
        if not idx:
            return np.zeros(len(self.labels))
        return self.weights[idx].sum(axis=0)

    def _word_id(self, word: str) -> int:
        with self._lock:
            wid = self._ids.get(word)
            if wid is not None:
                return wid
            feats = self.featurizer.word_features(word)
            vec = np.stack([self._attr_sum(f) for f in feats])
            wid = len(self._ids)
            if wid >= len(self._table):
                grown = np.zeros((2 * len(self._table), *self._table.shape[1:]))
                grown[: len(self._table)] = self._table
                self._table = grown
            self._table[wid] = vec
            self._ids[word] = wid
            return wid

    def _sentence_attr(self, attr: str) -> np.ndarray:
        v = self._sent_cache.get(attr)
        if v is None:
            v = self._attr_sum([attr])
            self._sent_cache[attr] = v
        return v

    def emissions(self, words: Sequence[str]) -> np.ndarray:
        """Emission scores (len(words) x labels)."""
        ids_get = self._ids.get
        padded = [BOS, BOS, *words, EOS, EOS]
        ids = np.fromiter(
            ((wid if (wid := ids_get(w)) is not None else self._word_id(w)) for w in padded), dtype=np.int64, count=len(padded)
        )
        n = len(words)
        table = self._table
        em = table[ids[0:n], 0] + table[ids[1 : n + 1], 1] + table[ids[2 : n + 2], 2]
        em += table[ids[3 : n + 3], 3] + table[ids[4 : n + 4], 4]
        em += self.bias
        for i, attrs in enumerate(self.featurizer.sentence_features(words)):
            for a in attrs:
                em[i] += self._sentence_attr(a)
        return em

    # -- decoding

    def _viterbi(self, ems: list[np.ndarray]) -> list[list[int]]:
        lengths = np.array([len(e) for e in ems])
        b, t_max, n = len(ems), int(lengths.max()), len(self.labels)
        em = np.zeros((b, t_max, n))
        for i, e in enumerate(ems):
            em[i, : len(e)] = e
        delta = em[:, 0] + self.start
        back = np.zeros((b, t_max, n), dtype=np.int64)
        ident = np.arange(n)
        trans = self.transitions[None]
        for t in range(1, t_max):
            scores = delta[:, :, None] + trans
            best = scores.argmax(axis=1)
            new = np.take_along_axis(scores, best[:, None, :], axis=1)[:, 0] + em[:, t]
            live = (lengths > t)[:, None]
            delta = np.where(live, new, delta)
            back[:, t] = np.where(live, best, ident)
        state = delta.argmax(axis=1)
        path = np.zeros((b, t_max), dtype=np.int64)
        path[:, t_max - 1] = state
        for t in range(t_max - 1, 0, -1):
            state = back[np.arange(b), t, state]
            path[:, t - 1] = state
        return [path[i, : lengths[i]].tolist() for i in range(b)]

    def tag_many(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence of words."""
        out: list[list[str]] = [[] for _ in sents]
        order = sorted((i for i, s in enumerate(sents) if s), key=lambda i: len(sents[i]))
        labels = self.labels
        for k in range(0, len(order), _BATCH):
            batch = order[k : k + _BATCH]
            paths = self._viterbi([self.emissions(sents[i]) for i in batch])
            for i, p in zip(batch, paths, strict=True):
                out[i] = [labels[j] for j in p]
        return out


@lru_cache(maxsize=1)
def default_tagger() -> NerTagger:
    """The shipped model (loaded once)."""
    return NerTagger()


def tag_conll(sentences: list[list[str]]) -> list[list[str]]:
    """BIO tags over PER, ORG, LOC for each sentence of tokens (the `warta tag ner` contract)."""
    return default_tagger().tag_many(sentences)


def tag_words(words: Sequence[str]) -> list[str]:
    """BIO tags for one sentence of words."""
    return default_tagger().tag_many([words])[0]


def spans_from_tags(tokens: Sequence[Token], tags: Sequence[str], text: str) -> list[EntitySpan]:
    """Entity spans (conlleval reading of BIO) with character offsets into ``text``."""
    out: list[EntitySpan] = []
    start = -1
    typ = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        if typ and (prefix in ("B", "O") or t != typ):
            s, e = tokens[start].start, tokens[i - 1].end
            out.append(EntitySpan(s, e, text[s:e], typ))
            typ = ""
        if prefix == "B" or (prefix == "I" and t != typ):
            start, typ = i, t
    return out


def find_entities_many(texts: Sequence[str]) -> list[list[EntitySpan]]:
    """Entity spans in each text (one paragraph each), tagged in one batch."""
    sent_tokens: list[list[Token]] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for s in sentences(tokenize(text)):
            sent_tokens.append(s)
            owner.append(i)
    tags = default_tagger().tag_many([[t.text for t in s] for s in sent_tokens])
    result: list[list[EntitySpan]] = [[] for _ in texts]
    for toks, tg, i in zip(sent_tokens, tags, owner, strict=True):
        result[i].extend(spans_from_tags(toks, tg, texts[i]))
    return result


def find_entities(text: str) -> list[EntitySpan]:
    """Entity spans in one text, with character offsets."""
    return find_entities_many([text])[0]


__all__ = ["EntitySpan", "NerTagger", "default_tagger", "find_entities", "find_entities_many", "spans_from_tags", "tag_conll", "tag_words"]
