"""NER accuracy and speed: the shipped model, and its tagger side by side with crfsuite's own.

Accuracy: entity-level micro F1 (exact span and type, conlleval) of the shipped model on idner-news-2k
dev, measured here; NER-UI and NER-UGM 5-fold figures come from `train.ner --all` (each fold model is
trained on its own train split; they are not shipped), read from src/warta/resources/ner/scores.json,
or re-measured with ``--cv``.

Speed: tokens per second on one core, tagging indosum sentences (news text the model was not trained
on) with (a) warta's tagger (cached per-word-type scores, batched numpy Viterbi) from a cold start,
(b) the same tagger warm, and (c) python-crfsuite's tagger on the same model and the same features.
All run in this process, one after the other.

    .venv/bin/python -m bench.ner          # writes docs/bench/ner.md
    .venv/bin/python -m bench.ner --cv     # also re-runs the 5-fold cross-validations (minutes)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train import ner as T  # noqa: E402

from warta.understand.ner import NerTagger  # noqa: E402
from warta.understand.ner_features import Featurizer  # noqa: E402

COMMAND = ".venv/bin/python -m bench.ner"
PUBLISHED = {
    "nerui": ("IndoLEM BiLSTM-CRF 82.2", "IndoBERT 90.1"),
    "nerugm-5types": ("IndoLEM BiLSTM-CRF 70.9", "IndoBERT 74.9"),
}


def indosum_sentences(limit: int) -> list[list[str]]:
    import json as _json

    out: list[list[str]] = []
    for path in sorted((T.DATA / "text" / "indosum-dev").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            for para in _json.loads(line)["paragraphs"]:
                out.extend(para)
                if len(out) >= limit:
                    return out
    return out


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def speed(sentences: list[list[str]]) -> dict[str, float]:
    import pycrfsuite

    n = sum(len(s) for s in sentences)
    res: dict[str, float] = {"tokens": n}
    tagger = NerTagger()  # fresh caches: cold start (model and lexicon load not counted)
    out: dict[str, list[list[str]]] = {}
    wall, cpu = _timed(lambda: out.__setitem__("fast", tagger.tag_many(sentences)))
    res["warta_cold"], res["warta_cold_cpu"] = n / wall, n / cpu
    wall, cpu = _timed(lambda: tagger.tag_many(sentences))
    res["warta_warm"], res["warta_warm_cpu"] = n / wall, n / cpu
    # crfsuite's own tagger on the same model: train it here (same data, same parameters as shipped).
    feat = Featurizer(tagger.featurizer.lex)
    train = T.read_corpus(T.DATA / "ner" / "idner-news-2k" / "train.txt", T.PER_ORG_LOC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        T.train(train, feat, path)
        crf = pycrfsuite.Tagger()
        crf.open(str(path))
        feat2 = Featurizer(tagger.featurizer.lex)  # its own cold feature cache
        wall, cpu = _timed(lambda: out.__setitem__("slow", [crf.tag(feat2.attributes(s)) for s in sentences]))
        res["crfsuite"], res["crfsuite_cpu"] = n / wall, n / cpu
    same = sum(a == b for x, y in zip(out["fast"], out["slow"], strict=True) for a, b in zip(x, y, strict=True))
    res["agreement"] = same / n
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", action="store_true", help="re-run the 5-fold cross-validations first")
    ap.add_argument("--sentences", type=int, default=20000, help="indosum sentences for the speed run")
    args = ap.parse_args(argv)
    if args.cv:
        T.main(["--all"])
    dev = T.read_corpus(T.DATA / "ner" / "idner-news-2k" / "dev.txt", T.PER_ORG_LOC)
    tagger = NerTagger()
    dev_score = T.score([t for _, t in dev], tagger.tag_many([w for w, _ in dev]))
    scores = json.loads(T.SCORES.read_text()) if T.SCORES.exists() else {}
    sp = speed(indosum_sentences(args.sentences))

    lines = [
        "## NER (PER, ORG, LOC)",
        "",
        f"Command: `{COMMAND}` (speed, idner dev) and `nice .venv/bin/python -m train.ner --all` (cross-validation).",
        "Entity-level micro F1, exact span and type, as conlleval counts it. Cross-validation rows: F1 is the mean",
        "over the five test folds (as IndoLEM reports), precision and recall are pooled over them.",
        "",
        "| corpus | how | warta F1 | P | R | published |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| idner-news-2k dev | shipped model, trained on idner train | **{dev_score['f1']}** | {dev_score['precision']} | {dev_score['recall']} | goal 88 |",
    ]
    for key, label in (("nerui", "NER-UI"), ("nerugm", "NER-UGM, PER/ORG/LOC"), ("nerugm-5types", "NER-UGM, 5 types")):
        if key in scores:
            s = scores[key]
            pub = ", ".join(PUBLISHED.get(key, ()))
            folds = " / ".join(str(f) for f in s["folds"])
            lines.append(
                f"| {label} | 5-fold CV, each fold trained on its own train split; per fold {folds} | **{s['mean_f1']}** (mean) | "
                f"{s['pooled']['precision']} | {s['pooled']['recall']} | {pub} |"
            )
    lines += [
        "",
        f"Speed, one core, {int(sp['tokens'])} tokens of indosum news sentences (not training text):",
        "",
        "| tagger | tokens per CPU second | tokens per wall second | vs crfsuite (CPU) |",
        "| --- | --- | --- | --- |",
        f"| warta, cold caches | {sp['warta_cold_cpu']:,.0f} | {sp['warta_cold']:,.0f} | {sp['warta_cold_cpu'] / sp['crfsuite_cpu']:.1f}x |",
        f"| warta, warm caches (same text again) | {sp['warta_warm_cpu']:,.0f} | {sp['warta_warm']:,.0f} | {sp['warta_warm_cpu'] / sp['crfsuite_cpu']:.1f}x |",
        f"| python-crfsuite tagger, same model and features | {sp['crfsuite_cpu']:,.0f} | {sp['crfsuite']:,.0f} | 1.0x |",
        "",
        "Tokens per CPU second is the one-core figure (the machine is shared, so wall time runs slower).",
        "",
        f"warta's tags equal crfsuite's on {100 * sp['agreement']:.2f}% of tokens (warta forbids invalid BIO transitions).",
        "",
    ]
    out = ROOT / "docs" / "bench" / "ner.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
