"""Dumps saved as Markdown (html2text, Jina-style readers, some scrapers): back to plain lines and a link map.

Headings (#), emphasis (** __), images, and inline links are unwrapped, so the text reader's rules see the same
lines a plain dump has; link targets are kept (title -> URL) so that "Baca Juga" inserts keep their URLs.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?((?:[^()\s]|\([^()]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_UNDERSCORE = re.compile(r"(?<!\w)_([^_\n]+?)_(?!\w)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_SIGNALS = re.compile(r"\]\((?:https?:|/)|^#{1,6} |\*\*\S", re.M)


def looks_like_markdown(text: str) -> bool:
    """True when a dump carries Markdown markup (links with targets, # headings, **bold**)."""
    return len(_SIGNALS.findall(text[:200_000])) >= 3


def demarkdown(text: str) -> tuple[str, dict[str, str]]:
    """Plain text of a Markdown dump, and the links it held (link text -> URL)."""
    links: dict[str, str] = {}

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2).strip()
        label = _EMPHASIS.sub(r"\2", label)
        if label and url and not url.startswith(("javascript:", "data:")):
            links.setdefault(label, url)
        return label

    out: list[str] = []
    for line in text.splitlines():
        if _REF_DEF.match(line):
            continue
        line = _IMAGE.sub(lambda m: "", line)
        line = _LINK.sub(link, line)
        line = _HEADING.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        line = _UNDERSCORE.sub(r"\1", line)
        out.append(_ESCAPE.sub(r"\1", line))
    return "\n".join(out), links
