"""Robustness: the HTML reader and the WARC reader on >= 100,000 generated and mutated inputs.

Every case runs under a per-case time limit (SIGALRM) in a process whose address space is capped
(RLIMIT_AS), so a hang or a memory blow-up is caught and counted, not just a crash. Inputs:

* ``html``  random tag soup from a grammar (nesting, unclosed tags, hidden elements, JSON-LD that is
            valid, broken or strange, furniture lines, entities, any Unicode)
* ``mut``   a real-looking page (tests/data/html) truncated and with random bytes overwritten
* ``bytes`` random bytes with random declared charsets
* ``warc``  WARC files (plain or gzip) of random records, truncated and with bytes flipped

    .venv/bin/python -m bench.fuzz                 # 100,000 cases, writes docs/bench/fuzz.md
    .venv/bin/python -m bench.fuzz --cases 5000    # a quick run (no report written)
"""

from __future__ import annotations

import argparse
import gzip
import io
import random
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = (ROOT / "tests" / "data" / "html" / "isubogor-like.html").read_bytes()
COMMAND = ".venv/bin/python -m bench.fuzz"

TAGS = ["div", "p", "span", "a", "article", "section", "nav", "aside", "footer", "h1", "h2", "li", "ul", "ol", "table",
        "tr", "td", "th", "script", "style", "time", "figure", "figcaption", "br", "strong", "meta", "link", "main",
        "b", "i", "em", "header", "noscript", "template", "svg", "form", "iframe", "blockquote", "pre"]
CLASSES = ["content", "article-body", "related", "share", "comment", "baca-juga", "ads", "read__content", "tag-x",
           "hidden", "sidebar", "post", "menu", "detail__body-text", "widget", "card", ""]
ATTRS = [' hidden', ' style="display:none"', ' rel="canonical" href="http://x/?utm_source=1"', ' href="/a?utm_source=1"',
         ' datetime="2025-13-45T99:99"', ' datetime="2025-03-10T14:05:00+07:00"', ' property="og:title" content="T"',
         ' aria-hidden="true"', ' id="S:0"', ' rel="tag"', ' name="author" content="Oleh Ani dan Budi"',
         ' property="article:published_time" content="1741590300"', ' href="javascript:x()"', ' lang="in"']
PHRASES = ["Baca juga:", "Editor:", "Penulis: Ani", "kata dia", "Jakarta", "(ant/nrl)", "***", "KOMPAS.com -",
           "Senin, 10 Maret 2025 14:05 WIB", "&amp;", "&#8211;", "<", '"', "berita", "presiden", "ADVERTISEMENT",
           "SCROLL TO CONTINUE WITH CONTENT", "Halaman 2", "Simak juga", "Sumber: TASS", "\u200b", "\u00a0", "😀",
           "ÃƒÂ©", "\x00", "\r\n", "Copyright ©"]
JSON_LD = ['{"@type": "NewsArticle", "headline": 1,}', "{", "[]", '{"@graph": [{"@type": ["Article"], "author": [1, {"name": null}]}]}',
           '{"@type":"NewsArticle","datePublished":"Senin","articleBody":"' + "kata " * 100 + '"}', "null", '"x"',
           '{"@type": "NewsArticle", "image": [[[]]], "keywords": {"a": 1}}']


def _text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 30)))
    return " ".join(rng.choice(PHRASES) for _ in range(rng.randint(0, 15)))


def random_html(rng: random.Random, depth: int = 0) -> str:
    """Random tag soup (see the module docstring)."""
    parts = []
    for _ in range(rng.randint(0, 6 if depth < 6 else 1)):
        kind = rng.randint(0, 4)
        if kind == 0 or depth >= 8:
            parts.append(_text(rng))
            continue
        tag = rng.choice(TAGS)
        attrs = f' class="{rng.choice(CLASSES)} {rng.choice(CLASSES)}"' if rng.random() < 0.6 else ""
        if rng.random() < 0.25:
            attrs += rng.choice(ATTRS)
        if kind == 4:
            tag, attrs, inner = "script", ' type="application/ld+json"', rng.choice(JSON_LD)
        else:
            inner = random_html(rng, depth + 1)
        close = rng.choice([f"</{tag}>", f"</{tag}>", "", f"</{tag}", "</div>"])
        parts.append(f"<{tag}{attrs}>{inner}{close}")
    return "".join(parts)


def random_page(rng: random.Random) -> tuple[bytes | str, str | None, str | None]:
    """(page, declared content type, declared encoding) of one case of the html/mut/bytes kinds."""
    kind = rng.random()
    if kind < 0.6:
        head = rng.choice(["", "<!DOCTYPE html>", "<html><head><title>Judul - Situs</title></head>"])
        return head + "<body>" + random_html(rng) + "</body>", "text/html", None
    if kind < 0.85:
        data = bytearray(FIXTURE[: rng.randint(0, len(FIXTURE))])
        for _ in range(rng.randint(0, 30)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data), rng.choice(["text/html", None]), rng.choice([None, "utf-8", "latin-1", "bogus"])
    data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
    return data, rng.choice(["text/html", "text/plain", None]), rng.choice([None, "utf-8", "cp1252", "x-unknown"])


def random_warc(rng: random.Random) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=rng.random() < 0.5)
    for i in range(rng.randint(1, 4)):
        page = random_html(rng).encode("utf-8", "surrogatepass")
        headers = [("Content-Type", rng.choice(["text/html; charset=utf-8", "text/html; charset=bogus", "image/png", "text/plain"]))]
        if rng.random() < 0.2:
            headers.append(("Content-Encoding", "gzip"))
            page = gzip.compress(page) if rng.random() < 0.5 else page
        if rng.random() < 0.1:
            headers.append(("Transfer-Encoding", "chunked"))
        http = StatusAndHeaders(rng.choice(["200 OK", "404 Not Found", "301 Moved"]), headers, protocol="HTTP/1.1")
        rec_type = rng.choice(["response", "response", "metadata", "conversion"])
        if rec_type == "response":
            record = writer.create_warc_record(f"http://x.test/{i}", "response", payload=io.BytesIO(page), http_headers=http)
        else:
            record = writer.create_warc_record(
                f"http://x.test/{i}", rec_type, payload=io.BytesIO(page), warc_content_type="text/plain"
            )
        writer.write_record(record)
    data = bytearray(out.getvalue())
    if rng.random() < 0.5:
        data = data[: rng.randint(0, len(data))]
    for _ in range(rng.randint(0, 10)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout


def run(cases: int, seed: int, time_limit: float, memory_mb: int, progress: bool = True) -> dict[str, object]:
    from warta.read import read_document
    from warta.record import to_json
    from warta.sources.document import Document
    from warta.sources.warc import iter_warc

    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    crashes: list[str] = []
    slowest = 0.0
    start = time.perf_counter()
    for n in range(cases):
        kind = "warc" if n % 5 == 4 else "page"
        if kind == "page":  # inputs are made outside the timed, counted part
            data, ctype, enc = random_page(rng)
            doc = Document(text=data, content_type=ctype) if isinstance(data, str) else Document(data=data, content_type=ctype, encoding=enc)
        else:
            warc = random_warc(rng)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            if kind == "page":
                to_json(read_document(doc))
            else:
                for item in iter_warc(Path("fuzz.warc"), stream=io.BytesIO(warc)):
                    if isinstance(item, Document):
                        to_json(read_document(item))
            counts[f"{kind} ok"] += 1
        except Timeout:
            counts[f"{kind} timeout"] += 1
            crashes.append(f"case {n} ({kind}): over {time_limit}s")
            if progress:
                print(crashes[-1], file=sys.stderr, flush=True)
        except MemoryError:
            counts[f"{kind} memory"] += 1
            crashes.append(f"case {n} ({kind}): MemoryError")
        except Exception:
            counts[f"{kind} crash"] += 1
            crashes.append(f"case {n} ({kind}): " + traceback.format_exc(limit=4).strip().replace("\n", " | ")[-600:])
            if progress:
                print(crashes[-1], file=sys.stderr, flush=True)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        slowest = max(slowest, time.perf_counter() - t0)
        if progress and (n + 1) % 5000 == 0:
            print(f"{n + 1:,} cases, {sum(v for k, v in counts.items() if not k.endswith(' ok'))} bad", file=sys.stderr, flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "cases": cases, "seed": seed, "counts": dict(counts), "crashes": crashes, "slowest": slowest,
        "seconds": time.perf_counter() - start, "peak_mb": peak_mb, "time_limit": time_limit, "memory_mb": memory_mb,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20251124)
    ap.add_argument("--time-limit", type=float, default=5.0, help="seconds per case")
    ap.add_argument("--memory-mb", type=int, default=2048, help="address-space cap of the process")
    args = ap.parse_args(argv)
    res = run(args.cases, args.seed, args.time_limit, args.memory_mb)
    counts: dict[str, int] = res["counts"]  # type: ignore[assignment]
    bad = sum(v for k, v in counts.items() if not k.endswith(" ok"))
    lines = [
        "## Fuzzing the HTML and WARC readers (issue 3)\n",
        f"Command: `{COMMAND}{'' if args.cases == 100_000 else f' --cases {args.cases}'}` "
        f"(run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, seed {args.seed}).\n",
        f"{res['cases']:,} cases (4 in 5 pages: tag soup, mutated real page, random bytes; 1 in 5 WARC files, "
        f"truncated and corrupted), each under a {args.time_limit:g} s limit in a process capped at "
        f"{args.memory_mb} MiB.\n",
        "| outcome | cases |", "| --- | --- |",
        *[f"| {k} | {v:,} |" for k, v in sorted(counts.items())],
        "",
        f"Crashes, hangs and memory errors: **{bad}**. Slowest case {res['slowest']:.2f} s; "
        f"peak memory {res['peak_mb']:.0f} MB; {res['seconds']:.0f} s in all.\n",
    ]
    crashes: list[str] = res["crashes"]  # type: ignore[assignment]
    if crashes:
        lines += ["First failures:\n", *[f"- {c}" for c in crashes[:20]], ""]
    text = "\n".join(lines)
    print(text)
    if args.cases >= 100_000:
        out = ROOT / "docs" / "bench" / "fuzz.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
