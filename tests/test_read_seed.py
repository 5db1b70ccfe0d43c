"""The seed page: `warta parse` must give exactly the values of the seed's expected record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warta.record import article_schema

SEED = "seed/isubogor-2022-02-15-putin-melunak"
FIELDS = ["title", "published_at", "outlet", "dateline", "language", "authors", "editors", "tags", "body", "related"]


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> tuple[dict, dict]:
    out = subprocess.run(
        [sys.executable, "-m", "warta.cli", "parse", str(shared_data / f"{SEED}.txt"), "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    expected = json.loads((shared_data / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    return json.loads(out.stdout), expected


@pytest.mark.parametrize("field", FIELDS)
def test_seed_field(parsed: tuple[dict, dict], field: str) -> None:
    got, expected = parsed
    assert got[field] == expected[field]


def test_seed_image(parsed: tuple[dict, dict]) -> None:
    got, expected = parsed
    for key, value in expected["image"].items():
        assert got["image"][key] == value


def test_seed_sources(parsed: tuple[dict, dict]) -> None:
    got, expected = parsed
    assert [(s["name"], s["kind"]) for s in got["sources"]] == [(s["name"], s["kind"]) for s in expected["sources"]]
    assert "Sumber: TASS" in got["sources"][0]["evidence"]


def test_seed_no_warnings_and_furniture_gone(parsed: tuple[dict, dict]) -> None:
    got, _ = parsed
    assert got["provenance"]["warnings"] == []
    text = "\n".join(got["body"])
    for furniture in ("Baca Juga", "***", "Editor:", "Sumber:", "Tags", "Terkini", "Terpopuler"):
        assert furniture not in text


def test_seed_validates_against_schema(parsed: tuple[dict, dict]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    got, _ = parsed
    jsonschema.validate(got, article_schema())


def test_schema_command_prints_the_versioned_schema() -> None:
    out = subprocess.run([sys.executable, "-m", "warta.cli", "schema"], capture_output=True, text=True, check=True)
    schema = json.loads(out.stdout)
    assert schema["title"] == "warta.article/1"
    assert "Article" in json.dumps(schema)
