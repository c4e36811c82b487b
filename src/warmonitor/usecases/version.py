"""The version facts are stored under: it changes when the code or the language data changes."""
from __future__ import annotations

import hashlib
from importlib import resources

from warmonitor import __version__


def extractor_version() -> str:
    """The package version plus a digest of the language data, so a lexicon change counts as a new extractor
    (`warmonitor reprocess` records it; analysts can tell facts of an older extractor apart). Every file
    under `data/` counts, word lists (`data/words/`) and the gazetteer index included: each changes what
    is extracted."""
    digest = hashlib.sha256()
    for name, path in sorted(_data_files(resources.files("warmonitor") / "data", "")):
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def _data_files(folder, prefix: str):
    for entry in folder.iterdir():
        if entry.is_file():
            yield prefix + entry.name, entry
        elif entry.is_dir() and entry.name != "__pycache__":
            yield from _data_files(entry, f"{prefix}{entry.name}/")
