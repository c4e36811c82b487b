"""Import a full GeoNames country dump (geonames.org/export/dump/XX.zip or XX.txt) into the user's index.

The dump has one feature per line in GeoNames' 19 tab-separated columns (geonameid, name, asciiname,
alternatenames, latitude, longitude, feature class, feature code, country code, cc2, admin1..admin4,
population, elevation, dem, timezone, modification date). Kept: administrative divisions (class A),
populated places (P), spots such as camps, crossings and airports (S), areas (L), roads (R), mountains
and hills (T), and streams, lakes and reservoirs (H: STM, LK, RSV); wells, springs, wadis and vegetation
are left out. The result is written as `<XX>.tsv.gz` (the shipped index's format) in the user data dir
(`gazetteer.default_user_dir()`), where `Gazetteer()` finds it; importing the same country again
replaces it. Entries the shipped index already holds (same geonameid) are skipped when loading.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..data_files import data_path
from .gazetteer import default_user_dir, index_line, read_index, write_index

KEEP_CLASSES = frozenset("APSLRT")
KEEP_HYDRO = frozenset(["STM", "LK", "RSV", "LKS", "STMS"])
ADMIN_KINDS = MappingProxyType({"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country"})


class GazetteerImportError(ValueError):
    """A file that is not a GeoNames country dump; the message names the file (and line)."""


@dataclass(frozen=True)
class ImportResult:
    path: Path  # the index written
    places: int  # rows kept
    skipped: int  # rows of feature classes left out
    countries: tuple[str, ...]


def _latin(name: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def _admin1_names(index_path: Path | None = None) -> dict[str, str]:
    """'SY.12' -> 'Idlib', from the shipped index's first-level divisions."""
    lines, _ = read_index(index_path or data_path("gazetteer/places.tsv.gz"))
    out = {}
    for line in lines:
        f = line.split("\t", 6)
        if f[1] == "admin1":
            out[f[5]] = f[4]
    return out


def read_dump(path: Path) -> tuple[str, str]:
    """(member name, text) of a dump: the .txt itself, or the country file inside a GeoNames .zip."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                members = [n for n in z.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
                if not members:
                    raise GazetteerImportError(f"{path}: no GeoNames .txt file inside the zip")
                return members[0], z.read(members[0]).decode("utf-8")
        return path.name, path.read_bytes().decode("utf-8")
    except (OSError, zipfile.BadZipFile) as exc:
        raise GazetteerImportError(f"{path}: cannot read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise GazetteerImportError(f"{path}: not UTF-8 text (a GeoNames dump is UTF-8)") from exc


def parse_rows(path: Path, text: str, admin1: dict[str, str]):
    """Index lines for the kept rows of a dump; raises GazetteerImportError at the first bad line."""
    kept, skipped, countries = [], 0, set()
    for number, line in enumerate(io.StringIO(text), 1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        f = line.split("\t")
        if len(f) != 19:
            raise GazetteerImportError(f"{path}:{number}: not a GeoNames dump line (expected 19 tab-separated "
                                       f"columns, got {len(f)})")
        try:
            gid, lat, lon = int(f[0]), float(f[4]), float(f[5])
            population = int(f[14]) if f[14] else None
        except ValueError:
            raise GazetteerImportError(f"{path}:{number}: not a GeoNames dump line (geonameid, latitude, longitude "
                                       "or population is not a number)") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(f[8]) not in (0, 2):
            raise GazetteerImportError(f"{path}:{number}: not a GeoNames dump line (coordinates or country code "
                                       "out of range)")
        fclass, fcode, cc = f[6], f[7], f[8]
        if fclass not in KEEP_CLASSES and not (fclass == "H" and fcode in KEEP_HYDRO):
            skipped += 1
            continue
        if not f[1] or "|" in f[1]:
            skipped += 1
            continue
        countries.add(cc)
        code = f"{cc}.{f[10]}"
        kind = ADMIN_KINDS.get(fcode, "city" if fclass == "P" else "admin1" if fcode.startswith("ADM1") else
                               "admin2" if fcode.startswith("ADM2") else "feature")
        alts = [a for a in [f[2], *f[3].split(",")] if a and a != f[1] and "|" not in a and _latin(a)
                and any(c.isupper() for c in a) and not any(c.isdigit() for c in a) and len(a) <= 80]
        a1_name = admin1.get(code) if kind != "country" else None
        kept.append(index_line(gid, kind, fcode or fclass, cc, a1_name, code, lat, lon, population, f[1], alts))
    if not kept:
        raise GazetteerImportError(f"{path}: no places found (is this a GeoNames country dump?)")
    return kept, skipped, tuple(sorted(countries))


def import_dump(path: Path | str, data_dir: Path | str | None = None, index_path: Path | None = None) -> ImportResult:
    """Add a GeoNames country dump to the user index in `data_dir` (default `default_user_dir()`)."""
    path = Path(path)
    if not path.exists():
        raise GazetteerImportError(f"{path}: no such file")
    member, text = read_dump(path)
    lines, skipped, countries = parse_rows(path, text, _admin1_names(index_path))
    out_dir = Path(data_dir) if data_dir else default_user_dir()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = countries[0] if len(countries) == 1 and countries[0] else Path(member).stem
        out = out_dir / f"{stem}.tsv.gz"
        count = write_index(out, lines, f"source=GeoNames dump {member} (geonames.org, CC BY 4.0)")
    except OSError as exc:
        raise GazetteerImportError(f"{out_dir}: cannot write the user index: {exc}") from exc
    return ImportResult(out, count, skipped, countries)
