"""The shipped NER model: accuracy on real data, equality with crfsuite, the `warta tag ner` contract."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pycrfsuite
import pytest
from train import ner as T
from typer.testing import CliRunner

from warta.cli import app
from warta.understand.ner import NerTagger, find_entities, tag_conll
from warta.understand.ner_features import Featurizer


@pytest.fixture(scope="module")
def dev(shared_data: Path) -> list[tuple[list[str], list[str]]]:
    return T.read_corpus(shared_data / "ner" / "idner-news-2k" / "dev.txt", T.PER_ORG_LOC)


def test_shipped_model_on_idner_dev(dev: list[tuple[list[str], list[str]]]) -> None:
    pred = tag_conll([w for w, _ in dev])
    s = T.score([t for _, t in dev], pred)
    assert s["entities"] > 500
    assert s["f1"] >= 84.0, s  # measured 85.5 (resources/ner/METRICS.md)
    assert s["per_type"]["PER"]["f1"] >= 90.0, s


def test_fast_tagger_equals_crfsuite(dev: list[tuple[list[str], list[str]]]) -> None:
    tagger = NerTagger()
    feat = Featurizer(tagger.featurizer.lex)
    train = T.read_corpus(T.DATA / "ner" / "idner-news-2k" / "train.txt", T.PER_ORG_LOC)[:400]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        T.train(train, feat, path, {**T.PARAMS, "max_iterations": 40})
        T.export(path, Path(tmp) / "m.npz")
        mine = NerTagger(Path(tmp) / "m.npz", tagger.featurizer.lex)
        crf = pycrfsuite.Tagger()
        crf.open(str(path))
        sents = [w for w, _ in dev[:150]]
        fast = mine.tag_many(sents)
        slow = [crf.tag(feat.attributes(s)) for s in sents]
    tokens = sum(len(s) for s in sents)
    same = sum(a == b for x, y in zip(fast, slow, strict=True) for a, b in zip(x, y, strict=True))
    assert same / tokens >= 0.999


def test_conll_scoring_counts_like_conlleval() -> None:
    assert T.chunks(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-PER"]) == {(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "PER")}
    s = T.score([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "O", "O", "B-LOC"]])
    assert s["precision"] == 50.0 and s["recall"] == 50.0


def test_find_entities_offsets() -> None:
    text = "Presiden Joko Widodo bertemu Menteri Luar Negeri AS Antony Blinken di Jakarta, Senin."
    spans = find_entities(text)
    assert ("Joko Widodo", "PER") in {(s.text, s.type) for s in spans}
    assert ("Jakarta", "LOC") in {(s.text, s.type) for s in spans}
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_tag_ner_cli(tmp_path: Path) -> None:
    f = tmp_path / "in.conll"
    f.write_text("Presiden\tO\nJoko\nWidodo\nke\nMoskow\n\nKPK\nmenangkap\nBudi\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["tag", "ner", str(f)])
    assert out.exit_code == 0, out.output
    lines = out.output.split("\n")
    assert lines[:6] == ["Presiden\tO", "Joko\tB-PER", "Widodo\tI-PER", "ke\tO", "Moskow\tB-LOC", ""]
    assert lines[6] == "KPK\tB-ORG"
    assert tag_conll([[], ["x"]])[0] == []
