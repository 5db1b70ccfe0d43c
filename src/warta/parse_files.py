"""`warta parse`: read files into Article records and print them (the library behind the CLI)."""

from __future__ import annotations

import sys
from pathlib import Path

from warta.record import to_dict, to_json
from warta.sources.files import FileReadError, document_from_path


def run_parse(files: list[Path], *, url: str | None, fmt: str, analyze: bool) -> int:
    """Parse each file and print it; returns the exit code (0 all read, 1 some could not be read)."""
    import json

    from warta.read import read_document

    failed = 0
    for path in files:
        try:
            doc = document_from_path(path, url=url)
        except FileReadError as exc:
            print(f"warta: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        article = read_document(doc)
        if not article.body and not article.title:
            reasons = "; ".join(article.provenance.warnings) or "nothing readable found"
            print(f"warta: {path}: could not read an article: {reasons}", file=sys.stderr)
            failed += 1
            continue
        if analyze:
            from warta.understand import analyze as analyze_article

            article = analyze_article(article)
        if fmt == "jsonl":
            sys.stdout.buffer.write(to_json(article) + b"\n")
        else:
            sys.stdout.write(json.dumps(to_dict(article), indent=2, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
