"""Build resources/group/idf_id.tsv: document frequencies of stems over IndoSum (CC BY-SA 4.0).

Run: .venv/bin/python -m train.build_idf  [--data ../shared/data/text/indosum-dev]

Reads every dev.0X.jsonl (articles that appear in several folds are counted once), joins each
article's tokens, and counts in how many articles each stem (as `warta.understand.keywords.terms`
makes them) appears. Stems seen in fewer than 2 articles are left out: they get the table's
highest IDF anyway.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from warta.understand.keywords import terms

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "warta" / "resources" / "group" / "idf_id.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "text" / "indosum-dev")
    args = parser.parse_args()
    seen: set[str] = set()
    df: Counter[str] = Counter()
    for path in sorted(args.data.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            text = " ".join(" ".join(" ".join(sent) for sent in para) for para in row["paragraphs"])
            df.update({stem for stem, _ in terms(text)})
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# document frequencies of stems; built by train/build_idf.py from IndoSum dev folds\n")
        out.write("# (Kurniawan & Louvan 2018), CC BY-SA 4.0: see README.md in this directory\n")
        out.write(f"#docs\t{len(seen)}\n")
        for stem, count in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])):
            if count >= 2:
                out.write(f"{stem}\t{count}\n")
    print(f"{len(seen)} articles, {sum(1 for c in df.values() if c >= 2)} stems -> {OUT}")


if __name__ == "__main__":
    main()
