"""`warta duplicates` and `warta stories`: who copied whom, and what happened across outlets."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from warta.commands.store import DbOption, _open_existing

FormatOption = Annotated[str, typer.Option("--format", "-f", help="text (default) or json.")]


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")


def _day(iso: str | None) -> str:
    return (iso or "?")[:16].replace("T", " ")


def duplicates(
    query: Annotated[str | None, typer.Argument(help="Only articles matching this search (the search syntax).")] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many groups.")] = 20,
    fmt: FormatOption = "text",
) -> None:
    """Groups of copies: exact and near duplicates and rewrites of one piece, the original first.

    Examples:

      warta duplicates

      warta duplicates "Purbaya" --format json
    """
    import msgspec

    from warta.group.listing import copy_groups

    _check_format(fmt)
    with _open_existing(db) as store:
        groups = copy_groups(store, query, limit=limit)
    if fmt == "json":
        sys.stdout.write(msgspec.json.encode(groups).decode() + "\n")
        return
    if not groups:
        print("no duplicates found" + (f" for {query!r}" if query else ""))
        return
    for group in groups:
        wire = f"  (wire: {group.wire_source})" if group.wire_source else ""
        print(f"{group.id}: {len(group.members)} articles{wire}")
        for copy in group.members:
            diff = f"  +{copy.added}/-{copy.removed} sentences" if copy.kind != "original" else ""
            print(f"  {copy.kind:<9} {_day(copy.published_at)}  {copy.outlet or '?'}: {copy.title or copy.id}{diff}")
        print()


def stories(
    since: Annotated[
        str | None, typer.Option(help="Only stories with an article this recent: 24h, 7d, 30m, or a date.")
    ] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many stories.")] = 20,
    min_articles: Annotated[int, typer.Option(help="Only stories with at least this many articles.")] = 2,
    fmt: FormatOption = "text",
) -> None:
    """Stories: articles about one event across outlets, with the first report and the outlets.

    Examples:

      warta stories --since 24h

      warta stories --since 2025-10-20 --format json
    """
    import msgspec

    from warta.group.listing import parse_since

    _check_format(fmt)
    try:
        since_iso = parse_since(since, datetime.now(UTC))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
    with _open_existing(db) as store:
        found = [s for s in store.list_stories(since=since_iso, limit=limit * 4) if s.articles >= min_articles]
    found = found[:limit]
    if fmt == "json":
        sys.stdout.write(msgspec.json.encode(found).decode() + "\n")
        return
    if not found:
        print("no stories found" + (f" since {since_iso}" if since_iso else ""))
        return
    for story in found:
        outlets = ", ".join(story.outlets[:6]) + (" ..." if len(story.outlets) > 6 else "")
        print(f"{story.title or story.id}")
        print(f"  {story.articles} articles, {len(story.outlets)} outlets ({outlets}); "
              f"{_day(story.first_published)} .. {_day(story.last_published)}")
        if story.first_article is not None:
            first = story.first_article
            print(f"  first report: {first.outlet or '?'}, {_day(first.published_at)}: {first.title or first.id}")
        print(f"  id: {story.id}")
        print()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the `warta` app."""
    app.command()(duplicates)
    app.command()(stories)
