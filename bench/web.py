"""Load test of `warta serve` on loopback: requests/s and latency of the article, search and entity endpoints.

    python -m bench.web [--articles 100000] [--seconds 10] [--concurrency 8]

The corpus: the 1,000 Detik articles of ../shared/data/text/detik-2025, read and analysed by warta once,
then copied with perturbations up to ``--articles`` (each copy gets its own id and URL, one of 24 outlet
names, a date shifted back by whole days, and one paragraph dropped in turn, so the full-text index holds
distinct documents). It is written to a SQLite store with `Store.upsert_articles` and kept in bench/out/
for the next run. The server is `warta serve` in its own process (one uvicorn worker); the client is an
asyncio httpx pool in this process, each endpoint hammered for ``--seconds``. Side by side, the same
calls made directly on the store in process give the cost of the HTTP layer as a ratio.
Writes docs/bench/web.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import msgspec

from warta.record import Article, make_id

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", ROOT.parent / "shared")) / "data"
OUT = ROOT / "bench" / "out"
OUTLETS = [
    "detikcom", "Kompas", "Tempo", "Antara", "Liputan6", "Okezone", "CNN Indonesia", "Republika",
    "Tribunnews", "Suara", "Kumparan", "IDN Times", "Merdeka", "Sindonews", "Viva", "JPNN",
    "Bisnis", "Kontan", "CNBC Indonesia", "Media Indonesia", "iNews", "Jawa Pos", "Bisnis Indonesia", "ISU BOGOR",
]
#: 50 realistic queries in the store's query language (words, phrases, filters, prefixes, OR)
QUERIES = [
    "inflasi", "harga beras", '"Bank Indonesia"', "prabowo", "korupsi", "pajak", "utang kereta cepat",
    "purbaya", "timnas indonesia", "banjir", "gempa", "jakarta", "dedi mulyadi", "ekspor", "impor garam",
    "person:Prabowo", "org:KPK", "place:Jakarta", "outlet:Kompas inflasi", "said:korupsi",
    "by:Purbaya", "after:2025-10-01 pajak", "before:2025-09-01 harga", "ekonom*", "investasi OR saham",
    "-prabowo anggaran", '"dana daerah"', "kejaksaan agung", "sawit", "rokok", "pendidikan", "guru",
    "kesehatan BPJS", "polisi", "pembunuhan", "pemilu", "dpr", "apbn", "rupiah", "ihsg", "BUMN",
    "pangan", "listrik", "bbm", "subsidi", "umkm", "pariwisata", "jalan tol", "sekolah rakyat", "stunting",
]


def base_articles() -> list[Article]:
    """The Detik articles read and analysed by warta (cached in bench/out/web-base.jsonl)."""
    cache = OUT / "web-base.jsonl"
    if cache.exists():
        dec = msgspec.json.Decoder(Article)
        return [dec.decode(line) for line in cache.read_bytes().splitlines() if line]
    from warta.read.text import read_text
    from warta.sources.document import Document
    from warta.understand import analyze

    rows = list(csv.DictReader((SHARED / "text/detik-2025/data_berita.csv").open(encoding="utf-8", newline="")))
    out = []
    for row in rows:
        doc = Document(text=row["isi_berita"], content_type="text/plain", url=row["tautan"],
                       fields={"title": row["judul"], "url": row["tautan"], "published": row["tanggal"],
                               "dayfirst": "false"})
        out.append(analyze(read_text(row["isi_berita"], doc)))
    OUT.mkdir(parents=True, exist_ok=True)
    enc = msgspec.json.Encoder()
    cache.write_bytes(b"\n".join(enc.encode(a) for a in out) + b"\n")
    return out


def perturbed(base: list[Article], n: int) -> list[Article]:
    """``n`` distinct articles made from ``base`` (see the module docstring)."""
    rng = random.Random(7)
    base = list({a.id: a for a in base}.values())  # the Detik set repeats some rows (same URL, same id)
    out = list(base)
    k = 0
    while len(out) < n:
        k += 1
        for a in base:
            if len(out) >= n:
                break
            url = f"{a.url}?copy={k}"
            when = a.published_at
            if when:
                when = (datetime.fromisoformat(when) - timedelta(days=k % 365)).isoformat()
            body = list(a.body)
            drop = k % len(body) if len(body) > 3 else None
            if drop is not None:
                body = body[:drop] + body[drop + 1:]
                quotes = [msgspec.structs.replace(q, paragraph=q.paragraph - (q.paragraph > drop))
                          for q in a.quotes if q.paragraph != drop]
                ents = [msgspec.structs.replace(e, mentions=[
                    msgspec.structs.replace(m, paragraph=m.paragraph - (m.paragraph > drop))
                    for m in e.mentions if m.paragraph != drop]) for e in a.entities]
            else:
                quotes, ents = a.quotes, a.entities
            out.append(msgspec.structs.replace(
                a, id=make_id(url), url=url, canonical_url=url, outlet=rng.choice(OUTLETS), published_at=when,
                body=body, quotes=quotes, entities=ents,
                story_id=f"{a.story_id}-{k}" if a.story_id else None, duplicate_of=None, syndication=None))
    return out


def build_store(n: int) -> str:
    from warta.store import open_store

    path = OUT / f"web-{n}.db"
    if path.exists():
        with open_store(str(path)) as s:
            if s.count() >= n:
                return str(path)
        path.unlink()
    t0 = time.perf_counter()
    arts = perturbed(base_articles(), n)
    with open_store(str(path)) as s:
        for i in range(0, len(arts), 2000):
            s.upsert_articles(arts[i:i + 2000])
    print(f"built {path.name}: {n} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    return str(path)


async def hammer(base: str, paths: list[str], seconds: float, concurrency: int) -> dict[str, float]:
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    rng = random.Random(1)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t = time.perf_counter()
                r = await client.get(rng.choice(paths))
                lat.append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors += 1
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    lat.sort()
    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "p50": statistics.median(lat) * 1000,
        "p95": lat[int(len(lat) * 0.95)] * 1000,
        "p99": lat[int(len(lat) * 0.99)] * 1000,
        "errors": errors,
    }


#: the peer: a bare ASGI app answering a fixed 2 KB JSON body, on the same uvicorn, the ceiling of the machine
BARE_APP = """
import uvicorn
BODY = b'{"ok": true, "pad": "' + b"x" * 2000 + b'"}'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": BODY})
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
"""


def load(db: str, suites: dict[str, list[str]], seconds: float, concurrency: int, *, cache_seconds: float,
         bare: bool = False) -> dict[str, dict[str, float]]:
    """Start `warta serve` (or the bare peer) in its own process and hammer each suite for ``seconds``."""
    port = 8765 + os.getpid() % 1000
    code = (BARE_APP.replace("PORT", str(port)) if bare else
            f"from warta.web import serve; serve({db!r}, '127.0.0.1', {port}, cache_seconds={cache_seconds})")
    server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + ("/" if bare else "/api/stats"), timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        out = {}
        for name, paths in suites.items():
            if cache_seconds:  # fill the cache: every distinct path once, just before the suite runs
                with httpx.Client(base_url=base, timeout=120) as c:
                    for p in dict.fromkeys(paths):
                        c.get(p)
            else:  # warm up SQLite pages and templates
                asyncio.run(hammer(base, paths, 1.0, 2))
            out[name] = asyncio.run(hammer(base, paths, seconds, concurrency))
        return out
    finally:
        server.terminate()
        server.wait(10)


def direct(db: str, calls: list[tuple[str, tuple[object, ...]]], seconds: float) -> dict[str, float]:
    """The same store calls made in process, one at a time: the floor under the HTTP figures."""
    from warta.store import open_store
    from warta.web.queries import StoreAdapter

    ad = StoreAdapter(open_store(db), cache_seconds=0)
    lat = []
    stop = time.perf_counter() + seconds
    rng = random.Random(2)
    while time.perf_counter() < stop:
        name, args = rng.choice(calls)
        t = time.perf_counter()
        if name == "search":
            ad.search(str(args[0]), limit=20, facets=False)
        elif name == "search+facets":
            ad.search(str(args[0]), limit=20)
        elif name == "article":
            ad.article(str(args[0]))
        else:
            ad.entity(str(args[0]), limit=50)
        lat.append(time.perf_counter() - t)
    ad.close()
    lat.sort()
    return {"calls_per_s": len(lat) / seconds, "p50": statistics.median(lat) * 1000,
            "p95": lat[int(len(lat) * 0.95)] * 1000}


def query_times(db: str) -> list[tuple[str, float]]:
    """Each query once on the store, facets off: where the search time goes."""
    from warta.store import open_store

    out = []
    with open_store(db) as s:
        for q in QUERIES:
            t = time.perf_counter()
            s.search(q, limit=20, facets=False)
            out.append((q, (time.perf_counter() - t) * 1000))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    db = build_store(args.articles)

    from warta.store import open_store

    with open_store(db) as s:
        article_ids = [a.id for a in s.latest(500)] + [a.id for a in s.latest(500, offset=args.articles // 2)]
        entity_ids = [e.id for e in s.list_entities(limit=200)]
    suites = {
        "article (/api/articles/{id})": [f"/api/articles/{i}" for i in article_ids],
        "search (/api/search?q=&facets=false, 20 hits)": [f"/api/search?q={quote(q)}&facets=false" for q in QUERIES],
        "search with facets (/api/search?q=)": [f"/api/search?q={quote(q)}" for q in QUERIES],
        "entity (/api/entities/{id})": [f"/api/entities/{i}" for i in entity_ids],
        "article page (/article/{id}, HTML)": [f"/article/{i}" for i in article_ids],
    }
    results = load(db, suites, args.seconds, args.concurrency, cache_seconds=0)
    cached_suites = {k: v for k, v in suites.items() if k.startswith(("search", "entity"))}
    cached = load(db, cached_suites, args.seconds, args.concurrency, cache_seconds=3600)
    peer = load(db, {"bare uvicorn, fixed 2 KB JSON (the peer)": ["/"]}, args.seconds, args.concurrency,
                cache_seconds=0, bare=True)
    floor = {
        "article": direct(db, [("article", (i,)) for i in article_ids], args.seconds / 2),
        "search": direct(db, [("search", (q,)) for q in QUERIES], args.seconds / 2),
        "search+facets": direct(db, [("search+facets", (q,)) for q in QUERIES], args.seconds / 2),
        "entity": direct(db, [("entity", (i,)) for i in entity_ids], args.seconds / 2),
    }
    cmd = f"python -m bench.web --articles {args.articles} --seconds {args.seconds:g} --concurrency {args.concurrency}"
    lines = [
        "## Web: `warta serve` under load (bench/web.py)\n",
        f"`{cmd}` ({datetime.now().date()}; {args.articles:,} articles in SQLite; one uvicorn worker; "
        f"{args.concurrency} concurrent loopback clients in another process on the same 2 cores, which other "
        f"jobs share; {args.seconds:g} s per endpoint). Goal: search >= 200 requests/s with p95 < 100 ms.\n",
        "Cold: the server's result cache off (`cache_seconds=0`), every request goes to the store.\n",
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in (results | peer).items():
        lines.append(f"| {name} | {r['requests']:.0f} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['p99']:.1f} | {r['errors']:.0f} |")
    lines += [
        "",
        "With the result cache on (60 s by default; 3600 s here so that filling it with the slow cold answers does "
        "not expire it): the same 50 queries and 200 entities asked again and again, as analysts repeat popular "
        "searches and page through them. This is the cache's figure, not the store's.",
        "",
        "| endpoint (cached) | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in cached.items():
        lines.append(f"| {name} | {r['requests']:.0f} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['p99']:.1f} | {r['errors']:.0f} |")
    lines += [
        "",
        "The same calls on the store in process, one at a time (no HTTP, no JSON): the floor under the figures "
        "above, and the HTTP layer's cost as a ratio.",
        "",
        "| call | calls/s | p50 ms | p95 ms | HTTP req/s ÷ direct calls/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    http_of = {"article": results["article (/api/articles/{id})"],
               "search": results["search (/api/search?q=&facets=false, 20 hits)"],
               "search+facets": results["search with facets (/api/search?q=)"],
               "entity": results["entity (/api/entities/{id})"]}
    for name, f in floor.items():
        lines.append(f"| {name} | {f['calls_per_s']:.0f} | {f['p50']:.1f} | {f['p95']:.1f} | "
                     f"{http_of[name]['rps'] / f['calls_per_s']:.2f} |")
    lines.append("")
    for name in ("search", "search+facets"):
        r = http_of[name]
        met = r["rps"] >= 200 and r["p95"] < 100
        lines.append(f"- {name}, cold: goal {'met' if met else 'NOT met'} ({r['rps']:.0f} req/s, p95 {r['p95']:.1f} ms).")
    slow = sorted(((t, q) for q, t in query_times(db)), reverse=True)[:5]
    lines += ["", "Slowest of the 50 queries on the store alone (ms, facets off): "
              + ", ".join(f"`{q}` {t:.0f}" for t, q in slow) + ".", ""]
    text = "\n".join(lines)
    (ROOT / "docs" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "docs" / "bench" / "web.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
