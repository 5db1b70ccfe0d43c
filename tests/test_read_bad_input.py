"""Bad input gets a clear warning in provenance or an error naming the file, never a traceback, never silent loss."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from warta import parse

SEED = "seed/isubogor-2022-02-15-putin-melunak.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warta.cli", *args], capture_output=True, text=True, timeout=120)


def test_empty_file_is_named_and_exit_code_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("parse", str(empty))
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "empty input" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_binary_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 64)
    result = run("parse", str(binary))
    assert result.returncode == 1
    assert "photo.jpg" in result.stderr and "binary" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_good_file_together(tmp_path: Path, shared_data: Path) -> None:
    result = run("parse", str(tmp_path / "nope.txt"), str(shared_data / SEED), "--format", "jsonl")
    assert result.returncode == 1
    assert "nope.txt" in result.stderr and "no such file" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1 and records[0]["outlet"] == "ISU BOGOR"


def test_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path))
    assert result.returncode == 1 and "is a directory" in result.stderr


def test_usage_error_exit_code_2(shared_data: Path) -> None:
    result = run("parse", str(shared_data / SEED), "--format", "yaml")
    assert result.returncode == 2


def test_gzip_is_read_transparently(tmp_path: Path, shared_data: Path) -> None:
    packed = tmp_path / "seed.txt.gz"
    packed.write_bytes(gzip.compress((shared_data / SEED).read_bytes()))
    assert parse(packed).title == parse(shared_data / SEED).title


def test_broken_gzip_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "page.html.gz"
    broken.write_bytes(gzip.compress(b"<html><body><p>halo</p></body></html>" * 100)[:60])
    result = run("parse", str(broken))
    assert result.returncode == 1 and "page.html.gz" in result.stderr and "gzip" in result.stderr


def test_mojibake_is_repaired_with_a_warning(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / SEED).read_text(encoding="utf-8").replace("Sekedar diketahui", "Sekedar diketahui ± 2°")
    broken = tmp_path / "mojibake.txt"
    broken.write_bytes(text.encode("utf-8").decode("latin-1").encode("utf-8"))  # UTF-8 read as Latin-1, saved again
    article = parse(broken)
    assert any("mojibake" in w for w in article.provenance.warnings)
    assert any("± 2°" in p for p in article.body)


def test_latin1_file_is_read_with_a_warning(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / SEED).read_text(encoding="utf-8").replace("Moskow", "Moskôw")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(text.encode("cp1252", errors="replace"))
    article = parse(latin)
    assert any("Moskôw" in p for p in article.body)
    assert any("Windows-1252" in w for w in article.provenance.warnings)


def test_no_date_is_a_warning(tmp_path: Path, shared_data: Path) -> None:
    lines = (shared_data / SEED).read_text(encoding="utf-8").splitlines()
    undated = tmp_path / "undated.txt"
    undated.write_text("\n".join(line for line in lines if "WIB" not in line), encoding="utf-8")
    article = parse(undated)
    # The date line is gone; the day written in the body ("Selasa 15 Februari 2022") is used, and said so.
    assert article.published_at == "2022-02-15"
    assert "date: no date line; the day was taken from the body text" in article.provenance.warnings
    undated.write_text(undated.read_text(encoding="utf-8").replace(", Selasa 15 Februari 2022", ""), encoding="utf-8")
    article = parse(undated)
    assert article.published_at is None
    assert "date: no publication date found" in article.provenance.warnings
    assert len(article.body) == 13


def test_fifty_megabyte_file_is_read_in_part_with_a_warning(tmp_path: Path, shared_data: Path) -> None:
    seed = (shared_data / SEED).read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(seed.encode()) + 1):
            handle.write(seed + "\n\n")
    assert big.stat().st_size > 50_000_000
    result = run("parse", str(big), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert any(w.startswith("size: input is") for w in record["provenance"]["warnings"])
    assert record["title"] is not None


def test_front_page_is_flagged(shared_data: Path) -> None:
    from inscriptis import get_text

    from warta.read.decode import decode_document
    from warta.read.text import read_text
    from warta.sources.document import Document

    html, _ = decode_document(Document(data=(shared_data / "html/id-news-2015/kompas__kompas-mainpage.html").read_bytes()))
    text = get_text(html)
    article = read_text(text, Document(text=text))
    assert any("front page" in w for w in article.provenance.warnings)


def test_hostile_text_is_kept_as_text(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Judul <script>alert(1)</script> Berita\n\n15 Februari 2022, 16:11 WIB\n\n"
        "JAKARTA, KOMPAS.com - Paragraf berisi <img src=x onerror=alert(1)> yang harus tetap teks biasa saja.\n",
        encoding="utf-8",
    )
    article = parse(hostile, content_type="text/plain")
    assert article.body == ["Paragraf berisi <img src=x onerror=alert(1)> yang harus tetap teks biasa saja."]
    assert article.dateline.outlet == "KOMPAS.com" and article.outlet == "Kompas.com"
