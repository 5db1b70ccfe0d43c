"""Property tests: the HTML reader and the WARC reader never crash, whatever they are given.

A few thousand cases run here; bench/fuzz.py runs over 100,000 with time and memory limits.
"""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

from bench.fuzz import random_page, random_warc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.read import read_document
from warta.record import to_json
from warta.sources.document import Document
from warta.sources.failure import SourceFailure
from warta.sources.warc import iter_warc

FIXTURE = (Path(__file__).parent / "data" / "html" / "isubogor-like.html").read_bytes()

def _check(doc: Document) -> None:
    art = read_document(doc)
    assert to_json(art)
    assert all(isinstance(p, str) and p and p == p.strip() for p in art.body)
    if art.published_at:
        assert art.published_at[:4].isdigit()


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.sampled_from([None, "https://isubogor.pikiran-rakyat.com/a/b", "http://x", "not a url"]))
def test_html_reader_never_crashes(seed: int, url: str | None) -> None:
    """Tag soup from the fuzz bench's grammar (bench/fuzz.py), one page per seed."""
    page, ctype, encoding = random_page(random.Random(seed))
    if isinstance(page, str):
        _check(Document(text=page, url=url, content_type=ctype))
    else:
        _check(Document(data=page, url=url, content_type=ctype, encoding=encoding))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/plain"]), st.sampled_from([None, "utf-8", "latin-1", "bogus"]))
def test_any_bytes(data: bytes, ctype: str | None, encoding: str | None) -> None:
    _check(Document(data=data, content_type=ctype, encoding=encoding))


@settings(max_examples=500, deadline=None)
@given(st.integers(0, len(FIXTURE)), st.lists(st.tuples(st.integers(0, len(FIXTURE) - 1), st.integers(0, 255)), max_size=20))
def test_mutated_real_page(cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(FIXTURE[:cut] if cut else FIXTURE)
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    _check(Document(data=bytes(data), content_type="text/html"))


def _warc(pages: list[bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for i, page in enumerate(pages):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://x.test/{i}", "response", payload=io.BytesIO(page), http_headers=http))
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32))
def test_random_warc_files(seed: int) -> None:
    for item in iter_warc(Path("fuzz.warc"), stream=io.BytesIO(random_warc(random.Random(seed)))):
        assert isinstance(item, Document | SourceFailure)
        if isinstance(item, Document):
            read_document(item)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.binary(max_size=300), min_size=1, max_size=4),
    st.booleans(),
    st.integers(0, 4000),
    st.lists(st.tuples(st.integers(0, 3999), st.integers(0, 255)), max_size=8),
)
def test_warc_reader_never_crashes(pages: list[bytes], gz: bool, cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(_warc(pages))
    if gz:
        data = bytearray(gzip.compress(bytes(data)))
    if cut and cut < len(data):
        data = data[:cut]
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    items = list(iter_warc(Path("fuzz.warc"), stream=io.BytesIO(bytes(data))))
    for item in items:
        assert isinstance(item, Document | SourceFailure)
        if isinstance(item, Document):
            read_document(item)


def test_truncated_warc_reports_and_keeps_the_rest() -> None:
    pages = [b"<html><body><p>" + bytes(str(i), "ascii") * 200 + b"</p></body></html>" for i in range(3)]
    data = _warc(pages)
    cut = data[: len(data) - 100]  # the last record loses its end
    items = list(iter_warc(Path("t.warc"), stream=io.BytesIO(cut)))
    docs = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, SourceFailure)]
    assert [d.url for d in docs] == ["http://x.test/0", "http://x.test/1"]
    assert len(failures) == 1 and "truncated" in failures[0].reason and "x.test/2" in failures[0].source
