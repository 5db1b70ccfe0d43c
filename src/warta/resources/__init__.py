"""Data files shipped with warta: lexicons, rules and models, each with its license and provenance."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path


def path(*parts: str) -> Path:
    """Filesystem path of a shipped resource."""
    return Path(str(resources.files("warta.resources").joinpath(*parts)))


@cache
def read_tsv(*parts: str) -> tuple[dict[str, str], ...]:
    """Rows of a shipped TSV file as dicts. Lines starting with '#' are comments; the first other line is the header."""
    with path(*parts).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "") for k, v in row.items()} for row in reader)
