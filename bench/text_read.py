"""Text-dump reader: accuracy on whole-page dumps of id-news-2015, and speed over the 1,000 Detik articles.

    python -m bench.text_read

Accuracy: each page of ../shared/data/html/id-news-2015 is turned into text the way a scraper would (inscriptis:
navigation, menus and footers included), parsed by warta's text reader, and compared with expected.json: title
(exact, whitespace-normalised), publication day (the expected epoch in WIB), and bag-of-tokens F1 of the body.
Speed: articles/s on one core (this process) parsing the Detik bodies as dataset rows, best of 3 passes.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WIB = timezone(timedelta(hours=7))


def token_f1(got: str, expected: str) -> float:
    a, b = Counter(re.findall(r"\w+", got.lower())), Counter(re.findall(r"\w+", expected.lower()))
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * p * r / (p + r)


def html_to_text(html: str, converter: str) -> str:
    """A whole page as a scraper would save it: inscriptis (plain text) or html2text (Markdown)."""
    if converter == "html2text":
        import html2text

        handler = html2text.HTML2Text()
        handler.body_width = 0
        return str(handler.handle(html))
    from inscriptis import get_text

    return str(get_text(html))


def id_news_scores(data: Path = DATA, converter: str = "inscriptis") -> list[dict[str, object]]:
    """Per page: outlet, title_ok, day_ok, f1 for the whole-page text dumps of id-news-2015."""
    from warta.read.decode import decode_document
    from warta.read.text import read_text
    from warta.sources.document import Document

    base = data / "html/id-news-2015"
    results = []
    for page in json.loads((base / "expected.json").read_text(encoding="utf-8")):
        html, _ = decode_document(Document(data=(base / page["fixture"]).read_bytes()))
        text = html_to_text(html, converter)
        article = read_text(text, Document(text=text, url=page["url"]))
        day = datetime.fromtimestamp(page["date"] / 1000, WIB).date().isoformat()
        results.append({
            "page": page["fixture"],
            "outlet": page["fixture"].split("__")[0],
            "title_ok": " ".join((article.title or "").split()) == " ".join(page["title"].split()),
            "day_ok": (article.published_at or "")[:10] == day,
            "f1": token_f1("\n".join(article.body), page["content"]),
        })
    return results


def detik_rate(data: Path = DATA, passes: int = 3) -> tuple[int, float]:
    from warta.read.text import read_text
    from warta.sources.document import Document

    with (data / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    docs = [Document(text=r["isi_berita"], content_type="text/plain",
                     fields={"title": r["judul"], "url": r["tautan"], "published": r["tanggal"], "dayfirst": "false"})
            for r in rows]
    for doc in docs[:50]:  # warm the rule caches
        read_text(doc.text or "", doc)
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for doc in docs:
            read_text(doc.text or "", doc)
        best = min(best, time.perf_counter() - start)
    return len(docs), len(docs) / best


def _table(scores: list[dict[str, object]]) -> list[str]:
    by_outlet: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in scores:
        by_outlet[str(row["outlet"])].append(row)
    lines = [
        "| outlet | pages | title exact | publication day | body token F1 (mean) | pages with F1 >= 0.9 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for outlet, rows in [*sorted(by_outlet.items()), ("**all**", scores)]:
        n = len(rows)
        f1 = [float(r["f1"]) for r in rows]  # type: ignore[arg-type]
        lines.append(
            f"| {outlet} | {n} | {sum(bool(r['title_ok']) for r in rows)}/{n} | {sum(bool(r['day_ok']) for r in rows)}/{n} "
            f"| {sum(f1) / n:.3f} | {sum(v >= 0.9 for v in f1)}/{n} |"
        )
    low = [f"{r['page']} ({float(r['f1']):.2f})" for r in scores if float(r["f1"]) < 0.9]  # type: ignore[arg-type]
    if low:
        lines.append(f"\nBelow 0.9: {', '.join(low)}.\n")
    return lines


def main() -> int:
    lines = [
        "## Text-dump reader\n",
        "Command: `python -m bench.text_read` (also part of `make bench`).\n",
        "Each HTML page of id-news-2015 is turned into a whole-page text dump the way a scraper would (navigation, "
        "menus and footers included), read by the text reader, and compared with expected.json (silver: an older "
        "scraper's output; the two pages below 0.9 are a Detik photo page whose expected body is one sentence and a "
        "Liputan6 photo gallery whose expected body is its captions).\n",
    ]
    for converter in ("inscriptis", "html2text"):
        lines += [f"### id-news-2015 dumped with {converter}\n", *_table(id_news_scores(converter=converter)), ""]
    count, rate = detik_rate()
    lines += [
        "### Speed\n",
        f"Text-dump parsing over the {count} Detik articles, one core: **{rate:,.0f} articles/s** (goal >= 2,000).\n",
    ]
    out = ROOT / "docs" / "bench" / "text_read.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
