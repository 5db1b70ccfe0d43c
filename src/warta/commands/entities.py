"""`warta entities`: list, inspect, merge and un-merge the entities of a store, and suggest merges."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import msgspec
import typer

entities_app = typer.Typer(
    help="List, inspect, merge and un-merge the people, organisations and places of a store.",
    no_args_is_help=True,
)

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite path or postgresql:// URL (default: the user's store).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table or json.")]


def _open(db: str | None) -> Any:
    from warta.store import StoreError, open_store

    try:
        return open_store(db)
    except StoreError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None


def _json(obj: Any) -> None:
    sys.stdout.write(json.dumps(msgspec.to_builtins(obj), ensure_ascii=False, indent=2) + "\n")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise typer.BadParameter("use table or json", param_hint="--format")


@entities_app.command("list")
def list_entities(
    type: Annotated[str | None, typer.Option("--type", "-t", help="PER, ORG or LOC.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Names with a word starting with this.")] = None,
    limit: Annotated[int, typer.Option(help="How many.")] = 50,
    db: DbOpt = None,
    format: FormatOpt = "table",
) -> None:
    """Entities of the store, most articles first (merged ones folded in).

    Example: warta entities list --type PER --q putin
    """
    _check_format(format)
    if type is not None and type.upper() not in ("PER", "ORG", "LOC"):
        raise typer.BadParameter("use PER, ORG or LOC", param_hint="--type")
    with _open(db) as store:
        rows = store.list_entities(type=type.upper() if type else None, q=q, limit=limit)
    if format == "json":
        _json(rows)
        return
    for r in rows:
        roles = f"  [{'; '.join(r.roles[:2])}]" if r.roles else ""
        print(f"{r.id:<40} {r.type:<4} {r.articles:>5} art {r.mentions:>6} men  {r.name}{roles}")


@entities_app.command("show")
def show(
    entity_id: Annotated[str, typer.Argument(help="An entity id, such as per-vladimir-putin.")],
    db: DbOpt = None,
    format: FormatOpt = "table",
) -> None:
    """One entity: its names, roles, merges (with why) and the articles naming it."""
    _check_format(format)
    with _open(db) as store:
        ent = store.get_entity(entity_id)
        if ent is None:
            print(f"warta: no entity {entity_id!r} (try `warta entities list --q NAME`)", file=sys.stderr)
            raise typer.Exit(1)
        data = {
            "entity": ent,
            "aliases": store.aliases(ent.id),
            "merges": store.merges(ent.id),
            "articles": store.entity_mentions(ent.id, limit=20),
            "co_entities": store.co_entities(ent.id, limit=10),
        }
    if format == "json":
        _json(data)
        return
    print(f"{ent.name}  ({ent.type}, {ent.id})")
    if entity_id != ent.id:
        print(f"  ({entity_id} was merged into it)")
    print(f"  {ent.articles} articles, {ent.mentions} mentions, {ent.quotes} quotes; first {ent.first_seen}, last {ent.last_seen}")
    if ent.roles:
        print("  roles: " + "; ".join(ent.roles))
    if data["aliases"]:
        print("  also: " + ", ".join(f"{a.name}" + (f" (merge #{a.merge_id})" if a.merge_id else "") for a in data["aliases"]))
    for m in data["merges"]:
        state = f"undone {m.undone_at}" if m.undone_at else "active"
        print(f"  merge #{m.id}: {m.merge} -> {m.keep}  [{state}]  because {m.reason}")
    for em in data["articles"]:
        art = em.article
        print(f"  - {getattr(art, 'published_at', '') or ''}  {getattr(art, 'title', '') or art.id}  ({em.name}{', ' + em.role if em.role else ''})")


@entities_app.command("merge")
def merge(
    keep: Annotated[str, typer.Argument(help="The entity id to keep.")],
    other: Annotated[str, typer.Argument(help="The entity id to fold into it.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "merged by hand",
    db: DbOpt = None,
) -> None:
    """Fold one entity into another; prints the merge id (undo with `warta entities undo ID`)."""
    from warta.store import NotFound

    with _open(db) as store:
        try:
            merge_id = store.merge_entities(keep, other, reason=reason, evidence={"by": "hand"})
        except (NotFound, ValueError) as exc:
            print(f"warta: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
    print(f"merge #{merge_id}: {other} -> {keep}")


@entities_app.command("undo")
def undo(
    merge_id: Annotated[int, typer.Argument(help="The merge id (see `warta entities show` or `history`).")],
    db: DbOpt = None,
) -> None:
    """Undo a merge: the entities it moved point where they pointed before."""
    from warta.store import NotFound

    with _open(db) as store:
        try:
            store.undo_merge(merge_id)
        except (NotFound, ValueError) as exc:
            print(f"warta: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
    print(f"merge #{merge_id} undone")


@entities_app.command("history")
def history(
    entity_id: Annotated[str | None, typer.Argument(help="Only merges touching this entity.")] = None,
    db: DbOpt = None,
    format: FormatOpt = "table",
) -> None:
    """The merge audit trail, newest first: who was merged into whom, why, and whether it was undone."""
    _check_format(format)
    with _open(db) as store:
        rows = store.merges(entity_id)
    if format == "json":
        _json(rows)
        return
    for m in rows:
        state = f"undone {m.undone_at}" if m.undone_at else "active"
        print(f"#{m.id:<5} {m.created_at:<26} {m.merge} -> {m.keep}  [{state}]  {m.reason}")


@entities_app.command("suggest")
def suggest(
    type: Annotated[str | None, typer.Option("--type", "-t", help="PER, ORG or LOC.")] = None,
    limit: Annotated[int, typer.Option(help="How many entities to compare (most frequent first).")] = 5000,
    apply_: Annotated[bool, typer.Option("--apply", help="Merge every suggestion (each is recorded and can be undone).")] = False,
    db: DbOpt = None,
    format: FormatOpt = "table",
) -> None:
    """Suggest merges (spelling variants, exonyms, short forms), each with the evidence for it."""
    from warta.understand.aliases import apply, suggest_merges

    _check_format(format)
    with _open(db) as store:
        suggestions = suggest_merges(store, type=type.upper() if type else None, limit=limit)
        merge_ids = apply(store, suggestions) if apply_ else []
    if format == "json":
        rows = [dict(s.__dict__) for s in suggestions]
        for row, mid in zip(rows, merge_ids, strict=False):
            row["merge_id"] = mid
        _json(rows)
        return
    if not suggestions:
        print("no merge suggestions")
    for n, s in enumerate(suggestions):
        done = f"  -> merge #{merge_ids[n]}" if apply_ else ""
        print(f"{s.score:4.2f}  {s.merge_name} ({s.merge}) -> {s.keep_name} ({s.keep})  because {s.reason}{done}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the `warta` app."""
    app.add_typer(entities_app, name="entities")
