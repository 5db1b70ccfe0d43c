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

from warta.understand.ner_features import BOS, EOS, OFFSETS, Featurizer, Lexicon, shipped_lexicon
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
        # The same index split by offset ("-1:w=kata" -> by_offset[1]["w=kata"]), so that tagging looks
        # up unprefixed features without building a string per offset.
        self._by_offset: list[dict[str, int]] = [{} for _ in OFFSETS]
        slot = {str(k): n for n, k in enumerate(OFFSETS)}
        for a, i in self.attr_index.items():
            prefix, sep, rest = a.partition(":")
            if sep and prefix in slot:
                self._by_offset[slot[prefix]][rest] = i
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
        self._gfirst = np.zeros(1024, dtype=bool)  # may a gazetteer name start with this word type?
        self._lock = threading.Lock()
        self._sent_cache: dict[str, np.ndarray] = {}

    # -- emissions

    def _attr_sum(self, attrs: Sequence[str]) -> np.ndarray:
        idx = [i for a in attrs if (i := self.attr_index.get(a)) is not None]
        if not idx:
            return np.zeros(len(self.labels))
        return self.weights[idx].sum(axis=0)

    def _add_words(self, words: Sequence[str]) -> None:
        """Compute and cache the per-offset score vectors of new word types, all at once."""
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._ids]
            if not new:
                return
            base = len(self._ids)
            need = base + len(new)
            if need > len(self._table):
                size = len(self._table)
                while size < need:
                    size *= 2
                grown = np.zeros((size, *self._table.shape[1:]))
                grown[:base] = self._table[:base]
                self._table = grown
                gf = np.zeros(size, dtype=bool)
                gf[:base] = self._gfirst[:base]
                self._gfirst = gf
            gets = [d.get for d in self._by_offset]
            feature_parts = self.featurizer.feature_parts
            slots: list[int] = []
            attrs: list[int] = []
            for n, w in enumerate(new):
                far, near, core = feature_parts(w)
                for k, part in enumerate((far, near, core, near, far)):
                    slot = n * 5 + k
                    get = gets[k]
                    for a in part:
                        i = get(a)
                        if i is not None:
                            slots.append(slot)
                            attrs.append(i)
            block = np.zeros((len(new) * 5, len(self.labels)))
            if slots:
                idx = np.asarray(slots, dtype=np.int64)
                rows = self.weights[np.asarray(attrs, dtype=np.int64)]
                for lab in range(len(self.labels)):
                    block[:, lab] = np.bincount(idx, weights=rows[:, lab], minlength=len(new) * 5)
            self._table[base:need] = block.reshape(len(new), 5, len(self.labels))
            gaz_first = self.featurizer.lex.gaz_first
            for n, w in enumerate(new):
                self._gfirst[base + n] = w in gaz_first
                self._ids[w] = base + n

    def _word_id(self, word: str) -> int:
        wid = self._ids.get(word)
        if wid is None:
            self._add_words([word])
            wid = self._ids[word]
        return wid

    def _sentence_attr(self, attr: str) -> np.ndarray:
        v = self._sent_cache.get(attr)
        if v is None:
            v = self._attr_sum([attr])
            self._sent_cache[attr] = v
        return v

    def emissions(self, words: Sequence[str]) -> np.ndarray:
        """Emission scores (len(words) x labels)."""
        return self.batch_emissions([words])[0]

    def batch_emissions(self, sents: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Emission scores of each sentence, computed for the whole batch with a few numpy operations."""
        self._add_words([w for s in sents for w in s if w not in self._ids])
        ids_map = self._ids
        bos, eos = self._word_id(BOS), self._word_id(EOS)
        flat: list[int] = []
        starts: list[int] = []
        for s in sents:
            starts.append(len(flat) + 2)
            flat += (bos, bos)
            flat += [ids_map[w] for w in s]
            flat += (eos, eos)
        ids = np.asarray(flat, dtype=np.int64)
        lengths = [len(s) for s in sents]
        pos = np.concatenate([np.arange(st, st + ln) for st, ln in zip(starts, lengths, strict=True)]) if flat else np.zeros(0, np.int64)
        table = self._table
        em = table[ids[pos - 2], 0] + table[ids[pos - 1], 1] + table[ids[pos], 2] + table[ids[pos + 1], 3] + table[ids[pos + 2], 4]
        em += self.bias
        offsets = np.cumsum([0, *lengths])
        firsts = offsets[:-1][np.asarray(lengths) > 0]
        em[firsts] += self._sentence_attr("s:first")
        cand = np.nonzero(self._gfirst[ids[pos]])[0]
        if len(cand):
            which = np.searchsorted(offsets, cand, side="right") - 1
            by_sent: dict[int, list[int]] = {}
            for c, w in zip(cand.tolist(), which.tolist(), strict=True):
                by_sent.setdefault(w, []).append(c - int(offsets[w]))
            for w, local in by_sent.items():
                base = int(offsets[w])
                for i, length, typ in self.featurizer.gazetteer_matches(sents[w], local):
                    em[base + i] += self._sentence_attr(f"s:gz=B-{typ}{'m' if length > 1 else '1'}")
                    if length > 1:
                        em[base + i + 1 : base + i + length] += self._sentence_attr(f"s:gz=I-{typ}")
        return [em[offsets[k] : offsets[k + 1]] for k in range(len(sents))]

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
            paths = self._viterbi(self.batch_emissions([sents[i] for i in batch]))
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


def find_entities_many(texts: Sequence[str], tokenized: Sequence[list[Token]] | None = None) -> list[list[EntitySpan]]:
    """Entity spans in each text (one paragraph each), tagged in one batch. ``tokenized``: the
    texts' tokens when the caller has them already (from ``tokens.tokenize``)."""
    sent_tokens: list[list[Token]] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for s in sentences(tokenized[i] if tokenized is not None else tokenize(text)):
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
