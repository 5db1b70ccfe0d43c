"""The stages composed: sources -> read -> understand -> group -> store, on one machine.

    import warta
    report = warta.Pipeline(store="news.db", analyze=True).run(["dumps/", "crawl.warc.gz"])
    print(report.counts, report.failures)

Read and understand run in a pool of processes (one per core by default); group and store run in
this process, in order, because the group stage's index is one sequential state. Every batch of
articles is written in one transaction together with the keys of the documents it came from and the
group stage's state, so a run killed at any point loses nothing: the next run skips the documents
already stored and carries on. ``run(sources, cluster=...)`` hands the work to the Dask runner of
`warta.pipeline_dask` instead.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import msgspec

from warta.record import Article, make_id
from warta.sources.document import Document
from warta.store.base import Store, StoryMeta


class Failure(msgspec.Struct, kw_only=True):
    """An input that could not be turned into an article, and why."""

    source: str
    reason: str


class IngestCounts(msgspec.Struct, kw_only=True):
    """What a run did. ``read``: documents read into articles; ``new``/``updated``/``unchanged``: what
    the store did with them; ``duplicate``: of those, copies of an earlier article; ``skipped``:
    documents already stored by an earlier run; ``failed``: inputs that could not be read."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    failed: int = 0


class IngestReport(msgspec.Struct, kw_only=True):
    counts: IngestCounts
    failures: list[Failure] = msgspec.field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


ProgressCallback = Callable[[IngestCounts], None]


def document_key(doc: Document) -> str:
    """A stable key of a source document (where it came from and its content), for resuming."""
    h = hashlib.blake2b(digest_size=16)
    for part in (doc.source or "", doc.url or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    if doc.data is not None:
        h.update(doc.data)
    elif doc.text is not None:
        h.update(doc.text.encode("utf-8", "surrogatepass"))
    for k in sorted(doc.fields):
        h.update(f"\x1f{k}\x1e{doc.fields[k]}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- sources ---------------------------------------------------------------------------------
#: Files taken from a folder by the fallback reader (named files are always tried).
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text")


def _fallback_documents(sources: Iterable[str | Path]) -> Iterator[Document | Failure]:
    """Files and folders (recursively) when `warta.sources.iter_documents` is not available."""
    from warta.sources.files import FileReadError, document_from_path

    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.name.lower().removesuffix(".gz").endswith(PAGE_SUFFIXES)
            )
        elif path.exists() or str(path) == "-":
            files = [path]
        else:
            yield Failure(source=str(source), reason="no such file or folder")
            continue
        for file in files:
            try:
                yield document_from_path(file)
            except FileReadError as exc:
                yield Failure(source=str(file), reason=str(exc))


def iter_inputs(sources: Iterable[str | Path | Document], **options: Any) -> Iterator[Document | Failure]:
    """Documents from paths, URLs, feeds, WARCs (via `warta.sources.iter_documents` when it exists),
    with the inputs that could not be opened as `Failure`s instead of exceptions."""
    docs: list[Document] = []
    others: list[str | Path] = []
    for source in sources:
        (docs if isinstance(source, Document) else others).append(source)  # type: ignore[arg-type]
    yield from docs
    if not others:
        return
    try:
        from warta.sources import iter_documents  # type: ignore[attr-defined]
    except ImportError:
        yield from _fallback_documents(others)
        return
    for item in iter_documents([str(s) for s in others], **options):
        if isinstance(item, Document):
            yield item
        else:  # the sources stage reports an unreadable input as an object with source and reason
            yield Failure(source=str(getattr(item, "source", item)), reason=str(getattr(item, "reason", item)))


# -- read + understand (in worker processes) -------------------------------------------------
def process_document(doc: Document, analyze: bool, components: Sequence[str] | None = None) -> Article | Failure:
    """Read one document (and understand it): an Article, or a Failure with the reason."""
    from warta.read import read_document

    where = doc.source or doc.url or "<document>"
    try:
        article = read_document(doc)
        if not article.body and not article.title:
            return Failure(source=where, reason="no article text found")
        if analyze:
            from warta.understand import DEFAULT_PIPELINE
            from warta.understand import analyze as analyze_article

            article = analyze_article(article, components or DEFAULT_PIPELINE)
        if not article.id:
            article = msgspec.structs.replace(
                article,
                id=make_id(article.canonical_url or article.url, article.outlet, article.title, article.published_at),
            )
        return article
    except Exception as exc:  # a bug or a pathological input must not stop the run: report it
        return Failure(source=where, reason=f"{type(exc).__name__}: {exc}")


def _process_chunk(
    chunk: list[tuple[str, Document]], analyze: bool, components: Sequence[str] | None
) -> list[tuple[str, Article | Failure]]:
    return [(key, process_document(doc, analyze, components)) for key, doc in chunk]


class Pipeline:
    """sources -> read -> understand -> group -> store.

    ``store``: a `Store`, or a URL/path for `warta.store.open_store` (None: the default SQLite file).
    ``analyze``: run the understand stage (entities, quotes, sources, keywords). ``group``: run the
    group stage (duplicates, syndication, stories). ``workers``: processes for read+understand
    (default: one per core; 1 runs everything in this process). ``resume``: skip documents an earlier
    run already stored. ``source_options`` go to `warta.sources.iter_documents` (e.g. ``columns``).
    """

    def __init__(
        self,
        store: Store | str | Path | None = None,
        *,
        analyze: bool = True,
        group: bool = True,
        workers: int | None = None,
        batch_size: int = 250,
        resume: bool = True,
        components: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        **source_options: Any,
    ) -> None:
        if isinstance(store, Store):
            self.store = store
            self._owns_store = False
        else:
            from warta.store import open_store

            self.store = open_store(store)
            self._owns_store = True
        self.analyze = analyze
        self.group = group
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.batch_size = max(1, batch_size)
        self.resume = resume
        self.components = tuple(components) if components else None
        self.progress = progress
        self.source_options = source_options

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the run ---------------------------------------------------------------------------
    def run(self, sources: Iterable[str | Path | Document], cluster: Any = None) -> IngestReport:
        """Ingest every source; returns counts and the inputs that failed (with reasons)."""
        if cluster is not None:
            try:
                from warta.pipeline_dask import run_dask  # type: ignore[import-not-found,unused-ignore]
            except ImportError:
                raise RuntimeError("the Dask runner (warta.pipeline_dask) is not available in this install") from None
            report: IngestReport = run_dask(self, sources, cluster)
            return report
        import time

        started = time.perf_counter()
        counts = IngestCounts()
        failures: list[Failure] = []
        grouper = self._grouper()
        batch: list[tuple[str, Article]] = []

        def flush() -> None:
            if batch:
                self._write(batch, grouper, counts)
                batch.clear()
            self._tick(counts)

        for key, result in self._results(iter_inputs(sources, **self.source_options), counts, failures):
            if isinstance(result, Failure):
                counts.failed += 1
                failures.append(result)
                self._tick(counts)
                continue
            counts.read += 1
            article = grouper.add(result) if grouper is not None else result
            if article.duplicate_of:
                counts.duplicate += 1
            batch.append((key, article))
            if len(batch) >= self.batch_size:
                flush()
        flush()
        return IngestReport(counts=counts, failures=failures, seconds=round(time.perf_counter() - started, 3))

    def _tick(self, counts: IngestCounts) -> None:
        if self.progress is not None:
            self.progress(counts)

    def _grouper(self) -> Any:
        if not self.group:
            return None
        from warta.group import Grouper

        return Grouper.loads(self.store.get_state("group"), fetch=self.store.get_article)

    def _keyed(
        self, items: Iterator[Document | Failure], counts: IngestCounts, failures: list[Failure]
    ) -> Iterator[list[tuple[str, Document]]]:
        """Documents with their keys, in chunks, leaving out the ones already stored."""
        pending: list[tuple[str, Document]] = []
        for item in items:
            if isinstance(item, Failure):
                counts.failed += 1
                failures.append(item)
                self._tick(counts)
                continue
            pending.append((document_key(item), item))
            if len(pending) >= 64:
                yield from self._unseen(pending, counts)
                pending = []
        if pending:
            yield from self._unseen(pending, counts)

    def _unseen(self, pending: list[tuple[str, Document]], counts: IngestCounts) -> Iterator[list[tuple[str, Document]]]:
        seen = self.store.seen_documents([k for k, _ in pending]) if self.resume else set()
        fresh = [(k, d) for k, d in pending if k not in seen]
        counts.skipped += len(pending) - len(fresh)
        if len(pending) != len(fresh):
            self._tick(counts)
        for start in range(0, len(fresh), 8):
            yield fresh[start : start + 8]

    def _results(
        self, items: Iterator[Document | Failure], counts: IngestCounts, failures: list[Failure]
    ) -> Iterator[tuple[str, Article | Failure]]:
        chunks = self._keyed(items, counts, failures)
        if self.workers <= 1:
            for chunk in chunks:
                yield from _process_chunk(chunk, self.analyze, self.components)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        inflight: deque[Future[list[tuple[str, Article | Failure]]]] = deque()
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            for chunk in chunks:
                inflight.append(pool.submit(_process_chunk, chunk, self.analyze, self.components))
                while len(inflight) >= self.workers * 4:
                    yield from inflight.popleft().result()
            while inflight:
                yield from inflight.popleft().result()

    def _write(self, batch: list[tuple[str, Article]], grouper: Any, counts: IngestCounts) -> None:
        articles = [a for _, a in batch]
        state: dict[str, bytes] = {}
        if grouper is not None:
            # earlier articles whose links changed (a new original arrived, groups merged)
            updates = {links.id: links for links in grouper.take_updates()}
            if updates:
                in_batch = {a.id: i for i, a in enumerate(articles)}
                stored = self.store.get_articles([i for i in updates if i not in in_batch])
                for old in stored:
                    articles.append(old)
                    in_batch[old.id] = len(articles) - 1
                for article_id, links in updates.items():
                    if article_id in in_batch:
                        i = in_batch[article_id]
                        articles[i] = msgspec.structs.replace(
                            articles[i],
                            duplicate_of=links.duplicate_of,
                            syndication=links.syndication,
                            story_id=links.story_id,
                        )
            state["group"] = grouper.dumps()
        result = self.store.upsert_articles(articles, documents=[k for k, _ in batch], state=state)
        counts.new += result.new
        counts.updated += result.updated
        counts.unchanged += result.unchanged
        if grouper is not None:
            stories = grouper.stories(changed=True)
            if stories:
                self.store.put_stories(StoryMeta(id=s.id, title=s.title) for s in stories)


def ingest(
    sources: Iterable[str | Path | Document], store: Store | str | Path | None = None, **options: Any
) -> IngestReport:
    """One-call ingest: ``Pipeline(store, **options).run(sources)``."""
    with Pipeline(store, **options) as pipeline:
        return pipeline.run(sources)
