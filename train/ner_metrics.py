"""Write resources/ner/METRICS.md from the scores train/ner.py measured (resources/ner/scores.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PUBLISHED = {
    "nerui": "IndoLEM (Koto et al., 2020): BiLSTM-CRF 82.2, IndoBERT 90.1",
    "nerugm": "IndoLEM: BiLSTM-CRF 70.9, IndoBERT 74.9 (five types)",
    "nerugm-5types": "IndoLEM: BiLSTM-CRF 70.9, IndoBERT 74.9 (five types)",
}


def _row(name: str, what: str, s: dict[str, Any]) -> str:
    return f"| {name} | {what} | {s['f1']} | {s['precision']} | {s['recall']} | {s['entities']} |"


def write_metrics(scores: dict[str, Any], out: Path) -> None:
    lines = [
        "# warta NER: measured scores",
        "",
        "Entity-level micro F1, exact span and type (conlleval). Written by `nice .venv/bin/python -m train.ner --all`.",
        "",
        "| corpus | how | F1 | precision | recall | gold entities |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    if "idner-news-2k" in scores:
        s = scores["idner-news-2k"]
        lines.append(_row("idner-news-2k dev", f"shipped model (trained on train, {s['train_sentences']} sentences)", s["dev"]))
    for key, label in (("nerui", "NER-UI"), ("nerugm", "NER-UGM (PER/ORG/LOC)"), ("nerugm-5types", "NER-UGM (5 types)")):
        if key in scores:
            s = scores[key]
            folds = ", ".join(str(f) for f in s["folds"])
            lines.append(_row(label, f"5-fold CV, pooled over test folds (per fold: {folds}; mean {s['mean_f1']})", s["pooled"]))
    lines += ["", "Published figures for comparison:", ""]
    for key, text in PUBLISHED.items():
        if key in scores and key != "nerugm-5types":
            lines.append(f"- {key}: {text}")
    lines += ["", f"CRF parameters: `{scores.get('params')}`", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
