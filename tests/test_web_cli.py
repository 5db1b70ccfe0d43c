"""`warta serve` as a user runs it: a real process on a free loopback port, token file checks."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from warta.cli import app
from warta.record import Article, Entity, Mention, to_json
from web_support import free_port


def _jsonl(path: Path) -> Path:
    arts = [
        Article(id="a1", title="Banjir di Sentosa", outlet="Kabar Sentosa", published_at="2025-03-10T08:15:00+07:00",
                body=["Wali Kota Budi meminta warga waspada."],
                entities=[Entity(id="e1", name="Budi", type="PER",
                                 mentions=[Mention(paragraph=0, start=10, end=14, text="Budi")])]),
        Article(id="a2", title="Harga beras naik", outlet="WARTACONTOH.id", published_at="2025-03-11T09:00:00+07:00",
                body=["Harga beras naik lagi."]),
    ]
    path.write_bytes(b"\n".join(to_json(a) for a in arts) + b"\n")
    return path


def test_serve_process_answers_and_stops(tmp_path: Path) -> None:
    db = _jsonl(tmp_path / "a.jsonl")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "warta.cli", "serve", "--db", str(db), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                r = httpx.get(base + "/api/articles", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert [a["id"] for a in r.json()] == ["a2", "a1"]
        page = httpx.get(base + "/entity/per-budi").text
        assert "<h1>Budi</h1>" in page
        # read-only: no token configured
        assert httpx.post(base + "/api/entities/merge", json={"keep": "a", "merge": "b"}).status_code == 403
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"serving on http://127.0.0.1:{port}/" in err


def test_token_file_must_be_long_enough(tmp_path: Path) -> None:
    short = tmp_path / "token"
    short.write_text("abc\n")
    res = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "x.jsonl"), "--token-file", str(short)])
    assert res.exit_code == 2 and "at least 16 characters" in res.output
    res = CliRunner().invoke(app, ["serve", "--token-file", str(tmp_path / "missing")])
    assert res.exit_code == 2
