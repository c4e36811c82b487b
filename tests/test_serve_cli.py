"""`warmonitor user`, `warmonitor serve` and `warmonitor demo` as a user runs them (subprocesses on loopback)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from warmonitor.cli import app
from warmonitor.store import Store

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], tmp_path: Path) -> subprocess.Popen:
    log = open(tmp_path / "server.log", "w+")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "warmonitor", *args], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=tmp_path, start_new_session=True)


def wait_for(url: str, proc: subprocess.Popen, tmp_path: Path, seconds: float = 180) -> None:
    """Until the server answers (the demo ingests first); the log is shown when it dies instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited {proc.returncode}:\n{(tmp_path / 'server.log').read_text()}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer in {seconds} s:\n{(tmp_path / 'server.log').read_text()}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_user_add_token_and_list(tmp_path):
    db = str(tmp_path / "w.db")
    result = runner.invoke(app, ["user", "add", "ana", "--role", "analyst", "--db", db, "--password-stdin"],
                           input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["user", "add", "ana", "--db", db, "--password-stdin"], input="another secret!\n")
    assert again.exit_code == 1 and "exists already" in again.output and "Traceback" not in again.output
    for bad in (["user", "add", "bob", "--role", "king"], ["user", "add", "bad name!"]):
        result = runner.invoke(app, [*bad, "--db", db, "--password-stdin"], input="a long enough secret\n")
        assert result.exit_code == 1 and result.output.count("\n") <= 2, result.output
    short = runner.invoke(app, ["user", "add", "cy", "--db", db, "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least" in short.output
    token = runner.invoke(app, ["user", "token", "ana", "--db", db])
    assert token.exit_code == 0 and re.search(r"^wm_[\w-]{40,}$", token.stdout, re.M)
    assert runner.invoke(app, ["user", "token", "nobody", "--db", db]).exit_code == 1
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert listed.stdout.split() == ["ana", "analyst"]


def test_serve_private_needs_a_token(tmp_path):
    db = str(tmp_path / "w.db")
    assert runner.invoke(app, ["user", "add", "ana", "--db", db, "--password-stdin"],
                         input="a long enough secret\n").exit_code == 0
    token = runner.invoke(app, ["user", "token", "ana", "--db", db]).stdout.split()[0]
    port = free_port()
    proc = start(["serve", "--db", db, "--port", str(port), "--private"], tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/me", proc, tmp_path)
        assert httpx.get(base + "/api/facts").status_code == 401
        answer = httpx.get(base + "/api/facts", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json()["total"] == 0
    finally:
        stop(proc)


def test_serve_on_a_busy_port_says_so(tmp_path):
    with Store(str(tmp_path / "w.db")) as store:  # serve reads an existing database only
        store.upgrade()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "warmonitor", "serve", "--db", str(tmp_path / "w.db"),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and f"{port}" in result.stderr


def test_demo_ingests_the_shipped_examples_and_serves_them(tmp_path):
    examples = [p for p in resources.files("warmonitor").joinpath("examples").iterdir() if p.name.endswith(".txt")]
    assert len(examples) >= 10
    port = free_port()
    proc = start(["demo", "--port", str(port)], tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/me", proc, tmp_path)
        articles = httpx.get(base + "/api/articles").json()
        assert articles["total"] == len(examples)
        facts = httpx.get(base + "/api/facts", params={"type": "casualty"}).json()
        assert facts["total"] > 0
        assert httpx.get(base + "/api/places").json()["features"]
        assert httpx.get(base + "/").status_code == 200
        password = re.search(r"password (\S+)", (tmp_path / "server.log").read_text()).group(1)
        login = httpx.post(base + "/api/login", json={"username": "demo", "password": password})
        assert login.status_code == 200 and login.json()["role"] == "analyst"
    finally:
        stop(proc)


@pytest.mark.parametrize("flags, arrays", [([], True), (["--low-memory"], False)])
def test_low_memory_serves_from_sql_alone(tmp_path, monkeypatch, flags, arrays):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    with Store(str(tmp_path / "w.db")) as store:  # serve reads an existing database only
        store.upgrade()
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "w.db"), "--port", "8123", *flags])
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123 and served["app"].state.wm.settings.snapshot is arrays
    served["app"].state.wm.build_snapshot()
    with Session(served["app"].state.wm.store.engine) as session:
        assert (served["app"].state.wm.snapshot(session) is not None) is arrays
