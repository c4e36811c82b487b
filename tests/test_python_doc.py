"""docs/python.md runs as written: its Python blocks in order, in one namespace, each printed result equal
to the `text` block that follows it. A doc example that stops working, or prints something else, fails here."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "python.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    return [(match[1], match[2]) for match in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def test_the_doc_has_python_blocks_with_their_output():
    kinds = [kind for kind, _ in blocks()]
    assert kinds.count("python") >= 5 and kinds.count("text") >= 5


def test_python_doc_runs_and_prints_what_it_shows(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WARMONITOR_DB", raising=False)
    namespace: dict = {"__name__": "python_doc"}
    found = blocks()
    for n, (kind, code) in enumerate(found):
        if kind != "python":
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"{DOC.name} block {n + 1}", "exec"), namespace)
        if n + 1 < len(found) and found[n + 1][0] == "text":
            assert printed.getvalue() == found[n + 1][1], f"block {n + 1} of {DOC.name} printed otherwise"
    namespace.get("db") and namespace["db"].close()
