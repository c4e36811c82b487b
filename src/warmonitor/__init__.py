"""warmonitor: conflict and humanitarian news in, a sourced, structured record of facts out.

From Python (docs/python.md): `warmonitor.extract(text, published=..., outlet=...)` gives an article's
fact records; `warmonitor.open(db_url)` a database to ingest into and query, `.facts(...)` as records
or a pandas DataFrame; `warmonitor.Pipeline()` one extractor to reuse for many texts. They load on
first use, so `import warmonitor` itself loads nothing heavy (no spaCy, SQLAlchemy or pandas).
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"
__all__ = ["Database", "Pipeline", "__version__", "extract", "open"]

_LAZY = {"extract": "warmonitor.api", "open": "warmonitor.api", "Database": "warmonitor.api",
         "Pipeline": "warmonitor.pipeline"}


def __getattr__(name: str) -> object:  # not typing.Any: importing typing would triple `import warmonitor`
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'warmonitor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


# The fact modules' subpackage is called `extract` too, and importing a subpackage binds its name in
# its parent, which would hide the function for good once anything extracted. So it is imported now
# (it is empty) and the name given back to the function: `warmonitor.extract` is the function, and
# `from warmonitor.extract.casualty import ...` works as ever.
import_module("warmonitor.extract")
del globals()["extract"]
