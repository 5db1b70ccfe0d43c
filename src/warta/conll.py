"""CoNLL-like files: a token first on each line (anything after a tab ignored), blank line between sentences."""

from __future__ import annotations

from typing import TextIO


class ConllError(ValueError):
    """The file is not CoNLL-like."""


def read_conll(text: str) -> list[list[str]]:
    """Sentences of tokens. Lines are split on a tab; the first field is the token."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        # A tab separates the token from the rest; lines without a tab ("token POS tag") split on spaces.
        token = line.split("\t", 1)[0].strip() if "\t" in line else line.split()[0]
        if not token:
            token = line.split()[0]
        current.append(token)
    if current:
        sentences.append(current)
    return sentences


def write_conll(out: TextIO, sentences: list[list[str]], tags: list[list[str]]) -> None:
    """Write `token<TAB>tag` lines, a blank line after each sentence."""
    if len(tags) != len(sentences):
        raise ConllError("tagger returned a different number of sentences")
    for toks, tgs in zip(sentences, tags, strict=True):
        for tok, tag in zip(toks, tgs, strict=True):
            out.write(f"{tok}\t{tag}\n")
        out.write("\n")
