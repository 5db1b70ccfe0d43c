"""Run every benchmark, then assemble docs/BENCHMARKS.md from the per-area reports in docs/bench/."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"__main__", "common"}


def assemble() -> None:
    parts = sorted((ROOT / "docs" / "bench").glob("*.md"))
    out = [
        "# Benchmarks\n",
        "Every figure below was produced by the command written beside it, on the project's 2-core machine. "
        "`make bench` runs them all and rebuilds this page from docs/bench/*.md. Speed is given as ratios against "
        "peers run side by side in the same run; absolute numbers are noisy on a shared machine.\n",
    ]
    out += [p.read_text(encoding="utf-8").rstrip() + "\n" for p in parts]
    (ROOT / "docs" / "BENCHMARKS.md").write_text("\n".join(out), encoding="utf-8")


def main() -> int:
    only = sys.argv[1:]
    names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in SKIP]
    failed = []
    for name in sorted(names):
        if only and name not in only:
            continue
        importlib.import_module(f"bench.{name}")  # import errors fail fast
        print(f"== bench.{name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=ROOT) != 0:
            failed.append(name)
    assemble()
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
