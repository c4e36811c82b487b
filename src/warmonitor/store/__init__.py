"""Storage of extraction results in SQLite or PostgreSQL, with packaged Alembic migrations.

    store = Store("postgresql+psycopg://user:pass@host/db")   # or a path, or None: $WARMONITOR_DB
    store.upgrade()
    summary = store.save(pipeline.extract_many(articles), extractor_version="0.1.0")
    store.facts(type="casualty", admin1="Idlib", since="2024-01-01")
"""
from __future__ import annotations

from .engine import StoreError
from .rows import canonical_url, content_hash
from .store import SaveSummary, Store

__all__ = ["SaveSummary", "Store", "StoreError", "canonical_url", "content_hash"]
