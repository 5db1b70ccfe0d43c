"""Main-text extraction accuracy and speed: warta side by side with trafilatura, newspaper4k, readability-lxml.

Sets (read in place from ../shared/data/html):
  scrapinghub-aeb     181 pages, ground-truth articleBody (MIT)
  wcxb-dev-articles   711 pages, title, publish date and main content (CC-BY-4.0)
  id-news-2015        18 Indonesian article pages (silver bodies, MIT)

Scoring is the ScrapingHub article-extraction-benchmark's: \\w+ tokens, shingles of 4, per page TP/FP/FN
normalised by their sum, precision and recall averaged over pages, F1 from the averages. On WCXB the title
is scored by exact match (whitespace collapsed, curly quotes and dashes made plain, for every tool alike) and the publish date to the day.

Speed: every tool gets the same already-decoded page strings; pages/s is one core, wall time of the
extraction call only, all tools in the same process one after the other.

    .venv/bin/python -m bench.extraction            # everything, writes docs/bench/extraction.md
    .venv/bin/python -m bench.extraction --tools warta --sets scrapinghub-aeb --worst 10   # development
    .venv/bin/python -m bench.extraction --tools warta --sets wcxb-dev-articles --misses --no-write  # title/date, ~10 s
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "html"
COMMAND = ".venv/bin/python -m bench.extraction"


@dataclass
class Page:
    key: str
    html: str
    url: str | None
    body: str
    title: str | None = None
    date: str | None = None


@dataclass
class Output:
    body: str
    title: str | None = None
    date: str | None = None


@dataclass
class Result:
    tool: str
    dataset: str
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    seconds: float = 0.0
    title_ok: int = 0
    date_ok: int = 0
    titled: int = 0  # pages the tool gave a title for (a tool that gives none is shown as "-")
    dated: int = 0
    errors: int = 0
    misses: list[str] = field(default_factory=list)  # title/date misses, for --misses


# --- datasets -------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_aeb() -> list[Page]:
    base = DATA / "scrapinghub-aeb"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        html = _decode((base / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, html, item.get("url"), item.get("articleBody") or ""))
    return pages


def load_wcxb() -> list[Page]:
    base = DATA / "wcxb-dev-articles"
    pages = []
    for gt_path in sorted((base / "ground-truth").glob("*.json")):
        item = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = item["ground_truth"]
        html_path = base / "html" / f"{gt_path.stem}.html.gz"
        if not html_path.exists():
            continue
        html = _decode(html_path.read_bytes())
        pages.append(
            Page(gt_path.stem, html, item.get("url"), gt.get("main_content") or "", gt.get("title"), gt.get("publish_date"))
        )
    return pages


def load_idnews() -> list[Page]:
    base = DATA / "id-news-2015"
    pages = []
    for item in json.loads((base / "expected.json").read_text(encoding="utf-8")):
        html = _decode((base / item["fixture"]).read_bytes())
        date = None
        if item.get("date"):
            date = datetime.fromtimestamp(item["date"] / 1000, UTC).date().isoformat()
        pages.append(Page(item["fixture"], html, item.get("url"), item.get("content") or "", item.get("title"), date))
    return pages


DATASETS: dict[str, Callable[[], list[Page]]] = {
    "scrapinghub-aeb": load_aeb,
    "wcxb-dev-articles": load_wcxb,
    "id-news-2015": load_idnews,
}

# --- scoring (the ScrapingHub article-extraction-benchmark's) ---------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = _shingles(true), _shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def prf(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    ps = [_precision(*s) for s in scores if s[0] + s[1] > 0]
    rs = [_recall(*s) for s in scores if s[0] + s[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def page_f1(s: tuple[float, float, float]) -> float:
    p, r = _precision(*s), _recall(*s)
    return 2 * p * r / (p + r) if p + r else 0.0


_WS = re.compile(r"\s+")


_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def _norm_title(t: str | None) -> str:
    """Whitespace collapsed and typographic quotes/dashes made plain (the same for every tool)."""
    return _WS.sub(" ", (t or "").translate(_TYPOGRAPHY)).strip()


def _day(d: str | None) -> str | None:
    return d[:10] if d else None


# --- tools ----------------------------------------------------------------------------------------------


def run_warta(page: Page) -> Output:
    from warta.read import read_document
    from warta.sources.document import Document

    art = read_document(Document(text=page.html, url=page.url, content_type="text/html"))
    return Output("\n\n".join(art.body), art.title, art.published_at)


def run_warta_extract(page: Page) -> Output:
    """warta's main-text extractor alone (no metadata, no cleaning)."""
    from warta.read.html_extract import extract_text

    return Output(extract_text(page.html))


def run_trafilatura(page: Page) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Output("")
    if isinstance(doc, dict):  # older trafilatura (or as_dict=True) gives a dict
        return Output(doc.get("text") or "", doc.get("title"), doc.get("date"))
    return Output(doc.text or "", doc.title, doc.date)


def run_newspaper(page: Page) -> Output:
    import newspaper

    art = newspaper.Article(page.url or "http://example.invalid/", fetch_images=False)
    art.download(input_html=page.html)
    art.parse()
    date = art.publish_date.isoformat() if art.publish_date else None
    return Output(art.text or "", art.title, date)


def run_readability(page: Page) -> Output:
    from lxml import html as lxml_html
    from readability import Document as RDoc

    doc = RDoc(page.html)
    summary = doc.summary(html_partial=True)
    text = lxml_html.fromstring(summary).text_content() if summary.strip() else ""
    return Output(text, doc.short_title(), None)


TOOLS: dict[str, Callable[[Page], Output]] = {
    "warta": run_warta,
    "warta-extract": run_warta_extract,
    "trafilatura": run_trafilatura,
    "newspaper4k": run_newspaper,
    "readability-lxml": run_readability,
}


def evaluate(tool: str, dataset: str, pages: list[Page]) -> Result:
    fn = TOOLS[tool]
    res = Result(tool, dataset)
    if pages:
        with contextlib.suppress(Exception):  # warm up imports outside the timing; errors are counted below
            fn(pages[0])
    for page in pages:
        t0 = time.perf_counter()
        try:
            out = fn(page)
        except Exception:
            out = Output("")
            res.errors += 1
        res.seconds += time.perf_counter() - t0
        res.scores.append(shingle_tp_fp_fn(page.body, out.body))
        res.keys.append(page.key)
        res.titled += bool(out.title)
        res.dated += bool(out.date)
        if page.title is not None:
            if _norm_title(out.title) == _norm_title(page.title):
                res.title_ok += 1
            else:
                res.misses.append(f"{page.key} title: {page.title!r} got {out.title!r}")
        if page.date is not None:
            if _day(out.date) == page.date:
                res.date_ok += 1
            else:
                res.misses.append(f"{page.key} date: {page.date} got {out.date} ({page.url})")
    return res


def report(results: list[Result], pages: dict[str, list[Page]]) -> str:
    lines = [
        "## Extraction (issue 3)\n",
        f"Command: `{COMMAND}` (run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}).\n",
        "Body F1 is the ScrapingHub article-extraction-benchmark scoring (4-token shingles, per-page "
        "normalised, P and R averaged over pages). Speed: pages/s on one core over the same decoded pages, "
        "all tools in one process; `x traf.` is the speed ratio to trafilatura in this run. warta's figure is "
        "its whole HTML reader (decoding, metadata, extraction, cleaning); `warta-extract` is its main-text "
        "extractor alone. `-`: the tool gives no title or no date.\n",
    ]
    for dataset, dpages in pages.items():
        rows = [r for r in results if r.dataset == dataset]
        if not rows:
            continue
        lines.append(f"### {dataset} ({len(dpages)} pages)\n")
        has_meta = any(p.title is not None for p in dpages)
        head = "| tool | precision | recall | F1 |"
        sep = "| --- | --- | --- | --- |"
        if has_meta:
            head += " title exact | date (day) |"
            sep += " --- | --- |"
        head += " pages/s | x traf. | errors |"
        sep += " --- | --- | --- |"
        lines += [head, sep]
        traf = next((r for r in rows if r.tool == "trafilatura"), None)
        traf_speed = len(dpages) / traf.seconds if traf and traf.seconds else None
        for r in rows:
            p, rc, f = prf(r.scores)
            speed = len(dpages) / r.seconds if r.seconds else 0.0
            n_title = sum(1 for x in dpages if x.title is not None)
            n_date = sum(1 for x in dpages if x.date is not None)
            row = f"| {r.tool} | {p:.3f} | {rc:.3f} | {f:.3f} |"
            if has_meta:
                title = f"{r.title_ok / max(1, n_title):.3f}" if r.titled else "-"
                date = f"{r.date_ok / max(1, n_date):.3f}" if r.dated else "-"
                row += f" {title} | {date} |"
            ratio = f"{speed / traf_speed:.1f}" if traf_speed else "-"
            row += f" {speed:.1f} | {ratio} | {r.errors} |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    ap.add_argument("--sets", default=",".join(DATASETS), help="comma-separated datasets")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst pages of warta (development)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    ap.add_argument("--misses", action="store_true", help="print warta's title and date misses (development)")
    ap.add_argument("--dump", type=Path, help="write per-page F1 of each tool as JSON (development)")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/bench/extraction.md")
    args = ap.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    sets = [s for s in args.sets.split(",") if s]
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    pages = {s: DATASETS[s]() for s in sets}
    if args.limit:
        pages = {s: p[: args.limit] for s, p in pages.items()}
    results = []
    for s in sets:
        for tool in tools:
            res = evaluate(tool, s, pages[s])
            p, r, f = prf(res.scores)
            print(f"{s:20} {tool:18} P={p:.3f} R={r:.3f} F1={f:.3f} "
                  f"title={res.title_ok} date={res.date_ok} {len(pages[s]) / max(res.seconds, 1e-9):.1f} p/s",
                  flush=True)
            if args.worst and tool.startswith("warta"):
                worst = sorted(zip(res.scores, res.keys, strict=True), key=lambda x: page_f1(x[0]))[: args.worst]
                for sc, key in worst:
                    print(f"   {key[:20]} F1={page_f1(sc):.2f} P={_precision(*sc):.2f} R={_recall(*sc):.2f}")
            if args.misses and tool.startswith("warta"):
                print("\n".join(f"   {m}" for m in res.misses))
            results.append(res)
    if args.dump:
        per_page = {f"{r.tool}/{r.dataset}/{k}": round(page_f1(sc), 4) for r in results for sc, k in zip(r.scores, r.keys, strict=True)}
        args.dump.write_text(json.dumps(per_page, indent=0), encoding="utf-8")
    text = report(results, pages)
    print(text)
    full = set(tools) == set(TOOLS) and set(sets) == set(DATASETS) and not args.limit
    if full and not args.no_write:
        out = ROOT / "docs" / "bench" / "extraction.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
