"""`warmonitor merge` and `warmonitor split`: an analyst's decision about incidents, from the command line.

The same decisions as the dashboard's and the API's (`IncidentStore.decide_incidents`): recorded with a
reason in the audit trail, tied to article keys, replayed on every linking run, so that `link --rebuild`
and `reprocess` keep them. The command links again at once, as the server does, so that the analyst sees
the incidents that result. Like the server, it links with the default `LinkSettings`, as `warmonitor
link` and ingest do; a store linked from Python with other settings is linked with those again by
`link_incidents(store, rebuild=True, settings=...)`.
"""
from __future__ import annotations

from typing import Optional

import click
import typer

from warmonitor.cli.options import DB_HELP, error_console, open_store, store_errors

SOURCES_HELP = "Article keys or incident ids (an incident stands for all its articles), as `incidents -f jsonl` lists them."


def register(app: typer.Typer) -> None:
    app.command()(merge)
    app.command()(split)


def merge(
    sources: list[str] = typer.Argument(..., metavar="ARTICLE_OR_INCIDENT", help=SOURCES_HELP),
    reason: str = typer.Option(..., "--reason", help="Why these reports are one event (kept in the audit trail)."),
    by: Optional[str] = typer.Option(None, "--by", help="Who decides (the audit trail's name)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Record a merge across countries without asking."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Record that these articles or incidents report one event, then link again. Kept through
    `link --rebuild` and `reprocess`; a merge across countries asks for confirmation."""
    from warmonitor.store.incidents import NeedsConfirmation

    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err):
        keys = _sources(store, sources, err)
        try:
            decided = [store.decide_incidents("merge", keys, reason, by=by, confirmed=yes)]
        except NeedsConfirmation as exc:
            try:
                confirmed = typer.confirm(f"{exc}. Record the merge?", default=False, err=True)
            except click.exceptions.Abort:
                confirmed = False
            if not confirmed:
                err.print(f"warmonitor: merge not recorded: {exc} (add --yes to record it)", markup=False)
                raise typer.Exit(1) from None
            decided = [store.decide_incidents("merge", keys, reason, by=by, confirmed=True)]
        except ValueError as exc:
            _fail(err, exc)
    _relink(store, err, "merge", decided, keys)


def split(
    sources: list[str] = typer.Argument(..., metavar="ARTICLE", help="Article keys (or incident ids, for "
                                                                        "reports never to be joined)."),
    reason: str = typer.Option(..., "--reason", help="Why these reports are separate events (kept in the audit trail)."),
    from_incident: Optional[str] = typer.Option(None, "--from", metavar="INCIDENT",
                                                help="Take these articles out of this incident: each is kept apart "
                                                     "from each of its other articles, which stay together."),
    by: Optional[str] = typer.Option(None, "--by", help="Who decides (the audit trail's name)."),
    db: Optional[str] = typer.Option(None, "--db", envvar="WARMONITOR_DB", help=DB_HELP),
) -> None:
    """Record that these articles never report one event (or take them out of an incident with --from),
    then link again. Kept through `link --rebuild` and `reprocess`."""
    err = error_console()
    store = open_store(db, err, create=False)
    with store_errors(err):
        keys = _sources(store, sources, err)
        if from_incident is None:
            groups = [keys]
        else:
            members = _sources(store, [from_incident], err)
            outside = [k for k in keys if k not in members]
            if outside:
                _fail(err, f"article {outside[0]!r} is not an article of incident {from_incident!r}")
            rest = [m for m in members if m not in keys]
            if not rest:
                _fail(err, "leave at least one article in the incident: name only the ones to take out")
            groups = [[moved, kept] for moved in keys for kept in rest]
            keys = members
        try:
            decided = [store.decide_incidents("split", group, reason, by=by) for group in groups]
        except ValueError as exc:
            _fail(err, exc)
    _relink(store, err, "split", decided, keys)


def _sources(store, names: list[str], err) -> list[str]:
    try:
        return store.incident_sources([n.strip() for n in names if n.strip()])
    except ValueError as exc:
        _fail(err, exc)


def _fail(err, message) -> None:
    err.print(f"warmonitor: {message}", markup=False)
    raise typer.Exit(2)


def _relink(store, err, action: str, decided: list[int], keys: list[str]) -> None:
    """Link again (the decision dropped its articles' incidents) and say where the articles are now."""
    from warmonitor.usecases.link import link_incidents

    ids = ", ".join(str(d) for d in decided)
    err.print(f"{action} recorded (decision {ids})", markup=False)
    with store_errors(err):
        link_incidents(store)
        records = store.incidents_of(keys)
    for record in records:
        members = [a for a in record.get("articles") or () if a in keys]
        print(f"{record['id']}\t{record.get('status') or ''}\t{', '.join(members)}")
