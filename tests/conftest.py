"""Shared test fixtures: where ../shared/data is, PostgreSQL and Chromium when CI provides them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WARTA_SHARED", REPO.parent / "shared")).resolve()
DATA = SHARED / "data"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: the real corpora (read in place, never copied into the repo)."""
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA} (set WARTA_SHARED)")
    return DATA


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A PostgreSQL URL for real-server tests. In CI a missing server is a failure, not a skip."""
    url = os.environ.get("WARTA_TEST_PG_URL")
    if not url:
        if IN_CI:
            pytest.fail("WARTA_TEST_PG_URL is not set: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL (set WARTA_TEST_PG_URL, as .ci/run does)")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Debian Chromium used by browser tests. In CI a missing browser is a failure."""
    path = os.environ.get("WARTA_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        if IN_CI:
            pytest.fail(f"Chromium not found at {path}: .ci/run must install it")
        pytest.skip(f"no Chromium at {path}")
    return path
