"""Demo set-up: the example articles shipped with warmonitor stored, and an analyst account to review them.

`warmonitor demo` runs this on a fresh database and serves it; anyone can try the dashboard, review
included, without articles or accounts of their own.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from importlib import resources

from sqlalchemy.orm import Session

from warmonitor.pipeline import Pipeline
from warmonitor.serve import accounts
from warmonitor.store import Store
from warmonitor.usecases.ingest import IngestSummary, OnResult, OnSkip, ingest_inputs

DEMO_USER = "demo"


@dataclass
class DemoSetup:
    """The ingest of the examples, and the analyst account made for the demo (a fresh password each time)."""

    ingest: IngestSummary
    user: str
    password: str


def set_up_demo(store: Store, *, pipeline: Pipeline | None = None, on_result: OnResult | None = None,
                on_skip: OnSkip | None = None) -> DemoSetup:
    """Ingest the shipped examples into `store` (an upgraded one) and add the demo analyst (replacing one
    left from an earlier demo in a kept database). Callbacks as for `ingest_inputs`."""
    with resources.as_file(resources.files("warmonitor") / "examples") as examples:
        summary = ingest_inputs(store, [str(examples)], pipeline=pipeline, on_result=on_result, on_skip=on_skip)
    password = "demo-" + secrets.token_urlsafe(6)
    with Session(store.engine) as session, session.begin():
        accounts.add_user(session, DEMO_USER, password, "analyst", replace=True)
    return DemoSetup(summary, DEMO_USER, password)
