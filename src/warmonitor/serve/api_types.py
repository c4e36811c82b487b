"""`GET /api/fact-types`: the fact types the server knows, so the dashboard needs no list of its own.

The answer is the package's declaration (`warmonitor.facttypes`), not anything in the database, so it
is open even when reading is private: the login page colours its badges with it too.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .. import facttypes

router = APIRouter(prefix="/api", tags=["fact types"])


@router.get("/fact-types", summary="The fact types, in display order, with their labels, fields and colours")
def fact_types() -> dict[str, Any]:
    return {"fact_types": [kind.to_dict() for kind in facttypes.fact_types()]}
