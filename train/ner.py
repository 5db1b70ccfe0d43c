"""Train and score warta's NER tagger (a CRF, python-crfsuite) from ../shared/data.

    nice .venv/bin/python -m train.ner                 # gazetteer + shipped model + idner dev score
    nice .venv/bin/python -m train.ner --cv nerui      # 5-fold scores on NER-UI (fold models not shipped)
    nice .venv/bin/python -m train.ner --cv nerugm     # the same on NER-UGM
    nice .venv/bin/python -m train.ner --all           # all of the above, then METRICS.md

The shipped model (src/warta/resources/ner/model.npz) is trained on idner-news-2k train only (MIT), with
features from the DBpedia name lists (free with citation) and word clusters learned from indosum
(CC BY-SA 4.0; train/ner_clusters.py). NER-UI and NER-UGM are scored by 5-fold cross-validation where
each fold's model is trained on that fold's own train split only; those models are thrown away.
idner-news-2k and NER-UGM share 1,284 sentences, so the NER-UGM fold models never see idner data and
the shipped model is never scored on NER-UGM.

Scores are entity-level micro F1 with exact span and type, as conlleval counts them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pycrfsuite

from warta.understand.ner_features import Featurizer, Lexicon, read_clusters, read_cues, read_gazetteer
from warta.understand.tokens import words as tokenize_words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RES = ROOT / "src" / "warta" / "resources"
NER_RES = RES / "ner"
SCORES = NER_RES / "scores.json"

PARAMS = {"c1": 0.0, "c2": 0.5, "max_iterations": 150, "feature.possible_transitions": True}

Sentence = tuple[list[str], list[str]]
TYPE_MAP = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}


# ---------------------------------------------------------------- corpora


def read_corpus(path: Path, keep: frozenset[str] | None = None) -> list[Sentence]:
    """CoNLL-like file: token first, tag last on each line; types mapped to PER/ORG/LOC (others kept)."""
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip("\r\n")
        parts = line.split("\t") if "\t" in line else line.split()
        if not line.strip() or not parts:
            if toks:
                out.append((toks, tags))
                toks, tags = [], []
            continue
        tag = parts[-1].strip() if len(parts) > 1 else "O"
        if tag != "O":
            prefix, _, typ = tag.partition("-")
            typ = TYPE_MAP.get(typ, typ)
            tag = f"{prefix}-{typ}" if keep is None or typ in keep else "O"
        toks.append(parts[0].strip())
        tags.append(tag)
    if toks:
        out.append((toks, tags))
    return out


PER_ORG_LOC = frozenset({"PER", "ORG", "LOC"})


# ---------------------------------------------------------------- gazetteer


def build_gazetteer() -> Path:
    """resources/ner/gazetteer.tsv.gz from the DBpedia name lists (PER/ORG/LOC), tokenized as warta does."""
    base = DATA / "gazetteer" / "dbpedia-id-names"
    seen: set[str] = set()
    lines = [
        "# TYPE<TAB>name. From the Indonesian DBpedia name lists of Alfina et al. (MDEE, 2017; see README.md).",
    ]
    for folder in ("original-dbpedia", "gazetteer_mdee_gazetteer"):
        for fname, typ in (("person.txt", "PER"), ("organization.txt", "ORG"), ("place.txt", "LOC")):
            for raw in (base / folder / fname).read_bytes().decode("cp1252", errors="replace").splitlines():
                name = raw.strip().split(",")[0].strip()
                if not name or "\ufffd" in name or len(name) < 2 or not name[0].isupper():
                    continue
                norm = " ".join(tokenize_words(name))
                if norm in seen:
                    continue
                seen.add(norm)
                lines.append(f"{typ}\t{norm}")
    out = NER_RES / "gazetteer.tsv.gz"
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"gazetteer: {len(lines) - 1} names -> {out} ({out.stat().st_size} bytes)", file=sys.stderr)
    return out


def load_lexicon() -> Lexicon:
    clusters, caps = read_clusters(gzip.decompress((NER_RES / "clusters.tsv.gz").read_bytes()).decode("utf-8").splitlines())
    gtoks, gnames, gfirst = read_gazetteer(gzip.decompress((NER_RES / "gazetteer.tsv.gz").read_bytes()).decode("utf-8").splitlines())
    cues = read_cues((RES / "titles.tsv").read_text(encoding="utf-8"))
    return Lexicon(clusters, caps, gtoks, gnames, gfirst, cues)


# ---------------------------------------------------------------- training and scoring


def train(sentences: Sequence[Sentence], feat: Featurizer, model_path: Path, params: dict[str, object] | None = None) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in sentences:
        trainer.append(feat.attributes(toks), tags)
    trainer.select("lbfgs")
    trainer.set_params(params or PARAMS)
    trainer.train(str(model_path))


def predict(model_path: Path, sentences: Sequence[Sentence], feat: Featurizer) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return [tagger.tag(feat.attributes(toks)) for toks, _ in sentences]


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans as conlleval reads them: B- starts, I- of another type (or after O) starts too."""
    spans: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        if typ and (prefix in ("B", "O") or t != typ):
            spans.add((start, i, typ))
            typ = ""
        if prefix == "B" or (prefix == "I" and t != typ):
            start, typ = i, t
    return spans


def score(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict[str, object]:
    """Entity-level micro precision, recall, F1 (and per type), exact span and type."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = chunks(g), chunks(p)
        for s in gs | ps:
            c = per.setdefault(s[2], [0, 0, 0])
            if s in gs and s in ps:
                c[0] += 1
            elif s in ps:
                c[1] += 1
            else:
                c[2] += 1
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)

    def prf(t: int, f_p: int, f_n: int) -> dict[str, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * (2 * p * r / (p + r) if p + r else 0.0), 2)}

    return {**prf(tp, fp, fn), "entities": tp + fn, "per_type": {k: prf(*v) for k, v in sorted(per.items())}}


def export(model_path: Path, out: Path) -> None:
    """Write the CRF's weights as arrays (attributes, labels, state weights, transitions) for fast tagging."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = sorted(info.labels.keys(), key=lambda lab: (lab != "O", lab[2:], lab))
    lab_index = {lab: i for i, lab in enumerate(labels)}
    attrs: dict[str, int] = {}
    rows: list[tuple[int, int, float]] = []
    for (attr, lab), w in info.state_features.items():
        a = attrs.setdefault(attr, len(attrs))
        rows.append((a, lab_index[lab], w))
    weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for a, lab_i, w in rows:
        weights[a, lab_i] = w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (src, dst), w in info.transitions.items():
        trans[lab_index[src], lab_index[dst]] = w
    np.savez_compressed(
        out,
        labels=np.array(labels),
        attributes=np.array(list(attrs.keys())),
        weights=weights,
        transitions=trans,
    )
    print(f"exported {len(attrs)} attributes x {len(labels)} labels -> {out} ({out.stat().st_size} bytes)", file=sys.stderr)


def cross_validate(corpus: str, feat: Featurizer, keep: frozenset[str] | None) -> dict[str, object]:
    """5-fold scores; each fold trained on its own train split only (dev kept out, test scored)."""
    folder = DATA / "ner" / corpus
    folds: list[float] = []
    gold_all: list[list[str]] = []
    pred_all: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(1, 6):
            tr = read_corpus(folder / f"train.0{k}.tsv", keep)
            te = read_corpus(folder / f"test.0{k}.tsv", keep)
            path = Path(tmp) / f"fold{k}.crfsuite"
            t0 = time.time()
            train(tr, feat, path)
            pred = predict(path, te, feat)
            gold = [tags for _, tags in te]
            s = score(gold, pred)
            folds.append(float(s["f1"]))  # type: ignore[arg-type]
            gold_all += gold
            pred_all += pred
            print(f"{corpus} fold {k}: F1 {s['f1']} ({len(tr)} train sentences, {time.time() - t0:.0f}s)", file=sys.stderr)
    pooled = score(gold_all, pred_all)
    return {"folds": folds, "mean_f1": round(float(np.mean(folds)), 2), "pooled": pooled}


def train_shipped(feat: Featurizer) -> dict[str, object]:
    folder = DATA / "ner" / "idner-news-2k"
    tr = read_corpus(folder / "train.txt", PER_ORG_LOC)
    dev = read_corpus(folder / "dev.txt", PER_ORG_LOC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ner.crfsuite"
        t0 = time.time()
        train(tr, feat, path)
        seconds = time.time() - t0
        pred = predict(path, dev, feat)
        export(path, NER_RES / "model.npz")
    s = score([t for _, t in dev], pred)
    print(f"idner-news-2k dev: F1 {s['f1']} (trained in {seconds:.0f}s on {len(tr)} sentences)", file=sys.stderr)
    return {"dev": s, "train_sentences": len(tr), "train_seconds": round(seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", choices=["nerui", "nerugm"], action="append", default=[], help="5-fold scores on a corpus")
    ap.add_argument("--all", action="store_true", help="gazetteer, shipped model, both CV runs and METRICS.md")
    ap.add_argument("--no-ship", action="store_true", help="skip training the shipped model")
    ap.add_argument("--gazetteer", action="store_true", help="rebuild resources/ner/gazetteer.tsv.gz")
    args = ap.parse_args(argv)
    if args.gazetteer or args.all or not (NER_RES / "gazetteer.tsv.gz").exists():
        build_gazetteer()
    feat = Featurizer(load_lexicon())
    scores: dict[str, object] = json.loads(SCORES.read_text()) if SCORES.exists() else {}
    if not args.no_ship:
        scores["idner-news-2k"] = train_shipped(feat)
    for corpus in ["nerui", "nerugm"] if args.all else args.cv:
        scores[corpus] = cross_validate(corpus, feat, PER_ORG_LOC)
        if corpus == "nerugm":
            # IndoLEM's NER-UGM figures count all five types (PER, ORG, LOC, TIME, QUANTITY).
            scores["nerugm-5types"] = cross_validate(corpus, feat, None)
    scores["params"] = {k: v for k, v in PARAMS.items()}
    SCORES.write_text(json.dumps(scores, indent=1) + "\n")
    from train.ner_metrics import write_metrics

    write_metrics(scores, NER_RES / "METRICS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
