"""`warmonitor gazetteer ...`: import a GeoNames country dump, look a name up.

Registered by `warmonitor.cli` with `app.add_typer(gazetteer_app, name="gazetteer")`. Errors about an input are
one line on stderr naming it, and a non-zero exit status.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

gazetteer_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                            help="The place gazetteer: add a GeoNames country dump, look a name up.")


def _fail(message: str) -> None:
    typer.echo(f"warmonitor: {message}", err=True)
    raise typer.Exit(1)


@gazetteer_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A GeoNames country dump: XX.zip or XX.txt from geonames.org/export/dump/."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="User index folder (default: $WARMONITOR_DATA/"
                                            "gazetteer or ~/.local/share/warmonitor/gazetteer)."),
) -> None:
    """Add a full GeoNames country dump (villages, camps, mountains, roads) to the user gazetteer."""
    from warmonitor.resolve.gazetteer_import import GazetteerImportError, import_dump

    try:
        result = import_dump(file, data_dir)
    except GazetteerImportError as exc:
        _fail(str(exc))
    typer.echo(f"{result.places} places of {', '.join(result.countries)} imported into {result.path} "
               f"({result.skipped} features of other kinds left out)")


@gazetteer_app.command("lookup")
def lookup(
    name: str = typer.Argument(..., help="A place name as news prints it, e.g. \"Maarat al-Numan\"."),
    country: Optional[str] = typer.Option(None, "--country", "-c",
                                          help="ISO 3166 alpha-2 code of the article's country."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="User index folder, as for import."),
    limit: int = typer.Option(10, help="Show at most this many entries."),
) -> None:
    """Show the entries a name matches, the chosen one first."""
    from warmonitor.data_files import DataFileError
    from warmonitor.resolve.gazetteer import Gazetteer, normalize

    gazetteer = Gazetteer(user_dir=data_dir)
    try:
        best = gazetteer.resolve(name, country=country.upper() if country else None)
        entries = gazetteer.lookup(name)
    except DataFileError as exc:
        _fail(str(exc))
    if best is None and not entries:  # (a village counts only within a country: give --country to pick it)
        _fail(f"no place named {name!r} (key {normalize(name)!r})")
    entries = ([best] if best else []) + [p for p in entries if p != best]
    for place in entries[:limit]:
        where = ", ".join(x for x in (place.admin1, place.country) if x)
        coords = "no coordinates" if place.lat is None else f"{place.lat:.4f}, {place.lon:.4f}"
        pop = f", population {place.population:,}" if place.population else ""
        gid = f"geonameid {place.geonameid}" if place.geonameid else "curated" if place.kind == "curated" else \
            "no geonameid"
        if place.pcode:
            gid += f", p-code {place.pcode}"
        typer.echo(f"{place.name} ({place.kind} {place.feature_code}, {where}): {coords}{pop}; {gid}")
    if len(entries) > limit:
        typer.echo(f"... and {len(entries) - limit} more")
