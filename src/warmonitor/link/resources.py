"""What every linker of a process shares: word lists and toll cues read from the data files once.

An ingest links each stored batch with a linker of its own (`usecases/link.py`), and a server links
after every analyst's decision; reading and compiling these lists for each of them cost more than
linking one report against a large store. They depend on the shipped data alone and never change,
so each is built on first use (never at import) and kept for the process, like the gazetteer's name
keys; a linker's mutable state (its incidents, its index) stays its own.
"""
from __future__ import annotations

from functools import cache

from ..data_files import load_words
from .evidence import TollCues, fold


@cache
def calendar_words() -> frozenset[str]:
    """Month and weekday names: they begin no headline place."""
    return frozenset(load_words("calendar", "months") + load_words("calendar", "weekdays"))


@cache
def story_labels() -> frozenset[str]:
    """Folded all-capital labels that open a story and are no dateline ("UPDATE —")."""
    return frozenset(fold(w) for w in load_words("not_places", "labels"))


@cache
def toll_cues() -> TollCues:
    """The toll-update, correction, part and stock wording (data/words/tolls.toml), compiled."""
    return TollCues.load()
