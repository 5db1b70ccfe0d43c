"""`SourceFailure`: an input (or one record of it) that could not be turned into a `Document`."""

from __future__ import annotations

import msgspec


class SourceFailure(msgspec.Struct, frozen=True):
    """``source`` names what could not be read (a path, a URL, "file.warc.gz#12 URL"); ``reason`` says why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
