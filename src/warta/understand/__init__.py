"""Understand: fill an Article's entities, sources, quotes, keywords and summary.

A pipeline of small components, each a pure function ``Article -> Article``, looked up by name in
`COMPONENTS` (a registry, spaCy-style). `analyze` runs them in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from warta.record import Article

Component = Callable[[Article], Article]

#: name -> "module:function". Order matters: quotes resolve speakers against entities.
COMPONENTS: dict[str, str] = {
    "entities": "warta.understand.entities:add_entities",
    "sources": "warta.understand.citations:add_sources",
    "quotes": "warta.understand.quotes:add_quotes",
    "keywords": "warta.understand.keywords:add_keywords",
}
DEFAULT_PIPELINE: tuple[str, ...] = ("entities", "sources", "quotes", "keywords")

_loaded: dict[str, Component] = {}


def component(name: str) -> Component:
    """The component registered under ``name``."""
    if name not in _loaded:
        try:
            target = COMPONENTS[name]
        except KeyError:
            raise ValueError(f"unknown understand component {name!r}; known: {', '.join(COMPONENTS)}") from None
        module, func = target.split(":")
        _loaded[name] = getattr(importlib.import_module(module), func)
    return _loaded[name]


def analyze(article: Article, components: Sequence[str] = DEFAULT_PIPELINE) -> Article:
    """Run the understand components over one article and return the filled-in record."""
    for name in components:
        article = component(name)(article)
    return article


__all__ = ["COMPONENTS", "DEFAULT_PIPELINE", "analyze", "component"]
