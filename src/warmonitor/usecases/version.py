"""The version facts are stored under: it changes when the code or the language data changes."""
from __future__ import annotations

import hashlib
from importlib import resources

from warmonitor import __version__


def extractor_version() -> str:
    """The package version plus a digest of the language data, so a lexicon change counts as a new extractor
    (`warmonitor reprocess` records it; analysts can tell facts of an older extractor apart)."""
    digest = hashlib.sha256()
    data = resources.files("warmonitor") / "data"
    for name in sorted(p.name for p in data.iterdir() if p.is_file()):
        digest.update(name.encode())
        digest.update((data / name).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
