"""The run's progress on the terminal: tasks, articles/s, failures and retries, then the store load."""

from __future__ import annotations

import sys
import time
from typing import Any


class RunDisplay:
    """A rich live display on stderr (or nothing when ``enabled`` is false)."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Any = None
        self._bar: Any = None
        self._started = time.perf_counter()
        self.articles = 0
        self.failures = 0
        self.retries = 0

    def __enter__(self) -> RunDisplay:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description:<18}"),
                BarColumn(bar_width=24),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def phase(self, description: str, total: int | None) -> None:
        """Start a new line of the display (tasks, near-duplicates, store)."""
        self._started = time.perf_counter()
        self.articles = 0
        if self._progress is not None:
            self._bar = self._progress.add_task(description, total=total, info="")

    def _info(self) -> str:
        rate = self.articles / max(1e-9, time.perf_counter() - self._started)
        return f"{self.articles:,} articles  {rate:,.1f}/s  failures {self.failures}  retries {self.retries}"

    def advance(self, steps: int = 1, articles: int = 0, failures: int = 0) -> None:
        self.articles += articles
        self.failures += failures
        if self._progress is not None and self._bar is not None:
            self._progress.update(self._bar, advance=steps, info=self._info())

    def retried(self) -> None:
        self.retries += 1
        self.advance(0)

    def note(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)

    def done(self) -> None:
        if self._progress is not None and self._bar is not None:
            task = self._progress.tasks[-1]
            if task.total is None:
                self._progress.update(self._bar, total=1, completed=1)
