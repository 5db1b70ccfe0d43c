"""`warta tag ner|quotes FILE` and `warta train quotes`: token taggers over CoNLL-like files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

tag_app = typer.Typer(
    help="Tag a CoNLL-like file (a token first on each line, blank line between sentences).",
    no_args_is_help=True,
)
train_app = typer.Typer(help="Train your own models from annotated corpora.", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="CoNLL-like file: token first on each line (anything after a tab is ignored), blank line between sentences. '-' reads stdin.")]


@tag_app.command("ner")
def tag_ner(file: FileArg) -> None:
    """Print `token<TAB>tag` per line with BIO tags over PER, ORG, LOC; blank lines kept."""
    from warta.understand.ner import tag_conll

    raise typer.Exit(_run(file, tag_conll))


@tag_app.command("quotes")
def tag_quotes(
    file: FileArg,
    model: Annotated[
        Path | None, typer.Option("--model", help="A CRF trained by `warta train quotes` (default: the shipped rules).")
    ] = None,
) -> None:
    """Print `token<TAB>tag` with BIO tags over STATEMENT, SPEAKER and CUE; the file is read as running text."""
    from functools import partial

    from warta.understand.quote_tagger import tag_conll

    if model is not None and not model.is_file():
        print(f"warta: no model at {model} (train one with `warta train quotes --corpus DIR --out {model}`)", file=sys.stderr)
        raise typer.Exit(2)
    raise typer.Exit(_run(file, partial(tag_conll, model=model)))


def _run(file: Path, tagger: object) -> int:
    from collections.abc import Callable

    from warta.conll import ConllError, read_conll, write_conll

    fn: Callable[[list[list[str]]], list[list[str]]] = tagger  # type: ignore[assignment]
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8", errors="replace")
        sentences = read_conll(text)
    except (OSError, ConllError) as exc:
        print(f"warta: {file}: {exc}", file=sys.stderr)
        return 1
    write_conll(sys.stdout, sentences, fn(sentences))
    return 0


@train_app.command("quotes")
def train_quotes(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of PFSA-ID style files (token TAB ... TAB BILOU tag).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the trained model.")] = Path("quotes-model.crfsuite"),
) -> None:
    """Train a quote tagger on your own corpus (for example PFSA-ID, which warta may not ship a model of)."""
    from warta.understand.quote_tagger import train_from_corpus

    raise typer.Exit(train_from_corpus(corpus, out))


def register(app: typer.Typer) -> None:
    app.add_typer(tag_app, name="tag")
    app.add_typer(train_app, name="train")
