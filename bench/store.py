"""Store benchmarks: ingest rate end to end, search latency at 100k and 1M articles, database size.

    python -m bench.store                                   # everything (writes docs/bench/store.md)
    python -m bench.store --sizes 100000 --backends sqlite  # a part
    python -m bench.store --ingest-only | --search-only

Ingest: `warta.Pipeline` over the 1,000 rows of ../shared/data/text/detik-2025 (sources -> read ->
[understand] -> group -> store, SQLite), on one core (workers=1) and on two, with and without understand;
articles/s = articles read / wall time.

Search: the big corpora are made from the real articles of ../shared/data/text (IndoSum dev folds, Detik
2025, turnbackhoax), each read once and a sample understood once (entities, quotes). Article i of the big
corpus is a perturbation of base article i mod n: a random 60-100% of its paragraphs in a random order
(the lead kept first), 3% of the words replaced by random words of the corpus vocabulary, a random outlet of
30 and a random publication time in 2016-2025; seeded, so every run builds the same corpus. The stores are
built once (bulk `upsert_articles`, batches of 2,000) under /tmp/warta-bench and in the PostgreSQL database
of WARTA_BENCH_PG_URL (default: the test server's `warta_bench`), then reused. 50 fixed queries
(`QUERIES`: words, names, phrases, boolean, prefix, filters, date sort) run 1 warm-up + 3 timed rounds each,
with facets (what the search page asks for) and without; p50/p95 over all timed runs.

Size: the SQLite file (+WAL) or the PostgreSQL schema's total relation size, against the raw UTF-8 text
(title + body) stored.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "docs" / "bench" / "store.md"
WORK = Path(os.environ.get("WARTA_BENCH_DIR", "/tmp/warta-bench"))
PG_URL = os.environ.get("WARTA_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:55432/warta_bench")
DETIK_COLUMNS = {"title": "judul", "url": "tautan", "published": "tanggal", "body": "isi_berita"}

QUERIES = [
    "jakarta",
    "korupsi",
    "banjir",
    "jokowi",
    "prabowo",
    "presiden",
    "harga beras",
    "inflasi",
    "pemilu",
    "gempa bumi",
    '"harga beras"',
    '"pemerintah daerah"',
    '"kata dia"',
    '"joko widodo"',
    '"sepak bola"',
    '"komisi pemberantasan korupsi"',
    "korupsi OR suap",
    "banjir -jakarta",
    "(jokowi OR prabowo) pemilu",
    "polisi AND tersangka",
    "kebijakan pemerintah",
    "menteri keuangan",
    "timnas indonesia",
    "vaksin covid",
    "hoaks",
    "menteri*",
    "pemb*",
    "korup*",
    '"ketua umum"*',
    "transport*",
    "outlet:kompas",
    "outlet:detik korupsi",
    "outlet:antara presiden",
    "jakarta outlet:tempo",
    "banjir after:2024-01-01",
    "presiden before:2018-01-01",
    "korupsi after:2020 before:2022",
    "lang:id inflasi",
    "person:jokowi",
    "person:prabowo pemilu",
    "place:jakarta banjir",
    "org:kpk",
    "said:korupsi",
    'said:"tidak benar"',
    "by:jokowi",
    "source:antara",
    "presiden -outlet:detik",
    "harga naik",
    "dpr rapat",
    "sekolah siswa",
]
assert len(QUERIES) == 50

OUTLETS = [
    "Kompas.com", "detikNews", "ANTARA", "Tempo.co", "CNN Indonesia", "Liputan6.com", "Okezone", "Republika",
    "Tribunnews", "Merdeka.com", "Suara.com", "Sindonews", "Kumparan", "Tirto.id", "IDN Times", "Bisnis.com",
    "Katadata", "JPNN", "Jawa Pos", "Media Indonesia", "Viva.co.id", "Inews", "Pikiran Rakyat", "Galamedia",
    "Ayo Bandung", "Isu Bogor", "Kontan", "Beritasatu", "Poskota", "Wartakota",
]


# -- the real articles ---------------------------------------------------------------------------
def base_articles(data: Path = DATA) -> list[Any]:
    """Every real article of ../shared/data/text as an Article (title, body, outlet)."""
    from warta.record import Article

    out: list[Article] = []
    for path in sorted((data / "text" / "indosum-dev").glob("dev.*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                paras = [" ".join(" ".join(s) for s in p) for p in row["paragraphs"]]
                if len(paras) < 2:
                    continue
                out.append(Article(id=row["id"], title=paras[0][:140], body=paras[1:], outlet=row.get("source"), language="id"))
    with (data / "text" / "detik-2025" / "data_berita.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            body = [p.strip() for p in row["isi_berita"].split("\n") if p.strip() and "SCROLL TO CONTINUE" not in p]
            out.append(Article(id=f"detik-{row['id']}", title=row["judul"], body=body, outlet="detikNews", language="id"))
    hoax = data / "text" / "turnbackhoax" / "turnbackhoax_clean.jsonl"
    if hoax.exists():
        with hoax.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                row = json.loads(line)
                text = row.get("body") or ""
                title = row.get("headline") or text[:100]
                body = [p.strip() for p in str(text).split("\n") if p.strip()]
                if body:
                    out.append(Article(id=f"hoax-{i}", title=str(title), body=body, outlet="TurnBackHoax", language="id"))
    # dedupe by id (IndoSum folds overlap)
    return list({a.id: a for a in out}.values())


def understood(articles: list[Any], n: int) -> list[Any]:
    """The first ``n`` base articles with entities and quotes filled (for person:/by:/said: filters)."""
    from warta.understand import analyze

    return [analyze(a) for a in articles[:n]]


def synthesize(base: list[Any], count: int, seed: int = 7) -> Any:
    """``count`` perturbed articles, made lazily (see the module docstring)."""
    import msgspec

    rng = random.Random(seed)
    vocab = sorted({w for a in base[:2000] for p in a.body for w in p.split()})
    start = 1451606400  # 2016-01-01
    span = 10 * 365 * 86400
    from datetime import UTC, datetime, timedelta, timezone

    wib = timezone(timedelta(hours=7))
    for i in range(count):
        a = base[i % len(base)]
        paras = list(a.body)
        keep = max(1, int(len(paras) * rng.uniform(0.6, 1.0)))
        rest = paras[1:]
        rng.shuffle(rest)
        chosen = [paras[0], *rest[: keep - 1]]
        body = []
        for p in chosen:
            words = p.split()
            for _ in range(max(1, len(words) * 3 // 100)):
                words[rng.randrange(len(words))] = rng.choice(vocab)
            body.append(" ".join(words))
        when = datetime.fromtimestamp(start + rng.randrange(span), UTC).astimezone(wib).isoformat()
        outlet = rng.choice(OUTLETS)
        yield msgspec.structs.replace(
            a,
            id=f"b{i:07d}",
            url=f"https://{outlet.lower().replace(' ', '')}.example/{i}",
            outlet=outlet,
            published_at=when,
            body=body,
        )


# -- stores --------------------------------------------------------------------------------------
def store_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        WORK.mkdir(parents=True, exist_ok=True)
        return str(WORK / f"store-{size}.db")
    return f"{PG_URL}?schema=bench_{size}"


def ensure_pg_database() -> None:
    import psycopg
    from psycopg import sql

    from warta.store.postgres import split_schema

    conninfo, _ = split_schema(PG_URL)
    name = conninfo.rsplit("/", 1)[-1].split("?")[0]
    admin = conninfo.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build(backend: str, size: int, base: list[Any], rich: list[Any]) -> dict[str, float]:
    """Build (or reuse) the store of ``size`` articles; returns build figures."""
    import msgspec

    from warta.store import open_store

    url = store_url(backend, size)
    store = open_store(url)
    try:
        have = store.count()
        if have >= size:
            print(f"{backend} {size}: reusing {have} articles", flush=True)
            return {"articles": have, "raw_bytes": raw_bytes(base, size)}
        print(f"{backend} {size}: building from {have}", flush=True)
        rich_by_id = {a.id: a for a in rich}
        started = time.perf_counter()
        batch = []
        done = 0
        for art in synthesize(base, size):
            if done < have:
                done += 1
                continue
            extra = rich_by_id.get(base[done % len(base)].id)
            if extra is not None:  # the understood copy's entities and quotes go with it
                art = msgspec.structs.replace(art, entities=extra.entities, quotes=extra.quotes, sources=extra.sources)
            batch.append(art)
            done += 1
            if len(batch) >= 2000:
                store.upsert_articles(batch)
                batch = []
                if done % 20000 == 0:
                    rate = (done - have) / (time.perf_counter() - started)
                    print(f"  {done} ({rate:.0f}/s)", flush=True)
        if batch:
            store.upsert_articles(batch)
        seconds = time.perf_counter() - started
        return {"articles": store.count(), "build_rate": (size - have) / seconds, "raw_bytes": raw_bytes(base, size)}
    finally:
        store.close()


def raw_bytes(base: list[Any], size: int) -> float:
    """UTF-8 bytes of the title + body text of the ``size`` corpus articles (cached beside the stores)."""
    cache = WORK / f"raw-{size}.json"
    if cache.exists():
        return float(json.loads(cache.read_text())["raw_bytes"])
    total = 0
    for a in synthesize(base, size):
        total += len((a.title or "").encode()) + sum(len(p.encode()) + 1 for p in a.body)
    WORK.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"raw_bytes": total}))
    return float(total)


def db_bytes(backend: str, size: int) -> float:
    if backend == "sqlite":
        path = Path(store_url(backend, size))
        return float(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")))
    import psycopg

    from warta.store.postgres import split_schema

    conninfo, schema = split_schema(store_url(backend, size))
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
            (schema,),
        ).fetchone()
    return float(row[0] or 0) if row else 0.0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_queries(backend: str, size: int, rounds: int = 3) -> dict[str, Any]:
    from warta.store import open_store

    store = open_store(store_url(backend, size))
    out: dict[str, Any] = {}
    try:
        for facets in (False, True):
            times: list[float] = []
            cpu_times: list[float] = []
            per_query: dict[str, float] = {}
            for q in QUERIES:
                sort: Literal["relevance", "date"] = "date" if "after:" in q or "before:" in q else "relevance"
                store.search(q, sort=sort, facets=facets)  # warm-up
                mine = []
                for _ in range(rounds):
                    t, c = time.perf_counter(), time.process_time()
                    store.search(q, sort=sort, facets=facets)
                    mine.append((time.perf_counter() - t) * 1000)
                    cpu_times.append((time.process_time() - c) * 1000)
                times += mine
                per_query[q] = statistics.median(mine)
            slowest = sorted(per_query.items(), key=lambda kv: -kv[1])[:3]
            out["facets" if facets else "plain"] = {
                "p50": pct(times, 0.5),
                "p95": pct(times, 0.95),
                "cpu_p50": pct(cpu_times, 0.5),
                "cpu_p95": pct(cpu_times, 0.95),
                "max": max(times),
                "slowest": slowest,
            }
        out["totals"] = {q: store.search(q, facets=False, limit=1).total for q in QUERIES[:5]}
    finally:
        store.close()
    return out


# -- ingest --------------------------------------------------------------------------------------
def ingest_rates(rows: int = 1000) -> list[dict[str, Any]]:
    import shutil
    import tempfile

    from warta.pipeline import Pipeline

    src = DATA / "text" / "detik-2025" / "data_berita.csv"
    results = []
    for analyze, group, workers, n in [
        (False, False, 1, rows),
        (False, True, 1, rows),
        (False, True, 2, rows),
        (True, True, 1, 300),
        (True, True, 2, 300),
    ]:
        tmp = Path(tempfile.mkdtemp(prefix="warta-ingest-"))
        data = src
        if n < rows:
            data = tmp / "subset.csv"
            with src.open(encoding="utf-8", newline="") as fin, data.open("w", encoding="utf-8", newline="") as fout:
                w = csv.writer(fout)
                for i, row in enumerate(csv.reader(fin)):
                    if i > n:
                        break
                    w.writerow(row)
        import resource

        def cpu() -> float:
            me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

        load = os.getloadavg()[0]
        before = cpu()
        with Pipeline(str(tmp / "w.db"), analyze=analyze, group=group, workers=workers, columns=DETIK_COLUMNS) as p:
            report = p.run([str(data)])
        cpu_seconds = cpu() - before  # pool workers are counted once reaped, when the run ends
        rate = report.counts.read / report.seconds
        results.append({"analyze": analyze, "group": group, "workers": workers, "articles": report.counts.read,
                        "seconds": report.seconds, "rate": rate, "cpu_seconds": cpu_seconds,
                        "cpu_rate": report.counts.read / max(cpu_seconds, 1e-9), "load": load})
        print(f"ingest analyze={analyze} group={group} workers={workers}: {rate:.0f} articles/s wall, "
              f"{report.counts.read / max(cpu_seconds, 1e-9):.0f} per CPU-second (load {load:.1f})", flush=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return results


# -- report --------------------------------------------------------------------------------------
def write_report(ingest: dict[str, Any] | None, search: dict[str, Any]) -> None:
    lines = [
        "## Store: ingest, search latency, size\n",
        "`python -m bench.store` runs all of it; each table names the command that produced it. How the big "
        "corpus is made: the docstring of `bench/store.py`.\n",
    ]
    if ingest:
        lines += [
            "### Ingest (Detik 2025 CSV -> SQLite, end to end)\n",
            f"Command: `{ingest['command']}`\n",
            "Wall-clock rates depend on what else runs on the shared 2-core machine (load average in the table); "
            "articles per CPU-second (this process and its workers) is the rate one free core would give.\n",
            "| understand | group | workers | articles | wall s | articles/s (wall) | CPU s | articles per CPU-s | load | goal |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for r in ingest["rows"]:
            goal = ">= 300/s (one core, no understand)" if not r["analyze"] and r["workers"] == 1 else ""
            lines.append(
                f"| {'yes' if r['analyze'] else 'no'} | {'yes' if r['group'] else 'no'} | {r['workers']} | "
                f"{r['articles']} | {r['seconds']:.1f} | {r['rate']:.0f} | {r.get('cpu_seconds', 0):.1f} | "
                f"{r.get('cpu_rate', 0):.0f} | {r.get('load', 0):.1f} | {goal} |"
            )
        lines.append("")
    lines += [
        "### Search (50 fixed queries, 1 warm-up + 3 timed rounds each, 20 hits with snippets)\n",
        "Wall-clock latency on the shared machine, and in brackets the CPU time of the query in this process "
        "(SQLite runs in-process, so for it that is the latency on a free core; PostgreSQL's work happens in "
        "the server and is not in it).\n",
        "| backend | articles | p50 ms | p95 ms | p50 ms with facets | p95 ms with facets | db size / raw text | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key in sorted(search, key=lambda k: (search[k]["size"], search[k]["backend"])):
        s = search[key]
        goal = "p95 < 50 ms (SQLite, 1M); size <= 2x" if s["backend"] == "sqlite" and s["size"] >= 1_000_000 else "size <= 2x"
        def ms(part: dict[str, Any], key: str) -> str:
            cpu = part.get("cpu_" + key)
            return f"{part[key]:.1f}" + (f" ({cpu:.1f})" if cpu is not None else "")

        lines.append(
            f"| {s['backend']} | {s['articles']:,} | {ms(s['plain'], 'p50')} | {ms(s['plain'], 'p95')} | "
            f"{ms(s['facets'], 'p50')} | {ms(s['facets'], 'p95')} | {s['ratio']:.2f}x "
            f"({s['db_bytes'] / 1e6:,.0f} MB / {s['raw_bytes'] / 1e6:,.0f} MB) | {goal} |"
        )
    lines.append("")
    for key in sorted(search, key=lambda k: (search[k]["size"], search[k]["backend"])):
        s = search[key]
        slow = ", ".join(f"`{q}` {ms:.0f} ms" for q, ms in s["facets"]["slowest"])
        lines.append(f"- {s['backend']} {s['articles']:,} (`{s.get('command', '')}`): slowest with facets: {slow}")
    lines.append("")
    lines.append(
        "On results of more than 2,000 articles, ranking, date order and facets consider the 2,000 most recently "
        "stored matches (`RANK_WINDOW`), and counting stops at 10,000 (`COUNT_CAP`, shown as 10,000+); both are "
        "class attributes of the store. Filters are sets of article ids found through indexes and tested against "
        "the full-text matches without reading article rows."
    )
    missing = [
        f"{backend} {size:,}"
        for size in (100_000, 1_000_000)
        for backend in ("sqlite", "postgres")
        if f"{backend}-{size}" not in search
    ]
    if missing:
        lines.append(f"\nNot measured in this run: {', '.join(missing)}.")
    lines.append("")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--ingest-only", action="store_true")
    parser.add_argument("--search-only", action="store_true")
    parser.add_argument("--understood", type=int, default=600, help="base articles understood for entity filters")
    args = parser.parse_args()
    command = ("python -m bench.store " + " ".join(sys.argv[1:])).strip()
    WORK.mkdir(parents=True, exist_ok=True)
    ingest_file = WORK / "ingest-results.json"
    ingest = json.loads(ingest_file.read_text()) if ingest_file.exists() else None
    if not args.search_only:
        ingest = {"command": command, "rows": ingest_rates()}
        ingest_file.write_text(json.dumps(ingest))
    search: dict[str, Any] = {}
    state_file = WORK / "search-results.json"
    if state_file.exists():
        search = json.loads(state_file.read_text())
    if not args.ingest_only:
        backends = [b for b in args.backends.split(",") if b]
        if "postgres" in backends:
            ensure_pg_database()
        base = base_articles()
        rich = understood(base, args.understood)
        print(f"{len(base)} base articles, {len(rich)} understood", flush=True)
        for size in [int(s) for s in args.sizes.split(",")]:
            for backend in backends:
                figures = build(backend, size, base, rich)
                timing = time_queries(backend, size)
                size_bytes = db_bytes(backend, size)
                search[f"{backend}-{size}"] = {
                    "backend": backend,
                    "size": size,
                    "articles": int(figures["articles"]),
                    "db_bytes": size_bytes,
                    "raw_bytes": figures["raw_bytes"],
                    "ratio": size_bytes / max(figures["raw_bytes"], 1),
                    "command": command,
                    **timing,
                }
                print(json.dumps(search[f"{backend}-{size}"], default=str)[:600], flush=True)
                WORK.mkdir(parents=True, exist_ok=True)
                # other runs (another backend, another size) may have written meanwhile: merge
                merged = json.loads(state_file.read_text()) if state_file.exists() else {}
                merged[f"{backend}-{size}"] = search[f"{backend}-{size}"]
                search = merged
                state_file.write_text(json.dumps(search, default=str))
                write_report(ingest, search)
    write_report(ingest, search)
    return 0


if __name__ == "__main__":
    sys.exit(main())
